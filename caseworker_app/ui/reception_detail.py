"""The read-only detail of an istanza received at the capofila, and the viewer of its members.

The record (``caseworker.istanza/1``) is parsed on the worker with the strict reader; the
detail shows its main fields, the members that came with it (double click: a PDF opens in the
print preview, a scan in the document preview, a JSON sheet, evaluation or PI as text), and
the versions received with what changed from one to the next. Every member read is audited
(``transmissions_reception.received_member``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.transmission import ReceivedIstanza, ReceivedMember
from caseworker_app.services import transmissions_reception as reception
from caseworker_app.services.printing import DocumentKind, PrintedDocument
from caseworker_app.transfer.istanza_record import RecordError, read_istanza
from caseworker_app.ui import errors
from caseworker_app.ui.case_sections.document_preview import DocumentPreview
from caseworker_app.ui.case_sections.labels import (
    IN_PLACE_LABELS,
    ISEE_TYPE_LABELS,
    format_money,
    label_of,
)
from caseworker_app.ui.formats import format_date, format_datetime
from caseworker_app.ui.istanze_view import avviso_title
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.transmission_models import (
    change_label,
    completeness,
    comune_name,
    member_label,
    mime_label,
    size_label,
)

IMAGE_MIMES = frozenset({"image/jpeg", "image/png", "image/tiff"})


@dataclass(frozen=True)
class Detail:
    """What the detail pane shows of one received istanza, read on the worker."""

    istanza: ReceivedIstanza
    record: IstanzaRecord | None
    problem: str  # the record does not read (it did at the import: a newer reader?)
    versions: list[ReceivedIstanza]  # oldest first
    files: dict[str, str]  # transmission id -> file name
    interventions: dict[str, str]  # intervention code -> label (from the avviso)


def load_detail(session: Session, istanza: ReceivedIstanza, files: dict[str, str]) -> Detail:
    """Worker only."""
    workspace = session.workspace
    versions = reception.received_versions(workspace.uow_factory(), actor=workspace.actor,
                                           comune=istanza.comune,
                                           protocol=istanza.protocol)  # fmt: skip
    versions = sorted(versions, key=lambda v: v.version)
    interventions: dict[str, str] = {}
    with contextlib.suppress(UserFacingError):
        interventions = {c: i.label for c, i in get_avviso(istanza.avviso).interventions.items()}
    try:
        record = read_istanza(istanza.record, source=istanza.protocol, avviso=None)
        problem = ""
    except RecordError as exc:
        record, problem = None, f"{exc.field}: {exc.what}"
    return Detail(istanza, record, problem, versions, files, interventions)


def _changed_members(old: ReceivedIstanza, new: ReceivedIstanza) -> list[str]:
    """What each member that was added, removed or changed is (its path within the istanza's
    folder identifies it from one version to the next)."""

    def by_path(istanza: ReceivedIstanza) -> dict[str, ReceivedMember]:
        return {m.name.split("/", 2)[-1]: m for m in istanza.members}

    before, after = by_path(old), by_path(new)
    changed = []
    for path in sorted(before.keys() | after.keys()):
        a, b = before.get(path), after.get(path)
        if a is None or b is None or a.sha256 != b.sha256:
            member = b if b is not None else a
            assert member is not None  # the path is in one of them
            label = member_label(member)
            if label not in changed:
                changed.append(label)
    return changed


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ReceivedDetailView(QTabWidget):
    """Three tabs: the istanza's data, its members, its versions."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Detail | None = None
        self.viewer: QDialog | None = None
        self.setAccessibleName(self.tr("Dettaglio dell'istanza ricevuta"))
        self.fields_area = QScrollArea()
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.addTab(self.fields_area, self.tr("Istanza"))

        members = QWidget()
        column = QVBoxLayout(members)
        self.members_model = TextTableModel(
            [self.tr("Contenuto"), self.tr("Formato"), self.tr("Dimensione")], self
        )
        self.members_table = read_only_table(
            self.members_model,
            accessible_name=self.tr("Documenti e schede ricevuti"),
            single_selection=True,
        )
        self.members_table.activated.connect(self.on_member_activated)
        column.addWidget(self.members_table, 1)
        hint = QLabel(self.tr("Doppio clic o Invio su una riga per aprirla (sola lettura)."))
        hint.setObjectName("hint")
        column.addWidget(hint)
        self.addTab(members, self.tr("Allegati"))

        versions = QWidget()
        column = QVBoxLayout(versions)
        self.versions_model = TextTableModel(
            [self.tr("Versione"), self.tr("Ricevuta il"), self.tr("File"), self.tr("Stato")], self
        )
        self.versions_table = read_only_table(
            self.versions_model, accessible_name=self.tr("Versioni ricevute")
        )
        column.addWidget(self.versions_table, 1)
        self.changes = _selectable("")
        self.changes.setAccessibleName(self.tr("Cosa è cambiato tra le versioni"))
        self.changes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.changes)
        self.addTab(versions, self.tr("Versioni"))
        self.show_nothing()

    def show_nothing(self) -> None:
        self.detail = None
        empty = QLabel(self.tr("Seleziona un'istanza nell'elenco per vederne il dettaglio."))
        empty.setObjectName("emptyState")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.fields_area.setWidget(empty)
        self.members_model.set_rows([])
        self.versions_model.set_rows([])
        self.changes.setText("")

    def show_detail(self, detail: Detail) -> None:
        self.detail = detail
        self.fields_area.setWidget(self._fields(detail))
        self.members_model.set_rows(
            [(member_label(m), mime_label(m.mime), size_label(m.size)) for m in self.members]
        )
        self.versions_model.set_rows(
            [
                (
                    str(v.version),
                    format_datetime(v.received_at),
                    detail.files.get(v.transmission, ""),
                    self.tr("Corrente") if v.current else self.tr("Sostituita"),
                )
                for v in reversed(detail.versions)
            ]
        )
        self.changes.setText(self._changes(detail.versions))

    @property
    def members(self) -> list[ReceivedMember]:
        return list(self.detail.istanza.members) if self.detail is not None else []

    # -- the fields ----------------------------------------------------------------------------

    def _fields(self, detail: Detail) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        i = detail.istanza

        def row(label: str, text: str) -> None:
            value = _selectable(text)
            value.setAccessibleName(label)
            form.addRow(label + ":", value)

        row(self.tr("Comune"), f"{comune_name(i.comune)} ({i.comune})")
        row(self.tr("Protocollo"), i.protocol)
        row(self.tr("Versione"), str(i.version))
        row(self.tr("Avviso"), avviso_title(i.avviso))
        row(self.tr("Presentata il"), format_date(i.submitted_at.date()))
        row(self.tr("Ricevuta il"), format_datetime(i.received_at))
        row(self.tr("Valutazione e PI"), completeness(i))
        record = detail.record
        if record is None:
            problem = _selectable(
                self.tr("I dati dell'istanza non si leggono (%1).").replace("%1", detail.problem)
            )
            problem.setProperty("severity", "error")
            form.addRow(problem)
            return box
        b = record.beneficiary
        row(self.tr("Beneficiario"), f"{b.surname} {b.given_name}")
        row(self.tr("Codice fiscale"), b.codice_fiscale)
        sex = self.tr("maschio") if b.sex == "M" else self.tr("femmina")
        row(self.tr("Nascita"), f"{format_date(b.birth_date)} ({sex})")
        row(self.tr("Residenza"), comune_name(b.residence))
        isee = [
            self.tr("%1: %2 (attestazione del %3)")
            .replace("%1", label_of(ISEE_TYPE_LABELS, e.type))
            .replace("%2", format_money(e.value))
            .replace("%3", format_date(e.received_on))
            for e in record.isee
        ]
        row(self.tr("ISEE"), "\n".join(isee) or self.tr("nessuno"))
        requests = []
        for line in record.requests:
            text = (
                self.tr("%1: %2, dal %3 al %4")
                .replace("%1", detail.interventions.get(line.code, line.code))
                .replace("%2", format_money(line.amount))
                .replace("%3", format_date(line.start))
                .replace("%4", format_date(line.end))
            )
            if line.days is not None:
                text += self.tr(" (%1 giorni)").replace("%1", str(line.days))
            requests.append(text)
        row(self.tr("Interventi richiesti"), "\n".join(requests) or self.tr("nessuno"))
        in_place = sorted(label_of(IN_PLACE_LABELS, c) for c in record.in_place)
        row(self.tr("Misure in atto"), ", ".join(in_place) or self.tr("nessuna"))
        return box

    def _changes(self, versions: list[ReceivedIstanza]) -> str:
        """Per version, the fields of the record and the members that changed (no values)."""
        if len(versions) < 2:
            return self.tr("Una sola versione ricevuta.")
        lines = []
        for old, new in itertools.pairwise(versions):
            paths = reception.record_changes(old.record, new.record)
            members = _changed_members(old, new)
            parts = []
            if paths:
                parts.append(
                    self.tr("dati cambiati: %1").replace(
                        "%1", ", ".join(change_label(p) for p in paths)
                    )
                )
            if members:
                parts.append(self.tr("allegati cambiati: %1").replace("%1", ", ".join(members)))
            what = "; ".join(parts) or self.tr("nessuna differenza")
            lines.append(
                self.tr("Versione %1 rispetto alla %2: %3.")
                .replace("%1", str(new.version))
                .replace("%2", str(old.version))
                .replace("%3", what)
            )
        return "\n".join(reversed(lines))

    # -- members -----------------------------------------------------------------------------

    def on_member_activated(self, index: QModelIndex) -> None:
        members = self.members
        if self.detail is None or not 0 <= index.row() < len(members):
            return
        self.open_member(members[index.row()])

    def open_member(self, member: ReceivedMember) -> QDialog:
        assert self.detail is not None
        workspace, now = self.session.workspace, self.session.now()
        received_id, name = self.detail.istanza.id, member.name

        def read() -> bytes:
            return reception.received_member(workspace.uow_factory(), actor=workspace.actor,
                                             received_id=received_id, name=name,
                                             now=now)  # fmt: skip

        if self.viewer is not None and shiboken6.isValid(self.viewer):
            self.viewer.close()
        title = f"{self.detail.istanza.protocol} – {member_label(member)}"
        viewer: QDialog
        if member.mime == "application/pdf":

            def produce() -> PrintedDocument:
                return PrintedDocument(DocumentKind.RECEIVED, read(), "documento-ricevuto.pdf")

            viewer = PrintPreviewDialog(self.session, title=title, produce=produce,
                                        can_save=False, parent=self)  # fmt: skip
        else:
            viewer = MemberDialog(self.session, title=title, mime=member.mime, read=read,
                                  parent=self)  # fmt: skip
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # personal data: window-modal, so that the lock screen hides it with the window
        viewer.setWindowModality(Qt.WindowModality.WindowModal)
        self.viewer = viewer
        show_fitted(viewer)
        return viewer


class MemberDialog(QDialog):
    """A received scan (image) or JSON member, read-only."""

    def __init__(
        self,
        session: Session,
        *,
        title: str,
        mime: str,
        read: Callable[[], bytes],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mime = mime
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.preview = DocumentPreview()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName(self.tr("Contenuto ricevuto"))
        self.text.hide()
        self.note = QLabel(
            self.tr("Il contenuto come è arrivato dal comune, nel formato di scambio (JSON).")
        )
        self.note.setObjectName("hint")
        self.note.hide()
        layout.addWidget(self.note)
        self.preview.show_message(self.tr("Apertura…"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Chiudi"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 640)
        session.tasks.run(read, on_done=self.on_read, on_error=self.on_failed, owner=self)

    def on_read(self, content: bytes) -> None:
        if self.mime in IMAGE_MIMES:
            self.preview.show_image(content)
            return
        try:
            shown = json.dumps(json.loads(content), indent=2, ensure_ascii=False)
        except (UnicodeDecodeError, ValueError):
            self.preview.show_message(self.tr("Anteprima non disponibile per questo contenuto."))
            return
        self.preview.hide()
        self.text.setPlainText(shown)
        self.text.show()
        self.note.show()

    def on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            self.preview.show_message(errors.message_for(exc))
            return
        self.preview.show_message(self.tr("Il contenuto non si può aprire."))
        errors.report_error(self, exc)
