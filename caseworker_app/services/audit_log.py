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
from caseworker_app.services.ports import AuditFilter, ConcernedPerson, UnitOfWork


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


@dataclass(frozen=True)
class AuditLine:
    """One event of the Registro attività as shown: who acted, and the person concerned.

    The names are read from the store when the page is shown; the log itself keeps ids only.
    """

    event: AuditEvent
    operator_name: str  # the operator's full name; the username when the account is unknown
    person: ConcernedPerson | None  # None: no person behind it, or the actor may not see names
    #: for an event on an operator account: that operator's full name ("" otherwise)
    operator_concerned: str = ""


def list_audit_lines(uow: UnitOfWork, *, actor: Actor, flt: AuditFilter) -> list[AuditLine]:
    """The events, newest first, each with the operator's name and the person it concerns.

    The people are looked up in batches (one query per kind of entity for the whole page). Only an
    operator who may read the case files (``READ_CASES``) is shown their names.
    """
    actor.require(Permission.READ_AUDIT)
    with uow:
        events = uow.audit.find(flt)
        names = {o.username.casefold(): o.full_name for o in uow.operators.list()}
        people: dict[tuple[str, str], ConcernedPerson] = {}
        if actor.can(Permission.READ_CASES):
            people = uow.audit.concerned({(e.entity_type, e.entity_id) for e in events})
    return [
        AuditLine(
            event,
            names.get(event.operator.casefold()) or event.operator,
            people.get((event.entity_type, event.entity_id)),
            names.get(event.entity_id.casefold(), "") if event.entity_type == "operator" else "",
        )
        for event in events
    ]
