"""The assessment history of a case: every sheet, a small chart of totals, "Cosa è cambiato".

Sheets are read and scored on the worker (each with its own definition version). The chart is
drawn with QPainter (the installed PySide6 has no QtCharts): one small panel per scale, the
closed sheets' totals over time on the scale's own range. "Cosa è cambiato" compares, per scale,
the latest closed sheet with the one before it. Operators without ``READ_HEALTH`` never load it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.scales import ValueKind
from caseworker_app.services import assessments
from caseworker_app.services.assessments import (
    Answer,
    AnswerKind,
    ScaleChange,
    SheetSummary,
    headline_class,
    headline_total,
)
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.session import Session

_COLOURS = ("#1d5fa8", "#b5531c", "#2e7d32", "#6a3d9a")


@dataclass(frozen=True)
class ChartSeries:
    title: str
    maximum: int
    points: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class HistoryRow:
    visit_date: date
    title: str
    total: int | None
    maximum: int
    autonomy: bool  # totals are functions kept (Katz), not points
    klass: str | None
    closed: bool
    sheet_id: str = ""


@dataclass(frozen=True)
class HistoryData:
    rows: tuple[HistoryRow, ...]  # newest first
    series: tuple[ChartSeries, ...]
    changes: tuple[ScaleChange, ...]


def build_history(history: list[SheetSummary]) -> HistoryData:
    """Worker side: what the view shows, from the scored sheets (oldest first)."""
    rows: list[HistoryRow] = []
    points: dict[str, list[tuple[date, int]]] = {}
    titles: dict[str, tuple[str, int]] = {}
    for summary in history:
        sheet = summary.sheet
        definition = get_scale(sheet.scale, sheet.version)
        total = headline_total(summary)
        closed = sheet.status is SheetStatus.COMPLETA
        rows.append(HistoryRow(sheet.visit_date, definition.title, total, summary.result.max,
                               definition.values is ValueKind.AUTONOMY, headline_class(summary),
                               closed, sheet.id))  # fmt: skip
        titles[sheet.scale] = (definition.title, summary.result.max)
        if closed and total is not None:
            points.setdefault(sheet.scale, []).append((sheet.visit_date, total))
    series = tuple(
        ChartSeries(titles[scale][0], titles[scale][1], tuple(sorted(values)))
        for scale, values in points.items()
    )
    rows.sort(key=lambda r: r.visit_date, reverse=True)
    changes = tuple(assessments.what_changed(history))
    return HistoryData(tuple(rows), series, changes)


class HistoryChart(QWidget):
    """Small multiples: per scale, totals of the closed sheets over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: tuple[ChartSeries, ...] = ()
        self.empty_text = ""
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Grafico dei punteggi nel tempo"))

    def sizeHint(self) -> QSize:
        return QSize(600, 170)

    def set_series(self, series: tuple[ChartSeries, ...]) -> None:
        self.series = series
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.windowText().color()
        if not self.series:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        gap = 16
        width = (self.width() - gap * (len(self.series) - 1)) / len(self.series)
        for index, series in enumerate(self.series):
            box = QRectF(index * (width + gap), 0, width, self.height())
            self._panel(painter, box, series, QColor(_COLOURS[index % len(_COLOURS)]))
        painter.end()

    def _panel(self, painter: QPainter, box: QRectF, series: ChartSeries, colour: QColor) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        text_colour = self.palette().windowText().color()
        grid = QColor(text_colour)
        grid.setAlpha(60)
        painter.setPen(text_colour)
        title = metrics.elidedText(series.title, Qt.TextElideMode.ElideRight, int(box.width()))
        painter.drawText(QRectF(box.left(), box.top(), box.width(), line), title)
        label_w = metrics.horizontalAdvance(str(series.maximum)) + 6
        plot = QRectF(box.left() + label_w + 12, box.top() + line + 12,
                      box.width() - label_w - 40, box.height() - 2 * line - 20)  # fmt: skip
        painter.setPen(QPen(grid, 1))
        axis_left = QPointF(box.left() + label_w, 0)
        painter.drawLine(QPointF(axis_left.x(), plot.bottom()), plot.bottomRight())
        painter.drawLine(QPointF(axis_left.x(), plot.top()), plot.topRight())
        painter.setPen(text_colour)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(box.left(), plot.top() - line / 2, label_w - 4, line), right,
                         str(series.maximum))  # fmt: skip
        painter.drawText(QRectF(box.left(), plot.bottom() - line / 2, label_w - 4, line), right,
                         "0")  # fmt: skip
        points = series.points
        first, last = points[0][0], points[-1][0]
        span = max(1, (last - first).days)

        def at(day: date, value: int) -> QPointF:
            x = plot.center().x()
            if len(points) > 1:
                x = plot.left() + plot.width() * (day - first).days / span
            y = plot.bottom() - plot.height() * value / max(1, series.maximum)
            return QPointF(x, y)

        pen = QPen(colour, 2)
        painter.setPen(pen)
        coords = [at(d, v) for d, v in points]
        for a, b in itertools.pairwise(coords):
            painter.drawLine(a, b)
        painter.setBrush(colour)
        for point, (_day, value) in zip(coords, points, strict=True):
            painter.setPen(pen)
            painter.drawEllipse(point, 3.5, 3.5)
            painter.setPen(text_colour)
            painter.drawText(point + QPointF(5, -5), str(value))
        painter.setPen(text_colour)
        below = QRectF(plot.left(), plot.bottom() + 4, plot.width(), line)
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, format_date(first))
        if len(points) > 1:
            painter.drawText(below, Qt.AlignmentFlag.AlignRight, format_date(last))


class AssessmentHistoryView(QWidget):
    """Every sheet of a case, a chart of totals over time and what changed since the last one.

    A draft's row is activated (double-click, Enter) to resume it: ``draft_activated``."""

    #: a draft's row was activated (the sheet's id)
    draft_activated = Signal(str)
    #: the sheets were (re)loaded and shown
    loaded = Signal()

    def __init__(self, session: Session, *, case_id: CaseId, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.data: HistoryData | None = None
        self._build()
        if session.workspace.actor.can(Permission.READ_HEALTH):
            self.reload()
        else:
            self.hide()  # health data: never loaded for the amministrativo

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Storico delle schede"))
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        self.chart = HistoryChart()
        self.chart.empty_text = self.tr("Il grafico compare quando c'è almeno una scheda chiusa.")
        layout.addWidget(self.chart)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Data"),
                self.tr("Scheda"),
                self.tr("Totale"),
                self.tr("Classe"),
                self.tr("Stato"),
            ]
        )
        self.table.setAccessibleName(self.tr("Schede compilate"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self.on_row_activated)  # double-click or Enter
        splitter.addWidget(self.table)
        changed_box = QWidget()
        changed_layout = QVBoxLayout(changed_box)
        changed_layout.setContentsMargins(0, 6, 0, 0)
        changed_title = QLabel(self.tr("Cosa è cambiato"))
        changed_title.setObjectName("dialogTitle")
        changed_layout.addWidget(changed_title)
        self.changes = QListWidget()
        self.changes.setWordWrap(True)
        self.changes.setAccessibleName(self.tr("Cosa è cambiato dall'ultima scheda"))
        changed_layout.addWidget(self.changes, 1)
        splitter.addWidget(changed_box)
        layout.addWidget(splitter, 1)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id

        def load() -> HistoryData:
            history = assessments.assessment_history(
                workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=now
            )
            return build_history(history)

        self.session.tasks.run(
            load, on_done=self.on_loaded, on_error=self.on_load_failed, owner=self
        )

    def on_load_failed(self, exc: BaseException) -> None:
        errors.report_error(self.window(), exc)

    def on_loaded(self, data: HistoryData) -> None:
        self.data = data
        self.chart.set_series(data.series)
        self.table.setRowCount(len(data.rows))
        for row, entry in enumerate(data.rows):
            status = self.tr("Chiusa") if entry.closed else self.tr("Bozza")
            cells = [format_date(entry.visit_date), entry.title, self._total(entry),
                     entry.klass or "–", status]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if not entry.closed:
                    item.setToolTip(self.tr("Doppio clic o Invio: riprendi la bozza"))
                self.table.setItem(row, column, item)
        self.changes.clear()
        for change in data.changes:
            self._add_change(change)
        if not data.changes:
            self.changes.addItem(
                self.tr("Servono almeno due schede chiuse della stessa scala per un confronto.")
            )
        self.loaded.emit()

    def on_row_activated(self, index: QModelIndex) -> None:
        data = self.data
        if data is None or not 0 <= index.row() < len(data.rows):
            return
        entry = data.rows[index.row()]
        if not entry.closed and self.session.workspace.actor.can(Permission.EDIT_CASES):
            self.draft_activated.emit(entry.sheet_id)

    def _total(self, entry: HistoryRow) -> str:
        if entry.total is None:
            return "–"
        text = self.tr("%1 su %2 conservate") if entry.autonomy else self.tr("%1 su %2")
        return text.replace("%1", str(entry.total)).replace("%2", str(entry.maximum))

    def _answer(self, answer: Answer) -> str:
        if answer.kind is AnswerKind.UNANSWERED:
            return self.tr("senza risposta")
        if answer.kind is AnswerKind.NOT_APPLICABLE:
            return answer.text or self.tr("non applicabile")
        return "«" + answer.text + "»"

    def _add_change(self, change: ScaleChange) -> None:
        before, after = change.before.sheet, change.after.sheet
        head = (
            self.tr("%1, %2 → %3: totale %4 → %5")
            .replace("%1", change.title)
            .replace("%2", format_date(before.visit_date))
            .replace("%3", format_date(after.visit_date))
            .replace("%4", "–" if change.total_before is None else str(change.total_before))
            .replace("%5", "–" if change.total_after is None else str(change.total_after))
        )
        if change.class_before is not None or change.class_after is not None:
            head += (
                self.tr(", classe %1 → %2")
                .replace("%1", change.class_before or "–")
                .replace("%2", change.class_after or "–")
            )
        item = QListWidgetItem(head)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.changes.addItem(item)
        if not change.items:
            self.changes.addItem("    " + self.tr("Nessuna risposta cambiata."))
        for diff in change.items:
            line = (
                self.tr("%1: %2 → %3")
                .replace("%1", diff.item)
                .replace("%2", self._answer(diff.before))
                .replace("%3", self._answer(diff.after))
            )
            self.changes.addItem("    " + line)
