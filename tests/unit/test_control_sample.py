"""The 5% control sample (seed 003 §8): reproducible by anyone from the seed, 5% of the funded
rounded up, at least one per comune when asked, whatever the order of the rows."""

from __future__ import annotations

import hashlib
import math
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain import control_sample
from caseworker_app.domain.control_sample import METHOD, draw, sample_of, sample_size
from caseworker_app.domain.ranking_run import RunRow
from caseworker_app.domain.rules.allocation import Funding

from .desk_runs import row

COMUNI = ("A127", "B448", "C816", "F205")


@st.composite
def run_rows(draw_: st.DrawFn) -> list[RunRow]:
    count = draw_(st.integers(min_value=0, max_value=90))
    outcomes = st.sampled_from(list(Funding))
    return [
        row(draw_(st.sampled_from(COMUNI)), f"P-{n:05d}", draw_(outcomes), amount="100.00")
        for n in range(count)
    ]


def funded(rows: list[RunRow]) -> list[RunRow]:
    return [r for r in rows if r.outcome in (Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE)]


@settings(max_examples=150, deadline=None)
@given(rows=run_rows(), seed=st.text(min_size=1, max_size=20), per_comune=st.booleans(),
       shuffle=st.randoms(use_true_random=False))  # fmt: skip
def test_the_same_seed_draws_the_same_rows_whatever_the_order(
    rows: list[RunRow], seed: str, per_comune: bool, shuffle: random.Random
) -> None:
    first = draw(rows, seed=seed, at_least_one_per_comune=per_comune)
    other = list(rows)
    shuffle.shuffle(other)
    assert draw(other, seed=seed, at_least_one_per_comune=per_comune) == first
    assert [r.ident for r in first] == sorted(r.ident for r in first)


@settings(max_examples=150, deadline=None)
@given(
    rows=run_rows(),
    seed=st.text(min_size=1, max_size=20),
    per_comune=st.booleans(),
    percent=st.sampled_from([Decimal(5), Decimal("2.5"), Decimal(10), Decimal(100)]),
)
def test_size_is_the_percent_rounded_up_and_one_per_comune_when_asked(
    rows: list[RunRow], seed: str, per_comune: bool, percent: Decimal
) -> None:
    population = funded(rows)
    drawn = draw(rows, percent=percent, seed=seed, at_least_one_per_comune=per_comune)
    assert {r.ident for r in drawn} <= {r.ident for r in population}
    assert len({r.ident for r in drawn}) == len(drawn)
    size = math.ceil(len(population) * percent / 100)
    comuni = {r.comune for r in population}
    if per_comune:
        assert {r.comune for r in drawn} == comuni
        assert len(drawn) == max(size, len(comuni))
    else:
        assert len(drawn) == size
    assert (len(drawn) >= 1) == bool(population)


def test_five_percent_rounded_up() -> None:
    assert [sample_size(n) for n in (0, 1, 19, 20, 21, 40, 41, 100, 101)] == [
        0, 1, 1, 1, 2, 2, 3, 5, 6,
    ]  # fmt: skip
    assert sample_size(15, Decimal(10)) == 2
    assert sample_size(3, Decimal("0.01")) == 1


def test_a_different_seed_usually_draws_other_rows() -> None:
    rows = [row(COMUNI[n % 4], f"P-{n:05d}") for n in range(200)]  # 200 funded: 10 drawn
    samples = {
        tuple(r.ident for r in draw(rows, seed=f"seme-{s}", at_least_one_per_comune=True))
        for s in range(30)
    }
    assert len(samples) == 30


def test_only_the_funded_are_drawn() -> None:
    rows = [
        row("A127", "P-1", Funding.AMMESSA_NON_FINANZIATA),
        row("A127", "P-2", Funding.NON_AMMISSIBILE),
        row("B448", "P-3", Funding.DA_INTEGRARE),
        row("B448", "P-4", Funding.FINANZIATA_PARZIALMENTE),
    ]
    assert [r.ident for r in draw(rows, seed="x", at_least_one_per_comune=True)] == [
        ("B448", "P-4")
    ]
    assert draw(rows[:3], seed="x", at_least_one_per_comune=True) == ()


def test_the_documented_method_redone_by_hand() -> None:
    """The recipe in the module's docstring, run as written, draws the same rows."""
    doc = control_sample.__doc__ or ""
    recipe = re.search(r"In Python.*?::\n\n(.*?)\n\n", doc, re.S)
    assert recipe is not None
    code = "\n".join(line[4:] for line in recipe.group(1).splitlines())
    rows = [row(COMUNI[n % 3], f"A-{n:04d}") for n in range(61)]  # 61 funded: 4 drawn
    for seed in ("4f2a9c01d3e8b7a6", "seme", "ùnicode|con barra"):
        scope = {
            "hashlib": hashlib,
            "seed": seed,
            "funded": [(r.comune, r.protocol) for r in rows],
            "comuni": sorted({r.comune for r in rows}),
            "size": sample_size(len(rows)),
        }
        exec(code, scope)  # the documentation's own example
        ours = draw(rows, seed=seed, at_least_one_per_comune=True)
        assert scope["drawn"] == [r.ident for r in ours]
        assert len(ours) == 4


def test_the_digest_is_sha256_of_seed_comune_protocol() -> None:
    expected = hashlib.sha256(b"abc|A127|A127-2023-000001").hexdigest()
    assert control_sample.digest("abc", "A127", "A127-2023-000001") == expected


def test_the_recorded_sample_says_how_it_was_drawn() -> None:
    rows = [row(COMUNI[n % 2], f"P-{n:03d}") for n in range(30)]
    sample = sample_of("run-1", "f" * 64, rows, seed="s", per_comune=False)
    assert (sample.method, sample.population, sample.percent) == (METHOD, 30, Decimal(5))
    assert len(sample.rows) == 2 and sample.rows == tuple(sorted(sample.rows))


@pytest.mark.parametrize("percent", ["0", "-5", "100.01", "5.001", "NaN", "Infinity"])
def test_a_percent_out_of_range_is_refused(percent: str) -> None:
    with pytest.raises(ValueError):
        draw([row("A127", "P-1")], percent=Decimal(percent), seed="s",
             at_least_one_per_comune=False)  # fmt: skip


def test_a_row_given_twice_is_a_bug() -> None:
    with pytest.raises(ValueError):
        draw([row("A127", "P-1"), row("A127", "P-1")], seed="s", at_least_one_per_comune=False)
