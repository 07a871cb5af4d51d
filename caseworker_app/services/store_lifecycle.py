"""The life of a store beyond login: creation, backup and restore, over the store-files ports.

The policy lives here (what is checked, in which order, what is audited, what a failure leaves
behind); the adapters in store/ only know files, keys and databases. Creation refuses bad input
before anything is written and removes what a failed setup left. A restore verifies everything
(the recovery code against the backup's own key slot, the archive, its decryption and integrity,
the schema upgrade) in a staging folder and only then swaps it in, so that on any failure the
existing store is exactly where and as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Generic

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import OperatorId, new_id
from caseworker_app.domain.operator import (
    SYSTEM,
    Actor,
    Operator,
    clean_qualifica,
    default_qualifica,
    first_operator_roles,
    validate_username,
)
from caseworker_app.ports.gateway import BackupReport, RestoreReport, SetupRequest
from caseworker_app.ports.storage import Installation, UnitOfWorkFactory
from caseworker_app.ports.store_files import (
    BackupContents,
    BackupWriter,
    DatabaseT,
    DatabaseT_co,
    MetaT,
    NewStoreFiles,
    RestoreFiles,
    StageT,
)
from caseworker_app.security import passwords
from caseworker_app.security.keys import (
    RECOVERY_SLOT,
    KdfParams,
    new_database_key,
    new_recovery_code,
    normalize_recovery_code,
    operator_slot,
    unwrap_key,
    wrap_key,
)
from caseworker_app.services import audit_log, installation_keys
from caseworker_app.services.store_access import StoreSession

ROLES = ("comune", "capofila")


@dataclass(frozen=True)
class CreatedStore(Generic[MetaT, DatabaseT_co]):
    """The new store opened for its first operator, and the recovery code to print once."""

    session: StoreSession[MetaT, DatabaseT_co]
    recovery_code: str = field(repr=False)


def check_setup_request(request: SetupRequest) -> None:
    """Everything the setup form asks, refused with the field named before anything is written."""
    validate_username(request.username)
    passwords.check_password_policy(request.password)
    clean_qualifica(request.qualifica)
    if request.role not in ROLES:
        raise UserFacingError("setup.role_invalid")


def create_store(
    *,
    store: NewStoreFiles[MetaT, DatabaseT],
    request: SetupRequest,
    kdf: KdfParams,
    now: datetime,
) -> CreatedStore[MetaT, DatabaseT]:
    """A new store: its key wrapped for the recovery code and the first operator, the schema,
    the installation with its transmission keys, the first operator (admin + the role's
    operator), audited."""
    check_setup_request(request)
    meta = store.begin(now)
    key = new_database_key()
    recovery_code = new_recovery_code()
    try:
        keys = store.keystore(meta)
        keys.put(
            RECOVERY_SLOT,
            wrap_key(key, recovery_code, store_id=meta.store_id, slot=RECOVERY_SLOT, params=kdf),
        )
        slot = operator_slot(request.username)
        keys.put(
            slot, wrap_key(key, request.password, store_id=meta.store_id, slot=slot, params=kdf)
        )
        database = store.create_database(meta, key, now)
        try:
            operator = _first_operator(request, now)
            with database.uow_factory() as uow:
                uow.installation.create(
                    Installation(meta.store_id, request.role, request.ambito, request.comune, now)
                )
                uow.operators.add(operator, passwords.hash_password(request.password, kdf))
                # the installation's transmission keys, inside the store from its first day
                installation_keys.ensure_own_keys(uow, now=now)
                for entity_type, entity_id in (
                    ("store", meta.store_id),
                    ("operator", request.username),
                ):
                    audit_log.record(
                        uow,
                        actor=SYSTEM,
                        action=AuditAction.CREATE,
                        entity_type=entity_type,
                        entity_id=entity_id,
                        at=now,
                    )
                uow.commit()
            store.finish(meta, database)
        except BaseException:
            database.dispose()
            raise
    except BaseException:
        store.abandon(meta)
        raise
    session = StoreSession(meta=meta, key=key, database=database, operator=operator)
    return CreatedStore(session=session, recovery_code=recovery_code)


def _first_operator(request: SetupRequest, now: datetime) -> Operator:
    roles = first_operator_roles(request.role)
    qualifica = clean_qualifica(request.qualifica) or default_qualifica(roles)
    return Operator(
        OperatorId(new_id()), request.username, request.full_name, roles, True, now, qualifica
    )


def backup_store(
    *,
    uow_factory: UnitOfWorkFactory,
    writer: BackupWriter,
    actor: Actor,
    store_id: str,
    target: Path,
    now: datetime,
) -> BackupReport:
    """An encrypted copy of the open store, with the audit chain's head in its manifest (a copy
    of the register outside the database, against which ``audit verify --anchor`` checks that
    the chain was not rewritten); the backup is audited in the store."""
    head = audit_log.audit_head(uow_factory())
    written = writer.write(target, now=now, audit_head=head)
    with uow_factory() as uow:
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.BACKUP,
            entity_type="store",
            entity_id=store_id,
            at=now,
        )
        uow.commit()
    return BackupReport(written, now)


def restore_store(
    *,
    store: RestoreFiles[StageT],
    archive: Path,
    recovery_code: str,
    replace_existing: bool,
    now: datetime,
) -> RestoreReport:
    """Rebuild the store from a backup archive, unlocked by the recovery code.

    An existing store is never overwritten: with ``replace_existing`` it is kept whole beside
    the new one (the report says where), otherwise the restore is refused.
    """
    code = normalize_recovery_code(recovery_code)
    existing = store.prepare(replace_existing=replace_existing)
    backup = store.read_backup(archive)
    key = _backup_key(backup, code, archive=archive)
    stage = store.stage()
    try:
        stage.extract(archive, key)
        database = stage.open_database(key, now)
        try:
            with database.uow_factory() as uow:
                audit_log.record(
                    uow,
                    actor=SYSTEM,
                    action=AuditAction.RESTORE,
                    entity_type="store",
                    entity_id=backup.store_id,
                    at=now,
                )
                uow.commit()
            stage.seal(backup, database)
        finally:
            database.dispose()
    except BaseException:
        stage.discard()
        raise
    previous = store.put_key_slots(backup.store_id, backup.slots)
    try:
        replaced = store.swap_in(stage, existing=existing, now=now)
    except BaseException:
        if previous is not None:
            store.put_key_slots(backup.store_id, previous, replace_all=True)
        stage.discard()
        raise
    return RestoreReport(store.root, replaced)


def _backup_key(backup: BackupContents, code: str, *, archive: Path) -> bytes:
    """The database key of a backup, unwrapped from its own recovery slot by the code."""
    blob = backup.slots.get(RECOVERY_SLOT)
    if blob is None:
        raise UserFacingError("backup.corrupt", file=archive.name)
    key = unwrap_key(blob, code, store_id=backup.store_id, slot=RECOVERY_SLOT)
    if key is None:
        raise UserFacingError("keys.recovery_code_wrong")
    return key
