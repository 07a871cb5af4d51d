"""The social evaluation narrative, written beside the home visit's scales.

Visit date and place, housing, network, needs, risks, summary and the "valutazione
multidimensionale" flag with the ASST evaluators. The latest evaluation of the case is loaded
on the worker; edits are saved about 700 ms after the last keystroke, serialised like the case
editor: while a save is in flight further edits wait, then the latest state is saved.
Operators without ``READ_HEALTH`` never load it (the home visit is hidden from them anyway).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.roles import Permission
from caseworker_app.services import evaluations
from caseworker_app.services.evaluations import SavedEvaluation
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_date, format_time, parse_date
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity

AUTOSAVE_DELAY_MS = 700
_NAME_SEPARATORS = re.compile(r"[;,\n]")


def split_names(text: str) -> tuple[str, ...]:
    """ "Anna Bianchi; Marco Verdi" → ("Anna Bianchi", "Marco Verdi")."""
    return tuple(n.strip() for n in _NAME_SEPARATORS.split(text) if n.strip())


class EvaluationPanel(QWidget):
    #: a save reached the store (the evaluation's record id)
    evaluation_saved = Signal(str)
    #: no save is pending or in flight any more
    became_idle = Signal()

    def __init__(self, session: Session, *, case_id: CaseId, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        actor = session.workspace.actor
        self.can_read = actor.can(Permission.READ_HEALTH)
        self.can_edit = self.can_read and actor.can(Permission.EDIT_CASES)
        self.record_id: str | None = None
        self.loaded = False
        self._dirty = False
        self._saving = False
        self._filling = False
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)
        self._build()
        self._set_enabled(False)
        if self.can_read:
            self.load()
        else:
            self.hide()

    # -- building ----------------------------------------------------------------------------

    def _text(self, name: str, lines: int = 4) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        height = edit.fontMetrics().lineSpacing() * lines + 12
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(height)  # long texts scroll inside: the whole form stays in view
        edit.textChanged.connect(self.on_edited)
        return edit

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        title = QLabel(self.tr("Valutazione sociale"))
        title.setObjectName("dialogTitle")
        header.addWidget(title, 1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setAccessibleName(self.tr("Stato del salvataggio"))
        header.addWidget(self.status)
        outer.addLayout(header)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        form = QFormLayout(holder)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.visit_date = QLineEdit()
        self.visit_date.setPlaceholderText(self.tr("gg/mm/aaaa"))
        self.visit_date.setAccessibleName(self.tr("Data della visita"))
        self.visit_date.setMaximumWidth(140)
        self.visit_date.textEdited.connect(self.on_edited)
        self.date_issue = QLabel()
        self.date_issue.setWordWrap(True)
        self.date_issue.hide()
        self.place = QLineEdit()
        self.place.setPlaceholderText(self.tr("per esempio: domicilio della persona"))
        self.place.setAccessibleName(self.tr("Luogo della visita"))
        self.place.textEdited.connect(self.on_edited)
        self.housing = self._text(self.tr("Situazione abitativa"))
        self.network = self._text(self.tr("Rete familiare e sociale"))
        self.needs = self._text(self.tr("Bisogni"))
        self.risks = self._text(self.tr("Rischi"))
        self.summary = self._text(self.tr("Sintesi della valutazione"), lines=5)
        self.multidimensional = QCheckBox(self.tr("Valutazione multidimensionale con l'ASST"))
        self.multidimensional.setAccessibleName(self.tr("Valutazione multidimensionale"))
        self.multidimensional.toggled.connect(self.on_multidimensional_toggled)
        self.evaluators = QLineEdit()
        self.evaluators.setPlaceholderText(self.tr("nomi separati da punto e virgola"))
        self.evaluators.setAccessibleName(self.tr("Valutatori dell'ASST"))
        self.evaluators.textEdited.connect(self.on_edited)
        form.addRow(self.tr("Data della visita"), self.visit_date)
        form.addRow("", self.date_issue)
        form.addRow(self.tr("Luogo"), self.place)
        form.addRow(self.tr("Abitazione"), self.housing)
        form.addRow(self.tr("Rete"), self.network)
        form.addRow(self.tr("Bisogni"), self.needs)
        form.addRow(self.tr("Rischi"), self.risks)
        form.addRow(self.tr("Sintesi"), self.summary)
        form.addRow("", self.multidimensional)
        form.addRow(self.tr("Valutatori ASST"), self.evaluators)
        scroll.setWidget(holder)
        outer.addWidget(scroll, 1)

    def _fields(self) -> list[QWidget]:
        return [self.visit_date, self.place, self.housing, self.network, self.needs,
                self.risks, self.summary, self.multidimensional, self.evaluators]  # fmt: skip

    def _set_enabled(self, enabled: bool) -> None:
        for widget in self._fields():
            widget.setEnabled(enabled)
        self.evaluators.setEnabled(enabled and self.multidimensional.isChecked())

    # -- state -------------------------------------------------------------------------------

    def is_idle(self) -> bool:
        return not self._dirty and not self._saving

    def read(self) -> tuple[SocialEvaluation, bool]:
        """What the form holds, and whether the visit date is readable."""
        try:
            day = parse_date(self.visit_date.text())
            date_ok = True
        except ValueError:
            day, date_ok = None, False
        evaluation = SocialEvaluation(
            visit_date=day,
            place=self.place.text().strip(),
            housing=self.housing.toPlainText(),
            network=self.network.toPlainText(),
            needs=self.needs.toPlainText(),
            risks=self.risks.toPlainText(),
            summary=self.summary.toPlainText(),
            multidimensional=self.multidimensional.isChecked(),
            asst_evaluators=split_names(self.evaluators.text()),
        )
        return evaluation, date_ok

    def fill(self, evaluation: SocialEvaluation) -> None:
        self._filling = True
        try:
            self.visit_date.setText(format_date(evaluation.visit_date))
            self.place.setText(evaluation.place)
            self.housing.setPlainText(evaluation.housing)
            self.network.setPlainText(evaluation.network)
            self.needs.setPlainText(evaluation.needs)
            self.risks.setPlainText(evaluation.risks)
            self.summary.setPlainText(evaluation.summary)
            self.multidimensional.setChecked(evaluation.multidimensional)
            self.evaluators.setText("; ".join(evaluation.asst_evaluators))
        finally:
            self._filling = False

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        self.status.setText(self.tr("Caricamento…"))

        def load() -> SavedEvaluation | None:
            return evaluations.latest_evaluation(
                workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=now
            )

        self.session.tasks.run(
            load, on_done=self.on_loaded, on_error=self.on_load_failed, owner=self
        )

    def on_loaded(self, saved: SavedEvaluation | None) -> None:
        self.loaded = True
        if saved is None:
            self.fill(SocialEvaluation(visit_date=self.session.now().date()))
            self.status.setText(self.tr("Nuova valutazione"))
        else:
            self.record_id = saved.record_id
            self.fill(saved.evaluation)
            self.status.setText(
                self.tr("Ultima modifica: %1").replace(
                    "%1", f"{format_date(saved.updated_at.date())} {format_time(saved.updated_at)}"
                )
            )
        self._set_enabled(self.can_edit)

    def on_load_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Valutazione non disponibile"))
        errors.report_error(self.window(), exc)

    # -- autosave ----------------------------------------------------------------------------

    def on_multidimensional_toggled(self, checked: bool) -> None:
        self.evaluators.setEnabled(checked and self.can_edit and self.loaded)
        self.on_edited()

    def on_edited(self) -> None:
        if self._filling or not self.loaded or not self.can_edit:
            return
        _evaluation, date_ok = self.read()
        if date_ok:
            self.date_issue.hide()
        else:
            self.date_issue.setText(
                self.tr("Data: usa il formato gg/mm/aaaa (per esempio 05/03/2024).")
            )
            set_severity(self.date_issue, "warning")
            self.date_issue.show()
        self._dirty = True
        if not self._saving:
            self.status.setText(self.tr("Modifiche non ancora salvate"))
        self._autosave.start()

    def save_now(self) -> None:
        self._autosave.stop()
        if not self._dirty or self._saving:
            return
        evaluation, _date_ok = self.read()  # an unreadable date is saved empty, the rest kept
        self._dirty = False
        self._saving = True
        self.status.setText(self.tr("Salvataggio…"))
        workspace, now = self.session.workspace, self.session.now()
        case_id, record_id = self.case_id, self.record_id

        def save() -> SavedEvaluation:
            return evaluations.save_evaluation(
                workspace.uow_factory(),
                actor=workspace.actor,
                case_id=case_id,
                evaluation=evaluation,
                record_id=record_id,
                now=now,
            )

        self.session.tasks.run(
            save, on_done=self.on_save_done, on_error=self.on_save_failed, owner=self
        )

    def on_save_done(self, saved: SavedEvaluation) -> None:
        self._saving = False
        self.record_id = saved.record_id
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        self.evaluation_saved.emit(saved.record_id)
        if self._dirty:
            self.save_now()
        else:
            self.became_idle.emit()

    def on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._dirty = True  # keep what was typed; the next edit or flush tries again
        self.status.setText(self.tr("Salvataggio non riuscito"))
        errors.report_error(self.window(), exc)
        self.became_idle.emit()

    def flush(self) -> None:
        """Save pending edits at once (closing the home visit)."""
        if self._dirty:
            self.save_now()
