"""The ISEE page: choose among the case's attestations, or type a new one (saved to the case).

While a new attestation is typed, the live panel judges on it at once; it is written to the
case file (debounced, on the worker) as soon as its type and value are valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.codes import ISEE_TYPES
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.domain.rules.money import format_eur
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.istanza_wizard.widgets import DateField, isee_label, parse_euro

_ID = Qt.ItemDataRole.UserRole


class IseePage(QWidget):
    #: the ticked attestations changed
    chosen_changed = Signal()
    #: the attestation being typed changed (its record id)
    attestation_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing_id: str | None = None
        self.default_received: date | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Spunta le attestazioni ISEE da usare per questa istanza (se nessuna è "
                "spuntata si usano tutte quelle della cartella)."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Attestazioni ISEE della cartella"))
        self.list.setMaximumHeight(150)
        layout.addWidget(self.list)
        self.add_button = QPushButton(self.tr("&Aggiungi un'attestazione ISEE…"))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.group = QGroupBox(self.tr("Nuova attestazione ISEE"))
        form = QFormLayout(self.group)
        self.isee_type = QComboBox()
        self.isee_type.setAccessibleName(self.tr("Tipo di ISEE"))
        for code in ISEE_TYPES:
            self.isee_type.addItem(isee_label(code), code)
        form.addRow(self.tr("&Tipo"), self.isee_type)
        self.value = QLineEdit()
        self.value.setAccessibleName(self.tr("Valore ISEE in euro"))
        self.value.setPlaceholderText(self.tr("ad esempio 18.500,00"))
        form.addRow(self.tr("&Valore (€)"), self.value)
        self.dsu = QLineEdit()
        self.dsu.setAccessibleName(self.tr("Protocollo DSU"))
        self.dsu.setPlaceholderText("INPS-ISEE-2024-000000000-00")
        form.addRow(self.tr("Protocollo &DSU"), self.dsu)
        self.received = DateField(self.tr("Data di ricevimento dell'attestazione"))
        form.addRow(self.tr("&Ricevuta il"), self.received)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.group.hide()
        layout.addWidget(self.group)
        layout.addStretch(1)
        self.add_button.clicked.connect(self.on_add_clicked)
        self.list.itemChanged.connect(self._on_item_changed)
        self.isee_type.activated.connect(self._on_edited)
        self.value.textEdited.connect(self._on_edited)
        self.dsu.textEdited.connect(self._on_edited)
        self.received.date_changed.connect(self._on_edited)

    def load(self, content: IstanzaContent, isee: Mapping[str, IseeAttestation]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for record_id, att in isee.items():
            self._add_item(record_id, att, not content.isee_ids or record_id in content.isee_ids)
        self.list.blockSignals(False)
        if not isee:
            self.list.addItem(QListWidgetItem(self.tr("Nessuna attestazione nella cartella.")))

    def _add_item(self, record_id: str, att: IseeAttestation, checked: bool) -> None:
        item = QListWidgetItem(self._describe(att))
        item.setData(_ID, record_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)

    def _describe(self, att: IseeAttestation) -> str:
        value = format_eur(att.value) if att.value is not None else self.tr("valore mancante")
        text = isee_label(att.isee_type) + " " + value
        if att.received_on:
            text += " – " + self.tr("ricevuta il %1").replace("%1", format_date(att.received_on))
        return text

    def chosen_ids(self) -> tuple[str, ...]:
        found = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            record_id = item.data(_ID)
            if record_id and item.checkState() == Qt.CheckState.Checked:
                found.append(str(record_id))
        return tuple(found)

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        return replace(content, isee_ids=self.chosen_ids())

    def editing_attestation(self) -> IseeAttestation:
        value = parse_euro(self.value.text())
        return IseeAttestation(
            isee_type=str(self.isee_type.currentData()),
            value=value,
            dsu_protocol=self.dsu.text().strip(),
            received_on=self.received.value(),
        )

    def on_add_clicked(self) -> None:
        """Start a new attestation (the one being typed stays in the list)."""
        if self.list.count() == 1 and not self.list.item(0).data(_ID):
            self.list.clear()
        self.editing_id = new_id()
        self.value.clear()
        self.dsu.clear()
        self.received.set_value(self.default_received)
        self.isee_type.setCurrentIndex(0)
        self.list.blockSignals(True)
        self._add_item(self.editing_id, self.editing_attestation(), True)
        self.list.blockSignals(False)
        self.group.show()
        self.status.setText(self.tr("Scrivi il valore: l'attestazione si salva nella cartella."))
        self.value.setFocus()
        self.attestation_edited.emit(self.editing_id)

    def show_saved(self, record_id: str, text: str) -> None:
        if record_id == self.editing_id:
            self.status.setText(text)

    def _on_edited(self, *_args: object) -> None:
        if self.editing_id is None:
            return
        att = self.editing_attestation()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_ID) == self.editing_id:
                self.list.blockSignals(True)
                item.setText(self._describe(att))
                self.list.blockSignals(False)
        self.attestation_edited.emit(self.editing_id)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.chosen_changed.emit()
