"""Ranking runs at the capofila over what two comuni sent (issue 13), on real encrypted stores:
recorded with their inputs, equal to the ``rank`` command on the same records, immutable, a
second run leaves the first byte-identical, approval by determina."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ranking_run import RunStatus, changes
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.services import ranking_runs, transmissions
from caseworker_app.services.judging import rank_istanze_file
from caseworker_app.services.transmissions_reception import received_istanze
from caseworker_app.transfer.verdict_json import allocation_payload

from .transmission_stores import AVVISO, NOW, Ambito, make_ambito, receive_all, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
ON = date(2026, 12, 10)


@pytest.fixture
def received(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Ambito]:
    """An ambito whose two comuni sent their istruttorie to the capofila."""
    for ambito in make_ambito(tmp_path, make_vault):
        receive_all(ambito)
        yield ambito


def rank(ambito: Ambito, **kwargs: object) -> ranking_runs.StoredRun:
    store = ambito.capofila
    return ranking_runs.rank_received(
        store.uow_factory(),
        actor=store.actor,
        avviso_id=AVVISO,
        on=kwargs.pop("on", ON),  # type: ignore[arg-type]
        now=NOW,
        **kwargs,  # type: ignore[arg-type]
    )


def stored_bytes(ambito: Ambito, run_id: str) -> tuple[bytes, str]:
    with ambito.capofila.uow_factory() as uow:
        entry = uow.runs.get(run_id)
        assert entry is not None
        return entry.content, entry.content_sha256


def test_a_run_equals_the_rank_command_on_the_same_records(
    received: Ambito, tmp_path: Path
) -> None:
    stored = rank(received, provisional=True)
    run = stored.run
    held = received_istanze(
        received.capofila.uow_factory(), actor=received.capofila.actor, avviso=AVVISO
    )
    assert {(r.comune, r.protocol) for r in run.rows} == {(h.comune, h.protocol) for h in held}
    assert {r.comune for r in run.rows} == {"A127", "B448"}
    # the same records through the file mode of `caseworker rank`
    folder = tmp_path / "records"
    folder.mkdir()
    for h in held:
        (folder / f"{h.comune}-{h.protocol.replace('/', '_')}.json").write_bytes(h.record)
    by_file = rank_istanze_file(avviso_id=AVVISO, path=folder, on=ON, provisional=True)
    expected = allocation_payload(by_file)["rows"]
    ours = [
        {
            "istanza": r.protocol,
            "comune": r.comune,
            "position": r.position,
            "priority_class": r.priority_class,
            "outcome": r.outcome.value,
            "amount": f"{r.amount:.2f}",
        }
        for r in run.rows
    ]
    assert ours == [{k: v for k, v in row.items() if k != "ranking"} for row in expected]
    assert (run.budget, run.assigned) == (by_file.budget, by_file.assigned)
    # what it judged with and on
    assert run.number == 1 and run.follows is None and run.created_by == "udp"
    assert len(run.definition_sha256) == 64 and len(run.inputs_sha256) == 64
    assert {(i.comune, i.protocol, i.version) for i in run.inputs} == {
        (h.comune, h.protocol, h.version) for h in held
    }
    raw, digest = stored_bytes(received, run.id)
    assert hashlib.sha256(raw).hexdigest() == digest == stored.content_sha256
    assert json.loads(raw)["format"] == "caseworker.ranking-run/2"
    # every row keeps its checks; admitted rows their ordering keys
    assert all(r.checks for r in run.rows)
    admitted = [r for r in run.rows if r.position is not None]
    assert admitted and all(r.keys for r in admitted)


def test_a_second_run_leaves_the_first_byte_identical_and_follows_it(received: Ambito) -> None:
    first = rank(received, provisional=True)
    before = stored_bytes(received, first.run.id)
    second = rank(received, provisional=True, budget=Decimal("1000.00"), note="nuovo budget")
    assert stored_bytes(received, first.run.id) == before
    assert second.run.number == 2 and second.run.follows == first.run.id
    assert second.run.inputs_sha256 != first.run.inputs_sha256  # the budget is an input
    assert second.run.budget == Decimal("1000.00")
    assert second.run.assigned <= Decimal("1000.00")
    runs = ranking_runs.runs_of(
        received.capofila.uow_factory(), actor=received.capofila.actor, avviso_id=AVVISO
    )
    assert [r.run.id for r in runs] == [first.run.id, second.run.id]
    assert changes(first.run, second.run) or first.run.assigned <= Decimal("1000.00")


def test_the_store_refuses_to_change_or_remove_a_run(received: Ambito) -> None:
    stored = rank(received, provisional=True)
    engine = received.capofila.engine
    for sql in (
        "UPDATE ranking_runs SET created_by = 'x'",
        "UPDATE ranking_runs SET content = x'00'",
        "DELETE FROM ranking_runs",
    ):
        with (
            pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
            engine.begin() as conn,
        ):
            conn.exec_driver_sql(sql)
    assert stored_bytes(received, stored.run.id)[1] == stored.content_sha256


def test_approval_by_determina_and_its_refusals(received: Ambito) -> None:
    store = received.capofila
    provisional = rank(received, provisional=True)
    if provisional.run.provisional:
        with pytest.raises(UserFacingError) as caught:
            ranking_runs.approve_run(
                store.uow_factory(),
                actor=store.actor,
                run_id=provisional.run.id,
                determina="12/2026",
                on=ON,
                now=NOW,
            )
        assert caught.value.code == "desk.provisional_not_approvable"
    # once every promised document's deadline has passed, the run is final
    final = rank(received, on=date(2027, 12, 31))
    assert not final.run.provisional and final.status is RunStatus.DEFINITIVA
    before = stored_bytes(received, final.run.id)
    with pytest.raises(UserFacingError) as caught:
        ranking_runs.approve_run(
            store.uow_factory(),
            actor=store.actor,
            run_id=final.run.id,
            determina="  ",
            on=ON,
            now=NOW,
        )
    assert caught.value.code == "desk.determina_invalid"
    approved = ranking_runs.approve_run(
        store.uow_factory(),
        actor=store.actor,
        run_id=final.run.id[:8],
        determina="123/2026",
        on=ON,
        now=NOW,
    )
    assert approved.status is RunStatus.APPROVATA
    assert approved.approval is not None and approved.approval.determina == "123/2026"
    assert stored_bytes(received, final.run.id) == before  # approving does not touch the run
    with pytest.raises(UserFacingError) as caught:
        ranking_runs.approve_run(
            store.uow_factory(),
            actor=store.actor,
            run_id=final.run.id,
            determina="124/2026",
            on=ON,
            now=NOW,
        )
    assert caught.value.code == "desk.already_approved"
    chosen = ranking_runs.outcome_run(store.uow_factory(), actor=store.actor, avviso_id=AVVISO)
    assert chosen.run.id == final.run.id
    later = rank(received, on=date(2027, 12, 31), budget=Decimal("500.00"))
    assert (
        ranking_runs.outcome_run(store.uow_factory(), actor=store.actor, avviso_id=AVVISO).run.id
        == final.run.id
    )
    assert (
        ranking_runs.outcome_run(
            store.uow_factory(), actor=store.actor, avviso_id=AVVISO, latest=True
        ).run.id
        == later.run.id
    )


def test_nothing_received_and_a_comune_are_refused(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault, cases=4))
    try:
        before = snapshot(ambito.capofila)
        with pytest.raises(UserFacingError) as caught:
            rank(ambito)
        assert caught.value.code == "desk.nothing_received"
        assert snapshot(ambito.capofila) == before
        comune = ambito.comuni["A127"]
        with pytest.raises(UserFacingError) as caught:
            ranking_runs.rank_received(
                comune.uow_factory(), actor=comune.actor, avviso_id=AVVISO, on=ON, now=NOW
            )
        assert caught.value.code == "auth.not_allowed"  # a social worker may not rank
    finally:
        for workspace in ambito.opened:
            workspace.close()


def test_the_inputs_digest_changes_when_a_received_istanza_is_superseded(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault))
    try:
        receive_all(ambito)
        first = rank(ambito, provisional=True)
        store = ambito.comuni["A127"]
        with store.uow_factory() as uow:
            sent = [i.istanza_id for t in uow.transmissions.sent() for i in t.items]
            evaluated = [
                i for i in sent if uow.records.of_case(uow.istanze.get(i).case_id, "evaluation")
            ]
            target = evaluated[0]
            case_id = uow.istanze.get(target).case_id
            record = uow.records.of_case(case_id, "evaluation")[-1]
            data = dict(record.data)
            data["summary"] = str(data.get("summary", "")) + " Aggiornata."
            uow.records.put(replace(record, data=data))
            uow.commit()
        rows = transmissions.readiness(store.uow_factory(), actor=store.actor, now=NOW)
        assert next(r for r in rows if r.istanza_id == target).next_version == 2
        ambito.import_(ambito.capofila, ambito.export("A127", ids=[target]))
        second = rank(ambito, provisional=True)
        assert second.run.inputs_sha256 != first.run.inputs_sha256
        with store.uow_factory() as uow:
            protocol = uow.istanze.get(target).protocol
        row = second.run.row("A127", protocol)
        assert row is not None and row.version == 2
        assert first.run.row("A127", protocol).version == 1  # type: ignore[union-attr]
        assert any(r.outcome is not Funding.DA_INTEGRARE for r in second.run.rows)
    finally:
        for workspace in ambito.opened:
            workspace.close()


def test_a_withdrawn_istanza_stays_in_the_next_run_as_not_admitted(received: Ambito) -> None:
    first = rank(received, on=date(2027, 12, 31))
    admitted = next(r for r in first.run.rows if r.position is not None)
    second = rank(received, on=date(2027, 12, 31), withdrawn=[admitted.ident], note="rinuncia")
    row = second.run.row(*admitted.ident)
    assert row is not None and row.outcome is Funding.NON_AMMISSIBILE and row.amount == 0
    assert row.checks[-1].code == "rinuncia" and "rinunciato" in row.checks[-1].message
    assert second.run.follows == first.run.id
    assert first.run.withdrawn == frozenset() and second.run.withdrawn == {admitted.ident}
    before = snapshot(received.capofila)
    with pytest.raises(UserFacingError) as caught:
        rank(received, on=date(2027, 12, 31), withdrawn=[("A127", "A127-1999-000009")])
    assert caught.value.code == "desk.withdrawn_unknown"
    assert snapshot(received.capofila) == before


def test_a_received_record_changed_in_the_store_is_refused_by_name(received: Ambito) -> None:
    # the run reads the records with the standard decoder because each still has the SHA-256
    # kept on import: one that no longer has it is named, and no run is recorded
    with received.capofila.uow_factory() as uow:
        victim = uow.received.current_records(AVVISO)[1]
    changed = victim.record.replace(b'"comune":"', b'"comune": "', 1)
    assert changed != victim.record
    with received.capofila.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE received_istanze SET record = ? WHERE id = ?", (changed, victim.id)
        )
    with pytest.raises(UserFacingError) as caught:
        rank(received, provisional=True)
    assert caught.value.code == "desk.received_damaged"
    assert caught.value.params == {"comune": victim.comune, "protocol": victim.protocol}
    store = received.capofila
    assert ranking_runs.runs_of(store.uow_factory(), actor=store.actor, avviso_id=AVVISO) == []


def test_current_records_are_the_current_versions_of_the_avviso_in_order(
    received: Ambito,
) -> None:
    with received.capofila.uow_factory() as uow:
        light = uow.received.current_records(AVVISO)
        full = uow.received.istanze(avviso=AVVISO)
        assert uow.received.current_records("un-altro-avviso") == []
    assert [(r.id, r.comune, r.protocol, r.version, r.record, r.record_sha256) for r in light] == [
        (r.id, r.comune, r.protocol, r.version, r.record, r.record_sha256) for r in full
    ]
    assert [(r.comune, r.protocol) for r in light] == sorted((r.comune, r.protocol) for r in light)
