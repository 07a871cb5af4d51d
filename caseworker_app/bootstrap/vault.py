"""The life of a store directory: create, unlock, recover, back up, restore.

This is the one place that knows how keys, key stores, the encrypted engine and migrations fit
together. Personal data never appear in what it raises or logs: only codes and file names.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from caseworker_app.bootstrap.restore_files import VaultRestoreFiles
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.fsutil import remove_stale_temp
from caseworker_app.ports.gateway import RestoreReport, SetupRequest
from caseworker_app.security.attempts import AttemptLog
from caseworker_app.security.keys import (
    KdfParams,
    operator_slot,
)
from caseworker_app.security.keystore import (
    KeyStore,
    KeyStoreKind,
    choose_keystore_kind,
    open_keystore,
)
from caseworker_app.services import store_access, store_lifecycle
from caseworker_app.services.store_access import (
    PasswordCredential,
    RecoveryCredential,
    StoreSession,
)
from caseworker_app.store import commits, errors, migrate
from caseworker_app.store.commits import CommitRecorder
from caseworker_app.store.engine import make_engine
from caseworker_app.store.layout import StoreLayout, StoreMeta
from caseworker_app.store.probe import inspect_database
from caseworker_app.store.swap import (
    finish_interrupted_restore,
)
from caseworker_app.store.uow import SqlUnitOfWorkFactory

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Vault:
    """A store directory (implements ports.gateway.StoreGateway)."""

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
        self._recorder: CommitRecorder | None = None
        finish_interrupted_restore(self.layout.root)
        remove_stale_temp(self.layout.root)  # what killed writers left in the store folder

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
        """Create the store, its first operator (admin + assistente sociale) and recovery code
        (services/store_lifecycle.create_store over this folder)."""
        created = store_lifecycle.create_store(
            store=VaultNewStoreFiles(self), request=request, kdf=self.kdf, now=self.clock()
        )
        return self._session_store(created.session), created.recovery_code

    # -- unlock ----------------------------------------------------------------------------

    def uow_factory(self, engine: Engine) -> SqlUnitOfWorkFactory:
        """Units of work whose commits are counted beside the database (store/commits.py)."""
        return SqlUnitOfWorkFactory(engine, on_commit=self._recorder)

    def _open_engine(self, meta: StoreMeta, key: bytes) -> Engine:
        """Open the database for writing only once a read-only look has said it is this store's,
        whole, with every transaction recorded; then bring its schema up to date."""
        self.layout.check_database_file()
        had = {p for p in (self.layout.wal, self.layout.shm) if p.exists()}
        try:
            facts = inspect_database(self.layout.db, key)
            if facts.revision is None:
                raise UserFacingError(
                    "store.db_empty", file=self.layout.db.name, path=str(self.root)
                )
            if facts.store_id is not None and facts.store_id != meta.store_id:
                raise UserFacingError("store.db_foreign", file=self.layout.db.name)
            recorded = self.layout.read_commits()
            if recorded is not None and facts.commits < recorded:
                raise UserFacingError(
                    "store.transactions_missing",
                    file=self.layout.db.name,
                    missing=recorded - facts.commits,
                )
        except UserFacingError:
            # Leave the folder as it was found: the read-only look may have created an empty
            # write-ahead log and its index, which SQLite does not remove for such connections.
            for created in {self.layout.wal, self.layout.shm} - had:
                if created.exists() and (created == self.layout.shm or not created.stat().st_size):
                    created.unlink(missing_ok=True)
            raise
        try:
            engine = make_engine(self.layout.db, key)
        except UserFacingError as exc:
            raise UserFacingError("store.corrupt", file=self.layout.db.name) from exc
        try:
            migrate.upgrade(
                engine,
                db_path=self.layout.db,
                key=key,
                backup_dir=self.layout.backups,
                now=self.clock(),
            )
        except BaseException as exc:
            engine.dispose()
            translated = errors.translate(exc)
            if translated is not None:
                raise translated from exc
            raise
        if recorded is None or facts.commits > recorded:
            with contextlib.suppress(OSError):
                self.layout.write_commits(facts.commits)
        self._recorder = CommitRecorder(self.layout, max(facts.commits, recorded or 0))
        return engine

    def store_files(self) -> VaultStoreFiles:
        """This folder as the store-access use cases see it (ports/store_files.StoreFiles)."""
        return VaultStoreFiles(self)

    def _session_store(self, session: StoreSession[StoreMeta, OpenedEngine]) -> OpenStore:
        return OpenStore(
            vault=self,
            engine=session.database.engine,
            key=session.key,
            actor=session.actor,
            meta=session.meta,
        )

    def unlock(self, username: str, password: str) -> OpenStore:
        session = store_access.open_session(
            store=self.store_files(),
            attempts=self.attempts,
            credential=PasswordCredential(username, password),
            kdf=self.kdf,
            now=self.clock(),
        )
        return self._session_store(session)

    def unlock_key_with_recovery(self, recovery_code: str) -> tuple[StoreMeta, bytes]:
        return store_access.recovery_key(store=self.store_files(), recovery_code=recovery_code)

    def recover(self, recovery_code: str, username: str, new_password: str) -> OpenStore:
        """Every password forgotten: the recovery code sets a new password for an operator."""
        session = store_access.open_session(
            store=self.store_files(),
            attempts=self.attempts,
            credential=RecoveryCredential(recovery_code, username, new_password),
            kdf=self.kdf,
            now=self.clock(),
        )
        return self._session_store(session)

    # -- restore ---------------------------------------------------------------------------

    def restore(
        self, archive: Path, recovery_code: str, *, replace_existing: bool
    ) -> RestoreReport:
        """Rebuild this store from a backup archive, unlocked by the recovery code
        (services/store_lifecycle.restore_store: verified in a staging folder, then swapped in;
        on any failure before the swap the existing store is exactly where and as it was)."""
        now = self.clock()
        report = store_lifecycle.restore_store(
            store=VaultRestoreFiles(self, now),
            archive=Path(archive).expanduser(),
            recovery_code=recovery_code,
            replace_existing=replace_existing,
            now=now,
        )
        self.attempts = AttemptLog(self.layout.attempts)
        return report


class OpenedEngine:
    """The database opened by ``Vault._open_engine`` (ports/store_files.OpenedDatabase)."""

    def __init__(self, engine: Engine, uow_factory: SqlUnitOfWorkFactory) -> None:
        self.engine = engine
        self.uow_factory = uow_factory

    def dispose(self) -> None:
        self.engine.dispose()


class VaultStoreFiles:
    """A vault's folder for the store-access use cases (ports/store_files.StoreFiles)."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    def read_meta(self) -> StoreMeta:
        return self._vault.layout.read_meta()

    def check_usable(self) -> None:
        self._vault.layout.check_usable()

    def keystore(self, meta: StoreMeta) -> KeyStore:
        return self._vault.keystore(meta)

    def open_database(self, meta: StoreMeta, key: bytes) -> OpenedEngine:
        engine = self._vault._open_engine(meta, key)
        return OpenedEngine(engine, self._vault.uow_factory(engine))


class VaultNewStoreFiles:
    """An empty folder becoming a store (ports/store_files.NewStoreFiles)."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._layout = vault.layout

    def begin(self, now: datetime) -> StoreMeta:
        if self._layout.exists():
            raise UserFacingError("store.already_exists", path=str(self._layout.root))
        self._layout.ensure_writable()
        return StoreMeta(new_id(), choose_keystore_kind(self._vault.keystore_preference), now)

    def keystore(self, meta: StoreMeta) -> KeyStore:
        return self._vault.keystore(meta)

    def create_database(self, meta: StoreMeta, key: bytes, now: datetime) -> OpenedEngine:
        engine = make_engine(self._layout.db, key)
        try:
            migrate.upgrade(
                engine, db_path=self._layout.db, key=key, backup_dir=self._layout.backups, now=now
            )
        except BaseException:
            engine.dispose()
            raise
        self._vault._recorder = CommitRecorder(self._layout, 0)
        return OpenedEngine(engine, self._vault.uow_factory(engine))

    def finish(self, meta: StoreMeta, database: OpenedEngine) -> None:
        self._layout.write_commits(commits.current(database.engine))
        # store.json last: until it exists the directory is not a store, so a failed setup
        # can simply be retried.
        self._layout.write_meta(meta)

    def abandon(self, meta: StoreMeta) -> None:
        layout = self._layout
        for path in (layout.db, layout.wal, layout.shm, layout.keyfile, layout.state):
            path.unlink(missing_ok=True)
        if meta.keystore is KeyStoreKind.KEYRING:
            try:
                ks = self._vault.keystore(meta)
                for slot in list(ks.slots()):
                    ks.delete(slot)
            except UserFacingError:
                pass
