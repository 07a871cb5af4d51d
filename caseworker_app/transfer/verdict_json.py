"""The JSON payloads of ``caseworker check`` and ``caseworker rank`` (interchange.md §2).

Plain ``dict``s in the documented key order, ready for :func:`json.dumps`; money as strings
with two decimals. ``allocation_payload`` adds ``"provisional": true`` only to a provisional
ranking, the per-ranking totals (``rankings``) only when the avviso has more than one ranking,
and a row's ``ranking`` only when the row belongs to one.
"""

from __future__ import annotations

from typing import Any

from caseworker_app.domain.rules.allocation import RankResult
from caseworker_app.domain.rules.money import to_json
from caseworker_app.domain.rules.verdict import Verdict

__all__ = ["allocation_payload", "verdict_payload"]


def verdict_payload(verdict: Verdict) -> dict[str, Any]:
    """``check --json``: the outcome, the amount before allocation, every check and line."""
    return {
        "istanza": verdict.record.id,
        "avviso": verdict.avviso,
        "outcome": verdict.outcome.value,
        "priority_class": verdict.priority_class,
        "amount": to_json(verdict.amount),
        "checks": [
            {"code": c.code, "status": c.status.value, "message": c.message} for c in verdict.checks
        ],
        "lines": [
            {
                "code": ln.code,
                "requested": to_json(ln.requested),
                "granted": to_json(ln.granted),
                "status": ln.status.value,
                "message": ln.message,
            }
            for ln in verdict.lines
        ],
    }


def allocation_payload(result: RankResult) -> dict[str, Any]:
    """``rank --json``: the totals, then every row in funding order."""
    payload: dict[str, Any] = {
        "avviso": result.avviso,
        "budget": to_json(result.budget),
        "assigned": to_json(result.assigned),
        "residual": to_json(result.residual),
    }
    if result.provisional:
        payload["provisional"] = True
    if len(result.rankings) > 1:
        payload["rankings"] = [
            {
                "id": t.id,
                "budget": to_json(t.budget),
                "inflow": to_json(t.inflow),
                "assigned": to_json(t.assigned),
            }
            for t in result.rankings
        ]
    rows = []
    for row in result.rows:
        item: dict[str, Any] = {
            "istanza": row.istanza,
            "comune": row.comune,
            "position": row.position,
            "priority_class": row.priority_class,
            "outcome": row.outcome.value,
            "amount": to_json(row.amount),
        }
        if row.ranking is not None:
            item["ranking"] = row.ranking
        rows.append(item)
    payload["rows"] = rows
    return payload
