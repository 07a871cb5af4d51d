"""Faults: damaged files, full disks, folders that cannot be written. Nothing stored is lost."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.services import cases

from .conftest import PASSWORD, USERNAME

NOW = datetime(2026, 11, 22, 12, 0)


def _add(workspace: OpenStore, surname: str) -> None:
    cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(
            surname=surname,
            given_name="Dato",
            sex=Sex.M,
            birth_date=date(1950, 1, 1),
            residence_comune="A010",
        ),
        now=NOW,
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_truncated_database_is_explained_and_never_overwritten(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
) -> None:
    vault, workspace, code = created
    for i in range(200):
        _add(workspace, f"Persona{i:03d}")
    report = workspace.backup(tmp_path / "ok.cwbak")
    workspace.close()
    raw = vault.layout.db.read_bytes()
    vault.layout.db.write_bytes(raw[: len(raw) // 3])  # a pulled USB cable, a bad sector
    damaged = _sha(vault.layout.db)
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    # the key was authenticated by its wrapping: a file it cannot read is damaged (or foreign)
    assert err.value.code in ("store.corrupt", "store.db_not_ours")
    assert _sha(vault.layout.db) == damaged
    # the offered way out: restore from the backup; the damaged file is kept aside
    aside = vault.restore(report.path, code, replace_existing=True).replaced
    assert aside is not None
    assert _sha(aside / "caseworker.db") == damaged
    restored = vault.unlock(USERNAME, PASSWORD)
    assert cases.count_cases(restored.uow_factory(), actor=restored.actor, text="persona") == 200
    restored.close()


def test_garbage_database_file_is_explained(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    workspace.close()
    vault.layout.db.write_bytes(b"\x00" * 8192)
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    assert err.value.code in ("store.corrupt", "store.db_not_ours")


def test_disk_full_during_a_write_loses_nothing_already_stored(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    _add(workspace, "GiaSalvato")
    # let the database grow by only a few pages, as on a disk with no space left
    with workspace.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.rollback()

    @event.listens_for(workspace.engine, "connect")
    def _limit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {int(pages or 0) + 2}")

    workspace.engine.dispose()  # new connections get the limit
    with pytest.raises(UserFacingError) as err:
        for i in range(500):
            _add(workspace, f"Nuovo{i:03d}" + "x" * 150)
    assert err.value.code == "store.disk_full"
    event.remove(workspace.engine, "connect", _limit)
    workspace.engine.dispose()
    found = cases.search_cases(workspace.uow_factory(), actor=workspace.actor, text="giasalvato")
    assert [r.surname for r in found] == ["GiaSalvato"]
    with workspace.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_store_folder_that_cannot_be_written_is_refused_clearly(
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    vault = make_vault(blocker / "store")
    with pytest.raises(UserFacingError) as err:
        vault.create(SetupRequest("comune", "abbiatense", "A010", USERNAME, "M", PASSWORD))
    assert err.value.code == "store.not_writable"


def test_read_only_folder_is_refused_clearly(
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions; covered by the not-a-folder case")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserFacingError) as err:
            make_vault(folder / "store").create(
                SetupRequest("comune", "abbiatense", "A010", USERNAME, "M", PASSWORD)
            )
        assert err.value.code == "store.not_writable"
    finally:
        folder.chmod(0o700)


def test_failed_setup_can_be_retried(
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from caseworker_app.store import migrate

    def broken(*args: object, **kwargs: object) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(migrate, "upgrade", broken)
    vault = make_vault(tmp_path / "store")
    with pytest.raises(OSError):
        vault.create(SetupRequest("comune", "abbiatense", "A010", USERNAME, "M", PASSWORD))
    assert not vault.exists()
    monkeypatch.undo()
    workspace, _ = vault.create(
        SetupRequest("comune", "abbiatense", "A010", USERNAME, "M", PASSWORD)
    )
    workspace.close()
