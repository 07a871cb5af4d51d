"""The summary line over the case editor's anagrafica: why the cartella is closed, why it was not
saved, or which mandatory fields are still missing ("Mancano 2 dati obbligatori: Data di nascita,
Comune di residenza"), each name a button that takes the focus to its field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from caseworker_app.domain.casefile import CaseClosure
from caseworker_app.ui.case_closing import closure_summary
from caseworker_app.ui.theme import set_severity


class CaseSummaryBar(QWidget):
    #: a missing field's button was clicked (the field's name)
    field_requested = Signal(str)

    def __init__(self, field_title: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field_title = field_title
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout(self)
        self._layout = row
        row.setContentsMargins(12, 0, 12, 4)
        row.setSpacing(4)
        row.addWidget(self.summary)
        self.missing_row = QHBoxLayout()
        self.missing_row.setSpacing(2)
        row.addLayout(self.missing_row)
        row.addStretch(1)
        self.missing_buttons: dict[str, QPushButton] = {}

    def show_state(
        self, *, closure: CaseClosure | None, refused_duplicate: bool, missing_fields: list[str]
    ) -> None:
        """Closed, refused as a duplicate, a draft missing ``missing_fields``, or nothing to say
        (the bar hides)."""
        missing = len(missing_fields)
        self._show_missing([] if closure is not None or refused_duplicate else missing_fields)
        if closure is not None:
            self.summary.setText(closure_summary(closure))
            set_severity(self.summary, "warning")
            self.show()
        elif refused_duplicate:
            self.summary.setText(
                self.tr(
                    "Non salvata: il codice fiscale è già registrato in un'altra cartella "
                    "(vedi sotto il codice fiscale)."
                )
            )
            set_severity(self.summary, "error")
            self.show()
        elif missing:
            if missing == 1:
                text = self.tr(
                    "Bozza (tutto ciò che scrivi viene comunque salvato): manca un dato "
                    "obbligatorio:"
                )
            else:
                text = self.tr(
                    "Bozza (tutto ciò che scrivi viene comunque salvato): mancano %1 dati "
                    "obbligatori:"
                ).replace("%1", str(missing))
            self.summary.setText(text)
            names = ", ".join(self._field_title(f) for f in missing_fields)
            self.summary.setAccessibleName(f"{text} {names}")
            set_severity(self.summary, "warning")
            self.show()
        else:
            self.summary.clear()
            self.hide()

    def _show_missing(self, fields: list[str]) -> None:
        """One button per mandatory field still empty (rebuilt only when the list changes)."""
        if list(self.missing_buttons) == fields:
            return
        for button in self.missing_buttons.values():
            self.missing_row.removeWidget(button)
            button.deleteLater()
        self.missing_buttons = {}
        for position, field in enumerate(fields):
            title = self._field_title(field)
            last = position == len(fields) - 1
            button = QPushButton(title + ("" if last else ","))
            button.setFlat(True)
            button.setObjectName("missingField")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(self.tr("Vai al campo %1").replace("%1", title))
            button.setToolTip(self.tr("Vai al campo %1").replace("%1", title))
            font = button.font()
            font.setUnderline(True)
            button.setFont(font)
            button.clicked.connect(lambda _c=False, f=field: self.field_requested.emit(f))
            self.missing_row.addWidget(button)
            self.missing_buttons[field] = button
        # One line with the names beside it; a sentence alone wraps over the whole width.
        self.summary.setWordWrap(not fields)
        self._layout.setStretchFactor(self.summary, 0 if fields else 1)
