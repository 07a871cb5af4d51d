"""The engine runs what later editions need (measures.md §6), on the fixture definition
tests/fixtures/avvisi/later-editions-2026.toml: several rankings with their own budgets and
residual flows, a continuity class, a points grid, an and/or disability rule, ISEE types per age
group, required documents, and a monthly buono graded by weekly hours."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from caseworker_app.definitions.avvisi import load_avviso
from caseworker_app.domain.rules.allocation import Funding, allocate
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.eligibility import judge
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)
from caseworker_app.domain.rules.verdict import Outcome, Status

FIXTURE = Path(__file__).parents[1] / "fixtures" / "avvisi" / "later-editions-2026.toml"
ON = date(2026, 5, 15)


@pytest.fixture(scope="module")
def avviso() -> Avviso:
    return load_avviso(FIXTURE)


def istanza(
    ident: str,
    *,
    born: date = date(1940, 5, 1),
    isee: tuple[tuple[str, str], ...] = (("sociosanitario", "8000.00"),),
    l104: bool = True,
    accompagnamento: bool = False,
    percent: int | None = 100,
    in_place: frozenset[str] = frozenset(),
    lines: tuple[RequestLine, ...] | None = None,
    extra: dict[str, Any] | None = None,
    documents: tuple[DocumentEntry, ...] | None = None,
    caregiver_only: bool = True,
) -> IstanzaRecord:
    return IstanzaRecord(
        id=ident,
        avviso="abbiatense-misura-sostegno-2026",
        comune="A010",
        submitted_at=datetime(2026, 3, 10, 9, 0),
        beneficiary=Beneficiary("XXXXXX00X00X000X", "Prova", "Persona", born, "F", "A010", True),
        disability=Disability(l104, accompagnamento, percent),
        isee=tuple(IseeEntry(t, Decimal(v), date(2026, 3, 1)) for t, v in isee),
        care=Care(caregiver_only, False, False),
        in_place=in_place,
        requests=lines
        if lines is not None
        else (
            RequestLine("buono_caregiver", Decimal("1200.00"), date(2026, 6, 1), date(2027, 5, 31)),
        ),
        documents=documents
        if documents is not None
        else (
            DocumentEntry("documento_identita", date(2026, 3, 10)),
            DocumentEntry("verbale_invalidita", date(2026, 3, 10)),
        ),
        extra=extra or {},
    )


def _check(verdict: Any, code: str) -> Status:
    return next(c.status for c in verdict.checks if c.code == code)


@pytest.mark.parametrize(
    ("l104", "accompagnamento", "percent", "expected"),
    [
        (True, False, 100, Status.OK),  # invalidità 100% e L.104 c.3
        (False, True, None, Status.OK),  # oppure accompagnamento
        (False, False, 100, Status.KO),  # 100% without L.104 is not enough
        (True, False, 80, Status.KO),  # L.104 with 80% is not enough
    ],
)
def test_disability_rule_mixing_and_or(
    avviso: Avviso, l104: bool, accompagnamento: bool, percent: int | None, expected: Status
) -> None:
    verdict = judge(
        avviso, istanza("D", l104=l104, accompagnamento=accompagnamento, percent=percent), on=ON
    )
    assert _check(verdict, "disabilita") is expected


def test_isee_corrente_is_accepted_for_adults(avviso: Avviso) -> None:
    verdict = judge(avviso, istanza("C", isee=(("corrente", "12000.00"),)), on=ON)
    assert _check(verdict, "isee") is Status.OK
    assert verdict.isee_used == Decimal("12000.00")


def test_required_document_missing_or_promised(avviso: Avviso) -> None:
    only_id = (DocumentEntry("documento_identita", date(2026, 3, 10)),)
    assert judge(avviso, istanza("M", documents=only_id), on=ON).outcome is Outcome.NON_AMMISSIBILE
    promised = (*only_id, DocumentEntry("verbale_invalidita", promised_by=date(2026, 6, 1)))
    assert judge(avviso, istanza("P", documents=promised), on=ON).outcome is Outcome.DA_INTEGRARE
    late = judge(avviso, istanza("L", documents=promised), on=date(2026, 6, 2))
    assert late.outcome is Outcome.NON_AMMISSIBILE


def test_monthly_buono_graded_by_weekly_hours(avviso: Avviso) -> None:
    def line(hours: object | None, amount: str = "5000.00") -> RequestLine:
        extra = {} if hours is None else {"ore_settimanali": hours}
        return RequestLine(
            "buono_assistente_personale",
            Decimal(amount),
            date(2026, 6, 15),
            date(2026, 8, 14),
            None,
            extra,
        )

    # 22 hours a week: band "from 20 hours" = 600.00 a month, June-August = 3 months
    v = judge(avviso, istanza("H1", lines=(line(22),)), on=ON)
    assert v.lines[0].granted == Decimal("1800.00") and v.lines[0].status is Status.WARNING
    v = judge(avviso, istanza("H2", lines=(line("25.5"),)), on=ON)
    assert v.lines[0].granted == Decimal("2400.00")
    v = judge(avviso, istanza("H3", lines=(line(8),)), on=ON)  # below the first band
    assert v.lines[0].granted == Decimal("0.00") and v.outcome is Outcome.NON_AMMISSIBILE
    v = judge(avviso, istanza("H4", lines=(line(None),)), on=ON)
    assert v.lines[0].status is Status.KO and "ore" in v.lines[0].message


def test_points_grid_orders_within_a_class_and_continuity_comes_first(avviso: Avviso) -> None:
    # points: ISEE <= 10,000 -> 10, <= 20,000 -> 5; age >= 85 -> 5, 75-84 -> 3;
    # extra adl_lost 5-6 -> 8; caregiver only -> 2; semiresidenziale -> -2
    high = istanza("ALTO", born=date(1935, 1, 1), extra={"adl_lost": 6})
    assert judge(avviso, high, on=ON).score == 10 + 5 + 8 + 2
    low = istanza("BASSO", born=date(1950, 1, 1), isee=(("sociosanitario", "15000.00"),))
    assert judge(avviso, low, on=ON).score == 5 + 3 + 2  # 76 years old on submission
    semi = istanza("SEMI", born=date(1950, 1, 1), in_place=frozenset({"semiresidenziale"}))
    assert judge(avviso, semi, on=ON).score == 10 + 3 - 2 + 2
    # a current beneficiary (a code added by the definition) ranks first whatever its score
    continuing = istanza(
        "CONT",
        born=date(1955, 1, 1),
        isee=(("sociosanitario", "29000.00"),),
        in_place=frozenset({"b2_2025_buono"}),
    )
    verdicts = [judge(avviso, r, on=ON) for r in (low, high, semi, continuing)]
    result = allocate(avviso, verdicts, on=ON)
    order = [r.istanza for r in result.rows if r.ranking == "anziani"]
    assert order == ["CONT", "ALTO", "SEMI", "BASSO"]


def test_each_target_has_its_ranking_and_residuals_flow_onwards(avviso: Avviso) -> None:
    elder = istanza("ANZ", born=date(1940, 1, 1))
    adult = istanza(
        "ADU",
        born=date(1980, 1, 1),
        lines=(
            RequestLine("buono_caregiver", Decimal("1200.00"), date(2026, 6, 1), date(2027, 5, 31)),
        ),
    )
    child = istanza("MIN", born=date(2015, 1, 1), isee=(("minorenni", "20000.00"),))
    verdicts = [judge(avviso, r, on=ON) for r in (elder, adult, child)]
    assert [v.ranking for v in verdicts] == ["anziani", "adulti", "minori"]
    result = allocate(avviso, verdicts, on=ON)
    totals = {t.id: t for t in result.rankings}
    assert totals["anziani"].assigned == Decimal("1200.00")
    # what the anziani ranking did not use flows to the adulti, and from there to the minori
    assert totals["adulti"].inflow == Decimal("60000.00") - Decimal("1200.00")
    assert totals["minori"].inflow == (
        Decimal("30000.00") + totals["adulti"].inflow - totals["adulti"].assigned
    )
    assert result.budget == Decimal("110000.00")
    assert all(r.outcome is Funding.FINANZIATA for r in result.rows)
    with pytest.raises(Exception, match=r"rules\.budget_needs_single_ranking"):
        allocate(avviso, verdicts, on=ON, budget=Decimal("1000.00"))
