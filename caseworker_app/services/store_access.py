"""Into a store: one path for the operator's password and for the recovery code.

Both ways in share every step: the throttle, the key slot, the unwrapping of the database key,
the opening of the database (through the store-files port, which checks it is whole first), the
audit of the failures counted since the last success, the audit of this success. A failure is
counted only when the secret is wrong; a damaged, missing or foreign file is refused with its own
message and counts nothing. With the recovery code the operator chooses a new password: its
policy is checked before any key work, and the operator's key slot is wrapped again under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor, Operator
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.ports.store_files import (
    AttemptCounter,
    DatabaseT_co,
    KeySlots,
    MetaT,
    StoreFiles,
)
from caseworker_app.security import passwords
from caseworker_app.security.keys import (
    RECOVERY_SLOT,
    KdfParams,
    normalize_recovery_code,
    operator_slot,
    unwrap_key,
    wrap_key,
)
from caseworker_app.services import audit_log


@dataclass(frozen=True)
class PasswordCredential:
    """An operator's username and password, as typed at login."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class RecoveryCredential:
    """The recovery code, the operator who forgot the password, and the new password."""

    recovery_code: str = field(repr=False)
    username: str
    new_password: str = field(repr=False)


Credential = PasswordCredential | RecoveryCredential


@dataclass(frozen=True)
class StoreSession(Generic[MetaT, DatabaseT_co]):
    """A store opened for one operator: the adapter wraps it in its workspace."""

    meta: MetaT
    key: bytes = field(repr=False)
    database: DatabaseT_co
    operator: Operator

    @property
    def actor(self) -> Actor:
        return Actor(self.operator.username, self.operator.roles)


def open_session(
    *,
    store: StoreFiles[MetaT, DatabaseT_co],
    attempts: AttemptCounter,
    credential: Credential,
    kdf: KdfParams,
    now: datetime,
) -> StoreSession[MetaT, DatabaseT_co]:
    """Open the store with a password or the recovery code; audit LOGIN or RECOVERY."""
    if isinstance(credential, RecoveryCredential):
        passwords.check_password_policy(credential.new_password)
    meta = store.read_meta()
    if isinstance(credential, RecoveryCredential):
        secret, slot = normalize_recovery_code(credential.recovery_code), RECOVERY_SLOT
    else:
        secret, slot = credential.password, operator_slot(credential.username)
    store.check_usable()
    wait = attempts.wait_seconds(now)
    if wait > 0:
        raise UserFacingError("auth.throttled", seconds=wait)
    keys = store.keystore(meta)
    key = _unwrap(keys, slot, secret, store_id=meta.store_id)
    if key is None:
        # Nothing is written to the database on a wrong secret: the failure is counted beside
        # it and audited at the next success.
        attempts.record_failure(credential.username, now)
        raise UserFacingError(_wrong_secret(credential))
    database = store.open_database(meta, key)
    try:
        with database.uow_factory() as uow:
            operator = uow.operators.get_by_username(credential.username)
            if isinstance(credential, RecoveryCredential):
                if operator is None:
                    raise UserFacingError("auth.unknown_operator")
                if not operator.active:  # an admin disabled it: the code does not reopen it
                    raise UserFacingError("auth.operator_disabled", username=operator.username)
                _set_password(
                    uow, keys, operator, credential.new_password, key=key, meta=meta, kdf=kdf
                )
                action = AuditAction.RECOVERY
            else:
                stored = uow.operators.password_hash(credential.username)
                if (
                    operator is None
                    or not operator.active
                    or stored is None
                    or not passwords.verify_password(stored, credential.password)
                ):
                    attempts.record_failure(credential.username, now)
                    raise UserFacingError("auth.wrong_credentials")
                action = AuditAction.LOGIN
            flush_failures(uow, attempts=attempts)
            audit_log.record(
                uow,
                actor=operator.username,
                action=action,
                entity_type="operator",
                entity_id=operator.username,
                at=now,
            )
            uow.commit()
    except BaseException:
        database.dispose()
        raise
    attempts.clear()
    return StoreSession(meta=meta, key=key, database=database, operator=operator)


def recovery_key(
    *, store: StoreFiles[MetaT, DatabaseT_co], recovery_code: str
) -> tuple[MetaT, bytes]:
    """The database key the recovery code unwraps (no database is opened, nothing counted)."""
    meta = store.read_meta()
    code = normalize_recovery_code(recovery_code)
    key = _unwrap(store.keystore(meta), RECOVERY_SLOT, code, store_id=meta.store_id)
    if key is None:
        raise UserFacingError("keys.recovery_code_wrong")
    return meta, key


def flush_failures(uow: UnitOfWork, *, attempts: AttemptCounter) -> None:
    """Write the failed attempts counted beside the database into the audit log (the caller
    commits, then clears the counter)."""
    for failure in attempts.read():
        audit_log.record(
            uow,
            actor=failure.operator,
            action=AuditAction.LOGIN_FAILED,
            entity_type="operator",
            entity_id=failure.operator,
            at=failure.at,
        )


def _unwrap(keys: KeySlots, slot: str, secret: str, *, store_id: str) -> bytes | None:
    """The key, or None when the secret is wrong (an operator without a slot: the same answer).
    A missing recovery slot or a damaged blob is its own refusal, never a wrong secret."""
    blob = keys.get(slot)
    if blob is None:
        if slot == RECOVERY_SLOT:
            raise UserFacingError("keys.recovery_slot_missing")
        return None
    return unwrap_key(blob, secret, store_id=store_id, slot=slot)


def _wrong_secret(credential: Credential) -> str:
    if isinstance(credential, RecoveryCredential):
        return "keys.recovery_code_wrong"
    return "auth.wrong_credentials"


def _set_password(
    uow: UnitOfWork,
    keys: KeySlots,
    operator: Operator,
    new_password: str,
    *,
    key: bytes,
    meta: MetaT,
    kdf: KdfParams,
) -> None:
    """The operator's new password hash, and the key wrapped again under it in their slot."""
    slot = operator_slot(operator.username)
    uow.operators.set_password_hash(operator.username, passwords.hash_password(new_password, kdf))
    keys.put(slot, wrap_key(key, new_password, store_id=meta.store_id, slot=slot, params=kdf))
