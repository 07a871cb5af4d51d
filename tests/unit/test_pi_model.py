"""The PI content: JSON round trip, what changed between versions, budget totals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.pi import PiContent, missing_signatures, without_health
from caseworker_app.domain.pi_diff import diff
from caseworker_app.domain.pi_plan import BudgetLine, FundingSource, Intervention
from caseworker_app.domain.pi_sections import (
    Evaluation,
    Header,
    Monitoring,
    NetworkPerson,
    NetworkRole,
    Objective,
    Signatory,
    SignatoryRole,
    VersionKind,
    check_compatibility,
)

texts = st.text(max_size=20)
days = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
amounts = st.none() | st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)
interventions = st.builds(Intervention, texts, texts, texts, texts, days, days, amounts, amounts)
contents = st.builds(
    PiContent,
    header=st.builds(Header, texts, texts, texts, texts, texts, texts, days,
                     st.sampled_from(VersionKind)),
    network=st.builds(lambda people: replace(PiContent().network, people=tuple(people)),
                      st.lists(st.builds(NetworkPerson, st.sampled_from(NetworkRole), texts,
                                         texts, texts, st.booleans(),
                                         st.none() | st.integers(0, 168), texts), max_size=3)),
    evaluation=st.builds(Evaluation, st.booleans(), days, texts, st.lists(texts).map(tuple),
                         housing=texts, summary=texts),
    objectives=st.lists(st.builds(Objective, texts, texts, texts), max_size=4).map(tuple),
    interventions=st.lists(interventions, max_size=4).map(tuple),
    budget=st.tuples(*[st.builds(BudgetLine, st.just(s), amounts, amounts)
                       for s in FundingSource]),
    monitoring=st.builds(Monitoring, texts, st.lists(st.dates(), max_size=3).map(tuple)),
    signatories=st.lists(st.builds(Signatory, st.sampled_from(SignatoryRole), texts, texts,
                                   days, st.booleans()), max_size=4).map(tuple),
    privacy_acknowledged=st.booleans(),
    signed_place=texts,
    signed_on=days,
)  # fmt: skip


@given(contents)
def test_content_survives_the_json_round_trip(content: PiContent) -> None:
    assert PiContent.from_data(content.to_data()) == content


@given(contents)
def test_a_content_has_no_changes_from_itself(content: PiContent) -> None:
    assert diff(content, content) == []


def test_an_older_version_without_keys_reads_as_empty_sections() -> None:
    content = PiContent.from_data({"objectives": [{"objective": "x"}, "junk"]})
    assert content.objectives == (Objective("", "x", ""),)
    assert [b.source for b in content.budget] == list(FundingSource)


def test_diff_names_each_changed_field_with_its_row() -> None:
    old = PiContent(objectives=(Objective("casa", "a", "ore"),),
                    interventions=(Intervention("x", monthly=Decimal("100.00")),))  # fmt: skip
    new = replace(old, objectives=(Objective("casa", "a", "ore al mese"), Objective("rete")),
                  interventions=(Intervention("x", monthly=Decimal("120.00")),))  # fmt: skip
    changes = {c.path: (c.old, c.new) for c in diff(old, new)}
    assert changes == {
        ("objectives", 0, "indicator"): ("ore", "ore al mese"),
        ("objectives", 1, "dimension"): (None, "rete"),
        ("interventions", 0, "monthly"): ("100.00", "120.00"),
    }
    [first, *_] = diff(old, new)
    assert (first.section, first.row, first.field) == ("objectives", 0, "indicator")


def test_budget_totals_add_up_sources_and_interventions() -> None:
    content = PiContent(
        interventions=(
            Intervention("a", start=date(2023, 1, 15), end=date(2023, 3, 1),
                         monthly=Decimal("100.00")),  # 3 months touched
            Intervention("b", total=Decimal("50.50")),
            Intervention("c"),  # nothing to count yet
        ),
        budget=(BudgetLine(FundingSource.FNA, Decimal("100.00"), Decimal("300.00")),
                BudgetLine(FundingSource.FAMIGLIA, None, Decimal("50.50"))),
    )  # fmt: skip
    totals = content.totals()
    assert (totals.monthly, totals.total) == (Decimal("100.00"), Decimal("350.50"))
    assert totals.interventions_total == Decimal("350.50") and totals.balanced


def test_compatibility_lists_the_measures_the_avviso_excludes() -> None:
    result = check_compatibility(["sad", "b2_buono", "sad"], {"b2_buono"}, on=date(2024, 1, 1))
    assert result.in_place == ("b2_buono", "sad") and result.incompatible == ("b2_buono",)
    assert not result.compatible


def test_required_signatures_depend_on_the_evaluation() -> None:
    content = PiContent(signatories=(Signatory(SignatoryRole.BENEFICIARIO, "Ada", signed=True),))
    assert missing_signatures(content) == [SignatoryRole.CASE_MANAGER]
    manager = Signatory(SignatoryRole.CASE_MANAGER, "Maria", signed=True)
    multi = replace(content, evaluation=Evaluation(multidimensional=True),
                    signatories=(*content.signatories, manager))  # fmt: skip
    assert missing_signatures(multi) == [SignatoryRole.ASST]


def test_health_sections_are_removed_for_those_who_may_not_read_them() -> None:
    data = PiContent(evaluation=Evaluation(summary="segreto")).to_data()
    assert "segreto" not in repr(without_health(data))
