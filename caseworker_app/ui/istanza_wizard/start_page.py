"""Step 1: the presentation date and the avviso, among those open for the comune on that day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.services.istanza_wizard import AvvisiOnDate, AvvisoChoice
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.istanza_wizard.widgets import DateField
from caseworker_app.ui.theme import set_severity

_ID = Qt.ItemDataRole.UserRole
_CLOSES = Qt.ItemDataRole.UserRole + 1


class StartPage(QWidget):
    #: the presentation date was changed (valid or not)
    date_edited = Signal()
    #: "Crea l'istanza" was pressed
    create_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locked = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Indica il giorno in cui l'istanza è stata presentata (per un'istanza su carta "
                "ricevuta in passato, il giorno del timbro di arrivo) e scegli l'avviso."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.date = DateField(self.tr("Data di presentazione"))
        form.addRow(self.tr("&Data di presentazione"), self.date)
        layout.addLayout(form)
        self.date_hint = QLabel()
        self.date_hint.setWordWrap(True)
        layout.addWidget(self.date_hint)
        self.open_title = QLabel(self.tr("&Avvisi aperti in quella data"))
        layout.addWidget(self.open_title)
        self.open_list = QListWidget()
        self.open_list.setAccessibleName(self.tr("Avvisi aperti"))
        self.open_title.setBuddy(self.open_list)
        self.open_list.setMaximumHeight(140)
        layout.addWidget(self.open_list)
        self.closed_title = QLabel(
            self.tr("Avvisi chiusi di recente (Invio o doppio clic per usarne l'ultimo giorno)")
        )
        self.closed_title.setWordWrap(True)
        layout.addWidget(self.closed_title)
        self.closed_list = QListWidget()
        self.closed_list.setAccessibleName(self.tr("Avvisi chiusi di recente"))
        self.closed_list.setMaximumHeight(140)
        layout.addWidget(self.closed_list)
        self.create_button = QPushButton(self.tr("&Crea l'istanza"))
        self.create_button.setAccessibleName(self.tr("Crea l'istanza"))
        self.create_button.setEnabled(False)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.date.date_changed.connect(self.date_edited)
        self.open_list.currentItemChanged.connect(self._update_button)
        self.open_list.itemActivated.connect(self._on_open_activated)
        self.closed_list.itemActivated.connect(self.on_closed_activated)
        self.create_button.clicked.connect(self.create_requested)

    def chosen_avviso(self) -> str | None:
        item = self.open_list.currentItem()
        return str(item.data(_ID)) if item is not None else None

    def show_avvisi(self, on: date, result: AvvisiOnDate) -> None:
        self.open_list.clear()
        self.closed_list.clear()
        for choice in result.open:
            self.open_list.addItem(self._item(choice))
        for choice in result.closed:
            self.closed_list.addItem(self._item(choice))
        if result.open:
            self.open_list.setCurrentRow(0)
            self.date_hint.setText("")
            set_severity(self.date_hint, "")
        else:
            self.date_hint.setText(
                self.tr(
                    "Nessun avviso del comune accetta istanze presentate il %1. Se l'istanza "
                    "è arrivata prima, indica il giorno in cui è arrivata."
                ).replace("%1", format_date(on))
            )
            set_severity(self.date_hint, "warning")
        self.closed_title.setVisible(bool(result.closed))
        self.closed_list.setVisible(bool(result.closed))
        self._update_button()

    def show_date_problem(self, text: str) -> None:
        self.open_list.clear()
        self.date_hint.setText(text)
        set_severity(self.date_hint, "error")
        self._update_button()

    def lock(self, title: str) -> None:
        """The istanza exists: its avviso is fixed, the date may still be corrected."""
        self.locked = True
        self.open_title.setText(self.tr("Avviso dell'istanza"))
        self.open_list.clear()
        self.open_list.addItem(QListWidgetItem(title))
        self.open_list.setEnabled(False)
        self.closed_title.hide()
        self.closed_list.hide()
        self.create_button.hide()
        self.date_hint.setText("")

    def _item(self, choice: AvvisoChoice) -> QListWidgetItem:
        if choice.opens and choice.closes:
            period = (
                self.tr("istanze dal %1 al %2")
                .replace("%1", format_date(choice.opens))
                .replace("%2", format_date(choice.closes))
            )
        elif choice.closes:
            period = self.tr("istanze fino al %1").replace("%1", format_date(choice.closes))
        else:
            period = self.tr("istanze senza scadenza")
        item = QListWidgetItem(choice.title + "\n" + period)
        item.setData(_ID, choice.id)
        item.setData(_CLOSES, choice.closes)
        return item

    def _update_button(self) -> None:
        self.create_button.setEnabled(not self.locked and self.chosen_avviso() is not None)

    def _on_open_activated(self, _item: QListWidgetItem) -> None:
        if self.create_button.isEnabled():
            self.create_requested.emit()

    def on_closed_activated(self, item: QListWidgetItem) -> None:
        closes = item.data(_CLOSES)
        if isinstance(closes, date):
            self.date.set_value(closes)
            self.date_edited.emit()
