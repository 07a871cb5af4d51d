"""Points 2, 3: a database that is empty, foreign or missing transactions is never written to."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from .conftest import OPERATOR, PASSWORD, Run, assert_refused, snapshot


def test_zero_length_database_is_explained_and_never_written(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    db = folder / "caseworker.db"
    db.write_bytes(b"")
    for name in ("caseworker.db-wal", "caseworker.db-shm"):
        (folder / name).unlink(missing_ok=True)
    before = snapshot(folder)
    for _ in range(4):  # repeated tries never turn into "password errata" nor a lockout
        done = run("list", "--store", str(folder))
        assert_refused(done, code=1, says="vuoto")
        assert "backup" in done.stderr
    assert snapshot(folder) == before
    assert db.stat().st_size == 0
    assert not (folder / "attempts.json").exists()


def test_database_of_another_store_is_refused_untouched(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _code = store
    other = tmp_path / "other"
    done = run(
        "init", "--store", str(other), "--role", "comune", "--ambito", "abbiatense",
        "--comune", "A010", "--operator", OPERATOR, "--keystore", "file",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shutil.copy2(other / "caseworker.db", folder / "caseworker.db")
    before = snapshot(folder)
    done = run("list", "--store", str(folder))
    assert_refused(done, code=1, says="backup")
    assert snapshot(folder) == before
    assert not (folder / "attempts.json").exists()


def test_plain_sqlite_file_is_refused_untouched(run: Run, store: tuple[Path, str]) -> None:
    import sqlite3

    folder, _code = store
    db = folder / "caseworker.db"
    db.unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = snapshot(folder)
    done = run("list", "--store", str(folder))
    assert_refused(done, code=1, says="non è un archivio caseworker")
    assert snapshot(folder) == before


_WRITER = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime
    from pathlib import Path
    from caseworker_app.domain.person import Anagrafica, Sex
    from caseworker_app.services import cases
    from caseworker_app.bootstrap.vault import Vault

    workspace = Vault(Path(sys.argv[1])).unlock(sys.argv[2], sys.argv[3])
    for i in range(3):
        cases.create_case(
            workspace.uow_factory(), actor=workspace.actor, comune="A010",
            anagrafica=Anagrafica(surname=f"Walonly{i}", given_name="Dato", sex=Sex.F,
                                  residence_comune="A010"),
            now=datetime(2026, 12, 1, 10, 0),
        )
    os._exit(0)  # killed: no clean close, the last commits live in the WAL
    """
)


def _write_and_die(folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", _WRITER, str(folder), OPERATOR, PASSWORD], check=True, timeout=120
    )
    assert (folder / "caseworker.db-wal").stat().st_size > 0


def test_deleted_wal_with_committed_data_is_detected_not_carried_on(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    _write_and_die(folder)
    (folder / "caseworker.db-wal").unlink()
    (folder / "caseworker.db-shm").unlink(missing_ok=True)
    before = snapshot(folder)
    for command in ("list", "audit"):
        args = ["audit", "verify"] if command == "audit" else ["list"]
        done = run(*args, "--store", str(folder))
        assert_refused(done, code=1, says="caseworker.db-wal")
        assert "backup" in done.stderr
    assert snapshot(folder) == before


def test_damaged_wal_is_detected(run: Run, store: tuple[Path, str]) -> None:
    folder, _code = store
    _write_and_die(folder)
    wal = folder / "caseworker.db-wal"
    data = bytearray(wal.read_bytes())
    data[64:4096] = bytes(len(data[64:4096]))  # the first frame's checksum no longer holds
    wal.write_bytes(bytes(data))
    (folder / "caseworker.db-shm").unlink(missing_ok=True)
    done = run("list", "--store", str(folder))
    assert_refused(done, code=1, says="caseworker.db-wal")


def test_interrupted_session_with_its_wal_opens_with_everything(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    _write_and_die(folder)
    done = run("audit", "verify", "--store", str(folder))
    assert done.returncode == 0, done.stderr


def test_a_closed_store_is_one_self_contained_file(run: Run, store: tuple[Path, str]) -> None:
    folder, _code = store
    _write_and_die(folder)
    assert run("list", "--store", str(folder)).returncode == 0
    wal = folder / "caseworker.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    # so copying the database file alone (with its store.json and keys) loses nothing
    copy = folder.parent / "copy"
    copy.mkdir()
    for name in ("caseworker.db", "store.json", "keys.json", "state.json"):
        shutil.copy2(folder / name, copy / name)
    done = run("audit", "verify", "--store", str(copy))
    assert done.returncode == 0, done.stderr
