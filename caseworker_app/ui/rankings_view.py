"""Graduatorie (at the capofila): per avviso, the istanze received and the ranking runs.

The avviso is chosen at the top (those with istanze received or runs). "Istanze ricevute"
lists them by comune with their completeness and the rules' verdict on a chosen date (what is
missing). "Graduatorie" lists the runs (status, number, date, operator, budget, assigned,
residual); the run chosen shows below with its budget bars, its rows, the explanation of a row
and what changed. The buttons make a new run, approve the chosen one with the determina, draw
its control sample, publish it and send the outcomes to the comuni (ranking_actions.py).
Everything is read and recorded on the worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ranking_run import RunStatus, StoredRun
from caseworker_app.ui import errors
from caseworker_app.ui.formats import parse_date
from caseworker_app.ui.istanze_view import avviso_title
from caseworker_app.ui.ranking_actions import RankingActions
from caseworker_app.ui.ranking_dialogs import ApproveDialog, NewRunDialog, date_field
from caseworker_app.ui.ranking_models import (
    AlignedTableModel,
    AvvisoData,
    RunDetail,
    load_avvisi,
    load_avviso,
    load_run_detail,
    received_cells,
    run_cells,
)
from caseworker_app.ui.ranking_run_detail import RunDetailView
from caseworker_app.ui.screen_fit import show_entries_in_full
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.worker_dialog import WorkerDialog


class RankingsView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data: AvvisoData | None = None
        self.loading = False
        self.dialog: WorkerDialog | None = None
        self.run_actions = RankingActions(session, self)
        self.run_actions.run_changed.connect(lambda _run_id: self.reload())
        self._build()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Graduatorie"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        bar = QHBoxLayout()
        caption = QLabel(self.tr("A&vviso:"))
        self.avviso_combo = QComboBox()
        self.avviso_combo.setAccessibleName(self.tr("Avviso"))
        show_entries_in_full(self.avviso_combo, min_chars=64)
        caption.setBuddy(self.avviso_combo)
        self.avviso_combo.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(caption)
        bar.addWidget(self.avviso_combo)
        bar.addStretch(1)
        self.new_button = self._button(bar, self.tr("&Nuova graduatoria…"), self.open_new_run)
        layout.addLayout(bar)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_runs(), self.tr("Graduatorie"))
        self.tabs.addTab(self._build_received(), self.tr("Istanze ricevute"))
        self.empty = QLabel(
            self.tr(
                "Nessuna istanza ricevuta finora. Importa i file delle istruttorie dei comuni "
                "nella pagina «Ricezione»: qui si fanno poi le graduatorie di ogni avviso."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self.refresh_buttons()

    def _button(self, bar: QHBoxLayout, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        bar.addWidget(button)
        return button

    def _build_runs(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.runs_model = AlignedTableModel(
            [self.tr("N."), self.tr("Stato"), self.tr("Istanze al"), self.tr("Fatta il"),
             self.tr("Operatore"), self.tr("Budget"), self.tr("Assegnato"), self.tr("Residuo"),
             self.tr("Nota")], right=(0, 5, 6, 7), parent=self,
        )  # fmt: skip
        self.runs_table = read_only_table(
            self.runs_model, accessible_name=self.tr("Graduatorie dell'avviso"),
            single_selection=True,
        )  # fmt: skip
        self.runs_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.on_run_selected(current)
        )
        self.runs_table.setMinimumHeight(90)
        split.addWidget(self.runs_table)
        self.detail = RunDetailView()
        self.approve_button = self._button(
            self.detail.actions_row, self.tr("&Approva…"), self.open_approve
        )
        for button in self.run_actions.buttons:
            self.detail.actions_row.addWidget(button)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([110, 520])
        return split

    def _build_received(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        row = QHBoxLayout()
        caption = QLabel(self.tr("Esito delle regole al &giorno:"))
        self.on_line = date_field(self.tr("Giorno a cui giudicare le istanze ricevute"),
                                  self.session.now().date())  # fmt: skip
        caption.setBuddy(self.on_line)
        self.on_line.editingFinished.connect(self.on_day_changed)
        self.on_line.textEdited.connect(lambda _t: self.on_day_changed())
        row.addWidget(caption)
        row.addWidget(self.on_line)
        self.on_problem = QLabel()
        self.on_problem.setProperty("severity", "error")
        row.addWidget(self.on_problem)
        row.addStretch(1)
        self.received_count = QLabel()
        self.received_count.setObjectName("hint")
        row.addWidget(self.received_count)
        column.addLayout(row)
        self.received_model = AlignedTableModel(
            [self.tr("Comune"), self.tr("Protocollo"), self.tr("Versione"),
             self.tr("Documenti"), self.tr("Valutazione"), self.tr("Esito"),
             self.tr("Importo"), self.tr("Cosa manca o va verificato")], right=(2, 3, 6),
            parent=self,
        )  # fmt: skip
        self.received_table = read_only_table(
            self.received_model, accessible_name=self.tr("Istanze ricevute per l'avviso")
        )
        column.addWidget(self.received_table, 1)
        return page

    # -- loading -----------------------------------------------------------------------------

    def activate(self) -> None:
        session = self.session
        self.session.tasks.run(lambda: load_avvisi(session), on_done=self.on_avvisi_loaded,
                               on_error=self.on_load_failed, owner=self)  # fmt: skip

    def on_avvisi_loaded(self, avvisi: list[str]) -> None:
        current = self.avviso_combo.currentData()
        self.avviso_combo.blockSignals(True)
        self.avviso_combo.clear()
        for avviso in avvisi:
            self.avviso_combo.addItem(avviso_title(avviso), avviso)
        show_entries_in_full(self.avviso_combo, min_chars=64)
        self.avviso_combo.setCurrentIndex(max(self.avviso_combo.findData(current), 0))
        self.avviso_combo.blockSignals(False)
        self.stack.setCurrentWidget(self.tabs if avvisi else self.empty)
        self.reload()

    @property
    def avviso(self) -> str:
        return str(self.avviso_combo.currentData() or "")

    def day(self) -> date | None:
        try:
            return parse_date(self.on_line.text())
        except ValueError:
            return None

    def on_day_changed(self) -> None:
        if self.data is not None and self.day() not in (None, self.data.on):
            self.reload()
        self.on_problem.setText(
            "" if self.day() is not None else self.tr("Scrivi la data come gg/mm/aaaa.")
        )

    def reload(self, *, select: str | None = None) -> None:
        avviso = self.avviso
        if not avviso:
            self.data = None
            self.refresh_buttons()
            return
        self.loading = True
        current = self.selected_run()
        keep = select or (current.run.id if current is not None else None)
        session, on = self.session, self.day() or self.session.now().date()
        self.session.tasks.run(
            lambda: load_avviso(session, avviso, on),
            on_done=lambda data: self.on_avviso_loaded(data, keep),
            on_error=self.on_load_failed,
            owner=self,
        )

    def on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        errors.report_error(self.window(), exc)

    def on_avviso_loaded(self, data: AvvisoData, keep: str | None) -> None:
        if data.avviso != self.avviso:
            return  # another avviso was chosen meanwhile
        self.loading = False
        self.data = data
        self.received_model.set_rows([received_cells(v) for v in data.received])
        self.received_count.setText(
            self.tr("%1 istanze ricevute").replace("%1", str(len(data.received)))
        )
        self.runs_model.set_rows([run_cells(r) for r in reversed(data.runs)])
        ids = [r.run.id for r in reversed(data.runs)]
        if keep in ids:
            self.runs_table.selectRow(ids.index(keep))
        elif ids:
            self.runs_table.selectRow(0)  # the latest
        else:
            self.detail.show_nothing()
        if not data.runs:
            self.tabs.setCurrentIndex(1)
        self.refresh_buttons()

    # -- the runs ----------------------------------------------------------------------------

    def runs_shown(self) -> list[StoredRun]:
        return list(reversed(self.data.runs)) if self.data is not None else []

    def selected_run(self) -> StoredRun | None:
        row = self.runs_table.currentIndex().row()
        runs = self.runs_shown()
        return runs[row] if 0 <= row < len(runs) else None

    def on_run_selected(self, index: QModelIndex) -> None:
        runs = self.runs_shown()
        self.refresh_buttons()
        if self.data is None or not 0 <= index.row() < len(runs):
            self.detail.show_nothing()
            return
        stored, every = runs[index.row()], list(self.data.runs)
        session = self.session
        self.loading = True
        self.session.tasks.run(lambda: load_run_detail(session, stored, every),
                               on_done=self.on_detail_loaded, on_error=self.on_load_failed,
                               owner=self)  # fmt: skip

    def on_detail_loaded(self, detail: RunDetail) -> None:
        self.loading = False
        chosen = self.selected_run()
        if chosen is not None and chosen.run.id == detail.stored.run.id:
            self.detail.show_detail(detail)

    def refresh_buttons(self) -> None:
        stored = self.selected_run()
        received = bool(self.data and self.data.received)
        self.new_button.setEnabled(received)
        self.approve_button.setEnabled(stored is not None and stored.approval is None)
        self.approve_button.setToolTip(
            self.tr("Già approvata con la determina %1.").replace("%1", stored.approval.determina)
            if stored is not None and stored.approval is not None
            else ""
        )
        self.run_actions.refresh(stored)

    # -- dialogs -----------------------------------------------------------------------------

    def open_new_run(self) -> NewRunDialog | None:
        if self.data is None:
            return None
        budget, rankings = None, 1
        with contextlib.suppress(UserFacingError):
            definition = get_avviso(self.data.avviso)
            rankings = len(definition.rankings)
            if rankings == 1:
                budget = definition.rankings[0].budget
        dialog = NewRunDialog(self.session, avviso=self.data.avviso,
                              title=avviso_title(self.data.avviso),
                              received=[(v.comune, v.protocol) for v in self.data.received],
                              withdrawn=self.data.runs[-1].run.withdrawn if self.data.runs
                              else frozenset(),
                              avviso_budget=budget,
                              rankings=rankings, parent=self.window())  # fmt: skip
        dialog.run_made.connect(self.on_run_made)
        self._open(dialog)
        return dialog

    def on_run_made(self, stored: StoredRun) -> None:
        self.tabs.setCurrentIndex(0)
        self.reload(select=stored.run.id)

    def open_approve(self) -> ApproveDialog | None:
        stored = self.selected_run()
        if stored is None or stored.status is RunStatus.APPROVATA:
            return None
        dialog = ApproveDialog(self.session, stored=stored, parent=self.window())
        dialog.approved.connect(lambda s: self.reload(select=s.run.id))
        self._open(dialog)
        return dialog

    def _open(self, dialog: WorkerDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
