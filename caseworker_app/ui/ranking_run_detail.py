"""The pane of one ranking run on the Graduatorie page: what it is, the budget of each ranking
as a bar, its rows (filtered by comune and by outcome) with the explanation of the row chosen
in a side panel, and what changed against the run it follows.

The explanation is the domain's (``run_explanation.explain_row``): it reads only the run, so
it is the one the run gave when it was made.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ranking_run import RunRow
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.ui.formats import format_date, format_datetime
from caseworker_app.ui.ranking_models import (
    OUTCOME_LABELS,
    AlignedTableModel,
    RunDetail,
    change_cells,
    money,
    outcome_label,
    row_cells,
    status_label,
)
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.transmission_models import comune_name

BAR_STEPS = 1000


def _selectable(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class BudgetBars(QWidget):
    """Per ranking of the run: its name, a bar of the budget used and the amounts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.bars: list[QProgressBar] = []

    def show_detail(self, detail: RunDetail) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.bars = []
        run = detail.stored.run
        rankings = list(run.rankings)
        for line, totals in enumerate(rankings):
            available = totals.budget + totals.inflow
            self._add(
                line,
                detail.ranking_name(totals.id),
                totals.assigned,
                available,
                inflow=totals.inflow,
            )
        if len(rankings) != 1:
            self._add(len(rankings), self.tr("Totale"), run.assigned, run.budget)

    def _add(
        self,
        line: int,
        name: str,
        assigned: Decimal,
        budget: Decimal,
        *,
        inflow: Decimal = Decimal(0),
    ) -> None:
        caption = QLabel(name)
        bar = QProgressBar()
        bar.setRange(0, BAR_STEPS)
        share = assigned / budget if budget > 0 else Decimal(0)
        bar.setValue(round(min(max(share, Decimal(0)), Decimal(1)) * BAR_STEPS))
        bar.setTextVisible(False)
        bar.setMaximumHeight(14)
        text = (
            self.tr("assegnati %1 di %2, residuo %3")
            .replace("%1", money(assigned))
            .replace("%2", money(budget))
            .replace("%3", money(budget - assigned))
        )
        if inflow > 0:
            text += self.tr(" (di cui %1 dal residuo di un'altra graduatoria)").replace(
                "%1", money(inflow)
            )
        bar.setAccessibleName(self.tr("Budget usato: %1").replace("%1", name))
        bar.setAccessibleDescription(text)
        amounts = QLabel(text)
        amounts.setObjectName("hint")
        self.grid.addWidget(caption, line, 0)
        self.grid.addWidget(bar, line, 1)
        self.grid.addWidget(amounts, line, 2)
        self.bars.append(bar)


class RunDetailView(QWidget):
    """One run: facts, budget bars, rows with filters and explanation, what changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: RunDetail | None = None
        self.shown: list[RunRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        #: the heading, then the buttons that act on the run (the page adds them)
        self.actions_row = QHBoxLayout()
        self.heading = _bold(QLabel())
        self.actions_row.addWidget(self.heading)
        self.actions_row.addStretch(1)
        layout.addLayout(self.actions_row)
        self.facts = _selectable()
        self.facts.setAccessibleName(self.tr("Dati della graduatoria"))
        layout.addWidget(self.facts)
        self.bars = BudgetBars()
        layout.addWidget(self.bars)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_rows(), self.tr("Righe"))
        self.tabs.addTab(self._build_changes(), self.tr("Cosa è cambiato"))
        layout.addWidget(self.tabs, 1)
        self.show_nothing()

    def _build_rows(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(6, 6, 6, 6)
        filters = QHBoxLayout()
        self.comune_filter = QComboBox()
        self.comune_filter.setAccessibleName(self.tr("Filtra le righe per comune"))
        self.comune_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.outcome_filter = QComboBox()
        self.outcome_filter.setAccessibleName(self.tr("Filtra le righe per esito"))
        self.outcome_filter.addItem(self.tr("Tutti gli esiti"), "")
        for outcome in OUTCOME_LABELS:
            self.outcome_filter.addItem(outcome_label(outcome), outcome.value)
        for text, combo in ((self.tr("Co&mune:"), self.comune_filter),
                            (self.tr("&Esito:"), self.outcome_filter)):  # fmt: skip
            caption = QLabel(text)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        filters.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.count.setAccessibleName(self.tr("Numero di righe mostrate"))
        filters.addWidget(self.count)
        column.addLayout(filters)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.rows_model = AlignedTableModel(
            [self.tr("Pos."), self.tr("Comune"), self.tr("Protocollo"), self.tr("Graduatoria"),
             self.tr("Classe"), self.tr("Esito"), self.tr("Importo"),
             self.tr("Riconoscibile")], right=(0, 4, 6, 7), parent=self,
        )  # fmt: skip
        self.rows_table = read_only_table(
            self.rows_model, accessible_name=self.tr("Righe della graduatoria"),
            single_selection=True,
        )  # fmt: skip
        self.rows_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.on_row_selected(current)
        )
        split.addWidget(self.rows_table)
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        title = _bold(QLabel(self.tr("Spiegazione della riga")))
        side_column.addWidget(title)
        self.explanation = QPlainTextEdit()
        self.explanation.setReadOnly(True)
        self.explanation.setAccessibleName(self.tr("Spiegazione della riga scelta"))
        self.explanation.setPlaceholderText(
            self.tr("Scegli una riga: qui si legge perché ha quella posizione e quell'importo.")
        )
        side_column.addWidget(self.explanation, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([620, 420])
        column.addWidget(split, 1)
        return page

    def _build_changes(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(6, 6, 6, 6)
        self.changes_summary = _selectable()
        self.changes_summary.setAccessibleName(self.tr("Cosa è cambiato rispetto alla precedente"))
        column.addWidget(self.changes_summary)
        self.changes_model = AlignedTableModel(
            [self.tr("Comune"), self.tr("Protocollo"), self.tr("Cambiamento"),
             self.tr("Prima"), self.tr("Ora")], right=(), parent=self,
        )  # fmt: skip
        self.changes_table = read_only_table(
            self.changes_model, accessible_name=self.tr("Righe cambiate")
        )
        column.addWidget(self.changes_table, 1)
        column.addStretch(0)
        return page

    # -- showing ------------------------------------------------------------------------------

    def show_nothing(self) -> None:
        self.detail = None
        self.shown = []
        self.heading.setText(self.tr("Nessuna graduatoria scelta"))
        self.facts.setText(
            self.tr("Scegli una graduatoria nell'elenco, o falla con «Nuova graduatoria…».")
        )
        self.bars.hide()
        self.tabs.setEnabled(False)
        self.rows_model.set_rows([])
        self.changes_model.set_rows([])
        self.changes_summary.setText("")
        self.explanation.clear()
        self.count.setText("")

    def show_detail(self, detail: RunDetail) -> None:
        self.detail = detail
        stored, run = detail.stored, detail.stored.run
        self.heading.setText(
            self.tr("Graduatoria n. %1 – %2")
            .replace("%1", str(run.number))
            .replace("%2", status_label(stored.status))
        )
        self.facts.setText(self._facts(detail))
        self.bars.show_detail(detail)
        self.bars.show()
        self.tabs.setEnabled(True)
        chosen = self.comune_filter.currentData()
        self.comune_filter.blockSignals(True)
        self.comune_filter.clear()
        self.comune_filter.addItem(self.tr("Tutti i comuni"), "")
        for name, code in sorted({(comune_name(r.comune), r.comune) for r in run.rows}):
            self.comune_filter.addItem(name, code)
        self.comune_filter.setCurrentIndex(max(self.comune_filter.findData(chosen), 0))
        self.comune_filter.blockSignals(False)
        self.apply_filters()
        self._show_changes(detail)

    def _facts(self, detail: RunDetail) -> str:
        stored, run = detail.stored, detail.stored.run
        parts = [
            self.tr("Istanze giudicate al %1; fatta il %2 da %3.")
            .replace("%1", format_date(run.on))
            .replace("%2", format_datetime(run.created_at))
            .replace("%3", run.created_by),
            self.tr("Budget %1 (%2), assegnati %3, residuo %4.")
            .replace("%1", money(run.budget))
            .replace(
                "%2",
                self.tr("quello dell'avviso")
                if run.budget_override is None
                else self.tr("indicato per questa graduatoria"),
            )
            .replace("%3", money(run.assigned))
            .replace("%4", money(run.residual)),
        ]
        if stored.approval is not None:
            parts.append(
                self.tr("Approvata con la determina %1 del %2.")
                .replace("%1", stored.approval.determina)
                .replace("%2", format_date(stored.approval.on))
            )
        elif run.provisional:
            parts.append(self.tr("Provvisoria: ci sono istanze da integrare, non si approva."))
        if detail.previous is not None:
            parts.append(
                self.tr("Segue la graduatoria n. %1.").replace(
                    "%1", str(detail.previous.run.number)
                )
            )
        if run.note:
            parts.append(self.tr("Nota: %1.").replace("%1", run.note.rstrip(".")))
        parts.append(self.tr("Impronta: %1").replace("%1", stored.content_sha256[:16]))
        return " ".join(parts)

    def _show_changes(self, detail: RunDetail) -> None:
        if detail.previous is None:
            self.changes_summary.setText(
                self.tr("È la prima graduatoria dell'avviso: non ne segue nessuna.")
            )
            self.changes_model.set_rows([])
            self.changes_table.hide()
            return
        number = str(detail.previous.run.number)
        if detail.changes:
            text = (
                (
                    self.tr("Rispetto alla graduatoria n. %1 è cambiata una riga:")
                    if len(detail.changes) == 1
                    else self.tr("Rispetto alla graduatoria n. %1 sono cambiate %2 righe:")
                )
                .replace("%1", number)
                .replace("%2", str(len(detail.changes)))
            )
        else:
            text = self.tr(
                "Nessuna riga è cambiata rispetto alla graduatoria n. %1 (posizione, esito, "
                "importo)."
            ).replace("%1", number)
        self.changes_summary.setText(text)
        self.changes_model.set_rows([change_cells(c) for c in detail.changes])
        self.changes_table.setVisible(bool(detail.changes))

    def apply_filters(self) -> None:
        detail = self.detail
        if detail is None:
            return
        place, outcome = self.comune_filter.currentData(), self.outcome_filter.currentData()
        chosen = self.selected_row()
        rows = detail.stored.run.rows
        self.shown = [
            r
            for r in rows
            if (not place or r.comune == place) and (not outcome or r.outcome == Funding(outcome))
        ]
        self.rows_model.set_rows([row_cells(detail, r) for r in self.shown])
        if len(self.shown) == len(rows):
            text = self.tr("una riga") if len(rows) == 1 else self.tr("%1 righe")
        else:
            text = self.tr("%1 di %2 righe")
        self.count.setText(text.replace("%1", str(len(self.shown))).replace("%2", str(len(rows))))
        idents = [r.ident for r in self.shown]
        if chosen is not None and chosen.ident in idents:
            self.rows_table.selectRow(idents.index(chosen.ident))
        else:
            self.explanation.clear()

    def selected_row(self) -> RunRow | None:
        row = self.rows_table.currentIndex().row()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def on_row_selected(self, index: QModelIndex) -> None:
        from caseworker_app.domain.run_explanation import explain_row

        detail = self.detail
        if detail is None or not 0 <= index.row() < len(self.shown):
            self.explanation.clear()
            return
        row = self.shown[index.row()]
        explanation = explain_row(detail.stored.run, row, labels=detail.labels)
        self.explanation.setPlainText(explanation.text())
