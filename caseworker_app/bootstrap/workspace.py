"""An unlocked store, as one operator uses it (implements ports.gateway.Workspace)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from caseworker_app import __version__
from caseworker_app.domain.audit import AuditAction, AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor, Operator
from caseworker_app.domain.roles import Role
from caseworker_app.ports.gateway import BackupReport
from caseworker_app.ports.store_files import KeySlots, KeyWrapper
from caseworker_app.security.keys import KdfParams, wrap_key
from caseworker_app.services import avviso_editions, operator_accounts, store_lifecycle
from caseworker_app.store import commits, migrate
from caseworker_app.store.backup import BackupManifest, default_backup_name, write_backup
from caseworker_app.store.layout import StoreMeta
from caseworker_app.store.uow import SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from caseworker_app.bootstrap.vault import Vault
    from caseworker_app.security.keystore import KeyStore

log = logging.getLogger(__name__)


class OpenStore:
    """An unlocked store for one operator (implements ports.gateway.Workspace)."""

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
        self._install_held_definitions()

    def _install_held_definitions(self) -> None:
        """The avviso definitions this store holds (released editions, the ambito packages'
        files) become visible to the engine; a store whose definitions fail their check still
        opens (their avvisi are then unknown, and say so when used)."""
        try:
            avviso_editions.install_held_definitions(self.uow_factory())
        except (UserFacingError, LookupError) as exc:
            log.warning("definitions held in the store not installed: %s", type(exc).__name__)

    @property
    def keystore_kind(self) -> str:
        return self.meta.keystore.value

    @property
    def root(self) -> Path:
        return self._vault.layout.root

    # -- operator accounts: use cases in services/operator_accounts.py over these ports ---------

    def _keys(self) -> KeySlots:
        return _StoreKeySlots(self._vault, self.meta)

    def _wrapper(self) -> KeyWrapper:
        return _StoreKeyWrapper(self._key, store_id=self.meta.store_id, kdf=self._vault.kdf)

    def verify_password(self, password: str) -> bool:
        """Check the operator's password again at the lock screen (same rules as at login)."""
        return operator_accounts.verify_password(
            self.uow_factory,
            actor=self.actor,
            attempts=self._vault.attempts,
            password=password,
            now=self._vault.clock(),
        )

    def backup(self, target: Path) -> BackupReport:
        """An encrypted copy of the store (services/store_lifecycle.backup_store)."""
        return store_lifecycle.backup_store(
            uow_factory=self.uow_factory,
            writer=_StoreBackupWriter(self),
            actor=self.actor,
            store_id=self.meta.store_id,
            target=target,
            now=self._vault.clock(),
        )

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
        return operator_accounts.add_operator(
            self.uow_factory,
            actor=self.actor,
            keys=self._keys(),
            wrap=self._wrapper(),
            kdf=self._vault.kdf,
            username=username,
            full_name=full_name,
            roles=roles,
            password=password,
            qualifica=qualifica,
            now=self._vault.clock(),
        )

    def list_operators(self) -> list[Operator]:
        return operator_accounts.list_operators(self.uow_factory, actor=self.actor)

    def update_operator(self, *, username: str, full_name: str, qualifica: str) -> Operator:
        """An admin corrects an operator's full name and qualifica (the username stays)."""
        return operator_accounts.update_operator(
            self.uow_factory,
            actor=self.actor,
            username=username,
            full_name=full_name,
            qualifica=qualifica,
            now=self._vault.clock(),
        )

    def set_operator_password(self, *, username: str, password: str) -> None:
        """An admin sets a new password for an operator (also re-enables a disabled one)."""
        operator_accounts.set_operator_password(
            self.uow_factory,
            actor=self.actor,
            keys=self._keys(),
            wrap=self._wrapper(),
            kdf=self._vault.kdf,
            username=username,
            password=password,
            now=self._vault.clock(),
        )

    def change_own_password(self, *, old_password: str, new_password: str) -> None:
        """Same guard as the lock screen: wrong old passwords are counted and slow down."""
        operator_accounts.change_own_password(
            self.uow_factory,
            actor=self.actor,
            keys=self._keys(),
            wrap=self._wrapper(),
            attempts=self._vault.attempts,
            kdf=self._vault.kdf,
            old_password=old_password,
            new_password=new_password,
            now=self._vault.clock(),
        )

    def disable_operator(self, *, username: str) -> None:
        """Someone who leaves: the account is kept, its key slot removed (admin only)."""
        operator_accounts.disable_operator(
            self.uow_factory,
            actor=self.actor,
            keys=self._keys(),
            username=username,
            now=self._vault.clock(),
        )

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


class _StoreKeySlots:
    """The vault's key store for this store, opened at first use (as the use case reaches it)."""

    def __init__(self, vault: Vault, meta: StoreMeta) -> None:
        self._vault = vault
        self._meta = meta
        self._opened: KeyStore | None = None

    def _store(self) -> KeyStore:
        if self._opened is None:
            self._opened = self._vault.keystore(self._meta)
        return self._opened

    def get(self, slot: str) -> str | None:
        return self._store().get(slot)

    def put(self, slot: str, blob: str) -> None:
        self._store().put(slot, blob)

    def delete(self, slot: str) -> None:
        self._store().delete(slot)

    def slots(self) -> dict[str, str]:
        return self._store().slots()


class _StoreKeyWrapper:
    """Wraps this open store's key for a slot (the key stays here, never in a use case)."""

    def __init__(self, key: bytes, *, store_id: str, kdf: KdfParams) -> None:
        self._key = key
        self._store_id = store_id
        self._kdf = kdf

    def wrap(self, slot: str, secret: str) -> str:
        return wrap_key(self._key, secret, store_id=self._store_id, slot=slot, params=self._kdf)


class _StoreBackupWriter:
    """Writes the open store's backup archive (ports/store_files.BackupWriter)."""

    def __init__(self, store: OpenStore) -> None:
        self._store = store

    def write(self, target: Path, *, now: datetime, audit_head: AuditHead | None) -> Path:
        store = self._store
        with store.engine.connect() as conn:
            revision = migrate.current_revision(conn)
        slots = store._vault.keystore(store.meta).slots()
        manifest = BackupManifest(
            store.meta.store_id, now, revision, __version__, slots, audit_head=audit_head
        )
        target = target.expanduser()
        final = target / default_backup_name(now) if target.is_dir() else target
        write_backup(store.engine, store._key, final, manifest=manifest)
        return final
