"""Documents: scanned PDFs and images kept inside the encrypted store, with in-app preview.

"Allega…" reads the chosen file on the worker and stores its bytes in the store; nothing is
ever written to a clear file. A document may also be registered as promised by a date, and
receive its file later.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from caseworker_app.documents.preview import PdfUnreadableError, RenderedPage, render_pdf
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DocumentId, new_id
from caseworker_app.domain.validation import Issue
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import case_sections as sections
from caseworker_app.ui import errors
from caseworker_app.ui.case_sections.document_preview import PREVIEW_WIDTH, DocumentPreview
from caseworker_app.ui.case_sections.field_form import UNREAD_CODES, FieldForm
from caseworker_app.ui.case_sections.labels import DOCUMENT_LABELS, choices, label_of
from caseworker_app.ui.case_sections.section_panel import SectionPanel
from caseworker_app.ui.formats import format_count, format_date

_KINDS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}


def details_of(doc: Document) -> sections.DocumentDetails:
    return sections.DocumentDetails(doc.doc_type, doc.title, doc.doc_date, doc.expiry,
                                    doc.promised_by, doc.received_on)  # fmt: skip


def read_file(path: str) -> bytes:
    """Worker only: the bytes of the chosen file, refused early when too large."""
    try:
        file = Path(path)
        if file.stat().st_size > sections.MAX_DOCUMENT_BYTES:
            raise UserFacingError("document.too_large", max_mb=sections.MAX_DOCUMENT_MB)
        return file.read_bytes()
    except OSError:
        raise UserFacingError("document.unreadable") from None


Preview = tuple[Document, bytes, tuple[list[RenderedPage], int] | None]


def _read_for_preview(
    workspace: Workspace, case_id: CaseId, doc_id: DocumentId, now: datetime
) -> Preview:
    """On the worker: read the content and, for a PDF, render its pages in memory."""
    doc, content = sections.read_document(workspace.uow_factory(), actor=workspace.actor,
                                          case_id=case_id, document_id=doc_id, now=now)  # fmt: skip
    if doc.mime == "application/pdf":
        return doc, b"", render_pdf(content, width=PREVIEW_WIDTH)
    return doc, content, None


class DocumentsPanel(SectionPanel[Document]):
    def list_name(self) -> str:
        return self.tr("Elenco dei documenti")

    def add_label(self) -> str:
        return self.tr("Registra documento promesso")

    def extra_buttons(self) -> list[QPushButton]:
        self.attach_button = QPushButton(self.tr("Allega…"))
        self.attach_button.setAccessibleName(self.tr("Allega un file PDF o un'immagine"))
        self.attach_button.setToolTip(
            self.tr("Allega un PDF o un'immagine (JPEG, PNG, TIFF) fino a 25 MB; a un documento "
                    "promesso selezionato viene allegato il file consegnato.")
        )  # fmt: skip
        self.attach_button.clicked.connect(self.on_attach_clicked)
        return [self.attach_button]

    def headers(self) -> list[str]:
        return [self.tr("Tipo"), self.tr("Titolo"), self.tr("Data"), self.tr("Scadenza"),
                self.tr("File")]  # fmt: skip

    def build_form(self, form: FieldForm) -> None:
        form.group(self.tr("Documento"))
        types = [c for c in choices(DOCUMENT_LABELS, sort=True) if c[0] != sections.OTHER_DOCUMENT]
        types.append((sections.OTHER_DOCUMENT, label_of(DOCUMENT_LABELS, "altro")))
        form.add_combo("doc_type", self.tr("Tipo di documento"), types, empty=False, wide=True)
        form.add_line("title", self.tr("Titolo"), wide=True)
        form.add_date("doc_date", self.tr("Data del documento"))
        form.add_date("expiry", self.tr("Scadenza"))
        form.add_date("promised_by", self.tr("Promesso entro il"))
        form.add_date("received_on", self.tr("Ricevuto il"))
        form.wait_while_typing |= UNREAD_CODES
        self.file_info = QLabel()
        self.file_info.setObjectName("hint")
        self.file_info.setAccessibleName(self.tr("File allegato"))
        self.below_form.addWidget(self.file_info)
        self.preview = DocumentPreview()
        self.side.addWidget(self.preview, 1)

    def new_value(self, entry_id: str) -> Document:
        assert self.case_id is not None
        return Document(DocumentId(entry_id), self.case_id, sections.OTHER_DOCUMENT)

    def fill(self, form: FieldForm, value: Document) -> None:
        form.set_value("doc_type", value.doc_type)
        form.set_text("title", value.title)
        for field in sections.DOCUMENT_DATE_FIELDS:
            form.set_date(field, getattr(value, field), value.typed)

    def read(self, form: FieldForm, previous: Document) -> tuple[Document, list[Issue]]:
        issues: list[Issue] = []
        typed: dict[str, str] = {}  # the dates that cannot be read, kept as typed
        value = replace(
            previous, doc_type=form.value("doc_type") or sections.OTHER_DOCUMENT,
            title=form.text("title"), doc_date=form.date("doc_date", issues, typed),
            expiry=form.date("expiry", issues, typed),
            promised_by=form.date("promised_by", issues, typed),
            received_on=form.date("received_on", issues, typed), typed=typed,
        )  # fmt: skip
        return value, issues

    def validate(self, value: Document) -> list[Issue]:
        return sections.document_issues(details_of(value), has_content=value.has_content)

    def _file_text(self, value: Document) -> str:
        if value.has_content:
            kind = _KINDS.get(value.mime, value.mime)
            size = format_count(max(1, round(value.size / 1024)))
            return self.tr("%1, %2 kB").replace("%1", kind).replace("%2", size)
        if value.promised_by is not None:
            return self.tr("promesso entro il %1").replace("%1", format_date(value.promised_by))
        return self.tr("nessun file")

    def row(self, value: Document) -> tuple[str, ...]:
        return (label_of(DOCUMENT_LABELS, value.doc_type), value.title,
                format_date(value.doc_date), format_date(value.expiry),
                self._file_text(value))  # fmt: skip

    # -- file and preview ------------------------------------------------------------------

    def current_changed(self) -> None:
        value = self.current_value()
        self.file_info.setText(
            "" if value is None else self.tr("File: %1").replace("%1", self._file_text(value))
        )
        if value is None or not value.has_content or self.case_id is None:
            self.preview.show_message(
                self.tr("Nessun file allegato: usa «Allega…» quando la persona lo consegna.")
                if value is not None else self.tr("Seleziona un documento per vederlo.")
            )  # fmt: skip
            return
        self.preview.show_message(self.tr("Apertura del documento…"))
        workspace, case_id, now, doc_id = self.session.workspace, self.case_id, \
            self.session.now(), value.id  # fmt: skip
        self.session.tasks.run(
            lambda: _read_for_preview(workspace, case_id, doc_id, now),
            on_done=self.on_content_read, on_error=self.on_preview_failed, owner=self,
        )  # fmt: skip

    def on_content_read(self, result: Preview) -> None:
        doc, content, rendered = result
        if self.current != doc.id:
            return
        if rendered is not None:
            self.preview.show_pdf(*rendered)
        else:
            self.preview.show_image(content)

    def on_preview_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PdfUnreadableError):
            self.preview.show_message(
                self.tr("Anteprima non disponibile: il PDF è danneggiato o protetto da password. "
                        "Il file resta conservato nella cartella.")
            )  # fmt: skip
            return
        errors.report_error(self.window(), exc)

    def on_attach_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Allega un documento"), "",
            self.tr("Documenti (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"),
        )  # fmt: skip
        if path:
            self.attach_file(path)

    def attach_file(self, path: str) -> None:
        """Store the file at ``path`` in the selected promised document, or in a new one."""
        if self.case_id is None or self.read_only:
            return
        current = self.current_value()
        if current is not None and not current.has_content:
            target, details = current.id, details_of(current)
        else:
            target = DocumentId(new_id())
            details = sections.DocumentDetails(title=Path(path).stem)
        self.flush()
        self.attach_button.setEnabled(False)
        self.status.setText(self.tr("Salvataggio del file…"))
        workspace, case_id, now = self.session.workspace, self.case_id, self.session.now()

        def attach() -> Document:
            content = read_file(path)
            return sections.attach_document(
                workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                document_id=target, content=content, details=details, now=now,
            )  # fmt: skip

        self.session.tasks.run(attach, on_done=self.on_attached, on_error=self.on_attach_failed,
                               owner=self)  # fmt: skip

    def on_attached(self, doc: Document) -> None:
        self.attach_button.setEnabled(not self.read_only)
        self.status.setText(self.tr("File allegato"))
        was_current = self.current == doc.id
        self.replace_entry(doc.id, doc, stored=True)
        if was_current:  # same row: refresh the form and the preview by hand
            self.on_row_changed(self.table.currentIndex(), self.table.currentIndex())
        else:
            self.select(doc.id)

    def on_attach_failed(self, exc: BaseException) -> None:
        self.attach_button.setEnabled(not self.read_only)
        self.status.setText(self.tr("File non allegato"))
        errors.report_error(self.window(), exc)

    # -- worker functions ------------------------------------------------------------------

    @staticmethod
    def fetch(workspace: Workspace, case_id: CaseId) -> list[tuple[str, Document]]:
        docs = sections.list_documents(workspace.uow_factory(), actor=workspace.actor,
                                       case_id=case_id)  # fmt: skip
        return [(d.id, d) for d in docs]

    @staticmethod
    def store(
        workspace: Workspace, case_id: CaseId, entry_id: str, value: Document, now: datetime
    ) -> None:
        sections.save_document_details(
            workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
            document_id=DocumentId(entry_id), details=details_of(value), typed=value.typed,
            now=now,
        )  # fmt: skip

    @staticmethod
    def remove(workspace: Workspace, case_id: CaseId, entry_id: str, now: datetime) -> None:
        sections.delete_document(workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                                 document_id=DocumentId(entry_id), now=now)  # fmt: skip
