"""The dialogs of the Graduatorie page that record something: a new run and its approval.

"Nuova graduatoria…" asks the date the istanze are judged on, an optional budget (the
domain's parser reads it; its problem is shown next to the field), whether it is provisional
and a note, then ranks on the worker with a progress bar and "Interrompi" (the use case stops
at its next step and records nothing). "Approva…" asks the number and date of the determina;
the service refuses a provisional run with its own message, shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import values
from caseworker_app.domain.errors import Cancelled, UserFacingError
from caseworker_app.domain.progress import step
from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.services import ranking_runs
from caseworker_app.ui.date_picker import add_calendar_button
from caseworker_app.ui.formats import format_date, parse_date, value_message
from caseworker_app.ui.ranking_models import money
from caseworker_app.ui.ranking_withdrawn import Ident, WithdrawnDialog, withdrawn_summary
from caseworker_app.ui.session import Session
from caseworker_app.ui.transfer_files import ThreadProgress
from caseworker_app.ui.worker_dialog import (
    WorkerDialog,
    add_note_row,
    add_problem_row,
    problem_label,
    show_problem,
)

PROGRESS_STEPS = 1000
POLL_MS = 100
_BUDGET_CODES = frozenset({"rules.budget_needs_single_ranking"})


def _wrapped(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def date_field(accessible_name: str, day: date) -> QLineEdit:
    """A date typed as gg/mm/aaaa with the calendar button, filled with ``day``."""
    line = QLineEdit(format_date(day))
    line.setAccessibleName(accessible_name)
    line.setPlaceholderText(QCoreApplication.translate("Rankings", "gg/mm/aaaa"))
    line.setMaximumWidth(150)
    add_calendar_button(line)
    return line


def read_day(line: QLineEdit, label: str, problem: QLabel) -> date | None:
    """The date in ``line`` (the domain's parser), or None with the problem shown."""
    try:
        day = parse_date(line.text())
    except ValueError as exc:
        show_problem(problem, value_message(exc, label, date_kind=True))
        return None
    if day is None:
        show_problem(
            problem, QCoreApplication.translate("Rankings", "Scrivi la data come gg/mm/aaaa.")
        )
        return None
    show_problem(problem, "")
    return day


class NewRunDialog(WorkerDialog):
    """Date, budget, provisional, withdrawn istanze, note → ``ranking_runs.rank_received`` on
    the worker. ``received``: the istanze received (comune, protocol); ``withdrawn``: those the
    latest run kept out as withdrawn (ticked again unless the clerk unticks them)."""

    run_made = Signal(object)  # the StoredRun recorded

    def __init__(
        self,
        session: Session,
        *,
        avviso: str,
        title: str,
        received: Sequence[Ident],
        withdrawn: frozenset[Ident] = frozenset(),
        avviso_budget: Decimal | None,
        rankings: int,
        parent: QWidget | None,
    ) -> None:
        super().__init__(session.tasks, parent)
        self.session = session
        self.avviso = avviso
        self.received = list(received)
        self.withdrawn = withdrawn & set(self.received)
        self.withdrawn_dialog: WithdrawnDialog | None = None
        self.progress: ThreadProgress | None = None
        self.setWindowTitle(self.tr("Nuova graduatoria"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(self.tr("Nuova graduatoria"), "dialogTitle"))
        layout.addWidget(_wrapped(self.tr("Avviso: %1").replace("%1", title)))
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Le %1 istanze ricevute sono giudicate con le regole dell'avviso alla data "
                    "indicata e ordinate; il budget è assegnato finché basta. La graduatoria "
                    "viene registrata così com'è e non si modifica più: per un nuovo budget o "
                    "una correzione se ne fa un'altra."
                ).replace("%1", str(len(self.received))),
                "hint",
            )
        )
        form = QFormLayout()
        self.on_line = date_field(self.tr("Data a cui giudicare le istanze"), session.now().date())
        self.on_problem = problem_label(self.tr("Problema con la data"))
        form.addRow(self.tr("&Data:"), self.on_line)
        add_note_row(form, _wrapped(self.tr("Termini dei documenti, età e ISEE si valutano a "
                                            "questa data."), "hint"))  # fmt: skip
        add_problem_row(form, self.on_problem)
        self.budget = QLineEdit()
        self.budget.setAccessibleName(self.tr("Budget della graduatoria in euro"))
        self.budget.setMaximumWidth(220)
        self.budget_problem = problem_label(self.tr("Problema con il budget"))
        form.addRow(self.tr("&Budget (€):"), self.budget)
        if rankings > 1:
            self.budget.setEnabled(False)
            hint = self.tr(
                "L'avviso ha %1 graduatorie, ciascuna con il proprio budget: si usano quelli."
            ).replace("%1", str(rankings))
        elif avviso_budget is not None:
            self.budget.setPlaceholderText(money(avviso_budget))
            hint = self.tr("Vuoto: il budget dell'avviso (%1).").replace("%1", money(avviso_budget))
        else:
            hint = self.tr("Vuoto: il budget dell'avviso.")
        add_note_row(form, _wrapped(hint, "hint"))
        add_problem_row(form, self.budget_problem)
        self.provisional = QCheckBox(self.tr("&Provvisoria"))
        self.provisional.setAccessibleName(self.tr("Graduatoria provvisoria"))
        self.provisional_problem = problem_label(self.tr("Problema con le istanze da integrare"))
        form.addRow("", self.provisional)
        add_note_row(form, _wrapped(self.tr("Ammette istanze ancora da integrare (documenti "
                                            "promessi entro un termine non scaduto); una "
                                            "graduatoria provvisoria non si approva."),
                                    "hint"))  # fmt: skip
        add_problem_row(form, self.provisional_problem)
        withdrawn_row = QHBoxLayout()
        self.withdrawn_label = _wrapped(withdrawn_summary(self.withdrawn))
        self.withdrawn_label.setAccessibleName(self.tr("Istanze ritirate"))
        self.withdrawn_button = QPushButton(self.tr("&Scegli…"))
        self.withdrawn_button.setAccessibleName(self.tr("Scegli le istanze ritirate"))
        self.withdrawn_button.clicked.connect(self.choose_withdrawn)
        withdrawn_row.addWidget(self.withdrawn_label, 1)
        withdrawn_row.addWidget(self.withdrawn_button)
        form.addRow(self.tr("Ritirate:"), withdrawn_row)
        add_note_row(form, _wrapped(self.tr("Istanze di cui il richiedente ha rinunciato: "
                                            "restano non ammissibili, con il motivo."),
                                    "hint"))  # fmt: skip
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Nota della graduatoria"))
        self.note.setPlaceholderText(self.tr("perché: nuovo budget, correzione, revoca…"))
        self.note.setMaxLength(500)
        form.addRow(self.tr("&Nota:"), self.note)
        layout.addLayout(form)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Avanzamento della graduatoria"))
        self.bar.setRange(0, 0)
        self.bar.hide()
        layout.addWidget(self.bar)
        self.status = _wrapped("", "hint")
        self.status.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Fai la graduatoria"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        return self.progress is not None

    def choose_withdrawn(self) -> WithdrawnDialog:
        dialog = WithdrawnDialog(self.received, self.withdrawn, self)
        dialog.accepted.connect(lambda: self.set_withdrawn(dialog.chosen()))
        dialog.finished.connect(lambda _result: setattr(self, "withdrawn_dialog", None))
        self.withdrawn_dialog = dialog
        dialog.open()
        return dialog

    def set_withdrawn(self, chosen: frozenset[Ident]) -> None:
        self.withdrawn = chosen
        self.withdrawn_label.setText(withdrawn_summary(chosen))

    def problem_label_for(self, code: str) -> QLabel | None:
        if code in _BUDGET_CODES:
            return self.budget_problem
        if code == "rules.incomplete_istanze":
            return self.provisional_problem
        return None

    def problem_text(self, exc: UserFacingError) -> str:
        if exc.code == "rules.incomplete_istanze":  # the catalog's text speaks of --provisional
            return (
                self.tr(
                    "%1 istanze sono ancora da integrare (documenti attesi entro un termine non "
                    "ancora scaduto): %2. Attendi il termine, oppure spunta «Provvisoria»."
                )
                .replace("%1", str(exc.params.get("count", "")))
                .replace("%2", str(exc.params.get("istanze", "")))
            )
        if exc.code == "rules.budget_needs_single_ranking":
            return self.tr(
                "L'avviso ha più graduatorie, ciascuna con il proprio budget: lascia vuoto il "
                "budget."
            )
        return super().problem_text(exc)

    def on_ok_clicked(self) -> None:
        on = read_day(self.on_line, self.tr("Data"), self.on_problem)
        try:
            budget = values.parse_amount(self.budget.text())
        except ValueError as exc:
            show_problem(self.budget_problem, value_message(exc, self.tr("Budget"),
                                                            date_kind=False))  # fmt: skip
            budget = None
            on = None
        else:
            show_problem(self.budget_problem, "")
        show_problem(self.provisional_problem, "")
        if on is None:
            self.adjustSize()
            return
        self.start(on, budget)

    def start(self, on: date, budget: Decimal | None) -> None:
        workspace, now = self.session.workspace, self.session.now()
        avviso, provisional = self.avviso, self.provisional.isChecked()
        note, withdrawn = self.note.text().strip(), sorted(self.withdrawn)
        progress = ThreadProgress()
        self.progress = progress

        def work() -> StoredRun:
            return ranking_runs.rank_received(
                workspace.uow_factory(), actor=workspace.actor, avviso_id=avviso, on=on,
                budget=budget, provisional=provisional, note=note, now=now, withdrawn=withdrawn,
                progress=lambda done, total: step(progress, done, total),
            )  # fmt: skip

        self.set_busy(True)
        self.tasks.run(work, on_done=self.on_run_made, on_error=self.on_run_failed, owner=self)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.bar.setVisible(busy)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Interrompi") if busy else self.tr("Annulla"))
        if busy:
            self.status.setText(self.tr("Graduatoria in corso…"))
            self.status.show()
            self.timer.start()
        else:
            self.timer.stop()
        self.adjustSize()

    def _poll(self) -> None:
        fraction = self.progress.fraction() if self.progress is not None else None
        if fraction is None:
            return
        if self.bar.maximum() != PROGRESS_STEPS:
            self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setValue(round(fraction * PROGRESS_STEPS))

    def reject(self) -> None:
        if self.progress is not None:  # while ranking, "Interrompi" stops it
            self.progress.cancel()
            self.status.setText(self.tr("Interruzione in corso…"))
            self.cancel_button.setEnabled(False)
            return
        super().reject()

    def on_run_made(self, stored: StoredRun) -> None:
        self.progress = None
        self.set_busy(False)
        self.run_made.emit(stored)
        self.accept()

    def on_run_failed(self, exc: BaseException) -> None:
        self.progress = None
        if isinstance(exc, Cancelled):
            self.set_busy(False)
            self.status.setText(self.tr("Interrotta: nessuna graduatoria è stata registrata."))
            return
        self.status.hide()
        self.on_task_failed(exc)


class ApproveDialog(WorkerDialog):
    """Number and date of the determina → ``ranking_runs.approve_run`` on the worker."""

    approved = Signal(object)  # the StoredRun with its approval

    def __init__(self, session: Session, *, stored: StoredRun, parent: QWidget | None) -> None:
        super().__init__(session.tasks, parent)
        self.session = session
        self.stored = stored
        run = stored.run
        self.setWindowTitle(self.tr("Approva la graduatoria"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                self.tr("Approva la graduatoria n. %1").replace("%1", str(run.number)),
                "dialogTitle",
            )
        )
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Indica la determina che la approva. Da quel momento gli esiti ai comuni si "
                    "danno da questa graduatoria; una graduatoria si approva una volta sola."
                ),
                "hint",
            )
        )
        form = QFormLayout()
        self.determina = QLineEdit()
        self.determina.setAccessibleName(self.tr("Numero della determina"))
        self.determina.setPlaceholderText(self.tr("per esempio 123/%1").replace(
            "%1", str(session.now().year)))  # fmt: skip
        self.determina.setMaxLength(40)
        self.determina_problem = problem_label(self.tr("Problema con il numero della determina"))
        form.addRow(self.tr("&Determina n.:"), self.determina)
        add_problem_row(form, self.determina_problem)
        self.on_line = date_field(self.tr("Data della determina"), session.now().date())
        self.on_problem = problem_label(self.tr("Problema con la data della determina"))
        form.addRow(self.tr("D&el:"), self.on_line)
        add_problem_row(form, self.on_problem)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Approva"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.determina.textChanged.connect(lambda _t: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.ok_button.setEnabled(bool(self.determina.text().strip()))

    def problem_label_for(self, code: str) -> QLabel | None:
        if code == "desk.determina_invalid":
            return self.determina_problem
        if code == "desk.determina_in_future":
            return self.on_problem
        return None

    def on_ok_clicked(self) -> None:
        on = read_day(self.on_line, self.tr("Data della determina"), self.on_problem)
        show_problem(self.determina_problem, "")
        if on is None:
            self.adjustSize()
            return
        workspace, now = self.session.workspace, self.session.now()
        run_id, determina = self.stored.run.id, self.determina.text()
        self.set_busy(True)
        self.tasks.run(
            lambda: ranking_runs.approve_run(
                workspace.uow_factory(),
                actor=workspace.actor,
                run_id=run_id,
                determina=determina,
                on=on,
                now=now,
            ),
            on_done=self.on_approved,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_approved(self, stored: StoredRun) -> None:
        self.set_busy(False)
        self.approved.emit(stored)
        self.accept()
