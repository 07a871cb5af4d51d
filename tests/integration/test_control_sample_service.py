"""The control sample of a run at the capofila (seed 003 §8), on real encrypted stores with what
two comuni sent: drawn reproducibly from the funded rows and recorded with its seed and digest,
checks recorded on drawn istanze only, a non-conforme istanza revoked and left out of the next
run; a provisional run and a second draw refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.control_sample import CheckResult, draw, population
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.ranking_run import RankingRun, StoredRun
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.domain.run_explanation import avviso_labels, explain_row, reasons
from caseworker_app.ports.desk_storage import RunEntry
from caseworker_app.services import controls, ranking_runs
from caseworker_app.transfer.control_sample_json import read_sample
from caseworker_app.transfer.ranking_run_json import run_json

from .transmission_stores import AVVISO, NOW, Ambito, make_ambito, receive_all

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FINAL_ON = date(2027, 12, 31)  # every promised document's deadline has passed: a final run


@pytest.fixture
def received(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Ambito]:
    """Two comuni with enough istanze that a sample leaves some out."""
    for ambito in make_ambito(tmp_path, make_vault, cases=60):
        receive_all(ambito)
        yield ambito


def rank(ambito: Ambito, **kwargs: object) -> StoredRun:
    store = ambito.capofila
    return ranking_runs.rank_received(
        store.uow_factory(), actor=store.actor, avviso_id=AVVISO,
        on=kwargs.pop("on", FINAL_ON), now=NOW, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def _provisional_copy(ambito: Ambito, stored: StoredRun) -> RankingRun:
    """A provisional run recorded as ``rank_received`` records one (the istanze the demo sends
    are complete, so the engine makes none here)."""
    store = ambito.capofila
    with store.uow_factory() as uow:
        run = replace(stored.run, id=new_id(), number=uow.runs.next_number(AVVISO),
                      follows=stored.run.id, provisional=True)  # fmt: skip
        raw = run_json(run)
        uow.runs.add(RunEntry(run.id, run.avviso, run.number, run.on, True, run.follows,
                              run.created_at, run.created_by, run.inputs_sha256, raw,
                              hashlib.sha256(raw).hexdigest()))  # fmt: skip
        uow.commit()
    return run


def refused(code: str, call: object, **kwargs: object) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        call(**kwargs)  # type: ignore[operator]
    assert caught.value.code == code, caught.value.code
    return caught.value


def test_the_capofila_draws_checks_and_revokes(received: Ambito) -> None:
    store = received.capofila
    uow, actor = store.uow_factory(), store.actor
    stored = rank(received)
    run = stored.run
    funded = population(run.rows)
    assert funded, "the demo ambito funds someone"

    view = controls.draw_sample(uow, actor=actor, run_id=run.id[:8], seed="seme-di-prova", now=NOW)
    sample = view.sample
    # anyone with the run and the seed draws the same rows
    again = draw(run.rows, seed="seme-di-prova", at_least_one_per_comune=True)
    assert sample.rows == tuple(r.ident for r in again)
    assert sample.population == len(funded) and sample.run_sha256 == stored.content_sha256
    assert {c for c, _ in sample.rows} == {r.comune for r in funded}
    assert [(r.comune, r.protocol) for r in view.rows] == list(sample.rows)
    assert all(r.result is CheckResult.DA_VERIFICARE for r in view.rows)
    codes = [c.code for c in view.rows[0].to_check]
    assert codes[:3] == ["isee", "residenza", "dichiarazioni_sostitutive"] and "caregiver" in codes
    assert view.rows[0].to_check[0].label.startswith("ISEE:")
    with uow:
        entry = uow.controls.sample(view.id)
        assert entry is not None
        events = [e for e in uow.audit.iterate() if e.entity_type == controls.SAMPLE_ENTITY]
    assert hashlib.sha256(entry.content).hexdigest() == entry.content_sha256
    assert read_sample(entry.content, source="x") == sample
    assert [e.entity_id for e in events] == [view.id]

    # one sample per run: it is not drawn again until it suits someone
    error = refused("controls.already_drawn", controls.draw_sample, uow=uow, actor=actor,
                    run_id=run.id, seed="altro", now=NOW)  # fmt: skip
    assert error.params["seed"] == "seme-di-prova"

    # checks only on drawn rows; a non-conforme one needs its reason
    drawn = sample.rows[0]
    other = next(r.ident for r in run.rows if r.ident not in sample.rows)
    refused("controls.not_drawn", controls.record_check, uow=uow, actor=actor,
            sample_id=view.id, comune=other[0], protocol=other[1],
            result=CheckResult.CONFORME, note="", now=NOW)  # fmt: skip
    refused("controls.note_required", controls.record_check, uow=uow, actor=actor,
            sample_id=view.id, comune=drawn[0], protocol=drawn[1],
            result=CheckResult.NON_CONFORME, note="  ", now=NOW)  # fmt: skip

    def check(result: CheckResult, note: str = "") -> controls.ControlSampleView:
        return controls.record_check(
            uow, actor=actor, sample_id=view.id, comune=drawn[0], protocol=drawn[1],
            result=result, note=note, now=NOW,
        )  # fmt: skip

    after = check(CheckResult.CONFORME)
    assert after.rows[0].result is CheckResult.CONFORME
    assert controls.revoked(uow, actor=actor, avviso_id=AVVISO) == set()
    after = check(CheckResult.NON_CONFORME, "ISEE dichiarato diverso da quello INPS")
    assert after.rows[0].result is CheckResult.NON_CONFORME
    assert after.rows[0].note == "ISEE dichiarato diverso da quello INPS"
    assert [c.result for c in after.rows[0].checks] == ["conforme", "non_conforme"]
    [listed] = controls.samples_of(uow, actor=actor, run_id=run.id)
    assert listed.rows == after.rows and listed.sample == sample
    revoked = controls.revoked(uow, actor=actor, avviso_id=AVVISO)
    assert revoked == {drawn}

    # the revocation makes a new run (scorrimento): the revoked istanza is no longer admitted,
    # and its row says why; the budget it held goes to the next in order
    later = rank(received, note="revoca dopo i controlli")
    gone = later.run.row(*drawn)
    assert gone is not None and later.run.follows == run.id
    assert gone.outcome is Funding.NON_AMMISSIBILE and gone.amount == 0
    assert gone.checks[-1].code == "controllo_dichiarazioni" and gone.checks[-1].status == "ko"
    assert "non conforme" in gone.checks[-1].message
    first = run.row(*drawn)
    assert first is not None and first.outcome is not Funding.NON_AMMISSIBILE  # untouched
    assert controls.revoked(uow, actor=actor, avviso_id=AVVISO) == {drawn}

    # the samples and checks cannot be changed in the store
    for sql in ("UPDATE control_samples SET drawn_by = 'x'", "DELETE FROM control_checks"):
        with (
            pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
            store.engine.begin() as conn,
        ):
            conn.exec_driver_sql(sql)


def test_a_provisional_run_a_bad_percent_or_seed_are_refused(received: Ambito) -> None:
    store = received.capofila
    uow, actor = store.uow_factory(), store.actor
    final = rank(received)
    provisional = _provisional_copy(received, final)
    refused("controls.provisional_run", controls.draw_sample, uow=uow, actor=actor,
            run_id=provisional.id, now=NOW)  # fmt: skip
    for percent in (Decimal(0), Decimal("100.5"), Decimal("5.001")):
        refused("controls.percent_invalid", controls.draw_sample, uow=uow, actor=actor,
                run_id=final.run.id, percent=percent, now=NOW)  # fmt: skip
    for seed in ("", " spazio", "a" * 65, "riga\nnuova"):
        refused("controls.seed_invalid", controls.draw_sample, uow=uow, actor=actor,
                run_id=final.run.id, seed=seed, now=NOW)  # fmt: skip
    refused("controls.sample_not_found", controls.record_check, uow=uow, actor=actor,
            sample_id="nessuno", comune="A127", protocol="x", result=CheckResult.CONFORME,
            note="", now=NOW)  # fmt: skip
    # no seed given: a random one, recorded, and a bigger percent draws more
    view = controls.draw_sample(uow, actor=actor, run_id=final.run.id, percent=Decimal(50),
                                now=NOW)  # fmt: skip
    assert len(view.sample.seed) == 16 and int(view.sample.seed, 16) >= 0
    assert len(view.rows) == max(2, -(-view.sample.population // 2))


def test_every_row_of_a_real_run_is_explained(received: Ambito) -> None:
    run = rank(received, budget=Decimal("3000.00")).run
    labels = avviso_labels(get_avviso(AVVISO))
    every = reasons(run)
    assert set(every) == {r.ident for r in run.rows}
    for row in run.rows:
        explanation = explain_row(run, row, labels=labels)
        assert explanation.reason == every[row.ident]
        text = explanation.text()
        assert row.protocol in text
        if row.position is not None:
            assert f"Posizione {row.position} su" in text and "A parità:" in text
            assert all(k.key for k in row.keys)
        if row.outcome is Funding.NON_AMMISSIBILE:
            assert every[row.ident].startswith("Non ammessa: ")
    outcomes = {r.outcome for r in run.rows}
    assert Funding.FINANZIATA in outcomes and Funding.AMMESSA_NON_FINANZIATA in outcomes
