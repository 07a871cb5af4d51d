"""The life of a store directory: create, unlock, recover, back up, restore.

This is the one place that knows how keys, key stores, the encrypted engine and migrations fit
together. Personal data never appear in what it raises or logs: only codes and file names.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text

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
from caseworker_app.security import passwords
from caseworker_app.security.attempts import AttemptLog
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
from caseworker_app.security.keystore import (
    KeyStore,
    KeyStoreKind,
    choose_keystore_kind,
    open_keystore,
)
from caseworker_app.services import audit_log
from caseworker_app.services.gateway import SetupRequest
from caseworker_app.services.ports import Installation
from caseworker_app.store import migrate
from caseworker_app.store.backup import (
    extract_verified,
)
from caseworker_app.store.engine import make_engine
from caseworker_app.store.layout import StoreLayout, StoreMeta
from caseworker_app.store.uow import SqlUnitOfWork, SqlUnitOfWorkFactory
from caseworker_app.store.workspace import OpenStore

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Vault:
    """A store directory (implements services.gateway.StoreGateway)."""

    def __init__(
        self,
        root: Path,
        *,
        kdf: KdfParams | None = None,
        keystore_preference: str | None = None,
        clock: Clock = _now,
    ) -> None:
        self.layout = StoreLayout(Path(root).expanduser())
        self.kdf = kdf or KdfParams()
        self.keystore_preference = keystore_preference
        self.clock = clock
        self.attempts = AttemptLog(self.layout.attempts)

    @property
    def root(self) -> Path:
        return self.layout.root

    def exists(self) -> bool:
        return self.layout.exists()

    def keystore_kind(self) -> str:
        return self.layout.read_meta().keystore.value

    def operator_names(self) -> list[str]:
        """Operators that have a key slot (names only; no database access needed)."""
        meta = self.layout.read_meta()
        prefix = operator_slot("")
        return sorted(s[len(prefix) :] for s in self.keystore(meta).slots() if s.startswith(prefix))

    def default_operator(self) -> str:
        """The operator to use when none is named: ``CASEWORKER_OPERATOR`` or the only one."""
        named = os.environ.get("CASEWORKER_OPERATOR")
        if named:
            return named
        names = self.operator_names()
        if len(names) != 1:
            raise UserFacingError("cli.operator_required")
        return names[0]

    def keystore(self, meta: StoreMeta) -> KeyStore:
        return open_keystore(meta.keystore, store_id=meta.store_id, keyfile=self.layout.keyfile)

    # -- setup -----------------------------------------------------------------------------

    def create(self, request: SetupRequest) -> tuple[OpenStore, str]:
        """Create the store, its first operator (admin + assistente sociale) and recovery code."""
        if self.layout.exists():
            raise UserFacingError("store.already_exists", path=str(self.layout.root))
        validate_username(request.username)
        passwords.check_password_policy(request.password)
        clean_qualifica(request.qualifica)  # refused before anything is written
        if request.role not in ("comune", "capofila"):
            raise UserFacingError("setup.role_invalid")
        self.layout.ensure_writable()
        now = self.clock()
        meta = StoreMeta(new_id(), choose_keystore_kind(self.keystore_preference), now)
        key = new_database_key()
        recovery_code = new_recovery_code()
        keystore = self.keystore(meta)
        try:
            keystore.put(
                RECOVERY_SLOT,
                wrap_key(
                    key, recovery_code, store_id=meta.store_id, slot=RECOVERY_SLOT, params=self.kdf
                ),
            )
            slot = operator_slot(request.username)
            keystore.put(
                slot,
                wrap_key(key, request.password, store_id=meta.store_id, slot=slot, params=self.kdf),
            )
            engine = make_engine(self.layout.db, key)
            migrate.upgrade(
                engine, db_path=self.layout.db, key=key, backup_dir=self.layout.backups, now=now
            )
            roles = first_operator_roles(request.role)
            qualifica = clean_qualifica(request.qualifica) or default_qualifica(roles)
            operator = Operator(
                OperatorId(new_id()), request.username, request.full_name, roles, True, now,
                qualifica,
            )  # fmt: skip
            uow_factory = SqlUnitOfWorkFactory(engine)
            with uow_factory() as uow:
                uow.installation.create(
                    Installation(meta.store_id, request.role, request.ambito, request.comune, now)
                )
                uow.operators.add(operator, passwords.hash_password(request.password, self.kdf))
                audit_log.record(
                    uow,
                    actor=SYSTEM,
                    action=AuditAction.CREATE,
                    entity_type="store",
                    entity_id=meta.store_id,
                    at=now,
                )
                audit_log.record(
                    uow,
                    actor=SYSTEM,
                    action=AuditAction.CREATE,
                    entity_type="operator",
                    entity_id=request.username,
                    at=now,
                )
                uow.commit()
            # store.json last: until it exists the directory is not a store, so a failed setup
            # can simply be retried.
            self.layout.write_meta(meta)
        except BaseException:
            self._undo_partial_create(meta)
            raise
        actor = Actor(operator.username, operator.roles)
        return OpenStore(vault=self, engine=engine, key=key, actor=actor, meta=meta), recovery_code

    def _undo_partial_create(self, meta: StoreMeta) -> None:
        for path in (
            self.layout.db,
            self.layout.db.with_name(self.layout.db.name + "-wal"),
            self.layout.db.with_name(self.layout.db.name + "-shm"),
            self.layout.keyfile,
        ):
            path.unlink(missing_ok=True)
        if meta.keystore is KeyStoreKind.KEYRING:
            try:
                ks = self.keystore(meta)
                for slot in list(ks.slots()):
                    ks.delete(slot)
            except UserFacingError:
                pass

    # -- unlock ----------------------------------------------------------------------------

    def _open_engine(self, meta: StoreMeta, key: bytes) -> Engine:
        if not self.layout.db.exists():
            raise UserFacingError("store.db_missing", file=self.layout.db.name)
        try:
            engine = make_engine(self.layout.db, key)
            with engine.connect() as conn:
                result = conn.execute(text("PRAGMA quick_check")).scalar()
                conn.rollback()
        except UserFacingError as exc:
            # The key was authenticated by AEAD, so a file it cannot open is damaged.
            raise UserFacingError("store.corrupt", file=self.layout.db.name) from exc
        except Exception as exc:
            raise UserFacingError("store.corrupt", file=self.layout.db.name) from exc
        if result != "ok":
            engine.dispose()
            raise UserFacingError("store.corrupt", file=self.layout.db.name)
        try:
            migrate.upgrade(
                engine,
                db_path=self.layout.db,
                key=key,
                backup_dir=self.layout.backups,
                now=self.clock(),
            )
        except BaseException:
            engine.dispose()
            raise
        return engine

    def unlock(self, username: str, password: str) -> OpenStore:
        meta = self.layout.read_meta()
        now = self.clock()
        wait = self.attempts.wait_seconds(now)
        if wait > 0:
            raise UserFacingError("auth.throttled", seconds=wait)
        blob = self.keystore(meta).get(operator_slot(username))
        key = (
            None
            if blob is None
            else unwrap_key(blob, password, store_id=meta.store_id, slot=operator_slot(username))
        )
        if key is None:
            # Nothing is written to the database on a wrong password: the failure is counted
            # beside it and audited at the next successful unlock.
            self.attempts.record_failure(username, now)
            raise UserFacingError("auth.wrong_credentials")
        engine = self._open_engine(meta, key)
        uow_factory = SqlUnitOfWorkFactory(engine)
        with uow_factory() as uow:
            operator = uow.operators.get_by_username(username)
            stored = uow.operators.password_hash(username)
            if (
                operator is None
                or not operator.active
                or stored is None
                or not passwords.verify_password(stored, password)
            ):
                engine.dispose()
                self.attempts.record_failure(username, now)
                raise UserFacingError("auth.wrong_credentials")
            self.flush_failures(uow)
            audit_log.record(
                uow,
                actor=operator.username,
                action=AuditAction.LOGIN,
                entity_type="operator",
                entity_id=operator.username,
                at=now,
            )
            uow.commit()
        self.attempts.clear()
        return OpenStore(
            vault=self,
            engine=engine,
            key=key,
            actor=Actor(operator.username, operator.roles),
            meta=meta,
        )

    def flush_failures(self, uow: SqlUnitOfWork) -> None:
        for failure in self.attempts.read():
            audit_log.record(
                uow,
                actor=failure.operator,
                action=AuditAction.LOGIN_FAILED,
                entity_type="operator",
                entity_id=failure.operator,
                at=failure.at,
            )

    def unlock_key_with_recovery(self, recovery_code: str) -> tuple[StoreMeta, bytes]:
        meta = self.layout.read_meta()
        code = normalize_recovery_code(recovery_code)
        blob = self.keystore(meta).get(RECOVERY_SLOT)
        if blob is None:
            raise UserFacingError("keys.recovery_slot_missing")
        key = unwrap_key(blob, code, store_id=meta.store_id, slot=RECOVERY_SLOT)
        if key is None:
            raise UserFacingError("keys.recovery_code_wrong")
        return meta, key

    def recover(self, recovery_code: str, username: str, new_password: str) -> OpenStore:
        """Every password forgotten: the recovery code sets a new password for an operator."""
        passwords.check_password_policy(new_password)
        meta, key = self.unlock_key_with_recovery(recovery_code)
        engine = self._open_engine(meta, key)
        uow_factory = SqlUnitOfWorkFactory(engine)
        now = self.clock()
        with uow_factory() as uow:
            operator = uow.operators.get_by_username(username)
            if operator is None:
                engine.dispose()
                raise UserFacingError("auth.unknown_operator")
            uow.operators.set_password_hash(
                username, passwords.hash_password(new_password, self.kdf)
            )
            self.keystore(meta).put(
                operator_slot(username),
                wrap_key(
                    key,
                    new_password,
                    store_id=meta.store_id,
                    slot=operator_slot(username),
                    params=self.kdf,
                ),
            )
            self.flush_failures(uow)
            audit_log.record(
                uow,
                actor=operator.username,
                action=AuditAction.RECOVERY,
                entity_type="operator",
                entity_id=operator.username,
                at=now,
            )
            uow.commit()
        self.attempts.clear()
        return OpenStore(
            vault=self,
            engine=engine,
            key=key,
            actor=Actor(operator.username, operator.roles),
            meta=meta,
        )

    # -- restore ---------------------------------------------------------------------------

    def restore(self, archive: Path, recovery_code: str, *, replace_existing: bool) -> None:
        """Rebuild this store from a backup archive, unlocked by the recovery code.

        An existing store is never overwritten: with ``replace_existing`` its files are moved
        aside into ``replaced-<time>/`` (e.g. a damaged database), otherwise restore refuses.
        """
        code = normalize_recovery_code(recovery_code)
        now = self.clock()
        if self.layout.exists():
            if not replace_existing:
                raise UserFacingError("store.already_exists", path=str(self.layout.root))
            self._move_aside(now)
        self.layout.ensure_writable()
        manifest, key = extract_verified(Path(archive).expanduser(), code, self.layout.db)
        try:
            meta = StoreMeta(manifest.store_id, choose_keystore_kind(self.keystore_preference), now)
            keystore = self.keystore(meta)
            for slot, blob in manifest.slots.items():
                keystore.put(slot, blob)
            engine = make_engine(self.layout.db, key)
            try:
                migrate.upgrade(
                    engine, db_path=self.layout.db, key=key, backup_dir=self.layout.backups, now=now
                )
                with SqlUnitOfWorkFactory(engine)() as uow:
                    audit_log.record(
                        uow,
                        actor=SYSTEM,
                        action=AuditAction.RESTORE,
                        entity_type="store",
                        entity_id=manifest.store_id,
                        at=now,
                    )
                    uow.commit()
            finally:
                engine.dispose()
            self.layout.write_meta(meta)
        except BaseException:
            self._undo_partial_create(StoreMeta(manifest.store_id, KeyStoreKind.FILE, now))
            raise

    def _move_aside(self, now: datetime) -> None:
        aside = self.layout.root / f"replaced-{now.strftime('%Y%m%d-%H%M%S')}"
        aside.mkdir(parents=True, exist_ok=False)
        for path in list(self.layout.root.iterdir()):
            if path.name.startswith("replaced-") or path == aside:
                continue
            shutil.move(str(path), aside / path.name)
        if hasattr(os, "sync"):
            os.sync()
