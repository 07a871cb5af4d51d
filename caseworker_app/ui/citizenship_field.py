"""An editable combo of the states (Italian names) that keeps the ISO 3166-1 alpha-2 code.

The operator opens the list or types part of the name ("maro" → Marocco; the two-letter code
works too) and picks one. Text that names no state is "not chosen" (the form says so).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from caseworker_app.domain.countries import countries
from caseworker_app.domain.text import fold


class CitizenshipField(QComboBox):
    #: the operator typed or picked something (the code may now be "" or a new one)
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItem("", "")
        for country in countries():
            self.addItem(country.name, country.code)
        self._by_name = {fold(c.name): c.code for c in countries()}
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None  # editable
        line.setPlaceholderText(self.tr("non indicata: scegli dall'elenco"))
        line.textEdited.connect(lambda _t: self.edited.emit())
        self.activated.connect(lambda _i: self.edited.emit())
        completer.activated.connect(lambda _t: self.edited.emit())

    def code(self) -> str:
        """The code of the state shown ("" when blank or not a state of the list)."""
        text = self.currentText().strip()
        if not text:
            return ""
        found = self._by_name.get(fold(text))
        if found is not None:
            return found
        # A two-letter code typed (or an old stored one): kept, the domain judges it.
        return text.upper() if len(text) == 2 and text.isascii() and text.isalpha() else ""

    def set_code(self, code: str) -> None:
        """Show the state ``code`` by name (programmatic: does not emit ``edited``); an unknown
        code is shown as it is, so that the form can say what is wrong with it."""
        value = code.strip().upper()
        index = self.findData(value) if value else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(0)
            self.setEditText(value)

    def is_unresolved(self) -> bool:
        """Text typed that names no state of the list."""
        return bool(self.currentText().strip()) and not self.code()
