"""Closing (archiving), reopening and deleting a case file: the editor's buttons and dialog.

A closed case stays readable; the services refuse changes to its anagrafica and new istanze
until it is reopened. Only a case holding nothing but its anagrafica may be deleted (a
cartella opened by mistake); the service names what a case holds when it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.casefile import CaseClosure, ClosureReason
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.roles import Permission
from caseworker_app.services import cases
from caseworker_app.ui import errors
from caseworker_app.ui.case_list_model import closure_reason_label, status_text
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def closure_summary(closure: CaseClosure) -> str:
    """What the editor says of a closed case: when, why, and how to change it."""
    text = status_text(closure.closed_on, closure.reason.value)
    if closure.note:
        text += f" ({closure.note})"
    return QCoreApplication.translate(
        "CaseClosing",
        "Cartella %1. Si può consultare ma non modificare: per modificarla usa «Riapri cartella».",
    ).replace("%1", text[:1].lower() + text[1:])


class CloseCaseDialog(QDialog):
    """The closing date (not in the future, not before the opening), the reason, a note."""

    #: the operator confirmed: (closing date, reason code, note)
    submitted = Signal(object, str, str)

    def __init__(self, *, opened_on: date, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chiudi cartella"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "La cartella chiusa resta consultabile nell'elenco «Chiuse» e si può riaprire. "
                "Indica quando e perché la persona non è più seguita."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.closed_on = QDateEdit(_qdate(today))
        self.closed_on.setDisplayFormat("dd/MM/yyyy")
        self.closed_on.setCalendarPopup(True)
        self.closed_on.setMinimumDate(_qdate(min(opened_on, today)))
        self.closed_on.setMaximumDate(_qdate(today))
        self.closed_on.setAccessibleName(self.tr("Data di chiusura"))
        form.addRow(self.tr("Data di chiusura"), self.closed_on)
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Motivo della chiusura"))
        self.reason.addItem(self.tr("Scegli il motivo…"), "")
        for reason in ClosureReason:
            self.reason.addItem(closure_reason_label(reason.value), reason.value)
        self.reason.currentIndexChanged.connect(lambda _i: self._update_ok())
        form.addRow(self.tr("Motivo"), self.reason)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Nota sulla chiusura"))
        self.note.setPlaceholderText(self.tr("Facoltativa: ad esempio chi ha comunicato il fatto"))
        self.note.setFixedHeight(70)
        form.addRow(self.tr("Nota"), self.note)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("Chiudi cartella"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annulla"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.currentData()))

    def on_ok_clicked(self) -> None:
        if not self.reason.currentData():
            return
        self.ok_button.setEnabled(False)
        day = self.closed_on.date()
        chosen = date(day.year(), day.month(), day.day())
        self.submitted.emit(chosen, str(self.reason.currentData()), self.note.toPlainText())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        set_severity(self.error, "error")
        self.error.show()
        self._update_ok()


class CaseStatusActions(QWidget):
    """The "Chiudi cartella…", "Riapri cartella" and "Elimina cartella vuota…" buttons."""

    #: the case was closed (a CaseClosure) or reopened (None)
    closure_changed = Signal(object)
    #: the (empty) case was deleted: its id
    case_deleted = Signal(str)

    def __init__(
        self,
        session: Session,
        *,
        opened_on: Callable[[], date],
        before_delete: Callable[[], None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._opened_on = opened_on
        self._before_delete = before_delete
        self.case_id: CaseId | None = None
        self.closure: CaseClosure | None = None
        self.dialog: CloseCaseDialog | None = None
        self.confirm_box: QMessageBox | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.close_button = QPushButton(self.tr("Chiudi cartella…"))
        self.close_button.setAccessibleName(self.tr("Chiudi (archivia) la cartella"))
        self.reopen_button = QPushButton(self.tr("Riapri cartella"))
        self.reopen_button.setAccessibleName(self.tr("Riapri la cartella chiusa"))
        self.delete_button = QPushButton(self.tr("Elimina cartella vuota…"))
        self.delete_button.setAccessibleName(self.tr("Elimina la cartella vuota"))
        self.delete_button.setToolTip(
            self.tr("Solo per una cartella aperta per errore, che contiene solo l'anagrafica")
        )
        self.close_button.clicked.connect(self.on_close_clicked)
        self.reopen_button.clicked.connect(self.on_reopen_clicked)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        for button in (self.delete_button, self.close_button, self.reopen_button):
            layout.addWidget(button)
        self.setVisible(session.workspace.actor.can(Permission.EDIT_CASES))
        self._empty = False
        self._update()

    def set_case(self, case_id: CaseId | None, closure: CaseClosure | None) -> None:
        """The case shown (after each save too: whether it is still empty is read again)."""
        self.case_id, self.closure = case_id, closure
        self._update()
        if case_id is None or closure is not None:
            return
        workspace = self.session.workspace

        def empty() -> bool:
            return cases.is_empty_case(workspace.uow_factory(), actor=workspace.actor,
                                       case_id=case_id)  # fmt: skip

        self.session.tasks.run(empty, on_done=lambda e: self._on_empty(case_id, e), owner=self)

    def _on_empty(self, case_id: CaseId, empty: bool) -> None:
        if case_id == self.case_id:
            self._empty = empty
            self._update()

    def _update(self) -> None:
        exists, closed = self.case_id is not None, self.closure is not None
        self.close_button.setVisible(exists and not closed)
        self.reopen_button.setVisible(exists and closed)
        self.delete_button.setVisible(exists and not closed and self._empty)

    # -- closing and reopening -----------------------------------------------------------

    def on_close_clicked(self) -> None:
        if self.case_id is None:
            return
        dialog = CloseCaseDialog(
            opened_on=self._opened_on(), today=self.session.now().date(), parent=self.window()
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(self._close)
        self.dialog = dialog
        dialog.open()

    def _close(self, closed_on: date, reason: str, note: str) -> None:
        case_id, dialog = self.case_id, self.dialog
        if case_id is None or dialog is None:
            return
        workspace, now = self.session.workspace, self.session.now()

        def close() -> CaseClosure:
            return cases.close_case(workspace.uow_factory(), actor=workspace.actor,
                                    case_id=case_id, closed_on=closed_on, reason=reason,
                                    note=note, now=now)  # fmt: skip

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserFacingError):
                dialog.show_error(errors.message_for(exc))
            else:
                errors.report_error(dialog, exc)

        self.session.tasks.run(
            close, on_done=lambda c: self._on_closed(dialog, c), on_error=failed, owner=self
        )

    def _on_closed(self, dialog: CloseCaseDialog, closure: CaseClosure) -> None:
        dialog.accept()
        self.closure = closure
        self._update()
        self.closure_changed.emit(closure)

    def on_reopen_clicked(self) -> None:
        case_id = self.case_id
        if case_id is None:
            return
        workspace, now = self.session.workspace, self.session.now()
        self.reopen_button.setEnabled(False)
        self.session.tasks.run(
            lambda: cases.reopen_case(workspace.uow_factory(), actor=workspace.actor,
                                      case_id=case_id, now=now),
            on_done=lambda _r: self._on_reopened(),
            on_error=self._on_failed,
            owner=self,
        )  # fmt: skip

    def _on_reopened(self) -> None:
        self.reopen_button.setEnabled(True)
        self.set_case(self.case_id, None)
        self.closure_changed.emit(None)

    def _on_failed(self, exc: BaseException) -> None:
        self.reopen_button.setEnabled(True)
        self.delete_button.setEnabled(True)
        errors.report_error(self.window(), exc)

    # -- deleting --------------------------------------------------------------------------

    def on_delete_clicked(self) -> None:
        if self.case_id is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Eliminare la cartella?"),
            self.tr(
                "La cartella contiene solo l'anagrafica e sarà eliminata. Il registro delle "
                "attività conserva l'eliminazione. L'operazione non si può annullare."
            ),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        delete = box.addButton(self.tr("Elimina"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._delete() if button is delete else None)
        self.confirm_box = box
        box.open()

    def _delete(self) -> None:
        case_id = self.case_id
        if case_id is None:
            return
        self._before_delete()
        self.delete_button.setEnabled(False)
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: cases.delete_draft_case(workspace.uow_factory(), actor=workspace.actor,
                                            case_id=case_id, now=now),
            on_done=lambda _r: self.case_deleted.emit(case_id),
            on_error=self._on_failed,
            owner=self,
        )  # fmt: skip
