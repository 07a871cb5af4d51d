"""A dialog whose OK button starts work on the worker, with problems shown inside it.

On a failure the dialog stays open with everything that was typed: a user-facing problem is shown
next to the field it concerns (:meth:`WorkerDialog.problem_label_for`) or above the buttons; a bug
goes to :func:`errors.report_error`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import errors
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import init_severity


def problem_label(accessible_name: str) -> QLabel:
    """A hidden, wrapped, red line for the problem with one field."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    init_severity(label, "error")
    label.hide()
    return label


def add_note_row(form: QFormLayout, note: QWidget) -> None:
    """Add a hint or a problem under the previous field of ``form``.

    The row gets a one-space label: in a row whose label is empty QFormLayout sizes a wrapped
    text for a narrow width, leaving an empty line under a one-line hint.
    """
    form.addRow(" ", note)


def add_problem_row(form: QFormLayout, label: QLabel) -> None:
    """Add a problem label as a note row hidden until needed (a row only hidden field by field
    would still take its spacing)."""
    add_note_row(form, label)
    form.setRowVisible(label, False)


def show_problem(label: QLabel, text: str) -> None:
    """Show ``text`` in a problem label (hide it when empty), with its form row if it has one."""
    label.setText(text)
    visible = bool(text)
    parent = label.parentWidget()
    for form in parent.findChildren(QFormLayout) if parent is not None else []:
        if form.indexOf(label) >= 0:
            form.setRowVisible(label, visible)
            return
    label.setVisible(visible)


class WorkerDialog(QDialog):
    """A dialog with an inline error line and an OK button that starts work on the worker."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.error = problem_label(self.tr("Messaggio di errore"))
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(
            self.tr("Annulla"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAccessibleName(self.tr("Annulla"))
        self.cancel_button.clicked.connect(self.reject)

    def sizeHint(self) -> QSize:
        # Wrapped texts are as tall as the width they get: measure them at the width the dialog
        # will really have (at least its minimum), or adjustSize() leaves gaps between rows.
        hint = super().sizeHint()
        width = max(hint.width(), self.minimumWidth())
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            return QSize(width, layout.totalHeightForWidth(width))
        return QSize(width, hint.height())

    def add_ok(self, text: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setDefault(True)
        button.setAccessibleName(text)
        return button

    def set_busy(self, busy: bool) -> None:
        for child in self.findChildren(QWidget):
            if isinstance(child, QLineEdit | QPushButton | QCheckBox):
                child.setEnabled(not busy)
        if busy:
            self.error.hide()

    def on_task_failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.refresh()
        if isinstance(exc, UserFacingError):
            label = self.problem_label_for(exc.code) or self.error
            show_problem(label, self.problem_text(exc))
            self.adjustSize()
        else:
            errors.report_error(self, exc)

    def problem_label_for(self, code: str) -> QLabel | None:
        """The label next to the field a user-facing error code is about, if any."""
        return None

    def problem_text(self, exc: UserFacingError) -> str:
        """The Italian text for a user-facing error (a dialog may word one more precisely)."""
        return errors.message_for(exc)

    def refresh(self) -> None:
        """Re-evaluate which buttons may be pressed."""
