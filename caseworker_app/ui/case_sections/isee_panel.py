"""ISEE attestations: type, value, DSU protocol checked while typing, validity, omissioni."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QLabel

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.validation import Issue
from caseworker_app.ui.case_sections.field_form import UNREAD_CODES, FieldForm
from caseworker_app.ui.case_sections.labels import (
    ISEE_TYPE_LABELS,
    choices,
    format_money,
    label_of,
)
from caseworker_app.ui.case_sections.record_panel import RecordPanel
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.theme import set_severity

DSU_PLACEHOLDER = "INPS-ISEE-AAAA-NNNNNNNNN-NN"


class IseePanel(RecordPanel[IseeAttestation]):
    record_type = IseeAttestation

    def list_name(self) -> str:
        return self.tr("Elenco delle attestazioni ISEE")

    def add_label(self) -> str:
        return self.tr("Aggiungi attestazione ISEE")

    def headers(self) -> list[str]:
        return [self.tr("Tipo"), self.tr("Valore"), self.tr("Protocollo DSU"),
                self.tr("Data"), self.tr("Valida fino al"), self.tr("Stato")]  # fmt: skip

    def build_form(self, form: FieldForm) -> None:
        form.group(self.tr("Attestazione ISEE"))
        form.add_combo("isee_type", self.tr("Tipo di ISEE"), choices(ISEE_TYPE_LABELS))
        form.add_line("value", self.tr("Valore ISEE (€)"), placeholder=self.tr("es. 12.345,67"),
                      width=160)  # fmt: skip
        form.add_line("dsu_protocol", self.tr("Protocollo DSU"), placeholder=DSU_PLACEHOLDER,
                      max_length=40, wide=True)  # fmt: skip
        form.add_date("issued_on", self.tr("Data dell'attestazione"))
        form.add_date("received_on", self.tr("Ricevuta il"))
        form.add_date("valid_until", self.tr("Valida fino al"))
        form.add_check("omissioni", self.tr("Omissioni/difformità segnalate"))
        form.wait_while_typing |= {"isee.dsu_invalid", "isee.value_invalid", *UNREAD_CODES}
        self.validity = QLabel()
        self.validity.setAccessibleName(self.tr("Validità dell'attestazione"))
        self.validity.setWordWrap(True)
        self.below_form.addWidget(self.validity)

    def new_value(self, entry_id: str) -> IseeAttestation:
        return IseeAttestation("", received_on=self.session.now().date())

    def fill(self, form: FieldForm, value: IseeAttestation) -> None:
        form.set_value("isee_type", value.isee_type)
        form.set_amount("value", value.value, value.typed)
        form.set_text("dsu_protocol", value.dsu_protocol)
        form.set_date("issued_on", value.issued_on, value.typed)
        form.set_date("received_on", value.received_on, value.typed)
        form.set_date("valid_until", value.valid_until, value.typed)
        form.set_checked("omissioni", value.omissioni)

    def read(
        self, form: FieldForm, previous: IseeAttestation
    ) -> tuple[IseeAttestation, list[Issue]]:
        issues: list[Issue] = []
        typed: dict[str, str] = {}
        value = replace(
            previous, isee_type=form.value("isee_type"),
            value=form.amount("value", issues, typed),
            dsu_protocol=form.text("dsu_protocol").upper(),
            issued_on=form.date("issued_on", issues, typed),
            received_on=form.date("received_on", issues, typed),
            valid_until=form.date("valid_until", issues, typed),
            omissioni=form.checked("omissioni"), typed=typed,
        )  # fmt: skip
        self._show_validity(value)
        return value, issues

    def _show_validity(self, value: IseeAttestation) -> None:
        end = value.validity_end()
        year = value.dsu_year
        line = self.form.inputs["valid_until"]
        hint = "31/12/" + str(year) if year else ""
        line.setProperty("placeholderText", hint or self.tr("gg/mm/aaaa"))
        if end is None:
            self.validity.setText(
                self.tr("Validità: indica il protocollo DSU o la data di fine validità.")
            )
            set_severity(self.validity, "")
        elif value.is_valid_on(self.session.now().date()):
            self.validity.setText(self.tr("Valida fino al %1.").replace("%1", format_date(end)))
            set_severity(self.validity, "ok")
        else:
            self.validity.setText(
                self.tr("Scaduta il %1: chiedi un'attestazione aggiornata.").replace(
                    "%1", format_date(end)
                )
            )
            set_severity(self.validity, "warning")

    def current_changed(self) -> None:
        self.validity.setVisible(self.current is not None)

    def validate(self, value: IseeAttestation) -> list[Issue]:
        return value.issues()

    def row(self, value: IseeAttestation) -> tuple[str, ...]:
        end = value.validity_end()
        if end is None:
            state = ""
        elif value.is_valid_on(self.session.now().date()):
            state = self.tr("valida")
        else:
            state = self.tr("scaduta")
        return (label_of(ISEE_TYPE_LABELS, value.isee_type), format_money(value.value),
                value.dsu_protocol, format_date(value.issued_on), format_date(end),
                state)  # fmt: skip
