"""Istruttorie from two comuni to the capofila and the receipts back, on three real encrypted
stores (issue 11): onboarding, export, import all or nothing, idempotence, versions, receipts
and the states at the comuni."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.transmission import (
    MemberRole,
    ReceiptOutcome,
    TransmissionState,
)
from caseworker_app.services import transmissions, transmissions_reception
from caseworker_app.services.audit_log import verify_audit
from caseworker_app.services.transmissions import ImportedReceipt
from caseworker_app.services.transmissions_reception import ImportedIstruttorie
from caseworker_app.transfer.istanza_record import read_istanza

from .transmission_stores import NOW, Ambito, make_ambito, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def ready(ambito: Ambito, comune: str) -> list[str]:
    store = ambito.comuni[comune]
    rows = transmissions.readiness(store.uow_factory(), actor=store.actor, now=NOW)
    return [r.istanza_id for r in rows if r.ready]


def states(ambito: Ambito, comune: str) -> dict[str, TransmissionState]:
    store = ambito.comuni[comune]
    return transmissions.transmission_states(store.uow_factory(), actor=store.actor)


def test_round_trip_two_comuni_capofila_and_receipts_back(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault))
    capofila = ambito.capofila
    try:
        sent: dict[str, list[str]] = {}
        files: dict[str, Path] = {}
        for code, store in ambito.comuni.items():
            sent[code] = ready(ambito, code)
            assert sent[code], f"the demo of {code} has no istanza ready"
            files[code] = ambito.export(code)
            assert files[code].name == f"{code}-20261210-001.cwt"
            assert files[code].stat().st_mode & 0o777 == 0o600
            with store.uow_factory() as uow:
                for istanza_id in sent[code]:
                    istanza = uow.istanze.get(istanza_id)
                    assert istanza is not None and istanza.state is IstanzaState.TRASMESSA
            assert {states(ambito, code)[i] for i in sent[code]} == {TransmissionState.INVIATA}
            assert ready(ambito, code) == []  # nothing left: sent, and unchanged since

        # the capofila: the first file of each comune needs the fingerprint read on the phone
        first = files["A127"]
        before = snapshot(capofila)
        with pytest.raises(UserFacingError) as caught:
            ambito.import_(capofila, first)
        assert caught.value.code == "transmission.key_unconfirmed"
        assert caught.value.params["fingerprint"] == ambito.fingerprint(ambito.comuni["A127"])
        assert snapshot(capofila) == before

        receipts: dict[str, Path] = {}
        for code, path in files.items():
            trust = ambito.fingerprint(ambito.comuni[code])
            result = ambito.import_(capofila, path, trust=trust)
            assert isinstance(result, ImportedIstruttorie)
            assert result.pinned and not result.already_imported
            assert [line.outcome for line in result.lines] == [ReceiptOutcome.ACCETTATA] * len(
                sent[code]
            )
            assert result.receipt is not None and result.receipt.exists()
            assert result.receipt.name == f"{code}-20261210-001-ricevuta.cwt"
            receipts[code] = result.receipt

        received = transmissions_reception.received_istanze(
            capofila.uow_factory(), actor=capofila.actor
        )
        assert sorted({r.comune for r in received}) == ["A127", "B448"]
        assert len(received) == sum(len(v) for v in sent.values())
        for row in received:
            record = read_istanza(row.record, source="x", avviso=None)
            assert (record.id, record.comune) == (row.protocol, row.comune)
            roles = {m.role for m in row.members}
            assert MemberRole.RECORD in roles
            if row.evaluation_included:
                assert {
                    MemberRole.EVALUATION,
                    MemberRole.ASSESSMENT,
                    MemberRole.PI,
                    MemberRole.PI_PDF,
                } <= roles
                pdf = next(m for m in row.members if m.role is MemberRole.PI_PDF)
                data = transmissions_reception.received_member(
                    capofila.uow_factory(),
                    actor=capofila.actor,
                    received_id=row.id,
                    name=pdf.name,
                    now=NOW,
                )
                assert data.startswith(b"%PDF-")
        assert verify_audit(capofila.uow_factory()).ok

        # the same file again: nothing changes, the same receipt
        before = snapshot(capofila)
        again = ambito.import_(capofila, first, receipt=tmp_path / "again.cwt")
        assert isinstance(again, ImportedIstruttorie) and again.already_imported
        assert snapshot(capofila) == before
        assert (tmp_path / "again.cwt").read_bytes() == receipts["A127"].read_bytes()

        # the receipts back at the comuni
        for code, path in receipts.items():
            store = ambito.comuni[code]
            got = ambito.import_(store, path)
            assert isinstance(got, ImportedReceipt)
            assert (got.accepted, got.rejected, got.already_imported) == (len(sent[code]), 0, False)
            assert {states(ambito, code)[i] for i in sent[code]} == {TransmissionState.RICEVUTA}
            before = snapshot(store)
            assert isinstance(ambito.import_(store, path), ImportedReceipt)
            assert snapshot(store) == before
            assert verify_audit(store.uow_factory()).ok
    finally:
        for workspace in ambito.opened:
            workspace.close()


def test_a_corrected_istanza_goes_again_as_a_new_version_and_supersedes(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault))
    try:
        code = "A127"
        store = ambito.comuni[code]
        ids = ready(ambito, code)
        first = ambito.export(code)
        trust = ambito.fingerprint(store)
        ambito.import_(ambito.capofila, first, trust=trust)
        # a correction: the social evaluation of one evaluated istanza changes
        with store.uow_factory() as uow:
            evaluated = [
                i for i in ids if uow.records.of_case(uow.istanze.get(i).case_id, "evaluation")
            ]
        assert evaluated
        target = evaluated[0]
        with store.uow_factory() as uow:
            case_id = uow.istanze.get(target).case_id
            record = uow.records.of_case(case_id, "evaluation")[-1]
            data = dict(record.data)
            data["summary"] = str(data.get("summary", "")) + " Aggiornata."
            uow.records.put(replace(record, data=data))
            uow.commit()
        rows = transmissions.readiness(store.uow_factory(), actor=store.actor, now=NOW)
        row = next(r for r in rows if r.istanza_id == target)
        assert row.ready and row.next_version == 2
        second = ambito.export(code, ids=[target])
        assert second.name == f"{code}-20261210-002.cwt"
        result = ambito.import_(ambito.capofila, second)
        assert isinstance(result, ImportedIstruttorie)
        assert [(ln.version, ln.outcome) for ln in result.lines] == [
            (2, ReceiptOutcome.SOSTITUISCE)
        ]
        with store.uow_factory() as uow:
            protocol = uow.istanze.get(target).protocol
        versions = transmissions_reception.received_versions(
            ambito.capofila.uow_factory(),
            actor=ambito.capofila.actor,
            comune=code,
            protocol=protocol,
        )
        assert [(v.version, v.current) for v in versions] == [(1, False), (2, True)]
        # the older file again is "già importato"; a replay of version 1 in a new file is stale
        assert ambito.import_(ambito.capofila, first).already_imported  # type: ignore[attr-defined]
    finally:
        for workspace in ambito.opened:
            workspace.close()
