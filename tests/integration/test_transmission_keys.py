"""Changing an installation's transmission keys (``keys rotate``) without losing the way back:
a comune's new keys are confirmed again by phone at the capofila, which revokes the old ones;
the capofila's new keys reach the comuni in its next ambito package, signed by the old ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import PeerKeyStatus
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Role
from caseworker_app.services import ambito_packages, installation_keys
from caseworker_app.services.transmissions_reception import ImportedIstruttorie

from .transmission_stores import NOW, make_ambito, snapshot


def test_a_comune_that_changed_keys_is_accepted_once_the_new_fingerprint_is_confirmed(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault, cases=20))
    try:
        comune = ambito.comuni["A127"]
        capofila = ambito.capofila
        first = ambito.export("A127")
        old = ambito.fingerprint(comune)
        ambito.import_(capofila, first, trust=old)
        bundle = installation_keys.rotate_own_keys(
            comune.uow_factory(), actor=comune.actor, now=NOW
        )
        new = bundle.fingerprint.display
        assert new != old and ambito.fingerprint(comune) == new
        # a correction after the change of keys
        with comune.uow_factory() as uow:
            sent = uow.transmissions.sent()[0].items[0]
            case_id = uow.istanze.get(sent.istanza_id).case_id  # type: ignore[union-attr]
            record = uow.records.of_case(case_id, "evaluation")[-1]
            uow.records.put(replace(record, data={**record.data, "summary": "Rivista."}))
            uow.commit()
        second = ambito.export("A127", ids=[sent.istanza_id])
        before = snapshot(capofila)
        with pytest.raises(UserFacingError) as caught:
            ambito.import_(capofila, second)
        assert caught.value.code == "transmission.key_changed"
        assert caught.value.params["fingerprint"] == new
        with pytest.raises(UserFacingError) as caught:
            ambito.import_(capofila, second, trust=old)
        assert caught.value.code == "transmission.fingerprint_mismatch"
        assert snapshot(capofila) == before

        done = ambito.import_(capofila, second, trust=new)
        assert isinstance(done, ImportedIstruttorie) and done.pinned
        with capofila.uow_factory() as uow:
            peers = {p.fingerprint.display: p.status for p in uow.keys.list_peers()}
        assert peers[old] is PeerKeyStatus.REVOCATA
        assert peers[new] is PeerKeyStatus.CONFERMATA
        # the receipt, encrypted to the new keys, still opens at the comune
        assert done.receipt is not None
        ambito.import_(comune, done.receipt)
        # and the first file, signed by the revoked keys, is still "già importato"
        again = ambito.import_(capofila, first)
        assert isinstance(again, ImportedIstruttorie) and again.already_imported
    finally:
        for workspace in ambito.opened:
            workspace.close()


def test_the_capofila_new_keys_reach_the_comuni_in_the_next_ambito_package(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault, cases=4))
    try:
        capofila = ambito.capofila
        comune = ambito.comuni["B448"]
        installation_keys.rotate_own_keys(capofila.uow_factory(), actor=capofila.actor, now=NOW)
        package = ambito.usb / "ambito-2.cwa"
        issued = ambito_packages.export_ambito_package(
            capofila.uow_factory(), actor=capofila.actor, out=package, now=NOW
        )
        assert issued.rotated
        imported = ambito.import_(comune, package)
        assert isinstance(imported, ambito_packages.ImportedAmbitoPackage) and imported.rotated
        assert imported.fingerprint.display == ambito.fingerprint(capofila)
    finally:
        for workspace in ambito.opened:
            workspace.close()


def test_only_the_administrator_changes_the_keys(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault, cases=0))
    try:
        comune = ambito.comuni["A127"]
        worker = Actor("mrossi", frozenset({Role.ASSISTENTE_SOCIALE}))
        before = snapshot(comune)
        with pytest.raises(UserFacingError) as caught:
            installation_keys.rotate_own_keys(comune.uow_factory(), actor=worker, now=NOW)
        assert caught.value.code == "auth.not_allowed"
        assert snapshot(comune) == before
    finally:
        for workspace in ambito.opened:
            workspace.close()


def test_a_comune_whose_activity_log_was_rewritten_is_flagged_to_the_capofila(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault, cases=20))
    try:
        comune = ambito.comuni["A127"]
        capofila = ambito.capofila
        first = ambito.export("A127")
        done = ambito.import_(capofila, first, trust=ambito.fingerprint(comune))
        assert isinstance(done, ImportedIstruttorie) and done.transmission.chain_warning == ""
        with comune.uow_factory() as uow:
            sent = uow.transmissions.sent()[0]
            head = sent.audit_head
            istanza_id = sent.items[0].istanza_id
            case_id = uow.istanze.get(istanza_id).case_id  # type: ignore[union-attr]
            record = uow.records.of_case(case_id, "evaluation")[-1]
            uow.records.put(replace(record, data={**record.data, "summary": "Rivista."}))
            uow.commit()
        assert head is not None
        # someone rewrites the comune's log (the hash of the event the capofila holds changes):
        # past the append-only triggers, which they drop first
        with comune.engine.begin() as conn:
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
            ).scalars()
            for name in list(triggers):
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            conn.exec_driver_sql(
                "UPDATE audit_events SET hash = ? WHERE seq = ?", ("f" * 64, head.seq)
            )
        second = ambito.export("A127", ids=[istanza_id])
        flagged = ambito.import_(capofila, second)
        assert isinstance(flagged, ImportedIstruttorie)
        assert f"n. {head.seq}" in flagged.transmission.chain_warning
        assert flagged.lines  # imported all the same: the capofila decides what to do
    finally:
        for workspace in ambito.opened:
            workspace.close()
