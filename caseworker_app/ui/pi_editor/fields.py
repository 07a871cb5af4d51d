"""Small form pieces shared by the PI sections: a section box, date and amount fields.

A date or amount that cannot be read is marked red with the reason and kept as typed: ``typed``
gives its text, ``set_value(..., kept)`` shows it back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from caseworker_app.domain.pi import PiContent
from caseworker_app.ui.date_picker import add_calendar_button
from caseworker_app.ui.formats import value_message
from caseworker_app.ui.pi_editor.values import (
    format_money,
    parse_day,
    parse_money,
    show_day,
    tr,
)
from caseworker_app.ui.theme import set_severity


class Section(QGroupBox):
    """One numbered section of the PI: loads its part of the content and writes it back."""

    edited = Signal()
    key = ""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

    def load(self, content: PiContent) -> None:
        raise NotImplementedError

    def apply(self, content: PiContent) -> PiContent:
        """``content`` with this section replaced by what the form shows."""
        return content

    def set_read_only(self, read_only: bool) -> None:
        for child in self.findChildren(QLineEdit):
            child.setReadOnly(read_only or child.property("always_read_only") is True)
        for text in self.findChildren(QPlainTextEdit):
            text.setReadOnly(read_only)

    def line(self, label: str, *, read_only: bool = False) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(label)
        if read_only:
            field.setReadOnly(True)
            field.setProperty("always_read_only", True)
        else:
            field.textEdited.connect(self.edited)
        self.form.addRow(label, field)
        return field

    def text(self, label: str, *, lines: int = 3) -> QPlainTextEdit:
        field = QPlainTextEdit()
        field.setAccessibleName(label)
        field.setTabChangesFocus(True)
        field.setFixedHeight(22 * lines + 12)
        field.textChanged.connect(self.on_text_changed)
        self.form.addRow(label, field)
        return field

    def on_text_changed(self) -> None:
        if not self.signalsBlocked():
            self.edited.emit()


class DateField(QLineEdit):
    """gg/mm/aaaa, with a calendar button; a wrong date turns the field red, says why, reads as
    empty and is kept as typed."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        self.setPlaceholderText(tr("gg/mm/aaaa"))
        self.setMaximumWidth(160)
        self.textChanged.connect(self._check)
        self.calendar = add_calendar_button(self)

    @staticmethod
    def parse(text: str) -> date | None:
        return parse_day(text)

    def value(self) -> date | None:
        try:
            return parse_day(self.text())
        except ValueError:
            return None

    def typed(self) -> str:
        """The text when it is not a date (to keep as typed), else empty."""
        return self.text() if self.text().strip() and self.value() is None else ""

    def set_value(self, day: date | None, kept: str = "") -> None:
        """Show ``day``, or the text ``kept`` as typed when there is no day."""
        self.setText(kept if day is None and kept else show_day(day))

    def _check(self) -> None:
        try:
            parse_day(self.text())
        except ValueError as exc:
            mark(self, value_message(exc, self.accessibleName(), date_kind=True))
            return
        mark(self, "")


def kept_as_typed(fields: dict[str, DateField | MoneyField]) -> dict[str, str]:
    """The texts of ``fields`` (content field -> widget) that cannot be read, to keep."""
    return {key: text for key, widget in fields.items() if (text := widget.typed())}


def mark(field: QLineEdit, message: str) -> None:
    """Red with the message (tooltip and accessible description), or clear."""
    if message or field.property("severity"):
        set_severity(field, "error" if message else "")
    field.setToolTip(message)
    field.setAccessibleDescription(message)


class MoneyField(QLineEdit):
    """1.234,56; an amount that cannot be read turns the field red, says why, reads as empty and
    is kept as typed."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        self.setPlaceholderText(tr("0,00"))
        self.setMaximumWidth(160)
        self.textChanged.connect(self._check)

    def _check(self) -> None:
        try:
            parse_money(self.text())
        except ValueError as exc:
            mark(self, value_message(exc, self.accessibleName(), date_kind=False))
            return
        mark(self, "")

    def value(self) -> Decimal | None:
        try:
            return parse_money(self.text())
        except ValueError:
            return None

    def typed(self) -> str:
        """The text when it is not an amount (to keep as typed), else empty."""
        return self.text() if self.text().strip() and self.value() is None else ""

    def set_value(self, amount: Decimal | None, kept: str = "") -> None:
        """Show ``amount``, or the text ``kept`` as typed when there is no amount."""
        self.setText(kept if amount is None and kept else format_money(amount))
