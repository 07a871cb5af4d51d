"""The ambito package between two real stores: a capofila issues it, a comune imports it and pins
the capofila's keys (issue 11, "Keys and onboarding"). Every refusal leaves the comune's store as
it was: the same rows in every table, the same audit chain head."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.definitions.avviso_files import avvisi_in_force
from caseworker_app.domain.ambito_package import Direction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.installation_keys import OwnKeys, PeerKeyStatus, parse_fingerprint
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security import transfer_keys
from caseworker_app.services import ambito_packages
from caseworker_app.services.audit_log import verify_audit
from caseworker_app.services.installation_keys import own_public_keys
from caseworker_app.services.transfer_import import ImportOptions, import_transfer_file
from caseworker_app.store import migrate
from caseworker_app.transfer.sealed import RecipientRef, Sender, write_sealed

from .conftest import PASSWORD

NOW = datetime(2026, 12, 10, 9, 30)
Snapshot = tuple[dict[str, int], object]


@dataclass
class Stores:
    capofila: OpenStore
    comune: OpenStore
    folder: Path
    make: Callable[[str, str, str, str], OpenStore]
    counter: int = 0

    def export(self, store: OpenStore | None = None, *, at: datetime = NOW) -> Path:
        self.counter += 1
        out = self.folder / f"ambito-{self.counter:03d}.cwa"
        ambito_packages.export_ambito_package(
            (store or self.capofila).uow_factory(),
            actor=(store or self.capofila).actor,
            out=out,
            now=at,
        )
        return out

    def import_(
        self, path: Path, trust: str | None = None, *, store: OpenStore | None = None
    ) -> ambito_packages.ImportedAmbitoPackage:
        target = store or self.comune
        return ambito_packages.import_ambito_package(
            target.uow_factory(), actor=target.actor, path=path, trust_fingerprint=trust, now=NOW
        )


@pytest.fixture
def stores(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Stores]:
    opened: list[OpenStore] = []

    def make(role: str, ambito: str, comune: str, username: str) -> OpenStore:
        vault = make_vault(tmp_path / f"{role}-{comune}-{len(opened)}")
        workspace, _ = vault.create(
            SetupRequest(role, ambito, comune, username, username.title(), PASSWORD)
        )
        opened.append(workspace)
        return workspace

    folder = tmp_path / "usb"
    folder.mkdir()
    capofila = make("capofila", "abbiatense", "A010", "udp")
    comune = make("comune", "abbiatense", "A127", "mrossi")
    yield Stores(capofila, comune, folder, make)
    for workspace in opened:
        workspace.close()


def fingerprint_of(store: OpenStore) -> str:
    return own_public_keys(store.uow_factory(), actor=store.actor).fingerprint.display


def snapshot(store: OpenStore) -> Snapshot:
    with store.engine.connect() as conn:
        tables = [
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one() for t in tables
        }
    with store.uow_factory() as uow:
        head = uow.audit.head()
    return counts, head


def refused(stores: Stores, call: Callable[[], object], code: str) -> UserFacingError:
    """``call`` is refused with ``code`` and the comune's store is left exactly as it was."""
    before = snapshot(stores.comune)
    with pytest.raises(UserFacingError) as caught:
        call()
    assert caught.value.code == code, str(caught.value)
    assert snapshot(stores.comune) == before
    return caught.value


def events(store: OpenStore) -> list[tuple[str, str, str]]:
    with store.uow_factory() as uow:
        return [(e.action, e.entity_type, e.entity_id) for e in uow.audit.iterate()
                if e.entity_type in ("pacchetto_ambito", "chiavi_capofila")]  # fmt: skip


def peers(store: OpenStore) -> list[tuple[str, PeerKeyStatus, str]]:
    with store.uow_factory() as uow:
        return [(p.fingerprint.display, p.status, p.confirmed_by) for p in uow.keys.list_peers()]


def rotate_keys(store: OpenStore) -> None:
    """What a future "change keys" use case does: retire the current set, make a new one."""
    with store.uow_factory() as uow:
        current = uow.keys.current_own()
        assert current is not None
        uow.keys.retire_own(current.id, at=NOW)
        uow.keys.add_own(OwnKeys(new_id(), NOW, transfer_keys.generate_key_set()))
        uow.commit()


# -- onboarding ----------------------------------------------------------------------------------


def test_the_first_package_is_accepted_only_with_the_fingerprint_read_on_the_phone(
    stores: Stores,
) -> None:
    path = stores.export()
    expected = fingerprint_of(stores.capofila)
    error = refused(stores, lambda: stores.import_(path), "ambito.key_unconfirmed")
    assert error.params == {"file": path.name, "fingerprint": expected}
    wrong = "0" * 40
    error = refused(stores, lambda: stores.import_(path, wrong), "ambito.fingerprint_mismatch")
    assert error.params["fingerprint"] == expected
    refused(stores, lambda: stores.import_(path, "123"), "keys.fingerprint_format")

    typed = expected.replace(" ", "-")  # as typed from the phone: separators do not count
    imported = stores.import_(path, typed)
    assert (imported.pinned, imported.rotated, imported.already_imported) == (True, False, False)
    assert imported.fingerprint.display == expected
    assert imported.package.sequence == 1
    assert imported.package.ambito == "abbiatense"
    assert [c.code for c in imported.package.comuni][:2] == ["A010", "A127"]
    assert peers(stores.comune) == [(expected, PeerKeyStatus.CONFERMATA, "mrossi")]
    # the avvisi definitions in force travelled as their files' exact bytes
    shipped = {f"avvisi/{f.name}": f.data for f in avvisi_in_force(get_ambito("abbiatense"))}
    assert [(a.id, a.version) for a in imported.package.avvisi] == [
        ("abbiatense-caregiver-2023", "1")
    ]
    current = ambito_packages.current_ambito_package(
        stores.comune.uow_factory(), actor=stores.comune.actor
    )
    assert current is not None and current.pinned is not None
    assert current.stored.direction is Direction.IMPORTATO
    assert dict(current.stored.files) == shipped
    for avviso in current.package.avvisi:
        assert hashlib.sha256(shipped[avviso.member]).hexdigest() == avviso.sha256
    assert current.stored.recorded_by == "mrossi"
    kinds = [(action, entity) for action, entity, _ in events(stores.comune)]
    assert kinds == [("create", "chiavi_capofila"), ("import", "pacchetto_ambito")]
    assert verify_audit(stores.comune.uow_factory()).ok
    # at the capofila: the package it issued, audited
    issued = ambito_packages.current_ambito_package(
        stores.capofila.uow_factory(), actor=stores.capofila.actor
    )
    assert issued is not None and issued.pinned is None
    assert issued.stored.direction is Direction.ESPORTATO
    assert issued.stored.sha256 == current.stored.sha256
    assert [(a, e) for a, e, _ in events(stores.capofila)] == [("export", "pacchetto_ambito")]


def test_the_same_file_twice_changes_nothing(stores: Stores) -> None:
    path = stores.export()
    fingerprint = fingerprint_of(stores.capofila)
    stores.import_(path, fingerprint)
    before = snapshot(stores.comune)
    again = stores.import_(path)
    assert again.already_imported and not again.pinned
    assert again.package.sequence == 1
    assert stores.import_(path, fingerprint).already_imported
    # also through "import any of our files"
    result = import_transfer_file(
        stores.comune.uow_factory(), actor=stores.comune.actor, path=path, now=NOW
    )
    assert result.already_imported
    assert snapshot(stores.comune) == before


def test_newer_packages_are_accepted_and_older_ones_refused_as_stale(stores: Stores) -> None:
    first, second, third = stores.export(), stores.export(), stores.export()
    stores.import_(first, fingerprint_of(stores.capofila))
    later = stores.import_(third)  # signed by the pinned key: no fingerprint needed
    assert later.package.sequence == 3 and not later.pinned
    error = refused(stores, lambda: stores.import_(second), "ambito.stale")
    assert (error.params["sequence"], error.params["held"]) == (2, 3)
    with stores.comune.uow_factory() as uow:
        assert [p.sequence for p in uow.ambito.packages(Direction.IMPORTATO)] == [1, 3]


def test_a_package_signed_by_another_capofila_key_is_refused(stores: Stores) -> None:
    stores.import_(stores.export(), fingerprint_of(stores.capofila))
    impostor = stores.make("capofila", "abbiatense", "A010", "altro")
    forged = stores.export(impostor)
    for _ in range(5):  # a later sequence than anything held does not help
        forged = stores.export(impostor)
    refused(stores, lambda: stores.import_(forged), "ambito.key_changed")
    # not even with its own fingerprint "confirmed": a pinned key changes only by rotation
    other = fingerprint_of(impostor)
    refused(stores, lambda: stores.import_(forged, other), "ambito.key_changed")


def test_a_rotation_signed_by_the_pinned_key_moves_the_comune_to_the_new_key(
    stores: Stores,
) -> None:
    old_fingerprint = fingerprint_of(stores.capofila)
    stores.import_(stores.export(), old_fingerprint)
    before_rotation = stores.export()  # issued with the old key, never imported
    rotate_keys(stores.capofila)
    new_fingerprint = fingerprint_of(stores.capofila)
    assert new_fingerprint != old_fingerprint
    rotated = stores.import_(stores.export())
    assert rotated.rotated and not rotated.pinned
    assert rotated.package.rotation is not None
    assert rotated.fingerprint.display == new_fingerprint
    assert sorted(peers(stores.comune)) == sorted(
        [
            (old_fingerprint, PeerKeyStatus.REVOCATA, "mrossi"),
            (new_fingerprint, PeerKeyStatus.CONFERMATA, "mrossi"),
        ]
    )
    old_digits = parse_fingerprint(old_fingerprint).digits
    new_digits = parse_fingerprint(new_fingerprint).digits
    assert events(stores.comune)[-3:] == [
        ("update", "chiavi_capofila", old_digits),
        ("create", "chiavi_capofila", new_digits),
        ("import", "pacchetto_ambito", events(stores.comune)[-1][2]),
    ]
    # the next package still carries the rotation (a comune may have missed the previous one)
    following = stores.import_(stores.export())
    assert following.package.rotation is not None and not following.rotated
    # a package signed by the revoked key is refused, whatever its sequence
    refused(stores, lambda: stores.import_(before_rotation), "ambito.key_revoked")


def test_a_comune_that_missed_the_rotation_package_follows_with_the_next(stores: Stores) -> None:
    stores.import_(stores.export(), fingerprint_of(stores.capofila))
    rotate_keys(stores.capofila)
    stores.export()  # the first package with the new key: lost on the way
    assert stores.import_(stores.export()).rotated


def test_a_flipped_byte_anywhere_is_refused(stores: Stores) -> None:
    stores.import_(stores.export(), fingerprint_of(stores.capofila))
    path = stores.export()
    data = path.read_bytes()
    target = stores.folder / "flipped.cwa"
    before = snapshot(stores.comune)
    step = max(1, len(data) // 150)
    for position in range(0, len(data), step):
        flipped = bytearray(data)
        flipped[position] ^= 0x04
        target.write_bytes(bytes(flipped))
        with pytest.raises(UserFacingError) as caught:
            stores.import_(target)
        assert caught.value.code.split(".")[0] in ("transfer", "ambito"), caught.value.code
    assert snapshot(stores.comune) == before
    assert stores.import_(path).package.sequence == 2  # the intact file is accepted


def test_a_package_of_another_ambito_is_refused(stores: Stores) -> None:
    pavese = stores.make("capofila", "alto-basso-pavese", "E265", "siziano")
    path = stores.export(pavese)
    error = refused(
        stores, lambda: stores.import_(path, fingerprint_of(pavese)), "ambito.other_ambito"
    )
    assert (error.params["found"], error.params["ambito"]) == ("alto-basso-pavese", "abbiatense")


def test_the_package_is_imported_at_a_comune_and_issued_at_a_capofila_only(
    stores: Stores,
) -> None:
    path = stores.export()
    capofila = stores.capofila
    before = snapshot(capofila)
    with pytest.raises(UserFacingError) as caught:
        stores.import_(path, fingerprint_of(capofila), store=capofila)
    assert caught.value.code == "ambito.import_not_comune"
    assert snapshot(capofila) == before
    out = stores.folder / "from-a-comune.cwa"
    refused(
        stores,
        lambda: ambito_packages.export_ambito_package(
            stores.comune.uow_factory(), actor=stores.comune.actor, out=out, now=NOW
        ),
        "ambito.export_not_capofila",
    )
    assert not out.exists()


def test_an_export_that_cannot_be_written_records_nothing(stores: Stores) -> None:
    existing = stores.folder / "taken.cwa"
    existing.write_bytes(b"keep")
    before = snapshot(stores.capofila)
    with pytest.raises(UserFacingError) as caught:
        ambito_packages.export_ambito_package(
            stores.capofila.uow_factory(), actor=stores.capofila.actor, out=existing, now=NOW
        )
    assert caught.value.code == "transfer.target_exists"
    assert existing.read_bytes() == b"keep"
    assert snapshot(stores.capofila) == before
    # the sequence was not used up
    assert stores.import_(stores.export(), fingerprint_of(stores.capofila)).package.sequence == 1


def test_a_file_of_a_kind_this_version_cannot_import_is_refused(stores: Stores) -> None:
    """An encrypted file for the comune, well signed, of a kind without an importer."""
    capofila = stores.capofila
    with capofila.uow_factory() as uow:
        keys = uow.keys.current_own()
        assert keys is not None
    bundle = own_public_keys(capofila.uow_factory(), actor=capofila.actor)
    comune_keys = own_public_keys(stores.comune.uow_factory(), actor=stores.comune.actor)
    path = stores.folder / "controlli.cwt"
    write_sealed(
        path,
        kind="controlli",
        sender=Sender(
            bundle.installation,
            "capofila",
            "abbiatense",
            ("A010",),
            bundle.signing_public,
            bundle.age_recipient,
        ),
        signing_key=transfer_keys.load_signing_private(keys.material.signing_private),
        recipients=[transfer_keys.load_recipient(comune_keys.age_recipient)],
        recipient=RecipientRef(fingerprint=comune_keys.fingerprint.digits),
        members={"controlli.json": b"{}"},
        payload={},
        app_version="0.1.0",
        created_at=datetime(2026, 12, 10, 9, 30, tzinfo=UTC),
        transmission=uuid.uuid4(),
    )
    error = refused(
        stores,
        lambda: import_transfer_file(
            stores.comune.uow_factory(),
            actor=stores.comune.actor,
            path=path,
            options=ImportOptions(trust_fingerprint=bundle.fingerprint.display),
            now=NOW,
        ),
        "transfer.kind_unknown",
    )
    assert error.params == {"file": "controlli.cwt"}


def test_the_dispatcher_imports_an_ambito_package(stores: Stores) -> None:
    path = stores.export(at=NOW - timedelta(days=1))
    result = import_transfer_file(
        stores.comune.uow_factory(),
        actor=stores.comune.actor,
        path=path,
        options=ImportOptions(trust_fingerprint=fingerprint_of(stores.capofila)),
        now=NOW,
    )
    assert result.pinned and result.package.sequence == 1


def test_revision_0009_downgrades_and_upgrades_again(stores: Stores) -> None:
    stores.import_(stores.export(), fingerprint_of(stores.capofila))
    workspace = stores.comune
    cfg = migrate.alembic_config()

    def tables() -> set[str]:
        with workspace.engine.connect() as conn:
            return {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}

    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    assert {"ambito_packages", "ambito_package_files"}.isdisjoint(tables())
    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert {"ambito_packages", "ambito_package_files"} <= tables()
    # the pinned key is in 0008's table and survives; the package can be imported again
    assert stores.import_(stores.export()).package.sequence == 2
