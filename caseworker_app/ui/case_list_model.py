"""The case list as a lazily fetched table: pages of 200 rows loaded on the worker.

A new search or sort bumps a generation counter; page and count results of an older generation
are dropped when they arrive, so a slow page can never mix old rows into a new search.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from caseworker_app.domain import comuni
from caseworker_app.domain.casefile import CaseListRow, CaseSort, CaseStatusFilter, ClosureReason
from caseworker_app.domain.ids import CaseId
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import cases
from caseworker_app.ui.errors import report_error
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.tasks import TaskRunner

PAGE_SIZE = 200

_HEADERS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("CaseListModel", "Cognome")),
    str(QT_TRANSLATE_NOOP("CaseListModel", "Nome")),
    str(QT_TRANSLATE_NOOP("CaseListModel", "Codice fiscale")),
    str(QT_TRANSLATE_NOOP("CaseListModel", "Data di nascita")),
    str(QT_TRANSLATE_NOOP("CaseListModel", "Comune di residenza")),
    str(QT_TRANSLATE_NOOP("CaseListModel", "Stato")),
)
_SORT_OF_COLUMN = (
    CaseSort.NAME,
    CaseSort.NAME,
    CaseSort.CODICE_FISCALE,
    CaseSort.BIRTH_DATE,
    CaseSort.COMUNE,
    CaseSort.STATUS,
)
#: the column of the status ("Aperta" / "Chiusa il ... – motivo")
STATUS_COLUMN = 5

CLOSURE_REASON_LABELS: dict[str, str] = {
    ClosureReason.DECEDUTO.value: str(QT_TRANSLATE_NOOP("ClosureReason", "deceduto")),
    ClosureReason.TRASFERITO.value: str(QT_TRANSLATE_NOOP("ClosureReason", "trasferito")),
    ClosureReason.NON_SEGUITO.value: str(QT_TRANSLATE_NOOP("ClosureReason", "non più seguito")),
}


def closure_reason_label(reason: str) -> str:
    label = CLOSURE_REASON_LABELS.get(reason)
    return QCoreApplication.translate("ClosureReason", label) if label else reason


def status_text(closed_on: date | None, reason: str) -> str:
    """The status column: either "Aperta" or "Chiusa il 20/11/2026 – deceduto"."""
    if closed_on is None:
        return QCoreApplication.translate("CaseListModel", "Aperta")
    return (
        QCoreApplication.translate("CaseListModel", "Chiusa il %1 – %2")
        .replace("%1", format_date(closed_on))
        .replace("%2", closure_reason_label(reason))
    )


Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CaseRow:
    """A case list row ready for display (built on the worker)."""

    case_id: CaseId
    cells: tuple[str, str, str, str, str, str]
    closed: bool = False


def _comune_name(code: str) -> str:
    if not code:
        return ""
    found = comuni.comune_by_code(code)
    return found.name if found is not None else code


def to_display(row: CaseListRow) -> CaseRow:
    return CaseRow(
        row.case_id,
        (
            row.surname,
            row.given_name,
            row.codice_fiscale,
            format_date(row.birth_date),
            _comune_name(row.residence_comune),
            status_text(row.closed_on, row.closed_reason),
        ),
        row.closed_on is not None,
    )


class CaseListModel(QAbstractTableModel):
    #: the total number of cases matching the search (``-1`` while counting)
    count_changed = Signal(int)
    #: a search or a page finished loading
    loading_finished = Signal()

    def __init__(
        self, workspace: Workspace, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = tasks
        self.rows: list[CaseRow] = []
        self.text = ""
        self.sort_key = CaseSort.NAME
        self.descending = False
        # Open case files by default: the closed ones are archived, one filter away.
        self.status = CaseStatusFilter.OPEN
        self.total = -1
        self._generation = 0
        self._loading = False
        self._exhausted = True

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()].cells[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].case_id
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == STATUS_COLUMN
            and self.rows[index.row()].closed
        ):
            return QBrush(QColor("#8a5a00"))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("CaseListModel", _HEADERS[section])
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted or self._loading:
            return
        self._load_page()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = _SORT_OF_COLUMN[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # -- queries ---------------------------------------------------------------------------

    def case_id_at(self, row: int) -> CaseId | None:
        return self.rows[row].case_id if 0 <= row < len(self.rows) else None

    def is_loading(self) -> bool:
        return self._loading

    def set_search(self, text: str) -> None:
        if text.strip() == self.text and self.total >= 0:
            return
        self.text = text.strip()
        self.reload()

    def set_status(self, status: CaseStatusFilter) -> None:
        """Show all, the open or the closed case files."""
        if status is self.status and self.total >= 0:
            return
        self.status = status
        self.reload()

    def reload(self) -> None:
        """Start over: new generation, empty rows, count and first page on the worker."""
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self.total = -1
        self.count_changed.emit(-1)
        generation, text, status = self._generation, self.text, self.status
        workspace = self.workspace
        self.tasks.run(
            lambda: cases.count_cases(
                workspace.uow_factory(), actor=workspace.actor, text=text, status=status
            ),
            on_done=lambda total: self._on_count(generation, total),
            owner=self,
        )
        self._load_page()

    def _load_page(self) -> None:
        self._loading = True
        generation = self._generation
        workspace, text, sort_key, descending, status = (
            self.workspace,
            self.text,
            self.sort_key,
            self.descending,
            self.status,
        )
        offset = len(self.rows)

        def fetch() -> list[CaseRow]:
            found = cases.search_cases(
                workspace.uow_factory(),
                actor=workspace.actor,
                text=text,
                sort=sort_key,
                descending=descending,
                offset=offset,
                limit=PAGE_SIZE,
                status=status,
            )
            return [to_display(row) for row in found]

        self.tasks.run(
            fetch,
            on_done=lambda page: self._on_page(generation, page),
            on_error=lambda exc: self._on_page_failed(generation, exc),
            owner=self,
        )

    def _on_count(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.total = total
        self.count_changed.emit(total)

    def _on_page(self, generation: int, page: list[CaseRow]) -> None:
        if generation != self._generation:
            return  # a stale answer to an older search
        self._loading = False
        self._exhausted = len(page) < PAGE_SIZE
        if page:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()
        self.loading_finished.emit()

    def _on_page_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._exhausted = True
        report_error(None, exc)
