"""An editable table of rows (objectives, interventions, budget, signatories...) with typed
columns: text, date (gg/mm/aaaa), amount (1.234,56), a choice among codes, a check box.

Values go in and out as plain Python (``str``, ``date``, ``Decimal``, ``bool``); a cell whose
text is not a valid date or amount is marked (red, with a tooltip saying why) and read as empty,
and its text is kept as typed (``typed_rows``, given back to ``load``), so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.ui.formats import value_message
from caseworker_app.ui.pi_editor.values import (
    format_money,
    parse_day,
    parse_money,
    show_day,
    tr,
)
from caseworker_app.ui.screen_fit import show_entries_in_full

Value = str | date | Decimal | bool | None
INVALID = QColor("#fde2e1")
_T = QAbstractItemView.EditTrigger
EDIT_TRIGGERS = _T.DoubleClicked | _T.EditKeyPressed | _T.AnyKeyPressed | _T.SelectedClicked


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | date | money | choice | check | output
    choices: Mapping[str, str] | None = None  # code -> label (choice)
    width: int = 0  # 0: stretch
    check_text: str = ""  # the text beside a check box


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of codes (shown by label) for a choice column."""

    def __init__(self, choices: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = dict(choices)

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        for code, label in self.choices.items():
            combo.addItem(label, code)
        show_entries_in_full(combo, min_chars=12)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        at = editor.findData(index.data(Qt.ItemDataRole.UserRole))
        editor.setCurrentIndex(max(at, 0))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.UserRole)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class RowsTable(QWidget):
    edited = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        name: str,
        fixed_rows: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._loading = False
        self._read_only = False
        self.table = QTableWidget(0, len(self.columns))
        self.table.setAccessibleName(name)
        self.table.setHorizontalHeaderLabels([c.label for c in self.columns])
        self.table.setTabKeyNavigation(True)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for index, column in enumerate(self.columns):
            if column.kind == "choice":
                delegate = ChoiceDelegate(column.choices or {}, self.table)
                self.table.setItemDelegateForColumn(index, delegate)
            if column.width:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
                self.table.setColumnWidth(index, column.width)
            else:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self.on_item_changed)
        header.sectionResized.connect(lambda *_args: self._fit())  # narrower: rows wrap taller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.add_button = QPushButton(tr("Aggiungi riga"))
        self.add_button.setAccessibleName(tr("Aggiungi riga a: %1").replace("%1", name))
        self.remove_button = QPushButton(tr("Togli la riga selezionata"))
        self.remove_button.setAccessibleName(tr("Togli riga da: %1").replace("%1", name))
        self.add_button.clicked.connect(self.on_add_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        if not fixed_rows:
            layout.addLayout(buttons)
        self._fit()

    # -- rows --------------------------------------------------------------------------------

    def load(
        self,
        rows: Sequence[Mapping[str, Value]],
        typed: Sequence[Mapping[str, str]] = (),
    ) -> None:
        """Show ``rows``; ``typed[r]`` holds the texts of row ``r`` kept as typed (column key ->
        text), shown, marked, in place of their empty value."""
        self._loading = True
        self.table.setRowCount(0)
        for r, row in enumerate(rows):
            self._append(row, typed[r] if r < len(typed) else {})
        self._loading = False
        self._fit()

    def typed_rows(self) -> list[dict[str, str]]:
        """Per row, the text of each date or amount cell that cannot be read (key -> text)."""
        return [self.typed(r) for r in range(self.table.rowCount())]

    def typed(self, r: int) -> dict[str, str]:
        kept = {}
        for i, column in enumerate(self.columns):
            item = self.table.item(r, i)
            if item is None or column.kind not in ("date", "money") or not item.text().strip():
                continue
            if self._value(r, i, column) is None:
                kept[column.key] = item.text()
        return kept

    def rows(self) -> list[dict[str, Value]]:
        return [self.row(r) for r in range(self.table.rowCount())]

    def row(self, r: int) -> dict[str, Value]:
        return {
            c.key: self._value(r, i, c) for i, c in enumerate(self.columns) if c.kind != "output"
        }

    def cell(self, r: int, key: str) -> QTableWidgetItem:
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        item = self.table.item(r, index)
        assert item is not None
        return item

    def set_output(self, r: int, key: str, text: str, *, tip: str = "", colour: str = "") -> None:
        self._loading = True
        item = self.cell(r, key)
        item.setText(text)
        item.setToolTip(tip)
        item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
        self._loading = False
        self._fit()  # a long message wraps: the row grows to show it in full

    def _append(self, row: Mapping[str, Value], typed: Mapping[str, str] | None = None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for i, column in enumerate(self.columns):
            value = row.get(column.key)
            item = QTableWidgetItem()
            if column.kind == "check":
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                item.setText(column.check_text if value else "")
            elif column.kind == "output":
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            elif column.kind == "choice":
                code = value if isinstance(value, str) else ""
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setText((column.choices or {}).get(code, code))
                item.setToolTip(item.text())
            else:
                kept = (typed or {}).get(column.key, "") if value is None else ""
                item.setText(kept or self._show(column, value))
                if kept:
                    self._validate(item, column)
            self.table.setItem(r, i, item)
        self._apply_read_only_row(r)

    def set_choice(self, r: int, key: str, code: str) -> None:
        column = next(c for c in self.columns if c.key == key)
        item = self.cell(r, key)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setText((column.choices or {}).get(code, code))
        item.setToolTip(item.text())

    @staticmethod
    def _show(column: Column, value: Value) -> str:
        if column.kind == "date":
            return show_day(value) if isinstance(value, date) else ""
        if column.kind == "money":
            return format_money(value) if isinstance(value, Decimal) else ""
        return value if isinstance(value, str) else ""

    def _value(self, r: int, i: int, column: Column) -> Value:
        item = self.table.item(r, i)
        if item is None:
            return None
        if column.kind == "check":
            return item.checkState() == Qt.CheckState.Checked
        if column.kind == "choice":
            data = item.data(Qt.ItemDataRole.UserRole)
            return data if isinstance(data, str) else ""
        text = item.text()
        if column.kind == "text":
            return text
        try:
            return parse_day(text) if column.kind == "date" else parse_money(text)
        except ValueError:
            return None

    def _validate(self, item: QTableWidgetItem, column: Column | None = None) -> None:
        column = column or self.columns[item.column()]
        if column.kind not in ("date", "money"):
            return
        try:
            if column.kind == "date":
                parse_day(item.text())
            else:
                parse_money(item.text())
        except ValueError as exc:  # the same reader and message as every other form
            item.setBackground(QBrush(INVALID))
            item.setToolTip(value_message(exc, column.label, date_kind=column.kind == "date"))
            return
        item.setBackground(QBrush())
        item.setToolTip("")

    def on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        self._loading = True
        column = self.columns[item.column()]
        if column.kind == "check":  # the word follows the box: "sì" only when ticked
            checked = item.checkState() == Qt.CheckState.Checked
            item.setText(column.check_text if checked else "")
        self._validate(item)
        self._loading = False
        self._fit()
        self.edited.emit()

    def on_add_clicked(self) -> None:
        self._loading = True
        self._append({})
        self._loading = False
        self._fit()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.setFocus()
        self.edited.emit()

    def on_remove_clicked(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        self.table.removeRow(r)
        self._fit()
        self.edited.emit()

    # -- look --------------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if read_only
            else EDIT_TRIGGERS
        )  # fmt: skip
        for r in range(self.table.rowCount()):
            self._apply_read_only_row(r)

    def _apply_read_only_row(self, r: int) -> None:
        for i, column in enumerate(self.columns):
            item = self.table.item(r, i)
            if item is not None and column.kind == "check":
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if not self._read_only:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)

    def _fit(self) -> None:
        """Tall enough for its rows (the page scrolls, not the table)."""
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 6
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(max(height, 60))
