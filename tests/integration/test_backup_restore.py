"""Backups taken while the store is in use, restored elsewhere with the recovery code."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases

from .conftest import PASSWORD, USERNAME


def _add(workspace: OpenStore, surname: str) -> None:
    cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(
            surname=surname,
            given_name="Prova",
            sex=Sex.M,
            birth_date=date(1950, 5, 5),
            residence_comune="A010",
        ),
        now=datetime(2026, 11, 22, 10, 0),
    )


def _surnames(workspace: OpenStore) -> set[str]:
    rows = cases.search_cases(workspace.uow_factory(), actor=workspace.actor, text="", limit=1000)
    return {r.surname for r in rows}


def test_backup_and_restore_on_another_machine_with_the_recovery_code(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    _, workspace, code = created
    for name in ("Colombo", "Brambilla", "Citterio"):
        _add(workspace, name)
    usb = tmp_path / "usb"
    usb.mkdir()
    report = workspace.backup(usb)
    assert report.path.parent == usb
    assert report.path.name.startswith("caseworker-backup-")  # no personal data in the name
    raw = report.path.read_bytes()
    assert b"Colombo" not in raw and b"Brambilla" not in raw
    other = make_vault(tmp_path / "other-laptop" / "store")
    other.restore(report.path, code.lower().replace("-", " "), replace_existing=False)
    restored = other.unlock(USERNAME, PASSWORD)
    assert {"Colombo", "Brambilla", "Citterio"} <= _surnames(restored)
    assert restored.last_backup_at() is not None
    restored.close()


def test_backup_while_another_connection_keeps_writing(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    vault, workspace, code = created
    writer = vault.unlock(USERNAME, PASSWORD)  # a second open "app"
    stop = threading.Event()
    written: list[str] = []

    def keep_writing() -> None:
        i = 0
        while not stop.is_set() and i < 400:
            name = f"Scrittura{i:04d}"
            _add(writer, name)
            written.append(name)
            i += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        report = workspace.backup(tmp_path / "during.cwbak")
    finally:
        stop.set()
        thread.join()
        writer.close()
    other = make_vault(tmp_path / "restored")
    other.restore(report.path, code, replace_existing=False)
    restored = other.unlock(USERNAME, PASSWORD)
    names = _surnames(restored)
    restored.close()
    copied = [n for n in written if n in names]
    # a consistent snapshot: a prefix of the committed writes, with no gap
    assert copied == written[: len(copied)]


def test_restore_never_overwrites_an_existing_store(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
) -> None:
    vault, workspace, code = created
    report = workspace.backup(tmp_path / "b.cwbak")
    workspace.close()
    before = hashlib.sha256(vault.layout.db.read_bytes()).hexdigest()
    with pytest.raises(UserFacingError) as err:
        vault.restore(report.path, code, replace_existing=False)
    assert err.value.code == "store.already_exists"
    assert hashlib.sha256(vault.layout.db.read_bytes()).hexdigest() == before


def test_restore_with_replace_keeps_the_old_files_aside(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
) -> None:
    vault, workspace, code = created
    report = workspace.backup(tmp_path / "b.cwbak")
    workspace.close()
    before = hashlib.sha256(vault.layout.db.read_bytes()).hexdigest()
    restored = vault.restore(report.path, code, replace_existing=True)
    assert restored.replaced is not None
    assert restored.replaced.name.startswith(vault.root.name + ".sostituito-")
    assert hashlib.sha256((restored.replaced / "caseworker.db").read_bytes()).hexdigest() == before
    assert not [p for p in vault.root.iterdir() if p.name.startswith(".")]
    vault.unlock(USERNAME, PASSWORD).close()


def test_restore_killed_between_the_two_renames_is_finished_at_the_next_start(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from caseworker_app.store import swap

    vault, workspace, code = created
    report = workspace.backup(tmp_path / "b.cwbak")
    workspace.close()
    real_rename = os.rename
    calls: list[str] = []

    def rename_then_die(src: object, dst: object) -> None:
        calls.append(str(src))
        if len(calls) == 2:  # the staged store never reaches its place: the process dies here
            raise KeyboardInterrupt
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(swap.os, "rename", rename_then_die)
    with pytest.raises(KeyboardInterrupt):
        vault.restore(report.path, code, replace_existing=True)
    monkeypatch.setattr(swap.os, "rename", real_rename)
    assert not vault.root.exists()
    again = make_vault(vault.root)  # the next start
    assert again.exists()
    again.unlock(USERNAME, PASSWORD).close()


def test_wrong_recovery_code_restores_nothing(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    _, workspace, _ = created
    report = workspace.backup(tmp_path / "b.cwbak")
    other = make_vault(tmp_path / "other")
    with pytest.raises(UserFacingError) as err:
        other.restore(report.path, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", replace_existing=False)
    assert err.value.code == "keys.recovery_code_wrong"
    assert not other.exists()


def test_damaged_backup_is_refused(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    _, workspace, code = created
    report = workspace.backup(tmp_path / "b.cwbak")
    truncated = tmp_path / "truncated.cwbak"
    truncated.write_bytes(report.path.read_bytes()[: report.path.stat().st_size // 2])
    other = make_vault(tmp_path / "other")
    with pytest.raises(UserFacingError) as err:
        other.restore(truncated, code, replace_existing=False)
    assert err.value.code == "backup.corrupt"
    assert not other.exists()


def test_backup_from_a_newer_version_is_refused(
    created: tuple[Vault, OpenStore, str],
    tmp_path: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    _, workspace, code = created
    report = workspace.backup(tmp_path / "b.cwbak")
    newer = tmp_path / "newer.cwbak"
    with zipfile.ZipFile(report.path) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "manifest.json":
                manifest = json.loads(data)
                manifest["format"] = "caseworker.backup/2"
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    with pytest.raises(UserFacingError) as err:
        make_vault(tmp_path / "other").restore(newer, code, replace_existing=False)
    assert err.value.code == "backup.newer_version"


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Path:
    """A 256 KiB tmpfs standing in for a nearly full USB stick (needs root to mount)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("this sandbox does not allow mounting a tmpfs")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_backup_to_a_full_disk_is_explained_and_leaves_no_partial_file(
    created: tuple[Vault, OpenStore, str],
    tiny_disk: Path,
) -> None:
    _, workspace, _ = created
    for i in range(300):
        _add(workspace, f"Riempimento{i:04d}")
    with pytest.raises(UserFacingError) as err:
        workspace.backup(tiny_disk)
    assert err.value.code == "backup.disk_full"
    assert list(tiny_disk.iterdir()) == []
