"""Use cases on this installation's transmission keys: create them once, show the public part,
replace them.

The private keys live only in the encrypted store (``uow.keys``); what leaves it is the
``PublicKeyBundle`` and its fingerprint, read aloud on the phone to whoever receives it.
"""

from __future__ import annotations

from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.installation_keys import OwnKeys, PublicKeyBundle
from caseworker_app.domain.operator import SYSTEM, Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import audit_log

#: the entity type of the audit events on the key sets (the entity id is the set's id)
AUDIT_ENTITY = "chiavi"


def _bundle(uow: UnitOfWork, keys: OwnKeys) -> PublicKeyBundle:
    installation = uow.installation.get()
    return PublicKeyBundle(
        installation=installation.store_id,
        role=installation.role,
        ambito=installation.ambito,
        # the comuni this installation acts for: today the store's own comune (a capofila's
        # too: the ambito's comuni travel in its ambito package, not in its keys)
        comuni=(installation.comune,),
        signing_public=keys.material.signing_public,
        age_recipient=keys.material.age_recipient,
    )


def ensure_own_keys(
    uow: UnitOfWork, *, now: datetime, actor: Actor | str = SYSTEM
) -> PublicKeyBundle:
    """This installation's public keys, creating its key set first when the store has none.

    Runs inside the caller's open unit of work, which commits (at store creation, in the same
    transaction as the installation). A new set is audited (``create`` on ``chiavi``, the set's
    id only: never a key). An existing set is checked (each private half gives back its public
    half): ``keys.damaged`` otherwise."""
    current = uow.keys.current_own()
    if current is None:
        current = OwnKeys(new_id(), now, transfer_keys.generate_key_set())
        uow.keys.add_own(current)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type=AUDIT_ENTITY,
            entity_id=current.id,
            at=now,
        )
    else:
        transfer_keys.check_key_set(current.material)
    return _bundle(uow, current)


def own_public_keys(uow: UnitOfWork, *, actor: Actor) -> PublicKeyBundle:
    """This installation's public keys, for any operator logged in (``actor``): they are what
    the installation hands to others. ``keys.missing`` when the store has none yet."""
    with uow:
        current = uow.keys.current_own()
        if current is None:
            raise UserFacingError("keys.missing")
        return _bundle(uow, current)


def rotate_own_keys(uow: UnitOfWork, *, actor: Actor, now: datetime) -> PublicKeyBundle:
    """Replace this installation's key set with a new one (the old keys may have leaked, or a
    laptop was lost with a backup). The old set is retired, not deleted: files already sent to
    this installation still open, and the capofila's next ambito package carries the change
    signed by the old key (``ambito_packages``); a comune's new keys are confirmed again by phone
    at the capofila. Needs ``MANAGE_OPERATORS`` (the administrator); audited (``update`` on the
    old set, ``create`` on the new one: ids only, never a key)."""
    actor.require(Permission.MANAGE_OPERATORS)
    with uow:
        current = uow.keys.current_own()
        if current is not None:
            uow.keys.retire_own(current.id, at=now)
            audit_log.record(
                uow,
                actor=actor,
                action=AuditAction.UPDATE,
                entity_type=AUDIT_ENTITY,
                entity_id=current.id,
                at=now,
            )
        fresh = OwnKeys(new_id(), now, transfer_keys.generate_key_set())
        uow.keys.add_own(fresh)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type=AUDIT_ENTITY,
            entity_id=fresh.id,
            at=now,
        )
        bundle = _bundle(uow, fresh)
        uow.commit()
    return bundle
