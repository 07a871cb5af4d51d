"""Ports of the store's own use cases (login, recovery, restore, operator accounts, backup).

The adapters (store/, security/) implement them; the use cases in services/ take them as
arguments, so they are tested with fakes as well as on real stores. This module holds protocols
only: an adapter may import it without reaching any use case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from caseworker_app.services.ports import UnitOfWorkFactory


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


class StoreFiles(Protocol[MetaT, DatabaseT_co]):
    """A store folder as login and recovery see it (store/vault.py's adapter).

    ``open_database`` does all the adapter's checks before anything is written: the database
    file is this store's and whole (a read-only look first), every transaction recorded is in
    it; then it brings the schema up to date. Each refusal is a ``UserFacingError``.
    """

    def read_meta(self) -> MetaT: ...

    def check_usable(self) -> None: ...

    def keystore(self, meta: MetaT) -> KeySlots: ...

    def open_database(self, meta: MetaT, key: bytes) -> DatabaseT_co: ...
