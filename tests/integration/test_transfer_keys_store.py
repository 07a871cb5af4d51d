"""The transmission keys kept in a real encrypted store: created once, never in clear, in every
backup, readable by the standard ``age`` tool, and their tables as the migration makes them."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pyrage import x25519
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import (
    OwnKeys,
    PeerKey,
    PeerKeyStatus,
    PublicKeyBundle,
)
from caseworker_app.fsutil import atomic_write_text
from caseworker_app.security import transfer_keys
from caseworker_app.services import installation_keys
from caseworker_app.services.audit_log import verify_audit
from caseworker_app.store import migrate
from caseworker_app.store.models import Base
from tests.tools import require

from .conftest import PASSWORD, USERNAME

Created = tuple[Vault, OpenStore, str]
NOW = datetime(2026, 12, 8, 9, 30)
FIXTURE_0001 = Path(__file__).parents[1] / "fixtures" / "stores" / "schema-0001"


def _not_fts(obj: object, name: str | None, type_: str, reflected: bool, compare: object) -> bool:
    """As migrations/env.py: the FTS5 shadow tables are managed by raw SQL, outside the models
    (env.py runs only inside Alembic, so it cannot be imported here)."""
    return not (type_ == "table" and name is not None and name.startswith("persons_fts"))


def _ensure(workspace: OpenStore) -> PublicKeyBundle:
    with workspace.uow_factory() as uow:
        bundle = installation_keys.ensure_own_keys(uow, now=NOW, actor=workspace.actor)
        uow.commit()
    return bundle


def _stored(workspace: OpenStore) -> OwnKeys:
    with workspace.uow_factory() as uow:
        current = uow.keys.current_own()
    assert current is not None
    return current


def _key_events(workspace: OpenStore) -> list[tuple[str, str, str]]:
    with workspace.uow_factory() as uow:
        return [(e.action, e.entity_id, e.operator) for e in uow.audit.iterate()
                if e.entity_type == "chiavi"]  # fmt: skip


def test_the_key_set_is_created_once_and_audited_without_the_key(created: Created) -> None:
    _, workspace, _ = created
    first = _ensure(workspace)
    assert _ensure(workspace) == first
    assert (first.installation, first.role, first.ambito, first.comuni) == (
        workspace.meta.store_id,
        "comune",
        "abbiatense",
        ("A010",),
    )
    with workspace.uow_factory() as uow:
        sets = uow.keys.list_own()
    assert len(sets) == 1 and sets[0].current
    stored = sets[0].material
    assert (stored.signing_public, stored.age_recipient) == (first.signing_public,
                                                           first.age_recipient)  # fmt: skip
    events = _key_events(workspace)
    assert [(action, entity_id) for action, entity_id, _ in events] == [("create", sets[0].id)]
    assert verify_audit(workspace.uow_factory()).ok
    # any operator reads the public part; it is the same bundle
    assert installation_keys.own_public_keys(workspace.uow_factory(), actor=workspace.actor) == (
        first
    )


def test_without_a_key_set_the_public_keys_are_missing_until_first_use(created: Created) -> None:
    _, workspace, _ = created
    with workspace.engine.begin() as conn:  # a store from before the keys (or the lead's setup)
        conn.exec_driver_sql("DELETE FROM own_keys")
    with pytest.raises(UserFacingError) as err:
        installation_keys.own_public_keys(workspace.uow_factory(), actor=workspace.actor)
    assert err.value.code == "keys.missing"
    bundle = _ensure(workspace)
    assert installation_keys.own_public_keys(workspace.uow_factory(), actor=workspace.actor) == (
        bundle
    )


def test_an_older_store_gets_its_keys_on_first_use(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    shutil.copytree(FIXTURE_0001, tmp_path / "store")
    workspace = make_vault(tmp_path / "store").unlock("fixture", "fixture-password-0001")
    try:
        bundle = _ensure(workspace)
        assert bundle.installation == workspace.meta.store_id
        assert _ensure(workspace) == bundle
    finally:
        workspace.close()


def test_the_private_keys_are_in_no_file_in_clear(created: Created, tmp_path: Path) -> None:
    vault, workspace, _ = created
    _ensure(workspace)
    material = _stored(workspace).material
    assert material.age_identity.startswith("AGE-SECRET-KEY-1")  # really kept in the store
    secrets = [
        b"AGE-SECRET-KEY-1",
        b"age-secret-key-1",
        material.age_identity.encode(),
        material.signing_private.encode(),
    ]
    files = [p for p in vault.root.rglob("*") if p.is_file()]
    assert any(p.name == "caseworker.db" for p in files)
    for path in files:  # the database, its WAL, the key file, the store description...
        raw = path.read_bytes()
        assert not any(s in raw for s in secrets), path.name
    report = workspace.backup(tmp_path)
    assert not any(s in report.path.read_bytes() for s in secrets)


def test_the_keys_survive_a_backup_and_a_restore(
    created: Created, tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    _, workspace, code = created
    bundle = _ensure(workspace)
    before = _stored(workspace)
    usb = tmp_path / "usb"
    usb.mkdir()
    report = workspace.backup(usb)
    other = make_vault(tmp_path / "new-laptop" / "store")
    other.restore(report.path, code, replace_existing=False)
    restored = other.unlock(USERNAME, PASSWORD)
    try:
        assert _stored(restored) == before
        assert _ensure(restored).fingerprint == bundle.fingerprint
        assert [e[0] for e in _key_events(restored)] == ["create"]  # not created again
    finally:
        restored.close()


def test_the_standard_age_tool_opens_a_file_with_the_stored_identity(
    created: Created, tmp_path: Path
) -> None:
    age = require("age")
    _, workspace, _ = created
    bundle = _ensure(workspace)
    sealed = pyrage.encrypt(b"istruttorie 2026", [x25519.Recipient.from_str(bundle.age_recipient)])
    (tmp_path / "invio.age").write_bytes(sealed)
    identity_file = tmp_path / "identita.txt"
    atomic_write_text(identity_file, _stored(workspace).material.age_identity + "\n", mode=0o600)
    assert identity_file.stat().st_mode & 0o777 == 0o600
    done = subprocess.run(
        [age, "--decrypt", "-i", str(identity_file), str(tmp_path / "invio.age")],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"istruttorie 2026"
    # and what our adapter encrypts to the recipient, age opens too
    ours = transfer_keys.encrypt(b"ricevuta", [bundle.age_recipient])
    done = subprocess.run([age, "-d", "-i", str(identity_file)], input=ours, capture_output=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0 and done.stdout == b"ricevuta", done.stderr


def test_damaged_keys_in_the_store_are_refused(created: Created) -> None:
    _, workspace, _ = created
    _ensure(workspace)
    stranger = transfer_keys.generate_key_set()
    with workspace.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE own_keys SET signing_private = ?", (stranger.signing_private,))
    with pytest.raises(UserFacingError) as err:
        _ensure(workspace)
    assert err.value.code == "keys.damaged"
    assert stranger.signing_private not in str(err.value)


def test_a_store_holds_one_current_key_set(created: Created) -> None:
    _, workspace, _ = created
    _ensure(workspace)
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.keys.add_own(OwnKeys("second", NOW, transfer_keys.generate_key_set()))
    first = _stored(workspace)
    with workspace.uow_factory() as uow:  # a rotation: the old set retired, a new one current
        uow.keys.retire_own(first.id, at=NOW)
        uow.keys.add_own(OwnKeys("second", NOW, transfer_keys.generate_key_set()))
        uow.commit()
    with workspace.uow_factory() as uow:
        held = {k.id: k.current for k in uow.keys.list_own()}
        current = uow.keys.current_own()
    assert held == {first.id: False, "second": True}
    assert current is not None and current.id == "second"


def _peer_bundle(installation: str, *, comuni: tuple[str, ...] = ("A010",)) -> PublicKeyBundle:
    keys = transfer_keys.generate_key_set()
    return PublicKeyBundle(installation, "comune", "abbiatense", comuni, keys.signing_public,
                           keys.age_recipient)  # fmt: skip


def test_peer_keys_are_kept_per_installation_and_signing_key(created: Created) -> None:
    _, workspace, _ = created
    small = _peer_bundle("inst-1", comuni=("A010", "B123"))  # one worker for two comuni
    rotated = _peer_bundle("inst-1")
    other = _peer_bundle("inst-2")
    with workspace.uow_factory() as uow:
        for minutes, bundle in enumerate((small, rotated, other)):  # seen in this order
            seen = NOW + timedelta(minutes=minutes)
            uow.keys.save_peer(PeerKey(bundle, PeerKeyStatus.DA_CONFERMARE, seen))
        uow.commit()
    confirmed = PeerKey(small, PeerKeyStatus.CONFERMATA, NOW, confirmed_at=NOW,
                        confirmed_by="mrossi")  # fmt: skip
    with workspace.uow_factory() as uow:
        uow.keys.save_peer(confirmed)  # the same keys again: the row is updated
        uow.commit()
    with workspace.uow_factory() as uow:
        assert uow.keys.get_peer("inst-1", small.signing_public) == confirmed
        assert [p.bundle for p in uow.keys.peers_of("inst-1")] == [small, rotated]
        assert [p.bundle for p in uow.keys.list_peers(PeerKeyStatus.DA_CONFERMARE)] == [
            rotated,
            other,
        ]
        assert len(uow.keys.list_peers()) == 3
        assert uow.keys.get_peer("inst-3", small.signing_public) is None
        fingerprint = uow.session.execute(
            text("SELECT fingerprint FROM peer_keys WHERE comuni LIKE '%B123%'")
        ).scalar_one()
    assert fingerprint == small.fingerprint.digits
    changed = PublicKeyBundle("inst-1", "comune", "abbiatense", ("A010",), small.signing_public,
                              rotated.age_recipient)  # fmt: skip
    with pytest.raises(ValueError), workspace.uow_factory() as uow:
        uow.keys.save_peer(PeerKey(changed, PeerKeyStatus.DA_CONFERMARE, NOW))


def test_the_tables_are_what_the_migrations_make(created: Created) -> None:
    """The ORM models and the migrated schema agree (what autogenerate would see), and the
    partial index that allows one current key set exists (autogenerate cannot compare it)."""
    _, workspace, _ = created
    with workspace.engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "cannot reflect expression-based index"
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _not_fts}
        )
        assert compare_metadata(context, Base.metadata) == []
        index_sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'uq_own_keys_current'"
        ).scalar_one()
    assert "UNIQUE" in index_sql.upper() and "WHERE retired_at IS NULL" in index_sql


def test_revision_0008_downgrades_and_upgrades_again(created: Created) -> None:
    _, workspace, _ = created
    cfg = migrate.alembic_config()

    def tables() -> set[str]:
        with workspace.engine.connect() as conn:
            return {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}

    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    assert {"own_keys", "peer_keys", "uq_own_keys_current"}.isdisjoint(tables())
    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert {"own_keys", "peer_keys", "uq_own_keys_current"} <= tables()
    _ensure(workspace)
