"""Services and measures in place (interchange codes) with provider, dates, frequency, funding."""

from __future__ import annotations

from dataclasses import replace

from caseworker_app.domain.case_sections import MeasureInPlace
from caseworker_app.domain.validation import Issue
from caseworker_app.ui.case_sections.field_form import UNREAD_CODES, FieldForm
from caseworker_app.ui.case_sections.labels import IN_PLACE_LABELS, choices, label_of
from caseworker_app.ui.case_sections.record_panel import RecordPanel
from caseworker_app.ui.formats import format_date


class MeasuresPanel(RecordPanel[MeasureInPlace]):
    record_type = MeasureInPlace

    def list_name(self) -> str:
        return self.tr("Elenco dei servizi e delle misure in atto")

    def add_label(self) -> str:
        return self.tr("Aggiungi servizio o misura")

    def headers(self) -> list[str]:
        return [self.tr("Servizio o misura"), self.tr("Ente erogatore"), self.tr("Dal"),
                self.tr("Al"), self.tr("Stato")]  # fmt: skip

    def build_form(self, form: FieldForm) -> None:
        form.group(self.tr("Servizio o misura in atto"))
        form.add_combo("code", self.tr("Servizio o misura"), choices(IN_PLACE_LABELS, sort=True),
                       wide=True)  # fmt: skip
        form.add_line("provider", self.tr("Ente erogatore"), wide=True)
        form.add_date("start", self.tr("Dal"))
        form.add_date("end", self.tr("Al"))
        form.add_line("frequency", self.tr("Frequenza"),
                      placeholder=self.tr("es. 2 accessi a settimana"))  # fmt: skip
        form.add_line("funding", self.tr("Finanziamento"),
                      placeholder=self.tr("es. FNA, comune, privato"))  # fmt: skip
        form.add_line("note", self.tr("Note"), wide=True)
        form.wait_while_typing |= UNREAD_CODES

    def new_value(self, entry_id: str) -> MeasureInPlace:
        return MeasureInPlace("")

    def fill(self, form: FieldForm, value: MeasureInPlace) -> None:
        form.set_value("code", value.code)
        for field in ("provider", "frequency", "funding", "note"):
            form.set_text(field, str(getattr(value, field)))
        form.set_date("start", value.start, value.typed)
        form.set_date("end", value.end, value.typed)

    def read(self, form: FieldForm, previous: MeasureInPlace) -> tuple[MeasureInPlace, list[Issue]]:
        issues: list[Issue] = []
        typed: dict[str, str] = {}
        value = replace(
            previous, code=form.value("code"), provider=form.text("provider"),
            start=form.date("start", issues, typed), end=form.date("end", issues, typed),
            frequency=form.text("frequency"), funding=form.text("funding"),
            note=form.text("note"), typed=typed,
        )  # fmt: skip
        return value, issues

    def validate(self, value: MeasureInPlace) -> list[Issue]:
        return value.issues()

    def row(self, value: MeasureInPlace) -> tuple[str, ...]:
        today = self.session.now().date()
        if value.active_on(today):
            state = self.tr("in corso")
        elif value.start is not None and value.start > today:
            state = self.tr("da iniziare")
        else:
            state = self.tr("concluso")
        return (label_of(IN_PLACE_LABELS, value.code), value.provider, format_date(value.start),
                format_date(value.end), state)  # fmt: skip
