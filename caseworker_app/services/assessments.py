"""Use cases of the home visit's assessment sheets (ADL, IADL, Barthel).

Only operators who see health data (``READ_HEALTH``: not the administrative staff) read or write
sheets. A sheet records the definition version it was started with and is always scored with
that version. Drafts are saved as the social worker answers; a completed sheet is frozen (a
re-assessment is a new sheet).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.assessment import Assessment, SheetStatus, require_offered
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Sex
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.scales import ScaleDefinition, ScaleResult, ValueKind, score
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log

#: the longest place of the visit a sheet keeps (the store's column)
PLACE_MAX_LENGTH = 200


@dataclass(frozen=True)
class SheetSummary:
    sheet: Assessment
    result: ScaleResult


def _require(actor: Actor) -> None:
    actor.require(Permission.READ_HEALTH)
    actor.require(Permission.EDIT_CASES)


def _sex(uow: UnitOfWork, case_id: CaseId) -> Sex | None:
    case = uow.cases.get(case_id)
    return case.anagrafica.sex if case else None


def summarize(sheet: Assessment, sex: Sex | None) -> SheetSummary:
    """Score a sheet with the definition version it was answered with."""
    definition = get_scale(sheet.scale, sheet.version)
    result = score(definition, sheet.answers, sex=sex, variant=sheet.variant)
    return SheetSummary(sheet, result)


def start_assessment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    scale: str,
    visit_date: date,
    place: str = "",
    evaluators: tuple[str, ...] = (),
    multidimensional: bool = False,
    variant: str | None = None,
    now: datetime,
) -> Assessment:
    _require(actor)
    place = " ".join(place.split())  # one line on the printed sheet
    if len(place) > PLACE_MAX_LENGTH:
        raise UserFacingError("assessment.place_too_long", maximum=PLACE_MAX_LENGTH)
    definition = get_scale(scale)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        if case.is_closed:  # a sheet already begun can still be finished: nothing typed is lost
            raise UserFacingError("case.closed")
        born = case.anagrafica.birth_date
        if born is None:
            raise UserFacingError("assessment.birth_date_needed")
        require_offered(scale, age_on_visit=age_on(born, visit_date))
        sheet = Assessment(
            id=new_id(), case_id=case_id, scale=definition.id, version=definition.version,
            variant=variant, visit_date=visit_date, place=place, evaluators=evaluators,
            multidimensional=multidimensional, answers={}, status=SheetStatus.BOZZA,
            created_by=actor.username, updated_at=now,
        )  # fmt: skip
        score(definition, {}, sex=case.anagrafica.sex, variant=variant)  # a valid variant
        uow.assessments.save(sheet, now=now)
        audit_log.record(uow, actor=actor, action=AuditAction.CREATE, entity_type="assessment",
                         entity_id=sheet.id, at=now)  # fmt: skip
        uow.commit()
    return sheet


def save_answers(
    uow: UnitOfWork,
    *,
    actor: Actor,
    sheet_id: str,
    answers: Mapping[str, int | None],
    now: datetime,
) -> SheetSummary:
    """Autosave of a draft: whatever has been answered so far (unanswered items are fine)."""
    _require(actor)
    with uow:
        sheet = uow.assessments.get(sheet_id)
        if sheet is None:
            raise UserFacingError("assessment.not_found")
        if sheet.status is SheetStatus.COMPLETA:
            raise UserFacingError("assessment.completed")
        updated = replace(sheet, answers=dict(answers), updated_at=now)
        summary = summarize(updated, _sex(uow, sheet.case_id))  # refuses unknown items/options
        uow.assessments.save(updated, now=now)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="assessment",
                         entity_id=sheet_id, at=now)  # fmt: skip
        uow.commit()
    return summary


def complete_assessment(
    uow: UnitOfWork, *, actor: Actor, sheet_id: str, now: datetime
) -> SheetSummary:
    _require(actor)
    with uow:
        sheet = uow.assessments.get(sheet_id)
        if sheet is None:
            raise UserFacingError("assessment.not_found")
        summary = summarize(sheet, _sex(uow, sheet.case_id))
        if summary.result.applicable == 0:  # every item "non applicabile": nothing was scored
            title = get_scale(sheet.scale, sheet.version).title
            raise UserFacingError("assessment.nothing_scored", scale=title)
        if not summary.result.complete:
            missing = summary.result.applicable - summary.result.answered
            raise UserFacingError("assessment.incomplete", missing=missing)
        done = replace(sheet, status=SheetStatus.COMPLETA, updated_at=now)
        uow.assessments.save(done, now=now)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="assessment",
                         entity_id=sheet_id, at=now)  # fmt: skip
        uow.commit()
    return SheetSummary(done, summary.result)


def assessment_history(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime
) -> list[SheetSummary]:
    """Every sheet of a case, oldest first, each scored with its own definition version."""
    actor.require(Permission.READ_HEALTH)
    with uow:
        sheets = uow.assessments.of_case(case_id)
        sex = _sex(uow, case_id)
        audit_log.record(uow, actor=actor, action=AuditAction.READ, entity_type="assessments",
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()
    return [summarize(s, sex) for s in sheets]


# -- what changed since the last one ------------------------------------------------------------


class AnswerKind(enum.StrEnum):
    ANSWERED = "answered"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    number: int | None = None
    text: str = ""  # the option's wording in the sheet's own definition version


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    item: str  # the item's wording (the later sheet's version)
    before: Answer
    after: Answer


@dataclass(frozen=True)
class ScaleChange:
    """The last two closed sheets of one scale, compared."""

    scale: str
    title: str
    before: SheetSummary
    after: SheetSummary
    total_before: int | None
    total_after: int | None
    class_before: str | None
    class_after: str | None
    items: tuple[ItemChange, ...]


def headline_total(summary: SheetSummary) -> int | None:
    """The figure a sheet is charted by: functions kept (Katz) or points (Lawton, Barthel)."""
    definition = get_scale(summary.sheet.scale, summary.sheet.version)
    if definition.values is ValueKind.AUTONOMY:
        return summary.result.conserved
    return summary.result.total


def headline_class(summary: SheetSummary) -> str | None:
    """Katz class, else the band's label, else None."""
    result = summary.result
    if result.katz_class is not None:
        return result.katz_class
    return result.band.label if result.band is not None else None


def _answer(definition: ScaleDefinition, item_id: str, answers: Mapping[str, int | None]) -> Answer:
    if item_id not in answers:
        return Answer(AnswerKind.UNANSWERED)
    number = answers[item_id]
    if number is None:
        return Answer(AnswerKind.NOT_APPLICABLE, None, definition.not_applicable_label)
    item = definition.item(item_id)
    option = item.option(number) if item is not None else None
    return Answer(AnswerKind.ANSWERED, number, option.text if option is not None else "")


def compare_sheets(before: SheetSummary, after: SheetSummary) -> ScaleChange:
    """Totals, classes and the items whose answer changed between two sheets of one scale."""
    old = get_scale(before.sheet.scale, before.sheet.version)
    new = get_scale(after.sheet.scale, after.sheet.version)
    changes: list[ItemChange] = []
    for item in new.items:
        was = _answer(old, item.id, before.sheet.answers)
        now = _answer(new, item.id, after.sheet.answers)
        if (was.kind, was.number) != (now.kind, now.number) or was.text != now.text:
            changes.append(ItemChange(item.id, item.text, was, now))
    return ScaleChange(
        scale=after.sheet.scale, title=new.title, before=before, after=after,
        total_before=headline_total(before), total_after=headline_total(after),
        class_before=headline_class(before), class_after=headline_class(after),
        items=tuple(changes),
    )  # fmt: skip


def what_changed(history: list[SheetSummary]) -> list[ScaleChange]:
    """Per scale, the latest closed sheet against the closed one before it (oldest scale first).

    Drafts are left out: they may be half answered. A scale with fewer than two closed sheets
    has nothing to compare.
    """
    closed: dict[str, list[SheetSummary]] = {}
    for summary in sorted(history, key=lambda s: (s.sheet.visit_date, s.sheet.updated_at)):
        if summary.sheet.status is SheetStatus.COMPLETA:
            closed.setdefault(summary.sheet.scale, []).append(summary)
    return [compare_sheets(s[-2], s[-1]) for s in closed.values() if len(s) >= 2]


# -- drafts: resumed, found, discarded ----------------------------------------------------------


def open_draft(uow: UnitOfWork, *, actor: Actor, sheet_id: str, now: datetime) -> SheetSummary:
    """A draft to go on answering, scored so far; a closed (frozen) sheet is refused."""
    _require(actor)
    with uow:
        sheet = uow.assessments.get(sheet_id)
        if sheet is None:
            raise UserFacingError("assessment.not_found")
        if sheet.status is SheetStatus.COMPLETA:
            raise UserFacingError("assessment.completed")
        summary = summarize(sheet, _sex(uow, sheet.case_id))
        audit_log.record(uow, actor=actor, action=AuditAction.READ, entity_type="assessment",
                         entity_id=sheet_id, at=now)  # fmt: skip
        uow.commit()
    return summary


def draft_of_scale(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, scale: str, now: datetime
) -> Assessment | None:
    """The newest draft of ``scale`` in the case, if any (to resume it rather than start over)."""
    _require(actor)
    with uow:
        drafts = [
            s for s in uow.assessments.of_case(case_id)
            if s.scale == scale and s.status is SheetStatus.BOZZA
        ]  # fmt: skip
        audit_log.record(uow, actor=actor, action=AuditAction.READ, entity_type="assessments",
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()
    return max(drafts, key=lambda s: (s.visit_date, s.updated_at)) if drafts else None


def discard_draft(uow: UnitOfWork, *, actor: Actor, sheet_id: str, now: datetime) -> None:
    """Delete a draft with its answers. A closed sheet is frozen and is never deleted."""
    _require(actor)
    with uow:
        sheet = uow.assessments.get(sheet_id)
        if sheet is None:
            raise UserFacingError("assessment.not_found")
        if sheet.status is SheetStatus.COMPLETA:
            raise UserFacingError("assessment.completed_not_discarded")
        case = uow.cases.get(sheet.case_id)
        if case is not None and case.is_closed:
            raise UserFacingError("case.closed")
        uow.assessments.delete(sheet_id)
        audit_log.record(uow, actor=actor, action=AuditAction.DELETE, entity_type="assessment",
                         entity_id=sheet_id, at=now)  # fmt: skip
        uow.commit()
