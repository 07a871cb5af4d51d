"""Invariants of eligibility and allocation, checked on generated istanze (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.rules.allocation import Funding, allocate
from caseworker_app.domain.rules.avviso import Allocation
from caseworker_app.domain.rules.calendar import months_touched
from caseworker_app.domain.rules.eligibility import judge
from caseworker_app.domain.rules.record import IstanzaRecord, RequestLine
from caseworker_app.domain.rules.verdict import Outcome

from .rules_fixtures import caregiver_like, record

ON = date(2024, 2, 1)
money = st.integers(min_value=0, max_value=4_000_000).map(lambda c: f"{c // 100}.{c % 100:02d}")


@st.composite
def istanze(draw: st.DrawFn) -> list[IstanzaRecord]:
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for i in range(n):
        out.append(
            record(
                f"I{i:03d}",
                isee=draw(
                    st.one_of(
                        st.none(),
                        st.sampled_from(["5000.00", "9000.00", "18000.00", "25000.00", "27000.00"]),
                    )
                ),
                ordinario=draw(st.one_of(st.none(), st.sampled_from(["8000.00", "20000.00"]))),
                born=date(1925, 1, 1) + timedelta(days=draw(st.integers(0, 3))),
                amount=draw(st.sampled_from(["300.00", "900.00", "1200.00", "1500.00"])),
                submitted=datetime(2024, 1, 10) + timedelta(minutes=draw(st.integers(0, 5))),
                in_place=draw(st.sampled_from([frozenset(), frozenset({"b2_buono"})])),
                comune=draw(st.sampled_from(["A010", "A127"])),
                caregiver_only=draw(st.booleans()),
            )
        )
    return out


budgets = st.sampled_from(["0.00", "500.00", "2000.00", "5000.00", "100000.00"])


def _rank(
    records: list[IstanzaRecord],
    budget: str,
    residual: str = "partial",
    allocation: Allocation = Allocation.GRADUATORIA,
):  # type: ignore[no-untyped-def]
    avviso = caregiver_like(budget, residual, allocation)
    verdicts = [judge(avviso, r, on=ON) for r in records]
    return verdicts, allocate(avviso, verdicts, on=ON)


@settings(max_examples=150, deadline=None)
@given(istanze(), budgets, st.sampled_from(["partial", "skip"]), st.sampled_from(list(Allocation)))
def test_allocation_invariants(
    records: list[IstanzaRecord], budget: str, residual: str, allocation: Allocation
) -> None:
    verdicts, result = _rank(records, budget, residual, allocation)
    admissible = {
        (v.record.comune, v.record.id) for v in verdicts if v.outcome is Outcome.AMMISSIBILE
    }
    ranked = [r for r in result.rows if r.position is not None]
    # a permutation of the admissible istanze, numbered 1..n
    assert {(r.comune, r.istanza) for r in ranked} == admissible
    assert [r.position for r in ranked] == list(range(1, len(ranked) + 1))
    # never more than the budget
    assert result.assigned <= Decimal(budget)
    assert sum(r.amount for r in result.rows) == result.assigned
    # the funded are a prefix of the order
    funded = [r.outcome in (Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE) for r in ranked]
    assert funded == sorted(funded, reverse=True)
    assert sum(r.outcome is Funding.FINANZIATA_PARZIALMENTE for r in ranked) <= (
        1 if residual == "partial" else 0
    )
    # every istanza appears once
    assert len(result.rows) == len(records)


@settings(max_examples=100, deadline=None)
@given(istanze(), budgets, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(
    records: list[IstanzaRecord], budget: str, rnd: random.Random
) -> None:
    _, first = _rank(records, budget)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    _, second = _rank(shuffled, budget)
    assert first == second


@settings(max_examples=100, deadline=None)
@given(istanze(), st.data())
def test_lowering_isee_never_moves_an_istanza_down_within_its_class(
    records: list[IstanzaRecord],
    data: st.DataObject,
) -> None:
    if not records:
        return
    i = data.draw(st.integers(0, len(records) - 1))
    target = records[i]
    sociosanitario = [e for e in target.isee if e.type == "sociosanitario"]
    if not sociosanitario:
        return
    lower = data.draw(st.sampled_from(["0.00", "1000.00", "4999.99"]))
    if Decimal(lower) >= sociosanitario[0].value:
        return
    changed = target._replace(
        isee=tuple(
            e._replace(value=Decimal(lower)) if e.type == "sociosanitario" else e
            for e in target.isee
        ),
    )
    before = _position_in_class(records, target)
    after = _position_in_class([*records[:i], changed, *records[i + 1 :]], changed)
    if before is not None:
        assert after is not None and after <= before


def _position_in_class(records: list[IstanzaRecord], who: IstanzaRecord) -> int | None:
    _, result = _rank(records, "100000.00")
    mine = next(r for r in result.rows if (r.comune, r.istanza) == (who.comune, who.id))
    if mine.position is None:
        return None
    same = [
        r for r in result.rows if r.position is not None and r.priority_class == mine.priority_class
    ]
    return [(r.comune, r.istanza) for r in same].index((who.comune, who.id))


@st.composite
def request_lines(draw: st.DrawFn) -> list[RequestLine]:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        code = draw(
            st.sampled_from(
                ["a1_domiciliare", "a2_ricovero_sollievo", "b_psicologico", "rimborso_domiciliare"]
            )
        )
        start = date(2022, 11, 1) + timedelta(days=draw(st.integers(0, 500)))
        end = start + timedelta(days=draw(st.integers(0, 200)))
        days = draw(st.integers(1, 60)) if code == "a2_ricovero_sollievo" else None
        lines.append(RequestLine(code, Decimal(draw(money)), start, end, days))
    return lines


@settings(max_examples=300, deadline=None)
@given(request_lines())
def test_amounts_never_exceed_caps_or_documented_cost(lines: list[RequestLine]) -> None:
    avviso = caregiver_like()
    base = record("X")
    verdict = judge(avviso, base._replace(requests=tuple(lines)), on=ON)
    for line, v in zip(lines, verdict.lines, strict=True):
        assert Decimal("0.00") <= v.granted <= line.amount  # never above the documented cost
    assert sum(v.granted for v in verdict.lines) <= Decimal("1200.00")  # the avviso's cap
    window = (date(2023, 1, 1), date(2023, 12, 31))
    by_code: dict[str, Decimal] = {}
    for line, v in zip(lines, verdict.lines, strict=True):
        by_code[line.code] = by_code.get(line.code, Decimal(0)) + v.granted
    a1 = [ln for ln in lines if ln.code == "a1_domiciliare"]
    months: set[tuple[int, int]] = set()
    for ln in a1:
        months |= months_touched(max(ln.start, window[0]), min(ln.end, window[1]))
    assert by_code.get("a1_domiciliare", Decimal(0)) <= Decimal("650.00") * len(months)
    a2_days = min(30, sum(ln.days or 0 for ln in lines if ln.code == "a2_ricovero_sollievo"))
    assert by_code.get("a2_ricovero_sollievo", Decimal(0)) <= Decimal("100.00") * a2_days
    assert by_code.get("b_psicologico", Decimal(0)) <= Decimal("600.00")
