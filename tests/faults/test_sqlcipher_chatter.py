"""Issue 10, point 10: SQLCipher's own English log lines never reach the user's terminal."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from .conftest import Run, assert_refused, snapshot

_CHATTER = ("hmac", "ERROR CORE", "sqlcipher")


def _assert_no_chatter(stderr: str) -> None:
    for word in _CHATTER:
        assert word.casefold() not in stderr.casefold(), stderr


def _assert_untouched(folder: Path, before: dict[str, str]) -> None:
    """Every file is as it was; SQLite may leave only its empty side files (-wal, -shm)."""
    after = snapshot(folder)
    for name in ("attempts.json", "caseworker.db-shm"):
        before.pop(name, None)
        after.pop(name, None)
    wal = folder / "caseworker.db-wal"
    if "caseworker.db-wal" not in before and wal.exists():
        assert wal.stat().st_size == 0
        after.pop("caseworker.db-wal")
    assert after == before


def test_damaged_database_pages_give_only_the_italian_message(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    db = folder / "caseworker.db"
    assert db.stat().st_size > 6000
    data = bytearray(db.read_bytes())
    data[5000:6000] = random.Random(10).randbytes(1000)
    db.write_bytes(bytes(data))
    before = snapshot(folder)
    done = run("list", "--store", str(folder), timeout=60)
    assert_refused(done, code=1, says="archivio")
    _assert_no_chatter(done.stderr)
    _assert_untouched(folder, before)


def test_database_that_the_key_does_not_open_gives_only_the_italian_message(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _code = store
    other = tmp_path / "other"
    done = run(
        "init", "--store", str(other), "--role", "comune", "--ambito", "abbiatense",
        "--comune", "A010", "--operator", "mrossi", "--keystore", "file",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (folder / "caseworker.db").write_bytes((other / "caseworker.db").read_bytes())
    before = snapshot(folder)
    done = run("list", "--store", str(folder), timeout=60)
    assert_refused(done, code=1)
    _assert_no_chatter(done.stderr)
    _assert_untouched(folder, before)


def test_the_silencing_is_process_wide_and_repeatable(tmp_path: Path) -> None:
    import sqlcipher3.dbapi2 as sqlcipher

    from caseworker_app.store.sqlcipher_log import silence_sqlcipher_log

    silence_sqlcipher_log()
    silence_sqlcipher_log()
    conn = sqlcipher.connect(":memory:")
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()[0]
        level = conn.execute("PRAGMA cipher_log_level").fetchone()[0]
    finally:
        conn.close()
    major, minor = (int(x) for x in version.split()[0].split(".")[:2])
    if (major, minor) < (4, 6):
        pytest.skip(f"SQLCipher {version} has no cipher_log_level")
    assert level == "NONE"
