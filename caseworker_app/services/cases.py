"""Use cases on case files: create, autosave the anagrafica, open, search, merge duplicates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.casefile import (
    CaseClosure,
    CaseFile,
    CaseListRow,
    CaseSort,
    CaseStatusFilter,
    DuplicateGroup,
    check_closure,
    parse_closure_reason,
)
from caseworker_app.domain.codice_fiscale import normalize_codice_fiscale
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, PersonId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import (
    TYPED_KIND,
    Anagrafica,
    AnagraficaConfirmation,
    typed_data,
    typed_from_data,
    validate_anagrafica,
)
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.ports.storage import StoredRecord, UnitOfWork
from caseworker_app.services import audit_log

MAX_PAGE = 1000


def _owner_of_code(
    uow: UnitOfWork, anagrafica: Anagrafica, issues: list[Issue], *, case_id: CaseId | None
) -> CaseId | None:
    """The other case that already holds this (well-formed) codice fiscale, if any."""
    cf = normalize_codice_fiscale(anagrafica.codice_fiscale)
    if not cf or any(i.field == "codice_fiscale" and i.severity is Severity.ERROR for i in issues):
        return None
    return uow.cases.case_with_codice_fiscale(cf, except_case=case_id)


def _issues(
    uow: UnitOfWork, anagrafica: Anagrafica, *, case_id: CaseId | None, now: datetime
) -> list[Issue]:
    """Validation findings; a code that belongs to another case is refused (nothing is saved
    under it: one cartella per person)."""
    issues = validate_anagrafica(anagrafica, today=now.date())
    owner = _owner_of_code(uow, anagrafica, issues, case_id=case_id)
    if owner is not None:
        raise UserFacingError("cf.already_registered", case_id=owner)
    return issues


def check_anagrafica(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId | None, anagrafica: Anagrafica, now: datetime
) -> list[Issue]:
    """Validation findings without saving; a code of another case is an error naming it."""
    actor.require(Permission.READ_CASES)
    with uow:
        issues = validate_anagrafica(anagrafica, today=now.date())
        owner = _owner_of_code(uow, anagrafica, issues, case_id=case_id)
        if owner is not None:
            issues.append(
                Issue("codice_fiscale", Severity.ERROR, "cf.already_registered", {"case_id": owner})
            )
        return issues


def create_case(
    uow: UnitOfWork, *, actor: Actor, comune: str, anagrafica: Anagrafica, now: datetime
) -> tuple[CaseId, list[Issue]]:
    """Open a case file with whatever has been typed so far (it is saved as a draft).

    Validation findings are returned, not raised: nothing typed is refused storage, except a
    codice fiscale that already belongs to another case (``UserFacingError``
    ``cf.already_registered`` with that case's id: open it instead).
    """
    actor.require(Permission.EDIT_CASES)
    case_id = CaseId(new_id())
    case = CaseFile(case_id, PersonId(new_id()), comune, now, actor.username, anagrafica)
    with uow:
        issues = _issues(uow, anagrafica, case_id=None, now=now)
        uow.cases.add(case, now=now)
        _keep_typed(uow, actor=actor, case_id=case_id, anagrafica=anagrafica, now=now)
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


def _keep_typed(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, anagrafica: Anagrafica, now: datetime
) -> None:
    """Inside the caller's ``with uow``: keep (or forget) the values typed that could not be
    read, so that they come back in the form when the case is opened again."""
    stored = uow.records.of_case(case_id, TYPED_KIND)
    if not anagrafica.typed:
        for record in stored:
            uow.records.delete(case_id, record.id)
        return
    record_id = stored[0].id if stored else new_id()
    uow.records.put(StoredRecord(record_id, case_id, TYPED_KIND, typed_data(anagrafica), now,
                                 actor.username))  # fmt: skip


def _with_typed(uow: UnitOfWork, case: CaseFile) -> CaseFile:
    stored = uow.records.of_case(case.id, TYPED_KIND)
    if not stored:
        return case
    typed = typed_from_data(stored[0].data)
    return replace(case, anagrafica=replace(case.anagrafica, typed=typed))


def save_anagrafica(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, anagrafica: Anagrafica, now: datetime
) -> list[Issue]:
    actor.require(Permission.EDIT_CASES)
    with uow:
        current = uow.cases.get(case_id)
        if current is None:
            raise UserFacingError("case.not_found")
        if current.is_closed:
            raise UserFacingError("case.closed")
        issues = _issues(uow, anagrafica, case_id=case_id, now=now)
        uow.cases.save_anagrafica(case_id, anagrafica, now=now)
        _keep_typed(uow, actor=actor, case_id=case_id, anagrafica=anagrafica, now=now)
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


def anagrafica_confirmations(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId
) -> list[AnagraficaConfirmation]:
    """The warnings of the anagrafica the operators confirmed (one per field at most)."""
    actor.require(Permission.READ_CASES)
    with uow:
        stored = uow.records.of_case(case_id, AnagraficaConfirmation.KIND)
    return [AnagraficaConfirmation.from_data(r.data) for r in stored]


def set_anagrafica_confirmation(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    confirmation: AnagraficaConfirmation,
    confirmed: bool,
    now: datetime,
) -> None:
    """Record (``confirmed``) or withdraw the confirmation of a warning on one field; it
    replaces an earlier one on the same field. Audited as a change of the case record.
    Refused (``case.closed``) while the case is closed, as its anagrafica is."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        if case.is_closed:
            raise UserFacingError("case.closed")
        earlier = [
            r
            for r in uow.records.of_case(case_id, AnagraficaConfirmation.KIND)
            if AnagraficaConfirmation.from_data(r.data).field == confirmation.field
        ]
        for record in earlier:
            uow.records.delete(case_id, record.id)
            audit_log.record(uow, actor=actor, action=AuditAction.DELETE,
                             entity_type="case_record", entity_id=record.id, at=now)  # fmt: skip
        if confirmed:
            record_id = new_id()
            uow.records.put(StoredRecord(record_id, case_id, AnagraficaConfirmation.KIND,
                                         confirmation.to_data(), now, actor.username))  # fmt: skip
            audit_log.record(uow, actor=actor, action=AuditAction.CREATE,
                             entity_type="case_record", entity_id=record_id, at=now)  # fmt: skip
        uow.commit()


def open_case(uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime) -> CaseFile:
    """Read a whole case file; the read is recorded in the audit log."""
    actor.require(Permission.READ_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        case = _with_typed(uow, case)
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


def case_summary(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> CaseListRow:
    """What the case list shows of one case (to name it, e.g. as the owner of a code)."""
    actor.require(Permission.READ_CASES)
    with uow:
        row = uow.cases.summary(case_id)
        if row is None:
            raise UserFacingError("case.not_found")
        return row


def find_duplicates(uow: UnitOfWork, *, actor: Actor) -> list[DuplicateGroup]:
    """The groups of case files that share a codice fiscale (for the admin to merge)."""
    actor.require(Permission.MANAGE_OPERATORS)
    with uow:
        return uow.cases.duplicate_groups()


def merge_cases(
    uow: UnitOfWork, *, actor: Actor, survivor: CaseId, duplicate: CaseId, now: datetime
) -> None:
    """Merge ``duplicate`` into ``survivor`` (the admin's choice), in one transaction.

    Everything of the duplicate (network, istanze, documents, diary, records, assessments)
    moves to the survivor; the survivor's empty anagrafica fields are taken from the duplicate;
    the duplicate is deleted. Audited: ``merge`` on the duplicate, ``update`` on the survivor.
    """
    actor.require(Permission.MANAGE_OPERATORS)
    if survivor == duplicate:
        raise UserFacingError("merge.same_case")
    with uow:
        kept, gone = uow.cases.summary(survivor), uow.cases.summary(duplicate)
        if kept is None or gone is None:
            raise UserFacingError("case.not_found")
        code = normalize_codice_fiscale(kept.codice_fiscale)
        if not code or code != normalize_codice_fiscale(gone.codice_fiscale):
            raise UserFacingError("merge.not_duplicates")
        uow.cases.merge_into(survivor=survivor, duplicate=duplicate, now=now)
        for action, case_id in ((AuditAction.MERGE, duplicate), (AuditAction.UPDATE, survivor)):
            audit_log.record(
                uow, actor=actor, action=action, entity_type="case_file", entity_id=case_id, at=now
            )
        uow.commit()


def search_cases(
    uow: UnitOfWork,
    *,
    actor: Actor,
    text: str,
    sort: CaseSort = CaseSort.NAME,
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
    status: CaseStatusFilter = CaseStatusFilter.ALL,
) -> list[CaseListRow]:
    """Accent-insensitive prefix search on surname, given name and codice fiscale, among all,
    the open or the closed case files (``status``)."""
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.cases.search(
            text,
            sort=sort,
            descending=descending,
            offset=max(0, offset),
            limit=min(max(1, limit), MAX_PAGE),
            status=status,
        )


def count_cases(
    uow: UnitOfWork,
    *,
    actor: Actor,
    text: str,
    status: CaseStatusFilter = CaseStatusFilter.ALL,
) -> int:
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.cases.count(text, status=status)


# -- closing, reopening and deleting ---------------------------------------------------------

#: What a case file may hold besides its anagrafica (a table of the store -> the message code
#: naming it when an empty case is to be deleted), in the order they are named.
_HOLDING_CODES: dict[str, str] = {
    "istanze": "case.delete_has_istanze",
    "assessments": "case.delete_has_assessments",
    "case_records": "case.delete_has_records",
    "documents": "case.delete_has_documents",
    "diary_entries": "case.delete_has_diary",
    "household_members": "case.delete_has_network",
}


def close_case(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    closed_on: date,
    reason: str,
    note: str,
    now: datetime,
) -> CaseClosure:
    """Close (archive) a case file on ``closed_on`` for ``reason`` (a ``ClosureReason`` value).

    The date may not be in the future nor before the case was opened. A closed case stays
    readable; changes to its anagrafica and sections (case_sections) and new istanze are
    refused until it is reopened. Audited (``update`` on the case file)."""
    actor.require(Permission.EDIT_CASES)
    closure = CaseClosure(closed_on, parse_closure_reason(reason), note.strip())
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        if case.is_closed:
            raise UserFacingError("case.already_closed")
        check_closure(closed_on, opened_on=case.opened_at.date(), today=now.date())
        uow.cases.close(case_id, closure)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="case_file",
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()
    return closure


def reopen_case(uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime) -> None:
    """Reopen a closed case file (the closing date, reason and note are cleared). Audited."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        if not case.is_closed:
            raise UserFacingError("case.not_closed")
        uow.cases.reopen(case_id)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="case_file",
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()


def delete_draft_case(uow: UnitOfWork, *, actor: Actor, case_id: CaseId, now: datetime) -> None:
    """Delete a case file that holds nothing but its anagrafica (opened by mistake).

    A case with istanze, assessments, records, documents, diary or network is refused with a
    message naming what it holds (close it instead). The audit log keeps a ``delete`` event
    with the case's id."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        if uow.cases.person_id_of(case_id) is None:
            raise UserFacingError("case.not_found")
        held, confirmations = _holdings(uow, case_id)
        if held:
            for table, code in _HOLDING_CODES.items():
                if table in held:
                    raise UserFacingError(code, count=held[table])
            raise UserFacingError("case.delete_not_empty")
        for record_id in confirmations:  # part of the anagrafica: they go with it
            uow.records.delete(case_id, record_id)
        uow.cases.delete(case_id)
        audit_log.record(uow, actor=actor, action=AuditAction.DELETE, entity_type="case_file",
                         entity_id=case_id, at=now)  # fmt: skip
        uow.commit()


def is_empty_case(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> bool:
    """Whether the case holds nothing but its anagrafica (so that it may be deleted)."""
    actor.require(Permission.READ_CASES)
    with uow:
        held, _confirmations = _holdings(uow, case_id)
        return not held


def _holdings(uow: UnitOfWork, case_id: CaseId) -> tuple[dict[str, int], list[str]]:
    """What the case holds besides its anagrafica (table -> count), and the ids of the
    confirmed warnings of its anagrafica (kept as records, but part of the anagrafica)."""
    held = uow.cases.holdings(case_id)
    confirmations: list[str] = []
    if "case_records" in held:
        confirmations = [
            r.id
            for kind in (AnagraficaConfirmation.KIND, TYPED_KIND)
            for r in uow.records.of_case(case_id, kind)
        ]
        held["case_records"] -= len(confirmations)
        if held["case_records"] <= 0:
            del held["case_records"]
    return held, confirmations
