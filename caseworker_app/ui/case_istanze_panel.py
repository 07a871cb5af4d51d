"""The "Istanze" tab of a case file: its istanze, and the doors to the wizard and the PI."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza, IstanzaState
from caseworker_app.domain.roles import Permission
from caseworker_app.services import istanze, letters, printing
from caseworker_app.services.printing import DocumentKind
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_registered
from caseworker_app.ui.istanza_wizard.detail import IstanzaDetailView
from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
from caseworker_app.ui.istanze_view import avviso_title, state_label
from caseworker_app.ui.pi_editor import PiEditorView
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel


class CaseIstanzePanel(QWidget):
    #: the worker asked for a new istanza of this case
    new_requested = Signal()
    #: open the istanza (wizard or detail) with this id
    open_requested = Signal(str)
    #: open the Progetto Individuale of the istanza with this id
    pi_requested = Signal(str)

    def __init__(
        self,
        session: Session,
        *,
        person: Callable[[], str] = lambda: "",
        before_open: Callable[[], None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._person = person
        self._before_open = before_open
        self.wizard: IstanzaWizardView | None = None
        self.detail: IstanzaDetailView | None = None
        self.pi_editor: PiEditorView | None = None
        self.preview: PrintPreviewDialog | None = None
        self.case_id: CaseId | None = None
        self.case_closed = False
        self.rows: list[Istanza] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.model = TextTableModel(
            [self.tr("Avviso"), self.tr("Protocollo"), self.tr("Stato"), self.tr("Presentata il")],
            self,
        )
        self.table = read_only_table(
            self.model, accessible_name=self.tr("Istanze della cartella"), single_selection=True
        )
        self.table.doubleClicked.connect(lambda _index: self.on_open_clicked())
        self.table.activated.connect(lambda _index: self.on_open_clicked())
        self.empty = QLabel(
            self.tr(
                "Nessuna istanza per questa persona. Con «Nuova istanza…» scegli l'avviso e "
                "compili la domanda: i requisiti si verificano mentre scrivi."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("Nuova istanza…"))
        self.new_button.setAccessibleName(self.tr("Nuova istanza"))
        self.open_button = QPushButton(self.tr("Apri istanza"))
        self.open_button.setAccessibleName(self.tr("Apri l'istanza selezionata"))
        self.pi_button = QPushButton(self.tr("Progetto Individuale…"))
        self.pi_button.setAccessibleName(self.tr("Progetto Individuale dell'istanza selezionata"))
        self.print_button = QPushButton(self.tr("Stampa…"))
        self.print_button.setAccessibleName(self.tr("Stampa un documento dell'istanza selezionata"))
        self.print_menu = QMenu(self.print_button)
        self.print_menu.setAccessibleName(self.tr("Documenti da stampare"))
        self.print_actions: dict[DocumentKind, QAction] = {}
        for kind, text in self._printable():
            action = self.print_menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.print_document(k))
            self.print_actions[kind] = action
        # the letters to the applicant (no health data: for every operator)
        self.print_menu.addSeparator()
        self.letter_actions: dict[DocumentKind, QAction] = {}
        for kind, text in self._letters():
            action = self.print_menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.print_letter(k))
            self.letter_actions[kind] = action
        self.print_button.setMenu(self.print_menu)
        self.delete_button = QPushButton(self.tr("Elimina bozza…"))
        self.delete_button.setAccessibleName(self.tr("Elimina l'istanza in bozza selezionata"))
        self.delete_button.setToolTip(
            self.tr("Solo per un'istanza in bozza, registrata per errore: non per una presentata")
        )
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.confirm_box: QMessageBox | None = None
        can_edit = session.workspace.actor.can(Permission.EDIT_CASES)
        self.new_button.setVisible(can_edit)
        self.delete_button.setVisible(can_edit)
        # Operators without health data see the PI without its evaluation section.
        self.new_button.clicked.connect(self.on_new_clicked)
        self.open_button.clicked.connect(self.on_open_clicked)
        self.pi_button.clicked.connect(self.on_pi_clicked)
        for button in (self.new_button, self.open_button, self.pi_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        self._update_buttons()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def set_case(self, case_id: CaseId | None) -> None:
        self.case_id = case_id
        self._update_buttons()
        self.reload()

    def set_case_closed(self, closed: bool) -> None:
        """A closed cartella takes no new istanza (the service refuses it too)."""
        self.case_closed = closed
        self.new_button.setToolTip(
            self.tr(
                "La cartella è chiusa: per registrare una nuova istanza usa prima «Riapri "
                "cartella»."
            )
            if closed
            else ""
        )
        self._update_buttons()

    def selected(self) -> Istanza | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def reload(self) -> None:
        if self.case_id is None:
            self.on_loaded([])
            return
        workspace, case_id = self.session.workspace, self.case_id

        def load() -> list[tuple[Istanza, str]]:
            found = istanze.istanze_of_case(
                workspace.uow_factory(), actor=workspace.actor, case_id=case_id
            )
            return [(i, avviso_title(i.avviso)) for i in found]

        self.session.tasks.run(load, on_done=self.on_loaded, owner=self)

    def on_loaded(self, found: list[tuple[Istanza, str]]) -> None:
        self.rows = [i for i, _title in found]
        self.model.set_rows(
            [
                (
                    title,
                    i.protocol or "—",
                    state_label(i.state.value),
                    format_registered(i.submitted_at),
                )
                for i, title in found
            ]
        )
        self.empty.setVisible(not found)
        if found:
            self.table.selectRow(len(found) - 1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.pi_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)
        self.new_button.setEnabled(self.case_id is not None and not self.case_closed)
        draft = self.selected()
        self.delete_button.setEnabled(draft is not None and draft.state is IstanzaState.BOZZA)

    def on_new_clicked(self) -> None:
        if self.case_id is None or self.case_closed:
            return
        self.new_requested.emit()
        self._show_wizard(None)

    def on_open_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        self.open_requested.emit(chosen.id)
        # A draft opens in the wizard; a presented istanza in its detail, where documents
        # arrive and the state changes (the wizard is one click away from there).
        draft = chosen.state is IstanzaState.BOZZA
        if draft and self.session.workspace.actor.can(Permission.EDIT_CASES):
            self._show_wizard(chosen.id)
        else:
            self.open_detail(chosen.id)

    def on_delete_clicked(self) -> None:
        """Delete the selected draft, after a confirmation."""
        chosen = self.selected()
        if chosen is None or chosen.state is not IstanzaState.BOZZA:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Eliminare l'istanza in bozza?"),
            self.tr(
                "L'istanza in bozza a «%1» sarà eliminata con tutto ciò che vi è stato scritto. "
                "I documenti registrati restano nella cartella. Il registro delle attività "
                "conserva l'eliminazione. L'operazione non si può annullare."
            ).replace("%1", avviso_title(chosen.avviso)),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        delete = box.addButton(self.tr("Elimina"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._delete_draft(chosen.id) if button is delete else None
        )
        self.confirm_box = box
        box.open()

    def _delete_draft(self, istanza_id: IstanzaId) -> None:
        wizard = self.wizard
        data = wizard.data if wizard is not None and shiboken6.isValid(wizard) else None
        if wizard is not None and data is not None and data.istanza.id == istanza_id:
            wizard.close()  # its last save runs first: the worker is serial
        self.delete_button.setEnabled(False)
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: istanze.delete_draft_istanza(workspace.uow_factory(), actor=workspace.actor,
                                                 istanza_id=istanza_id, now=now),
            on_done=lambda _r: self.reload(),
            on_error=self.on_delete_failed,
            owner=self,
        )  # fmt: skip

    def on_delete_failed(self, exc: BaseException) -> None:
        self.reload()
        errors.report_error(self.window(), exc)

    def open_detail(self, istanza_id: IstanzaId, *, document: str = "") -> IstanzaDetailView:
        """The istanza's detail; ``document`` selects that line of its documents."""
        if self.detail is not None:
            self.detail.close()
        self.detail = IstanzaDetailView(
            self.session, istanza_id=istanza_id, document=document, parent=self
        )
        self.detail.state_changed.connect(lambda _id: self.reload())
        show_fitted(self.detail)
        self.detail.activateWindow()
        return self.detail

    def _show_wizard(self, istanza_id: IstanzaId | None) -> None:
        assert self.case_id is not None
        self._before_open()
        if self.wizard is not None:
            self.wizard.flush()
            self.wizard.close()
        self.wizard = IstanzaWizardView(self.session, case_id=self.case_id,
                                        person=self._person(), istanza_id=istanza_id,
                                        parent=self)  # fmt: skip
        self.wizard.istanza_created.connect(lambda _id: self.reload())
        self.wizard.istanza_submitted.connect(lambda _id: self.reload())
        show_fitted(self.wizard, maximized=True)
        self.wizard.activateWindow()

    def on_pi_clicked(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.pi_requested.emit(chosen.id)
            self.open_pi(chosen.id)

    def flush_windows(self) -> None:
        """Save what is pending in the wizard and the PI editor opened from here."""
        for window in (self.wizard, self.pi_editor):
            if window is not None and shiboken6.isValid(window):
                window.flush()

    def open_pi(self, istanza_id: IstanzaId) -> None:
        """Open the Progetto Individuale of the istanza (a draft is prefilled the first time)."""
        self._before_open()
        if self.pi_editor is not None:
            self.pi_editor.flush()
            self.pi_editor.close()
        self.pi_editor = PiEditorView(self.session, istanza_id=istanza_id, parent=self)
        self.pi_editor.setWindowFlag(Qt.WindowType.Window)
        show_fitted(self.pi_editor, maximized=True)
        self.pi_editor.activateWindow()

    # -- printing ----------------------------------------------------------------------------

    def _printable(self) -> list[tuple[DocumentKind, str]]:
        """The documents of the "Stampa…" menu: the scale sheets only for who reads health
        data (the PI prints without the evaluation for the others)."""
        found = [
            (DocumentKind.ISTANZA, self.tr("Istanza")),
            (DocumentKind.PRIVACY, self.tr("Informativa privacy")),
            (DocumentKind.PI, self.tr("Progetto Individuale")),
        ]
        if self.session.workspace.actor.can(Permission.READ_HEALTH):
            found += [
                (DocumentKind.ADL, self.tr("Scheda ADL")),
                (DocumentKind.IADL, self.tr("Scheda IADL")),
                (DocumentKind.BARTHEL, self.tr("Scheda Barthel")),
            ]
        return found

    def print_document(self, kind: DocumentKind) -> PrintPreviewDialog | None:
        """Preview the document of the selected istanza, to print or save it."""
        chosen = self.selected()
        if chosen is None:
            return None
        if kind is DocumentKind.PI:
            self.flush_windows()  # what was typed in the PI editor is printed too
        workspace, now, istanza_id = self.session.workspace, self.session.now(), chosen.id

        def produce() -> printing.PrintedDocument:
            return printing.print_for_istanza(workspace.uow_factory(), actor=workspace.actor,
                                              istanza=istanza_id, kind=kind, now=now)  # fmt: skip

        return self._preview(self.print_actions[kind].text(), produce)

    def _letters(self) -> list[tuple[DocumentKind, str]]:
        """The letters of the "Stampa…" menu, after the documents."""
        return [
            (DocumentKind.ESITO, self.tr("Lettera: comunicazione di esito")),
            (DocumentKind.PREAVVISO_RIGETTO,
             self.tr("Lettera: motivi ostativi (art. 10-bis L. 241/1990)")),
        ]  # fmt: skip

    def print_letter(self, kind: DocumentKind) -> PrintPreviewDialog | None:
        """Preview a letter to the applicant of the selected istanza: the outcome, or the
        requirements not met as the istanza is judged today (the preview says why not when
        the istanza has no outcome yet, or meets the requirements)."""
        chosen = self.selected()
        if chosen is None:
            return None
        workspace, now, istanza_id = self.session.workspace, self.session.now(), chosen.id

        def produce() -> printing.PrintedDocument:
            uow, actor = workspace.uow_factory(), workspace.actor
            if kind is DocumentKind.ESITO:
                return letters.outcome_letter(uow, actor=actor, istanza_id=istanza_id, now=now)
            return letters.negative_verification_letter(uow, actor=actor, istanza_id=istanza_id,
                                                        on=now.date(), now=now)  # fmt: skip

        return self._preview(self.letter_actions[kind].text(), produce)

    def _preview(
        self, title: str, produce: Callable[[], printing.PrintedDocument]
    ) -> PrintPreviewDialog:
        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        self.preview = PrintPreviewDialog(self.session, title=title, produce=produce, parent=self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show_fitted(self.preview)
        return self.preview
