"""The stored ranking run (``caseworker.ranking-run/2``): every run the writer writes reads back
equal (the writer does not read back itself, so this is its proof), canonical bytes, strict
reading, the upgrade of a version-1 run, and the inputs digest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ranking_run import (
    RankingRun,
    RunCheck,
    RunInput,
    RunKey,
    RunLine,
    RunRow,
    inputs_digest,
)
from caseworker_app.domain.rules.allocation import Funding, RankingTotals
from caseworker_app.transfer.ranking_run_json import read_run, run_json

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_code = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
_money = st.decimals(min_value=0, max_value=999_999, places=2, allow_nan=False)
_status = st.sampled_from(["ok", "ko", "warning", "pending"])
_moment = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
_row = st.builds(
    RunRow,
    comune=st.from_regex(r"[A-Z][0-9]{3}", fullmatch=True),
    protocol=st.from_regex(r"[A-Z0-9-]{1,20}", fullmatch=True),
    received_id=st.uuids().map(str),
    version=st.integers(1, 50),
    submitted_at=_moment,
    position=st.none() | st.integers(1, 10_000),
    priority_class=st.none() | st.integers(0, 9),
    ranking=st.none() | _code,
    outcome=st.sampled_from(list(Funding)),
    amount=_money,
    eligible=_money,
    keys=st.lists(st.builds(RunKey, _code, _text, st.booleans(), st.booleans()), max_size=3).map(
        tuple
    ),
    checks=st.lists(st.builds(RunCheck, _code, _status, _text), max_size=4).map(tuple),
    lines=st.lists(st.builds(RunLine, _code, _money, _money, _status, _text), max_size=3).map(
        tuple
    ),
)
_run = st.builds(
    RankingRun,
    id=st.uuids().map(str),
    number=st.integers(1, 999),
    avviso=_code,
    avviso_version=st.integers(1, 9).map(str),
    definition_sha256=st.just("a" * 64),
    on=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)),
    budget_override=st.none() | _money,
    budget=_money,
    assigned=_money,
    provisional=st.booleans(),
    rankings=st.lists(
        st.builds(RankingTotals, _code, _money, _money, _money), min_size=1, max_size=3
    ).map(tuple),
    rows=st.lists(_row, max_size=5).map(tuple),
    inputs=st.lists(
        st.builds(
            RunInput,
            st.from_regex(r"[A-Z][0-9]{3}", fullmatch=True),
            _code,
            st.integers(1, 9),
            st.just("b" * 64),
        ),
        max_size=4,
    ).map(tuple),
    inputs_sha256=st.just("c" * 64),
    follows=st.none() | st.uuids().map(str),
    created_at=_moment,
    created_by=_code,
    note=_text,
)


@settings(max_examples=150, deadline=None)
@given(_run)
def test_every_run_written_reads_back_equal_and_canonical(run: RankingRun) -> None:
    raw = run_json(run)
    assert read_run(raw, source="prova") == run
    # the store's path: the bytes match the digest kept with them
    assert read_run(raw, source="prova", sha256=hashlib.sha256(raw).hexdigest()) == run
    assert run_json(read_run(raw, source="prova")) == raw  # one spelling


def _sample() -> bytes:
    row = RunRow(
        "A127", "A127-2024-000001", "r1", 1, datetime(2024, 1, 15, 10, 30), 1, 1, None,
        Funding.FINANZIATA, Decimal("900.00"), Decimal("900.00"),
        (RunKey("isee", "18500.00", False, True),),
        (RunCheck("residenza", "ok", ""),),
        (RunLine("rimborso_domiciliare", Decimal("900.00"), Decimal("900.00"), "ok", "ok"),),
    )  # fmt: skip
    run = RankingRun(
        "0d3c1a52-0000-4000-8000-000000000001", 1, "abbiatense-caregiver-2023", "1", "a" * 64,
        date(2024, 2, 1), None, Decimal("19453.77"), Decimal("900.00"), False,
        (RankingTotals("unica", Decimal("19453.77"), Decimal("0.00"), Decimal("900.00")),),
        (row,), (RunInput("A127", "A127-2024-000001", 1, "b" * 64),), "c" * 64, None,
        datetime(2024, 2, 1, 9, 0), "udp",
    )  # fmt: skip
    return run_json(run)


def _set(column: str, value: object) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        data["rows"][column][0] = value  # type: ignore[index]

    return change


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(format="caseworker.ranking-run/3"), "format"),
        (lambda d: d.update(format="caseworker.ranking-run/0"), "format"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d.pop("inputs_sha256"), "inputs_sha256"),
        (_set("outcome", "vinta"), "rows.outcome[0]"),
        (_set("checks", [["residenza", "forse", ""]]), "rows.checks[0][0]"),
        (_set("lines", [["x", "9,00", "9.00", "ok", ""]]), "rows.lines[0][0]"),
        (_set("amount", 900), "rows.amount[0]"),
        (_set("comune", "a127"), "rows.comune[0]"),
        (_set("submitted_at", "2024-01-15T10:30:00+01:00"), "rows.submitted_at[0]"),
        (lambda d: d["rows"]["amount"].append("1.00"), "rows.amount"),  # one value too many
        (lambda d: d["rows"].pop("eligible"), "rows.eligible"),
        (lambda d: d["inputs"]["version"].__setitem__(0, 0), "inputs.version[0]"),
    ],
)
def test_a_damaged_run_is_refused_naming_the_field(change: object, field: str) -> None:
    data = json.loads(_sample())
    change(data)  # type: ignore[operator]
    raw = json.dumps(data).encode()
    for digest in (None, hashlib.sha256(raw).hexdigest(), "0" * 64):
        with pytest.raises(UserFacingError) as caught:
            read_run(raw, source="graduatoria n. 1", sha256=digest)
        assert caught.value.code == "desk.run_damaged"
        assert str(caught.value.params["field"]).startswith(field)


def test_the_rows_are_kept_by_column() -> None:
    data = json.loads(_sample())
    assert data["format"] == "caseworker.ranking-run/2"
    assert data["rows"]["protocol"] == ["A127-2024-000001"]
    assert data["rows"]["amount"] == ["900.00"]
    assert data["rows"]["checks"] == [[["residenza", "ok", ""]]]
    assert data["inputs"]["record_sha256"] == ["b" * 64]


# -- version 1 ----------------------------------------------------------------------------------

V1 = (
    Path(__file__).parents[1] / "fixtures" / "ranking_run_v1.json"
)  # written by the version-1 writer of December 2026


def _v1_run() -> RankingRun:
    """The run the version-1 fixture holds."""
    met = RunCheck("residenza", "ok", "")
    rows = (
        RunRow(
            "A127", "A127-2024-000001", "0d3c1a52-0000-4000-8000-0000000000a1", 1,
            datetime(2024, 1, 15, 10, 30), 1, 1, "graduatoria", Funding.FINANZIATA,
            Decimal("900.00"), Decimal("900.00"),
            (RunKey("isee", "18500.00", False, True),
             RunKey("birth_date", "1941-03-02", False, True)),
            (met, RunCheck("documenti", "warning", "Verbale promesso entro il 2024-02-10.")),
            (RunLine("rimborso_domiciliare", Decimal("900.00"), Decimal("900.00"), "ok",
                     "Ammessa per 900,00 €."),),
        ),
        RunRow(
            "B448", "B448-2024-000007", "0d3c1a52-0000-4000-8000-0000000000b2", 2,
            datetime(2024, 1, 20, 9, 5, 7), 2, 2, "graduatoria", Funding.FINANZIATA_PARZIALMENTE,
            Decimal("310.55"), Decimal("1200.00"),
            (RunKey("isee", "", False, True), RunKey("birth_date", "1950-12-31", False, True)),
            (met,),
            (
                RunLine("rimborso_residenziale", Decimal("800.00"), Decimal("800.00"), "ok",
                        "Ammessa."),
                RunLine("rimborso_domiciliare", Decimal("650.85"), Decimal("400.00"), "warning",
                        "Ridotta: massimo 1.200,00 €."),
            ),
        ),
        RunRow(
            "A127", "A127-2024-000002", "0d3c1a52-0000-4000-8000-0000000000a3", 1,
            datetime(2024, 2, 3, 18, 0), None, None, None, Funding.NON_AMMISSIBILE,
            Decimal("0.00"), Decimal("0.00"), (),
            (RunCheck("residenza", "ko", "Residenza fuori dall'ambito: Milano (F205)."),),
            (),
        ),
    )  # fmt: skip
    return RankingRun(
        id="0d3c1a52-0000-4000-8000-000000000001", number=2, avviso="abbiatense-caregiver-2023",
        avviso_version="1", definition_sha256="a" * 64, on=date(2024, 2, 1),
        budget_override=Decimal("1210.55"), budget=Decimal("1210.55"),
        assigned=Decimal("1210.55"), provisional=False,
        rankings=(
            RankingTotals("graduatoria", Decimal("1210.55"), Decimal("0.00"), Decimal("1210.55")),
            RankingTotals("sportello", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ),
        rows=rows,
        inputs=(
            RunInput("A127", "A127-2024-000001", 1, "b" * 64),
            RunInput("A127", "A127-2024-000002", 1, "d" * 64),
            RunInput("B448", "B448-2024-000007", 2, "e" * 64),
        ),
        inputs_sha256="c" * 64, follows="0d3c1a52-0000-4000-8000-000000000000",
        created_at=datetime(2024, 2, 1, 9, 0), created_by="udp",
        note="Nuovo budget: determina 12/2024",
    )  # fmt: skip


def test_a_version_1_run_reads_as_the_run_it_was() -> None:
    raw = V1.read_bytes()
    assert json.loads(raw)["format"] == "caseworker.ranking-run/1"
    for digest in (None, hashlib.sha256(raw).hexdigest()):
        assert read_run(raw, source="graduatoria n. 2", sha256=digest) == _v1_run()
    # written again it is a version-2 run of the same content
    again = run_json(_v1_run())
    assert json.loads(again)["format"] == "caseworker.ranking-run/2"
    assert read_run(again, source="graduatoria n. 2") == _v1_run()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["rows"][1].update(amount="310,55"), "rows.amount[1]"),
        (lambda d: d["rows"][2].pop("lines"), "rows[2].lines"),
        (lambda d: d["rows"][0].update(vinta=True), "rows[0].vinta"),
        (lambda d: d.update(rows={}), "rows"),
        (lambda d: d["inputs"][0].pop("record_sha256"), "inputs[0].record_sha256"),
    ],
)
def test_a_damaged_version_1_run_is_refused_naming_the_field(change: object, field: str) -> None:
    data = json.loads(V1.read_bytes())
    change(data)  # type: ignore[operator]
    raw = json.dumps(data).encode()
    for digest in (None, hashlib.sha256(raw).hexdigest()):
        with pytest.raises(UserFacingError) as caught:
            read_run(raw, source="graduatoria n. 2", sha256=digest)
        assert caught.value.code == "desk.run_damaged"
        assert str(caught.value.params["field"]).startswith(field)


def test_the_inputs_digest_ignores_order_and_sees_every_version() -> None:
    a = RunInput("A127", "P1", 1, "1" * 64)
    b = RunInput("B448", "P2", 1, "2" * 64)
    base = {"definition_sha256": "d" * 64, "on": date(2024, 2, 1), "budget_override": None}
    assert inputs_digest(**base, inputs=[a, b]) == inputs_digest(**base, inputs=[b, a])
    superseded = RunInput("A127", "P1", 2, "3" * 64)
    assert inputs_digest(**base, inputs=[a, b]) != inputs_digest(**base, inputs=[superseded, b])
    assert inputs_digest(**base, inputs=[a]) != inputs_digest(
        **{**base, "budget_override": Decimal("10.00")}, inputs=[a]
    )
    assert inputs_digest(**base, inputs=[a]) != inputs_digest(
        **{**base, "on": date(2024, 2, 2)}, inputs=[a]
    )
