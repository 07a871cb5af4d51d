"""What an istanza declares and requests, and the rules' view of it (casefile.md "Istanza").

The content is kept as a JSON object on the istanza (``to_data`` / ``from_data``). Together with
the case file (anagrafica, certifications, ISEE attestations, measures in place) it becomes the
interchange record ``caseworker.istanza/1`` that the eligibility engine judges: the live panel
of the wizard and ``caseworker check`` see exactly the same facts.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from caseworker_app.domain.case_sections import (
    Certification,
    IseeAttestation,
    MeasureInPlace,
    disability_flags,
)
from caseworker_app.domain.istanza import Istanza
from caseworker_app.domain.json_values import as_date, as_str, iso
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.rules.avviso import AgeGroup, Avviso, IseeReq
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)


class ApplicantRole(enum.StrEnum):
    BENEFICIARIO = "beneficiario"
    FAMILIARE = "familiare"
    RAPPRESENTANTE_LEGALE = "rappresentante_legale"  # tutore, amministratore di sostegno
    GENITORE = "genitore"  # of a minor


#: The self-declarations of the istanza (casefile.md), in the order the form shows them.
DECLARATIONS: tuple[str, ...] = (
    "requisiti_posseduti",
    "composizione_nucleo",
    "nessuna_misura_incompatibile",
    "impegno_comunicare_variazioni",
    "presa_visione_controlli",
    "presa_visione_informativa",
)


#: Interventions paid by voucher to the provider of the service, not to the family: an istanza
#: requesting only these needs no IBAN (interchange.md §3).
PAID_TO_PROVIDER: frozenset[str] = frozenset(
    {"a1_domiciliare", "a2_ricovero_sollievo", "a3_socio_educativo", "b_psicologico",
     "c_formazione_caregiver"}
)  # fmt: skip


def money(text: str) -> Decimal | None:
    """A non-negative amount with at most two decimals, or None."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value


@dataclass(frozen=True)
class Applicant:
    role: ApplicantRole = ApplicantRole.BENEFICIARIO
    surname: str = ""
    given_name: str = ""
    codice_fiscale: str = ""
    title: str = ""  # relationship or legal title ("figlia", "amministratore di sostegno")
    member_id: str = ""  # the network member, when chosen from the case's network

    def to_data(self) -> dict[str, object]:
        return {"role": self.role.value, "surname": self.surname,
                "given_name": self.given_name, "codice_fiscale": self.codice_fiscale,
                "title": self.title, "member_id": self.member_id}  # fmt: skip

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> Applicant:
        raw_role = as_str(data.get("role"))
        known = {r.value for r in ApplicantRole}
        role = ApplicantRole(raw_role) if raw_role in known else ApplicantRole.BENEFICIARIO
        return cls(role, as_str(data.get("surname")), as_str(data.get("given_name")),
                   as_str(data.get("codice_fiscale")), as_str(data.get("title")),
                   as_str(data.get("member_id")))  # fmt: skip


@dataclass(frozen=True)
class RequestedLine:
    """One requested intervention or expense, as typed (amount kept as text until valid)."""

    code: str
    amount: str = ""
    start: date | None = None
    end: date | None = None
    days: int | None = None  # a2_ricovero_sollievo
    extra: Mapping[str, object] = field(default_factory=dict)  # e.g. weekly hours

    def to_data(self) -> dict[str, object]:
        return {"code": self.code, "amount": self.amount, "from": iso(self.start),
                "to": iso(self.end), "days": self.days, "extra": dict(self.extra)}  # fmt: skip

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> RequestedLine:
        days = data.get("days")
        extra = data.get("extra")
        return cls(as_str(data.get("code")), as_str(data.get("amount")), as_date(data.get("from")),
                   as_date(data.get("to")),
                   days if isinstance(days, int) and not isinstance(days, bool) else None,
                   dict(extra) if isinstance(extra, dict) else {})  # fmt: skip


@dataclass(frozen=True)
class DocumentCheck:
    """One row of the avviso's document checklist: received on a date, or promised by one.

    A promise stays recorded when the document arrives (the integrazione documentale keeps both
    dates); ``scan_id`` names the scan in the case's *Documenti* that satisfies the line.
    """

    code: str
    received_on: date | None = None
    promised_by: date | None = None
    scan_id: str = ""
    #: a date that could not be read, kept as typed ("received_on"/"promised_by" -> text) so
    #: that nothing typed is lost; the istanza cannot be presented until it is corrected
    typed: Mapping[str, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, object]:
        return {"code": self.code, "received_on": iso(self.received_on),
                "promised_by": iso(self.promised_by), "scan_id": self.scan_id,
                "typed": dict(self.typed)}  # fmt: skip

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> DocumentCheck:
        typed = data.get("typed")
        kept = (
            {str(k): v for k, v in typed.items() if isinstance(v, str) and v}
            if isinstance(typed, dict)
            else {}
        )
        return cls(as_str(data.get("code")), as_date(data.get("received_on")),
                   as_date(data.get("promised_by")), as_str(data.get("scan_id")),
                   kept)  # fmt: skip


@dataclass(frozen=True)
class IstanzaContent:
    applicant: Applicant = field(default_factory=Applicant)
    declarations: Mapping[str, bool] = field(default_factory=dict)
    lives_at_home: bool = True
    family_caregiver_only: bool = False
    employed_assistant: bool = False
    self_managed_project: bool = False
    #: the case's ISEE attestations this istanza uses (record ids); empty = all of them
    isee_ids: tuple[str, ...] = ()
    requests: tuple[RequestedLine, ...] = ()
    documents: tuple[DocumentCheck, ...] = ()
    iban: str = ""
    iban_holder: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)  # avviso-specific facts
    #: the day the istanza was received (a paper istanza may be registered later); a draft is
    #: judged and submitted as of this day. None: the day it is submitted.
    presented_on: date | None = None

    def to_data(self) -> dict[str, object]:
        return {
            "applicant": self.applicant.to_data(),
            "declarations": dict(self.declarations),
            "lives_at_home": self.lives_at_home,
            "family_caregiver_only": self.family_caregiver_only,
            "employed_assistant": self.employed_assistant,
            "self_managed_project": self.self_managed_project,
            "isee_ids": list(self.isee_ids),
            "requests": [r.to_data() for r in self.requests],
            "documents": [d.to_data() for d in self.documents],
            "iban": self.iban,
            "iban_holder": self.iban_holder,
            "extra": dict(self.extra),
            "presented_on": iso(self.presented_on),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> IstanzaContent:
        def objects(key: str) -> list[Mapping[str, object]]:
            raw = data.get(key)
            return [x for x in raw if isinstance(x, dict)] if isinstance(raw, list) else []

        applicant = data.get("applicant")
        declarations = data.get("declarations")
        isee_ids = data.get("isee_ids")
        extra = data.get("extra")
        return cls(
            applicant=Applicant.from_data(applicant if isinstance(applicant, dict) else {}),
            declarations={str(k): v is True for k, v in declarations.items()}
            if isinstance(declarations, dict)
            else {},
            lives_at_home=data.get("lives_at_home") is not False,
            family_caregiver_only=data.get("family_caregiver_only") is True,
            employed_assistant=data.get("employed_assistant") is True,
            self_managed_project=data.get("self_managed_project") is True,
            isee_ids=tuple(x for x in isee_ids if isinstance(x, str))
            if isinstance(isee_ids, list)
            else (),
            requests=tuple(RequestedLine.from_data(x) for x in objects("requests")),
            documents=tuple(DocumentCheck.from_data(x) for x in objects("documents")),
            iban=as_str(data.get("iban")),
            iban_holder=as_str(data.get("iban_holder")),
            extra=dict(extra) if isinstance(extra, dict) else {},
            presented_on=as_date(data.get("presented_on")),
        )

    def missing_declarations(self) -> tuple[str, ...]:
        """The self-declarations not ticked yet, in the form's order."""
        return tuple(code for code in DECLARATIONS if not self.declarations.get(code, False))

    def needs_iban(self) -> bool:
        """Whether money is paid to the family: any requested line that is not a voucher paid
        to the provider of the service (an empty request list needs none yet)."""
        return any(line.code not in PAID_TO_PROVIDER for line in self.requests)


@dataclass(frozen=True)
class CaseFacts:
    """What the case file contributes to an istanza's record."""

    anagrafica: Anagrafica
    certifications: tuple[Certification, ...] = ()
    isee: Mapping[str, IseeAttestation] = field(default_factory=dict)  # record id -> attestation
    measures: tuple[MeasureInPlace, ...] = ()


@dataclass(frozen=True)
class RecordGap:
    """A fact the engine needs that is not there yet (field name, message code)."""

    field: str
    code: str


def build_record(
    istanza: Istanza, facts: CaseFacts, content: IstanzaContent, *, now: datetime
) -> tuple[IstanzaRecord | None, list[RecordGap]]:
    """The interchange record of the istanza, or None with the gaps that prevent it.

    A draft is judged as if submitted ``now``; request lines whose amount or period is not
    valid yet are left out and reported as gaps.
    """
    a = facts.anagrafica
    gaps: list[RecordGap] = []
    if a.birth_date is None:
        gaps.append(RecordGap("birth_date", "eligibility.birth_date_missing"))
    if a.sex is None:
        gaps.append(RecordGap("sex", "eligibility.sex_missing"))
    if not a.residence_comune:
        gaps.append(RecordGap("residence_comune", "eligibility.residence_missing"))
    submitted_at = istanza.submitted_at or (
        datetime.combine(content.presented_on, time()) if content.presented_on else now
    )
    requests: list[RequestLine] = []
    for index, line in enumerate(content.requests):
        amount = money(line.amount)
        if amount is None or line.start is None or line.end is None or line.end < line.start:
            gaps.append(RecordGap(f"requests.{index}", "eligibility.request_incomplete"))
            continue
        requests.append(RequestLine(line.code, amount, line.start, line.end, line.days,
                                    dict(line.extra)))  # fmt: skip
    if gaps and (a.birth_date is None or a.sex is None or not a.residence_comune):
        return None, gaps
    assert a.birth_date is not None and a.sex is not None
    chosen = content.isee_ids or tuple(facts.isee)
    isee = tuple(
        IseeEntry(att.isee_type, att.value, att.received_on or submitted_at.date())
        for key in chosen
        if (att := facts.isee.get(key)) is not None and att.value is not None
    )
    l104, accompagnamento, percent = disability_flags(list(facts.certifications))
    on = submitted_at.date()
    record = IstanzaRecord(
        id=istanza.protocol or istanza.id,
        avviso=istanza.avviso,
        comune=istanza.comune,
        submitted_at=datetime.combine(on, time()) if istanza.submitted_at is None else submitted_at,
        beneficiary=Beneficiary(a.codice_fiscale, a.surname, a.given_name, a.birth_date,
                                a.sex.value, a.residence_comune, content.lives_at_home),
        disability=Disability(l104, accompagnamento, percent),
        isee=isee,
        care=Care(content.family_caregiver_only, content.employed_assistant,
                  content.self_managed_project),
        in_place=frozenset(m.code for m in facts.measures if m.active_on(on)),
        requests=tuple(requests),
        documents=tuple(DocumentEntry(d.code, d.received_on, d.promised_by)
                        for d in content.documents if d.received_on or d.promised_by),
        extra=dict(content.extra),
    )  # fmt: skip
    return record, gaps


ADULT_AGE = 18  # the ISEE groups' "adult" (domain/rules/requirements.py)


def submission_day(istanza: Istanza, content: IstanzaContent, *, now: datetime) -> date:
    """The day the istanza is judged as of: its submission, else the day it was presented (a
    paper istanza registered later), else ``now`` for a draft (as :func:`build_record`)."""
    if istanza.submitted_at is not None:
        return istanza.submitted_at.date()
    return content.presented_on or now.date()


def _isee_types(avviso: Avviso, birth_date: date | None, day: date) -> tuple[str, ...] | None:
    """The attestation types the avviso's ISEE requirement looks at for this beneficiary, in
    its order of preference (accepted, then fallback); None when the avviso has no ISEE
    requirement."""
    req = next((r for r in avviso.requirements if isinstance(r, IseeReq)), None)
    if req is None:
        return None
    adult = birth_date is None or age_on(birth_date, day) >= ADULT_AGE
    wanted = AgeGroup.ADULT if adult else AgeGroup.MINOR
    group = next((g for g in req.groups if g.age is wanted), None) or next(
        (g for g in req.groups if g.age is AgeGroup.ANY), None
    )
    return () if group is None else group.accepted + group.fallback


def _deadline(avviso: Avviso) -> date | None:
    req = next((r for r in avviso.requirements if isinstance(r, IseeReq)), None)
    return req.deadline if req is not None else None


def _engine_pick(
    candidates: list[tuple[str, IseeAttestation]],
    avviso: Avviso,
    birth_date: date | None,
    day: date,
) -> str | None:
    """The record id of the attestation the engine judges on as of ``day``: of the first type
    the ISEE requirement accepts, the latest received by that day (an attestation without a
    date of receipt counts as received with the istanza, as in :func:`build_record`). When none
    was in the file by then, the one received by the avviso's ISEE deadline, which the avviso
    lets arrive after the submission."""
    types = _isee_types(avviso, birth_date, day)
    deadline = _deadline(avviso)
    limits = [day] + ([deadline] if deadline is not None and deadline > day else [])
    for limit in limits:
        usable = [(k, a) for k, a in candidates if (a.received_on or day) <= limit]
        for wanted in (None,) if types is None else types:
            found = [(k, a) for k, a in usable if wanted is None or a.isee_type == wanted]
            if found:
                key, _att = max(found, key=lambda ka: (ka[1].received_on or day,
                                                       ka[1].issued_on or date.min))  # fmt: skip
                return key
    return None


def judged_isee(
    istanza: Istanza, facts: CaseFacts, content: IstanzaContent, avviso: Avviso, *,
    now: datetime,
) -> tuple[tuple[str, IseeAttestation], ...]:  # fmt: skip
    """The ISEE attestation(s) this istanza was judged on, as (record id, attestation), the one
    the avviso's ISEE requirement looks at first; never simply the case's latest.

    The attestations chosen in the wizard (``content.isee_ids``) when there are any. When none
    was chosen (all of the case's go to the engine), only the one the engine used on the
    submission day (:func:`submission_day`): of the type the requirement looks at, received by
    that day, not one that came later (see :func:`_engine_pick`); an attestation without a
    value, which the engine leaves out, only when there is no other. Empty when there is none.
    The PI, the printed istanza (Allegato A) and the transmission all show these."""
    day = submission_day(istanza, content, now=now)
    chosen = [(k, facts.isee[k]) for k in content.isee_ids if k in facts.isee]
    candidates = chosen or list(facts.isee.items())
    birth = facts.anagrafica.birth_date
    valued = [(k, a) for k, a in candidates if a.value is not None]  # the engine's (build_record)
    used = _engine_pick(valued, avviso, birth, day) or _engine_pick(candidates, avviso, birth, day)
    if chosen:
        return tuple(sorted(chosen, key=lambda ka: ka[0] != used))  # stable: the wizard's order
    return tuple((k, a) for k, a in candidates if k == used)
