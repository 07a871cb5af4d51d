"""A store folder receiving a backup: the adapters of services/store_lifecycle.restore_store.

The staging folder lives inside the store folder (store/swap.py), so the swap is a rename on one
file system and nothing of the store is ever written outside it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.store_files import BackupContents
from caseworker_app.security.keystore import KeyStoreKind, choose_keystore_kind, open_keystore
from caseworker_app.store import commits, migrate
from caseworker_app.store.backup import BackupManifest, extract_database, read_manifest
from caseworker_app.store.layout import StoreLayout, StoreMeta
from caseworker_app.store.swap import mark_ready, move_into_empty, new_stage, swap_in
from caseworker_app.store.uow import SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from caseworker_app.bootstrap.vault import OpenedEngine, Vault


@dataclass(frozen=True)
class BackupFile:
    """A backup archive and its manifest (ports/store_files.BackupContents)."""

    path: Path
    manifest: BackupManifest

    @property
    def store_id(self) -> str:
        return self.manifest.store_id

    @property
    def slots(self) -> Mapping[str, str]:
        return self.manifest.slots


class StagedRestore:
    """A staging folder holding the store being restored (ports/store_files.StagedStore)."""

    def __init__(self, root: Path, kind: KeyStoreKind, now: datetime) -> None:
        self.path = new_stage(root)
        self.layout = StoreLayout(self.path)
        self.kind = kind
        self.now = now

    def extract(self, archive: Path, key: bytes) -> None:
        extract_database(archive, key, self.layout.db)

    def open_database(self, key: bytes, now: datetime) -> OpenedEngine:
        from caseworker_app.bootstrap.vault import OpenedEngine
        from caseworker_app.store.engine import make_engine

        engine = make_engine(self.layout.db, key)
        try:
            migrate.upgrade(
                engine, db_path=self.layout.db, key=key, backup_dir=self.layout.backups, now=now
            )
        except BaseException:
            engine.dispose()
            raise
        return OpenedEngine(engine, SqlUnitOfWorkFactory(engine))

    def seal(self, backup: BackupContents, database: OpenedEngine) -> None:
        """A self-contained database file, its commit count, the key file, the metadata."""
        commits.checkpoint(database.engine)
        self.layout.write_commits(commits.current(database.engine))
        meta = StoreMeta(backup.store_id, self.kind, self.now)
        if self.kind is KeyStoreKind.FILE:
            keyfile = self.layout.keyfile
            file_keys = open_keystore(self.kind, store_id=meta.store_id, keyfile=keyfile)
            for slot, blob in backup.slots.items():
                file_keys.put(slot, blob)
        self.layout.write_meta(meta)
        mark_ready(self.path)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class VaultRestoreFiles:
    """A vault's folder as restore sees it (ports/store_files.RestoreFiles)."""

    def __init__(self, vault: Vault, now: datetime) -> None:
        self._vault = vault
        self._layout = vault.layout
        self._kind = choose_keystore_kind(vault.keystore_preference)
        self._now = now

    @property
    def root(self) -> Path:
        return self._layout.root

    def prepare(self, *, replace_existing: bool) -> bool:
        existing = self._layout.exists()
        if existing and not replace_existing:
            raise UserFacingError("store.already_exists", path=str(self._layout.root))
        self._layout.ensure_writable()
        if existing:
            self._layout.check_usable()
        return existing

    def read_backup(self, archive: Path) -> BackupFile:
        path = Path(archive).expanduser()
        return BackupFile(path, read_manifest(path))

    def stage(self) -> StagedRestore:
        return StagedRestore(self._layout.root, self._kind, self._now)

    def put_key_slots(
        self, store_id: str, slots: Mapping[str, str], *, replace_all: bool = False
    ) -> Mapping[str, str] | None:
        """Write the slots to the OS keyring and return what was there; with a key file the
        slots travel inside the stage (nothing to do here)."""
        if self._kind is KeyStoreKind.FILE:
            return None
        keystore = open_keystore(self._kind, store_id=store_id, keyfile=self._layout.keyfile)
        previous = keystore.slots()
        if replace_all:
            for slot in set(previous) - set(slots):
                keystore.delete(slot)
        for slot, blob in slots.items():
            keystore.put(slot, blob)
        return previous

    def swap_in(self, stage: StagedRestore, *, existing: bool, now: datetime) -> Path | None:
        if existing:
            return swap_in(self._layout.root, stage.path, now)
        move_into_empty(self._layout.root, stage.path, last=self._layout.meta.name)
        return None
