"""Schema upgrades with Alembic: backup first, one transaction, refuse newer databases.

Alembic (and Mako, which it imports) is loaded only when a store is not at
:data:`HEAD_REVISION`: opening an up-to-date store, what every command does, reads the revision
with one query (a test keeps the constant equal to the newest migration's revision).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

import caseworker_app.store.migrations as migrations_pkg
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import private_dir, remove_stale_temp
from caseworker_app.store.copy import copy_database

if TYPE_CHECKING:
    from alembic.config import Config

#: the revision of the newest migration in ``store/migrations/versions`` (tests/integration/
#: test_migrations.py keeps it so)
HEAD_REVISION = "0013"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations_pkg.__file__).parent))
    return cfg


def head_revision() -> str:
    """The head of the migration scripts, as Alembic finds it (:data:`HEAD_REVISION`)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at (None: no schema), read as Alembic keeps it."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:  # pragma: no cover - the store's history has a single branch
        raise UserFacingError("store.newer_version")
    return str(rows[0]) if rows else None


def upgrade(engine: Engine, *, db_path: Path, key: bytes, backup_dir: Path, now: datetime) -> bool:
    """Bring the store to the newest schema. Return True if anything was upgraded.

    A database whose revision this version does not know was written by a newer version: it is
    refused untouched. Before upgrading existing data, an encrypted copy is written to
    ``backup_dir``; the upgrade runs in one transaction, so a failure leaves the old schema.
    """
    with engine.connect() as conn:
        current = current_revision(conn)
        conn.rollback()
    if current == HEAD_REVISION:
        return False
    if current is not None and current not in known_revisions():
        raise UserFacingError("store.newer_version")
    if current is not None:
        private_dir(backup_dir, parents=True)  # 0700; the copy itself is 0600 (store/copy.py)
        remove_stale_temp(backup_dir)  # the partial copy of an upgrade that was killed
        stamp = now.strftime("%Y%m%d-%H%M%S")
        copy_database(engine, key, backup_dir / f"pre-upgrade-{current}-{stamp}.db")
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
