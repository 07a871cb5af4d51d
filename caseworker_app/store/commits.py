"""The commit counter: how many transactions the database holds, recorded beside it too.

Every unit of work that writes bumps ``PRAGMA user_version`` inside its own transaction (so the
number is exactly as durable as the data), and once the commit has returned the same number is
written to ``state.json`` beside the database. At the next open a database holding fewer
transactions than ``state.json`` lost some: its write-ahead log was deleted or damaged, or an older
copy of the file was put back. The store then refuses to open instead of carrying on silently.
The record is written only *after* a commit, so a crash can leave the database ahead of it (which
is fine and is caught up at the next open), never behind.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Connection, Engine

from caseworker_app.store.layout import StoreLayout

log = logging.getLogger(__name__)

_CHANGES_AT_BEGIN = "caseworker_total_changes_at_begin"


def note_begin(conn: Connection) -> None:
    """Called as a transaction begins: remember the connection's change count."""
    conn.info[_CHANGES_AT_BEGIN] = _driver(conn).total_changes


def bump_if_written(conn: Connection) -> int | None:
    """Inside the transaction, before COMMIT: count it when it changed any row."""
    driver = _driver(conn)
    if driver.total_changes == conn.info.get(_CHANGES_AT_BEGIN):
        return None
    commits = int(driver.execute("PRAGMA user_version").fetchone()[0]) + 1
    driver.execute(f"PRAGMA user_version = {commits:d}")
    return commits


def current(engine: Engine) -> int:
    with engine.connect() as conn:
        value = int(_driver(conn).execute("PRAGMA user_version").fetchone()[0])
        conn.rollback()
    return value


def checkpoint(engine: Engine) -> None:
    """Fold the write-ahead log into the database file and empty it (a closed store is then one
    self-contained file). Busy readers only delay it: what cannot be folded now is next time."""
    with engine.connect() as conn:
        _driver(conn).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


class CommitRecorder:
    """Writes the counter to ``state.json`` after each commit (thread-safe, never backwards)."""

    def __init__(self, layout: StoreLayout, start: int) -> None:
        self._layout = layout
        self._written = start
        self._lock = threading.Lock()

    def __call__(self, commits: int) -> None:
        with self._lock:
            if commits <= self._written:
                return
            try:
                self._layout.write_commits(commits)
            except OSError:
                # The commit itself is safe; only the loss detector falls behind (it can only
                # under-report, never raise a false alarm). The next commit writes it again.
                log.warning("the commit counter could not be recorded beside the database")
                return
            self._written = commits
