"""A calendar button inside every date field: it opens a month calendar, and the chosen day is
written in the field as gg/mm/aaaa, exactly as if the operator had typed it.

The button is a trailing action of the line edit (a small tool button drawn by Qt), so a date
field stays a ``QLineEdit`` wherever it is placed. Alt+Freccia giù opens it from the keyboard;
in the calendar Invio chooses the day and Esc closes it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from caseworker_app.ui.formats import format_date, parse_date

CALENDAR_ACTION = "calendar"


def _icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#33518a"), 1.2))
    painter.drawRect(QRect(1, 3, 13, 11))
    painter.fillRect(QRect(1, 3, 14, 3), QColor("#33518a"))
    for x in (4, 8, 12):
        for y in (8, 11):
            painter.drawPoint(x, y)
    painter.drawLine(4, 1, 4, 3)
    painter.drawLine(11, 1, 11, 3)
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QCalendarWidget):
    """The month calendar shown under a date field."""

    def __init__(self, line: QLineEdit) -> None:
        super().__init__(line)
        self.setWindowFlags(Qt.WindowType.Popup)
        self.line = line
        self.setGridVisible(True)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setAccessibleName(self.tr("Calendario: scegli il giorno"))
        self.activated.connect(self.choose)
        self.clicked.connect(self.choose)

    def open(self, birth: bool) -> None:
        try:
            day = parse_date(self.line.text(), birth=birth)
        except ValueError:
            day = None
        chosen = day or date.today()
        self.setSelectedDate(QDate(chosen.year, chosen.month, chosen.day))
        self.move(self.line.mapToGlobal(QPoint(0, self.line.height())))
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def choose(self, day: QDate) -> None:
        text = format_date(date(day.year(), day.month(), day.day()))
        self.hide()
        if self.line.isReadOnly():
            return
        self.line.setText(text)
        self.line.textEdited.emit(text)  # chosen = typed: the form reacts as to a keystroke
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)


def add_calendar_button(line: QLineEdit, *, birth: bool = False) -> QAction:
    """Put the calendar button in ``line`` (a date field); returns its action."""
    action = line.addAction(_icon(), QLineEdit.ActionPosition.TrailingPosition)
    action.setObjectName(CALENDAR_ACTION)
    action.setText(line.tr("Scegli dal calendario"))
    action.setToolTip(line.tr("Scegli la data dal calendario (Alt+Freccia giù)"))
    action.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Down))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    popup: list[CalendarPopup] = []

    def show_calendar() -> None:
        if line.isReadOnly() or not line.isEnabled():
            return
        if not popup:
            popup.append(CalendarPopup(line))
        popup[0].open(birth)

    action.triggered.connect(show_calendar)
    return action


def calendar_of(line: QWidget) -> CalendarPopup | None:
    """The calendar of a date field, once opened (for tests and accessibility checks)."""
    return line.findChild(CalendarPopup)
