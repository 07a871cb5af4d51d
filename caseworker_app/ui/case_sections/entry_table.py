"""The list of a section's entries: one row selected at a time, Del deletes, Enter edits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTableView

from caseworker_app.ui.tables import read_only_table


def entry_table(
    model: QAbstractItemModel,
    *,
    accessible_name: str,
    on_delete: Callable[[], None],
    on_enter: Callable[[], None],
) -> QTableView:
    table = read_only_table(model, accessible_name=accessible_name, single_selection=True)
    keys = ((Qt.Key.Key_Delete, on_delete), (Qt.Key.Key_Return, on_enter),
            (Qt.Key.Key_Enter, on_enter))  # fmt: skip
    for key, action in keys:
        shortcut = QShortcut(QKeySequence(key), table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(action)
    return table
