"""The sections of a Progetto Individuale (casefile.md "Progetto Individuale"): header,
beneficiary, network, evaluation, economic situation, services in place, objectives,
compatibility, monitoring, signatories. The plan's costs (interventions, budget) are in
``pi_plan``; the whole content and its JSON in ``pi``.

A field whose text could not be read (a malformed date or amount) keeps its value None and the
text in ``typed`` (field -> text), so that nothing typed is lost (``pi.kept_as_typed``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class VersionKind(enum.StrEnum):
    PRIMA_STESURA = "prima_stesura"
    AGGIORNAMENTO = "aggiornamento"
    RIVALUTAZIONE = "rivalutazione"


class TargetGroup(enum.StrEnum):
    ANZIANO = "anziano"
    ADULTO = "adulto"
    MINORE = "minore"


class NetworkRole(enum.StrEnum):
    CAREGIVER = "caregiver"
    FAMILIARE = "familiare"
    ASSISTENTE_FAMILIARE = "assistente_familiare"
    RAPPRESENTANTE_LEGALE = "rappresentante_legale"


class SignatoryRole(enum.StrEnum):
    BENEFICIARIO = "beneficiario"
    RAPPRESENTANTE_LEGALE = "rappresentante_legale"
    FAMILIARE = "familiare"
    CASE_MANAGER = "case_manager"
    ASST = "asst"


#: who may sign for the beneficiary's side (one of them is required)
BENEFICIARY_SIDE = frozenset(
    {SignatoryRole.BENEFICIARIO, SignatoryRole.RAPPRESENTANTE_LEGALE, SignatoryRole.FAMILIARE}
)


@dataclass(frozen=True)
class Header:
    ambito: str = ""
    comune: str = ""
    avviso_id: str = ""
    avviso_title: str = ""
    legal_basis: str = ""
    protocol: str = ""
    drafted_on: date | None = None
    version_kind: VersionKind = VersionKind.PRIMA_STESURA
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PiCertification:
    kind: str = ""  # CertificationKind value
    issued_on: date | None = None
    issuer: str = ""
    percent: int | None = None


@dataclass(frozen=True)
class Beneficiary:
    surname: str = ""
    given_name: str = ""
    codice_fiscale: str = ""
    birth_date: date | None = None
    birth_place: str = ""
    residence: str = ""
    domicile: str = ""
    target_group: TargetGroup = TargetGroup.ADULTO
    certifications: tuple[PiCertification, ...] = ()


@dataclass(frozen=True)
class NetworkPerson:
    role: NetworkRole = NetworkRole.FAMILIARE
    surname: str = ""
    given_name: str = ""
    relationship: str = ""
    cohabiting: bool = False
    care_hours_week: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Network:
    people: tuple[NetworkPerson, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ScaleLine:
    """A completed scale sheet as the PI shows it."""

    scale: str = ""
    visit_date: date | None = None
    score: int | None = None  # functions kept (Katz) or points (Lawton, Barthel)
    max: int | None = None
    classification: str = ""  # Katz class, Barthel band, ...


@dataclass(frozen=True)
class Evaluation:
    """Section 4: health data (``READ_HEALTH`` only)."""

    multidimensional: bool = False
    visit_date: date | None = None
    place: str = ""
    evaluators: tuple[str, ...] = ()
    scales: tuple[ScaleLine, ...] = ()
    housing: str = ""
    network: str = ""
    needs: str = ""
    risks: str = ""
    summary: str = ""
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Economic:
    isee_type: str = ""
    value: Decimal | None = None
    dsu_protocol: str = ""
    valid_until: date | None = None
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceInPlace:
    code: str = ""
    provider: str = ""
    frequency: str = ""
    funding: str = ""
    start: date | None = None
    end: date | None = None
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Objective:
    dimension: str = ""  # life dimension
    objective: str = ""
    indicator: str = ""


@dataclass(frozen=True)
class Compatibility:
    checked_on: date | None = None
    in_place: tuple[str, ...] = ()  # measure codes active when checked
    incompatible: tuple[str, ...] = ()  # those the avviso declares incompatible
    note: str = ""

    @property
    def compatible(self) -> bool:
        return not self.incompatible


@dataclass(frozen=True)
class Monitoring:
    case_manager: str = ""
    checks: tuple[date, ...] = ()  # verifiche
    indicators: str = ""
    outcomes: str = ""  # outcomes of past checks
    suspending_events: str = ""
    #: the dates of the verifiche as typed, when one of them could not be read ("checks" ->
    #: the whole line); ``checks`` holds those that could
    typed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Signatory:
    role: SignatoryRole
    name: str = ""
    place: str = ""
    signed_on: date | None = None
    signed: bool = False
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)


def check_compatibility(
    in_place: Iterable[str], incompatible: Iterable[str], *, on: date
) -> Compatibility:
    """The measures in place checked against an avviso's incompatibility list."""
    codes = tuple(sorted(set(in_place)))
    banned = frozenset(incompatible)
    return Compatibility(on, codes, tuple(c for c in codes if c in banned))
