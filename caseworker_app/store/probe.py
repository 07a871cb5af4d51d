"""What a database file is, read before the application writes to it.

Opening a store must never write into a file that is not the store's: a connection to an empty
file would create a new schema in it, a migration would rewrite a foreign one, and SQLite's
checkpoint on close would fold a damaged write-ahead log into the database and delete the
evidence. So the first look goes through a **read-only** connection (``mode=ro``), which neither
writes nor checkpoints, and says what it found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.store.engine import BUSY_TIMEOUT_MS, key_pragma
from caseworker_app.store.sqlcipher_log import silence_sqlcipher_log


@dataclass(frozen=True)
class DatabaseFacts:
    revision: str | None  # the Alembic revision; None: no schema at all
    commits: int  # transactions committed through the unit of work (PRAGMA user_version)
    store_id: str | None  # the installation row's store id (None before the schema exists)


def inspect_database(path: Path, key: bytes) -> DatabaseFacts:
    """Decrypt, check and describe ``path`` without writing a byte.

    Raises ``store.db_not_ours`` when the key (already authenticated by its wrapping) does not
    open the file, ``store.corrupt`` when its pages do not hold together.
    """
    silence_sqlcipher_log()
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlcipher.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    except sqlcipher.OperationalError as exc:
        raise UserFacingError("store.corrupt", file=path.name) from exc
    try:
        conn.execute(key_pragma(key))
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            raise UserFacingError("store.db_not_ours", file=path.name) from exc
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                raise UserFacingError("store.corrupt", file=path.name)
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
            store_id = None
            if "installation" in tables:
                row = conn.execute("SELECT store_id FROM installation LIMIT 1").fetchone()
                store_id = str(row[0]) if row else None
            commits = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlcipher.DatabaseError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise UserFacingError("store.busy") from exc
            raise UserFacingError("store.corrupt", file=path.name) from exc
    finally:
        conn.close()
    return DatabaseFacts(revision, commits, store_id)
