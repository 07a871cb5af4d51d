"""The "Cartelle" section: the case list as first tab, and one tab per open case editor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget

from caseworker_app.domain.casefile import CaseFile
from caseworker_app.domain.ids import CaseId
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.cases_view import CasesView
from caseworker_app.ui.session import Session


class CasesPage(QTabWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(False)
        self.list_view = CasesView(session)
        self.addTab(self.list_view, self.tr("Elenco"))
        self.tabBar().setTabButton(0, self.tabBar().ButtonPosition.RightSide, None)
        self.list_view.case_requested.connect(self.open_case)
        self.list_view.new_case_requested.connect(self.new_case)
        self.tabCloseRequested.connect(self.on_tab_close_requested)
        self.currentChanged.connect(self.on_current_changed)

    def activate(self) -> None:
        if self.currentWidget() is self.list_view:
            self.list_view.activate()

    def editors(self) -> list[CaseEditor]:
        found = (self.widget(i) for i in range(self.count()))
        return [w for w in found if isinstance(w, CaseEditor)]

    # -- opening ---------------------------------------------------------------------------

    def new_case(self) -> CaseEditor:
        return self._add_editor(CaseEditor(self.session))

    def open_case(self, case_id: str, then: Callable[[CaseEditor], None] | None = None) -> None:
        """Show the case's tab (loading it on the worker first); ``then`` gets its editor."""
        for editor in self.editors():
            if editor.case_id == case_id:
                self.setCurrentWidget(editor)
                if then is not None:
                    then(editor)
                return
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: cases.open_case(
                workspace.uow_factory(), actor=workspace.actor, case_id=CaseId(case_id), now=now
            ),
            on_done=lambda case: self.on_case_loaded(case, then),
            owner=self,
        )

    def on_case_loaded(
        self, case: CaseFile, then: Callable[[CaseEditor], None] | None = None
    ) -> None:
        for editor in self.editors():
            if editor.case_id == case.id:
                self.setCurrentWidget(editor)
                break
        else:
            editor = self._add_editor(CaseEditor(self.session, case=case))
        if then is not None:
            then(editor)

    def _add_editor(self, editor: CaseEditor) -> CaseEditor:
        index = self.addTab(editor, editor.display_title())
        editor.title_changed.connect(lambda title, e=editor: self._retitle(e, title))
        editor.case_saved.connect(lambda _case_id: self.list_view.mark_stale())
        editor.open_case_requested.connect(self.open_case)
        editor.case_deleted.connect(lambda _case_id, e=editor: self._on_case_deleted(e))
        self.setCurrentIndex(index)
        editor.form.setFocus()
        first = editor.form.inputs["codice_fiscale"]
        first.setFocus()
        return editor

    def _retitle(self, editor: CaseEditor, title: str) -> None:
        index = self.indexOf(editor)
        if index >= 0:
            self.setTabText(index, title)

    # -- closing ---------------------------------------------------------------------------

    def on_tab_close_requested(self, index: int) -> None:
        editor = self.widget(index)
        if not isinstance(editor, CaseEditor):
            return
        editor.flush()
        if editor.is_saving():
            # Close once the last save is stored; the form stays until then.
            editor.setEnabled(False)
            editor.became_idle.connect(lambda e=editor: self._remove(e))
        else:
            self._remove(editor)

    def _remove(self, editor: CaseEditor) -> None:
        # A new cartella refused because its codice fiscale is another cartella's closes
        # without saving (its message said so); any other failed save keeps the tab.
        discard = editor.case_id is None and editor.is_refused_duplicate()
        if not editor.is_idle() and not discard:  # keep the tab and what was typed
            editor.setEnabled(True)
            if editor.is_refused_duplicate():
                self.setCurrentWidget(editor)  # its message says why it cannot be saved
            return
        index = self.indexOf(editor)
        if index >= 0:
            self.removeTab(index)
        editor.deleteLater()

    def _on_case_deleted(self, editor: CaseEditor) -> None:
        """An empty cartella was deleted: its tab goes, the list is read again."""
        self.list_view.mark_stale()
        index = self.indexOf(editor)
        if index >= 0:
            self.removeTab(index)
        editor.deleteLater()

    def flush_all(self) -> None:
        for editor in self.editors():
            editor.flush()

    def on_current_changed(self, _index: int) -> None:
        if self.currentWidget() is self.list_view:
            self.list_view.activate()
