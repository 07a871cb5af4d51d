"""A line edit that finds comuni (and foreign states) by name and stores the Belfiore code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from caseworker_app.domain import comuni
from caseworker_app.domain.text import fold
from caseworker_app.ui.formats import format_date

_BELFIORE = re.compile(r"^[A-Za-z]\d{3}$")
MAX_SUGGESTIONS = 12


def comune_label(entry: comuni.Comune) -> str:
    """ "Abbiategrasso (MI)", "Svizzera (Stato estero)", "Vermezzo (MI, fino al 10/02/2019)"."""
    if entry.is_foreign:
        where = QCoreApplication.translate("ComuneField", "Stato estero")
    elif entry.valid_to is not None:
        where = (
            QCoreApplication.translate("ComuneField", "%1, fino al %2")
            .replace("%1", entry.province)
            .replace("%2", format_date(entry.valid_to))
        )
    else:
        where = entry.province
    return f"{entry.name} ({where})"


def label_for_code(code: str) -> str:
    entry = comuni.comune_by_code(code) if code else None
    return comune_label(entry) if entry is not None else code


class ComuneField(QLineEdit):
    """Shows the name, keeps the code. ``historic`` searches comuni that no longer exist too
    (birthplaces); otherwise only those in force today (residence, domicile)."""

    #: the operator typed or picked something (the code may now be "" or a new one)
    edited = Signal()

    def __init__(
        self, *, historic: bool, today: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.historic = historic
        self.today = today
        self._code = ""
        self._choices: dict[str, str] = {}
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(MAX_SUGGESTIONS)
        completer.activated.connect(self.on_suggestion_activated)
        self.setCompleter(completer)
        self.setPlaceholderText(self.tr("scrivi il nome e scegli dall'elenco"))
        self.textEdited.connect(self.on_text_edited)
        self.editingFinished.connect(self.on_editing_finished)

    def code(self) -> str:
        return self._code

    def set_code(self, code: str) -> None:
        """Show ``code`` by name (programmatic: does not emit ``edited``)."""
        self._code = code.strip().upper()
        self.setText(label_for_code(self._code))

    def is_unresolved(self) -> bool:
        """Text typed that is not a comune chosen from the list."""
        return bool(self.text().strip()) and not self._code

    def on_text_edited(self, text: str) -> None:
        self._code = self._choices.get(text, "")
        if len(fold(text)) >= 2:
            on = None if self.historic else self.today()
            found = comuni.search_comuni(text, on=on, limit=MAX_SUGGESTIONS)
            labels = [comune_label(c) for c in found]
            self._choices = {}
            for entry, label in zip(found, labels, strict=True):
                shown = label if labels.count(label) == 1 else f"{label} – {entry.code}"
                self._choices[shown] = entry.code
            self._suggestions.setStringList(list(self._choices))
            if self._choices and self.hasFocus():
                completer = self.completer()
                completer.setCompletionPrefix("")
                completer.complete()
        else:
            self._suggestions.setStringList([])
        self.edited.emit()

    def on_suggestion_activated(self, label: str) -> None:
        code = self._choices.get(label)
        if code is not None:
            self._code = code
            self.setText(label)
            self.edited.emit()

    def on_editing_finished(self) -> None:
        """Accept an exact name or a Belfiore code typed without using the list."""
        text = self.text().strip()
        if self._code or not text:
            return
        code = self._resolve(text)
        if code:
            self.set_code(code)
            self.edited.emit()

    def _resolve(self, text: str) -> str:
        if text in self._choices:
            return self._choices[text]
        if _BELFIORE.match(text) and comuni.is_known_code(text):
            return text.upper()
        on = None if self.historic else self.today()
        found = comuni.search_comuni(text, on=on, limit=2)
        exact = [c for c in found if fold(c.name) == fold(text)]
        return exact[0].code if len(exact) == 1 else ""
