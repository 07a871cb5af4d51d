"""Ranking runs built by hand for the unit tests of the desk (explanations, control samples)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from caseworker_app.domain.ranking_run import RankingRun, RunCheck, RunKey, RunLine, RunRow
from caseworker_app.domain.rules.allocation import Funding, RankingTotals

T0 = datetime(2023, 11, 13, 9, 0, 0)


def row(
    comune: str,
    protocol: str,
    outcome: Funding = Funding.FINANZIATA,
    *,
    position: int | None = None,
    priority_class: int | None = None,
    ranking: str | None = "graduatoria",
    amount: str = "0.00",
    eligible: str = "1200.00",
    keys: Sequence[tuple[str, str]] = (),
    checks: Sequence[tuple[str, str, str]] = (),
    lines: Sequence[tuple[str, str, str, str]] = (),
    minutes: int = 0,
) -> RunRow:
    return RunRow(
        comune=comune,
        protocol=protocol,
        received_id=f"r-{comune}-{protocol}",
        version=1,
        submitted_at=T0 + timedelta(minutes=minutes),
        position=position,
        priority_class=priority_class,
        ranking=ranking,
        outcome=outcome,
        amount=Decimal(amount),
        eligible=Decimal(eligible),
        keys=tuple(RunKey(k, v, False, True) for k, v in keys),
        checks=tuple(RunCheck(c, s, m) for c, s, m in checks),
        lines=tuple(RunLine(c, Decimal(req), Decimal(gr), "ok", m) for c, req, gr, m in lines),
    )


def run_of(
    rows: Sequence[RunRow], *, budget: str = "3000.00", provisional: bool = False
) -> RankingRun:
    assigned = sum((r.amount for r in rows), Decimal("0.00"))
    return RankingRun(
        id="5b0c1f5e-0000-4000-8000-000000000001",
        number=1,
        avviso="abbiatense-caregiver-2023",
        avviso_version="1",
        definition_sha256="0" * 64,
        on=date(2023, 12, 1),
        budget_override=None,
        budget=Decimal(budget),
        assigned=assigned,
        provisional=provisional,
        rankings=(RankingTotals("graduatoria", Decimal(budget), Decimal("0.00"), assigned),),
        rows=tuple(rows),
        inputs=(),
        inputs_sha256="1" * 64,
        follows=None,
        created_at=datetime(2023, 12, 1, 10, 0, 0),
        created_by="udp",
    )
