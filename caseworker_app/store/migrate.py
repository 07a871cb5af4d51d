"""Schema upgrades with Alembic: backup first, one transaction, refuse newer databases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

import caseworker_app.store.migrations as migrations_pkg
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import private_dir, remove_stale_temp
from caseworker_app.store.copy import copy_database


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations_pkg.__file__).parent))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, db_path: Path, key: bytes, backup_dir: Path, now: datetime) -> bool:
    """Bring the store to the newest schema. Return True if anything was upgraded.

    A database whose revision this version does not know was written by a newer version: it is
    refused untouched. Before upgrading existing data, an encrypted copy is written to
    ``backup_dir``; the upgrade runs in one transaction, so a failure leaves the old schema.
    """
    with engine.connect() as conn:
        current = current_revision(conn)
        conn.rollback()
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise UserFacingError("store.newer_version")
    if current is not None:
        private_dir(backup_dir, parents=True)  # 0700; the copy itself is 0600 (store/copy.py)
        remove_stale_temp(backup_dir)  # the partial copy of an upgrade that was killed
        stamp = now.strftime("%Y%m%d-%H%M%S")
        copy_database(engine, key, backup_dir / f"pre-upgrade-{current}-{stamp}.db")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
