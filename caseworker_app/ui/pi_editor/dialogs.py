"""The dialog that records where and when a PI version was signed."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from caseworker_app.ui.pi_editor.fields import DateField
from caseworker_app.ui.pi_editor.values import show_day, tr


class SignDialog(QDialog):
    def __init__(self, *, place: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Segna come firmato"))
        form = QFormLayout(self)
        intro = QLabel(tr("Dopo la firma questa versione non si potrà più modificare: per "
                          "cambiarla si crea una nuova versione."))  # fmt: skip
        intro.setWordWrap(True)
        form.addRow(intro)
        self.place = QLineEdit(place)
        self.place.setAccessibleName(tr("Luogo della firma"))
        form.addRow(tr("Luogo"), self.place)
        self.day = DateField(tr("Data della firma"))
        self.day.setText(show_day(day))
        form.addRow(tr("Data"), self.day)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, date] | None:
        day = self.day.value()
        if not self.place.text().strip() or day is None:
            return None
        return self.place.text().strip(), day
