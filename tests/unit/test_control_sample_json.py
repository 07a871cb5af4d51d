"""``caseworker.control-sample/1``: canonical bytes that read back the same, a strict reader
(every key, no other, the format first, rows in order) that names the field it refuses."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.control_sample import METHOD, ControlSample
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.transfer.control_sample_json import read_sample, sample_json

COMUNI = ("A127", "B448", "F205")


@st.composite
def samples(draw: st.DrawFn) -> ControlSample:
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(COMUNI), st.from_regex(r"[A-Z0-9]{4}-20[0-9]{2}-[0-9]{6}",
                                                             fullmatch=True)),
            unique=True,
            max_size=12,
        )
    )  # fmt: skip
    seed = draw(st.text(st.characters(categories=["L", "N", "P"]), min_size=1, max_size=64))
    return ControlSample(
        run="5b0c1f5e-0000-4000-8000-000000000001",
        run_sha256=draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
        seed=seed,
        percent=draw(st.decimals(min_value="0.01", max_value=100, places=2)),
        method=METHOD,
        per_comune=draw(st.booleans()),
        population=len(rows) + draw(st.integers(min_value=0, max_value=500)),
        rows=tuple(sorted(rows)),
    )


@settings(max_examples=150, deadline=None)
@given(sample=samples())
def test_a_sample_reads_back_as_written(sample: ControlSample) -> None:
    raw = sample_json(sample)
    assert read_sample(raw, source="campione") == sample
    assert sample_json(read_sample(raw, source="campione")) == raw  # canonical


def _valid() -> dict[str, Any]:
    sample = ControlSample("r-1", "a" * 64, "seme", Decimal(5), METHOD, True, 40,
                           (("A127", "P-1"), ("B448", "P-2")))  # fmt: skip
    decoded: dict[str, Any] = json.loads(sample_json(sample))
    assert decoded["percent"] == "5.00" and decoded["format"] == "caseworker.control-sample/1"
    return decoded


def _refused(data: object) -> str:
    with pytest.raises(UserFacingError) as caught:
        read_sample(json.dumps(data).encode(), source="campione")
    assert caught.value.code == "controls.sample_damaged"
    return str(caught.value.params["field"])


def test_the_reader_is_strict_and_names_the_field() -> None:
    data = _valid()
    assert _refused({**data, "extra": 1}) == "extra"
    assert _refused({k: v for k, v in data.items() if k != "seed"}) == "seed"
    assert _refused({**data, "percent": "0.00"}) == "percent"
    assert _refused({**data, "percent": 5}) == "percent"
    assert _refused({**data, "run_sha256": "A" * 64}) == "run_sha256"
    assert _refused({**data, "rows": list(reversed(data["rows"]))}) == "rows[1].protocol"
    assert _refused({**data, "population": 1}) == "rows"
    assert _refused({**data, "rows": [{"comune": "A127"}]}) == "rows[0].protocol"


def test_a_newer_format_is_refused_before_its_keys() -> None:
    data = _valid()
    assert _refused({**data, "format": "caseworker.control-sample/2", "new": 1}) == "format"
    assert _refused({**data, "format": "caseworker.ranking-run/1"}) == "format"
    assert _refused([1, 2]) == ""
