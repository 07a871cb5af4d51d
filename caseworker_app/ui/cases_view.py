"""The list of case files: search as you type, sort by column, scroll through thousands."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.casefile import CaseStatusFilter
from caseworker_app.domain.roles import Permission
from caseworker_app.ui.case_list_model import CaseListModel
from caseworker_app.ui.duplicates_dialog import DuplicateCasesDialog
from caseworker_app.ui.formats import format_count
from caseworker_app.ui.session import Session

SEARCH_DEBOUNCE_MS = 150


class CaseTableView(QTableView):
    """Enter (and double-click) opens the selected case."""

    row_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doubleClicked.connect(lambda index: self.row_activated.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.row_activated.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class CasesView(QWidget):
    case_requested = Signal(str)
    new_case_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CaseListModel(session.workspace, session.tasks, self)
        self._started = False
        self._stale = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.on_search_timeout)
        self._build()
        self.model.count_changed.connect(self.on_count_changed)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Cerca per cognome, nome o codice fiscale"))
        self.search.setAccessibleName(self.tr("Cerca cartelle"))
        self.search.setClearButtonEnabled(True)
        for button in self.search.findChildren(QToolButton):  # Qt's clear button
            button.setAccessibleName(self.tr("Cancella la ricerca"))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.on_search_timeout)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Mostra le cartelle"))
        self.status_filter.setToolTip(self.tr("Cartelle aperte, chiuse (archiviate) o tutte"))
        for text, status in (
            (self.tr("Aperte"), CaseStatusFilter.OPEN),
            (self.tr("Chiuse"), CaseStatusFilter.CLOSED),
            (self.tr("Tutte"), CaseStatusFilter.ALL),
        ):
            self.status_filter.addItem(text, status.value)
        self.status_filter.setCurrentIndex(0)  # aperte
        self.status_filter.currentIndexChanged.connect(self.on_status_filter_changed)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Numero di cartelle trovate"))
        self.count_label.setMinimumWidth(140)
        self.new_button = QPushButton(self.tr("Nuova cartella"))
        self.new_button.setAccessibleName(self.tr("Nuova cartella"))
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.setToolTip(self.tr("Apri una nuova cartella sociale (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_case_requested.emit)
        self.duplicates_button = QPushButton(self.tr("Cartelle duplicate…"))
        self.duplicates_button.setAccessibleName(self.tr("Cartelle duplicate"))
        self.duplicates_button.setToolTip(
            self.tr("Trova le cartelle con lo stesso codice fiscale e uniscile")
        )
        self.duplicates_button.clicked.connect(self.on_duplicates_clicked)
        # Merging is the administrator's.
        self.duplicates_button.setVisible(
            self.session.workspace.actor.can(Permission.MANAGE_OPERATORS)
        )
        self.duplicates_dialog: DuplicateCasesDialog | None = None
        top.addWidget(self.search, 1)
        shown = QLabel(self.tr("Mostra"))
        shown.setBuddy(self.status_filter)
        top.addWidget(shown)
        top.addWidget(self.status_filter)
        top.addWidget(self.count_label)
        top.addWidget(self.duplicates_button)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.table = CaseTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Elenco delle cartelle"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((180, 150, 170, 120, 190)):
            header.resizeSection(column, width)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.on_sort_changed)
        self.table.row_activated.connect(self.on_row_activated)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.search, self.table)

    # -- activation ------------------------------------------------------------------------

    def activate(self) -> None:
        """Called when the view is shown: first load, or reload after edits elsewhere."""
        if not self._started or self._stale:
            self._started = True
            self._stale = False
            self.model.reload()

    def mark_stale(self) -> None:
        self._stale = True

    # -- slots -----------------------------------------------------------------------------

    def on_search_timeout(self) -> None:
        self._debounce.stop()
        self._started = True
        self.model.set_search(self.search.text())

    def on_status_filter_changed(self, _index: int) -> None:
        self._started = True
        self.model.set_status(CaseStatusFilter(self.status_filter.currentData()))

    def on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)

    def on_count_changed(self, total: int) -> None:
        if total < 0:
            self.count_label.setText(self.tr("Ricerca…"))
        elif total == 0:
            self.count_label.setText(self.tr("Nessuna cartella"))
        elif total == 1:
            self.count_label.setText(self.tr("1 cartella"))
        else:
            self.count_label.setText(self.tr("%1 cartelle").replace("%1", format_count(total)))

    def on_duplicates_clicked(self) -> None:
        dialog = DuplicateCasesDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.cases_merged.connect(self.on_cases_merged)
        self.duplicates_dialog = dialog
        dialog.open()

    def on_cases_merged(self) -> None:
        self._started = True
        self._stale = False
        self.model.reload()

    def on_row_activated(self, row: int) -> None:
        case_id = self.model.case_id_at(row)
        if case_id is not None:
            self.case_requested.emit(case_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.table.setFocus()
            if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
                self.table.selectRow(0)
            return
        super().keyPressEvent(event)
