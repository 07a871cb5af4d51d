"""Integration fixtures: real encrypted stores in temporary folders (no mocked database)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF

PASSWORD = "una-password-lunga"
USERNAME = "mrossi"


class FakeClock:
    """A clock the test moves by hand (the throttle and backup reminders depend on time)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 22, 9, 0, 0))


@pytest.fixture
def make_vault(clock: FakeClock) -> Callable[[Path], Vault]:
    def factory(root: Path) -> Vault:
        return Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file", clock=clock)

    return factory


@pytest.fixture
def created(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> Iterator[tuple[Vault, OpenStore, str]]:
    """A new store in ``tmp_path / 'store'``: (vault, open workspace, recovery code)."""
    vault = make_vault(tmp_path / "store")
    workspace, code = vault.create(
        SetupRequest("comune", "abbiatense", "A010", USERNAME, "Maria Rossi", PASSWORD)
    )
    yield vault, workspace, code
    workspace.close()
