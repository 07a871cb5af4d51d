"""Allocate an avviso's budget(s) to judged istanze: ``sportello`` or ``graduatoria``.

Deterministic: the same verdicts and definition give the same rows in the same order, whatever
the input order. After every rule key, ties go by submission timestamp, then istanza id (then
comune, which makes the order total across comuni).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.avviso import (
    Allocation,
    Avviso,
    IseeReq,
    Missing,
    OrderKey,
    Ranking,
)
from caseworker_app.domain.rules.eligibility import require_complete
from caseworker_app.domain.rules.money import ZERO
from caseworker_app.domain.rules.requirements import usable_isee
from caseworker_app.domain.rules.verdict import Outcome, Verdict


class Funding(enum.StrEnum):
    FINANZIATA = "finanziata"
    FINANZIATA_PARZIALMENTE = "finanziata_parzialmente"
    AMMESSA_NON_FINANZIATA = "ammessa_non_finanziata"
    NON_AMMISSIBILE = "non_ammissibile"
    DA_INTEGRARE = "da_integrare"


@dataclass(frozen=True)
class Row:
    istanza: str
    comune: str
    position: int | None
    priority_class: int | None
    outcome: Funding
    amount: Decimal
    ranking: str | None
    #: the values the ranking's ordering keys took for the istanza, in the avviso's order: what
    #: it was ordered by (graduatoria rows, and those still to complete; none when not admitted)
    keys: tuple[Any, ...] = ()


@dataclass(frozen=True)
class RankingTotals:
    id: str
    budget: Decimal
    inflow: Decimal
    assigned: Decimal


@dataclass(frozen=True)
class RankResult:
    avviso: str
    budget: Decimal
    assigned: Decimal
    provisional: bool
    rows: tuple[Row, ...]
    rankings: tuple[RankingTotals, ...]

    @property
    def residual(self) -> Decimal:
        return self.budget - self.assigned


def _ident(v: Verdict) -> tuple[str, str]:
    return (v.record.id, v.record.comune)


def _value(key: str, v: Verdict, avviso: Avviso, on: date) -> Any:
    """The value an ordering key takes for a verdict, as the ranking orders by it (an ISEE as
    ``Decimal``, a birth date as its ordinal, the submission as a timestamp; ``None``: none)."""
    if key == "isee":
        return v.isee_used
    if key.startswith("isee:"):
        wanted = key.partition(":")[2]
        deadline = next((r.deadline for r in avviso.requirements if isinstance(r, IseeReq)), None)
        found = [e for e in usable_isee(v.record, on, deadline) if e.type == wanted]
        return max(found, key=lambda e: e.received_on).value if found else None
    if key == "birth_date":
        return v.record.beneficiary.birth_date.toordinal()
    if key == "submitted_at":
        return v.record.submitted_at.timestamp()
    if key == "score":
        return v.score
    if key.startswith("extra:"):
        raw = v.record.extra.get(key.partition(":")[2])
        return (
            Decimal(str(raw))
            if isinstance(raw, int | float) and not isinstance(raw, bool)
            else None
        )
    raise ValueError(f"unknown ordering key {key}")  # the loader validates keys


def _part(order: OrderKey, value: Any) -> tuple[int, Any]:
    if value is None:
        return (1 if order.missing is Missing.LAST else 0, 0)
    present = 0 if order.missing is Missing.LAST else 1
    return (present, -value if order.descending else value)


def _values(v: Verdict, ranking: Ranking, avviso: Avviso, on: date) -> tuple[Any, ...]:
    if avviso.allocation is not Allocation.GRADUATORIA:
        return ()
    return tuple([_value(o.key, v, avviso, on) for o in ranking.order])


def _sort_key(
    v: Verdict, values: tuple[Any, ...], ranking: Ranking, avviso: Avviso
) -> tuple[Any, ...]:
    parts: list[Any] = []
    if avviso.allocation is Allocation.GRADUATORIA:
        parts.append(v.priority_class if v.priority_class is not None else 1_000_000)
        parts.extend(_part(o, value) for o, value in zip(ranking.order, values, strict=True))
    return (*parts, v.record.submitted_at, *_ident(v))


def sort_key(v: Verdict, ranking: Ranking, avviso: Avviso, on: date) -> tuple[Any, ...]:
    return _sort_key(v, _values(v, ranking, avviso, on), ranking, avviso)


def _ordered(
    verdicts: Iterable[Verdict], ranking: Ranking, avviso: Avviso, on: date
) -> list[tuple[Verdict, tuple[Any, ...]]]:
    """The verdicts in the ranking's order, each with the values of its ordering keys."""
    valued = [(v, _values(v, ranking, avviso, on)) for v in verdicts]
    valued.sort(key=lambda pair: _sort_key(pair[0], pair[1], ranking, avviso))
    return valued


def allocate(
    avviso: Avviso,
    verdicts: list[Verdict],
    *,
    on: date,
    budget: Decimal | None = None,
    provisional: bool = False,
) -> RankResult:
    require_complete(avviso)
    waiting = sorted((v for v in verdicts if v.outcome is Outcome.DA_INTEGRARE), key=_ident)
    if waiting and not provisional:
        names = ", ".join(f"{v.record.comune}/{v.record.id}" for v in waiting[:20])
        more = f" e altre {len(waiting) - 20}" if len(waiting) > 20 else ""
        raise UserFacingError("rules.incomplete_istanze", count=len(waiting), istanze=names + more)
    if budget is not None and len(avviso.rankings) != 1:
        raise UserFacingError("rules.budget_needs_single_ranking", avviso=avviso.id)
    inflow: dict[str, Decimal] = {}
    rows: list[Row] = []
    totals: list[RankingTotals] = []
    for ranking in avviso.rankings:
        own = budget if budget is not None else ranking.budget
        assert own is not None  # require_complete
        available = own + inflow.get(ranking.id, ZERO)
        members = _ordered(
            (v for v in verdicts if v.outcome is Outcome.AMMISSIBILE and v.ranking == ranking.id),
            ranking,
            avviso,
            on,
        )
        ranked, assigned = _fund(members, ranking, available)
        rows.extend(ranked)
        totals.append(RankingTotals(ranking.id, own, inflow.get(ranking.id, ZERO), assigned))
        if ranking.residual_to is not None:
            inflow[ranking.residual_to] = (
                inflow.get(ranking.residual_to, ZERO) + available - assigned
            )
    single = len(avviso.rankings) == 1
    by_id = {r.id: r for r in avviso.rankings}
    rows.extend(
        Row(
            v.record.id,
            v.record.comune,
            None,
            v.priority_class,
            Funding.DA_INTEGRARE,
            ZERO,
            None if single else v.ranking,
            _values(v, by_id[v.ranking], avviso, on) if v.ranking in by_id else (),
        )
        for v in waiting
    )
    refused = sorted((v for v in verdicts if v.outcome is Outcome.NON_AMMISSIBILE), key=_ident)
    rows.extend(
        Row(v.record.id, v.record.comune, None, None, Funding.NON_AMMISSIBILE, ZERO, None)
        for v in refused
    )
    if single:
        rows = [
            Row(
                r.istanza, r.comune, r.position, r.priority_class, r.outcome, r.amount, None, r.keys
            )
            for r in rows
        ]
    total_budget = sum((t.budget for t in totals), ZERO)
    total_assigned = sum((t.assigned for t in totals), ZERO)
    return RankResult(
        avviso.id,
        total_budget,
        total_assigned,
        provisional and bool(waiting),
        tuple(rows),
        tuple(totals),
    )


def _fund(
    members: list[tuple[Verdict, tuple[Any, ...]]], ranking: Ranking, available: Decimal
) -> tuple[list[Row], Decimal]:
    """Fund in order; the one that does not fit gets the residual (or nothing, with
    ``residual = "skip"``) and every later one waits: the funded are a prefix of the order."""
    rows: list[Row] = []
    left = available
    stopped = False
    for position, (v, values) in enumerate(members, start=1):
        if not stopped and v.amount <= left:
            outcome, amount = Funding.FINANZIATA, v.amount
        elif not stopped and ranking.residual == "partial" and left > ZERO:
            outcome, amount = Funding.FINANZIATA_PARZIALMENTE, left
            stopped = True
        else:
            outcome, amount = Funding.AMMESSA_NON_FINANZIATA, ZERO
            stopped = True
        left -= amount
        rows.append(
            Row(
                v.record.id,
                v.record.comune,
                position,
                v.priority_class,
                outcome,
                amount,
                ranking.id,
                values,
            )
        )
    return rows, available - left
