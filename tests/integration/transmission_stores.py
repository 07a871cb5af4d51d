"""Three real stores of one ambito for the transmission tests: the capofila (A010) and two
comuni (A127, B448), each onboarded with the capofila's ambito package, and demo casework at
the comuni (istanze evaluated, with sheets, evaluation and a PI signed on the pad)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.services import ambito_packages, demo, transmissions
from caseworker_app.services.installation_keys import own_public_keys
from caseworker_app.services.transfer_import import ImportOptions, import_transfer_file

from .conftest import PASSWORD

NOW = datetime(2026, 12, 10, 9, 30)
AVVISO = "abbiatense-caregiver-2023"
Snapshot = tuple[dict[str, int], object]


@dataclass
class Ambito:
    capofila: OpenStore
    comuni: dict[str, OpenStore]
    usb: Path
    opened: list[OpenStore] = field(default_factory=list)

    def fingerprint(self, store: OpenStore) -> str:
        return own_public_keys(store.uow_factory(), actor=store.actor).fingerprint.display

    def export(self, comune: str, *, ids: list[str] | None = None, at: datetime = NOW) -> Path:
        store = self.comuni[comune]
        done = transmissions.export_istruttorie(
            store.uow_factory(), actor=store.actor, target=self.usb, istanza_ids=ids, now=at
        )
        return done.path

    def import_(
        self,
        store: OpenStore,
        path: Path,
        *,
        trust: str | None = None,
        receipt: Path | None = None,
        at: datetime = NOW,
    ) -> object:
        return import_transfer_file(
            store.uow_factory(),
            actor=store.actor,
            path=path,
            options=ImportOptions(trust_fingerprint=trust, receipt_out=receipt),
            now=at,
        )


def snapshot(store: OpenStore) -> Snapshot:
    """Every table's row count and the audit chain head: what "nothing changed" means."""
    with store.engine.connect() as conn:
        tables = [
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one() for t in tables
        }
    with store.uow_factory() as uow:
        head = uow.audit.head()
    return counts, head


def make_ambito(
    tmp_path: Path, make_vault: Callable[[Path], Vault], *, cases: int = 12
) -> Iterator[Ambito]:
    opened: list[OpenStore] = []

    def make(role: str, comune: str, username: str) -> OpenStore:
        vault = make_vault(tmp_path / f"{role}-{comune}")
        workspace, _ = vault.create(
            SetupRequest(role, "abbiatense", comune, username, username.title(), PASSWORD)
        )
        opened.append(workspace)
        return workspace

    usb = tmp_path / "usb"
    usb.mkdir()
    capofila = make("capofila", "A010", "udp")
    comuni = {"A127": make("comune", "A127", "mrossi"), "B448": make("comune", "B448", "lbianchi")}
    package = usb / "ambito.cwa"
    ambito_packages.export_ambito_package(
        capofila.uow_factory(), actor=capofila.actor, out=package, now=NOW
    )
    ambito = Ambito(capofila, comuni, usb, opened)
    trust = ambito.fingerprint(capofila)
    for seed, store in enumerate(comuni.values(), start=1):
        ambito.import_(store, package, trust=trust)
        demo.load_demo(
            store.uow_factory, actor=store.actor, n=cases, seed=seed, avvisi=[AVVISO], now=NOW
        )
    yield ambito
    for workspace in opened:
        workspace.close()


@pytest.fixture
def ambito(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Ambito]:
    yield from make_ambito(tmp_path, make_vault)


def receive_all(ambito: Ambito, *, at: datetime = NOW) -> dict[str, Path]:
    """Every comune exports what is ready and the capofila imports it (its keys trusted as read
    on the phone): the ambito as the capofila's desk finds it. The files by comune."""
    files: dict[str, Path] = {}
    for code, store in ambito.comuni.items():
        files[code] = ambito.export(code, at=at)
        ambito.import_(ambito.capofila, files[code], trust=ambito.fingerprint(store), at=at)
    return files
