"""The Progetto Individuale (PI): numbered versions of a content with twelve sections.

A version is a draft (``bozza``) until it is signed; a signed version is frozen, and editing
creates the next version from its content. The content (casefile.md "Progetto Individuale") is
kept by the store as a JSON object (``PiContent.to_data`` / ``from_data``); ``from_data`` is
tolerant of missing keys (older versions) and never guesses a value. Amounts are decimal euros.

A date or amount that could not be read is kept as typed: its value is None and the text is in
the ``typed`` object of its section or row (written only when there is one, so older content
reads the same); :func:`kept_as_typed` lists them, and a version with any cannot be signed.

The sections are defined in ``pi_sections``, the interventions and budget in ``pi_plan``; their
names are importable from here too.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
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
from caseworker_app.domain.pi_plan import (
    FUND_OF_AVVISO,
    BudgetLine,
    BudgetTotals,
    FundingSource,
    Intervention,
    fund_label,
    sum_amounts,
)
from caseworker_app.domain.pi_sections import (
    BENEFICIARY_SIDE,
    Beneficiary,
    Compatibility,
    Economic,
    Evaluation,
    Header,
    Monitoring,
    Network,
    NetworkPerson,
    NetworkRole,
    Objective,
    PiCertification,
    ScaleLine,
    ServiceInPlace,
    Signatory,
    SignatoryRole,
    TargetGroup,
    VersionKind,
    check_compatibility,
)
from caseworker_app.domain.values import typed_from_data as _typed
from caseworker_app.domain.values import typed_to_data as _typed_data

#: the names of the sections and of the plan, importable from here as before the split
__all__ = [
    "BENEFICIARY_SIDE", "EVALUATION", "FUND_OF_AVVISO", "HEALTH_SECTIONS", "SECTIONS",
    "Beneficiary", "BudgetLine", "BudgetTotals", "Compatibility", "Economic", "Evaluation",
    "FundingSource", "Header", "Intervention", "KeptValue", "Monitoring", "Network",
    "NetworkPerson", "NetworkRole", "Objective", "PiCertification", "PiContent", "PiStatus",
    "PiVersion", "ScaleLine", "ServiceInPlace", "Signatory", "SignatoryRole", "TargetGroup",
    "VersionKind", "check_compatibility", "fund_label", "kept_as_typed", "missing_signatures",
    "without_health",
]  # fmt: skip


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


# -- the content -----------------------------------------------------------------------------


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
            sum_amounts(b.monthly for b in self.budget),
            sum_amounts(b.total for b in self.budget),
            sum_amounts(i.total_amount() for i in self.interventions),
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
                   "version_kind": h.version_kind.value, **_typed_data(h.typed)},
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
            "summary": e.summary, **_typed_data(e.typed)},
        "economic": {"isee_type": c.economic.isee_type, "value": _amount(c.economic.value),
                     "dsu_protocol": c.economic.dsu_protocol,
                     "valid_until": _iso(c.economic.valid_until),
                     **_typed_data(c.economic.typed)},
        "services": [{"code": s.code, "provider": s.provider, "frequency": s.frequency,
                      "funding": s.funding, "start": _iso(s.start), "end": _iso(s.end),
                      **_typed_data(s.typed)} for s in c.services],
        "objectives": [{"dimension": o.dimension, "objective": o.objective,
                        "indicator": o.indicator} for o in c.objectives],
        "interventions": [{"code": i.code, "description": i.description,
                           "provider": i.provider, "quantity": i.quantity,
                           "start": _iso(i.start), "end": _iso(i.end),
                           "monthly": _amount(i.monthly), "total": _amount(i.total),
                           **_typed_data(i.typed)} for i in c.interventions],
        "budget": [{"source": x.source.value, "monthly": _amount(x.monthly),
                    "total": _amount(x.total), **_typed_data(x.typed)} for x in c.budget],
        "compatibility": {"checked_on": _iso(c.compatibility.checked_on),
                          "in_place": list(c.compatibility.in_place),
                          "incompatible": list(c.compatibility.incompatible),
                          "note": c.compatibility.note},
        "monitoring": {"case_manager": m.case_manager,
                       "checks": [d.isoformat() for d in m.checks],
                       "indicators": m.indicators, "outcomes": m.outcomes,
                       "suspending_events": m.suspending_events, **_typed_data(m.typed)},
        "signatories": [{"role": s.role.value, "name": s.name, "place": s.place,
                         "signed_on": _iso(s.signed_on), "signed": s.signed,
                         **_typed_data(s.typed)} for s in c.signatories],
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
        src: BudgetLine(
            src, _money(x.get("monthly")), _money(x.get("total")), _typed(x.get("typed"))
        )
        for x in _objects(data, "budget")
        if (src := _enum(FundingSource, x.get("source"), FundingSource.ALTRE_MISURE))
    }
    raw_checks = m.get("checks")
    return PiContent(
        header=Header(_str(h.get("ambito")), _str(h.get("comune")), _str(h.get("avviso_id")),
                      _str(h.get("avviso_title")), _str(h.get("legal_basis")),
                      _str(h.get("protocol")), _date(h.get("drafted_on")),
                      _enum(VersionKind, h.get("version_kind"), VersionKind.PRIMA_STESURA),
                      _typed(h.get("typed"))),
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
            _str(e.get("risks")), _str(e.get("summary")), _typed(e.get("typed"))),
        economic=Economic(_str(ec.get("isee_type")), _money(ec.get("value")),
                          _str(ec.get("dsu_protocol")), _date(ec.get("valid_until")),
                          _typed(ec.get("typed"))),
        services=tuple(ServiceInPlace(_str(s.get("code")), _str(s.get("provider")),
                                      _str(s.get("frequency")), _str(s.get("funding")),
                                      _date(s.get("start")), _date(s.get("end")),
                                      _typed(s.get("typed")))
                       for s in _objects(data, "services")),
        objectives=tuple(Objective(_str(o.get("dimension")), _str(o.get("objective")),
                                   _str(o.get("indicator"))) for o in _objects(data, "objectives")),
        interventions=tuple(
            Intervention(_str(i.get("code")), _str(i.get("description")), _str(i.get("provider")),
                         _str(i.get("quantity")), _date(i.get("start")), _date(i.get("end")),
                         _money(i.get("monthly")), _money(i.get("total")),
                         _typed(i.get("typed")))
            for i in _objects(data, "interventions")),
        budget=tuple(budget.get(s, BudgetLine(s)) for s in FundingSource),
        compatibility=Compatibility(_date(co.get("checked_on")), _strings(co.get("in_place")),
                                    _strings(co.get("incompatible")), _str(co.get("note"))),
        monitoring=Monitoring(
            _str(m.get("case_manager")),
            tuple(d for x in (raw_checks if isinstance(raw_checks, list) else ())
                  if (d := _date(x)) is not None),
            _str(m.get("indicators")), _str(m.get("outcomes")), _str(m.get("suspending_events")),
            _typed(m.get("typed"))),
        signatories=tuple(
            Signatory(_enum(SignatoryRole, s.get("role"), SignatoryRole.FAMILIARE),
                      _str(s.get("name")), _str(s.get("place")), _date(s.get("signed_on")),
                      s.get("signed") is True, _typed(s.get("typed")))
            for s in _objects(data, "signatories")),
        privacy_acknowledged=data.get("privacy_acknowledged") is True,
        signed_place=_str(data.get("signed_place")),
        signed_on=_date(data.get("signed_on")),
    )  # fmt: skip


@dataclass(frozen=True)
class KeptValue:
    """A value of the content that could not be read and is kept as typed: its section (a key
    of ``SECTIONS``), its row (0-based) in a table section, its field and the text."""

    section: str
    row: int | None
    field: str
    text: str


def kept_as_typed(content: PiContent) -> list[KeptValue]:
    """Every value kept as typed, in section order (empty: nothing stops the signature)."""
    singles: tuple[tuple[str, Mapping[str, str]], ...] = (
        ("header", content.header.typed),
        (EVALUATION, content.evaluation.typed),
        ("economic", content.economic.typed),
    )
    rows: tuple[tuple[str, tuple[Mapping[str, str], ...]], ...] = (
        ("services", tuple(s.typed for s in content.services)),
        ("interventions", tuple(i.typed for i in content.interventions)),
        ("budget", tuple(b.typed for b in content.budget)),
    )
    found = [KeptValue(name, None, k, v) for name, typed in singles for k, v in typed.items()]
    found += [KeptValue(name, r, k, v) for name, table in rows
              for r, typed in enumerate(table) for k, v in typed.items()]  # fmt: skip
    found += [KeptValue("monitoring", None, k, v) for k, v in content.monitoring.typed.items()]
    found += [KeptValue("signatories", r, k, v) for r, s in enumerate(content.signatories)
              for k, v in s.typed.items()]  # fmt: skip
    return found


def without_health(data: Mapping[str, object]) -> dict[str, object]:
    """The content without the sections that hold health data."""
    return {k: v for k, v in data.items() if k not in HEALTH_SECTIONS}
