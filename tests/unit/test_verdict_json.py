"""The JSON payloads of ``check`` and ``rank`` (transfer/verdict_json.py, interchange.md §2):
keys in the documented order, money as two-decimal strings, the optional keys only when due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from caseworker_app.definitions.avvisi import load_avviso
from caseworker_app.domain.rules.allocation import Funding, RankingTotals, RankResult, Row
from caseworker_app.domain.rules.verdict import Check, LineVerdict, Outcome, Status, Verdict
from caseworker_app.services import judging
from caseworker_app.transfer.verdict_json import allocation_payload, verdict_payload
from tests.unit import rules_fixtures
from tests.unit.test_later_editions_engine import ON as LATER_ON
from tests.unit.test_later_editions_engine import istanza as later_istanza

LATER_EDITIONS = Path(__file__).parents[1] / "fixtures" / "avvisi" / "later-editions-2026.toml"


def _verdict() -> Verdict:
    return Verdict(
        record=rules_fixtures.record("ABB-2024-000123"),
        avviso="abbiatense-caregiver-2023",
        outcome=Outcome.AMMISSIBILE,
        amount=Decimal("900"),
        checks=(
            Check("residenza", Status.OK, "Residente (art. 2)."),
            Check("isee", Status.WARNING, lambda: "ISEE in scadenza (art. 4)."),
        ),
        lines=(
            LineVerdict(
                "rimborso_domiciliare", Decimal("900"), Decimal("900.004"), Status.OK, "ok (art. 3)"
            ),
        ),
        age=83,
        isee_used=Decimal("18500.00"),
        ranking="graduatoria",
        priority_class=1,
    )


def test_check_payload_keys_order_and_values() -> None:
    payload = verdict_payload(_verdict())
    assert payload == {
        "istanza": "ABB-2024-000123",
        "avviso": "abbiatense-caregiver-2023",
        "outcome": "ammissibile",
        "priority_class": 1,
        "amount": "900.00",
        "checks": [
            {"code": "residenza", "status": "ok", "message": "Residente (art. 2)."},
            {"code": "isee", "status": "warning", "message": "ISEE in scadenza (art. 4)."},
        ],
        "lines": [
            {
                "code": "rimborso_domiciliare",
                "requested": "900.00",
                "granted": "900.00",
                "status": "ok",
                "message": "ok (art. 3)",
            }
        ],
    }
    assert list(payload) == [
        "istanza", "avviso", "outcome", "priority_class", "amount", "checks", "lines",
    ]  # fmt: skip
    assert list(payload["lines"][0]) == ["code", "requested", "granted", "status", "message"]


def test_a_sportello_verdict_has_a_null_priority_class() -> None:
    payload = verdict_payload(_verdict()._replace(priority_class=None))
    assert payload["priority_class"] is None


def _result(*, provisional: bool, rankings: int, ranking: str | None) -> RankResult:
    totals = tuple(
        RankingTotals(f"r{i}", Decimal("1000"), Decimal("0"), Decimal("600"))
        for i in range(rankings)
    )
    return RankResult(
        avviso="x",
        budget=Decimal("1000"),
        assigned=Decimal("600.5"),
        provisional=provisional,
        rows=(
            Row("I-1", "A010", 1, 1, Funding.FINANZIATA, Decimal("600.5"), ranking),
            Row("I-2", "A010", None, None, Funding.NON_AMMISSIBILE, Decimal("0"), None),
        ),
        rankings=totals,
    )


def test_rank_payload_of_a_single_ranking_has_neither_provisional_nor_rankings() -> None:
    payload = allocation_payload(_result(provisional=False, rankings=1, ranking=None))
    assert payload == {
        "avviso": "x",
        "budget": "1000.00",
        "assigned": "600.50",
        "residual": "399.50",
        "rows": [
            {
                "istanza": "I-1",
                "comune": "A010",
                "position": 1,
                "priority_class": 1,
                "outcome": "finanziata",
                "amount": "600.50",
            },
            {
                "istanza": "I-2",
                "comune": "A010",
                "position": None,
                "priority_class": None,
                "outcome": "non_ammissibile",
                "amount": "0.00",
            },
        ],
    }


def test_rank_payload_marks_a_provisional_ranking_before_the_rows() -> None:
    payload = allocation_payload(_result(provisional=True, rankings=1, ranking=None))
    assert payload["provisional"] is True
    assert list(payload) == ["avviso", "budget", "assigned", "residual", "provisional", "rows"]


def test_rank_payload_of_several_rankings_lists_their_totals_and_each_rows_ranking() -> None:
    payload = allocation_payload(_result(provisional=True, rankings=2, ranking="r0"))
    assert list(payload) == [
        "avviso", "budget", "assigned", "residual", "provisional", "rankings", "rows",
    ]  # fmt: skip
    assert payload["rankings"] == [
        {"id": "r0", "budget": "1000.00", "inflow": "0.00", "assigned": "600.00"},
        {"id": "r1", "budget": "1000.00", "inflow": "0.00", "assigned": "600.00"},
    ]
    assert payload["rows"][0]["ranking"] == "r0"
    assert list(payload["rows"][0])[-1] == "ranking"
    assert "ranking" not in payload["rows"][1]  # a refused istanza belongs to no ranking


def test_rank_payload_of_a_definition_with_several_rankings() -> None:
    """The later-editions fixture: one istanza per target, each in its own ranking."""
    avviso = load_avviso(LATER_EDITIONS)
    records = [
        later_istanza("ANZ", born=date(1940, 1, 1)),
        later_istanza("ADU", born=date(1980, 1, 1)),
        later_istanza("MIN", born=date(2015, 1, 1), isee=(("minorenni", "20000.00"),)),
    ]
    payload = allocation_payload(judging.rank_records(avviso=avviso, records=records, on=LATER_ON))
    assert [t["id"] for t in payload["rankings"]] == ["anziani", "adulti", "minori"]
    assert {r["istanza"]: r["ranking"] for r in payload["rows"]} == {
        "ANZ": "anziani",
        "ADU": "adulti",
        "MIN": "minori",
    }
    assert "provisional" not in payload
