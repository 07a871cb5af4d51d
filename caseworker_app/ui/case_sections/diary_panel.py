"""The diary: dated notes of contacts, phone calls and visits, newest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from caseworker_app.domain.casefile import DIARY_KINDS_OFFERED, DiaryEntry, DiaryKind
from caseworker_app.domain.ids import CaseId, DiaryEntryId
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import case_sections as sections
from caseworker_app.ui.case_sections.field_form import FieldForm
from caseworker_app.ui.case_sections.labels import DIARY_KIND_LABELS, label_of
from caseworker_app.ui.case_sections.section_panel import SectionPanel
from caseworker_app.ui.formats import format_datetime, parse_date


def parse_datetime(text: str) -> datetime:
    """gg/mm/aaaa hh:mm (the time may be left out: midnight). ValueError otherwise."""
    day_text, _, time_text = text.strip().partition(" ")
    day = parse_date(day_text)
    if day is None:
        raise ValueError("date missing")
    hour, minute = 0, 0
    if time_text.strip():
        hh, sep, mm = time_text.strip().replace(".", ":").partition(":")
        if not (sep and hh.isdigit() and mm.isdigit()):
            raise ValueError("not hh:mm")
        hour, minute = int(hh), int(mm)
    return datetime(day.year, day.month, day.day, hour, minute)


class DiaryPanel(SectionPanel[DiaryEntry]):
    new_on_top = True
    can_delete = False

    def list_name(self) -> str:
        return self.tr("Diario: note dalla più recente")

    def add_label(self) -> str:
        return self.tr("Nuova nota")

    def headers(self) -> list[str]:
        return [self.tr("Data e ora"), self.tr("Tipo"), self.tr("Operatore"), self.tr("Testo")]

    def build_form(self, form: FieldForm) -> None:
        form.group(self.tr("Nota del diario"))
        offered = [(k.value, label_of(DIARY_KIND_LABELS, k.value)) for k in DIARY_KINDS_OFFERED]
        form.add_combo("kind", self.tr("Tipo"), offered, empty=False)
        form.add_line("at", self.tr("Data e ora"), placeholder=self.tr("gg/mm/aaaa hh:mm"),
                      max_length=16, width=160)  # fmt: skip
        form.add_text("text", self.tr("Testo"))
        form.wait_while_typing.add("diary.datetime_format")

    def new_value(self, entry_id: str) -> DiaryEntry:
        assert self.case_id is not None
        return DiaryEntry(DiaryEntryId(entry_id), self.case_id, self.session.now(),
                          self.session.info.username, "")  # fmt: skip

    def fill(self, form: FieldForm, value: DiaryEntry) -> None:
        combo = form.combo("kind")
        offered = {k.value for k in DIARY_KINDS_OFFERED}
        for index in reversed(range(combo.count())):  # the old kind of the note shown before
            if combo.itemData(index) not in offered:
                combo.removeItem(index)
        if value.kind.value not in offered:  # an old note's kind: shown with its label
            combo.addItem(label_of(DIARY_KIND_LABELS, value.kind.value), value.kind.value)
        form.set_value("kind", value.kind.value)
        form.set_text("at", value.typed.get("at") or format_datetime(value.at))
        form.set_text("text", value.text)

    def read(self, form: FieldForm, previous: DiaryEntry) -> tuple[DiaryEntry, list[Issue]]:
        issues: list[Issue] = []
        typed: dict[str, str] = {}
        try:
            at = parse_datetime(form.text("at"))
        except ValueError:
            at = previous.at  # keep the last good moment; the message asks for a fix
            issues.append(Issue("at", Severity.ERROR, "diary.datetime_format"))
            if form.text("at").strip():  # kept as typed until corrected
                typed["at"] = form.text("at")
        kind = DiaryKind(form.value("kind") or previous.kind.value)
        value = replace(previous, at=at, kind=kind, text=form.text("text"), typed=typed)
        return value, issues

    def validate(self, value: DiaryEntry) -> list[Issue]:
        return sections.diary_issues(value.text)

    def row(self, value: DiaryEntry) -> tuple[str, ...]:
        first = value.text.strip().splitlines()[0] if value.text.strip() else ""
        return (format_datetime(value.at), label_of(DIARY_KIND_LABELS, value.kind.value),
                value.operator, first)  # fmt: skip

    @staticmethod
    def fetch(workspace: Workspace, case_id: CaseId) -> list[tuple[str, DiaryEntry]]:
        entries = sections.list_diary(workspace.uow_factory(), actor=workspace.actor,
                                      case_id=case_id)  # fmt: skip
        return [(e.id, e) for e in entries]

    @staticmethod
    def store(
        workspace: Workspace, case_id: CaseId, entry_id: str, value: DiaryEntry, now: datetime
    ) -> None:
        sections.save_diary_entry(
            workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
            entry_id=DiaryEntryId(entry_id), kind=value.kind, at=value.at, text=value.text,
            typed=value.typed, now=now,
        )  # fmt: skip

    @staticmethod
    def remove(workspace: Workspace, case_id: CaseId, entry_id: str, now: datetime) -> None:
        raise NotImplementedError  # diary notes are never deleted (the delete button is hidden)
