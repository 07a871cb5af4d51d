"""A small form of labelled fields with a message line under each (errors red, warnings amber).

Fields flow in two columns inside titled groups; the tab order follows the order they are
added. ``edited`` is emitted only for the operator's changes, never while the program fills
the form. Findings on fields the operator has not visited yet (a new entry) are not shown, and
findings that only mean "not finished yet" wait until the operator leaves the field.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import values
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.ui.date_picker import add_calendar_button
from caseworker_app.ui.field_messages import show_messages, worst_per_field
from caseworker_app.ui.formats import format_date, parse_date, value_issue

DATE_WIDTH = 150
#: the findings of text that could not be read: they wait until the operator leaves the field
UNREAD_CODES = frozenset({
    values.DATE_INVALID, values.DATE_NOT_A_DAY, values.DATE_AMBIGUOUS_YEAR,
    values.AMOUNT_INVALID, values.AMOUNT_AMBIGUOUS, values.AMOUNT_NEGATIVE,
    values.AMOUNT_DECIMALS, values.KEPT_AS_TYPED,
})  # fmt: skip


class FieldForm(QWidget):
    #: the operator changed a field (its name)
    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.wait_while_typing: set[str] = set()  # issue codes
        self.reveals: dict[str, set[str]] = {}  # editing a field shows the findings of others
        self._issues: list[Issue] = []
        self._chain: list[QWidget] = []
        self._filling = False
        self.read_only = False
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._grid: QGridLayout | None = None
        self._row = 0
        self._column = 0

    # -- construction ----------------------------------------------------------------------

    def group(self, title: str) -> QGroupBox:
        """Start a titled group; the next fields go into it."""
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._outer.addWidget(box)
        self._grid, self._row, self._column = grid, 0, 0
        return box

    def finish(self) -> None:
        """Close the form: the tab order of all fields."""
        for first, second in itertools.pairwise(self._chain):
            QWidget.setTabOrder(first, second)

    def _place(self, field: str, label: str, widget: QWidget, *, wide: bool, width: int) -> None:
        if self._grid is None:
            self.group("")
        grid = self._grid
        assert grid is not None
        if wide and self._column:
            self._row, self._column = self._row + 2, 0
        widget.setObjectName(field)
        widget.setAccessibleName(label)
        widget.installEventFilter(self)
        message = QLabel()
        message.setWordWrap(True)
        message.hide()
        column = self._column * 2
        span = 3 if wide else 1
        if isinstance(widget, QCheckBox):
            grid.addWidget(widget, self._row, column + 1, 1, span)
        else:
            caption = QLabel(label + ":")
            caption.setBuddy(widget)
            tall = isinstance(widget, QPlainTextEdit)
            align = Qt.AlignmentFlag.AlignTop if tall else Qt.AlignmentFlag.AlignVCenter
            grid.addWidget(caption, self._row, column, align)
            if width:
                widget.setMaximumWidth(width)
                grid.addWidget(widget, self._row, column + 1, 1, span, Qt.AlignmentFlag.AlignLeft)
            else:
                grid.addWidget(widget, self._row, column + 1, 1, span)
        grid.addWidget(message, self._row + 1, column + 1, 1, span)
        self.inputs[field], self.messages[field] = widget, message
        self._chain.append(widget)
        if wide or self._column:
            self._row, self._column = self._row + 2, 0
        else:
            self._column = 1

    def add_line(
        self, field: str, label: str, *, placeholder: str = "", max_length: int = 0,
        width: int = 0, wide: bool = False,
    ) -> QLineEdit:  # fmt: skip
        line = QLineEdit()
        if placeholder:
            line.setPlaceholderText(placeholder)
        if max_length:
            line.setMaxLength(max_length)
        line.textEdited.connect(lambda _t: self._on_edited(field))
        self._place(field, label, line, wide=wide, width=width)
        return line

    def add_date(self, field: str, label: str) -> QLineEdit:
        """A date field with its calendar button (the chosen day counts as typed)."""
        line = self.add_line(field, label, placeholder=self.tr("gg/mm/aaaa"), max_length=10,
                             width=DATE_WIDTH)  # fmt: skip
        add_calendar_button(line)
        return line

    def add_combo(
        self, field: str, label: str, items: Iterable[tuple[str, str]], *, empty: bool = True,
        wide: bool = False,
    ) -> QComboBox:  # fmt: skip
        combo = QComboBox()
        if empty:
            combo.addItem(self.tr("—"), "")
        for value, text in items:
            combo.addItem(text, value)
        combo.activated.connect(lambda _i: self._on_edited(field))
        self._place(field, label, combo, wide=wide, width=0)
        return combo

    def add_check(self, field: str, label: str) -> QCheckBox:
        check = QCheckBox(label)
        check.clicked.connect(lambda _c: self._on_edited(field))
        self._place(field, label, check, wide=False, width=0)
        return check

    def add_text(self, field: str, label: str) -> QPlainTextEdit:
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setMinimumHeight(140)
        text.textChanged.connect(lambda: None if self._filling else self._on_edited(field))
        self._place(field, label, text, wide=True, width=0)
        return text

    # -- values ----------------------------------------------------------------------------

    def text(self, field: str) -> str:
        widget = self.inputs[field]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def set_text(self, field: str, value: str) -> None:
        widget = self.inputs[field]
        if isinstance(widget, QPlainTextEdit):
            if widget.toPlainText() != value:
                widget.setPlainText(value)
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(value)

    def combo(self, field: str) -> QComboBox:
        widget = self.inputs[field]
        assert isinstance(widget, QComboBox)
        return widget

    def value(self, field: str) -> str:
        return str(self.combo(field).currentData() or "")

    def set_value(self, field: str, value: str) -> None:
        combo = self.combo(field)
        index = combo.findData(value)
        if index < 0 and value:  # a code this version does not know: keep it visible
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(0, index))

    def checked(self, field: str) -> bool:
        widget = self.inputs[field]
        assert isinstance(widget, QCheckBox)
        return widget.isChecked()

    def set_checked(self, field: str, value: bool) -> None:
        widget = self.inputs[field]
        assert isinstance(widget, QCheckBox)
        widget.setChecked(value)

    def label(self, field: str) -> str:
        return self.inputs[field].accessibleName()

    def date(
        self, field: str, issues: list[Issue], typed: dict[str, str] | None = None
    ) -> dt.date | None:
        """The date typed in ``field``; a malformed one adds a finding (naming the field and
        why) and gives None, and its text goes in ``typed`` so that it is kept as typed."""
        text = self.text(field)
        try:
            return parse_date(text)
        except ValueError as exc:
            issues.append(value_issue(field, exc, self.label(field), date_kind=True))
            if typed is not None:
                typed[field] = text
            return None

    def amount(
        self, field: str, issues: list[Issue], typed: dict[str, str] | None = None
    ) -> Decimal | None:
        """The euro amount typed in ``field``, read as ``date`` reads a date."""
        text = self.text(field)
        try:
            return values.parse_amount(text)
        except ValueError as exc:
            issues.append(value_issue(field, exc, self.label(field), date_kind=False))
            if typed is not None:
                typed[field] = text
            return None

    def set_date(
        self, field: str, value: dt.date | None, typed: Mapping[str, str] | None = None
    ) -> None:
        """Show a date, or the text kept as typed for ``field`` when it could not be read."""
        kept = (typed or {}).get(field)
        self.set_text(field, kept if kept is not None else format_date(value))

    def set_amount(
        self, field: str, value: Decimal | None, typed: Mapping[str, str] | None = None
    ) -> None:
        kept = (typed or {}).get(field)
        shown = "" if value is None else values.format_amount(value)
        self.set_text(field, kept if kept is not None else shown)

    def integer(
        self, field: str, issues: list[Issue], code: str, typed: dict[str, str] | None = None
    ) -> int | None:
        """A whole number typed in ``field``; anything else adds the finding ``code`` and
        gives None, its text going in ``typed`` so that it is kept as typed."""
        text = self.text(field)
        if not text:
            return None
        if not text.isdigit():
            issues.append(Issue(field, Severity.ERROR, code))
            if typed is not None:
                typed[field] = text
            return None
        return int(text)

    def set_read_only(self, read_only: bool) -> None:
        """Fields readable (text can be selected and copied) but not editable, or editable
        again; the calendar buttons follow their field."""
        self.read_only = read_only
        for widget in self.inputs.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            else:  # combos and check boxes have no read-only state
                widget.setEnabled(not read_only)

    def begin_fill(self, *, touched: bool) -> None:
        """Before the program fills the form: no ``edited``; ``touched`` for stored entries."""
        self._filling = True
        self.touched = set(self.inputs) if touched else set()

    def end_fill(self) -> None:
        self._filling = False

    # -- findings --------------------------------------------------------------------------

    def _on_edited(self, field: str) -> None:
        if self._filling:
            return
        self.touched.add(field)
        self.touched |= self.reveals.get(field, set())
        self.edited.emit(field)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(watched, QWidget)
            and watched.objectName() in self.inputs
        ):
            self.touched.add(watched.objectName())
            self.show_issues(self._issues)
        return super().eventFilter(watched, event)

    def show_issues(self, issues: Iterable[Issue]) -> None:
        self._issues = list(issues)

        def wanted(issue: Issue) -> bool:
            widget = self.inputs.get(issue.field)
            if widget is None or issue.field not in self.touched:
                return False
            return not (issue.code in self.wait_while_typing and widget.hasFocus())

        show_messages(worst_per_field(filter(wanted, self._issues)), self.messages, self.inputs)

    def message(self, field: str) -> str:
        """The message shown under ``field`` ("" when none)."""
        label = self.messages[field]
        return label.text() if label.isVisibleTo(self) else ""
