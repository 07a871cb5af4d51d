"""The "Valutazioni" tab of a case file: the history of the assessments, with the chart and what
changed since the last one (shown only to operators who may read health data)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from caseworker_app.domain.ids import CaseId
from caseworker_app.ui.assessment_history import AssessmentHistoryView
from caseworker_app.ui.session import Session


class AssessmentsTab(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: CaseId | None = None
        self.view: AssessmentHistoryView | None = None
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
        self.hint.hide()
        self._layout.addWidget(self.view, 1)

    def reload(self) -> None:
        if self.view is not None:
            self.view.reload()
