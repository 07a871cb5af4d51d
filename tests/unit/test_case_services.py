"""Use cases on case files, tested with a fake unit of work (no database)."""

from __future__ import annotations

from datetime import date, datetime
from types import TracebackType
from typing import Any

import pytest

from caseworker_app.domain.audit import AuditEntry, AuditEvent, chain
from caseworker_app.domain.casefile import CaseFile
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases

NOW = datetime(2026, 11, 22, 9, 30)


class FakeCases:
    def __init__(self) -> None:
        self.by_id: dict[str, CaseFile] = {}

    def add(self, case: CaseFile, *, now: datetime) -> None:
        self.by_id[case.id] = case

    def get(self, case_id: str) -> CaseFile | None:
        return self.by_id.get(case_id)

    def person_id_of(self, case_id: str) -> str | None:
        case = self.by_id.get(case_id)
        return case.person_id if case else None

    def save_anagrafica(self, case_id: str, anagrafica: Anagrafica, *, now: datetime) -> None:
        old = self.by_id[case_id]
        self.by_id[case_id] = CaseFile(
            old.id, old.person_id, old.comune, old.opened_at, old.opened_by, anagrafica
        )

    def codice_fiscale_taken(self, cf: str, *, except_case: str | None) -> bool:
        return self.case_with_codice_fiscale(cf, except_case=except_case) is not None

    def case_with_codice_fiscale(self, cf: str, *, except_case: str | None) -> str | None:
        found = [
            c.id
            for c in self.by_id.values()
            if c.anagrafica.codice_fiscale == cf and c.id != except_case
        ]
        return found[0] if found else None


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def append(self, entry: AuditEntry) -> AuditEvent:
        prev = self.events[-1].hash if self.events else "0" * 64
        event = chain(entry, seq=len(self.events) + 1, prev_hash=prev)
        self.events.append(event)
        return event


class FakeRecords:
    """The case records (here: the values of the anagrafica kept as typed)."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredRecord] = {}

    def put(self, record: StoredRecord) -> None:
        self.by_id[record.id] = record

    def of_case(self, case_id: str, kind: str | None = None) -> list[StoredRecord]:
        return [r for r in self.by_id.values()
                if r.case_id == case_id and kind in (None, r.kind)]  # fmt: skip

    def delete(self, case_id: str, record_id: str) -> None:
        self.by_id.pop(record_id, None)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.cases = FakeCases()
        self.audit = FakeAudit()
        self.records = FakeRecords()
        self.committed = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        return None


SOCIAL_WORKER = Actor("mrossi", frozenset({Role.ASSISTENTE_SOCIALE}))
ROSSI = Anagrafica(
    surname="Rossi",
    given_name="Mario",
    sex=Sex.M,
    birth_date=date(1940, 1, 1),
    residence_comune="A010",
    codice_fiscale="RSSMRA40A01A010T",
)


def _uow() -> Any:
    return FakeUnitOfWork()


def test_incomplete_anagrafica_is_stored_and_its_problems_returned() -> None:
    uow = _uow()
    case_id, issues = cases.create_case(
        uow, actor=SOCIAL_WORKER, comune="A010", anagrafica=Anagrafica(surname="Rossi"), now=NOW
    )
    assert uow.cases.get(case_id).anagrafica.surname == "Rossi"
    assert uow.committed == 1
    assert {i.field for i in issues} >= {"given_name", "birth_date"}


def test_creating_a_case_is_audited_without_its_content() -> None:
    uow = _uow()
    case_id, _ = cases.create_case(
        uow, actor=SOCIAL_WORKER, comune="A010", anagrafica=ROSSI, now=NOW
    )
    [event] = uow.audit.events
    assert (event.operator, event.action, event.entity_type, event.entity_id) == (
        "mrossi",
        "create",
        "case_file",
        case_id,
    )


def test_a_second_case_for_the_same_codice_fiscale_is_refused() -> None:
    uow = _uow()
    first, _ = cases.create_case(uow, actor=SOCIAL_WORKER, comune="A010", anagrafica=ROSSI, now=NOW)
    with pytest.raises(UserFacingError) as err:
        cases.create_case(uow, actor=SOCIAL_WORKER, comune="A010", anagrafica=ROSSI, now=NOW)
    assert (err.value.code, err.value.params) == ("cf.already_registered", {"case_id": first})
    assert list(uow.cases.by_id) == [first]
    assert uow.committed == 1


def test_ufficio_di_piano_cannot_edit_comune_case_files() -> None:
    capofila = Actor("udp", frozenset({Role.UFFICIO_DI_PIANO}))
    with pytest.raises(UserFacingError) as err:
        cases.create_case(_uow(), actor=capofila, comune="A010", anagrafica=ROSSI, now=NOW)
    assert err.value.code == "auth.not_allowed"


def test_saving_a_case_that_no_longer_exists_is_explained() -> None:
    with pytest.raises(UserFacingError) as err:
        cases.save_anagrafica(
            _uow(),
            actor=SOCIAL_WORKER,
            case_id="sparito",  # type: ignore[arg-type]
            anagrafica=ROSSI,
            now=NOW,
        )
    assert err.value.code == "case.not_found"


def test_a_birth_date_that_is_no_date_is_kept_as_typed_and_forgotten_once_corrected() -> None:
    uow = FakeUnitOfWork()
    typed = Anagrafica(surname="Verdi", given_name="Ada", typed=(("birth_date", "31/02/1940"),))
    case_id, issues = cases.create_case(uow, actor=SOCIAL_WORKER, comune="A010", anagrafica=typed,
                                        now=NOW)  # type: ignore[arg-type]  # fmt: skip
    assert ("birth_date", "anagrafica.kept_as_typed") in {(i.field, i.code) for i in issues}
    assert "required" not in {i.code for i in issues if i.field == "birth_date"}
    opened = cases.open_case(uow, actor=SOCIAL_WORKER, case_id=case_id, now=NOW)  # type: ignore[arg-type]
    assert opened.anagrafica.typed == (("birth_date", "31/02/1940"),)
    fixed = Anagrafica(surname="Verdi", given_name="Ada", birth_date=date(1940, 2, 28))
    cases.save_anagrafica(uow, actor=SOCIAL_WORKER, case_id=case_id, anagrafica=fixed,
                          now=NOW)  # type: ignore[arg-type]  # fmt: skip
    assert uow.records.by_id == {}
    again = cases.open_case(uow, actor=SOCIAL_WORKER, case_id=case_id, now=NOW)  # type: ignore[arg-type]
    assert again.anagrafica.typed == () and again.anagrafica.birth_date == date(1940, 2, 28)
