"""Repository of the signatures of PI versions: graphic signatures and signed documents.

Graphic signatures (PNG) are kept only inside the encrypted store. The signed scan or signed PDF
of a version is an ordinary document (store/sections.py) tied to the version here.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from caseworker_app.domain.ids import DocumentId
from caseworker_app.domain.pi import PiStatus
from caseworker_app.ports.storage import StoredSignature, VersionDocument
from caseworker_app.store.models import DocumentRow, PiSignatureRow, PiVersionRow


class SqlSignatureRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_port(r: PiSignatureRow) -> StoredSignature:
        return StoredSignature(r.id, r.pi_version_id, r.role, r.png, r.captured_at, r.method,
                               r.note, r.captured_by)  # fmt: skip

    def _status(self, version_id: str) -> str | None:
        return self.session.scalar(select(PiVersionRow.status).where(PiVersionRow.id == version_id))

    def put_graphic(self, signature: StoredSignature) -> None:
        """Store the signature of a role, replacing that role's previous one.

        A signed version is frozen: its graphic signatures are never written again."""
        status = self._status(signature.version_id)
        if status is None:
            raise KeyError("no such PI version")
        if status == PiStatus.FIRMATA.value:
            raise PermissionError("a signed PI version is frozen")
        self.session.execute(
            delete(PiSignatureRow).where(
                PiSignatureRow.pi_version_id == signature.version_id,
                PiSignatureRow.role == signature.role,
            )
        )
        self.session.add(
            PiSignatureRow(
                id=signature.id, pi_version_id=signature.version_id, role=signature.role,
                png=signature.png, captured_at=signature.captured_at, method=signature.method,
                note=signature.note, captured_by=signature.captured_by,
            )
        )  # fmt: skip

    def graphic_of_version(self, version_id: str) -> list[StoredSignature]:
        stmt = select(PiSignatureRow).where(PiSignatureRow.pi_version_id == version_id)
        stmt = stmt.order_by(PiSignatureRow.captured_at, PiSignatureRow.id)
        return [self._to_port(r) for r in self.session.scalars(stmt)]

    def link_document(
        self, document_id: DocumentId, version_id: str, *, signature_check: str = ""
    ) -> None:
        """Tie a stored document to the PI version it signs (with its PAdES check, if any)."""
        self.session.flush()  # the document may have been added in this same transaction
        done = self.session.execute(
            update(DocumentRow)
            .where(DocumentRow.id == document_id)
            .values(pi_version_id=version_id, signature_check=signature_check)
            .execution_options(synchronize_session=False)
        )
        if getattr(done, "rowcount", 0) != 1:
            raise KeyError("no such document")

    def documents_of_version(self, version_id: str) -> list[VersionDocument]:
        stmt = (
            select(DocumentRow.id, DocumentRow.doc_type, DocumentRow.mime, DocumentRow.created_at,
                   DocumentRow.created_by, DocumentRow.signature_check)
            .where(DocumentRow.pi_version_id == version_id)
            .order_by(DocumentRow.created_at, DocumentRow.id)
        )  # fmt: skip
        rows = self.session.execute(stmt)
        return [
            VersionDocument(
                DocumentId(r.id), r.doc_type, r.mime, r.created_at, r.created_by, r.signature_check
            )
            for r in rows
        ]
