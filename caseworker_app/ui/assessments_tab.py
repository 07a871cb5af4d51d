"""The "Valutazioni" tab of a case file: the history of the assessments, with the chart and what
changed since the last one (shown only to operators who may read health data), the print of
the sheet selected in the history, and its drafts: "Riprendi" (or double-click, Enter) asks the
case editor to open the home visit on the draft (``resume_requested``); "Elimina bozza…"
discards it once confirmed."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.roles import Permission
from caseworker_app.services import assessments, printing
from caseworker_app.ui import errors
from caseworker_app.ui.assessment_history import AssessmentHistoryView, HistoryRow
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.scale_draft_dialogs import DraftBox, confirm_discard_draft
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session


class AssessmentsTab(QWidget):
    #: resume this draft in the home visit (the sheet's id)
    resume_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: CaseId | None = None
        self.view: AssessmentHistoryView | None = None
        self.preview: PrintPreviewDialog | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 8, 12, 8)  # as the other tabs of the case file
        self.hint = QLabel(
            self.tr(
                "Le valutazioni compaiono qui dopo la prima visita: usa «Valutazione a "
                "domicilio…» in alto a destra."
            )
        )
        self.hint.setObjectName("emptyState")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.hint)
        self.print_button = QPushButton(self.tr("Stampa la scheda…"))
        self.print_button.setAccessibleName(self.tr("Stampa la scheda selezionata nello storico"))
        self.print_button.setToolTip(self.tr("Si stampano le schede chiuse"))
        self.print_button.clicked.connect(self.on_print_clicked)
        self.print_button.setEnabled(False)
        self.dialog: DraftBox | None = None
        self.resume_button = QPushButton(self.tr("Riprendi"))
        self.resume_button.setAccessibleName(self.tr("Riprendi la bozza selezionata"))
        self.resume_button.setToolTip(self.tr("Apre la valutazione a domicilio sulla bozza"))
        self.resume_button.clicked.connect(self.on_resume_clicked)
        self.discard_button = QPushButton(self.tr("Elimina bozza…"))
        self.discard_button.setAccessibleName(self.tr("Elimina la bozza selezionata"))
        self.discard_button.clicked.connect(self.on_discard_clicked)
        self.bar = QWidget()
        buttons = QHBoxLayout(self.bar)
        buttons.setContentsMargins(0, 4, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.print_button)
        self._layout.addWidget(self.bar)
        self.bar.hide()
        self._can_print = session.workspace.actor.can(Permission.READ_HEALTH)
        self._can_edit = self._can_print and session.workspace.actor.can(Permission.EDIT_CASES)

    def set_case(self, case_id: CaseId | None) -> None:
        if case_id is None:
            return
        if self.view is not None and self.case_id == case_id:
            self.view.reload()
            return
        self.case_id = case_id
        if self.view is not None:
            self.view.deleteLater()
        self.view = AssessmentHistoryView(self.session, case_id=case_id)
        self.view.table.itemSelectionChanged.connect(self._update_print)
        self.view.draft_activated.connect(self.resume_requested)
        self.view.loaded.connect(self._update_print)
        self.hint.hide()
        self._layout.insertWidget(self._layout.indexOf(self.bar), self.view, 1)
        self.bar.setVisible(self._can_print)  # health data: not for the amministrativo
        self._update_print()

    def reload(self) -> None:
        if self.view is not None:
            self.view.reload()

    # -- printing ----------------------------------------------------------------------------

    def selected_row(self) -> HistoryRow | None:
        """The history row selected, if its data are loaded."""
        view = self.view
        if view is None or view.data is None:
            return None
        indexes = view.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].row()
        return view.data.rows[row] if 0 <= row < len(view.data.rows) else None

    def _update_print(self) -> None:
        entry = self.selected_row()
        self.print_button.setEnabled(entry is not None and entry.closed)
        draft = entry is not None and not entry.closed and self._can_edit
        self.resume_button.setEnabled(draft)
        self.discard_button.setEnabled(draft)

    # -- drafts ------------------------------------------------------------------------------

    def on_resume_clicked(self) -> None:
        entry = self.selected_row()
        if entry is not None and not entry.closed and self._can_edit:
            self.resume_requested.emit(entry.sheet_id)

    def on_discard_clicked(self) -> None:
        entry = self.selected_row()
        if entry is None or entry.closed or not self._can_edit:
            return
        sheet_id = entry.sheet_id
        self.dialog = confirm_discard_draft(
            self.window(), title=entry.title, visit_date=entry.visit_date,
            on_confirmed=lambda: self.discard(sheet_id),
        )  # fmt: skip

    def discard(self, sheet_id: str) -> None:
        workspace, now = self.session.workspace, self.session.now()
        self.discard_button.setEnabled(False)
        self.session.tasks.run(
            lambda: assessments.discard_draft(
                workspace.uow_factory(), actor=workspace.actor, sheet_id=sheet_id, now=now
            ),
            on_done=lambda _none: self.reload(),
            on_error=self.on_discard_failed,
            owner=self,
        )

    def on_discard_failed(self, exc: BaseException) -> None:
        self._update_print()
        errors.report_error(self.window(), exc)

    def on_print_clicked(self) -> None:
        entry = self.selected_row()
        if entry is not None and entry.closed and self.case_id is not None:
            self.print_sheet(entry)

    def print_sheet(self, entry: HistoryRow) -> PrintPreviewDialog:
        """Preview the closed sheet of ``entry``."""
        assert self.case_id is not None
        workspace, now = self.session.workspace, self.session.now()
        sheet_id = entry.sheet_id

        def produce() -> printing.PrintedDocument:
            return printing.print_sheet(workspace.uow_factory(), actor=workspace.actor,
                                        sheet_id=sheet_id, now=now)  # fmt: skip

        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        self.preview = PrintPreviewDialog(
            self.session, title=entry.title, produce=produce, parent=self
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show_fitted(self.preview)
        return self.preview
