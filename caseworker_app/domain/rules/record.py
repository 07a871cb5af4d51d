"""An istanza as the rules see it (interchange format ``caseworker.istanza/1``, §1).

Immutable named tuples rather than frozen dataclasses: a ranking builds tens of thousands of
them, and a frozen dataclass costs about four times as much to construct (measured).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple


class Beneficiary(NamedTuple):
    codice_fiscale: str
    surname: str
    given_name: str
    birth_date: date
    sex: str  # "M" | "F"
    residence: str  # Belfiore code
    lives_at_home: bool


class Disability(NamedTuple):
    l104_art3_c3: bool
    indennita_accompagnamento: bool
    invalidita_civile_percent: int | None = None


class IseeEntry(NamedTuple):
    type: str  # sociosanitario | sociosanitario_ristretto | ordinario | minorenni | corrente
    value: Decimal
    received_on: date


class Care(NamedTuple):
    family_caregiver_only: bool
    employed_assistant: bool
    self_managed_project: bool


class RequestLine(NamedTuple):
    code: str
    amount: Decimal
    start: date  # "from"
    end: date  # "to"
    days: int | None = None
    extra: Mapping[str, Any] = {}


class DocumentEntry(NamedTuple):
    code: str
    received_on: date | None = None
    promised_by: date | None = None


class IstanzaRecord(NamedTuple):
    id: str
    avviso: str
    comune: str
    submitted_at: datetime
    beneficiary: Beneficiary
    disability: Disability
    isee: tuple[IseeEntry, ...]
    care: Care
    in_place: frozenset[str]
    requests: tuple[RequestLine, ...]
    documents: tuple[DocumentEntry, ...]
    extra: Mapping[str, Any] = {}

    @property
    def submitted_on(self) -> date:
        return self.submitted_at.date()
