"""Ports of the store's own use cases (creation, login, recovery, restore, operator accounts,
backup).

The adapters (store/, security/) implement them; the use cases in services/ take them as
arguments, so they are tested with fakes as well as on real stores. This module holds protocols
only: an adapter may import it without reaching any use case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from caseworker_app.domain.audit import AuditHead
from caseworker_app.ports.storage import UnitOfWorkFactory


class KeySlots(Protocol):
    """Where the wrapped key blobs live (the OS keyring or keys.json): one blob per slot."""

    def get(self, slot: str) -> str | None: ...

    def put(self, slot: str, blob: str) -> None: ...

    def delete(self, slot: str) -> None: ...

    def slots(self) -> dict[str, str]: ...


class FailedAttemptRecord(Protocol):
    @property
    def at(self) -> datetime: ...

    @property
    def operator(self) -> str: ...


class AttemptCounter(Protocol):
    """Failed unlock attempts, counted outside the database (security/attempts.py)."""

    def read(self) -> Sequence[FailedAttemptRecord]: ...

    def record_failure(self, operator: str, at: datetime) -> None: ...

    def wait_seconds(self, now: datetime) -> int: ...

    def clear(self) -> None: ...


class KeyWrapper(Protocol):
    """Wraps the open store's database key for one key slot under a secret (a password).

    The adapter holds the key (it never reaches a use case) and binds the blob to the store id
    and the slot name (security/keys.py); the use case decides which slot and stores the blob.
    """

    def wrap(self, slot: str, secret: str) -> str: ...


class StoreIdentity(Protocol):
    """What the use cases need of a store's metadata: the id the key blobs are bound to."""

    @property
    def store_id(self) -> str: ...


class OpenedDatabase(Protocol):
    """A store's database opened with its key: units of work over it, and its release."""

    @property
    def uow_factory(self) -> UnitOfWorkFactory: ...

    def dispose(self) -> None: ...


MetaT = TypeVar("MetaT", bound=StoreIdentity)
DatabaseT_co = TypeVar("DatabaseT_co", bound=OpenedDatabase, covariant=True)
DatabaseT = TypeVar("DatabaseT", bound=OpenedDatabase)


class StoreFiles(Protocol[MetaT, DatabaseT_co]):
    """A store folder as login and recovery see it (bootstrap/vault.py's adapter).

    ``open_database`` does all the adapter's checks before anything is written: the database
    file is this store's and whole (a read-only look first), every transaction recorded is in
    it; then it brings the schema up to date. Each refusal is a ``UserFacingError``.
    """

    def read_meta(self) -> MetaT: ...

    def check_usable(self) -> None: ...

    def keystore(self, meta: MetaT) -> KeySlots: ...

    def open_database(self, meta: MetaT, key: bytes) -> DatabaseT_co: ...


class NewStoreFiles(Protocol[MetaT, DatabaseT]):
    """An empty folder becoming a store (bootstrap/vault.py's adapter), step by step.

    ``begin`` refuses a folder that already holds a store or cannot be written, and returns the
    new store's metadata (not yet written); ``create_database`` makes the encrypted database
    with the current schema; ``finish`` writes what makes the folder a store, last (until then
    a failed setup can simply be retried); ``abandon`` removes what a failed setup left.
    """

    def begin(self, now: datetime) -> MetaT: ...

    def keystore(self, meta: MetaT) -> KeySlots: ...

    def create_database(self, meta: MetaT, key: bytes, now: datetime) -> DatabaseT: ...

    def finish(self, meta: MetaT, database: DatabaseT) -> None: ...

    def abandon(self, meta: MetaT) -> None: ...


class BackupContents(Protocol):
    """What a backup archive says of itself before anything is extracted (its manifest)."""

    @property
    def store_id(self) -> str: ...

    @property
    def slots(self) -> Mapping[str, str]: ...


class StagedStore(Protocol[DatabaseT]):
    """A restore being prepared in a staging folder inside the store folder (store/swap.py).

    Nothing here touches the live store: ``extract`` writes the backup's database into the
    stage only once it decrypts with the key and passes the integrity check; ``open_database``
    brings its schema up to date; ``seal`` writes the key slots and metadata and marks the stage
    complete; ``discard`` removes it.
    """

    def extract(self, archive: Path, key: bytes) -> None: ...

    def open_database(self, key: bytes, now: datetime) -> DatabaseT: ...

    def seal(self, backup: BackupContents, database: DatabaseT) -> None: ...

    def discard(self) -> None: ...


StageT = TypeVar("StageT", bound=StagedStore)  # type: ignore[type-arg]


class RestoreFiles(Protocol[StageT]):
    """A store folder receiving a backup (bootstrap/vault.py's adapter).

    ``prepare`` refuses a folder that holds a store unless it is to be replaced, and one that
    cannot be written; it returns whether a store is there. ``swap_in`` puts the sealed stage in
    place in one step, keeping a replaced store whole beside it, and returns where it went.
    ``put_key_slots`` writes the restored slots where they live outside the folder (the OS
    keyring) and returns what was there, for ``put_key_slots(..., replace_all=True)`` to put
    back when the swap fails; with a key file it is a no-op (the slots travel in the stage).
    """

    @property
    def root(self) -> Path: ...

    def prepare(self, *, replace_existing: bool) -> bool: ...

    def read_backup(self, archive: Path) -> BackupContents: ...

    def stage(self) -> StageT: ...

    def put_key_slots(
        self, store_id: str, slots: Mapping[str, str], *, replace_all: bool = False
    ) -> Mapping[str, str] | None: ...

    def swap_in(self, stage: StageT, *, existing: bool, now: datetime) -> Path | None: ...


class BackupWriter(Protocol):
    """Writes an open store's encrypted copy (store/backup.py) with the manifest it is given."""

    def write(self, target: Path, *, now: datetime, audit_head: AuditHead | None) -> Path: ...
