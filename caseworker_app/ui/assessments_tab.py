"""The "Valutazioni" tab of a case file: the history of the assessments, with the chart and what
changed since the last one (shown only to operators who may read health data), and the print of
the sheet selected in the history."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.roles import Permission
from caseworker_app.services import printing
from caseworker_app.ui.assessment_history import AssessmentHistoryView, HistoryRow
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.session import Session


class AssessmentsTab(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: CaseId | None = None
        self.view: AssessmentHistoryView | None = None
        self.preview: PrintPreviewDialog | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
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
        self.bar = QWidget()
        buttons = QHBoxLayout(self.bar)
        buttons.setContentsMargins(0, 4, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        self._layout.addWidget(self.bar)
        self.bar.hide()
        self._can_print = session.workspace.actor.can(Permission.READ_HEALTH)

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
        self.preview.show()
        return self.preview
