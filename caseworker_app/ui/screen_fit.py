"""Keep top-level windows inside the screen's available area (a 1366×768 laptop with a taskbar).

Call :func:`fit_to_screen` on a window before showing it (or use :func:`show_fitted`): its size
is clamped to the available geometry of its screen, less the window frame, and it is moved
inside. Before the first show the frame is not known yet, so a typical title bar and border are
assumed (:data:`FRAME_ALLOWANCE`).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QComboBox, QWidget

#: room left for the window manager's border and title bar when the frame is not known yet
FRAME_ALLOWANCE = QSize(16, 40)


def _screen_of(widget: QWidget) -> QScreen | None:
    parent = widget.parentWidget()
    anchor = parent.window() if parent is not None else widget
    screen = anchor.screen()
    return screen if screen is not None else QGuiApplication.primaryScreen()


def available_area(widget: QWidget) -> QRect:
    """The available geometry (without taskbars and docks) of the screen showing ``widget``."""
    screen = _screen_of(widget)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def _frame_extra(widget: QWidget) -> QSize:
    frame, inner = widget.frameGeometry(), widget.geometry()
    if widget.isVisible() and frame.size() != inner.size():
        return frame.size() - inner.size()
    return FRAME_ALLOWANCE


def fit_to_screen(widget: QWidget) -> None:
    """Clamp the top-level ``widget`` to its screen's available area and move it inside."""
    area = available_area(widget)
    layout = widget.layout()
    if layout is not None:
        layout.activate()  # the minimum size the contents ask for
    extra = _frame_extra(widget)
    room = QSize(max(area.width() - extra.width(), 1), max(area.height() - extra.height(), 1))
    if widget.minimumWidth() > room.width() or widget.minimumHeight() > room.height():
        widget.setMinimumSize(widget.minimumSize().boundedTo(room))
    size = widget.size().boundedTo(room)
    if size != widget.size():
        widget.resize(size)
    frame = QSize(size.width() + extra.width(), size.height() + extra.height())
    top_left = widget.frameGeometry().topLeft() if widget.isVisible() else widget.pos()
    owner = widget.parentWidget()
    if owner is not None and not widget.isVisible():  # centred on the window that opens it
        centre = owner.window().frameGeometry().center()
        top_left = QPoint(centre.x() - frame.width() // 2, centre.y() - frame.height() // 2)
    x = min(max(top_left.x(), area.left()), area.left() + area.width() - frame.width())
    y = min(max(top_left.y(), area.top()), area.top() + area.height() - frame.height())
    if QPoint(x, y) != top_left or not widget.isVisible():
        widget.move(x, y)


def show_fitted(widget: QWidget, *, maximized: bool = False) -> None:
    """Fit ``widget`` to the screen, then show it (maximised if asked: the size it returns to
    when restored still fits)."""
    fit_to_screen(widget)
    if maximized:
        widget.showMaximized()
    else:
        widget.show()


def show_entries_in_full(combo: QComboBox, *, min_chars: int = 24) -> None:
    """A combo with long entries: it stays narrow (it does not push its window past the
    screen), its list opens as wide as the longest entry, and each entry's tooltip holds it
    in full."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    widest = 0
    metrics = combo.fontMetrics()
    for index in range(combo.count()):
        text = combo.itemText(index)
        combo.setItemData(index, text, Qt.ItemDataRole.ToolTipRole)
        widest = max(widest, metrics.horizontalAdvance(text))
    view = combo.view()
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setMinimumWidth(widest + 2 * metrics.averageCharWidth() + view.frameWidth() * 2 + 24)
