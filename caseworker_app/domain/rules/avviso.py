"""An avviso as data: requirements, interventions and caps, window, rankings.

Loaded from forms/avvisi/*.toml by ``caseworker_app.definitions.avvisi``. Nothing here is
evaluated from text: each requirement and each cap is one of a fixed set of kinds, each
interpreted by a small named function of the engine.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class Allocation(enum.StrEnum):
    SPORTELLO = "sportello"
    GRADUATORIA = "graduatoria"


class Severity(enum.StrEnum):
    KO = "ko"
    WARNING = "warning"


class AgeGroup(enum.StrEnum):
    ADULT = "adult"  # 18 or older on the submission date
    MINOR = "minor"
    ANY = "any"


# -- requirements ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidenceReq:
    """The beneficiary lives in a comune of the ambito (valid on the submission date)."""

    code: str
    cite: str


@dataclass(frozen=True)
class FlagReq:
    """A self-declared fact must hold (e.g. ``care.family_caregiver_only``).

    ``unless_lines``: when the fact does not hold, the istanza is not excluded as a whole; only
    the request lines whose code is not listed are (seed 002: training is allowed with paid staff).
    """

    code: str
    cite: str
    field: str
    expected: bool = True
    severity: Severity = Severity.KO
    unless_lines: frozenset[str] = frozenset()
    label: str = ""


@dataclass(frozen=True)
class DisabilityAtom:
    """``field`` is one of l104_art3_c3, indennita_accompagnamento (true) or
    invalidita_civile_percent (at least ``minimum``)."""

    field: str
    minimum: int | None = None


@dataclass(frozen=True)
class DisabilityReq:
    """An *or* of *and*s of certifications: "100% e L.104 c.3, oppure accompagnamento"."""

    code: str
    cite: str
    any_of: tuple[tuple[DisabilityAtom, ...], ...]


@dataclass(frozen=True)
class IseeGroup:
    age: AgeGroup
    accepted: tuple[str, ...]  # attestation types in order of preference
    maximum: Decimal | None  # None only in a template with the parameter unset
    fallback: tuple[str, ...] = ()  # accepted with a warning when none of ``accepted`` is there


@dataclass(frozen=True)
class IseeReq:
    """ISEE ceilings per age group. Without an ISEE the check is ``pending`` until
    ``deadline`` (inclusive) and ``ko`` after it; without a deadline it is ``ko``."""

    code: str
    cite: str
    groups: tuple[IseeGroup, ...]
    deadline: date | None = None
    deadline_cite: str = ""


@dataclass(frozen=True)
class AgeReq:
    code: str
    cite: str
    minimum: int | None = None
    maximum: int | None = None
    severity: Severity = Severity.KO


@dataclass(frozen=True)
class SubmissionReq:
    code: str
    cite: str
    opens: date | None = None
    closes: date | None = None  # inclusive


@dataclass(frozen=True)
class IncompatibleReq:
    code: str
    cite: str
    measures: frozenset[str]


@dataclass(frozen=True)
class DocumentsReq:
    """Documents that must be in the file (received) by the evaluation date; a promised one
    keeps the istanza ``pending`` until its promised date, then makes it ``ko``."""

    code: str
    cite: str
    required: tuple[str, ...] = ()


Requirement = (
    ResidenceReq
    | FlagReq
    | DisabilityReq
    | IseeReq
    | AgeReq
    | SubmissionReq
    | IncompatibleReq
    | DocumentsReq
)


# -- interventions and caps -----------------------------------------------------------------


class CapKind(enum.StrEnum):
    PER_MONTH = "per_month"  # amount x calendar months touched by the code's lines
    PER_DAY = "per_day"  # amount x days (the line's "days"), at most max_days
    ONCE = "once"  # amount for the code, whatever the number of lines
    PER_YEAR = "per_year"  # amount x calendar years touched
    PER_MONTH_BY_HOURS = "per_month_by_hours"  # monthly amount graded by weekly hours
    COST = "cost"  # no cap of its own: the documented cost (and the avviso's total cap)


@dataclass(frozen=True)
class HoursBand:
    min_hours: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Intervention:
    code: str
    label: str
    cap: CapKind
    cite: str
    amount: Decimal | None = None
    max_days: int | None = None
    bands: tuple[HoursBand, ...] = ()
    hours_field: str = ""  # key under the line's "extra", for PER_MONTH_BY_HOURS


@dataclass(frozen=True)
class ExcludedKind:
    """A kind of expense the avviso names and refuses: the line is excluded with ``reason``."""

    code: str
    reason: str
    cite: str


class WindowPolicy(enum.StrEnum):
    CUT = "cut"  # a line reaching outside is cut to the window (warning)
    EXCLUDE = "exclude"  # a line reaching outside is excluded (ko)


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    policy: WindowPolicy
    cite: str


# -- allocation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRule:
    """Priority class ``priority`` (lower ranks first) for istanze with any of the measures in
    place listed; a rule with no measures is the default class. First match wins."""

    priority: int
    label: str
    in_place_any: frozenset[str] = frozenset()


class Missing(enum.StrEnum):
    FIRST = "first"
    LAST = "last"


@dataclass(frozen=True)
class OrderKey:
    """``key``: ``isee`` (the value the ISEE requirement judged on), ``isee:<type>``,
    ``birth_date``, ``score`` (points grid), ``submitted_at`` or ``extra:<name>``."""

    key: str
    descending: bool = False
    missing: Missing = Missing.LAST
    cite: str = ""


@dataclass(frozen=True)
class PointsBand:
    low: Decimal | None  # inclusive; None = no lower bound
    high: Decimal | None  # inclusive; None = no upper bound
    points: int


@dataclass(frozen=True)
class PointsRule:
    """Points added to the score: ``source`` is ``isee``, ``age``, ``extra:<name>`` (banded),
    ``flag:<field>`` or ``in_place:<code>`` (``points`` when it holds)."""

    source: str
    bands: tuple[PointsBand, ...] = ()
    points: int = 0


@dataclass(frozen=True)
class Ranking:
    id: str
    label: str
    budget: Decimal | None  # None only in a template with the parameter unset
    residual: str = "partial"  # "partial" | "skip"
    residual_to: str | None = None  # a later ranking that receives what is left
    min_age: int | None = None  # which istanze belong here (age on the submission date)
    max_age: int | None = None
    lines_any: frozenset[str] = frozenset()  # ... or that request one of these codes
    classes: tuple[ClassRule, ...] = ()
    order: tuple[OrderKey, ...] = ()
    points: tuple[PointsRule, ...] = ()

    def accepts(self, age: int, line_codes: frozenset[str]) -> bool:
        if self.min_age is not None and age < self.min_age:
            return False
        if self.max_age is not None and age > self.max_age:
            return False
        return not self.lines_any or bool(self.lines_any & line_codes)


@dataclass(frozen=True)
class Avviso:
    id: str
    version: str
    title: str
    measure: str
    ambito: str
    legal_basis: tuple[str, ...]
    allocation: Allocation
    comuni: dict[str, tuple[date | None, date | None]]  # Belfiore code -> validity
    requirements: tuple[Requirement, ...]
    interventions: dict[str, Intervention]
    excluded: dict[str, ExcludedKind] = field(default_factory=dict)
    window: Window | None = None
    total_cap: Decimal | None = None  # per istanza, over all lines (seed 003: 1,200/year)
    total_cap_cite: str = ""
    rankings: tuple[Ranking, ...] = ()
    transmission_until: date | None = None
    template: bool = False
    unset: tuple[str, ...] = ()  # key paths of required parameters a template leaves empty
    extra_codes: frozenset[str] = frozenset()  # in_place/document codes this file adds
    #: ``[transmission]``: istanze with any of these measures in place send the capofila no
    #: social evaluation, ADL/IADL sheets or PI (seed 003 art. 11: "per le istanze non in
    #: carico alla Misura B2 2023"); empty: they always travel
    transmission_evaluation_unless: frozenset[str] = frozenset()
    transmission_cite: str = ""  # where the avviso says what is transmitted

    def evaluation_required(self, in_place: Collection[str]) -> bool:
        """Whether an istanza with ``in_place`` measures sends the capofila its social
        evaluation, ADL/IADL sheets and PI: yes unless it has one the avviso exempts."""
        return self.transmission_evaluation_unless.isdisjoint(in_place)

    def in_ambito(self, code: str, on: date) -> bool:
        validity = self.comuni.get(code)
        if validity is None:
            return False
        start, end = validity
        return (start is None or start <= on) and (end is None or on <= end)
