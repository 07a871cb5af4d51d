"""A new password typed twice, checked live against the password policy."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.messages import render
from caseworker_app.ui.errors import message_for
from caseworker_app.ui.theme import init_severity, set_severity
from caseworker_app.ui.worker_dialog import add_note_row, add_problem_row, show_problem


def policy_problem(password: str) -> str | None:
    """The Italian message for a password the policy refuses, else None."""
    # Imported on first use: the security package pulls in argon2, which must not slow down
    # the first window.
    from caseworker_app.security.passwords import check_password_policy

    try:
        check_password_policy(password)
    except UserFacingError as exc:
        return message_for(exc)
    return None


def policy_hint() -> str:
    from caseworker_app.security.passwords import MIN_PASSWORD_LENGTH

    return message_for(UserFacingError("auth.password_too_short", min=MIN_PASSWORD_LENGTH))


class NewPasswordFields(QObject):
    """Two password fields added to the caller's form (so that the labels line up), the
    policy shown beforehand and the problem shown live."""

    changed = Signal()

    def __init__(
        self, form: QFormLayout, parent: QObject | None = None, *, new: bool = False
    ) -> None:
        """``new``: the form also asks for the current password, so say "nuova password"."""
        super().__init__(parent)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Nuova password"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(self.tr("Ripeti la password"))
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problema con la password"))
        init_severity(self.problem, "error")
        if new:
            form.addRow(self.tr("Nuova password:"), self.password)
            form.addRow(self.tr("Ripeti la nuova password:"), self.confirm)
            self.confirm.setAccessibleName(self.tr("Ripeti la nuova password"))
        else:
            form.addRow(self.tr("Password:"), self.password)
            form.addRow(self.tr("Ripeti la password:"), self.confirm)
        add_note_row(form, self.hint)
        add_problem_row(form, self.problem)
        self.password.textChanged.connect(self.on_text_changed)
        self.confirm.textChanged.connect(self.on_text_changed)

    def show_policy(self) -> None:
        """Fill in the policy hint (imports the security package: call it after start-up)."""
        if not self.hint.text():
            self.hint.setText(policy_hint())

    def text(self) -> str:
        return self.password.text()

    def current_problem(self) -> str | None:
        typed = self.password.text()
        if not typed:
            return None
        problem = policy_problem(typed)
        if problem is not None:
            return problem
        if self.confirm.text() and self.confirm.text() != typed:
            return render("auth.password_mismatch")
        return None

    def is_acceptable(self) -> bool:
        typed = self.password.text()
        return bool(typed) and typed == self.confirm.text() and policy_problem(typed) is None

    def on_text_changed(self, _text: str) -> None:
        problem = self.current_problem() or ""
        self.show_policy()
        if problem == self.hint.text():
            # The policy itself is the problem: colour the hint instead of repeating it.
            set_severity(self.hint, "error")
            problem = ""
        else:
            set_severity(self.hint, "")
        show_problem(self.problem, problem)
        self.changed.emit()
