"""Case file sections kept as JSON records: certifications, ISEE attestations, measures in
place and social evaluations (casefile.md "Case file").

Each record type maps to and from a plain JSON object (``to_data`` / ``from_data``), which the
store keeps in ``case_records`` under its ``KIND``. ``from_data`` is tolerant of missing keys
(older records) but never guesses a value: what is missing stays empty.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from caseworker_app.domain.casefile import HouseholdMember, LegalRole, MemberKind
from caseworker_app.domain.codes import IN_PLACE_CODES, ISEE_TYPES
from caseworker_app.domain.codice_fiscale import (
    check_codice_fiscale,
    compare_names,
    is_temporary_code,
)
from caseworker_app.domain.json_values import as_date, as_int, as_money, as_str, iso
from caseworker_app.domain.validation import Issue, Severity, has_errors
from caseworker_app.domain.values import typed_from_data, typed_issues, typed_to_data

DSU_PROTOCOL = re.compile(r"INPS-ISEE-(\d{4})-\d{9}-\d{2}")
HOURS_IN_A_WEEK = 168


def dsu_protocol_issues(protocol: str) -> list[Issue]:
    """The DSU protocol as typed: empty is a warning, a wrong shape or year an error."""
    text = protocol.strip()
    if not text:
        return [Issue("dsu_protocol", Severity.WARNING, "isee.dsu_missing")]
    match = DSU_PROTOCOL.fullmatch(text)
    if match is None or not 2000 <= int(match.group(1)) <= 2999:
        return [Issue("dsu_protocol", Severity.ERROR, "isee.dsu_invalid")]
    return []


class CertificationKind(enum.StrEnum):
    L104_ART3_C3 = "l104_art3_c3"
    INVALIDITA_CIVILE = "invalidita_civile"
    INDENNITA_ACCOMPAGNAMENTO = "indennita_accompagnamento"
    INDENNITA_FREQUENZA = "indennita_frequenza"  # minors


@dataclass(frozen=True)
class Certification:
    KIND = "certification"
    kind: CertificationKind
    issued_on: date | None = None  # date of the verbale
    issuer: str = ""  # issuing body (INPS, ASST commission...)
    percent: int | None = None  # invalidità civile only
    note: str = ""
    #: a date that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, object]:
        return {"kind": self.kind.value, "issued_on": iso(self.issued_on),
                "issuer": self.issuer, "percent": self.percent, "note": self.note,
                **typed_to_data(self.typed)}  # fmt: skip

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> Certification:
        return cls(CertificationKind(as_str(data.get("kind"))), as_date(data.get("issued_on")),
                   as_str(data.get("issuer")), as_int(data.get("percent")),
                   as_str(data.get("note")), typed_from_data(data.get("typed")))  # fmt: skip

    def issues(self) -> list[Issue]:
        found = typed_issues(self.typed)
        if self.kind is CertificationKind.INVALIDITA_CIVILE and (
            self.percent is None or not 0 <= self.percent <= 100
        ):
            found.append(Issue("percent", Severity.ERROR, "certification.percent_invalid"))
        if self.issued_on is None and "issued_on" not in self.typed:
            found.append(Issue("issued_on", Severity.WARNING, "certification.date_missing"))
        return found


@dataclass(frozen=True)
class IseeAttestation:
    KIND = "isee"
    isee_type: str  # one of ISEE_TYPES
    value: Decimal | None = None
    dsu_protocol: str = ""  # INPS-ISEE-YYYY-NNNNNNNNN-NN
    issued_on: date | None = None  # date of the attestation
    received_on: date | None = None  # when it entered the file
    valid_until: date | None = None  # default: 31/12 of the DSU year
    omissioni: bool = False  # "omissioni/difformità" reported on the attestation
    #: a value or date that could not be read, kept as typed (field -> text); its value is None
    typed: Mapping[str, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, object]:
        return {
            "isee_type": self.isee_type,
            "value": None if self.value is None else f"{self.value:.2f}",
            "dsu_protocol": self.dsu_protocol,
            "issued_on": iso(self.issued_on),
            "received_on": iso(self.received_on),
            "valid_until": iso(self.valid_until),
            "omissioni": self.omissioni,
            **typed_to_data(self.typed),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> IseeAttestation:
        return cls(as_str(data.get("isee_type")), as_money(data.get("value")),
                   as_str(data.get("dsu_protocol")), as_date(data.get("issued_on")),
                   as_date(data.get("received_on")), as_date(data.get("valid_until")),
                   data.get("omissioni") is True,
                   typed_from_data(data.get("typed")))  # fmt: skip

    @property
    def dsu_year(self) -> int | None:
        match = DSU_PROTOCOL.fullmatch(self.dsu_protocol.strip())
        return int(match.group(1)) if match else None

    def validity_end(self) -> date | None:
        """The typed validity, else 31/12 of the DSU year (casefile.md)."""
        if self.valid_until is not None:
            return self.valid_until
        year = self.dsu_year
        return date(year, 12, 31) if year is not None else None

    def is_valid_on(self, day: date) -> bool:
        end = self.validity_end()
        return end is not None and day <= end

    def issues(self) -> list[Issue]:
        found = typed_issues(self.typed)
        if self.isee_type not in ISEE_TYPES:
            found.append(Issue("isee_type", Severity.ERROR, "isee.type_invalid"))
        if self.value is None or self.value < 0:
            found.append(Issue("value", Severity.ERROR, "isee.value_invalid"))
        found.extend(dsu_protocol_issues(self.dsu_protocol))
        if self.issued_on is None and "issued_on" not in self.typed:
            found.append(Issue("issued_on", Severity.WARNING, "isee.date_missing"))
        end = self.validity_end()
        if self.valid_until is not None and self.issued_on and end and end < self.issued_on:
            found.append(Issue("valid_until", Severity.ERROR, "isee.validity_before_date"))
        if self.omissioni:
            found.append(Issue("omissioni", Severity.WARNING, "isee.omissioni"))
        return found


@dataclass(frozen=True)
class MeasureInPlace:
    KIND = "measure"
    code: str  # one of IN_PLACE_CODES (or an avviso's extra code)
    start: date | None = None
    end: date | None = None
    provider: str = ""
    frequency: str = ""
    funding: str = ""
    note: str = ""
    #: a date that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, object]:
        return {"code": self.code, "start": iso(self.start), "end": iso(self.end),
                "provider": self.provider, "frequency": self.frequency,
                "funding": self.funding, "note": self.note,
                **typed_to_data(self.typed)}  # fmt: skip

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> MeasureInPlace:
        return cls(as_str(data.get("code")), as_date(data.get("start")), as_date(data.get("end")),
                   as_str(data.get("provider")), as_str(data.get("frequency")),
                   as_str(data.get("funding")), as_str(data.get("note")),
                   typed_from_data(data.get("typed")))  # fmt: skip

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def issues(self, extra_codes: frozenset[str] = frozenset()) -> list[Issue]:
        found = typed_issues(self.typed)
        if self.code not in IN_PLACE_CODES | extra_codes:
            found.append(Issue("code", Severity.ERROR, "measure.code_invalid"))
        if self.start and self.end and self.end < self.start:
            found.append(Issue("end", Severity.ERROR, "measure.end_before_start"))
        return found


@dataclass(frozen=True)
class SocialEvaluation:
    """The social evaluation narrative written beside the home visit."""

    KIND = "evaluation"
    visit_date: date | None = None
    place: str = ""
    housing: str = ""
    network: str = ""
    needs: str = ""
    risks: str = ""
    summary: str = ""
    multidimensional: bool = False  # with the ASST evaluators
    asst_evaluators: tuple[str, ...] = ()

    def to_data(self) -> dict[str, object]:
        return {"visit_date": iso(self.visit_date), "place": self.place,
                "housing": self.housing, "network": self.network, "needs": self.needs,
                "risks": self.risks, "summary": self.summary,
                "multidimensional": self.multidimensional,
                "asst_evaluators": list(self.asst_evaluators)}  # fmt: skip

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> SocialEvaluation:
        raw = data.get("asst_evaluators")
        names = tuple(n for n in raw if isinstance(n, str)) if isinstance(raw, list) else ()
        return cls(as_date(data.get("visit_date")), as_str(data.get("place")),
                   as_str(data.get("housing")), as_str(data.get("network")),
                   as_str(data.get("needs")), as_str(data.get("risks")),
                   as_str(data.get("summary")), data.get("multidimensional") is True,
                   names)  # fmt: skip


def member_issues(member: HouseholdMember, *, today: date | None = None) -> list[Issue]:
    """Findings on a member of the network; nothing here prevents storing what was typed.

    The codice fiscale is checked as the beneficiary's is (``today`` resolves its century), and
    a surname or given name that does not match it is a warning (omocodia and registry slips
    exist)."""
    found = []
    if not member.surname.strip() and not member.given_name.strip():
        found.append(Issue("surname", Severity.WARNING, "member.name_missing"))
    code_issues = check_codice_fiscale(member.codice_fiscale, "codice_fiscale", today=today)
    found += code_issues
    if not has_errors(code_issues) and not is_temporary_code(member.codice_fiscale):
        found += compare_names(
            member.codice_fiscale, surname=member.surname, given_name=member.given_name
        )
    if not 0 <= member.care_hours_week <= HOURS_IN_A_WEEK:
        found.append(Issue("care_hours_week", Severity.ERROR, "member.hours_invalid"))
    elif member.is_caregiver and member.care_hours_week == 0:
        found.append(Issue("care_hours_week", Severity.WARNING, "member.caregiver_hours_missing"))
    needs_decree = {LegalRole.TUTORE, LegalRole.AMMINISTRATORE_DI_SOSTEGNO, LegalRole.CURATORE}
    if member.legal_role in needs_decree:
        if not member.decree_number.strip():
            found.append(Issue("decree_number", Severity.WARNING, "member.decree_missing"))
        if not member.court.strip():
            found.append(Issue("court", Severity.WARNING, "member.court_missing"))
    if member.member_kind is MemberKind.ASSISTENTE_FAMILIARE:
        if not 0 <= member.weekly_hours <= HOURS_IN_A_WEEK:
            found.append(Issue("weekly_hours", Severity.ERROR, "member.hours_invalid"))
        if not member.contract_type.strip():
            found.append(Issue("contract_type", Severity.WARNING, "member.contract_missing"))
        start, end = member.contract_from, member.contract_to
        if start and end and end < start:
            found.append(Issue("contract_to", Severity.ERROR, "member.contract_end_before_start"))
    return found


def disability_flags(certs: list[Certification]) -> tuple[bool, bool, int | None]:
    """(L.104 art. 3 c. 3, indennità di accompagnamento, highest invalidità %) of a case."""
    l104 = any(c.kind is CertificationKind.L104_ART3_C3 for c in certs)
    accompagnamento = any(c.kind is CertificationKind.INDENNITA_ACCOMPAGNAMENTO for c in certs)
    invalidity = CertificationKind.INVALIDITA_CIVILE
    percents = [c.percent for c in certs if c.kind is invalidity and c.percent is not None]
    return l104, accompagnamento, max(percents) if percents else None
