"""The case file (cartella sociale) and what hangs from it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, MemberId, PersonId
from caseworker_app.domain.person import Anagrafica


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


@dataclass(frozen=True)
class Document:
    id: DocumentId
    doc_type: str
    doc_date: date | None
    expiry: date | None
    promised_by: date | None
    mime: str


@dataclass(frozen=True)
class DiaryEntry:
    id: DiaryEntryId
    at: datetime
    operator: str
    text: str


@dataclass(frozen=True)
class CaseFile:
    id: CaseId
    person_id: PersonId
    comune: str
    opened_at: datetime
    opened_by: str
    anagrafica: Anagrafica
    household: tuple[HouseholdMember, ...] = field(default_factory=tuple)


class CaseSort(enum.StrEnum):
    NAME = "name"
    CODICE_FISCALE = "codice_fiscale"
    BIRTH_DATE = "birth_date"
    COMUNE = "comune"


@dataclass(frozen=True)
class CaseListRow:
    """One row of the case list: what is needed to find a person, nothing more."""

    case_id: CaseId
    surname: str
    given_name: str
    codice_fiscale: str
    birth_date: date | None
    residence_comune: str
