"""Use cases of the home visit's assessment sheets (ADL, IADL, Barthel).

Only operators who see health data (``READ_HEALTH``: not the administrative staff) read or write
sheets. A sheet records the definition version it was started with and is always scored with
that version. Drafts are saved as the social worker answers; a completed sheet is frozen (a
re-assessment is a new sheet).
"""

from __future__ import annotations

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
from caseworker_app.domain.scales import ScaleResult, score
from caseworker_app.services import audit_log
from caseworker_app.services.ports import UnitOfWork


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
    definition = get_scale(scale)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
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
