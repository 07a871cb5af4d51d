"""Small fields and wording shared by the wizard pages: Italian dates and amounts, statuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QWidget

from caseworker_app.domain import values
from caseworker_app.domain.rules import labels
from caseworker_app.domain.rules.money import parse_money
from caseworker_app.ui.date_picker import add_calendar_button
from caseworker_app.ui.formats import format_date, parse_date, value_message

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
    """An amount typed the Italian way (the domain's one parser, ``values.parse_amount``);
    None when empty or not an amount."""
    return values.amount_or_none(text)


def amount_text(text: str) -> str:
    """The canonical amount stored in the content ("1234.56"), or the text as typed when it
    is not an amount yet (the engine then reports the line as incomplete)."""
    value = parse_euro(text)
    return f"{value:.2f}" if value is not None else text.strip()


def euro_input(stored: str) -> str:
    """The stored amount shown for editing: 1234,56; text kept as typed (not an amount) is
    shown as it was typed, never rounded or rewritten."""
    value = parse_money(stored)
    return f"{value:.2f}".replace(".", ",") if value is not None else stored


class DateField(QLineEdit):
    """A date typed as gg/mm/aaaa; ``date_changed`` fires on each valid (or emptied) edit."""

    date_changed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("gg/mm/aaaa"))
        self.setAccessibleName(accessible_name)
        self.setMinimumWidth(96)
        self.setMaximumWidth(150)
        self.textEdited.connect(self._on_text_edited)
        self.calendar = add_calendar_button(self)

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
        try:
            parse_date(self.text())
        except ValueError as exc:
            message = value_message(exc, self.accessibleName(), date_kind=True)
        else:
            message = ""
        invalid = bool(message)
        if bool(self.property("invalid")) != invalid:
            self.setProperty("invalid", invalid)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setAccessibleDescription(message)
        self.setToolTip(message)

    def _on_text_edited(self, _text: str) -> None:
        self._mark()
        self.date_changed.emit()
