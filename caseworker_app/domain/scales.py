"""Assessment scales (ADL Katz, IADL Lawton, Barthel): the definition as data, and pure scoring.

A definition is loaded from ``forms/scales/<id>/<version>.toml`` by
``caseworker_app.definitions.scales``; this module only interprets it and never evaluates anything
taken from a file. The product stores the option chosen for each item; every total is derived here.

Scoring, the same for every scale: each option earns a *credit* (Katz: "A" = 1, "D" = 0; Lawton
and Barthel: its points). Over the answered applicable items, ``conserved`` is the sum of the
credits and ``lost`` the sum of what each answer falls short of its item's best option; ``max`` is
the sum of the best credits of the applicable items. So Katz counts functions (A and D), Lawton
counts autonomous and dependent items (every item is worth 0 or 1), Barthel counts points
(``conserved`` = the total, ``lost`` = 100 - total on a complete sheet), and on a complete sheet
``conserved + lost == max``.

An item is applicable when the variant scores it (for the person's sex) and it is not answered
"not applicable" (``None``). An applicable item without an answer makes the sheet incomplete (a
draft), and so does a sheet with no applicable item at all (every item "not applicable"): nothing
was scored, so there is nothing to close. The Katz class, the Barthel band and the SINA level are
given only on complete sheets.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Sex

__all__ = [
    "Band",
    "Hierarchy",
    "KatzClass",
    "ScaleDefinition",
    "ScaleItem",
    "ScaleOption",
    "ScaleResult",
    "Sex",
    "SinaLevel",
    "ValueKind",
    "Variant",
    "score",
]

AUTONOMOUS = "A"
DEPENDENT = "D"


class ValueKind(enum.StrEnum):
    """What an option's ``value`` is."""

    AUTONOMY = "autonomy"  # "A" (autonomo, function kept) or "D" (dipendente, function lost)
    POINTS = "points"  # a whole number of points, 0 or more


@dataclass(frozen=True)
class ScaleOption:
    number: int  # 1..n in the order of the form
    text: str
    value: str | int  # "A"/"D" for ValueKind.AUTONOMY, points for ValueKind.POINTS

    @property
    def credit(self) -> int:
        if isinstance(self.value, str):
            return 1 if self.value == AUTONOMOUS else 0
        return self.value


@dataclass(frozen=True)
class ScaleItem:
    id: str
    text: str
    options: tuple[ScaleOption, ...]
    accepts_not_applicable: bool = False

    @property
    def max_credit(self) -> int:
        return max(o.credit for o in self.options)

    def option(self, number: int) -> ScaleOption | None:
        return self.options[number - 1] if 1 <= number <= len(self.options) else None


@dataclass(frozen=True)
class Variant:
    """A scoring variant: which items are scored (for everyone, or by sex)."""

    id: str
    title: str
    items: tuple[str, ...] | None = None  # None: every item of the scale
    items_by_sex: tuple[tuple[Sex, tuple[str, ...]], ...] = ()

    @property
    def needs_sex(self) -> bool:
        return bool(self.items_by_sex)

    def scored_items(self, sex: Sex | None) -> tuple[str, ...] | None:
        """The ids scored for ``sex`` (None: all); ``sex`` must be given when ``needs_sex``."""
        if self.items_by_sex:
            return dict(self.items_by_sex)[sex] if sex is not None else None
        return self.items


@dataclass(frozen=True)
class Band:
    """A named range of totals, both ends included (Barthel: Shah 1989)."""

    code: str
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class KatzClass:
    """A class of the hierarchy: exactly ``lost`` functions lost, among them ``lost_includes``."""

    code: str
    lost: int
    lost_includes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Hierarchy:
    classes: tuple[KatzClass, ...]
    otherwise: str  # the class when none of ``classes`` applies (Katz: "Altro")

    def classify(self, lost_items: frozenset[str]) -> str:
        for candidate in self.classes:
            if len(lost_items) == candidate.lost and candidate.lost_includes <= lost_items:
                return candidate.code
        return self.otherwise


@dataclass(frozen=True)
class SinaLevel:
    """SIUSS/SINA three-level autonomy summary, from the number of lost functions."""

    level: int
    label: str
    lost_from: int
    lost_to: int


@dataclass(frozen=True)
class ScaleDefinition:
    id: str
    version: str
    title: str
    values: ValueKind
    items: tuple[ScaleItem, ...]
    not_applicable_label: str = ""
    variants: tuple[Variant, ...] = ()
    default_variant: str | None = None
    hierarchy: Hierarchy | None = None
    bands: tuple[Band, ...] = ()
    sina_levels: tuple[SinaLevel, ...] = ()
    alternative: bool = False  # published alongside, used only when named (not the default)

    def item(self, item_id: str) -> ScaleItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def variant(self, variant_id: str) -> Variant | None:
        return next((v for v in self.variants if v.id == variant_id), None)

    @property
    def max_total(self) -> int:
        return sum(i.max_credit for i in self.items)


@dataclass(frozen=True)
class ScaleResult:
    scale: str
    version: str
    variant: str | None  # the variant applied (None for scales without variants)
    complete: bool  # at least one applicable item, and every applicable item answered
    answered: int  # applicable items with an answer
    applicable: int  # items scored: not excluded by the variant nor answered "not applicable"
    conserved: int
    lost: int
    max: int
    lost_items: frozenset[str]  # answered items whose option is not the best one
    total: int | None  # points scales (Lawton, Barthel): the points of the answered items
    band: Band | None  # complete sheets of scales with bands (Barthel)
    katz_class: str | None  # complete sheets of scales with a hierarchy (Katz)
    sina_level: SinaLevel | None  # complete sheets of scales with SINA levels (Katz)


def _resolve_variant(
    definition: ScaleDefinition, variant: str | None, sex: Sex | None
) -> tuple[Variant | None, frozenset[str]]:
    every = frozenset(i.id for i in definition.items)
    if not definition.variants:
        if variant is not None:
            raise UserFacingError(
                "scales.unknown_variant", scale=definition.id, variant=variant, variants="-"
            )
        return None, every
    chosen = definition.variant(variant or definition.default_variant or "")
    if chosen is None:
        raise UserFacingError(
            "scales.unknown_variant",
            scale=definition.id,
            variant=str(variant),
            variants=", ".join(v.id for v in definition.variants),
        )
    if chosen.needs_sex and sex is None:
        raise UserFacingError("scales.sex_required", scale=definition.id, variant=chosen.id)
    scored = chosen.scored_items(sex)
    return chosen, every if scored is None else frozenset(scored)


def _check_answers(definition: ScaleDefinition, answers: Mapping[str, int | None]) -> None:
    for item_id, option in answers.items():
        item = definition.item(item_id)
        if item is None:
            raise UserFacingError("scales.unknown_item", scale=definition.id, item=item_id)
        if option is None:
            if not item.accepts_not_applicable:
                raise UserFacingError(
                    "scales.not_applicable_refused", scale=definition.id, item=item_id
                )
        elif type(option) is not int or item.option(option) is None:
            raise UserFacingError(
                "scales.option_out_of_range",
                scale=definition.id,
                item=item_id,
                options=len(item.options),
            )


def score(
    definition: ScaleDefinition,
    answers: Mapping[str, int | None],
    *,
    sex: Sex | None = None,
    variant: str | None = None,
) -> ScaleResult:
    """Score a sheet: ``answers`` maps item id to option number (1..n) or None (not applicable).

    Items missing from ``answers`` are unanswered: the result is then incomplete, never an error.
    ``sex`` is needed only by variants that score by sex and is ignored otherwise; ``variant``
    defaults to the definition's default variant. Raises ``UserFacingError`` (``scales.*``, with
    the item id) for an unknown item, an option out of range, a "not applicable" the item does not
    accept, an unknown variant, or a missing sex.
    """
    _check_answers(definition, answers)
    chosen, scored = _resolve_variant(definition, variant, sex)
    applicable = [
        item
        for item in definition.items
        if item.id in scored and not (item.id in answers and answers[item.id] is None)
    ]
    answered = [
        (item, item.options[option - 1])
        for item in applicable
        if (option := answers.get(item.id)) is not None
    ]
    # A sheet on which no item is scored (all "not applicable") says nothing: not complete.
    complete = bool(applicable) and len(answered) == len(applicable)
    conserved = sum(option.credit for _, option in answered)
    lost = sum(item.max_credit - option.credit for item, option in answered)
    lost_items = frozenset(item.id for item, option in answered if option.credit < item.max_credit)
    total = conserved if definition.values is ValueKind.POINTS else None
    band = None
    if complete and total is not None:
        band = next((b for b in definition.bands if b.low <= total <= b.high), None)
    katz_class = None
    if complete and definition.hierarchy is not None:
        katz_class = definition.hierarchy.classify(lost_items)
    sina = None
    if complete:
        sina = next(
            (s for s in definition.sina_levels if s.lost_from <= lost <= s.lost_to),
            None,
        )
    return ScaleResult(
        scale=definition.id,
        version=definition.version,
        variant=chosen.id if chosen is not None else None,
        complete=complete,
        answered=len(answered),
        applicable=len(applicable),
        conserved=conserved,
        lost=lost,
        max=sum(item.max_credit for item in applicable),
        lost_items=lost_items,
        total=total,
        band=band,
        katz_class=katz_class,
        sina_level=sina,
    )
