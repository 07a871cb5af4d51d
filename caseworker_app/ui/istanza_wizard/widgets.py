"""Small fields and wording shared by the wizard pages: Italian dates and amounts, statuses."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QWidget

from caseworker_app.domain.rules import labels
from caseworker_app.ui.formats import format_date, parse_date

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")

#: status -> (symbol, word, colour); the word and the symbol carry the meaning, not the colour
_STATUS: dict[str, tuple[str, str, str]] = {
    "ok": ("✔", str(QT_TRANSLATE_NOOP("Eligibility", "Sì")), "#1b6e2e"),
    "ko": ("✖", str(QT_TRANSLATE_NOOP("Eligibility", "No")), "#b3261e"),
    "warning": ("⚠", str(QT_TRANSLATE_NOOP("Eligibility", "Attenzione")), "#7a4b00"),
    "pending": ("…", str(QT_TRANSLATE_NOOP("Eligibility", "In attesa")), "#33518a"),
}

_OUTCOMES: dict[str, tuple[str, str]] = {
    "ammissibile": (str(QT_TRANSLATE_NOOP("Eligibility", "Ammissibile")), "ok"),
    "da_integrare": (str(QT_TRANSLATE_NOOP("Eligibility", "Da integrare")), "warning"),
    "non_ammissibile": (str(QT_TRANSLATE_NOOP("Eligibility", "Non ammissibile")), "error"),
}


def status_parts(status: str) -> tuple[str, str, QColor]:
    symbol, word, colour = _STATUS.get(status, ("•", status, "#4a4f55"))
    return symbol, QCoreApplication.translate("Eligibility", word), QColor(colour)


def outcome_parts(outcome: str) -> tuple[str, str]:
    """The Italian outcome and its severity ("ok", "warning", "error")."""
    word, severity = _OUTCOMES.get(outcome, (outcome, ""))
    return QCoreApplication.translate("Eligibility", word), severity


def document_label(code: str) -> str:
    text = labels.label(labels.DOCUMENTS, code)
    return text[:1].upper() + text[1:]


def isee_label(code: str) -> str:
    return labels.label(labels.ISEE, code)


def parse_euro(text: str) -> Decimal | None:
    """An amount typed the Italian way (1.234,56 or 1234,56; 1234.56 is accepted too)."""
    raw = text.strip().replace("€", "").replace(" ", "")
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(raw):
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value


def amount_text(text: str) -> str:
    """The canonical amount stored in the content ("1234.56"), or the text as typed when it
    is not an amount yet (the engine then reports the line as incomplete)."""
    value = parse_euro(text)
    return f"{value:.2f}" if value is not None else text.strip()


def euro_input(stored: str) -> str:
    """The stored amount shown for editing: 1234,56."""
    try:
        value = Decimal(stored)
    except InvalidOperation:
        return stored
    return f"{value:.2f}".replace(".", ",") if value.is_finite() else stored


class DateField(QLineEdit):
    """A date typed as gg/mm/aaaa; ``date_changed`` fires on each valid (or emptied) edit."""

    date_changed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("gg/mm/aaaa"))
        self.setAccessibleName(accessible_name)
        self.setMinimumWidth(96)
        self.setMaximumWidth(130)
        self.textEdited.connect(self._on_text_edited)

    def value(self) -> date | None:
        try:
            return parse_date(self.text())
        except ValueError:
            return None

    def is_valid(self) -> bool:
        try:
            parse_date(self.text())
        except ValueError:
            return False
        return True

    def set_value(self, day: date | None) -> None:
        self.setText(format_date(day))
        self._mark()

    def set_typed(self, text: str) -> None:
        """Show text kept as it was typed (a date that could not be read), marked."""
        self.setText(text)
        self._mark()

    def _mark(self) -> None:
        invalid = not self.is_valid()
        if bool(self.property("invalid")) != invalid:
            self.setProperty("invalid", invalid)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setAccessibleDescription(
            self.tr("Data non valida: scrivila come gg/mm/aaaa") if invalid else ""
        )

    def _on_text_edited(self, _text: str) -> None:
        self._mark()
        self.date_changed.emit()
