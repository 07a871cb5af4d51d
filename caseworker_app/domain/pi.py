"""The Progetto Individuale (PI): numbered versions of a content with twelve sections.

A version is a draft (``bozza``) until it is signed; a signed version is frozen, and editing
creates the next version from its content. The content (casefile.md "Progetto Individuale") is
kept by the store as a JSON object (``PiContent.to_data`` / ``from_data``); ``from_data`` is
tolerant of missing keys (older versions) and never guesses a value. Amounts are decimal euros.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.json_values import as_date as _date
from caseworker_app.domain.json_values import as_int as _int
from caseworker_app.domain.json_values import as_money as _money
from caseworker_app.domain.json_values import as_str as _str
from caseworker_app.domain.json_values import iso as _iso
from caseworker_app.domain.rules.calendar import months_touched


class PiStatus(enum.StrEnum):
    BOZZA = "bozza"
    FIRMATA = "firmata"


@dataclass(frozen=True)
class PiVersion:
    id: str
    istanza_id: IstanzaId
    number: int  # 1, 2, ... per istanza
    status: PiStatus
    content: Mapping[str, object]  # the sections (JSON object)
    created_at: datetime
    updated_at: datetime
    created_by: str
    signed_at: datetime | None = None
    signed_by: str = ""

    @property
    def frozen(self) -> bool:
        return self.status is PiStatus.FIRMATA


# -- JSON helpers ----------------------------------------------------------------------------

_E = TypeVar("_E", bound=enum.StrEnum)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _enum(kind: type[_E], value: object, default: _E) -> _E:
    known = {m.value: m for m in kind}
    return known.get(_str(value), default)


def _objects(data: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    raw = data.get(key)
    return [x for x in raw if isinstance(x, dict)] if isinstance(raw, list) else []


def _section(data: Mapping[str, object], key: str) -> Mapping[str, object]:
    raw = data.get(key)
    return raw if isinstance(raw, dict) else {}


def _strings(value: object) -> tuple[str, ...]:
    return tuple(x for x in value if isinstance(x, str)) if isinstance(value, list) else ()


# -- sections --------------------------------------------------------------------------------


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


class FundingSource(enum.StrEnum):
    #: the fund of the PI's own avviso (stored as "fna", the first measure supported): named
    #: after the avviso (:func:`fund_label`), e.g. "Caregiver familiare 2023", not always FNA
    FNA = "fna"
    COMUNE = "comune"
    ASST_FSR = "asst_fsr"
    FAMIGLIA = "famiglia"
    ALTRE_MISURE = "altre_misure"


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


@dataclass(frozen=True)
class Economic:
    isee_type: str = ""
    value: Decimal | None = None
    dsu_protocol: str = ""
    valid_until: date | None = None


@dataclass(frozen=True)
class ServiceInPlace:
    code: str = ""
    provider: str = ""
    frequency: str = ""
    funding: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Objective:
    dimension: str = ""  # life dimension
    objective: str = ""
    indicator: str = ""


@dataclass(frozen=True)
class Intervention:
    code: str = ""
    description: str = ""
    provider: str = ""
    quantity: str = ""  # hours/month, days...
    start: date | None = None
    end: date | None = None
    monthly: Decimal | None = None
    total: Decimal | None = None  # None: monthly x calendar months of the period

    def months(self) -> int:
        if self.start is None or self.end is None or self.end < self.start:
            return 0
        return len(months_touched(self.start, self.end))

    def total_amount(self) -> Decimal | None:
        """The total typed, else the monthly amount times the months of the period."""
        if self.total is not None:
            return self.total
        if self.monthly is None or not self.months():
            return None
        return self.monthly * self.months()


@dataclass(frozen=True)
class BudgetLine:
    source: FundingSource
    monthly: Decimal | None = None
    total: Decimal | None = None


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


@dataclass(frozen=True)
class Signatory:
    role: SignatoryRole
    name: str = ""
    place: str = ""
    signed_on: date | None = None
    signed: bool = False


def check_compatibility(
    in_place: Iterable[str], incompatible: Iterable[str], *, on: date
) -> Compatibility:
    """The measures in place checked against an avviso's incompatibility list."""
    codes = tuple(sorted(set(in_place)))
    banned = frozenset(incompatible)
    return Compatibility(on, codes, tuple(c for c in codes if c in banned))


def missing_signatures(content: PiContent) -> list[SignatoryRole]:
    """The roles whose signature is still missing (empty: the version may be signed).

    Every listed signatory must be marked signed with a name; the beneficiary's side and the
    case manager are always required, an ASST representative when the evaluation is
    multidimensional.
    """
    missing = [s.role for s in content.signatories if not (s.signed and s.name.strip())]
    roles = {s.role for s in content.signatories}
    if not roles & BENEFICIARY_SIDE:
        missing.append(SignatoryRole.BENEFICIARIO)
    if SignatoryRole.CASE_MANAGER not in roles:
        missing.append(SignatoryRole.CASE_MANAGER)
    if content.evaluation.multidimensional and SignatoryRole.ASST not in roles:
        missing.append(SignatoryRole.ASST)
    return missing


@dataclass(frozen=True)
class BudgetTotals:
    monthly: Decimal
    total: Decimal
    interventions_total: Decimal

    @property
    def balanced(self) -> bool:
        """The resources cover the interventions exactly."""
        return self.total == self.interventions_total

    @property
    def shortfall(self) -> Decimal:
        """How much of the interventions' cost the resources leave uncovered (0 when covered)."""
        return max(self.interventions_total - self.total, Decimal("0.00"))


#: what the avviso's fund is called when the PI does not name its avviso
FUND_OF_AVVISO = "Fondo dell'avviso"


def fund_label(avviso_title: str) -> str:
    """The budget's name for the fund of the avviso (``FundingSource.FNA``), from its title: the
    measure and edition before the first dash, e.g. "FNA Misura B2 2024" for "FNA Misura B2 2024
    - voucher …", "Caregiver familiare 2023" for "Caregiver familiare 2023 - rimborso spese
    (…)"; a title without a dash loses only a closing parenthesis ("(modello regionale 2007)").

    Derived from the title because the avviso definitions (caseworker.avviso/1) have no fund
    field, and released definition files never change."""
    title = " ".join(avviso_title.split())
    for dash in (" - ", " – ", " — "):
        title = title.split(dash, 1)[0]
    if title.endswith(")") and " (" in title:
        title = title[: title.rindex(" (")]
    return title.strip() or FUND_OF_AVVISO


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0.00"))


EVALUATION = "evaluation"
#: sections with health data: removed for operators without READ_HEALTH
HEALTH_SECTIONS = frozenset({EVALUATION})
SECTIONS = (
    "header", "beneficiary", "network", EVALUATION, "economic", "services", "objectives",
    "interventions", "budget", "compatibility", "monitoring", "signatories",
)  # fmt: skip


@dataclass(frozen=True)
class PiContent:
    header: Header = field(default_factory=Header)
    beneficiary: Beneficiary = field(default_factory=Beneficiary)
    network: Network = field(default_factory=Network)
    evaluation: Evaluation = field(default_factory=Evaluation)
    economic: Economic = field(default_factory=Economic)
    services: tuple[ServiceInPlace, ...] = ()
    objectives: tuple[Objective, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    budget: tuple[BudgetLine, ...] = tuple(BudgetLine(s) for s in FundingSource)
    compatibility: Compatibility = field(default_factory=Compatibility)
    monitoring: Monitoring = field(default_factory=Monitoring)
    signatories: tuple[Signatory, ...] = ()
    privacy_acknowledged: bool = False
    signed_place: str = ""
    signed_on: date | None = None

    def totals(self) -> BudgetTotals:
        return BudgetTotals(
            _sum(b.monthly for b in self.budget),
            _sum(b.total for b in self.budget),
            _sum(i.total_amount() for i in self.interventions),
        )

    def to_data(self) -> dict[str, object]:
        return _to_data(self)

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> PiContent:
        return _from_data(data)


def _to_data(c: PiContent) -> dict[str, object]:
    h, b, e, m = c.header, c.beneficiary, c.evaluation, c.monitoring
    return {
        "header": {"ambito": h.ambito, "comune": h.comune, "avviso_id": h.avviso_id,
                   "avviso_title": h.avviso_title, "legal_basis": h.legal_basis,
                   "protocol": h.protocol, "drafted_on": _iso(h.drafted_on),
                   "version_kind": h.version_kind.value},
        "beneficiary": {
            "surname": b.surname, "given_name": b.given_name, "codice_fiscale": b.codice_fiscale,
            "birth_date": _iso(b.birth_date), "birth_place": b.birth_place,
            "residence": b.residence, "domicile": b.domicile,
            "target_group": b.target_group.value,
            "certifications": [{"kind": x.kind, "issued_on": _iso(x.issued_on),
                                "issuer": x.issuer, "percent": x.percent}
                               for x in b.certifications]},
        "network": {"people": [{"role": p.role.value, "surname": p.surname,
                                "given_name": p.given_name, "relationship": p.relationship,
                                "cohabiting": p.cohabiting,
                                "care_hours_week": p.care_hours_week, "note": p.note}
                               for p in c.network.people], "note": c.network.note},
        EVALUATION: {
            "multidimensional": e.multidimensional, "visit_date": _iso(e.visit_date),
            "place": e.place, "evaluators": list(e.evaluators),
            "scales": [{"scale": s.scale, "visit_date": _iso(s.visit_date), "score": s.score,
                        "max": s.max, "classification": s.classification} for s in e.scales],
            "housing": e.housing, "network": e.network, "needs": e.needs, "risks": e.risks,
            "summary": e.summary},
        "economic": {"isee_type": c.economic.isee_type, "value": _amount(c.economic.value),
                     "dsu_protocol": c.economic.dsu_protocol,
                     "valid_until": _iso(c.economic.valid_until)},
        "services": [{"code": s.code, "provider": s.provider, "frequency": s.frequency,
                      "funding": s.funding, "start": _iso(s.start), "end": _iso(s.end)}
                     for s in c.services],
        "objectives": [{"dimension": o.dimension, "objective": o.objective,
                        "indicator": o.indicator} for o in c.objectives],
        "interventions": [{"code": i.code, "description": i.description,
                           "provider": i.provider, "quantity": i.quantity,
                           "start": _iso(i.start), "end": _iso(i.end),
                           "monthly": _amount(i.monthly), "total": _amount(i.total)}
                          for i in c.interventions],
        "budget": [{"source": x.source.value, "monthly": _amount(x.monthly),
                    "total": _amount(x.total)} for x in c.budget],
        "compatibility": {"checked_on": _iso(c.compatibility.checked_on),
                          "in_place": list(c.compatibility.in_place),
                          "incompatible": list(c.compatibility.incompatible),
                          "note": c.compatibility.note},
        "monitoring": {"case_manager": m.case_manager,
                       "checks": [d.isoformat() for d in m.checks],
                       "indicators": m.indicators, "outcomes": m.outcomes,
                       "suspending_events": m.suspending_events},
        "signatories": [{"role": s.role.value, "name": s.name, "place": s.place,
                         "signed_on": _iso(s.signed_on), "signed": s.signed}
                        for s in c.signatories],
        "privacy_acknowledged": c.privacy_acknowledged,
        "signed_place": c.signed_place,
        "signed_on": _iso(c.signed_on),
    }  # fmt: skip


def _from_data(data: Mapping[str, object]) -> PiContent:
    h, b = _section(data, "header"), _section(data, "beneficiary")
    n, e = _section(data, "network"), _section(data, EVALUATION)
    ec, co, m = (
        _section(data, "economic"),
        _section(data, "compatibility"),
        _section(data, "monitoring"),
    )
    budget = {
        src: BudgetLine(src, _money(x.get("monthly")), _money(x.get("total")))
        for x in _objects(data, "budget")
        if (src := _enum(FundingSource, x.get("source"), FundingSource.ALTRE_MISURE))
    }
    raw_checks = m.get("checks")
    return PiContent(
        header=Header(_str(h.get("ambito")), _str(h.get("comune")), _str(h.get("avviso_id")),
                      _str(h.get("avviso_title")), _str(h.get("legal_basis")),
                      _str(h.get("protocol")), _date(h.get("drafted_on")),
                      _enum(VersionKind, h.get("version_kind"), VersionKind.PRIMA_STESURA)),
        beneficiary=Beneficiary(
            _str(b.get("surname")), _str(b.get("given_name")), _str(b.get("codice_fiscale")),
            _date(b.get("birth_date")), _str(b.get("birth_place")), _str(b.get("residence")),
            _str(b.get("domicile")),
            _enum(TargetGroup, b.get("target_group"), TargetGroup.ADULTO),
            tuple(PiCertification(_str(x.get("kind")), _date(x.get("issued_on")),
                                  _str(x.get("issuer")), _int(x.get("percent")))
                  for x in _objects(b, "certifications"))),
        network=Network(tuple(
            NetworkPerson(_enum(NetworkRole, p.get("role"), NetworkRole.FAMILIARE),
                          _str(p.get("surname")), _str(p.get("given_name")),
                          _str(p.get("relationship")), p.get("cohabiting") is True,
                          _int(p.get("care_hours_week")), _str(p.get("note")))
            for p in _objects(n, "people")), _str(n.get("note"))),
        evaluation=Evaluation(
            e.get("multidimensional") is True, _date(e.get("visit_date")), _str(e.get("place")),
            _strings(e.get("evaluators")),
            tuple(ScaleLine(_str(s.get("scale")), _date(s.get("visit_date")),
                            _int(s.get("score")), _int(s.get("max")),
                            _str(s.get("classification"))) for s in _objects(e, "scales")),
            _str(e.get("housing")), _str(e.get("network")), _str(e.get("needs")),
            _str(e.get("risks")), _str(e.get("summary"))),
        economic=Economic(_str(ec.get("isee_type")), _money(ec.get("value")),
                          _str(ec.get("dsu_protocol")), _date(ec.get("valid_until"))),
        services=tuple(ServiceInPlace(_str(s.get("code")), _str(s.get("provider")),
                                      _str(s.get("frequency")), _str(s.get("funding")),
                                      _date(s.get("start")), _date(s.get("end")))
                       for s in _objects(data, "services")),
        objectives=tuple(Objective(_str(o.get("dimension")), _str(o.get("objective")),
                                   _str(o.get("indicator"))) for o in _objects(data, "objectives")),
        interventions=tuple(
            Intervention(_str(i.get("code")), _str(i.get("description")), _str(i.get("provider")),
                         _str(i.get("quantity")), _date(i.get("start")), _date(i.get("end")),
                         _money(i.get("monthly")), _money(i.get("total")))
            for i in _objects(data, "interventions")),
        budget=tuple(budget.get(s, BudgetLine(s)) for s in FundingSource),
        compatibility=Compatibility(_date(co.get("checked_on")), _strings(co.get("in_place")),
                                    _strings(co.get("incompatible")), _str(co.get("note"))),
        monitoring=Monitoring(
            _str(m.get("case_manager")),
            tuple(d for x in (raw_checks if isinstance(raw_checks, list) else ())
                  if (d := _date(x)) is not None),
            _str(m.get("indicators")), _str(m.get("outcomes")), _str(m.get("suspending_events"))),
        signatories=tuple(
            Signatory(_enum(SignatoryRole, s.get("role"), SignatoryRole.FAMILIARE),
                      _str(s.get("name")), _str(s.get("place")), _date(s.get("signed_on")),
                      s.get("signed") is True) for s in _objects(data, "signatories")),
        privacy_acknowledged=data.get("privacy_acknowledged") is True,
        signed_place=_str(data.get("signed_place")),
        signed_on=_date(data.get("signed_on")),
    )  # fmt: skip


def without_health(data: Mapping[str, object]) -> dict[str, object]:
    """The content without the sections that hold health data."""
    return {k: v for k, v in data.items() if k not in HEALTH_SECTIONS}
