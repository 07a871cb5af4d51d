"""Schema upgrades on a real store of the first released schema."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.store import migrate
from caseworker_app.store.engine import make_engine

FIXTURE = Path(__file__).parents[1] / "fixtures" / "stores" / "schema-0001"
PASSWORD = "fixture-password-0001"
RECOVERY_CODE = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(FIXTURE, target)
    return target


def test_first_schema_store_is_upgraded_with_a_backup_first(
    old_store: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    vault = make_vault(old_store)

    workspace = vault.unlock("fixture", PASSWORD)
    with workspace.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        tables = {
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert "protocol_counters" in tables
    backups = list(vault.layout.backups.glob("pre-upgrade-0001-*.db"))
    assert len(backups) == 1
    # the backup is the untouched old database, still encrypted with the same key
    old = make_engine(backups[0], workspace._key, pooled=False)
    with old.connect() as conn:
        assert migrate.current_revision(conn) == "0001"
    old.dispose()
    # the data written under the old schema are all there and searchable
    from caseworker_app.services import cases

    rows = cases.search_cases(workspace.uow_factory(), actor=workspace.actor, text="fumag")
    assert [r.surname for r in rows] == ["Fumagalli"]
    workspace.close()


def test_a_second_open_does_not_upgrade_again(
    old_store: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    vault = make_vault(old_store)
    vault.unlock("fixture", PASSWORD).close()
    vault.unlock("fixture", PASSWORD).close()
    assert len(list(vault.layout.backups.glob("*.db"))) == 1


def test_database_from_a_newer_version_is_refused_untouched(
    old_store: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    vault = make_vault(old_store)
    workspace = vault.unlock("fixture", PASSWORD)
    key = workspace._key
    workspace.close()
    engine = make_engine(vault.layout.db, key, pooled=False)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    engine.dispose()
    before = hashlib.sha256(vault.layout.db.read_bytes()).hexdigest()
    with pytest.raises(UserFacingError) as err:
        vault.unlock("fixture", PASSWORD)
    assert err.value.code == "store.newer_version"
    assert hashlib.sha256(vault.layout.db.read_bytes()).hexdigest() == before


def test_failed_upgrade_leaves_the_old_schema(
    old_store: Path,
    make_vault: Callable[[Path], Vault],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole upgrade is one transaction: a failure mid-way rolls everything back."""
    from alembic.operations import Operations

    real_create_table = Operations.create_table

    def create_then_fail(self: Operations, name: str, *a: object, **k: object) -> object:
        real_create_table(self, name, *a, **k)
        raise RuntimeError("simulated failure after the first DDL")

    monkeypatch.setattr(Operations, "create_table", create_then_fail)
    vault = make_vault(old_store)
    with pytest.raises(RuntimeError, match="simulated"):
        vault.unlock("fixture", PASSWORD)
    monkeypatch.undo()
    workspace_key = None
    from caseworker_app.security.keys import unwrap_key

    blob = vault.keystore(vault.layout.read_meta()).get("operator:fixture")
    assert blob is not None
    workspace_key = unwrap_key(
        blob, PASSWORD, store_id=vault.layout.read_meta().store_id, slot="operator:fixture"
    )
    assert workspace_key is not None
    engine = make_engine(vault.layout.db, workspace_key, pooled=False)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "0001"
        tables = {
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
    engine.dispose()
    assert "protocol_counters" not in tables


def test_recovery_code_of_the_fixture_still_works(
    old_store: Path,
    make_vault: Callable[[Path], Vault],
) -> None:
    vault = make_vault(old_store)
    workspace = vault.recover(RECOVERY_CODE, "fixture", "nuova-password-lunga")
    workspace.close()
    vault.unlock("fixture", "nuova-password-lunga").close()
    with pytest.raises(UserFacingError):
        vault.unlock("fixture", PASSWORD)


def test_head_revision_constant_is_the_newest_migration() -> None:
    # opening a store compares its revision with the constant, without loading Alembic
    assert migrate.head_revision() == migrate.HEAD_REVISION
    assert max(migrate.known_revisions()) == migrate.HEAD_REVISION


def test_opening_an_up_to_date_store_does_not_load_alembic(
    old_store: Path, make_vault: Callable[[Path], Vault]
) -> None:
    make_vault(old_store).unlock("fixture", PASSWORD).close()  # upgraded here, in this process
    script = (
        "import sys\n"
        "from caseworker_app.bootstrap.vault import Vault\n"
        "from caseworker_app.security.keys import FAST_TEST_KDF\n"
        f"store = Vault({str(old_store)!r}, kdf=FAST_TEST_KDF, keystore_preference='file')"
        f".unlock('fixture', {PASSWORD!r})\n"
        "store.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
