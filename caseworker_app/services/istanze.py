"""Use cases on istanze (first cut: listing and recorded state changes)."""

from __future__ import annotations

from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.istanza import Istanza, IstanzaState, transition
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.services import audit_log
from caseworker_app.services.ports import IstanzaListRow, UnitOfWork


def list_istanze(uow: UnitOfWork, *, actor: Actor) -> list[IstanzaListRow]:
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.istanze.list()


def move_istanza(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza: Istanza,
    target: IstanzaState,
    reason: str,
    now: datetime,
) -> Istanza:
    actor.require(Permission.EDIT_CASES)
    moved, change = transition(istanza, target, operator=actor.username, reason=reason, at=now)
    with uow:
        uow.istanze.record_transition(moved, change)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.UPDATE,
            entity_type="istanza",
            entity_id=istanza.id,
            at=now,
        )
        uow.commit()
    return moved
