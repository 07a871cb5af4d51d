"""An unlocked store, as one operator uses it (implements services.gateway.Workspace)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from caseworker_app import __version__
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import OperatorId, new_id
from caseworker_app.domain.operator import Actor, Operator, clean_qualifica, validate_username
from caseworker_app.domain.roles import Permission, Role
from caseworker_app.security import passwords
from caseworker_app.security.keys import operator_slot, wrap_key
from caseworker_app.services import audit_log
from caseworker_app.services.gateway import BackupReport
from caseworker_app.store import commits, migrate
from caseworker_app.store.backup import BackupManifest, default_backup_name, write_backup
from caseworker_app.store.layout import StoreMeta
from caseworker_app.store.uow import SqlUnitOfWork, SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from caseworker_app.store.vault import Vault

log = logging.getLogger(__name__)


class OpenStore:
    """An unlocked store for one operator (implements services.gateway.Workspace)."""

    def __init__(
        self, *, vault: Vault, engine: Engine, key: bytes, actor: Actor, meta: StoreMeta
    ) -> None:
        self._vault = vault
        self.engine = engine
        self._key = key
        self.actor = actor
        self.meta = meta
        self.uow_factory: SqlUnitOfWorkFactory = vault.uow_factory(engine)
        self._closed = False

    @property
    def keystore_kind(self) -> str:
        return self.meta.keystore.value

    @property
    def root(self) -> Path:
        return self._vault.layout.root

    def verify_password(self, password: str) -> bool:
        """Check the operator's password again at the lock screen.

        Same rules as at login: failures are counted outside the database and slow down further
        attempts; the next success writes them to the audit log with the unlock.
        """
        now = self._vault.clock()
        if not self._own_password_ok(password, now):
            return False
        with self.uow_factory() as uow:
            self._vault.flush_failures(uow)
            self._audit(uow, AuditAction.UNLOCK, self.actor.username, now)
            uow.commit()
        self._vault.attempts.clear()
        return True

    def _own_password_ok(self, password: str, now: datetime) -> bool:
        """Check the acting operator's password as at login: throttled after failures, which
        are counted outside the database (the caller flushes them on success)."""
        wait = self._vault.attempts.wait_seconds(now)
        if wait > 0:
            raise UserFacingError("auth.throttled", seconds=wait)
        with self.uow_factory() as uow:
            stored = uow.operators.password_hash(self.actor.username)
        if stored is None or not passwords.verify_password(stored, password):
            self._vault.attempts.record_failure(self.actor.username, now)
            return False
        return True

    def backup(self, target: Path) -> BackupReport:
        now = self._vault.clock()
        with self.engine.connect() as conn:
            revision = migrate.current_revision(conn)
        slots = self._vault.keystore(self.meta).slots()
        manifest = BackupManifest(self.meta.store_id, now, revision, __version__, slots)
        target = target.expanduser()
        final = target / default_backup_name(now) if target.is_dir() else target
        write_backup(self.engine, self._key, final, manifest=manifest)
        with self.uow_factory() as uow:
            audit_log.record(
                uow,
                actor=self.actor,
                action=AuditAction.BACKUP,
                entity_type="store",
                entity_id=self.meta.store_id,
                at=now,
            )
            uow.commit()
        return BackupReport(final, now)

    def last_backup_at(self) -> datetime | None:
        """When a copy of this store last existed elsewhere: a backup, or the restore itself."""
        with self.uow_factory() as uow:
            event = uow.audit.last_of(AuditAction.BACKUP.value, AuditAction.RESTORE.value)
        return event.at if event else None

    def add_operator(
        self,
        *,
        username: str,
        full_name: str,
        roles: frozenset[Role],
        password: str,
        qualifica: str = "",
    ) -> Operator:
        """Create another operator account with its own wrapped key slot (admin only)."""
        self.actor.require(Permission.MANAGE_OPERATORS)
        validate_username(username)
        if not roles:
            raise UserFacingError("auth.roles_required")
        qualifica = clean_qualifica(qualifica)
        passwords.check_password_policy(password)
        now = self._vault.clock()
        operator = Operator(OperatorId(new_id()), username, " ".join(full_name.split()), roles,
                            True, now, qualifica)  # fmt: skip
        with self.uow_factory() as uow:
            if uow.operators.get_by_username(username) is not None:
                raise UserFacingError("auth.username_taken")
            uow.operators.add(operator, passwords.hash_password(password, self._vault.kdf))
            audit_log.record(
                uow,
                actor=self.actor,
                action=AuditAction.CREATE,
                entity_type="operator",
                entity_id=username,
                at=now,
            )
            self._vault.keystore(self.meta).put(
                operator_slot(username),
                wrap_key(
                    self._key,
                    password,
                    store_id=self.meta.store_id,
                    slot=operator_slot(username),
                    params=self._vault.kdf,
                ),
            )
            uow.commit()
        return operator

    # -- operator accounts (admin) ------------------------------------------------------------

    def _wrap_for(self, username: str, password: str) -> str:
        return wrap_key(
            self._key,
            password,
            store_id=self.meta.store_id,
            slot=operator_slot(username),
            params=self._vault.kdf,
        )

    def _audit(self, uow: SqlUnitOfWork, action: AuditAction, username: str, now: datetime) -> None:
        audit_log.record(
            uow,
            actor=self.actor,
            action=action,
            entity_type="operator",
            entity_id=username,
            at=now,
        )

    def list_operators(self) -> list[Operator]:
        self.actor.require(Permission.MANAGE_OPERATORS)
        with self.uow_factory() as uow:
            return uow.operators.list()

    def update_operator(self, *, username: str, full_name: str, qualifica: str) -> Operator:
        """An admin corrects an operator's full name and qualifica (the username stays)."""
        self.actor.require(Permission.MANAGE_OPERATORS)
        full_name = " ".join(full_name.split())
        if not full_name:
            raise UserFacingError("auth.full_name_missing")
        qualifica = clean_qualifica(qualifica)
        now = self._vault.clock()
        with self.uow_factory() as uow:
            operator = uow.operators.get_by_username(username)
            if operator is None:
                raise UserFacingError("auth.unknown_operator")
            uow.operators.set_details(operator.username, full_name=full_name, qualifica=qualifica)
            self._audit(uow, AuditAction.UPDATE, operator.username, now)
            uow.commit()
        return replace(operator, full_name=full_name, qualifica=qualifica)

    def set_operator_password(self, *, username: str, password: str) -> None:
        """An admin sets a new password for an operator (also re-enables a disabled one)."""
        self.actor.require(Permission.MANAGE_OPERATORS)
        passwords.check_password_policy(password)
        now = self._vault.clock()
        with self.uow_factory() as uow:
            if uow.operators.get_by_username(username) is None:
                raise UserFacingError("auth.unknown_operator")
            uow.operators.set_password_hash(
                username, passwords.hash_password(password, self._vault.kdf)
            )
            uow.operators.set_active(username, True)
            self._audit(uow, AuditAction.UPDATE, username, now)
            self._vault.keystore(self.meta).put(
                operator_slot(username), self._wrap_for(username, password)
            )
            uow.commit()

    def change_own_password(self, *, old_password: str, new_password: str) -> None:
        """Same guard as the lock screen: wrong old passwords are counted and slow down."""
        passwords.check_password_policy(new_password)
        now = self._vault.clock()
        if not self._own_password_ok(old_password, now):
            raise UserFacingError("auth.wrong_credentials")
        with self.uow_factory() as uow:
            self._vault.flush_failures(uow)
            uow.operators.set_password_hash(
                self.actor.username, passwords.hash_password(new_password, self._vault.kdf)
            )
            self._audit(uow, AuditAction.UPDATE, self.actor.username, now)
            self._vault.keystore(self.meta).put(
                operator_slot(self.actor.username),
                self._wrap_for(self.actor.username, new_password),
            )
            uow.commit()
        self._vault.attempts.clear()

    def disable_operator(self, *, username: str) -> None:
        """Someone who leaves: the account is kept for the audit trail, its key slot removed,
        so the password no longer opens the store even with a copy of the key file."""
        self.actor.require(Permission.MANAGE_OPERATORS)
        if username.casefold() == self.actor.username.casefold():
            raise UserFacingError("auth.cannot_disable_self")
        now = self._vault.clock()
        with self.uow_factory() as uow:
            if uow.operators.get_by_username(username) is None:
                raise UserFacingError("auth.unknown_operator")
            uow.operators.set_active(username, False)
            self._audit(uow, AuditAction.UPDATE, username, now)
            self._vault.keystore(self.meta).delete(operator_slot(username))
            uow.commit()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database (when idle, after bulk work, on close)."""
        try:
            commits.checkpoint(self.engine)
        except (DBAPIError, UserFacingError):
            log.warning("the write-ahead log could not be folded in now; it will be next time")

    def close(self) -> None:
        """Close the store as one self-contained file (the WAL folded in and emptied)."""
        if self._closed:
            return
        self._closed = True
        self.checkpoint()
        self.engine.dispose()
