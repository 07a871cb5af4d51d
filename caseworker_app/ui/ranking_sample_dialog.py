"""«Campione di controllo…»: the control sample of a run's funded beneficiaries (seed 003 §8).

A run has one sample: the dialog shows it when it was drawn, otherwise it asks the percent (5
unless changed) and, optionally, the seed, and draws it on the worker
(``controls.draw_sample``: reproducible, recorded). Then it lists the drawn istanze with what to
check on each, and records the result of each check (``controls.record_check``: conforme, non
conforme with its reason, or da verificare to reopen it).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import values
from caseworker_app.domain.control_sample import DEFAULT_PERCENT, CheckResult
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.services import controls
from caseworker_app.services.controls import ControlSampleView, DrawnRow
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_datetime
from caseworker_app.ui.ranking_models import AlignedTableModel, money, outcome_label
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.transmission_models import comune_name
from caseworker_app.ui.worker_dialog import add_problem_row, problem_label, show_problem

RESULT_LABELS: dict[CheckResult, str] = {
    CheckResult.DA_VERIFICARE: str(QT_TRANSLATE_NOOP("Rankings", "Da verificare")),
    CheckResult.CONFORME: str(QT_TRANSLATE_NOOP("Rankings", "Conforme")),
    CheckResult.NON_CONFORME: str(QT_TRANSLATE_NOOP("Rankings", "Non conforme")),
}


def result_label(result: CheckResult) -> str:
    return QCoreApplication.translate("Rankings", RESULT_LABELS[result])


def _wrapped(text: str = "", object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class SampleDialog(QDialog):
    """Draw the sample of a run, or show the one drawn, and record the checks."""

    def __init__(self, session: Session, *, stored: StoredRun, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.stored = stored
        self.sample: ControlSampleView | None = None
        self.busy = False
        self.setWindowTitle(self.tr("Campione di controllo"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                self.tr("Campione di controllo – graduatoria n. %1").replace(
                    "%1", str(stored.run.number)
                ),
                "dialogTitle",
            )
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_draw())
        self.pages.addWidget(self._build_sample())
        layout.addWidget(self.pages, 1)
        self.error = problem_label(self.tr("Messaggio di errore"))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(self.tr("Chiudi"),
                                              QDialogButtonBox.ButtonRole.RejectRole)  # fmt: skip
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        self.pages.setEnabled(False)
        run_id = stored.run.id
        workspace = session.workspace
        session.tasks.run(
            lambda: controls.samples_of(
                workspace.uow_factory(), actor=workspace.actor, run_id=run_id
            ),
            on_done=self.on_samples_loaded,
            on_error=self.on_failed,
            owner=self,
        )

    def _build_draw(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(
            _wrapped(
                self.tr(
                    "Si sorteggiano i beneficiari finanziati da controllare (dichiarazioni "
                    "sostitutive, DPR 445/2000): la percentuale arrotondata per eccesso, almeno "
                    "uno per comune. Il sorteggio è riproducibile: il seme viene registrato con "
                    "il campione, e con la graduatoria chiunque può rifarlo. Si estrae una "
                    "volta sola."
                ),
                "hint",
            )
        )
        form = QFormLayout()
        self.percent = QLineEdit(str(DEFAULT_PERCENT))
        self.percent.setAccessibleName(self.tr("Percentuale dei beneficiari da controllare"))
        self.percent.setMaximumWidth(100)
        self.percent_problem = problem_label(self.tr("Problema con la percentuale"))
        form.addRow(self.tr("&Percentuale (%):"), self.percent)
        add_problem_row(form, self.percent_problem)
        self.seed = QLineEdit()
        self.seed.setAccessibleName(self.tr("Seme del sorteggio"))
        self.seed.setPlaceholderText(self.tr("facoltativo: vuoto, ne viene scelto uno a caso"))
        self.seed.setMaximumWidth(360)
        self.seed_problem = problem_label(self.tr("Problema con il seme"))
        form.addRow(self.tr("&Seme:"), self.seed)
        add_problem_row(form, self.seed_problem)
        column.addLayout(form)
        row = QHBoxLayout()
        self.draw_button = QPushButton(self.tr("&Estrai il campione"))
        self.draw_button.setAccessibleName(self.tr("Estrai il campione"))
        self.draw_button.clicked.connect(self.on_draw_clicked)
        row.addWidget(self.draw_button)
        row.addStretch(1)
        column.addLayout(row)
        return page

    def _build_sample(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.facts = _wrapped()
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAccessibleName(self.tr("Dati del campione"))
        column.addWidget(self.facts)
        self.to_check = _wrapped()
        self.to_check.setAccessibleName(self.tr("Cosa controllare su ogni istanza"))
        column.addWidget(self.to_check)
        self.model = AlignedTableModel(
            [self.tr("Comune"), self.tr("Protocollo"), self.tr("Pos."), self.tr("Esito"),
             self.tr("Importo"), self.tr("Controllo"), self.tr("Nota")], right=(2, 4),
            parent=self,
        )  # fmt: skip
        self.table = read_only_table(self.model, accessible_name=self.tr("Istanze sorteggiate"),
                                     single_selection=True)  # fmt: skip
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.on_row_chosen())
        column.addWidget(self.table, 1)
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Risultato:"))
        self.result_combo = QComboBox()
        self.result_combo.setAccessibleName(self.tr("Risultato del controllo"))
        for result in (CheckResult.CONFORME, CheckResult.NON_CONFORME, CheckResult.DA_VERIFICARE):
            self.result_combo.addItem(result_label(result), result.value)
        caption.setBuddy(self.result_combo)
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Nota del controllo"))
        self.note.setPlaceholderText(self.tr("nota (obbligatoria se non conforme)"))
        self.note.setMaxLength(controls.NOTE_LIMIT)
        self.record_button = QPushButton(self.tr("Re&gistra"))
        self.record_button.setAccessibleName(self.tr("Registra il risultato del controllo"))
        self.record_button.clicked.connect(self.on_record_clicked)
        row.addWidget(caption)
        row.addWidget(self.result_combo)
        row.addWidget(self.note, 1)
        row.addWidget(self.record_button)
        column.addLayout(row)
        self.check_problem = problem_label(self.tr("Problema con il controllo"))
        column.addWidget(self.check_problem)
        return page

    # -- results -------------------------------------------------------------------------------

    def on_samples_loaded(self, samples: list[ControlSampleView]) -> None:
        self.pages.setEnabled(True)
        if samples:
            self.show_sample(samples[0])
        else:
            self.pages.setCurrentIndex(0)

    def show_sample(self, sample: ControlSampleView) -> None:
        self.busy = False
        first = self.sample is None
        self.sample = sample
        self.pages.setEnabled(True)
        self.pages.setCurrentIndex(1)
        if first:
            self.resize(max(self.width(), 900), max(self.height(), 600))
        drawn = sample.sample
        share = values.format_amount(drawn.percent).removesuffix(",00") + "%"
        if drawn.per_comune:
            share += self.tr(", almeno uno per comune")
        self.facts.setText(
            self.tr(
                "Estratto il %1 da %2: %3 istanze su %4 beneficiari finanziati (%5), seme "
                "«%6», metodo %7."
            )
            .replace("%1", format_datetime(sample.drawn_at))
            .replace("%2", sample.drawn_by)
            .replace("%3", str(len(drawn.rows)))
            .replace("%4", str(drawn.population))
            .replace("%5", share)
            .replace("%6", drawn.seed)
            .replace("%7", drawn.method)
        )
        to_check = sample.rows[0].to_check if sample.rows else ()
        self.to_check.setText(
            self.tr("Su ogni istanza sorteggiata si controlla:")
            + "".join(f"\n • {c.label}" for c in to_check)
        )
        row = self.table.currentIndex().row()
        self.model.set_rows([self._cells(r) for r in sample.rows])
        self.table.selectRow(min(max(row, 0), len(sample.rows) - 1))
        self.on_row_chosen()

    def _cells(self, row: DrawnRow) -> tuple[str, ...]:
        return (
            comune_name(row.comune),
            row.protocol,
            "" if row.position is None else str(row.position),
            outcome_label(row.outcome),
            money(row.amount),
            result_label(row.result),
            row.note,
        )

    def chosen(self) -> DrawnRow | None:
        row = self.table.currentIndex().row()
        rows = self.sample.rows if self.sample is not None else ()
        return rows[row] if 0 <= row < len(rows) else None

    def on_row_chosen(self) -> None:
        self.record_button.setEnabled(self.chosen() is not None and not self.busy)
        show_problem(self.check_problem, "")

    def on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.pages.setEnabled(True)
        self.draw_button.setEnabled(True)
        self.on_row_chosen()
        if not isinstance(exc, UserFacingError):
            errors.report_error(self, exc)
            return
        text = errors.message_for(exc)
        label = {
            "controls.percent_invalid": self.percent_problem,
            "controls.seed_invalid": self.seed_problem,
            "controls.note_required": self.check_problem,
            "controls.note_too_long": self.check_problem,
        }.get(exc.code, self.error)
        show_problem(label, text)

    # -- actions -------------------------------------------------------------------------------

    def on_draw_clicked(self) -> None:
        typed = self.percent.text().strip()
        try:
            percent = values.parse_amount(typed)
        except ValueError:
            percent = None
        if percent is None:
            error = UserFacingError("controls.percent_invalid", percent=typed)
            show_problem(self.percent_problem, errors.message_for(error))
            return
        for label in (self.percent_problem, self.seed_problem, self.error):
            show_problem(label, "")
        seed = self.seed.text() or None
        workspace, now, run_id = self.session.workspace, self.session.now(), self.stored.run.id
        self.busy = True
        self.draw_button.setEnabled(False)
        self.session.tasks.run(
            lambda: controls.draw_sample(
                workspace.uow_factory(),
                actor=workspace.actor,
                run_id=run_id,
                percent=percent,
                seed=seed,
                now=now,
            ),
            on_done=self.show_sample,
            on_error=self.on_failed,
            owner=self,
        )

    def on_record_clicked(self) -> None:
        row, sample = self.chosen(), self.sample
        if row is None or sample is None:
            return
        result = CheckResult(self.result_combo.currentData())
        note = self.note.text()
        workspace, now = self.session.workspace, self.session.now()
        self.busy = True
        self.record_button.setEnabled(False)
        show_problem(self.check_problem, "")

        def done(view: ControlSampleView) -> None:
            self.note.clear()
            self.show_sample(view)

        self.session.tasks.run(
            lambda: controls.record_check(
                workspace.uow_factory(),
                actor=workspace.actor,
                sample_id=sample.id,
                comune=row.comune,
                protocol=row.protocol,
                result=result,
                note=note,
                now=now,
            ),
            on_done=done,
            on_error=self.on_failed,
            owner=self,
        )
