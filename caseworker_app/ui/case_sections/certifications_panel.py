"""Certifications: L.104/1992 art. 3 c. 3, invalidità civile %, indennità, with date and issuer."""

from __future__ import annotations

from dataclasses import replace

from caseworker_app.domain.case_sections import Certification, CertificationKind
from caseworker_app.domain.validation import Issue
from caseworker_app.ui.case_sections.field_form import FieldForm
from caseworker_app.ui.case_sections.labels import CERTIFICATION_LABELS, choices, label_of
from caseworker_app.ui.case_sections.record_panel import RecordPanel
from caseworker_app.ui.formats import format_date


class CertificationsPanel(RecordPanel[Certification]):
    record_type = Certification

    def list_name(self) -> str:
        return self.tr("Elenco delle certificazioni")

    def add_label(self) -> str:
        return self.tr("Aggiungi certificazione")

    def headers(self) -> list[str]:
        return [self.tr("Certificazione"), self.tr("Data verbale"), self.tr("Ente"),
                self.tr("Percentuale")]  # fmt: skip

    def build_form(self, form: FieldForm) -> None:
        form.group(self.tr("Certificazione"))
        form.add_combo("kind", self.tr("Tipo"), choices(CERTIFICATION_LABELS), empty=False,
                       wide=True)  # fmt: skip
        form.add_date("issued_on", self.tr("Data del verbale"))
        form.add_line("percent", self.tr("Percentuale di invalidità"), max_length=3, width=70)
        form.add_line("issuer", self.tr("Ente che l'ha rilasciata"),
                      placeholder=self.tr("es. INPS, commissione ASST"), wide=True)  # fmt: skip
        form.add_line("note", self.tr("Note"), wide=True)

    def new_value(self, entry_id: str) -> Certification:
        return Certification(CertificationKind.L104_ART3_C3)

    def fill(self, form: FieldForm, value: Certification) -> None:
        form.set_value("kind", value.kind.value)
        form.set_date("issued_on", value.issued_on, value.typed)
        form.set_text("percent", "" if value.percent is None else str(value.percent))
        form.set_text("issuer", value.issuer)
        form.set_text("note", value.note)
        self._sync(form, value)

    def _sync(self, form: FieldForm, value: Certification) -> None:
        form.inputs["percent"].setEnabled(value.kind is CertificationKind.INVALIDITA_CIVILE)

    def read(self, form: FieldForm, previous: Certification) -> tuple[Certification, list[Issue]]:
        issues: list[Issue] = []
        typed: dict[str, str] = {}
        kind = CertificationKind(form.value("kind") or previous.kind.value)
        percent = form.integer("percent", issues, "certification.percent_invalid")
        value = replace(
            previous, kind=kind, issued_on=form.date("issued_on", issues, typed),
            issuer=form.text("issuer"), note=form.text("note"),
            percent=percent if kind is CertificationKind.INVALIDITA_CIVILE else None,
            typed=typed,
        )  # fmt: skip
        self._sync(form, value)
        return value, issues

    def validate(self, value: Certification) -> list[Issue]:
        return value.issues()

    def row(self, value: Certification) -> tuple[str, ...]:
        percent = "" if value.percent is None else f"{value.percent}%"
        return (label_of(CERTIFICATION_LABELS, value.kind.value), format_date(value.issued_on),
                value.issuer, percent)  # fmt: skip
