"""The page of one item of a scale in the home visit: its text, one large button per option
(keys 1–5), "← Indietro", "Salta" and, where the item accepts it, "Non applicabile"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caseworker_app.domain.scales import ScaleDefinition
from caseworker_app.ui.home_visit_widgets import OptionButton


class ItemPage(QWidget):
    """The buttons are made by ``action`` (the home visit's large buttons, with its keys)."""

    def __init__(
        self, *, action: Callable[[str], QPushButton], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.progress = QLabel()
        self.progress.setObjectName("homeVisitProgress")
        self.progress.setAccessibleName(self.tr("Avanzamento"))
        layout.addWidget(self.progress)
        self.item_text = QLabel()
        self.item_text.setObjectName("homeVisitItem")
        self.item_text.setWordWrap(True)
        layout.addWidget(self.item_text)
        layout.addSpacing(12)
        self.options_box = QVBoxLayout()
        self.options_box.setSpacing(10)
        layout.addLayout(self.options_box)
        self.option_buttons: list[OptionButton] = []
        layout.addStretch(1)
        actions = QHBoxLayout()
        self.back_button = action(self.tr("← Indietro"))
        self.skip_button = action(self.tr("Salta"))
        self.not_applicable_button = action(self.tr("Non applicabile"))
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        actions.addWidget(self.not_applicable_button)
        actions.addWidget(self.skip_button)
        layout.addLayout(actions)
        keys = QLabel(self.tr("Tasti: 1–5 scelgono, Backspace o ← tornano indietro."))
        keys.setObjectName("hint")
        layout.addWidget(keys)

    def show_item(
        self,
        definition: ScaleDefinition,
        index: int,
        chosen: int | None,
        *,
        on_answer: Callable[[int], None],
        key_filter: QObject,
    ) -> None:
        """Item ``index`` of ``definition`` with its options (``chosen`` checked)."""
        item = definition.items[index]
        self.progress.setText(
            self.tr("%1 – Voce %2 di %3")
            .replace("%1", definition.title)
            .replace("%2", str(index + 1))
            .replace("%3", str(len(definition.items)))
        )
        self.item_text.setText(item.text)
        for button in self.option_buttons:
            self.options_box.removeWidget(button)
            button.hide()  # deleted only once the event loop is reached
            button.deleteLater()
        self.option_buttons = []
        for option in item.options:
            button = OptionButton(option.number, option.text)
            button.setAccessibleName(
                self.tr("Risposta %1: %2")
                .replace("%1", str(option.number))
                .replace("%2", option.text)
            )
            button.setChecked(option.number == chosen)
            button.clicked.connect(lambda _c=False, n=option.number: on_answer(n))
            button.installEventFilter(key_filter)
            self.options_box.addWidget(button)
            self.option_buttons.append(button)
        self.not_applicable_button.setVisible(item.accepts_not_applicable)
        label = definition.not_applicable_label
        if item.accepts_not_applicable and label:
            self.not_applicable_button.setText(label[:1].upper() + label[1:])
            self.not_applicable_button.setAccessibleName(label[:1].upper() + label[1:])
        self.back_button.setEnabled(index > 0)
