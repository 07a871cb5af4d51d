"""The sections of the plan itself: objectives, interventions (checked live against the avviso
caps), budget per funding source, signatories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from caseworker_app.domain.pi import PiContent
from caseworker_app.domain.pi_plan import (
    BudgetLine,
    BudgetTotals,
    FundingSource,
    Intervention,
    fund_label,
)
from caseworker_app.domain.pi_sections import Objective, Signatory, SignatoryRole
from caseworker_app.domain.rules.verdict import Status
from caseworker_app.messages import render
from caseworker_app.services.pi import InterventionCheck
from caseworker_app.ui.pi_editor.fields import Section
from caseworker_app.ui.pi_editor.rows_table import Column, RowsTable
from caseworker_app.ui.pi_editor.values import format_money_eur, labels, show_day, tr

COLOURS = {Status.OK: "#dff3e4", Status.WARNING: "#fff1cc", Status.KO: "#fde2e1",
           Status.PENDING: "#eeeeee"}  # fmt: skip


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _day(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _amount(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


class ObjectivesSection(Section):
    key = "objectives"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("7. Obiettivi"), parent)
        self.rows = RowsTable([
            Column("dimension", tr("Dimensione di vita"), width=200),
            Column("objective", tr("Obiettivo")), Column("indicator", tr("Indicatore")),
        ], name=tr("Obiettivi"))  # fmt: skip
        self.rows.edited.connect(self.edited)
        self.form.addRow(self.rows)

    def load(self, content: PiContent) -> None:
        self.rows.load([{"dimension": o.dimension, "objective": o.objective,
                         "indicator": o.indicator} for o in content.objectives])  # fmt: skip

    def apply(self, content: PiContent) -> PiContent:
        objectives = tuple(
            Objective(_str(r["dimension"]), _str(r["objective"]), _str(r["indicator"]))
            for r in self.rows.rows()
        )
        return replace(content, objectives=objectives)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.rows.set_read_only(read_only)


class InterventionsSection(Section):
    key = "interventions"

    def __init__(self, codes: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(tr("8. Interventi"), parent)
        self.rows = RowsTable([
            Column("code", tr("Intervento"), "choice", codes, 190),
            Column("description", tr("Descrizione")), Column("provider", tr("Ente erogatore")),
            Column("quantity", tr("Quantità"), width=80),
            Column("start", tr("Dal"), "date", width=95), Column("end", tr("Al"), "date", width=95),
            Column("monthly", tr("Mensile €"), "money", width=95),
            Column("total", tr("Totale €"), "money", width=95),
            Column("outcome", tr("Esito"), "output", width=150),
        ], name=tr("Interventi"))  # fmt: skip
        self.rows.edited.connect(self.edited)
        self.form.addRow(self.rows)
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setAccessibleName(tr("Verifica dei massimali dell'avviso"))
        self.form.addRow(self.messages)

    def load(self, content: PiContent) -> None:
        self.rows.load([
            {"code": i.code, "description": i.description, "provider": i.provider,
             "quantity": i.quantity, "start": i.start, "end": i.end, "monthly": i.monthly,
             "total": i.total} for i in content.interventions],
            [i.typed for i in content.interventions])  # fmt: skip

    def interventions(self) -> tuple[Intervention, ...]:
        return tuple(
            Intervention(_str(r["code"]), _str(r["description"]), _str(r["provider"]),
                         _str(r["quantity"]), _day(r["start"]), _day(r["end"]),
                         _amount(r["monthly"]), _amount(r["total"]), typed)
            for r, typed in zip(self.rows.rows(), self.rows.typed_rows(), strict=True))  # fmt: skip

    def apply(self, content: PiContent) -> PiContent:
        return replace(content, interventions=self.interventions())

    def show_checks(self, checks: list[InterventionCheck]) -> None:
        lines = []
        for check in checks:
            message = check.message or render(check.code)
            if check.status is Status.OK:
                text = tr("Ammesso: %1").replace("%1", format_money_eur(check.granted))
            elif check.status is Status.WARNING:
                text = tr("Ridotto a %1").replace("%1", format_money_eur(check.granted))
            elif check.status is Status.KO:
                text = tr("Escluso")
            else:
                text = tr("Da completare")
            self.rows.set_output(check.index, "outcome", text, tip=message,
                                 colour=COLOURS[check.status])  # fmt: skip
            if check.status is not Status.OK:
                lines.append(tr("Riga %1: %2").replace("%1", str(check.index + 1))
                             .replace("%2", message))  # fmt: skip
        self.messages.setText("\n".join(lines))
        self.messages.setVisible(bool(lines))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.rows.set_read_only(read_only)


class BudgetSection(Section):
    key = "budget"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("9. Budget di progetto"), parent)
        self.names = labels()["funding"]
        self.rows = RowsTable([
            Column("source", tr("Fonte di finanziamento"), "output", width=220),
            Column("monthly", tr("Mensile €"), "money"), Column("total", tr("Totale €"), "money"),
        ], name=tr("Budget per fonte"), fixed_rows=True)  # fmt: skip
        self.rows.edited.connect(self.edited)
        self.form.addRow(self.rows)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName(tr("Totali del budget"))
        self.form.addRow(self.totals)

    def load(self, content: PiContent) -> None:
        names = {**self.names, FundingSource.FNA.value: fund_label(content.header.avviso_title)}
        by_source = {b.source: b for b in content.budget}
        lines = [by_source.get(s, BudgetLine(s)) for s in FundingSource]
        self.rows.load([{"monthly": b.monthly, "total": b.total} for b in lines],
                       [b.typed for b in lines])  # fmt: skip
        for r, source in enumerate(FundingSource):
            self.rows.set_output(r, "source", names[source.value])

    def apply(self, content: PiContent) -> PiContent:
        budget = tuple(
            BudgetLine(source, _amount(row["monthly"]), _amount(row["total"]), typed)
            for source, row, typed in zip(
                FundingSource, self.rows.rows(), self.rows.typed_rows(), strict=True
            )
        )
        return replace(content, budget=budget)

    def show_totals(self, totals: BudgetTotals) -> None:
        text = (
            tr("Totale risorse: %1 al mese, %2 in tutto. Interventi: %3.")
            .replace("%1", format_money_eur(totals.monthly))
            .replace("%2", format_money_eur(totals.total))
            .replace("%3", format_money_eur(totals.interventions_total))
        )
        if totals.shortfall:
            text += " " + (tr("Le risorse non coprono il costo degli interventi: mancano %1.")
                           .replace("%1", format_money_eur(totals.shortfall)))  # fmt: skip
        elif not totals.balanced:
            text += " " + tr("Le risorse superano il costo degli interventi.")
        self.totals.setText(text)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.rows.set_read_only(read_only)


class SignatoriesSection(Section):
    key = "signatories"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("12. Firme"), parent)
        self.rows = RowsTable([
            Column("role", tr("Ruolo"), "choice", labels()["signatory"], 170),
            Column("name", tr("Nome e cognome")), Column("place", tr("Luogo"), width=120),
            Column("signed_on", tr("Data"), "date", width=95),
            Column("signed", tr("Firma"), "check", width=90, check_text=tr("firmato")),
            Column("state", tr("Stato della firma"), "output", width=360),
        ], name=tr("Firmatari"))  # fmt: skip
        self.rows.edited.connect(self.edited)
        self.form.addRow(self.rows)
        # filled by ui/pi_editor/signature_states.py once the signatures are read
        self.states_note = QLabel()
        self.states_note.setWordWrap(True)
        self.states_note.setObjectName("hint")
        self.states_note.setAccessibleName(tr("Stato delle firme"))
        self.form.addRow(self.states_note)
        self.privacy = QCheckBox(tr("Presa visione dell'informativa sulla privacy"))
        self.privacy.toggled.connect(self.edited)
        self.form.addRow(self.privacy)
        self.signed = QLabel()
        self.signed.setAccessibleName(tr("Firma della versione"))
        self.form.addRow(self.signed)

    def load(self, content: PiContent) -> None:
        self.rows.load([{"role": s.role.value, "name": s.name, "place": s.place,
                         "signed_on": s.signed_on, "signed": s.signed}
                        for s in content.signatories],
                       [s.typed for s in content.signatories])  # fmt: skip
        self.privacy.blockSignals(True)
        self.privacy.setChecked(content.privacy_acknowledged)
        self.privacy.blockSignals(False)
        if content.signed_on is not None:
            self.signed.setText(tr("Versione firmata a %1 il %2.")
                                .replace("%1", content.signed_place)
                                .replace("%2", show_day(content.signed_on)))  # fmt: skip
        else:
            self.signed.setText(tr("Versione non ancora firmata."))

    def signatories(self) -> list[tuple[str, str]]:
        """(role, name) of each row, as typed (the signatures dialog's order)."""
        return [(_str(r["role"]), _str(r["name"])) for r in self.rows.rows()]

    def show_state(self, r: int, text: str, *, colour: str = "", tip: str = "") -> None:
        """The signature state of row ``r``: a colour and, always, the words."""
        self.rows.set_output(r, "state", text, tip=tip or text, colour=colour)
        role = labels()["signatory"].get(self.signatories()[r][0], "")
        spoken = (tr("Stato della firma di %1: %2").replace("%1", role or tr("firmatario"))
                  .replace("%2", text))  # fmt: skip
        with QSignalBlocker(self.rows.table):  # not an edit of the plan
            self.rows.cell(r, "state").setData(Qt.ItemDataRole.AccessibleTextRole, spoken)

    def fit_states(self) -> None:
        """Rows as tall as their state (a long one wraps), the table as tall as its rows."""
        self.rows._fit()

    def apply(self, content: PiContent) -> PiContent:
        signatories = tuple(
            Signatory(SignatoryRole(_str(r["role"]) or SignatoryRole.FAMILIARE.value),
                      _str(r["name"]), _str(r["place"]), _day(r["signed_on"]),
                      r["signed"] is True, typed)
            for r, typed in zip(self.rows.rows(), self.rows.typed_rows(), strict=True))  # fmt: skip
        return replace(content, signatories=signatories,
                       privacy_acknowledged=self.privacy.isChecked())  # fmt: skip

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.rows.set_read_only(read_only)
        self.privacy.setEnabled(not read_only)
