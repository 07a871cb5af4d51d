"""The case file (cartella sociale) and what hangs from it."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, MemberId, PersonId
from caseworker_app.domain.person import Anagrafica


class MemberKind(enum.StrEnum):
    FAMILIARE = "familiare"  # a relative or another person of the network
    ASSISTENTE_FAMILIARE = "assistente_familiare"  # the paid assistant (badante)


class LegalRole(enum.StrEnum):
    TUTORE = "tutore"
    AMMINISTRATORE_DI_SOSTEGNO = "amministratore_di_sostegno"
    CURATORE = "curatore"
    GENITORE = "genitore"


@dataclass(frozen=True)
class HouseholdMember:
    """A member of the household or of the network: relative, caregiver, legal representative."""

    id: MemberId
    surname: str
    given_name: str
    relationship: str
    codice_fiscale: str = ""
    cohabiting: bool = False
    is_caregiver: bool = False
    care_hours_week: int = 0
    legal_role: LegalRole | None = None
    decree_number: str = ""
    court: str = ""
    member_kind: MemberKind = MemberKind.FAMILIARE
    phone: str = ""
    # The paid assistente familiare: contract, weekly hours, CCNL level, l.r. 15/2015 register.
    contract_type: str = ""
    contract_from: date | None = None
    contract_to: date | None = None
    weekly_hours: int = 0
    ccnl_level: str = ""
    registered_lr15: bool = False
    #: hours or contract dates that could not be read, kept as typed (field -> text); their
    #: value stays 0 or None
    typed: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Document:
    """A document of the case file; its content (a scanned PDF or image) stays in the store."""

    id: DocumentId
    case_id: CaseId
    doc_type: str  # a document code (domain/codes.py DOCUMENT_CODES) or "altro"
    title: str = ""
    doc_date: date | None = None
    expiry: date | None = None
    promised_by: date | None = None  # promised by the applicant, not yet in the file
    received_on: date | None = None
    mime: str = ""
    size: int = 0
    sha256: str = ""
    istanza_id: str | None = None
    created_at: datetime | None = None
    created_by: str = ""
    #: a date that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def has_content(self) -> bool:
        return self.size > 0


class DiaryKind(enum.StrEnum):
    COLLOQUIO = "colloquio"
    VISITA_DOMICILIARE = "visita_domiciliare"
    EQUIPE_UVM = "equipe_uvm"  # équipe or Unità di Valutazione Multidimensionale
    TELEFONATA = "telefonata"
    RELAZIONE = "relazione"
    NOTA = "nota"
    # Kinds of earlier versions: old notes keep them and still load, new notes do not use them.
    CONTATTO = "contatto"
    VISITA = "visita"


#: the kinds a new or edited note may take, in the order they are offered
DIARY_KINDS_OFFERED: tuple[DiaryKind, ...] = (
    DiaryKind.COLLOQUIO,
    DiaryKind.VISITA_DOMICILIARE,
    DiaryKind.EQUIPE_UVM,
    DiaryKind.TELEFONATA,
    DiaryKind.RELAZIONE,
    DiaryKind.NOTA,
)


@dataclass(frozen=True)
class DiaryEntry:
    id: DiaryEntryId
    case_id: CaseId
    at: datetime
    operator: str
    text: str
    kind: DiaryKind = DiaryKind.NOTA
    updated_at: datetime | None = None
    #: the moment as typed when it could not be read (``{"at": text}``); ``at`` keeps the last
    #: good one
    typed: Mapping[str, str] = field(default_factory=dict, hash=False)


class ClosureReason(enum.StrEnum):
    """Why a case file was closed (archived)."""

    DECEDUTO = "deceduto"  # the person died
    TRASFERITO = "trasferito"  # moved out of the comune / ambito
    NON_SEGUITO = "non_seguito"  # no longer followed by the service


@dataclass(frozen=True)
class CaseClosure:
    """A closed (archived) case file: it stays readable, and can be reopened."""

    closed_on: date
    reason: ClosureReason
    note: str = ""


def parse_closure_reason(value: str) -> ClosureReason:
    try:
        return ClosureReason(value)
    except ValueError:
        raise UserFacingError("case.closure_reason_invalid") from None


def check_closure(closed_on: date, *, opened_on: date, today: date) -> None:
    """A case is closed on a day between its opening and today (both included)."""
    if closed_on > today:
        raise UserFacingError("case.closed_on_future")
    if closed_on < opened_on:
        raise UserFacingError("case.closed_on_before_opening", opened_on=opened_on.isoformat())


class CaseStatusFilter(enum.StrEnum):
    """Which case files the list shows."""

    ALL = "tutte"
    OPEN = "aperte"
    CLOSED = "chiuse"


@dataclass(frozen=True)
class CaseFile:
    id: CaseId
    person_id: PersonId
    comune: str
    opened_at: datetime
    opened_by: str
    anagrafica: Anagrafica
    household: tuple[HouseholdMember, ...] = field(default_factory=tuple)
    closure: CaseClosure | None = None

    @property
    def is_closed(self) -> bool:
        return self.closure is not None


class CaseSort(enum.StrEnum):
    NAME = "name"
    CODICE_FISCALE = "codice_fiscale"
    BIRTH_DATE = "birth_date"
    COMUNE = "comune"
    STATUS = "status"  # open first (ascending), then closed by closing date


@dataclass(frozen=True)
class CaseListRow:
    """One row of the case list: what is needed to find a person, nothing more."""

    case_id: CaseId
    surname: str
    given_name: str
    codice_fiscale: str
    birth_date: date | None
    residence_comune: str
    closed_on: date | None = None  # None: open
    closed_reason: str = ""  # a ClosureReason value when closed


@dataclass(frozen=True)
class DuplicateGroup:
    """Case files of one codice fiscale (one person should have one): oldest first."""

    codice_fiscale: str
    cases: tuple[CaseListRow, ...]
