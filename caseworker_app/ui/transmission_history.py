"""The files a comune sent to the capofila (Trasmissioni page): each with its istanze, their
state and the reason of a rejection, and its attestazione to print again."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.transmission import SentTransmission, TransmissionState
from caseworker_app.services.printing import DocumentKind, PrintedDocument
from caseworker_app.ui.formats import format_datetime
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.transmission_models import transmission_state_label


class SentHistory(QGroupBox):
    """ "Trasmissioni effettuate": the files (left) and the istanze of the one selected (right)."""

    def __init__(self, *, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Trasmissioni effettuate"), parent)
        self.session = session
        self.sent: list[SentTransmission] = []
        self.preview: PrintPreviewDialog | None = None
        column = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.files_model = TextTableModel(
            [self.tr("File"), self.tr("Data"), self.tr("Istanze"), self.tr("Ricevuta")], self
        )
        self.files = read_only_table(
            self.files_model,
            accessible_name=self.tr("Trasmissioni effettuate"),
            single_selection=True,
        )
        self.files.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_items(current.row())
        )
        self.files.activated.connect(lambda index: self.print_attestazione(index.row()))
        self.items_model = TextTableModel(
            [
                self.tr("Protocollo"),
                self.tr("Versione"),
                self.tr("Stato"),
                self.tr("Motivo del rifiuto"),
            ],
            self,
        )
        self.items = read_only_table(
            self.items_model, accessible_name=self.tr("Istanze della trasmissione selezionata")
        )
        split.addWidget(self.files)
        split.addWidget(self.items)
        split.setSizes([520, 480])
        column.addWidget(split, 1)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("&Stampa attestazione…"))
        self.print_button.setAccessibleName(
            self.tr("Stampa l'attestazione della trasmissione selezionata")
        )
        self.print_button.setToolTip(self.tr("Anche con doppio clic sul file nell'elenco"))
        self.print_button.clicked.connect(
            lambda: self.print_attestazione(self.files.currentIndex().row())
        )
        self.empty = QLabel(self.tr("Nessun file trasmesso finora."))
        self.empty.setObjectName("hint")
        row.addWidget(self.print_button)
        row.addWidget(self.empty)
        row.addStretch(1)
        column.addLayout(row)
        self.show_items(-1)

    def set_sent(self, sent: list[SentTransmission]) -> None:
        """Show ``sent`` (newest first), keeping the file selected if it is still there."""
        current = self.files.currentIndex().row()
        chosen = self.sent[current].id if 0 <= current < len(self.sent) else None
        self.sent = sent
        self.files_model.set_rows([self._cells(t) for t in sent])
        ids = [t.id for t in sent]
        row = ids.index(chosen) if chosen in ids else 0
        if sent:
            self.files.selectRow(row)
        self.show_items(row if sent else -1)
        self.empty.setVisible(not sent)

    def _cells(self, sent: SentTransmission) -> tuple[str, ...]:
        if sent.receipt_at is not None:
            receipt = self.tr("Sì, il %1").replace("%1", format_datetime(sent.receipt_at))
        else:
            receipt = self.tr("Non ancora")
        return (sent.file_name, format_datetime(sent.created_at), str(len(sent.items)), receipt)

    def show_items(self, row: int) -> None:
        if not 0 <= row < len(self.sent):
            self.items_model.set_rows([])
            self.print_button.setEnabled(False)
            return
        self.items_model.set_rows(
            [
                (
                    item.protocol,
                    str(item.version),
                    transmission_state_label(item.state),
                    item.reason if item.state is TransmissionState.RESPINTA else "",
                )
                for item in self.sent[row].items
            ]
        )
        self.print_button.setEnabled(True)

    # -- attestazione ------------------------------------------------------------------------

    def print_attestazione(self, row: int) -> PrintPreviewDialog | None:
        if not 0 <= row < len(self.sent):
            return None
        return self.open_attestazione(self.sent[row])

    def open_attestazione(self, sent: SentTransmission) -> PrintPreviewDialog:
        """The attestazione kept from the export, in the print preview (print or save it)."""
        pdf, name = sent.attestazione, f"attestazione-{Path(sent.file_name).stem}.pdf"

        def produce() -> PrintedDocument:
            return PrintedDocument(DocumentKind.ATTESTAZIONE, pdf, name)

        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        title = self.tr("Attestazione della trasmissione %1").replace("%1", sent.file_name)
        self.preview = PrintPreviewDialog(self.session, title=title, produce=produce, parent=self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show_fitted(self.preview)
        return self.preview
