"""Use cases of the social evaluation narrative written beside the home visit.

A case may hold several evaluations (one per visit), each a ``SocialEvaluation`` record of
kind ``evaluation``. The social worker edits the latest one as a draft; it is saved as typed.
Only operators who read health data (``READ_HEALTH``) see them; writing also needs
``EDIT_CASES``. Every read and write is audited (without content).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import StoredRecord, UnitOfWork
from caseworker_app.services import audit_log

ENTITY = "evaluation"


@dataclass(frozen=True)
class SavedEvaluation:
    record_id: str
    case_id: CaseId
    evaluation: SocialEvaluation
    updated_at: datetime
    updated_by: str


def _saved(record: StoredRecord) -> SavedEvaluation:
    return SavedEvaluation(record.id, record.case_id, SocialEvaluation.from_data(record.data),
                           record.updated_at, record.updated_by)  # fmt: skip


def _latest(records: list[StoredRecord]) -> StoredRecord | None:
    def key(r: StoredRecord) -> tuple[str, datetime, str]:
        visit = SocialEvaluation.from_data(r.data).visit_date
        return (visit.isoformat() if visit else "", r.updated_at, r.id)

    return max(records, key=key) if records else None


def latest_evaluation(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime
) -> SavedEvaluation | None:
    """The most recent evaluation of a case (by visit date, then last edit), or None."""
    actor.require(Permission.READ_HEALTH)
    with uow:
        if uow.cases.get(case_id) is None:
            raise UserFacingError("case.not_found")
        record = _latest(uow.records.of_case(case_id, SocialEvaluation.KIND))
        audit_log.record(uow, actor=actor, action=AuditAction.READ, entity_type=ENTITY,
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()
    return None if record is None else _saved(record)


def evaluations_of_case(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime
) -> list[SavedEvaluation]:
    """Every evaluation of a case, oldest first."""
    actor.require(Permission.READ_HEALTH)
    with uow:
        records = uow.records.of_case(case_id, SocialEvaluation.KIND)
        audit_log.record(uow, actor=actor, action=AuditAction.READ, entity_type=ENTITY,
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()
    return [_saved(r) for r in records]


def save_evaluation(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    evaluation: SocialEvaluation,
    record_id: str | None = None,
    now: datetime,
) -> SavedEvaluation:
    """Save a draft: a new evaluation when ``record_id`` is None, else an update of it."""
    actor.require(Permission.READ_HEALTH)
    actor.require(Permission.EDIT_CASES)
    names = tuple(n.strip() for n in evaluation.asst_evaluators if n.strip())
    evaluation = replace(evaluation, asst_evaluators=names)
    with uow:
        if uow.cases.get(case_id) is None:
            raise UserFacingError("case.not_found")
        action = AuditAction.UPDATE
        if record_id is None:
            record_id, action = new_id(), AuditAction.CREATE
        else:
            existing = uow.records.get(record_id)
            if (
                existing is None
                or existing.case_id != case_id
                or existing.kind != SocialEvaluation.KIND
            ):
                raise UserFacingError("evaluation.not_found")
        record = StoredRecord(record_id, case_id, SocialEvaluation.KIND, evaluation.to_data(),
                              now, actor.username)  # fmt: skip
        uow.records.put(record)
        audit_log.record(uow, actor=actor, action=action, entity_type=ENTITY,
                         entity_id=record_id, at=now)  # fmt: skip
        uow.commit()
    return _saved(record)
