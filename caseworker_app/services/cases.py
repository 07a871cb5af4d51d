"""Use cases on case files: create, autosave the anagrafica, open, search."""

from __future__ import annotations

from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.casefile import CaseFile, CaseListRow, CaseSort
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, PersonId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Anagrafica, validate_anagrafica
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.services import audit_log
from caseworker_app.services.ports import UnitOfWork

MAX_PAGE = 1000


def _issues(
    uow: UnitOfWork, anagrafica: Anagrafica, *, case_id: CaseId | None, now: datetime
) -> list[Issue]:
    issues = validate_anagrafica(anagrafica, today=now.date())
    cf = anagrafica.codice_fiscale.strip()
    if (
        cf
        and not any(i.field == "codice_fiscale" and i.severity is Severity.ERROR for i in issues)
        and uow.cases.codice_fiscale_taken(cf, except_case=case_id)
    ):
        issues.append(Issue("codice_fiscale", Severity.WARNING, "cf.already_registered"))
    return issues


def check_anagrafica(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId | None, anagrafica: Anagrafica, now: datetime
) -> list[Issue]:
    actor.require(Permission.READ_CASES)
    with uow:
        return _issues(uow, anagrafica, case_id=case_id, now=now)


def create_case(
    uow: UnitOfWork, *, actor: Actor, comune: str, anagrafica: Anagrafica, now: datetime
) -> tuple[CaseId, list[Issue]]:
    """Open a case file with whatever has been typed so far (it is saved as a draft).

    Validation findings are returned, not raised: nothing typed is ever refused storage.
    """
    actor.require(Permission.EDIT_CASES)
    case_id = CaseId(new_id())
    case = CaseFile(case_id, PersonId(new_id()), comune, now, actor.username, anagrafica)
    with uow:
        issues = _issues(uow, anagrafica, case_id=None, now=now)
        uow.cases.add(case, now=now)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type="case_file",
            entity_id=case_id,
            at=now,
        )
        uow.commit()
    return case_id, issues


def save_anagrafica(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, anagrafica: Anagrafica, now: datetime
) -> list[Issue]:
    actor.require(Permission.EDIT_CASES)
    with uow:
        if uow.cases.person_id_of(case_id) is None:
            raise UserFacingError("case.not_found")
        issues = _issues(uow, anagrafica, case_id=case_id, now=now)
        uow.cases.save_anagrafica(case_id, anagrafica, now=now)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.UPDATE,
            entity_type="case_file",
            entity_id=case_id,
            at=now,
        )
        uow.commit()
    return issues


def open_case(uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime) -> CaseFile:
    """Read a whole case file; the read is recorded in the audit log."""
    actor.require(Permission.READ_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.READ,
            entity_type="case_file",
            entity_id=case_id,
            at=now,
        )
        uow.commit()
    return case


def search_cases(
    uow: UnitOfWork,
    *,
    actor: Actor,
    text: str,
    sort: CaseSort = CaseSort.NAME,
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
) -> list[CaseListRow]:
    """Accent-insensitive prefix search on surname, given name and codice fiscale."""
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.cases.search(
            text,
            sort=sort,
            descending=descending,
            offset=max(0, offset),
            limit=min(max(1, limit), MAX_PAGE),
        )


def count_cases(uow: UnitOfWork, *, actor: Actor, text: str) -> int:
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.cases.count(text)
