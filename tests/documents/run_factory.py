"""Ranking runs built directly (no store, no engine) for the publication documents' tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from caseworker_app.documents.graduatoria_tables import Beneficiary
from caseworker_app.domain.ranking_run import (
    RankingRun,
    RunApproval,
    RunCheck,
    RunKey,
    RunRow,
    StoredRun,
)
from caseworker_app.domain.rules.allocation import Funding, RankingTotals

AVVISO = "abbiatense-caregiver-2023"
AVVISO_TITLE = "Contributi ai caregiver familiari 2023"
COMUNI = {"A010": "Abbiategrasso", "A127": "Albairate", "B448": "Cassinetta di Lugagnano"}
LABELS = {"ranking:unica": "Graduatoria unica", "ranking:b1": "Misura B1",
          "ranking:b2": "Misura B2"}  # fmt: skip
VALID_IBAN = "IT60 X054 2811 1010 0000 0123 456"
BAD_IBAN = "IT00X0542811101000000123456"  # wrong check digits
CONTENT_SHA = "c0ffee" + "1" * 58
INPUTS_SHA = "beef" + "2" * 60
RUN_ID = "5f0c6f0e-3a52-4a8e-9d61-0a1b2c3d4e5f"

_OUTCOMES = (
    Funding.FINANZIATA,
    Funding.FINANZIATA,
    Funding.FINANZIATA_PARZIALMENTE,
    Funding.AMMESSA_NON_FINANZIATA,
    Funding.NON_AMMISSIBILE,
)
_CODES = tuple(COMUNI)


def protocol(n: int) -> str:
    return f"{_CODES[n % 3]}-2023-{n:06d}"


def _row(n: int, ranking: str | None, position: int | None, outcome: Funding) -> RunRow:
    eligible = Decimal("1200.00") + n % 7 * 100
    amount = {
        Funding.FINANZIATA: eligible,
        Funding.FINANZIATA_PARZIALMENTE: Decimal("350.50"),
    }.get(outcome, Decimal("0.00"))
    ko = outcome is Funding.NON_AMMISSIBILE
    return RunRow(
        comune=_CODES[n % 3],
        protocol=protocol(n),
        received_id=f"rcv-{n}",
        version=1 + n % 2,
        submitted_at=datetime(2023, 10, 2, 9, 0) + timedelta(minutes=7 * n),
        position=None if ko else position,
        priority_class=None if ko else 1 + n % 2,
        ranking=None if ko else ranking,
        outcome=outcome,
        amount=amount,
        eligible=Decimal("0.00") if ko else eligible,
        keys=(RunKey("isee", "", False, True),),
        checks=(RunCheck("isee.max", "ko" if ko else "ok", "ISEE oltre la soglia" if ko else ""),),
        lines=(),
    )


def make_run(
    n: int = 10,
    *,
    rankings: tuple[str, ...] = ("unica",),
    number: int = 2,
    provisional: bool = False,
    determina: str | None = "123/2024",
) -> StoredRun:
    """``n`` rows spread over the rankings and the three comuni, with every kind of outcome."""
    rows: list[RunRow] = []
    positions = dict.fromkeys(rankings, 0)
    for i in range(n):
        ranking = rankings[i % len(rankings)]
        outcome = _OUTCOMES[i % len(_OUTCOMES)]
        if provisional and i % 11 == 10:
            outcome = Funding.DA_INTEGRARE
        if outcome is not Funding.NON_AMMISSIBILE:
            positions[ranking] += 1
        rows.append(_row(i, ranking, positions[ranking], outcome))
    totals = tuple(
        RankingTotals(
            r,
            Decimal("50000.00"),
            Decimal("0.00") if k == 0 else Decimal("1000.00"),
            sum((x.amount for x in rows if x.ranking == r), Decimal("0.00")),
        )
        for k, r in enumerate(rankings)
    )
    run = RankingRun(
        id=RUN_ID,
        number=number,
        avviso=AVVISO,
        avviso_version="1.0.0",
        definition_sha256="d" * 64,
        on=date(2024, 1, 31),
        budget_override=None,
        budget=sum((t.budget for t in totals), Decimal("0.00")),
        assigned=sum((t.assigned for t in totals), Decimal("0.00")),
        provisional=provisional,
        rankings=totals,
        rows=tuple(rows),
        inputs=(),
        inputs_sha256=INPUTS_SHA,
        follows=None,
        created_at=datetime(2024, 2, 1, 9, 30, 0),
        created_by="ufficio.piano",
    )
    approval = (
        RunApproval(RUN_ID, determina, date(2024, 2, 5), "dirigente", datetime(2024, 2, 5, 12, 0))
        if determina is not None
        else None
    )
    return StoredRun(run, CONTENT_SHA, approval)


def beneficiaries(stored: StoredRun) -> dict[tuple[str, str], Beneficiary]:
    """A beneficiary per row: accents and apostrophes; every 4th IBAN is wrong, every 9th none."""
    found: dict[tuple[str, str], Beneficiary] = {}
    for i, row in enumerate(stored.run.rows):
        iban = "" if i % 9 == 8 else BAD_IBAN if i % 4 == 3 else VALID_IBAN
        found[row.ident] = Beneficiary(
            surname=f"D'Àngelo{i}",
            given_name=f"Nicolò{i}",
            codice_fiscale=f"dngncl80a01f{i:03d}x",
            isee=Decimal("8123.45") + i,
            iban=iban,
            iban_holder=f"Nicolò{i} D'Àngelo{i}",
        )
    return found
