"""«Segna come ricevuto»: the day a promised document arrived and, optionally, its scan."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.casefile import Document
from caseworker_app.services.integrazione import ChecklistLine
from caseworker_app.ui.case_sections.labels import DOCUMENT_LABELS
from caseworker_app.ui.case_sections.labels import tr as tr_label
from caseworker_app.ui.formats import format_date


def document_label(code: str) -> str:
    return tr_label(DOCUMENT_LABELS[code]) if code in DOCUMENT_LABELS else code.replace("_", " ")


class ReceiveDocumentDialog(QDialog):
    """Asks the date of receipt (not after today) and the scan among the case's documents."""

    def __init__(
        self,
        line: ChecklistLine,
        scans: tuple[Document, ...],
        *,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.line = line
        self.setWindowTitle(self.tr("Documento ricevuto"))
        layout = QVBoxLayout(self)
        what = QLabel(
            self.tr("Documento: %1").replace("%1", document_label(line.code))
            + (
                "\n" + self.tr("Promesso entro il %1").replace("%1", format_date(line.promised_by))
                if line.promised_by
                else ""
            )
        )
        what.setWordWrap(True)
        layout.addWidget(what)
        form = QFormLayout()
        self.received = QDateEdit(QDate(today.year, today.month, today.day))
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("dd/MM/yyyy")
        self.received.setMaximumDate(QDate(today.year, today.month, today.day))
        self.received.setAccessibleName(self.tr("Data di ricevimento"))
        form.addRow(self.tr("&Ricevuto il"), self.received)
        self.scan = QComboBox()
        self.scan.setAccessibleName(self.tr("Scansione nei documenti della cartella"))
        self.scan.addItem(self.tr("Nessuna scansione (documento cartaceo nel fascicolo)"), "")
        for doc in scans:
            title = doc.title or document_label(doc.doc_type)
            when = format_date(doc.received_on or doc.doc_date)
            self.scan.addItem(f"{title} ({when})" if when else title, doc.id)
        matching = next((d for d in scans if d.doc_type == line.code), None)
        if matching is not None:
            self.scan.setCurrentIndex(self.scan.findData(matching.id))
        form.addRow(self.tr("&Scansione"), self.scan)
        layout.addLayout(form)
        hint = QLabel(
            self.tr(
                "L'istanza viene verificata di nuovo con la data di oggi: se non manca altro, "
                "esce dallo stato «da integrare». Il passaggio resta nello storico."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Segna come ricevuto")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annulla"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def chosen(self) -> tuple[date, str]:
        day = self.received.date()
        return date(day.year(), day.month(), day.day()), str(self.scan.currentData() or "")
