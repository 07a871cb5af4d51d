"""Use cases on the audit log: record, verify, browse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseworker_app.domain.audit import (
    AuditAction,
    AuditEntry,
    AuditEvent,
    ChainProblem,
    verify_chain,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.services.ports import AuditFilter, UnitOfWork


def record(
    uow: UnitOfWork,
    *,
    actor: Actor | str,
    action: AuditAction,
    entity_type: str,
    entity_id: str,
    at: datetime,
) -> AuditEvent:
    """Append one event inside the caller's transaction (the caller commits)."""
    who = actor if isinstance(actor, str) else actor.username
    return uow.audit.append(AuditEntry(at, who, action, entity_type, entity_id))


@dataclass(frozen=True)
class AuditVerdict:
    events: int
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_audit(uow: UnitOfWork) -> AuditVerdict:
    with uow:
        count = 0
        events = []
        for event in uow.audit.iterate():
            count += 1
            events.append(event)
        return AuditVerdict(count, tuple(verify_chain(events)))


def list_audit(uow: UnitOfWork, *, actor: Actor, flt: AuditFilter) -> list[AuditEvent]:
    actor.require(Permission.READ_AUDIT)
    with uow:
        return uow.audit.find(flt)
