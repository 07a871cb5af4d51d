"""The home visit: a full-window mode to fill in ADL, IADL and Barthel sheets one item at a time.

The social worker chooses a scale among those offered for the person's age, then answers one
item per screen with large buttons (keys 1–5 choose, Backspace or ← go back). Every answer is
saved at once as a draft on the worker. Totals and classes appear only at the end, so that they
do not anchor the answers; "Chiudi la scheda" completes the sheet once confirmed (a closed sheet
is frozen). A draft in the list of the case's sheets reopens at its first unanswered item
(double-click, Enter, "Riprendi") or is discarded ("Elimina bozza…"); starting a scale that has
a draft asks whether to resume it (scale_draft_dialogs). The place of the visit typed
above the scales (or, when left empty, the one of the social evaluation) is kept on every sheet
started, for the printed sheet ("Luogo della visita").

Beside the scales, two more tabs of the same window: the social evaluation narrative
(``EvaluationPanel``, autosaved) and the history with its chart and "Cosa è cambiato"
(``AssessmentHistoryView``). The pages live in their own modules (home_visit_sheet_list,
home_visit_item_page, home_visit_result_page), the worker functions in home_visit_tasks, the
small widgets and the result lines in home_visit_widgets.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.assessment import Assessment, offered_scales
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.scales import ScaleDefinition
from caseworker_app.services import assessments
from caseworker_app.services.assessments import SheetSummary
from caseworker_app.ui import errors
from caseworker_app.ui import home_visit_tasks as tasks
from caseworker_app.ui.assessment_history import AssessmentHistoryView
from caseworker_app.ui.evaluation_panel import EvaluationPanel
from caseworker_app.ui.home_visit_item_page import ItemPage
from caseworker_app.ui.home_visit_result_page import ResultPage
from caseworker_app.ui.home_visit_sheet_list import SheetListPage
from caseworker_app.ui.home_visit_widgets import (
    DIGIT_KEYS,
    HOME_VISIT_STYLE,
    SCALES,
    DraftFound,
    OptionButton,
    Started,
    first_unanswered,
    result_lines,
)
from caseworker_app.ui.scale_draft_dialogs import (
    DraftBox,
    DraftChoice,
    ask_resume_draft,
    confirm_close_sheet,
    confirm_discard_draft,
)
from caseworker_app.ui.session import Session


class HomeVisitView(QWidget):
    """Opened from a saved case with a birth date; shown as its own maximised window."""

    #: a sheet was completed (its id)
    sheet_completed = Signal(str)
    #: sheets were closed or discarded, or the window closed: lists elsewhere may be stale
    sheets_changed = Signal()

    def __init__(
        self,
        session: Session,
        *,
        case_id: CaseId,
        person: str,
        birth_date: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.case_id = case_id
        self.setWindowTitle(self.tr("Valutazione a domicilio – %1").replace("%1", person))
        self.setStyleSheet(HOME_VISIT_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.visit_date = session.now().date()
        age = age_on(birth_date, self.visit_date)
        self.offered = offered_scales(SCALES, age_on_visit=age)
        self.sheet: Assessment | None = None
        self.definition: ScaleDefinition | None = None
        self.answers: dict[str, int | None] = {}
        self.index = 0
        self.summary: SheetSummary | None = None
        self.saves_in_flight = 0
        self.completed = False
        self.dialog: DraftBox | None = None  # the question open, if any
        self._build(person)
        self.load_history()

    # -- building ----------------------------------------------------------------------------

    def _build(self, person: str) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        header = QHBoxLayout()
        title = QLabel(self.tr("Valutazione a domicilio: %1").replace("%1", person))
        title.setObjectName("pageTitle")
        header.addWidget(title, 1)
        self.close_button = self._action(self.tr("Torna alla cartella"))
        self.close_button.clicked.connect(self.close)
        header.addWidget(self.close_button)
        layout.addLayout(header)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("homeVisitTabs")
        self.pages = QStackedWidget()
        self.can_edit = self.session.workspace.actor.can(Permission.EDIT_CASES)
        self.sheet_list = SheetListPage(offered=self.offered, can_edit=self.can_edit,
                                        action=self._action)  # fmt: skip
        self.item_page = ItemPage(action=self._action)
        self.result_page = ResultPage(action=self._action)
        for page in (self.sheet_list, self.item_page, self.result_page):
            self.pages.addWidget(page)
        self._connect_pages()
        self.tabs.addTab(self.pages, self.tr("Schede ADL, IADL, Barthel"))
        self.evaluation = EvaluationPanel(self.session, case_id=self.case_id)
        self.tabs.addTab(self.evaluation, self.tr("Valutazione sociale"))
        self.history_view = AssessmentHistoryView(self.session, case_id=self.case_id)
        self.history_view.draft_activated.connect(self.resume)
        self.tabs.addTab(self.history_view, self.tr("Storico e confronto"))
        self.tabs.currentChanged.connect(self.on_tab_changed)
        layout.addWidget(self.tabs, 1)
        self.installEventFilter(self)

    def on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.pages:
            self.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.evaluation.flush()  # the narrative typed last is never lost
        self.sheets_changed.emit()
        super().closeEvent(event)

    def _action(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("homeVisitAction")
        button.setAccessibleName(text)
        button.installEventFilter(self)
        return button

    def _connect_pages(self) -> None:
        """The pages' buttons to what they do; their widgets as this view's own attributes."""
        sheets, item, result = self.sheet_list, self.item_page, self.result_page
        self.place, self.scale_buttons = sheets.place, sheets.scale_buttons
        self.history_list = sheets.history_list
        self.resume_button, self.discard_button = sheets.resume_button, sheets.discard_button
        for scale_id, button in self.scale_buttons.items():
            button.clicked.connect(lambda _c=False, s=scale_id: self.start(s))
        self.history_list.itemActivated.connect(self.on_history_item_activated)  # dbl-click, Enter
        self.resume_button.clicked.connect(self.on_resume_clicked)
        self.discard_button.clicked.connect(self.on_discard_clicked)
        self.progress, self.item_text = item.progress, item.item_text
        self.back_button, self.skip_button = item.back_button, item.skip_button
        self.not_applicable_button = item.not_applicable_button
        self.back_button.clicked.connect(self.go_back)
        self.skip_button.clicked.connect(self.skip)
        self.not_applicable_button.clicked.connect(lambda: self.answer(None))
        self.result_title, self.result = result.result_title, result.result
        self.review_button, self.complete_button = result.review_button, result.complete_button
        self.another_button = result.another_button
        self.review_button.clicked.connect(self.go_back)
        self.complete_button.clicked.connect(self.complete)
        self.another_button.clicked.connect(self.show_choose)

    @property
    def option_buttons(self) -> list[OptionButton]:
        """The buttons of the options of the item shown."""
        return self.item_page.option_buttons

    @property
    def history(self) -> list[SheetSummary]:
        return self.sheet_list.history

    # -- keys --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.handle_key(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def handle_key(self, event: QKeyEvent) -> bool:
        if self.tabs.currentWidget() is not self.pages:
            return False
        page = self.pages.currentIndex()
        key = event.key()
        if page == 1 and key in DIGIT_KEYS:
            number = DIGIT_KEYS[Qt.Key(key)]
            if number <= len(self.option_buttons):
                self.answer(number)
            return True
        if page in (1, 2) and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Left):
            self.go_back()
            return True
        return False

    # -- history -----------------------------------------------------------------------------

    def load_history(self) -> None:
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        offered = list(self.offered)
        self.session.tasks.run(
            lambda: tasks.load_history(workspace, offered=offered, case_id=case_id, now=now),
            on_done=self.on_history_loaded, owner=self,
        )  # fmt: skip

    def on_history_loaded(self, loaded: tuple[dict[str, str], list[SheetSummary]]) -> None:
        titles, history = loaded
        self.sheet_list.show_history(titles, history)

    # -- drafts ------------------------------------------------------------------------------

    def selected_draft(self) -> SheetSummary | None:
        return self.sheet_list.selected_draft()

    def on_history_item_activated(self, item: QListWidgetItem) -> None:
        sheet_id = item.data(Qt.ItemDataRole.UserRole)
        if self.can_edit and isinstance(sheet_id, str) and self.sheet_list.draft(sheet_id):
            self.resume(sheet_id)

    def on_resume_clicked(self) -> None:
        draft = self.selected_draft()
        if draft is not None and self.can_edit:
            self.resume(draft.sheet.id)

    def resume(self, sheet_id: str) -> None:
        """Open the draft ``sheet_id`` at its first unanswered item (its result when none is)."""
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: tasks.open_draft(workspace, sheet_id=sheet_id, now=now),
            on_done=self.on_resumed, owner=self,
        )  # fmt: skip

    def on_resumed(self, loaded: tuple[SheetSummary, ScaleDefinition]) -> None:
        summary, definition = loaded
        self.tabs.setCurrentWidget(self.pages)
        self.sheet, self.definition = summary.sheet, definition
        self.answers = dict(summary.sheet.answers)
        self.summary = summary
        self.completed = False
        index = first_unanswered(definition, self.answers)
        if index is None:  # every item answered: it was left at the result, before closing
            self.index = len(definition.items) - 1
            self.show_result()
        else:
            self.index = index
            self.show_item()

    def on_discard_clicked(self) -> None:
        draft = self.selected_draft()
        if draft is None or not self.can_edit:
            return
        sheet = draft.sheet
        title = get_scale(sheet.scale, sheet.version).title
        self.dialog = confirm_discard_draft(
            self, title=title, visit_date=sheet.visit_date,
            on_confirmed=lambda: self.discard(sheet.id),
        )  # fmt: skip

    def discard(self, sheet_id: str) -> None:
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: assessments.discard_draft(
                workspace.uow_factory(), actor=workspace.actor, sheet_id=sheet_id, now=now
            ),
            on_done=lambda _none: self.on_history_changed(),
            owner=self,
        )

    def on_history_changed(self) -> None:
        self.load_history()
        self.history_view.reload()
        self.sheets_changed.emit()

    # -- answering ---------------------------------------------------------------------------

    def show_choose(self) -> None:
        self.sheet = None
        self.definition = None
        self.pages.setCurrentIndex(0)
        self.load_history()

    def start(self, scale: str) -> None:
        self.sheet_list.set_scales_enabled(False)
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        visit_date = self.visit_date
        place = self.visit_place()

        def start() -> Started | DraftFound:
            return tasks.start_sheet(workspace, case_id=case_id, scale=scale,
                                     visit_date=visit_date, place=place, now=now)  # fmt: skip

        self.session.tasks.run(
            start, on_done=self.on_started, on_error=self.on_start_failed, owner=self
        )

    def visit_place(self) -> str:
        """The place typed above the scales, else the one of the social evaluation."""
        typed = self.place.text().strip()
        if typed or not self.evaluation.loaded:
            return typed
        return self.evaluation.read()[0].place

    def on_started(self, started: Started | DraftFound) -> None:
        self.sheet_list.set_scales_enabled(self.can_edit)
        if isinstance(started, DraftFound):
            self.ask_about_draft(started)
            return
        self.sheet, self.definition = started.sheet, started.definition
        self.answers = {}
        self.summary = None
        self.completed = False
        self.index = 0
        self.show_item()

    def ask_about_draft(self, found: DraftFound) -> None:
        def answered(choice: DraftChoice) -> None:
            if choice is DraftChoice.RESUME:
                self.resume(found.sheet.id)
            elif choice is DraftChoice.NEW:
                self.start_over(found.sheet)

        self.dialog = ask_resume_draft(
            self, title=found.definition.title, visit_date=found.sheet.visit_date,
            on_answer=answered,
        )  # fmt: skip

    def start_over(self, draft: Assessment) -> None:
        """A new sheet of the draft's scale; the draft is discarded once the new one exists."""
        self.sheet_list.set_scales_enabled(False)
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        visit_date, place = self.visit_date, self.visit_place()

        def start() -> Started:
            return tasks.start_over(workspace, case_id=case_id, draft=draft,
                                    visit_date=visit_date, place=place, now=now)  # fmt: skip

        self.session.tasks.run(
            start, on_done=self.on_started, on_error=self.on_start_failed, owner=self
        )

    def on_start_failed(self, exc: BaseException) -> None:
        self.sheet_list.set_scales_enabled(self.can_edit)
        errors.report_error(self, exc)

    def show_item(self) -> None:
        definition = self.definition
        assert definition is not None
        chosen = self.answers.get(definition.items[self.index].id, 0)
        self.item_page.show_item(definition, self.index, chosen, on_answer=self.answer,
                                 key_filter=self)  # fmt: skip
        self.pages.setCurrentIndex(1)
        self.setFocus()

    def answer(self, number: int | None) -> None:
        """Record the answer to the current item, save the draft, and move on."""
        definition = self.definition
        if definition is None or self.pages.currentIndex() != 1:
            return
        self.answers[definition.items[self.index].id] = number
        self.save_draft()
        self.advance()

    def skip(self) -> None:
        self.advance()

    def advance(self) -> None:
        assert self.definition is not None
        if self.index + 1 < len(self.definition.items):
            self.index += 1
            self.show_item()
        else:
            self.show_result()

    def go_back(self) -> None:
        if self.pages.currentIndex() == 2:
            if self.completed:
                return
            self.show_item()
        elif self.index > 0:
            self.index -= 1
            self.show_item()

    def save_draft(self) -> None:
        sheet = self.sheet
        assert sheet is not None
        workspace, now, answers = self.session.workspace, self.session.now(), dict(self.answers)
        self.saves_in_flight += 1
        self.session.tasks.run(
            lambda: assessments.save_answers(
                workspace.uow_factory(),
                actor=workspace.actor,
                sheet_id=sheet.id,
                answers=answers,
                now=now,
            ),
            on_done=self.on_draft_saved,
            on_error=self.on_draft_failed,
            owner=self,
        )

    def on_draft_saved(self, summary: SheetSummary) -> None:
        self.saves_in_flight -= 1
        self.summary = summary  # saves are serialised: the last one carries every answer
        self.update_result()

    def on_draft_failed(self, exc: BaseException) -> None:
        self.saves_in_flight -= 1
        self.update_result()
        errors.report_error(self, exc)

    # -- the end -----------------------------------------------------------------------------

    def show_result(self) -> None:
        self.pages.setCurrentIndex(2)
        self.update_result()
        self.setFocus()

    def update_result(self) -> None:
        definition = self.definition
        if definition is None or self.pages.currentIndex() != 2:
            return
        if self.saves_in_flight or self.summary is None:
            self.result_page.show_saving(definition.title)
            return
        lines = result_lines(self, definition, self.summary.result)
        self.result_page.show_result(definition.title, lines, completed=self.completed)

    def complete(self) -> None:
        """Ask before freezing the sheet (with its totals); an incomplete one is refused at once
        by the service, which says what is missing."""
        sheet, definition, summary = self.sheet, self.definition, self.summary
        if sheet is None or definition is None:
            return
        if summary is None or not summary.result.complete:
            self.close_sheet()
            return
        self.dialog = confirm_close_sheet(
            self, title=definition.title, totals=result_lines(self, definition, summary.result),
            on_confirmed=self.close_sheet,
        )  # fmt: skip

    def close_sheet(self) -> None:
        sheet = self.sheet
        if sheet is None or self.completed:
            return
        self.complete_button.setEnabled(False)
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: assessments.complete_assessment(
                workspace.uow_factory(), actor=workspace.actor, sheet_id=sheet.id, now=now
            ),
            on_done=self.on_completed,
            on_error=self.on_complete_failed,
            owner=self,
        )

    def on_completed(self, summary: SheetSummary) -> None:
        self.summary = summary
        self.completed = True
        self.update_result()
        self.sheet_completed.emit(summary.sheet.id)
        self.on_history_changed()

    def on_complete_failed(self, exc: BaseException) -> None:
        self.complete_button.setEnabled(True)
        errors.report_error(self, exc)
