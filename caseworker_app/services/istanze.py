"""Use cases on istanze (first cut: listing and recorded state changes)."""

from __future__ import annotations

from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, IstanzaId, new_id
from caseworker_app.domain.istanza import (
    DEFAULT_PROTOCOL_FORMAT,
    Istanza,
    IstanzaState,
    Transition,
    check_protocol_format,
    format_protocol,
    transition,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import IstanzaListRow, UnitOfWork
from caseworker_app.services import audit_log


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


PROTOCOL_FORMAT_KEY = "protocol_format"


def protocol_format(uow: UnitOfWork) -> str:
    """The format of protocol numbers (setting), e.g. ``{comune}-{anno}-{numero:06d}``."""
    with uow:
        return uow.settings.get(PROTOCOL_FORMAT_KEY) or DEFAULT_PROTOCOL_FORMAT


def set_protocol_format(uow: UnitOfWork, *, actor: Actor, template: str, now: datetime) -> None:
    actor.require(Permission.MANAGE_OPERATORS)
    check_protocol_format(template)
    with uow:
        uow.settings.set(PROTOCOL_FORMAT_KEY, template)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="setting",
                         entity_id=PROTOCOL_FORMAT_KEY, at=now)  # fmt: skip
        uow.commit()


def next_free_protocol(uow: UnitOfWork, *, comune: str, year: int, template: str) -> str:
    """The next number of the comune's sequence for the year, formatted, skipping numbers whose
    protocol an istanza already holds: a format without ``{anno}`` continues across years, and
    a counter behind the istanze (numbered before it existed) catches up instead of failing on
    the unique protocol. Inside the caller's transaction."""
    while True:
        number = uow.istanze.next_protocol(comune, year)
        protocol = format_protocol(template, comune=comune, year=year, number=number)
        if not uow.istanze.protocol_taken(comune, protocol):
            return protocol


def create_istanza(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, avviso: str, now: datetime
) -> Istanza:
    """A new istanza of a case file to an avviso, as a draft (bozza)."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        if case.is_closed:
            raise UserFacingError("case.closed")
        istanza = Istanza(IstanzaId(new_id()), case_id, case.comune, avviso, IstanzaState.BOZZA,
                          None, None)  # fmt: skip
        uow.istanze.add(istanza, now=now)
        uow.istanze.record_transition(
            istanza, Transition(istanza.id, None, IstanzaState.BOZZA, now, actor.username, "")
        )
        audit_log.record(uow, actor=actor, action=AuditAction.CREATE, entity_type="istanza",
                         entity_id=istanza.id, at=now)  # fmt: skip
        uow.commit()
    return istanza


def submit_istanza(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza_id: IstanzaId,
    submitted_at: datetime,
    reason: str = "istanza presentata",
    now: datetime,
) -> Istanza:
    """Presentation: the next number of the comune's local sequence for the year of submission
    becomes the protocol, and the timestamp is recorded, in one transaction."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        istanza = uow.istanze.get(istanza_id)
        if istanza is None:
            raise UserFacingError("istanza.not_found")
        if istanza.state is not IstanzaState.BOZZA:
            raise UserFacingError("istanza.transition_not_allowed",
                                  from_state=istanza.state.value,
                                  to_state=IstanzaState.PRESENTATA.value)  # fmt: skip
        template = uow.settings.get(PROTOCOL_FORMAT_KEY) or DEFAULT_PROTOCOL_FORMAT
        protocol = next_free_protocol(uow, comune=istanza.comune, year=submitted_at.year,
                                      template=template)  # fmt: skip
        numbered = Istanza(istanza.id, istanza.case_id, istanza.comune, istanza.avviso,
                           istanza.state, protocol, submitted_at)  # fmt: skip
        moved, change = transition(numbered, IstanzaState.PRESENTATA, operator=actor.username,
                                   reason=reason, at=now)  # fmt: skip
        uow.istanze.record_transition(moved, change)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="istanza",
                         entity_id=istanza.id, at=now)  # fmt: skip
        uow.commit()
    return moved


def istanze_of_case(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> list[Istanza]:
    """The istanze of one case file, oldest first."""
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.istanze.of_case(case_id)


def delete_draft_istanza(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime
) -> None:
    """Delete an istanza still in ``bozza`` (registered by mistake), with its content and its
    transitions; documents registered for it stay in the case file. A presented istanza, or a
    draft that already has a Progetto Individuale, is refused. The audit log keeps a ``delete``
    event with the istanza's id."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        istanza = uow.istanze.get(istanza_id)
        if istanza is None:
            raise UserFacingError("istanza.not_found")
        if istanza.state is not IstanzaState.BOZZA:
            raise UserFacingError("istanza.delete_not_draft", state=istanza.state.value)
        if uow.pi.of_istanza(istanza_id):
            raise UserFacingError("istanza.delete_has_pi")
        case = uow.cases.get(istanza.case_id)
        if case is not None and case.is_closed:
            raise UserFacingError("case.closed")
        uow.istanze.delete_draft(istanza_id)
        audit_log.record(uow, actor=actor, action=AuditAction.DELETE, entity_type="istanza",
                         entity_id=istanza_id, at=now)  # fmt: skip
        uow.commit()
