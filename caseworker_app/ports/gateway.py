"""What the UI and the command line see of an installation's store, as protocols.

The store layer implements them (bootstrap/vault.py); app.py wires the implementation in, so the UI
never imports the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from caseworker_app.domain.operator import Actor, Operator
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import UnitOfWorkFactory


@dataclass(frozen=True)
class SetupRequest:
    role: str  # "comune" | "capofila"
    ambito: str
    comune: str
    username: str
    full_name: str
    password: str
    #: the first operator's qualifica ("" leaves the default of the installation's role)
    qualifica: str = ""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    created_at: datetime


@dataclass(frozen=True)
class RestoreReport:
    store: Path
    #: where the store that was replaced now is, whole (None: there was none)
    replaced: Path | None


class Workspace(Protocol):
    """An unlocked store, as seen by one operator."""

    actor: Actor

    @property
    def uow_factory(self) -> UnitOfWorkFactory: ...

    @property
    def keystore_kind(self) -> str: ...

    @property
    def root(self) -> Path: ...

    def verify_password(self, password: str) -> bool: ...

    def backup(self, target: Path) -> BackupReport: ...

    def last_backup_at(self) -> datetime | None: ...

    def list_operators(self) -> list[Operator]: ...

    def add_operator(
        self,
        *,
        username: str,
        full_name: str,
        roles: frozenset[Role],
        password: str,
        qualifica: str = "",
    ) -> Operator: ...

    def update_operator(self, *, username: str, full_name: str, qualifica: str) -> Operator: ...

    def set_operator_password(self, *, username: str, password: str) -> None: ...

    def change_own_password(self, *, old_password: str, new_password: str) -> None: ...

    def disable_operator(self, *, username: str) -> None: ...

    def checkpoint(self) -> None:
        """Fold the latest commits into the database file (worker thread: it touches disk)."""

    def close(self) -> None: ...


class StoreGateway(Protocol):
    @property
    def root(self) -> Path: ...

    def exists(self) -> bool: ...

    def keystore_kind(self) -> str: ...

    def create(self, request: SetupRequest) -> tuple[Workspace, str]: ...

    def unlock(self, username: str, password: str) -> Workspace: ...

    def recover(self, recovery_code: str, username: str, new_password: str) -> Workspace: ...

    def restore(
        self, archive: Path, recovery_code: str, *, replace_existing: bool
    ) -> RestoreReport: ...


@dataclass(frozen=True)
class SelfTestStep:
    """One step of the self-test (bootstrap/self_test.py): its Italian name, how it went and
    how long it took. ``error`` says what went wrong, without personal data ("" when ok)."""

    name: str
    ok: bool
    seconds: float
    error: str = ""


@dataclass(frozen=True)
class SelfTestReport:
    """The steps run, in order; the first that failed is the last one (nothing runs after)."""

    steps: tuple[SelfTestStep, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    @property
    def failed(self) -> SelfTestStep | None:
        return next((s for s in self.steps if not s.ok), None)


class SelfTestProgress(Protocol):
    def __call__(self, index: int, total: int, name: str, result: SelfTestStep | None) -> None:
        """Before step ``index`` (0-based, of ``total``) with ``result`` None, after it with its
        result. Called on the thread that runs the self-test (the UI's worker)."""


class SelfTest(Protocol):
    """Proves that this installation has everything it needs, in a temporary folder that is
    removed afterwards (never the user's store); the composition root passes it to the UI."""

    def __call__(self, *, progress: SelfTestProgress | None = None) -> SelfTestReport: ...
