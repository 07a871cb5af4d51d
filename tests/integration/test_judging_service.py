"""The judging use cases (services/judging.py): ``check`` and ``rank`` as the command line and
the capofila's desk call them, on the real definitions in forms/ and istanza files on disk."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.allocation import Funding, RankResult
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.rules.verdict import Outcome, Status
from caseworker_app.services import judging
from caseworker_app.transfer.istanza_record import RecordError, read_istanza, read_istanze
from caseworker_app.transfer.verdict_json import allocation_payload, verdict_payload
from tests.e2e.examples.builders import CAREGIVER, TEMPLATE, VOUCHER, Record, isee, istanza, line

ON = date(2024, 2, 1)  # after every deadline of the caregiver avviso
BEFORE_ISEE_DEADLINE = date(2024, 1, 20)  # a promised ISEE may still arrive (by 31/01/2024)


def caregiver(ident: str, ss: str | None, *, amount: str = "1000.00", **kw: Any) -> Record:
    return istanza(
        CAREGIVER,
        id=ident,
        isee_list=[] if ss is None else [isee("sociosanitario", ss)],
        requests=[line("rimborso_domiciliare", amount, "2023-02-01", "2023-11-30")],
        **kw,
    )


def waiting_for_isee(ident: str) -> Record:
    """An istanza whose ISEE is promised by 31/01/2024: da_integrare until then."""
    record = caregiver(ident, None)
    record["documents"] = [
        {"code": "documento_identita", "received_on": "2024-01-15"},
        {"code": "isee", "promised_by": "2024-01-31"},
    ]
    return record


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def records_of(data: Any, avviso: Avviso) -> list[IstanzaRecord]:
    return read_istanze(json.dumps(data).encode(), source="test.json", avviso=avviso)


@pytest.fixture(scope="module")
def caregiver_avviso() -> Avviso:
    return get_avviso(CAREGIVER)


# -- check ------------------------------------------------------------------------------------


def test_social_worker_checks_an_admissible_istanza_file(tmp_path: Path) -> None:
    path = write(tmp_path / "istanza.json", caregiver("CK-1", "18500.00", amount="900.00"))
    verdict = judging.check_istanza_file(avviso_id=CAREGIVER, path=path, on=ON)
    assert (verdict.record.id, verdict.avviso) == ("CK-1", CAREGIVER)
    assert verdict.outcome is Outcome.AMMISSIBILE
    assert verdict.amount == Decimal("900.00")
    assert verdict.priority_class == 1  # no B2 2023, no semiresidenziale
    assert all(c.status is Status.OK for c in verdict.checks)


def test_checking_a_file_and_a_record_read_in_memory_agree(
    tmp_path: Path, caregiver_avviso: Avviso
) -> None:
    data = caregiver("CK-2", "31000.00")  # above the 25,000 ISEE maximum
    from_file = judging.check_istanza_file(
        avviso_id=CAREGIVER, path=write(tmp_path / "i.json", data), on=ON
    )
    record = read_istanza(json.dumps(data).encode(), source="i.json", avviso=caregiver_avviso)
    in_memory = judging.check_record(avviso=caregiver_avviso, record=record, on=ON)
    assert in_memory.outcome is from_file.outcome is Outcome.NON_AMMISSIBILE
    assert verdict_payload(in_memory) == verdict_payload(from_file)


def test_a_promised_document_keeps_the_istanza_da_integrare_until_its_deadline(
    caregiver_avviso: Avviso,
) -> None:
    (record,) = records_of(waiting_for_isee("CK-3"), caregiver_avviso)
    before = judging.check_record(avviso=caregiver_avviso, record=record, on=BEFORE_ISEE_DEADLINE)
    after = judging.check_record(avviso=caregiver_avviso, record=record, on=ON)
    assert before.outcome is Outcome.DA_INTEGRARE
    assert after.outcome is Outcome.NON_AMMISSIBILE
    assert after.amount == Decimal("0.00")


def test_check_refuses_a_file_with_many_istanze_or_a_folder(tmp_path: Path) -> None:
    many = write(tmp_path / "many.json", [caregiver("A", "1.00"), caregiver("B", "2.00")])
    with pytest.raises(RecordError) as error:
        judging.check_istanza_file(avviso_id=CAREGIVER, path=many, on=ON)
    assert "elenco di 2 istanze" in error.value.what
    with pytest.raises(RecordError) as error:
        judging.check_istanza_file(avviso_id=CAREGIVER, path=tmp_path, on=ON)
    assert "cartella" in error.value.what


def test_check_names_an_unknown_avviso(tmp_path: Path) -> None:
    path = write(tmp_path / "istanza.json", caregiver("CK-4", "18500.00"))
    with pytest.raises(UserFacingError) as error:
        judging.check_istanza_file(avviso_id="avviso-che-non-esiste", path=path, on=ON)
    assert error.value.code == "definitions.unknown_avviso"


def test_a_template_avviso_cannot_judge(caregiver_avviso: Avviso) -> None:
    (record,) = records_of(caregiver("CK-5", "18500.00"), caregiver_avviso)
    with pytest.raises(UserFacingError) as error:
        judging.check_record(avviso=get_avviso(TEMPLATE), record=record, on=ON)
    assert error.value.code == "rules.definition_incomplete"


# -- rank -------------------------------------------------------------------------------------


def test_capofila_ranks_a_file_by_isee_and_funds_within_the_budget(tmp_path: Path) -> None:
    data = [
        caregiver("R-C", "15000.00"),
        caregiver("R-KO", "40000.00"),
        caregiver("R-A", "9000.00"),
        caregiver("R-B", "12000.00"),
    ]
    path = write(tmp_path / "istanze.json", data)
    result = judging.rank_istanze_file(
        avviso_id=CAREGIVER, path=path, on=ON, budget=Decimal("2500.00"), provisional=False
    )
    got = [(r.istanza, r.position, r.outcome, r.amount) for r in result.rows]
    assert got == [
        ("R-A", 1, Funding.FINANZIATA, Decimal("1000.00")),
        ("R-B", 2, Funding.FINANZIATA, Decimal("1000.00")),
        # residual = "partial" in the definition: the next one receives what is left
        ("R-C", 3, Funding.FINANZIATA_PARZIALMENTE, Decimal("500.00")),
        ("R-KO", None, Funding.NON_AMMISSIBILE, Decimal("0.00")),
    ]
    assert (result.budget, result.assigned, result.residual) == (
        Decimal("2500.00"),
        Decimal("2500.00"),
        Decimal("0.00"),
    )
    assert not result.provisional


def test_without_a_budget_the_avviso_budget_applies(tmp_path: Path) -> None:
    path = write(tmp_path / "istanze.json", [caregiver("R-1", "9000.00")])
    result = judging.rank_istanze_file(avviso_id=CAREGIVER, path=path, on=ON)
    assert result.budget == Decimal("19453.77")  # avviso, art. 1
    assert result.residual == Decimal("18453.77")


def test_ranking_is_refused_while_an_istanza_waits_unless_provisional(
    caregiver_avviso: Avviso,
) -> None:
    records = records_of([caregiver("P-A", "10000.00"), waiting_for_isee("P-B")], caregiver_avviso)
    with pytest.raises(UserFacingError) as error:
        judging.rank_records(avviso=caregiver_avviso, records=records, on=BEFORE_ISEE_DEADLINE)
    assert error.value.code == "rules.incomplete_istanze"
    assert "A010/P-B" in str(error.value.params["istanze"])

    result = judging.rank_records(
        avviso=caregiver_avviso, records=records, on=BEFORE_ISEE_DEADLINE, provisional=True
    )
    assert result.provisional
    rows = {r.istanza: r for r in result.rows}
    assert (rows["P-A"].position, rows["P-A"].outcome) == (1, Funding.FINANZIATA)
    assert (rows["P-B"].position, rows["P-B"].outcome) == (None, Funding.DA_INTEGRARE)


def test_ranking_a_folder_equals_ranking_the_same_records_in_memory(tmp_path: Path) -> None:
    avviso = get_avviso(VOUCHER)
    data = [istanza(VOUCHER, id=f"V-{i}", submitted_at=f"2024-05-0{i}T09:00:00") for i in (3, 1, 2)]
    folder = tmp_path / "ricevute"
    for record in data:
        write(folder / f"{record['id']}.json", record)
    from_folder = judging.rank_istanze_file(avviso_id=VOUCHER, path=folder, on=date(2024, 5, 20))
    in_memory = judging.rank_records(
        avviso=avviso, records=records_of(data, avviso), on=date(2024, 5, 20)
    )
    assert from_folder == in_memory
    # sportello: the order of submission, no priority classes
    assert [(r.istanza, r.priority_class) for r in from_folder.rows] == [
        ("V-1", None),
        ("V-2", None),
        ("V-3", None),
    ]


def test_the_same_istanza_twice_in_a_folder_is_refused(tmp_path: Path) -> None:
    record = caregiver("DUP-1", "9000.00")
    write(tmp_path / "dir" / "a.json", record)
    write(tmp_path / "dir" / "b.json", record)
    with pytest.raises(RecordError) as error:
        judging.rank_istanze_file(avviso_id=CAREGIVER, path=tmp_path / "dir", on=ON)
    assert (error.value.file, error.value.field) == ("b.json", "id")


def test_a_budget_is_refused_for_an_avviso_with_several_rankings() -> None:
    from caseworker_app.definitions.avvisi import load_avviso

    fixture = Path(__file__).parents[1] / "fixtures" / "avvisi" / "later-editions-2026.toml"
    avviso = load_avviso(fixture)
    with pytest.raises(UserFacingError) as error:
        judging.rank_records(avviso=avviso, records=[], on=ON, budget=Decimal("1.00"))
    assert error.value.code == "rules.budget_needs_single_ranking"


# -- the collector pause ----------------------------------------------------------------------


def test_judging_a_batch_pauses_the_collector_and_restores_it(caregiver_avviso: Avviso) -> None:
    records = records_of(
        [caregiver(f"G-{i}", f"{9000 + i}.00") for i in range(3)], caregiver_avviso
    )
    seen: list[bool] = []

    def watched() -> Iterator[IstanzaRecord]:
        for record in records:
            seen.append(gc.isenabled())
            yield record

    assert gc.isenabled()
    result = judging.rank_records(avviso=caregiver_avviso, records=watched(), on=ON)
    assert len(result.rows) == 3
    assert seen == [False, False, False]
    assert gc.isenabled()

    gc.disable()  # a caller that paused it already keeps it paused
    try:
        judging.rank_records(avviso=caregiver_avviso, records=records, on=ON)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_resumes_when_ranking_fails(caregiver_avviso: Avviso) -> None:
    records = records_of([waiting_for_isee("W-1")], caregiver_avviso)
    with pytest.raises(UserFacingError):
        judging.rank_records(avviso=caregiver_avviso, records=records, on=BEFORE_ISEE_DEADLINE)
    assert gc.isenabled()


# -- invariants -------------------------------------------------------------------------------

_ISEE = st.integers(min_value=0, max_value=30000).map(lambda n: f"{n}.00")
_AMOUNT = st.integers(min_value=1, max_value=1500).map(lambda n: f"{n}.00")
_BATCH = st.lists(st.tuples(_ISEE, _AMOUNT, st.booleans()), min_size=1, max_size=12)


def _ranked(avviso: Avviso, batch: list[tuple[str, str, bool]], budget: Decimal) -> RankResult:
    data = [
        caregiver(f"H-{i:02d}", ss, amount=amount, in_place=("b2_buono",) if b2 else ())
        for i, (ss, amount, b2) in enumerate(batch)
    ]
    return judging.rank_records(
        avviso=avviso, records=records_of(data, avviso), on=ON, budget=budget
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batch=_BATCH,
    budget=st.integers(min_value=0, max_value=10000).map(Decimal),
    data=st.data(),
)
def test_ranking_does_not_depend_on_the_order_of_the_istanze(
    caregiver_avviso: Avviso,
    batch: list[tuple[str, str, bool]],
    budget: Decimal,
    data: st.DataObject,
) -> None:
    ranked = _ranked(caregiver_avviso, batch, budget)
    shuffled = data.draw(st.permutations(list(enumerate(batch))))
    again = judging.rank_records(
        avviso=caregiver_avviso,
        records=records_of(
            [
                caregiver(f"H-{i:02d}", ss, amount=amount, in_place=("b2_buono",) if b2 else ())
                for i, (ss, amount, b2) in shuffled
            ],
            caregiver_avviso,
        ),
        on=ON,
        budget=budget,
    )
    assert again == ranked
    assert allocation_payload(again) == allocation_payload(ranked)
    # what is assigned is what the rows receive, never above the budget
    assert ranked.assigned == sum((r.amount for r in ranked.rows), Decimal("0.00"))
    assert Decimal("0.00") <= ranked.assigned <= budget
    assert [r.position for r in ranked.rows if r.position is not None] == list(
        range(1, 1 + sum(r.position is not None for r in ranked.rows))
    )
