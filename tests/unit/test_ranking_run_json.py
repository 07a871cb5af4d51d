"""The stored ranking run (``caseworker.ranking-run/1``): every run the writer writes reads back
equal (the writer does not read back itself, so this is its proof), canonical bytes, strict
reading, and the inputs digest."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

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


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(format="caseworker.ranking-run/2"), "format"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d.pop("inputs_sha256"), "inputs_sha256"),
        (lambda d: d["rows"][0].update(outcome="vinta"), "rows[0].outcome"),
        (lambda d: d["rows"][0]["checks"][0].__setitem__(1, "forse"), "rows[0].checks[0]"),
        (lambda d: d["rows"][0]["lines"][0].__setitem__(1, "9,00"), "rows[0].lines[0]"),
        (lambda d: d["rows"][0].update(amount=900), "rows[0].amount"),
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
