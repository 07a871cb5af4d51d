"""The requested interventions (one row each) and the document checklist of the avviso."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.istanza_content import DocumentCheck, IstanzaContent, RequestedLine
from caseworker_app.domain.rules.avviso import Intervention
from caseworker_app.services.istanza_wizard import ChecklistItem
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.istanza_wizard.widgets import (
    DateField,
    amount_text,
    document_label,
    euro_input,
)
from caseworker_app.ui.screen_fit import show_entries_in_full
from caseworker_app.ui.theme import set_severity

DAYS_CODE = "a2_ricovero_sollievo"


class RequestRow:
    """The widgets of one requested line, placed in the page's grid."""

    def __init__(self, page: RequestsPage, number: int) -> None:
        self.code = QComboBox()
        for code, item in page.interventions.items():
            self.code.addItem(item.label, code)
            self.code.setItemData(self.code.count() - 1, item.label, Qt.ItemDataRole.ToolTipRole)
        self.code.setMinimumContentsLength(16)
        self.code.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        show_entries_in_full(self.code, min_chars=16)  # the list opens as wide as its entries
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0,00")
        self.amount.setMaximumWidth(110)
        self.amount.setMinimumWidth(80)
        self.start = DateField("")
        self.end = DateField("")
        self.days = QLineEdit()
        self.days.setMaximumWidth(60)
        self.hours = QLineEdit()
        self.hours.setMaximumWidth(60)
        self.remove = QPushButton(page.tr("Elimina"))
        self.set_number(page, number)

    def set_number(self, page: RequestsPage, number: int) -> None:
        n = str(number)
        self.code.setAccessibleName(page.tr("Intervento della riga %1").replace("%1", n))
        self.amount.setAccessibleName(page.tr("Importo in euro della riga %1").replace("%1", n))
        self.start.setAccessibleName(page.tr("Dal giorno, riga %1").replace("%1", n))
        self.end.setAccessibleName(page.tr("Al giorno, riga %1").replace("%1", n))
        self.days.setAccessibleName(page.tr("Giorni di ricovero, riga %1").replace("%1", n))
        self.hours.setAccessibleName(page.tr("Ore settimanali, riga %1").replace("%1", n))
        self.remove.setAccessibleName(page.tr("Elimina la riga %1").replace("%1", n))

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.code, self.amount, self.start, self.end, self.days, self.hours, self.remove)

    def line(self, interventions: dict[str, Intervention]) -> RequestedLine:
        code = str(self.code.currentData() or "")
        days_text = self.days.text().strip()
        days = int(days_text) if days_text.isdigit() and code == DAYS_CODE else None
        extra: dict[str, object] = {}
        item = interventions.get(code)
        if item is not None and item.hours_field and self.hours.text().strip():
            extra[item.hours_field] = self.hours.text().strip().replace(",", ".")
        return RequestedLine(code, amount_text(self.amount.text()), self.start.value(),
                             self.end.value(), days, extra)  # fmt: skip

    def show(self, line: RequestedLine, interventions: dict[str, Intervention]) -> None:
        index = self.code.findData(line.code)
        self.code.setCurrentIndex(max(0, index))
        self.amount.setText(euro_input(line.amount))
        self.start.set_value(line.start)
        self.end.set_value(line.end)
        self.days.setText("" if line.days is None else str(line.days))
        item = interventions.get(line.code)
        hours = line.extra.get(item.hours_field) if item is not None and item.hours_field else None
        self.hours.setText("" if hours is None else str(hours))
        self.update_enabled(interventions)

    def update_enabled(self, interventions: dict[str, Intervention]) -> None:
        code = str(self.code.currentData() or "")
        self.code.setToolTip(self.code.currentText())
        self.days.setEnabled(code == DAYS_CODE)
        item = interventions.get(code)
        self.hours.setEnabled(item is not None and bool(item.hours_field))


class RequestsPage(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.interventions: dict[str, Intervention] = {}
        self.rows: list[RequestRow] = []
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Un intervento o una spesa per riga: importo richiesto (per un rimborso la "
                "spesa documentata) e periodo; per un intervento singolo la stessa data in "
                "«dal» e «al»."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        heads = (self.tr("Intervento"), self.tr("Importo (€)"), self.tr("Dal"), self.tr("Al"),
                 self.tr("Giorni"), self.tr("Ore/sett."), "")  # fmt: skip
        for column, text in enumerate(heads):
            self.grid.addWidget(QLabel(text), 0, column)
        self.grid.setColumnStretch(0, 1)
        layout.addLayout(self.grid)
        self.add_button = QPushButton(self.tr("&Aggiungi un intervento"))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.add_button.clicked.connect(self.on_add_clicked)

    def set_interventions(self, interventions: dict[str, Intervention]) -> None:
        self.interventions = interventions

    def load(self, content: IstanzaContent) -> None:
        while self.rows:
            self._drop(self.rows[-1])
        for line in content.requests:
            self._append().show(line, self.interventions)

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        return replace(content, requests=tuple(r.line(self.interventions) for r in self.rows))

    def on_add_clicked(self) -> None:
        row = self._append()
        row.update_enabled(self.interventions)
        row.code.setFocus()
        self.edited.emit()

    def _append(self) -> RequestRow:
        row = RequestRow(self, len(self.rows) + 1)
        grid_row = len(self.rows) + 1
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, grid_row, column)
        self.rows.append(row)
        row.code.activated.connect(lambda _i, r=row: self._on_code_chosen(r))
        for line in (row.amount, row.days, row.hours):
            line.textEdited.connect(self._on_typed)
        row.start.date_changed.connect(self.edited)
        row.end.date_changed.connect(self.edited)
        row.remove.clicked.connect(lambda _c=False, r=row: self._on_remove(r))
        return row

    def _drop(self, row: RequestRow) -> None:
        for widget in row.widgets():
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.rows.remove(row)

    def _on_remove(self, row: RequestRow) -> None:
        lines = [r.line(self.interventions) for r in self.rows if r is not row]
        while self.rows:
            self._drop(self.rows[-1])
        for line in lines:
            self._append().show(line, self.interventions)
        self.add_button.setFocus()
        self.edited.emit()

    def _on_code_chosen(self, row: RequestRow) -> None:
        row.update_enabled(self.interventions)
        self.edited.emit()

    def _on_typed(self, _text: str) -> None:
        self.edited.emit()


class DocumentsPage(QWidget):
    """The document checklist: for each document the day it arrived or the day it was promised
    by. A date that cannot be read stays as typed, marked, and is saved as typed; documents the
    istanza records outside the avviso's checklist (and the scans lines point to) are kept."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.received: dict[str, DateField] = {}
        self.promised: dict[str, DateField] = {}
        self.notes: dict[str, QLabel] = {}
        self.today: date | None = None
        self._others: tuple[DocumentCheck, ...] = ()
        self._scans: dict[str, str] = {}
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Per ogni documento indica il giorno in cui è arrivato, oppure il giorno "
                "entro cui il richiedente si è impegnato a consegnarlo: fino ad allora "
                "l'istanza resta «da integrare»; passato quel giorno senza il documento, "
                "non è ammissibile."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.grid = QGridLayout()
        for column, text in enumerate(
            (self.tr("Documento"), self.tr("Ricevuto il"), self.tr("Promesso entro il"),
             self.tr("Note"))
        ):  # fmt: skip
            self.grid.addWidget(QLabel(text), 0, column)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(3, 1)
        layout.addLayout(self.grid)
        self.others_label = QLabel()
        self.others_label.setWordWrap(True)
        self.others_label.setAccessibleName(self.tr("Altri documenti dell'istanza"))
        self.others_label.hide()
        layout.addWidget(self.others_label)
        layout.addStretch(1)

    def set_checklist(self, items: tuple[ChecklistItem, ...]) -> None:
        for row, item in enumerate(items, start=1):
            name = document_label(item.code)
            text = name + (" " + self.tr("(obbligatorio)") if item.required else "")
            label = QLabel(text)
            label.setWordWrap(True)
            received = DateField(self.tr("%1: ricevuto il").replace("%1", name))
            promised = DateField(self.tr("%1: promesso entro il").replace("%1", name))
            note = QLabel()
            note.setWordWrap(True)
            note.setAccessibleName(self.tr("%1: nota").replace("%1", name))
            for field in (received, promised):
                field.date_changed.connect(self.edited)
                field.date_changed.connect(lambda c=item.code: self._update_note(c))
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(received, row, 1)
            self.grid.addWidget(promised, row, 2)
            self.grid.addWidget(note, row, 3)
            self.received[item.code] = received
            self.promised[item.code] = promised
            self.notes[item.code] = note

    def set_today(self, today: date) -> None:
        """The day the live panel judges promises on: a promise before it is already past."""
        if today != self.today:
            self.today = today
            for code in self.notes:
                self._update_note(code)

    def load(self, content: IstanzaContent) -> None:
        by_code = {d.code: d for d in content.documents}
        for code, field in self.received.items():
            doc = by_code.get(code)
            field.set_value(doc.received_on if doc else None)
            self.promised[code].set_value(doc.promised_by if doc else None)
            if doc is not None:  # an unreadable date comes back as it was typed
                if "received_on" in doc.typed:
                    field.set_typed(doc.typed["received_on"])
                if "promised_by" in doc.typed:
                    self.promised[code].set_typed(doc.typed["promised_by"])
            self._update_note(code)
        self._scans = {d.code: d.scan_id for d in content.documents if d.scan_id}
        self._others = tuple(d for d in content.documents if d.code not in self.received)
        if self._others:
            names = ", ".join(document_label(d.code) for d in self._others)
            self.others_label.setText(
                self.tr("Altri documenti registrati per questa istanza: %1").replace("%1", names)
            )
        self.others_label.setVisible(bool(self._others))

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        docs: list[DocumentCheck] = []
        for code, received in self.received.items():
            promised = self.promised[code]
            typed = {
                key: f.text().strip()
                for key, f in (("received_on", received), ("promised_by", promised))
                if not f.is_valid()
            }
            if received.value() is None and promised.value() is None and not typed:
                continue
            docs.append(DocumentCheck(code, received.value(), promised.value(),
                                      self._scans.get(code, ""), typed))  # fmt: skip
        return replace(content, documents=(*docs, *self._others))

    def invalid_fields(self) -> list[DateField]:
        return [
            f for code in self.received for f in (self.received[code], self.promised[code])
            if not f.is_valid()
        ]  # fmt: skip

    def _update_note(self, code: str) -> None:
        note = self.notes[code]
        received, promised = self.received[code], self.promised[code]
        severity = ""
        if not received.is_valid() or not promised.is_valid():
            text = self.tr("Data non valida: scrivila come gg/mm/aaaa (ad esempio 31/01/2024).")
            severity = "error"
        elif received.value() is not None:
            text = ""
        elif (day := promised.value()) is not None and self.today and day < self.today:
            text = self.tr(
                "Termine già scaduto il %1: senza il documento l'istanza non è ammissibile."
            ).replace("%1", format_date(day))
            severity = "error"
        elif promised.value() is not None:
            text = self.tr("In attesa: l'istanza resta «da integrare» fino ad allora.")
            severity = "warning"
        else:
            text = ""
        note.setText(text)
        set_severity(note, severity)
