"""A PI value that cannot be read is kept as typed: in the rows of the tables and in the single
date and amount fields, through the JSON the store keeps, and it blocks signing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caseworker_app.domain.pi import KeptValue, PiContent, kept_as_typed
from caseworker_app.domain.pi_plan import BudgetLine, FundingSource, Intervention
from caseworker_app.domain.pi_sections import (
    Economic,
    Evaluation,
    Header,
    Monitoring,
    ServiceInPlace,
    Signatory,
    SignatoryRole,
)


def _typed_content() -> PiContent:
    return PiContent(
        header=Header(drafted_on=None, typed={"drafted_on": "31/13/2023"}),
        evaluation=Evaluation(visit_date=None, typed={"visit_date": "32/01/2023"}),
        economic=Economic(value=None, typed={"value": "1234.567"}),
        services=(ServiceInPlace("sad", start=date(2023, 1, 1), typed={"end": "30/02/2024"}),),
        interventions=(
            Intervention("rimborso_domiciliare", monthly=Decimal("100.00")),
            Intervention("sollievo", monthly=None, typed={"monthly": "1234.567"}),
        ),
        budget=tuple(
            BudgetLine(s, typed={"total": "12,345"}) if s is FundingSource.COMUNE else BudgetLine(s)
            for s in FundingSource
        ),
        monitoring=Monitoring(
            checks=(date(2024, 1, 15),), typed={"checks": "15/01/2024, 31/02/2024"}
        ),
        signatories=(Signatory(SignatoryRole.CASE_MANAGER, "Maria", typed={"signed_on": "ieri"}),),
    )


def test_values_kept_as_typed_survive_the_json_round_trip() -> None:
    content = _typed_content()
    data = content.to_data()
    assert data["interventions"][1]["typed"] == {"monthly": "1234.567"}  # type: ignore[index]
    assert data["monitoring"]["typed"] == {"checks": "15/01/2024, 31/02/2024"}  # type: ignore[index]
    assert data["header"]["typed"] == {"drafted_on": "31/13/2023"}  # type: ignore[index]
    again = PiContent.from_data(data)
    assert again == content
    assert again.interventions[1].typed == {"monthly": "1234.567"}
    assert again.interventions[1].monthly is None
    assert again.monitoring.checks == (date(2024, 1, 15),)
    assert again.economic.typed == {"value": "1234.567"}


def test_a_row_read_in_full_writes_no_typed_key() -> None:
    data = PiContent(interventions=(Intervention("x", monthly=Decimal("1.00")),)).to_data()
    assert "typed" not in data["interventions"][0]  # type: ignore[index]
    assert "typed" not in data["header"]  # type: ignore[operator]


def test_older_content_without_typed_still_loads() -> None:
    content = PiContent.from_data({
        "header": {"drafted_on": "2023-11-20"},
        "interventions": [{"code": "x", "monthly": "100.00"}],
        "monitoring": {"checks": ["2024-01-15"]},
        "economic": {"value": "9000.00", "typed": "junk"},
    })  # fmt: skip
    assert content.header.drafted_on == date(2023, 11, 20) and content.header.typed == {}
    assert content.interventions[0].typed == {}
    assert content.economic.typed == {}
    assert kept_as_typed(content) == []


def test_every_value_kept_as_typed_is_listed_with_its_section_row_and_field() -> None:
    assert kept_as_typed(_typed_content()) == [
        KeptValue("header", None, "drafted_on", "31/13/2023"),
        KeptValue("evaluation", None, "visit_date", "32/01/2023"),
        KeptValue("economic", None, "value", "1234.567"),
        KeptValue("services", 0, "end", "30/02/2024"),
        KeptValue("interventions", 1, "monthly", "1234.567"),
        KeptValue("budget", 1, "total", "12,345"),
        KeptValue("monitoring", None, "checks", "15/01/2024, 31/02/2024"),
        KeptValue("signatories", 0, "signed_on", "ieri"),
    ]
