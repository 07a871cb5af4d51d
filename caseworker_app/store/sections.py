"""Repositories of the case file sections: JSON records, documents, diary, PI versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session, load_only

from caseworker_app.domain.casefile import DiaryEntry, DiaryKind, Document
from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, IstanzaId
from caseworker_app.domain.pi import PiStatus, PiVersion
from caseworker_app.domain.stored_formats import BlobKind, decode_object, encode
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.store.bulk import core_table
from caseworker_app.store.models import (
    CaseRecordRow,
    DiaryEntryRow,
    DocumentContentRow,
    DocumentRow,
    PiVersionRow,
)


class SqlRecordRepository:
    """Certifications, ISEE attestations, measures in place, social evaluations (by ``kind``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_domain(row: CaseRecordRow) -> StoredRecord:
        return StoredRecord(row.id, CaseId(row.case_id), row.kind,
                            decode_object(BlobKind.SECTION_RECORD, row.data, row=row.id),
                            row.updated_at, row.updated_by)  # fmt: skip

    def put(self, record: StoredRecord) -> None:
        row = self.session.get(CaseRecordRow, record.id)
        if row is None:
            row = CaseRecordRow(id=record.id, case_id=record.case_id, kind=record.kind,
                                created_at=record.updated_at)  # fmt: skip
            self.session.add(row)
        elif row.case_id != record.case_id or row.kind != record.kind:
            raise KeyError("record of another case or kind")
        row.data = encode(BlobKind.SECTION_RECORD, record.data)
        row.updated_at, row.updated_by = record.updated_at, record.updated_by

    def put_many(self, records: Sequence[StoredRecord]) -> None:
        """Bulk insert of new records (demo data, imports): one executemany, no lookups."""
        rows = [
            {"id": r.id, "case_id": r.case_id, "kind": r.kind,
             "data": encode(BlobKind.SECTION_RECORD, r.data), "created_at": r.updated_at,
             "updated_at": r.updated_at, "updated_by": r.updated_by}
            for r in records
        ]  # fmt: skip
        if rows:
            self.session.execute(insert(core_table(CaseRecordRow)), rows)

    def get(self, record_id: str) -> StoredRecord | None:
        row = self.session.get(CaseRecordRow, record_id)
        return None if row is None else self._to_domain(row)

    def of_case(self, case_id: CaseId, kind: str | None = None) -> list[StoredRecord]:
        stmt = select(CaseRecordRow).where(CaseRecordRow.case_id == case_id)
        if kind is not None:
            stmt = stmt.where(CaseRecordRow.kind == kind)
        stmt = stmt.order_by(CaseRecordRow.created_at, CaseRecordRow.id)
        return [self._to_domain(r) for r in self.session.scalars(stmt)]

    def of_kind(self, kind: str) -> list[StoredRecord]:
        stmt = select(CaseRecordRow).where(CaseRecordRow.kind == kind).order_by(CaseRecordRow.id)
        return [self._to_domain(r) for r in self.session.scalars(stmt)]

    def delete(self, case_id: CaseId, record_id: str) -> None:
        self.session.execute(
            delete(CaseRecordRow).where(
                CaseRecordRow.id == record_id, CaseRecordRow.case_id == case_id
            )
        )


_META_COLUMNS = (
    DocumentRow.id, DocumentRow.case_id, DocumentRow.istanza_id, DocumentRow.doc_type,
    DocumentRow.title, DocumentRow.doc_date, DocumentRow.expiry, DocumentRow.promised_by,
    DocumentRow.received_on, DocumentRow.mime, DocumentRow.size, DocumentRow.sha256,
    DocumentRow.created_at, DocumentRow.created_by,
)  # fmt: skip


class SqlDocumentRepository:
    """Documents and their content (bytes inside the encrypted store, never on disk in clear).

    The content is a row of its own (``document_contents``): listings never read it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_domain(r: DocumentRow) -> Document:
        return Document(
            id=DocumentId(r.id), case_id=CaseId(r.case_id), doc_type=r.doc_type, title=r.title,
            doc_date=r.doc_date, expiry=r.expiry, promised_by=r.promised_by,
            received_on=r.received_on, mime=r.mime, size=r.size, sha256=r.sha256,
            istanza_id=r.istanza_id, created_at=r.created_at, created_by=r.created_by,
        )  # fmt: skip

    @staticmethod
    def _meta_query() -> Select[DocumentRow]:
        return select(DocumentRow).options(load_only(*_META_COLUMNS))

    def save(self, doc: Document, *, content: bytes | None = None) -> None:
        """Insert or update a document's details; ``content`` (when given) replaces the file."""
        row = self.session.get(DocumentRow, doc.id, options=[load_only(*_META_COLUMNS)])
        if row is None:
            row = DocumentRow(id=doc.id, case_id=doc.case_id, created_at=doc.created_at)
            self.session.add(row)
        elif row.case_id != doc.case_id:
            raise KeyError("document of another case")
        row.istanza_id, row.doc_type, row.title = doc.istanza_id, doc.doc_type, doc.title
        row.doc_date, row.expiry, row.promised_by = doc.doc_date, doc.expiry, doc.promised_by
        row.received_on, row.created_by = doc.received_on, doc.created_by
        row.mime, row.size, row.sha256 = doc.mime, doc.size, doc.sha256
        if content is not None:
            self.session.merge(DocumentContentRow(document_id=doc.id, content=content))

    def get(self, doc_id: DocumentId) -> Document | None:
        row = self.session.scalar(self._meta_query().where(DocumentRow.id == doc_id))
        return None if row is None else self._to_domain(row)

    def content(self, doc_id: DocumentId) -> bytes | None:
        return self.session.scalar(
            select(DocumentContentRow.content).where(DocumentContentRow.document_id == doc_id)
        )

    def of_case(self, case_id: CaseId) -> list[Document]:
        stmt = self._meta_query().where(DocumentRow.case_id == case_id)
        stmt = stmt.order_by(DocumentRow.created_at, DocumentRow.id)
        return [self._to_domain(r) for r in self.session.scalars(stmt)]

    def promised(self) -> list[Document]:
        """Documents promised by a date and not yet received, across all cases."""
        stmt = self._meta_query().where(
            DocumentRow.promised_by.is_not(None), DocumentRow.received_on.is_(None)
        )
        return [self._to_domain(r) for r in self.session.scalars(stmt.order_by(DocumentRow.id))]

    def delete(self, case_id: CaseId, doc_id: DocumentId) -> None:
        owned = select(DocumentRow.id).where(
            DocumentRow.id == doc_id, DocumentRow.case_id == case_id
        )
        self.session.execute(
            delete(DocumentContentRow).where(DocumentContentRow.document_id.in_(owned))
        )
        self.session.execute(
            delete(DocumentRow).where(DocumentRow.id == doc_id, DocumentRow.case_id == case_id)
        )


class SqlDiaryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_domain(r: DiaryEntryRow) -> DiaryEntry:
        return DiaryEntry(DiaryEntryId(r.id), CaseId(r.case_id), r.at, r.operator, r.text,
                          DiaryKind(r.kind), r.updated_at)  # fmt: skip

    def save(self, entry: DiaryEntry) -> None:
        row = self.session.get(DiaryEntryRow, entry.id)
        if row is None:
            row = DiaryEntryRow(id=entry.id, case_id=entry.case_id, operator=entry.operator)
            self.session.add(row)
        elif row.case_id != entry.case_id:
            raise KeyError("diary entry of another case")
        row.at, row.text, row.kind, row.updated_at = (
            entry.at,
            entry.text,
            entry.kind.value,
            entry.updated_at,
        )

    def get(self, entry_id: DiaryEntryId) -> DiaryEntry | None:
        row = self.session.get(DiaryEntryRow, entry_id)
        return None if row is None else self._to_domain(row)

    def of_case(self, case_id: CaseId) -> list[DiaryEntry]:
        stmt = select(DiaryEntryRow).where(DiaryEntryRow.case_id == case_id)
        stmt = stmt.order_by(DiaryEntryRow.at.desc(), DiaryEntryRow.id)
        return [self._to_domain(r) for r in self.session.scalars(stmt)]


class SqlPiRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_domain(r: PiVersionRow) -> PiVersion:
        return PiVersion(r.id, IstanzaId(r.istanza_id), r.number, PiStatus(r.status),
                         decode_object(BlobKind.PI_CONTENT, r.content, row=r.id),
                         r.created_at, r.updated_at, r.created_by, r.signed_at,
                         r.signed_by)  # fmt: skip

    def save(self, version: PiVersion) -> None:
        """Insert or update a version; a signed version is never written again."""
        row = self.session.get(PiVersionRow, version.id)
        if row is None:
            row = PiVersionRow(id=version.id, istanza_id=version.istanza_id,
                               number=version.number, created_at=version.created_at,
                               created_by=version.created_by)  # fmt: skip
            self.session.add(row)
        elif row.status == PiStatus.FIRMATA.value:
            raise PermissionError("a signed PI version is frozen")
        row.status = version.status.value
        row.content = encode(BlobKind.PI_CONTENT, version.content)
        row.updated_at, row.signed_at, row.signed_by = (
            version.updated_at,
            version.signed_at,
            version.signed_by,
        )

    def get(self, version_id: str) -> PiVersion | None:
        row = self.session.get(PiVersionRow, version_id)
        return None if row is None else self._to_domain(row)

    def of_istanza(self, istanza_id: IstanzaId) -> list[PiVersion]:
        stmt = select(PiVersionRow).where(PiVersionRow.istanza_id == istanza_id)
        return [
            self._to_domain(r) for r in self.session.scalars(stmt.order_by(PiVersionRow.number))
        ]

    def latest_all(self) -> list[PiVersion]:
        """The latest version of every istanza's PI (for the deadlines view)."""
        rows = self.session.scalars(select(PiVersionRow).order_by(PiVersionRow.istanza_id,
                                                                  PiVersionRow.number))  # fmt: skip
        latest: dict[str, PiVersionRow] = {}
        for r in rows:
            latest[r.istanza_id] = r
        return [self._to_domain(r) for r in latest.values()]
