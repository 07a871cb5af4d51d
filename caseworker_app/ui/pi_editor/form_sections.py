"""The descriptive sections of the PI: header, beneficiary, network, evaluation, economic
situation, services in place, compatibility, monitoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from caseworker_app.domain.pi import PiContent
from caseworker_app.domain.pi_sections import (
    Compatibility,
    Evaluation,
    Monitoring,
    Network,
    NetworkPerson,
    NetworkRole,
    ServiceInPlace,
    TargetGroup,
    VersionKind,
)
from caseworker_app.ui.formats import value_message
from caseworker_app.ui.pi_editor.fields import DateField, MoneyField, Section, kept_as_typed, mark
from caseworker_app.ui.pi_editor.rows_table import Column, RowsTable
from caseworker_app.ui.pi_editor.values import labels, show_day, tr
from caseworker_app.ui.screen_fit import show_entries_in_full


def _combo(section: Section, label: str, choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(label)
    for code, text in choices.items():
        combo.addItem(text, code)
    show_entries_in_full(combo)
    combo.currentIndexChanged.connect(section.edited)
    section.form.addRow(label, combo)
    return combo


def _select(combo: QComboBox, code: str) -> None:
    combo.blockSignals(True)
    combo.setCurrentIndex(max(combo.findData(code), 0))
    combo.blockSignals(False)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _day(value: object) -> date | None:
    return value if isinstance(value, date) else None


class HeaderSection(Section):
    key = "header"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("1. Intestazione"), parent)
        self.ambito = self.line(tr("Ambito"), read_only=True)
        self.comune = self.line(tr("Comune"), read_only=True)
        self.avviso = self.line(tr("Avviso"), read_only=True)
        self.legal_basis = self.line(tr("Riferimenti normativi"), read_only=True)
        self.protocol = self.line(tr("Protocollo dell'istanza"), read_only=True)
        self.drafted_on = DateField(tr("Data del progetto"))
        self.drafted_on.textEdited.connect(self.edited)
        self.form.addRow(tr("Data del progetto"), self.drafted_on)
        self.kind = _combo(self, tr("Tipo di versione"), labels()["version_kind"])

    def load(self, content: PiContent) -> None:
        h = content.header
        self.ambito.setText(h.ambito)
        self.comune.setText(h.comune)
        self.avviso.setText(h.avviso_title or h.avviso_id)
        self.legal_basis.setText(h.legal_basis)
        self.protocol.setText(h.protocol or tr("non ancora protocollata"))
        self.drafted_on.set_value(h.drafted_on, h.typed.get("drafted_on", ""))
        _select(self.kind, h.version_kind.value)

    def apply(self, content: PiContent) -> PiContent:
        kind = VersionKind(self.kind.currentData() or VersionKind.PRIMA_STESURA.value)
        header = replace(content.header, drafted_on=self.drafted_on.value(), version_kind=kind,
                         typed=kept_as_typed({"drafted_on": self.drafted_on}))  # fmt: skip
        return replace(content, header=header)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.kind.setEnabled(not read_only)


class BeneficiarySection(Section):
    key = "beneficiary"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("2. Beneficiario"), parent)
        self.name = self.line(tr("Cognome e nome"), read_only=True)
        self.codice_fiscale = self.line(tr("Codice fiscale"), read_only=True)
        self.born = self.line(tr("Nascita"), read_only=True)
        self.residence = self.line(tr("Residenza"), read_only=True)
        self.domicile = self.line(tr("Domicilio"), read_only=True)
        self.target = _combo(self, tr("Destinatario"), labels()["target_group"])
        self.certifications = QLabel()
        self.certifications.setWordWrap(True)
        self.form.addRow(tr("Certificazioni"), self.certifications)

    def load(self, content: PiContent) -> None:
        b = content.beneficiary
        self.name.setText(f"{b.surname} {b.given_name}".strip())
        self.codice_fiscale.setText(b.codice_fiscale)
        born = show_day(b.birth_date)
        self.born.setText(f"{born} – {b.birth_place}" if b.birth_place else born)
        self.residence.setText(b.residence)
        self.domicile.setText(b.domicile or tr("come la residenza"))
        _select(self.target, b.target_group.value)
        names = labels()["certification"]
        lines = []
        for c in b.certifications:
            text = names.get(c.kind, c.kind)
            if c.percent is not None:
                text += f" {c.percent}%"
            if c.issued_on is not None:
                text += " " + tr("del %1").replace("%1", show_day(c.issued_on))
            if c.issuer:
                text += f" ({c.issuer})"
            lines.append(text)
        self.certifications.setText("\n".join(lines) or tr("Nessuna certificazione nel fascicolo"))

    def apply(self, content: PiContent) -> PiContent:
        group = TargetGroup(self.target.currentData() or TargetGroup.ADULTO.value)
        return replace(content, beneficiary=replace(content.beneficiary, target_group=group))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.target.setEnabled(not read_only)


class NetworkSection(Section):
    key = "network"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("3. Rete familiare e di supporto"), parent)
        self.people = RowsTable([
            Column("role", tr("Ruolo"), "choice", labels()["network_role"], 170),
            Column("surname", tr("Cognome")), Column("given_name", tr("Nome")),
            Column("relationship", tr("Relazione"), width=110),
            Column("cohabiting", tr("Convivente"), "check", width=100, check_text=tr("sì")),
            Column("hours", tr("Ore/settimana"), width=110), Column("note", tr("Note")),
        ], name=tr("Rete familiare"))  # fmt: skip
        self.people.edited.connect(self.edited)
        self.form.addRow(self.people)
        self.note = self.text(tr("Altre risorse della rete"), lines=2)

    def load(self, content: PiContent) -> None:
        self.people.load([
            {"role": p.role.value, "surname": p.surname, "given_name": p.given_name,
             "relationship": p.relationship, "cohabiting": p.cohabiting,
             "hours": "" if p.care_hours_week is None else str(p.care_hours_week),
             "note": p.note} for p in content.network.people])  # fmt: skip
        self.blockSignals(True)
        self.note.setPlainText(content.network.note)
        self.blockSignals(False)

    def apply(self, content: PiContent) -> PiContent:
        people = []
        for row in self.people.rows():
            hours = _str(row["hours"]).strip()
            role = _str(row["role"]) or NetworkRole.FAMILIARE.value
            people.append(NetworkPerson(NetworkRole(role), _str(row["surname"]),
                                        _str(row["given_name"]), _str(row["relationship"]),
                                        row["cohabiting"] is True,
                                        int(hours) if hours.isdigit() else None,
                                        _str(row["note"])))  # fmt: skip
        return replace(content, network=Network(tuple(people), self.note.toPlainText()))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.people.set_read_only(read_only)


class EvaluationSection(Section):
    """Health data: built only for operators with READ_HEALTH."""

    key = "evaluation"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("4. Valutazione"), parent)
        self.multidimensional = QCheckBox(tr("Valutazione multidimensionale con l'ASST"))
        self.multidimensional.toggled.connect(self.edited)
        self.form.addRow(self.multidimensional)
        self.visit_date = DateField(tr("Data della visita"))
        self.visit_date.textEdited.connect(self.edited)
        self.form.addRow(tr("Data della visita"), self.visit_date)
        self.place = self.line(tr("Luogo della visita"))
        self.evaluators = self.line(tr("Valutatori (separati da virgola)"))
        self.scales = QLabel()
        self.scales.setWordWrap(True)
        self.form.addRow(tr("Scale"), self.scales)
        self.housing = self.text(tr("Situazione abitativa"))
        self.network = self.text(tr("Rete"))
        self.needs = self.text(tr("Bisogni"))
        self.risks = self.text(tr("Rischi"))
        self.summary = self.text(tr("Sintesi della valutazione"), lines=5)

    def load(self, content: PiContent) -> None:
        e = content.evaluation
        self.blockSignals(True)
        self.multidimensional.setChecked(e.multidimensional)
        self.visit_date.set_value(e.visit_date, e.typed.get("visit_date", ""))
        self.place.setText(e.place)
        self.evaluators.setText(", ".join(e.evaluators))
        names = labels()["scale"]
        lines = []
        for s in e.scales:
            text = (
                names.get(s.scale, s.scale)
                + " "
                + tr("del %1").replace("%1", show_day(s.visit_date))
            )
            if s.score is not None and s.max is not None:
                text += ": " + tr("%1 su %2").replace("%1", str(s.score)).replace("%2", str(s.max))
            if s.classification:
                text += " – " + tr("classe %1").replace("%1", s.classification)
            lines.append(text)
        self.scales.setText("\n".join(lines) or tr("Nessuna scheda completata"))
        for field, value in ((self.housing, e.housing), (self.network, e.network),
                             (self.needs, e.needs), (self.risks, e.risks),
                             (self.summary, e.summary)):  # fmt: skip
            field.setPlainText(value)
        self.blockSignals(False)

    def apply(self, content: PiContent) -> PiContent:
        evaluators = tuple(n.strip() for n in self.evaluators.text().split(",") if n.strip())
        evaluation = Evaluation(
            self.multidimensional.isChecked(), self.visit_date.value(), self.place.text(),
            evaluators, content.evaluation.scales, self.housing.toPlainText(),
            self.network.toPlainText(), self.needs.toPlainText(), self.risks.toPlainText(),
            self.summary.toPlainText(), kept_as_typed({"visit_date": self.visit_date}),
        )  # fmt: skip
        return replace(content, evaluation=evaluation)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.multidimensional.setEnabled(not read_only)


class EconomicSection(Section):
    key = "economic"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("5. Situazione economica"), parent)
        self.isee_type = self.line(tr("Tipo di ISEE"))
        self.value = MoneyField(tr("Valore ISEE (€)"))
        self.value.textEdited.connect(self.edited)
        self.form.addRow(tr("Valore ISEE (€)"), self.value)
        self.dsu = self.line(tr("Protocollo DSU"))
        self.valid_until = DateField(tr("Valida fino al"))
        self.valid_until.textEdited.connect(self.edited)
        self.form.addRow(tr("Valida fino al"), self.valid_until)

    def load(self, content: PiContent) -> None:
        e = content.economic
        self.isee_type.setText(e.isee_type)
        self.value.set_value(e.value, e.typed.get("value", ""))
        self.dsu.setText(e.dsu_protocol)
        self.valid_until.set_value(e.valid_until, e.typed.get("valid_until", ""))

    def apply(self, content: PiContent) -> PiContent:
        economic = replace(content.economic, isee_type=self.isee_type.text(),
                           value=self.value.value(), dsu_protocol=self.dsu.text(),
                           valid_until=self.valid_until.value(),
                           typed=kept_as_typed({"value": self.value,
                                                "valid_until": self.valid_until}))  # fmt: skip
        return replace(content, economic=economic)


class ServicesSection(Section):
    key = "services"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("6. Servizi e misure già in atto"), parent)
        self.rows = RowsTable([
            Column("code", tr("Servizio o misura"), width=170), Column("provider", tr("Ente")),
            Column("frequency", tr("Frequenza")), Column("funding", tr("Finanziamento")),
            Column("start", tr("Dal"), "date", width=100),
            Column("end", tr("Al"), "date", width=100),
        ], name=tr("Servizi già in atto"))  # fmt: skip
        self.rows.edited.connect(self.edited)
        self.form.addRow(self.rows)

    def load(self, content: PiContent) -> None:
        self.rows.load([{"code": s.code, "provider": s.provider, "frequency": s.frequency,
                         "funding": s.funding, "start": s.start, "end": s.end}
                        for s in content.services],
                       [s.typed for s in content.services])  # fmt: skip

    def apply(self, content: PiContent) -> PiContent:
        services = tuple(
            ServiceInPlace(_str(r["code"]), _str(r["provider"]), _str(r["frequency"]),
                           _str(r["funding"]), _day(r["start"]), _day(r["end"]), typed)
            for r, typed in zip(self.rows.rows(), self.rows.typed_rows(), strict=True))  # fmt: skip
        return replace(content, services=services)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.rows.set_read_only(read_only)


class CompatibilitySection(Section):
    key = "compatibility"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("10. Compatibilità con altre misure"), parent)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName(tr("Esito del controllo di compatibilità"))
        self.form.addRow(self.result)
        self.note = self.text(tr("Note"), lines=2)

    def load(self, content: PiContent) -> None:
        c: Compatibility = content.compatibility
        on = show_day(c.checked_on)
        if c.incompatible:
            text = tr("Controllo del %1: misure incompatibili con l'avviso in atto: %2.")
            text = text.replace("%2", ", ".join(c.incompatible))
        else:
            text = tr("Controllo del %1: nessuna misura in atto è incompatibile con l'avviso.")
        self.result.setText(text.replace("%1", on))
        self.result.setProperty("severity", "error" if c.incompatible else "ok")
        self.blockSignals(True)
        self.note.setPlainText(c.note)
        self.blockSignals(False)

    def apply(self, content: PiContent) -> PiContent:
        return replace(content, compatibility=replace(content.compatibility,
                                                      note=self.note.toPlainText()))  # fmt: skip


class MonitoringSection(Section):
    key = "monitoring"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("11. Monitoraggio"), parent)
        self.case_manager = self.line(tr("Responsabile del caso"))
        self.checks = self.line(tr("Date delle verifiche (gg/mm/aaaa, separate da virgola)"))
        self.indicators = self.text(tr("Indicatori"), lines=2)
        self.outcomes = self.text(tr("Esiti delle verifiche precedenti"), lines=2)
        self.suspending = self.text(tr("Eventi che sospendono il beneficio"), lines=2)
        self.checks.textChanged.connect(self._check_dates)

    def _dates(self) -> tuple[tuple[date, ...], str]:
        """The dates that can be read, and why the first that cannot is not read (or "")."""
        found, message = [], ""
        for part in self.checks.text().split(","):
            if not part.strip():
                continue
            try:
                day = DateField.parse(part)
            except ValueError as exc:
                message = message or value_message(exc, tr("Date delle verifiche"),
                                                   date_kind=True)  # fmt: skip
                continue
            if day is not None:
                found.append(day)
        return tuple(found), message

    def _check_dates(self) -> None:
        _dates, message = self._dates()
        mark(self.checks, message)

    def load(self, content: PiContent) -> None:
        m = content.monitoring
        self.blockSignals(True)
        self.case_manager.setText(m.case_manager)
        self.checks.setText(m.typed.get("checks") or ", ".join(show_day(d) for d in m.checks))
        self.indicators.setPlainText(m.indicators)
        self.outcomes.setPlainText(m.outcomes)
        self.suspending.setPlainText(m.suspending_events)
        self.blockSignals(False)

    def apply(self, content: PiContent) -> PiContent:
        checks, message = self._dates()  # the line is kept as typed when a date is not read
        typed = {"checks": self.checks.text()} if message else {}
        return replace(content, monitoring=Monitoring(
            self.case_manager.text(), checks, self.indicators.toPlainText(),
            self.outcomes.toPlainText(), self.suspending.toPlainText(), typed))  # fmt: skip
