"""The doors to storage that use cases are allowed to use (Cosmic Python's repository + UoW).

The store implements these with SQLAlchemy (store/uow.py); use cases only see the protocols.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from caseworker_app.domain.audit import AuditEntry, AuditEvent
from caseworker_app.domain.casefile import CaseFile, CaseListRow, CaseSort, HouseholdMember
from caseworker_app.domain.ids import CaseId, IstanzaId, PersonId
from caseworker_app.domain.istanza import Istanza, Transition
from caseworker_app.domain.operator import Operator
from caseworker_app.domain.person import Anagrafica


@dataclass(frozen=True)
class Installation:
    store_id: str
    role: str  # "comune" | "capofila"
    ambito: str
    comune: str
    created_at: datetime


@dataclass(frozen=True)
class AuditFilter:
    operator: str | None = None
    action: str | None = None
    entity_type: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 1000


@dataclass(frozen=True)
class IstanzaListRow:
    istanza_id: IstanzaId
    comune: str
    protocol: str | None
    avviso: str
    state: str
    codice_fiscale: str
    surname: str
    given_name: str
    submitted_at: datetime | None


class OperatorRepository(Protocol):
    def add(self, operator: Operator, password_hash: str) -> None: ...
    def get_by_username(self, username: str) -> Operator | None: ...
    def password_hash(self, username: str) -> str | None: ...
    def set_password_hash(self, username: str, password_hash: str) -> None: ...
    def set_active(self, username: str, active: bool) -> None: ...
    def list(self) -> list[Operator]: ...


class CaseRepository(Protocol):
    def add(self, case: CaseFile, *, now: datetime) -> None: ...
    def add_many(self, cases: list[CaseFile], *, now: datetime) -> None: ...
    def get(self, case_id: CaseId) -> CaseFile | None: ...
    def save_anagrafica(
        self, case_id: CaseId, anagrafica: Anagrafica, *, now: datetime
    ) -> None: ...
    def add_member(self, case_id: CaseId, member: HouseholdMember) -> None: ...
    def search(
        self, text: str, *, sort: CaseSort, descending: bool, offset: int, limit: int
    ) -> list[CaseListRow]: ...
    def count(self, text: str) -> int: ...
    def person_id_of(self, case_id: CaseId) -> PersonId | None: ...
    def codice_fiscale_taken(self, codice_fiscale: str, *, except_case: CaseId | None) -> bool: ...


class IstanzaRepository(Protocol):
    def add(self, istanza: Istanza, *, now: datetime) -> None: ...
    def add_many(self, items: list[tuple[Istanza, list[Transition]]], *, now: datetime) -> None: ...
    def record_transition(self, istanza: Istanza, transition: Transition) -> None: ...
    def list(self) -> list[IstanzaListRow]: ...
    def count_by_state(self) -> dict[str, int]: ...


class AuditRepository(Protocol):
    def append(self, entry: AuditEntry) -> AuditEvent: ...
    def iterate(self) -> Iterator[AuditEvent]: ...
    def find(self, flt: AuditFilter) -> list[AuditEvent]: ...
    def last_of(self, *actions: str) -> AuditEvent | None: ...


class SettingsRepository(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class InstallationRepository(Protocol):
    def get(self) -> Installation: ...
    def create(self, installation: Installation) -> None: ...


class UnitOfWork(Protocol):
    @property
    def operators(self) -> OperatorRepository: ...
    @property
    def cases(self) -> CaseRepository: ...
    @property
    def istanze(self) -> IstanzaRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def settings(self) -> SettingsRepository: ...
    @property
    def installation(self) -> InstallationRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
