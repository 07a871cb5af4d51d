"""The store file is encrypted as a whole and holds no personal data in clear."""

from __future__ import annotations

import base64
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases

SURNAME = "Sciacchitano"
CF = "SCCMRA40A41A010"


def _add_person(workspace: OpenStore) -> None:
    cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(
            surname=SURNAME,
            given_name="Mariangela",
            sex=Sex.F,
            birth_date=date(1940, 1, 1),
            residence_comune="A010",
            codice_fiscale=CF,
        ),
        now=datetime(2026, 11, 22, 10, 0),
    )


def _store_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_plain_sqlite_cannot_read_the_store(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    _add_person(workspace)
    conn = sqlite3.connect(vault.layout.db)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
    assert not vault.layout.db.read_bytes().startswith(b"SQLite format 3")


def test_no_personal_data_in_clear_in_any_store_file(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, workspace, _ = created
    _add_person(workspace)  # the WAL holds the fresh commit, so it is checked too
    files = _store_files(vault.root)
    assert any(p.name.endswith("-wal") for p in files)
    workspace.close()  # checkpoints the WAL into the main file
    files += _store_files(vault.root)
    for path in files:
        if not path.exists():
            continue
        raw = path.read_bytes()
        for needle in (SURNAME.encode(), SURNAME.upper().encode(), CF.encode(), b"Mariangela"):
            assert needle not in raw, f"{needle!r} in clear in {path.name}"


def test_store_files_are_private_to_the_owner(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    _add_person(workspace)
    for path in (vault.layout.db, vault.layout.keyfile, vault.layout.meta):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.name} is readable by others: {oct(mode)}"


def test_key_file_holds_no_usable_key(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    key_hex = workspace._key.hex()
    text = vault.layout.keyfile.read_text()
    assert key_hex not in text
    assert key_hex.upper() not in text
    assert base64.b64encode(workspace._key).decode() not in text


def test_database_pragmas_are_durable(created: tuple[Vault, OpenStore, str]) -> None:
    _, workspace, _ = created
    with workspace.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
