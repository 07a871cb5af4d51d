"""Small builders for the rule-engine tests: avvisi built from the model, istanza records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from caseworker_app.domain.rules.avviso import (
    AgeGroup,
    Allocation,
    Avviso,
    CapKind,
    ClassRule,
    DisabilityAtom,
    DisabilityReq,
    FlagReq,
    Intervention,
    IseeGroup,
    IseeReq,
    OrderKey,
    Ranking,
    ResidenceReq,
    Window,
    WindowPolicy,
)
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)

COMUNI: dict[str, tuple[date | None, date | None]] = {"A010": (None, None), "A127": (None, None)}


def caregiver_like(
    budget: str = "5000.00",
    residual: str = "partial",
    allocation: Allocation = Allocation.GRADUATORIA,
) -> Avviso:
    return Avviso(
        id="test-graduatoria",
        version="1",
        title="t",
        measure="m",
        ambito="a",
        legal_basis=(),
        allocation=allocation,
        comuni=COMUNI,
        requirements=(
            ResidenceReq("residenza", "art. 2"),
            FlagReq("solo_caregiver", "art. 2", field="care.family_caregiver_only"),
            DisabilityReq(
                "disabilita",
                "art. 2",
                any_of=(
                    (DisabilityAtom("l104_art3_c3"),),
                    (DisabilityAtom("indennita_accompagnamento"),),
                ),
            ),
            IseeReq(
                "isee",
                "art. 2",
                groups=(
                    IseeGroup(
                        AgeGroup.ADULT,
                        ("sociosanitario",),
                        Decimal("25000.00"),
                        fallback=("ordinario",),
                    ),
                    IseeGroup(AgeGroup.MINOR, ("ordinario", "minorenni"), Decimal("40000.00")),
                ),
            ),
        ),
        interventions={
            "rimborso_domiciliare": Intervention("rimborso_domiciliare", "d", CapKind.COST, "3"),
            "a1_domiciliare": Intervention(
                "a1_domiciliare", "a1", CapKind.PER_MONTH, "2", amount=Decimal("650.00")
            ),
            "a2_ricovero_sollievo": Intervention(
                "a2_ricovero_sollievo",
                "a2",
                CapKind.PER_DAY,
                "2",
                amount=Decimal("100.00"),
                max_days=30,
            ),
            "b_psicologico": Intervention(
                "b_psicologico", "b", CapKind.ONCE, "2", amount=Decimal("600.00")
            ),
        },
        window=Window(date(2023, 1, 1), date(2023, 12, 31), WindowPolicy.CUT, "art. 3"),
        total_cap=Decimal("1200.00"),
        total_cap_cite="art. 3",
        rankings=(
            Ranking(
                id="g",
                label="g",
                budget=Decimal(budget),
                residual=residual,
                classes=(
                    ClassRule(2, "p2", frozenset({"b2_buono", "semiresidenziale"})),
                    ClassRule(1, "p1"),
                ),
                order=(OrderKey("isee"), OrderKey("isee:ordinario"), OrderKey("birth_date")),
            ),
        ),
    )


def record(
    ident: str,
    *,
    isee: str | None = "10000.00",
    ordinario: str | None = None,
    born: date = date(1940, 1, 1),
    amount: str = "900.00",
    submitted: datetime | None = None,
    in_place: frozenset[str] = frozenset(),
    code: str = "rimborso_domiciliare",
    start: date = date(2023, 3, 1),
    end: date = date(2023, 12, 31),
    days: int | None = None,
    comune: str = "A010",
    caregiver_only: bool = True,
) -> IstanzaRecord:
    entries = []
    if isee is not None:
        entries.append(IseeEntry("sociosanitario", Decimal(isee), date(2024, 1, 10)))
    if ordinario is not None:
        entries.append(IseeEntry("ordinario", Decimal(ordinario), date(2024, 1, 10)))
    return IstanzaRecord(
        id=ident,
        avviso="test-graduatoria",
        comune=comune,
        submitted_at=submitted or datetime(2024, 1, 15, 10, 30),
        beneficiary=Beneficiary("RSSMRA40A01A010T", "Rossi", "Mario", born, "M", comune, True),
        disability=Disability(True, False, 100),
        isee=tuple(entries),
        care=Care(caregiver_only, False, False),
        in_place=in_place,
        requests=(RequestLine(code, Decimal(amount), start, end, days),),
        documents=(),
    )
