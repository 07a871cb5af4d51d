"""Invariants of scale scoring, on every shipped definition (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.definitions.scales import load_scales
from caseworker_app.domain.person import Sex
from caseworker_app.domain.scales import ScaleDefinition, ScaleItem, ValueKind, score

DEFINITIONS = sorted(load_scales().values(), key=lambda d: (d.id, d.version))
Answers = dict[str, int | None]

NOT_ANSWERED = object()


def _answer(item: ScaleItem, *, complete: bool) -> st.SearchStrategy[Any]:
    choices: list[st.SearchStrategy[Any]] = [st.integers(1, len(item.options))]
    if item.accepts_not_applicable:
        choices.append(st.none())
    if not complete:
        choices.append(st.just(NOT_ANSWERED))
    return st.one_of(*choices)


@st.composite
def sheets(
    draw: st.DrawFn, definitions: list[ScaleDefinition] = DEFINITIONS, *, complete: bool = False
) -> tuple[ScaleDefinition, Answers, Sex, str | None]:
    definition = draw(st.sampled_from(definitions))
    answers: Answers = {}
    for item in definition.items:
        value = draw(_answer(item, complete=complete))
        if value is not NOT_ANSWERED:
            answers[item.id] = value
    sex = draw(st.sampled_from(list(Sex)))
    variants = [None, *(v.id for v in definition.variants)]
    return definition, answers, sex, draw(st.sampled_from(variants))


def _iadl() -> list[ScaleDefinition]:
    return [d for d in DEFINITIONS if d.id == "iadl-lawton"]


@given(sheets(complete=True))
def test_a_complete_sheet_splits_its_maximum_into_conserved_and_lost(
    sheet: tuple[ScaleDefinition, Answers, Sex, str | None],
) -> None:
    definition, answers, sex, variant = sheet
    result = score(definition, answers, sex=sex, variant=variant)
    # Every item answered, but all of those scored "non applicabile": nothing to complete.
    assert result.complete == (result.applicable > 0)
    assert result.conserved + result.lost == result.max


@given(sheets())
def test_conserved_and_lost_never_exceed_the_maximum(
    sheet: tuple[ScaleDefinition, Answers, Sex, str | None],
) -> None:
    definition, answers, sex, variant = sheet
    result = score(definition, answers, sex=sex, variant=variant)
    assert 0 <= result.conserved + result.lost <= result.max
    assert result.complete == (0 < result.applicable == result.answered)


@given(sheets([d for d in DEFINITIONS if d.id == "barthel"]))
def test_barthel_total_is_a_multiple_of_5_between_0_and_100(
    sheet: tuple[ScaleDefinition, Answers, Sex, str | None],
) -> None:
    definition, answers, _, _ = sheet
    result = score(definition, answers)
    assert result.total is not None
    assert 0 <= result.total <= 100
    assert result.total % 5 == 0
    assert (result.band is not None) == result.complete


@given(sheets(), st.data())
def test_answering_one_more_item_never_decreases_the_answered_count(
    sheet: tuple[ScaleDefinition, Answers, Sex, str | None], data: st.DataObject
) -> None:
    definition, answers, sex, variant = sheet
    missing = [item for item in definition.items if item.id not in answers]
    before = score(definition, answers, sex=sex, variant=variant)
    if not missing:
        assert before.complete == (before.applicable > 0)
        return
    item = data.draw(st.sampled_from(missing))
    option = data.draw(st.integers(1, len(item.options)))
    after = score(definition, answers | {item.id: option}, sex=sex, variant=variant)
    assert after.answered >= before.answered


@given(sheets([d for d in DEFINITIONS if d.values is ValueKind.AUTONOMY], complete=True))
def test_katz_class_a_exactly_when_no_function_is_lost(
    sheet: tuple[ScaleDefinition, Answers, Sex, str | None],
) -> None:
    definition, answers, _, _ = sheet
    result = score(definition, answers)
    assert (result.katz_class == "A") == (result.lost == 0)
    assert result.katz_class == "G" or result.lost < 6


@given(sheets(_iadl()), st.data())
def test_iadl_a_higher_scoring_option_never_lowers_conserved(
    sheet: tuple[ScaleDefinition, Answers, Sex, str | None], data: st.DataObject
) -> None:
    definition, answers, sex, variant = sheet
    answered = [i for i in definition.items if answers.get(i.id) is not None]
    if not answered:
        return
    item = data.draw(st.sampled_from(answered))
    chosen = answers[item.id]
    assert chosen is not None
    current = item.options[chosen - 1]
    better = [o for o in item.options if o.credit > current.credit]
    if not better:
        return
    option = data.draw(st.sampled_from(better))
    before = score(definition, answers, sex=sex, variant=variant)
    after = score(definition, answers | {item.id: option.number}, sex=sex, variant=variant)
    assert after.conserved >= before.conserved
    assert after.max == before.max
