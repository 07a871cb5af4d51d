"""Use cases of the case file sections: network, certifications, ISEE, measures, documents, diary.

Entries are keyed by ids chosen by the caller (``new_id()``), so an autosave is always an
"insert or update" of the same entry. What was typed is stored even when it has findings: the
findings are returned. Only what is structurally impossible is refused (a file that is not a
PDF or an image, a file too large, an entry of another case). A closed cartella is read-only:
every write to it is refused (``case.closed``) until it is reopened. Every write is audited;
reading a document's content is audited as READ.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Generic, Protocol, Self, TypeVar

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import member_issues
from caseworker_app.domain.casefile import DiaryEntry, DiaryKind, Document, HouseholdMember
from caseworker_app.domain.codes import DOCUMENT_CODES, SIGNED_PI_DOCUMENT
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, MemberId
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.domain.values import typed_from_data, typed_issues
from caseworker_app.ports.storage import StoredRecord, UnitOfWork
from caseworker_app.services import audit_log

MAX_DOCUMENT_MB = 25
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024
OTHER_DOCUMENT = "altro"

#: the side case record keeping a document's or a diary note's dates that could not be read,
#: as typed (documents and diary entries keep their dates in real columns)
SECTION_TYPED_KIND = "section_typed"
SECTION_TYPED_FORMAT = "caseworker.section-typed/1"
_TYPED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "caseworker:section-typed")
DOCUMENT_DATE_FIELDS = ("doc_date", "expiry", "promised_by", "received_on")
DIARY_TYPED_FIELDS = ("at",)
MEMBER_TYPED_FIELDS = ("care_hours_week", "weekly_hours", "contract_from", "contract_to")


class SectionRecord(Protocol):
    """Certification, IseeAttestation, MeasureInPlace (domain/case_sections.py)."""

    KIND: str

    def to_data(self) -> dict[str, object]: ...
    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> Self: ...
    def issues(self) -> list[Issue]: ...


R = TypeVar("R", bound=SectionRecord)
T = TypeVar("T")


@dataclass(frozen=True)
class RecordEntry(Generic[T]):
    id: str
    value: T
    updated_at: datetime
    updated_by: str


def _audit(
    uow: UnitOfWork, actor: Actor, action: AuditAction, entity: str, entity_id: str, now: datetime
) -> None:
    audit_log.record(uow, actor=actor, action=action, entity_type=entity, entity_id=entity_id,
                     at=now)  # fmt: skip


def _require_open_case(uow: UnitOfWork, case_id: CaseId) -> None:
    """The case exists and is open (a write to a closed one is refused)."""
    if uow.cases.person_id_of(case_id) is None:
        raise UserFacingError("case.not_found")
    _refuse_closed(uow, case_id)


def _refuse_closed(uow: UnitOfWork, case_id: CaseId) -> None:
    """A closed cartella can be read, not changed: reopen it first."""
    case = uow.cases.get(case_id)
    if case is not None and case.is_closed:
        raise UserFacingError("case.closed")


def _typed_record_id(entity_id: str) -> str:
    """The id of an entity's side record: one per document or diary note, deterministic."""
    return str(uuid.uuid5(_TYPED_NAMESPACE, entity_id))


def _clean_typed(typed: Mapping[str, str] | None, allowed: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in (typed or {}).items() if k in allowed and v.strip()}


def _keep_typed(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    entity: str,
    entity_id: str,
    typed: Mapping[str, str],
    now: datetime,
) -> None:
    """Inside the caller's ``with uow``: keep the texts that could not be read, or forget them
    once everything is read."""
    record_id = _typed_record_id(entity_id)
    if not typed:
        if uow.records.get(record_id) is not None:
            uow.records.delete(case_id, record_id)
        return
    data: dict[str, object] = {"format": SECTION_TYPED_FORMAT, "entity": entity,
                               "entity_id": entity_id, "typed": dict(typed)}  # fmt: skip
    uow.records.put(StoredRecord(record_id, case_id, SECTION_TYPED_KIND, data, now,
                                 actor.username))  # fmt: skip


def _typed_of_case(
    uow: UnitOfWork, case_id: CaseId, entity: str, allowed: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    """Inside ``with uow``: entity id -> the texts kept as typed (unreadable records skipped)."""
    found: dict[str, dict[str, str]] = {}
    for record in uow.records.of_case(case_id, SECTION_TYPED_KIND):
        data = record.data
        entity_id = data.get("entity_id")
        if data.get("format") != SECTION_TYPED_FORMAT or data.get("entity") != entity:
            continue
        if not isinstance(entity_id, str) or record.id != _typed_record_id(entity_id):
            continue
        typed = _clean_typed(typed_from_data(data.get("typed")), allowed)
        if typed:
            found[entity_id] = typed
    return found


# -- network ---------------------------------------------------------------------------------


def list_members(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> list[HouseholdMember]:
    actor.require(Permission.READ_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        kept = _typed_of_case(uow, case_id, "member", MEMBER_TYPED_FIELDS)
    return [replace(m, typed=kept.get(m.id, {})) for m in case.household]


def save_member(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, member: HouseholdMember, now: datetime
) -> list[Issue]:
    """Insert or update a member of the network (relative, caregiver, legal representative,
    assistente familiare)."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        if case.is_closed:
            raise UserFacingError("case.closed")
        existing = {m.id for m in case.household}
        try:
            uow.cases.save_member(case_id, member)
        except KeyError:
            raise UserFacingError("member.not_found") from None
        kept = _clean_typed(member.typed, MEMBER_TYPED_FIELDS)
        _keep_typed(uow, actor=actor, case_id=case_id, entity="member", entity_id=member.id,
                    typed=kept, now=now)  # fmt: skip
        action = AuditAction.UPDATE if member.id in existing else AuditAction.CREATE
        _audit(uow, actor, action, "household_member", member.id, now)
        uow.commit()
    return member_issues(member, today=now.date()) + typed_issues(kept)


def remove_member(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, member_id: MemberId, now: datetime
) -> None:
    actor.require(Permission.EDIT_CASES)
    with uow:
        _require_open_case(uow, case_id)
        uow.cases.remove_member(case_id, member_id)
        _keep_typed(uow, actor=actor, case_id=case_id, entity="member", entity_id=member_id,
                    typed={}, now=now)  # fmt: skip
        _audit(uow, actor, AuditAction.DELETE, "household_member", member_id, now)
        uow.commit()


# -- certifications, ISEE attestations, measures in place ------------------------------------


def list_records(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, record_type: type[R]
) -> list[RecordEntry[R]]:
    """The entries of one section, oldest first; entries that cannot be read are skipped."""
    actor.require(Permission.READ_CASES)
    with uow:
        stored = uow.records.of_case(case_id, record_type.KIND)
    found: list[RecordEntry[R]] = []
    for record in stored:
        try:
            value = record_type.from_data(record.data)
        except ValueError:
            continue
        found.append(RecordEntry(record.id, value, record.updated_at, record.updated_by))
    return found


def put_record(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    record_id: str,
    value: SectionRecord,
    now: datetime,
) -> list[Issue]:
    """Insert or update a certification, ISEE attestation or measure; returns its findings."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        _require_open_case(uow, case_id)
        exists = uow.records.get(record_id) is not None
        record = StoredRecord(record_id, case_id, value.KIND, value.to_data(), now, actor.username)
        try:
            uow.records.put(record)
        except KeyError:
            raise UserFacingError("case.not_found") from None
        action = AuditAction.UPDATE if exists else AuditAction.CREATE
        _audit(uow, actor, action, "case_record", record_id, now)
        uow.commit()
    return value.issues()


def delete_record(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, record_id: str, now: datetime
) -> None:
    actor.require(Permission.EDIT_CASES)
    with uow:
        _refuse_closed(uow, case_id)
        uow.records.delete(case_id, record_id)
        _audit(uow, actor, AuditAction.DELETE, "case_record", record_id, now)
        uow.commit()


# -- documents -------------------------------------------------------------------------------


def sniff_mime(content: bytes) -> str | None:
    """The type of a scanned document from its first bytes, or None when not accepted."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    return None


@dataclass(frozen=True)
class DocumentDetails:
    """What the operator can edit about a document (the content is attached separately)."""

    doc_type: str = OTHER_DOCUMENT
    title: str = ""
    doc_date: date | None = None
    expiry: date | None = None
    promised_by: date | None = None
    received_on: date | None = None


def document_issues(details: DocumentDetails, *, has_content: bool) -> list[Issue]:
    found = []
    if details.doc_type not in DOCUMENT_CODES | {OTHER_DOCUMENT, SIGNED_PI_DOCUMENT}:
        found.append(Issue("doc_type", Severity.ERROR, "document.doc_type_invalid"))
    if not has_content and details.promised_by is None and details.received_on is None:
        found.append(Issue("promised_by", Severity.WARNING, "document.promised_without_date"))
    return found


def _check_content(content: bytes) -> str:
    if not content:
        raise UserFacingError("document.empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise UserFacingError("document.too_large", max_mb=MAX_DOCUMENT_MB)
    mime = sniff_mime(content)
    if mime is None:
        raise UserFacingError("document.type_not_allowed")
    return mime


def list_documents(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> list[Document]:
    """The documents of a case (details only, never the content), oldest first."""
    actor.require(Permission.READ_CASES)
    with uow:
        docs = uow.documents.of_case(case_id)
        kept = _typed_of_case(uow, case_id, "document", DOCUMENT_DATE_FIELDS)
    return [_with_typed_dates(d, kept.get(d.id, {})) for d in docs]


def _with_typed_dates(doc: Document, typed: Mapping[str, str]) -> Document:
    """The document with its texts kept as typed; a date that has a value since wins."""
    return replace(doc, typed={k: v for k, v in typed.items() if getattr(doc, k) is None})


def attach_document(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    document_id: DocumentId,
    content: bytes,
    details: DocumentDetails | None = None,
    now: datetime,
) -> Document:
    """Store a scanned PDF or image inside the encrypted store.

    ``document_id`` may name a document registered as promised: it then receives the file and
    today's date of receipt. Refused (UserFacingError) when the file is empty, larger than
    25 MB, or not a PDF/JPEG/PNG/TIFF (recognised from its bytes, not its name).
    """
    actor.require(Permission.EDIT_CASES)
    mime = _check_content(content)
    digest = hashlib.sha256(content).hexdigest()
    with uow:
        _require_open_case(uow, case_id)
        existing = uow.documents.get(document_id)
        if existing is not None and existing.case_id != case_id:
            raise UserFacingError("document.not_found")
        if existing is None:
            given = details or DocumentDetails()
            doc = Document(
                id=document_id, case_id=case_id, doc_type=given.doc_type, title=given.title,
                doc_date=given.doc_date, expiry=given.expiry, promised_by=given.promised_by,
                received_on=given.received_on or now.date(), created_at=now,
                created_by=actor.username,
            )  # fmt: skip
        else:
            doc = replace(existing, received_on=existing.received_on or now.date())
        doc = replace(doc, mime=mime, size=len(content), sha256=digest)
        uow.documents.save(doc, content=content)
        kept = _typed_of_case(uow, case_id, "document", DOCUMENT_DATE_FIELDS)
        doc = _with_typed_dates(doc, kept.get(document_id, {}))  # what is kept comes back
        action = AuditAction.CREATE if existing is None else AuditAction.UPDATE
        _audit(uow, actor, action, "document", document_id, now)
        uow.commit()
    return doc


def save_document_details(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    document_id: DocumentId,
    details: DocumentDetails,
    typed: Mapping[str, str] | None = None,
    now: datetime,
) -> tuple[Document, list[Issue]]:
    """Insert or update a document's details; a new one without a file is a promised document.

    ``typed``: the dates that could not be read (field -> text, their value None): they are
    kept as typed in a side case record until they are corrected."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        _require_open_case(uow, case_id)
        existing = uow.documents.get(document_id)
        if existing is not None and existing.case_id != case_id:
            raise UserFacingError("document.not_found")
        base = existing or Document(id=document_id, case_id=case_id, doc_type=OTHER_DOCUMENT,
                                    created_at=now, created_by=actor.username)  # fmt: skip
        if SIGNED_PI_DOCUMENT in (base.doc_type, details.doc_type) and (
            existing is None or base.doc_type != details.doc_type
        ):  # only the PI's signature use cases make (and keep) a signed copy
            raise UserFacingError("document.signed_pi_kept")
        doc = replace(
            base, doc_type=details.doc_type, title=details.title, doc_date=details.doc_date,
            expiry=details.expiry, promised_by=details.promised_by,
            received_on=details.received_on,
        )  # fmt: skip
        uow.documents.save(doc)
        kept = _clean_typed(typed, DOCUMENT_DATE_FIELDS)
        _keep_typed(uow, actor=actor, case_id=case_id, entity="document",
                    entity_id=document_id, typed=kept, now=now)  # fmt: skip
        doc = _with_typed_dates(doc, kept)
        action = AuditAction.CREATE if existing is None else AuditAction.UPDATE
        _audit(uow, actor, action, "document", document_id, now)
        uow.commit()
    return doc, document_issues(details, has_content=doc.has_content) + typed_issues(doc.typed)


def read_document(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, document_id: DocumentId, now: datetime
) -> tuple[Document, bytes]:
    """A document and its content, for the in-app preview; the read is audited."""
    actor.require(Permission.READ_CASES)
    with uow:
        doc = uow.documents.get(document_id)
        if doc is None or doc.case_id != case_id:
            raise UserFacingError("document.not_found")
        content = uow.documents.content(document_id)
        if not content:
            raise UserFacingError("document.no_content")
        _audit(uow, actor, AuditAction.READ, "document", document_id, now)
        uow.commit()
    return doc, content


def delete_document(
    uow: UnitOfWork, *, actor: Actor, case_id: CaseId, document_id: DocumentId, now: datetime
) -> None:
    actor.require(Permission.EDIT_CASES)
    with uow:
        _refuse_closed(uow, case_id)
        found = uow.documents.get(document_id)
        if found is not None and found.doc_type == SIGNED_PI_DOCUMENT:
            # the signed copy of a frozen PI version is part of its record
            raise UserFacingError("document.signed_pi_kept")
        uow.documents.delete(case_id, document_id)
        _keep_typed(uow, actor=actor, case_id=case_id, entity="document",
                    entity_id=document_id, typed={}, now=now)  # fmt: skip
        _audit(uow, actor, AuditAction.DELETE, "document", document_id, now)
        uow.commit()


# -- diary -----------------------------------------------------------------------------------


def diary_issues(text: str) -> list[Issue]:
    return [] if text.strip() else [Issue("text", Severity.WARNING, "diary.text_missing")]


def list_diary(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> list[DiaryEntry]:
    """The diary of a case, newest first."""
    actor.require(Permission.READ_CASES)
    with uow:
        entries = uow.diary.of_case(case_id)
        kept = _typed_of_case(uow, case_id, "diary_entry", DIARY_TYPED_FIELDS)
    return [replace(e, typed=kept.get(e.id, {})) for e in entries]


def save_diary_entry(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    entry_id: DiaryEntryId,
    kind: DiaryKind,
    at: datetime,
    text: str,
    typed: Mapping[str, str] | None = None,
    now: datetime,
) -> tuple[DiaryEntry, list[Issue]]:
    """Add a dated note, or edit it (the author stays; the edit time is recorded).

    ``typed``: ``{"at": text}`` when the moment typed could not be read (``at`` is then the last
    good one): the text is kept as typed in a side case record until it is corrected."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        _require_open_case(uow, case_id)
        existing = uow.diary.get(entry_id)
        if existing is not None and existing.case_id != case_id:
            raise UserFacingError("diary.not_found")
        if existing is None:
            entry = DiaryEntry(entry_id, case_id, at, actor.username, text, kind)
        else:
            entry = replace(existing, at=at, text=text, kind=kind, updated_at=now)
        uow.diary.save(entry)
        kept = _clean_typed(typed, DIARY_TYPED_FIELDS)
        _keep_typed(uow, actor=actor, case_id=case_id, entity="diary_entry",
                    entity_id=entry_id, typed=kept, now=now)  # fmt: skip
        entry = replace(entry, typed=kept)
        action = AuditAction.CREATE if existing is None else AuditAction.UPDATE
        _audit(uow, actor, action, "diary_entry", entry_id, now)
        uow.commit()
    return entry, diary_issues(text) + typed_issues(kept)
