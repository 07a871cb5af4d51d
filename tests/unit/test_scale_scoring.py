"""Scoring of the shipped scales (scales.md): Katz classes, IADL variants, Barthel bands, SINA."""

from __future__ import annotations

from dataclasses import replace

import pytest

from caseworker_app.definitions.scales import get_scale, latest_scale
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Sex
from caseworker_app.domain.scales import ScaleDefinition, ScaleItem, ScaleOption, score

KATZ_ITEMS = ("lavarsi", "vestirsi", "uso_servizi", "trasferimenti", "continenza", "alimentazione")
IADL_ITEMS = (
    "telefono",
    "spesa",
    "cucina",
    "governo_casa",
    "biancheria",
    "trasporti",
    "farmaci",
    "denaro",
)
IADL_MEN = ("telefono", "spesa", "trasporti", "farmaci", "denaro")
BARTHEL_ITEMS = (
    "alimentazione",
    "bagno",
    "igiene_personale",
    "vestirsi",
    "controllo_intestinale",
    "controllo_vescicale",
    "uso_wc",
    "trasferimento_letto_sedia",
    "deambulazione",
    "scale",
)


@pytest.fixture(scope="module")
def katz() -> ScaleDefinition:
    return latest_scale("adl-katz")


@pytest.fixture(scope="module")
def iadl() -> ScaleDefinition:
    return get_scale("iadl-lawton", "1")


@pytest.fixture(scope="module")
def barthel() -> ScaleDefinition:
    return latest_scale("barthel")


def katz_sheet(*lost: str) -> dict[str, int | None]:
    """A complete Katz sheet losing exactly ``lost`` (option 3 is "D" on every item)."""
    return {item: 3 if item in lost else 1 for item in KATZ_ITEMS}


@pytest.mark.parametrize(
    ("lost", "expected"),
    [
        ((), "A"),
        (("continenza",), "B"),
        (("lavarsi",), "B"),
        (("lavarsi", "alimentazione"), "C"),
        (("lavarsi", "vestirsi", "continenza"), "D"),
        (("lavarsi", "vestirsi", "uso_servizi", "alimentazione"), "E"),
        (("lavarsi", "vestirsi", "uso_servizi", "trasferimenti", "continenza"), "F"),
        (KATZ_ITEMS, "G"),
        # exactly two lost, but not lavarsi
        (("vestirsi", "continenza"), "Altro"),
        # three lost including lavarsi but not vestirsi
        (("lavarsi", "uso_servizi", "continenza"), "Altro"),
        (("lavarsi", "vestirsi", "trasferimenti", "continenza"), "Altro"),
        (("lavarsi", "vestirsi", "uso_servizi", "continenza", "alimentazione"), "Altro"),
    ],
)
def test_social_worker_gets_the_katz_class_of_a_complete_sheet(
    katz: ScaleDefinition, lost: tuple[str, ...], expected: str
) -> None:
    result = score(katz, katz_sheet(*lost))
    assert result.complete
    assert result.katz_class == expected
    assert (result.conserved, result.lost, result.max) == (6 - len(lost), len(lost), 6)
    assert result.lost_items == frozenset(lost)


def test_katz_dependent_options_other_than_the_last_also_lose_the_function(
    katz: ScaleDefinition,
) -> None:
    answers = katz_sheet() | {"uso_servizi": 2, "trasferimenti": 2, "lavarsi": 2}
    result = score(katz, answers)
    assert result.lost_items == {"uso_servizi", "trasferimenti"}
    assert result.katz_class == "Altro"


@pytest.mark.parametrize(("lost", "level"), [(0, 1), (1, 2), (3, 2), (5, 2), (6, 3)])
def test_sina_level_from_lost_adl_functions(katz: ScaleDefinition, lost: int, level: int) -> None:
    result = score(katz, katz_sheet(*KATZ_ITEMS[:lost]))
    assert result.sina_level is not None
    assert result.sina_level.level == level


def test_an_unanswered_item_leaves_a_draft_without_class_nor_sina(katz: ScaleDefinition) -> None:
    answers = katz_sheet("lavarsi", "vestirsi")
    del answers["alimentazione"]
    result = score(katz, answers)
    assert not result.complete
    assert (result.answered, result.applicable) == (5, 6)
    assert (result.conserved, result.lost, result.max) == (3, 2, 6)
    assert result.katz_class is None
    assert result.sina_level is None


def test_an_empty_sheet_is_a_draft(katz: ScaleDefinition) -> None:
    result = score(katz, {})
    assert not result.complete
    assert (result.answered, result.conserved, result.lost, result.max) == (0, 0, 0, 6)


def test_iadl_all_items_is_the_default_variant(iadl: ScaleDefinition) -> None:
    answers: dict[str, int | None] = dict.fromkeys(IADL_ITEMS, 1)
    answers["spesa"] = 2  # 0 points
    result = score(iadl, answers, sex=Sex.M)
    assert result.variant == "all_items"
    assert (result.complete, result.conserved, result.lost, result.max) == (True, 7, 1, 8)
    assert result.katz_class is None
    assert result.band is None


def test_iadl_sex_specific_scores_men_on_five_items(iadl: ScaleDefinition) -> None:
    answers: dict[str, int | None] = {item: 1 for item in IADL_MEN}
    answers["denaro"] = 3  # 0 points
    result = score(iadl, answers, sex=Sex.M, variant="sex_specific")
    assert (result.complete, result.conserved, result.lost, result.max) == (True, 4, 1, 5)


def test_iadl_sex_specific_ignores_household_items_answered_for_a_man(
    iadl: ScaleDefinition,
) -> None:
    answers: dict[str, int | None] = dict.fromkeys(IADL_ITEMS, 1)
    answers["cucina"] = 4  # 0 points, but not scored for men
    result = score(iadl, answers, sex=Sex.M, variant="sex_specific")
    assert (result.conserved, result.lost, result.max) == (5, 0, 5)


def test_iadl_sex_specific_scores_women_on_eight_items(iadl: ScaleDefinition) -> None:
    answers: dict[str, int | None] = dict.fromkeys(IADL_ITEMS, 1)
    result = score(iadl, answers, sex=Sex.F, variant="sex_specific")
    assert (result.complete, result.conserved, result.max) == (True, 8, 8)


@pytest.mark.parametrize("version", ["1", "2"])
def test_iadl_with_no_item_scored_is_not_complete(version: str) -> None:
    """Every item "non applicabile": nothing was scored, so the sheet is not complete (0/0 says
    nothing about the person) and gets no band nor class."""
    iadl = get_scale("iadl-lawton", version)
    result = score(iadl, dict.fromkeys(IADL_ITEMS, None))
    assert (result.complete, result.answered, result.applicable, result.max) == (False, 0, 0, 0)
    assert (result.band, result.katz_class, result.sina_level) == (None, None, None)


def test_iadl_sex_specific_with_every_scored_item_not_applicable_is_not_complete(
    iadl: ScaleDefinition,
) -> None:
    """A man on the 1969 variant is scored on five items; all five "non applicabile" (the
    household items answered do not count for him) → nothing scored, not complete."""
    answers: dict[str, int | None] = dict.fromkeys(IADL_MEN, None)
    answers |= {"cucina": 1, "governo_casa": 1, "biancheria": 1}
    result = score(iadl, answers, sex=Sex.M, variant="sex_specific")
    assert (result.complete, result.applicable) == (False, 0)


def test_iadl_sex_specific_needs_the_sex(iadl: ScaleDefinition) -> None:
    with pytest.raises(UserFacingError) as err:
        score(iadl, {}, variant="sex_specific")
    assert err.value.code == "scales.sex_required"


def test_iadl_not_applicable_items_shrink_the_maximum(iadl: ScaleDefinition) -> None:
    answers: dict[str, int | None] = dict.fromkeys(IADL_ITEMS, 1)
    answers["cucina"] = None
    answers["biancheria"] = None
    result = score(iadl, answers)
    assert (result.complete, result.conserved, result.lost, result.max) == (True, 6, 0, 6)
    assert result.applicable == 6


def test_iadl_not_applicable_on_an_item_excluded_by_the_variant(iadl: ScaleDefinition) -> None:
    answers: dict[str, int | None] = {item: 1 for item in IADL_MEN}
    answers["governo_casa"] = None
    answers["farmaci"] = None
    result = score(iadl, answers, sex=Sex.M, variant="sex_specific")
    assert (result.complete, result.conserved, result.max) == (True, 4, 4)


@pytest.mark.parametrize(("version", "points"), [("1", 1), ("2", 0)])
def test_governo_casa_option_4_depends_on_the_definition_version(version: str, points: int) -> None:
    definition = get_scale("iadl-lawton", version)
    result = score(definition, {"governo_casa": 4})
    assert result.conserved == points
    assert result.version == version


def test_the_original_lawton_scoring_stays_the_default_version() -> None:
    assert latest_scale("iadl-lawton").version == "1"
    assert get_scale("iadl-lawton", "2").alternative


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ({}, 0),
        ({"alimentazione": 3, "trasferimento_letto_sedia": 4, "deambulazione": 4}, 40),
        ({"bagno": 2, "igiene_personale": 2, "scale": 2}, 15),
    ],
)
def test_barthel_total_is_the_sum_of_points(
    barthel: ScaleDefinition, answers: dict[str, int | None], total: int
) -> None:
    sheet: dict[str, int | None] = dict.fromkeys(BARTHEL_ITEMS, 1) | answers
    result = score(barthel, sheet)
    assert result.total == total
    assert (result.conserved, result.lost, result.max) == (total, 100 - total, 100)


def barthel_sheet_totalling(barthel: ScaleDefinition, total: int) -> dict[str, int | None]:
    """A complete sheet with exactly ``total`` points (greedy, multiples of 5)."""
    answers: dict[str, int | None] = {}
    left = total
    for item in barthel.items:
        best = max((o for o in item.options if o.credit <= left), key=lambda o: o.credit)
        answers[item.id] = best.number
        left -= best.credit
    assert left == 0
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "totale"),
        (20, "totale"),
        (25, "grave"),
        (60, "grave"),
        (65, "moderata"),
        (90, "moderata"),
        (95, "lieve"),
        (100, "indipendente"),
    ],
)
def test_barthel_band_of_a_complete_sheet(barthel: ScaleDefinition, total: int, band: str) -> None:
    result = score(barthel, barthel_sheet_totalling(barthel, total))
    assert (result.complete, result.total) == (True, total)
    assert result.band is not None
    assert result.band.code == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "totale"),
        (20, "totale"),
        (21, "grave"),
        (60, "grave"),
        (61, "moderata"),
        (90, "moderata"),
        (91, "lieve"),
        (99, "lieve"),
        (100, "indipendente"),
    ],
)
def test_barthel_band_boundaries(barthel: ScaleDefinition, total: int, band: str) -> None:
    """Every boundary, also those a real sheet cannot reach (its totals are multiples of 5):
    the Barthel bands on a one-item scale worth 0..100 points."""
    options = tuple(ScaleOption(n + 1, f"{n} punti", n) for n in range(101))
    one_item = replace(barthel, items=(ScaleItem("punti", "Punti", options),))
    result = score(one_item, {"punti": total + 1})
    assert result.total == total
    assert result.band is not None
    assert result.band.code == band


def test_barthel_band_only_on_a_complete_sheet(barthel: ScaleDefinition) -> None:
    answers = barthel_sheet_totalling(barthel, 100)
    del answers["scale"]
    result = score(barthel, answers)
    assert not result.complete
    assert result.total == 90
    assert result.band is None


@pytest.mark.parametrize(
    ("scale", "answers", "code"),
    [
        ("adl-katz", {"lavarsi": 4}, "scales.option_out_of_range"),
        ("adl-katz", {"lavarsi": 0}, "scales.option_out_of_range"),
        ("adl-katz", {"lavarsi": True}, "scales.option_out_of_range"),
        ("adl-katz", {"lavarsi": None}, "scales.not_applicable_refused"),
        ("barthel", {"scale": None}, "scales.not_applicable_refused"),
        ("adl-katz", {"nuotare": 1}, "scales.unknown_item"),
        ("iadl-lawton", {"governo_casa": 6}, "scales.option_out_of_range"),
    ],
)
def test_bad_answers_are_refused_naming_the_item(
    scale: str, answers: dict[str, int | None], code: str
) -> None:
    with pytest.raises(UserFacingError) as err:
        score(latest_scale(scale), answers)
    assert err.value.code == code
    assert err.value.params["item"] == next(iter(answers))
    assert err.value.params["scale"] == scale


def test_a_variant_the_scale_does_not_have_is_refused(katz: ScaleDefinition) -> None:
    with pytest.raises(UserFacingError) as err:
        score(katz, {}, variant="all_items")
    assert err.value.code == "scales.unknown_variant"
    with pytest.raises(UserFacingError) as err:
        score(latest_scale("iadl-lawton"), {}, variant="solo_donne")
    assert err.value.code == "scales.unknown_variant"


def test_sex_is_ignored_by_scales_that_do_not_use_it(katz: ScaleDefinition) -> None:
    assert score(katz, katz_sheet(), sex=Sex.F) == score(katz, katz_sheet())
