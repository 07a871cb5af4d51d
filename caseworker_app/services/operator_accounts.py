"""Use cases on operator accounts: the lock screen, own password, the admin's management.

Each takes the unit-of-work factory and the store's ports (ports/store_files.py): the key slots,
the wrapper of the database key, and the failed-attempt counter kept outside the database. The
permission checks, the validation, the password policy, the audit writes and the key-slot changes
all happen here; the store (bootstrap/workspace.py) only builds the ports and delegates.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import OperatorId, new_id
from caseworker_app.domain.operator import Actor, Operator, clean_qualifica, validate_username
from caseworker_app.domain.roles import Permission, Role
from caseworker_app.ports.storage import UnitOfWork, UnitOfWorkFactory
from caseworker_app.ports.store_files import AttemptCounter, KeySlots, KeyWrapper
from caseworker_app.security import passwords
from caseworker_app.security.keys import KdfParams, operator_slot
from caseworker_app.services import audit_log
from caseworker_app.services.store_access import flush_failures


def _audit(
    uow: UnitOfWork, *, actor: Actor, action: AuditAction, username: str, at: datetime
) -> None:
    audit_log.record(
        uow, actor=actor, action=action, entity_type="operator", entity_id=username, at=at
    )


def _own_password_ok(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    attempts: AttemptCounter,
    password: str,
    now: datetime,
) -> bool:
    """Check the acting operator's password as at login: throttled after failures, which are
    counted outside the database (the caller records them in the audit log on success)."""
    wait = attempts.wait_seconds(now)
    if wait > 0:
        raise UserFacingError("auth.throttled", seconds=wait)
    with uow_factory() as uow:
        stored = uow.operators.password_hash(actor.username)
    if stored is None or not passwords.verify_password(stored, password):
        attempts.record_failure(actor.username, now)
        return False
    return True


def verify_password(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    attempts: AttemptCounter,
    password: str,
    now: datetime,
) -> bool:
    """Check the operator's password again at the lock screen.

    Same rules as at login: failures are counted outside the database and slow down further
    attempts; the next success writes them to the audit log with the unlock.
    """
    if not _own_password_ok(
        uow_factory, actor=actor, attempts=attempts, password=password, now=now
    ):
        return False
    with uow_factory() as uow:
        flush_failures(uow, attempts=attempts)
        _audit(uow, actor=actor, action=AuditAction.UNLOCK, username=actor.username, at=now)
        uow.commit()
    attempts.clear()
    return True


def add_operator(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    keys: KeySlots,
    wrap: KeyWrapper,
    kdf: KdfParams,
    username: str,
    full_name: str,
    roles: frozenset[Role],
    password: str,
    qualifica: str = "",
    now: datetime,
) -> Operator:
    """Create another operator account with its own wrapped key slot (admin only)."""
    actor.require(Permission.MANAGE_OPERATORS)
    validate_username(username)
    if not roles:
        raise UserFacingError("auth.roles_required")
    qualifica = clean_qualifica(qualifica)
    passwords.check_password_policy(password)
    operator = Operator(OperatorId(new_id()), username, " ".join(full_name.split()), roles,
                        True, now, qualifica)  # fmt: skip
    with uow_factory() as uow:
        if uow.operators.get_by_username(username) is not None:
            raise UserFacingError("auth.username_taken")
        uow.operators.add(operator, passwords.hash_password(password, kdf))
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type="operator",
            entity_id=username,
            at=now,
        )
        slot = operator_slot(username)
        keys.put(slot, wrap.wrap(slot, password))
        uow.commit()
    return operator


def list_operators(uow_factory: UnitOfWorkFactory, *, actor: Actor) -> list[Operator]:
    actor.require(Permission.MANAGE_OPERATORS)
    with uow_factory() as uow:
        return uow.operators.list()


def update_operator(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    username: str,
    full_name: str,
    qualifica: str,
    now: datetime,
) -> Operator:
    """An admin corrects an operator's full name and qualifica (the username stays)."""
    actor.require(Permission.MANAGE_OPERATORS)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise UserFacingError("auth.full_name_missing")
    qualifica = clean_qualifica(qualifica)
    with uow_factory() as uow:
        operator = uow.operators.get_by_username(username)
        if operator is None:
            raise UserFacingError("auth.unknown_operator")
        uow.operators.set_details(operator.username, full_name=full_name, qualifica=qualifica)
        _audit(uow, actor=actor, action=AuditAction.UPDATE, username=operator.username, at=now)
        uow.commit()
    return replace(operator, full_name=full_name, qualifica=qualifica)


def set_operator_password(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    keys: KeySlots,
    wrap: KeyWrapper,
    kdf: KdfParams,
    username: str,
    password: str,
    now: datetime,
) -> None:
    """An admin sets a new password for an operator (also re-enables a disabled one)."""
    actor.require(Permission.MANAGE_OPERATORS)
    passwords.check_password_policy(password)
    with uow_factory() as uow:
        if uow.operators.get_by_username(username) is None:
            raise UserFacingError("auth.unknown_operator")
        uow.operators.set_password_hash(username, passwords.hash_password(password, kdf))
        uow.operators.set_active(username, True)
        _audit(uow, actor=actor, action=AuditAction.UPDATE, username=username, at=now)
        slot = operator_slot(username)
        keys.put(slot, wrap.wrap(slot, password))
        uow.commit()


def change_own_password(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    keys: KeySlots,
    wrap: KeyWrapper,
    attempts: AttemptCounter,
    kdf: KdfParams,
    old_password: str,
    new_password: str,
    now: datetime,
) -> None:
    """Same guard as the lock screen: wrong old passwords are counted and slow down."""
    passwords.check_password_policy(new_password)
    if not _own_password_ok(
        uow_factory, actor=actor, attempts=attempts, password=old_password, now=now
    ):
        raise UserFacingError("auth.wrong_credentials")
    with uow_factory() as uow:
        flush_failures(uow, attempts=attempts)
        uow.operators.set_password_hash(actor.username, passwords.hash_password(new_password, kdf))
        _audit(uow, actor=actor, action=AuditAction.UPDATE, username=actor.username, at=now)
        slot = operator_slot(actor.username)
        keys.put(slot, wrap.wrap(slot, new_password))
        uow.commit()
    attempts.clear()


def disable_operator(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    keys: KeySlots,
    username: str,
    now: datetime,
) -> None:
    """Someone who leaves: the account is kept for the audit trail, its key slot removed, so
    the password no longer opens the store even with a copy of the key file."""
    actor.require(Permission.MANAGE_OPERATORS)
    if username.casefold() == actor.username.casefold():
        raise UserFacingError("auth.cannot_disable_self")
    with uow_factory() as uow:
        if uow.operators.get_by_username(username) is None:
            raise UserFacingError("auth.unknown_operator")
        uow.operators.set_active(username, False)
        _audit(uow, actor=actor, action=AuditAction.UPDATE, username=username, at=now)
        keys.delete(operator_slot(username))
        uow.commit()
