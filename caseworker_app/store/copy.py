"""Consistent encrypted copies of a live database through SQLite's online backup API."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from caseworker_app.fsutil import private_file, temp_name
from caseworker_app.store.engine import connect_raw, key_pragma
from caseworker_app.store.sqlcipher_log import silence_sqlcipher_log


def _open_target(path: Path, key: bytes) -> Any:
    silence_sqlcipher_log()
    private_file(path)  # 0600 before SQLite creates it with the umask (POSIX; see fsutil)
    conn = sqlcipher.connect(str(path))
    conn.isolation_level = None
    conn.execute(key_pragma(key))
    conn.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    return conn


def copy_database(engine: Engine, key: bytes, target: Path) -> None:
    """Write a consistent copy of the database behind ``engine`` to ``target``, same key.

    Works while other connections read and write (the backup API restarts on change); the copy
    is written to a temporary name and moved into place only when complete.
    """
    # named for this process: left by a killed copy, remove_stale_temp(folder) removes it
    tmp = temp_name(target.parent, suffix=".partial")
    raw = engine.raw_connection()
    try:
        source: Any = raw.driver_connection
        dest = _open_target(tmp, key)
        try:
            source.backup(dest)
        finally:
            dest.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        raw.close()


def copy_file_database(source_path: Path, key: bytes, target: Path) -> None:
    """Copy a database file that no engine has open (used by restore)."""
    src = connect_raw(source_path, key)
    try:
        dest = _open_target(target, key)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
