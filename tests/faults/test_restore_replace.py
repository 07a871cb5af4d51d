"""Point 1: a failed ``restore --replace`` leaves the store exactly where and as it was."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .conftest import Run, assert_refused, snapshot


def _backup(run: Run, folder: Path, target: Path) -> Path:
    done = run("backup", "--store", str(folder), "--to", str(target), "--json")
    assert done.returncode == 0, done.stderr
    return Path(json.loads(done.stdout)["backup"])


def _restore(run: Run, archive: Path, folder: Path, code: str) -> object:
    return run(
        "restore", "--from", str(archive), "--store", str(folder), "--replace", "--json",
        env={"CASEWORKER_RECOVERY_CODE": code},
    )  # fmt: skip


def _wrong(code: str) -> str:
    first = "1" if code[0] != "1" else "2"
    return first + code[1:]


def test_wrong_recovery_code_leaves_the_store_in_place(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, code = store
    archive = _backup(run, folder, tmp_path)
    before = snapshot(folder)
    done = _restore(run, archive, folder, _wrong(code))
    assert_refused(done, code=2, says="codice di recupero")  # type: ignore[arg-type]
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store"]
    assert run("list", "--store", str(folder)).returncode == 0


def test_damaged_backup_leaves_the_store_in_place(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, code = store
    archive = _backup(run, folder, tmp_path)
    damaged = tmp_path / "damaged.cwbak"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
        db = bytearray(src.read("caseworker.db"))
        db[len(db) // 2 : len(db) // 2 + 4096] = bytes(4096)
        dst.writestr("caseworker.db", bytes(db))
    before = snapshot(folder)
    done = _restore(run, damaged, folder, code)
    assert_refused(done, code=2, says="danneggiato")  # type: ignore[arg-type]
    assert snapshot(folder) == before
    assert run("list", "--store", str(folder)).returncode == 0


def test_backup_of_another_store_cannot_replace_by_mistake_and_says_where_the_old_went(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, code = store
    archive = _backup(run, folder, tmp_path)
    before = snapshot(folder)
    done = _restore(run, archive, folder, code)
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    payload = json.loads(done.stdout)  # type: ignore[attr-defined]
    aside = Path(payload["replaced"])
    assert aside.is_dir() and str(aside) in json.dumps(payload)
    # the store that was replaced is whole where the message says, and still opens
    assert snapshot(aside).keys() >= {k for k in before if not k.startswith("attempts")}
    assert run("list", "--store", str(aside)).returncode == 0
    assert run("list", "--store", str(folder)).returncode == 0
    # nothing staged is left behind
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_what_a_killed_restore_left_is_removed_by_the_next_restore(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, code = store
    archive = _backup(run, folder, tmp_path)
    stale = folder / f".cw-restore-{_dead_pid()}-abcd1234"
    (stale / ".cw-tmp-1-x").mkdir(parents=True)
    (stale / "caseworker.db").write_bytes(b"encrypted pages of a killed restore")
    done = _restore(run, archive, folder, code)
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    aside = Path(json.loads(done.stdout)["replaced"])  # type: ignore[attr-defined]
    for where in (folder, aside):
        left = [p.name for p in where.rglob(".cw-*")]
        assert left == [], (where, left)
