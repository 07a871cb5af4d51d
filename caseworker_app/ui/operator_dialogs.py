"""Operator accounts: a new operator, name and qualifica, a new password set by an administrator,
my own password.

Every dialog sends its request to the worker and stays open with what was typed when the store
refuses it, showing the problem next to the field concerned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Operator, validate_username
from caseworker_app.domain.roles import Role
from caseworker_app.ui.errors import message_for
from caseworker_app.ui.password_fields import NewPasswordFields
from caseworker_app.ui.qualifica_field import QualificaField
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.wording import ROLES_IN_ORDER, role_description, role_name
from caseworker_app.ui.worker_dialog import (
    WorkerDialog,
    add_note_row,
    add_problem_row,
    problem_label,
    show_problem,
)

if TYPE_CHECKING:
    from caseworker_app.ports.gateway import Workspace

_PASSWORD_CODES = frozenset(
    {"auth.password_too_short", "auth.password_spaces", "auth.password_mismatch"}
)
_USERNAME_CODES = frozenset({"auth.username_format", "auth.username_taken"})


def _wrapped(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def _username_problem(username: str) -> str:
    try:
        validate_username(username)
    except UserFacingError as exc:
        return message_for(exc)
    return ""


class NewOperatorDialog(WorkerDialog):
    """Full name, username, roles and a first password → ``workspace.add_operator``."""

    operator_added = Signal(object)  # the new Operator

    def __init__(self, workspace: Workspace, tasks: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(tasks, parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("Nuovo operatore"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Ogni persona che usa Caseworker ha il proprio account: il registro "
                    "attività mostra chi ha fatto cosa."
                )
            )
        )
        form = QFormLayout()
        self.full_name = QLineEdit()
        self.full_name.setAccessibleName(self.tr("Nome e cognome dell'operatore"))
        self.full_name.setPlaceholderText(self.tr("per esempio Lucia Bianchi"))
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Nome utente"))
        self.username.setPlaceholderText(self.tr("per esempio lbianchi"))
        self.username.setMaxLength(60)
        self.username_problem = problem_label(self.tr("Problema con il nome utente"))
        self.qualifica = QualificaField()
        form.addRow(self.tr("Nome e &cognome:"), self.full_name)
        form.addRow(self.tr("&Qualifica:"), self.qualifica)
        form.addRow(self.tr("Nome &utente:"), self.username)
        username_hint = QLabel(
            self.tr("Senza spazi: lettere senza accenti, cifre, punto, trattino.")
        )
        username_hint.setObjectName("hint")
        add_note_row(form, username_hint)
        add_problem_row(form, self.username_problem)
        self.roles_problem = problem_label(self.tr("Problema con i ruoli"))
        form.addRow(self.tr("Ruoli:"), self._roles_box())
        self.passwords = NewPasswordFields(form, self)
        self.passwords.show_policy()
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Crea l'operatore"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.full_name.textChanged.connect(lambda _t: self.refresh())
        self.username.textChanged.connect(self.on_username_edited)
        self.username.editingFinished.connect(self.on_username_finished)
        self.passwords.changed.connect(self.refresh)
        self.passwords.changed.connect(self.adjustSize)  # room for the wrapped messages
        # No fixed minimum width: the one-line role descriptions set it (a fixed one would stop
        # the layout from widening the dialog for a longer translation).
        self.refresh()

    def _roles_box(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        choose = QLabel(self.tr("Scegline almeno uno: ognuno vede solo ciò che gli serve."))
        choose.setObjectName("hint")
        column.addWidget(choose)
        self.role_checks: dict[Role, QCheckBox] = {}
        for role in ROLES_IN_ORDER:
            check = QCheckBox(role_name(role))
            check.setAccessibleName(role_name(role))
            check.setAccessibleDescription(role_description(role))
            check.toggled.connect(self.on_role_toggled)
            explanation = QLabel(role_description(role))  # one line: no wrapping
            explanation.setObjectName("hint")
            explanation.setContentsMargins(24, 0, 0, 6)
            explanation.setBuddy(check)
            column.addWidget(check)
            column.addWidget(explanation)
            self.role_checks[role] = check
        column.addWidget(self.roles_problem)
        return box

    def roles(self) -> frozenset[Role]:
        return frozenset(role for role, check in self.role_checks.items() if check.isChecked())

    def refresh(self) -> None:
        ready = bool(self.full_name.text().strip() and self.username.text().strip())
        self.ok_button.setEnabled(ready and bool(self.roles()) and self.passwords.is_acceptable())

    def on_username_edited(self, text: str) -> None:
        # While typing only a wrong character is pointed out; "too short" waits for the end.
        username = text.strip()
        show_problem(
            self.username_problem, _username_problem(username) if len(username) >= 2 else ""
        )
        self.adjustSize()
        self.refresh()

    def on_username_finished(self) -> None:
        username = self.username.text().strip()
        show_problem(self.username_problem, _username_problem(username) if username else "")
        self.adjustSize()

    def on_role_toggled(self, _checked: bool) -> None:
        self.qualifica.propose_for(self.roles())
        if self.roles():
            show_problem(self.roles_problem, "")
        self.refresh()

    def problem_label_for(self, code: str) -> QLabel | None:
        if code in _USERNAME_CODES:
            self.username.setFocus()
            return self.username_problem
        if code == "auth.roles_required":
            return self.roles_problem
        if code in _PASSWORD_CODES:
            self.passwords.password.setFocus()
            return self.passwords.problem
        return None

    def on_ok_clicked(self) -> None:
        workspace = self.workspace
        username, full_name = self.username.text().strip(), self.full_name.text().strip()
        roles, password = self.roles(), self.passwords.text()
        qualifica = self.qualifica.qualifica()
        for label in (self.username_problem, self.roles_problem):
            show_problem(label, "")
        self.set_busy(True)
        self.tasks.run(
            lambda: workspace.add_operator(
                username=username,
                full_name=full_name,
                roles=roles,
                password=password,
                qualifica=qualifica,
            ),
            on_done=self.on_operator_added,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_operator_added(self, operator: Operator) -> None:
        self.set_busy(False)
        self.operator_added.emit(operator)
        self.accept()


class EditOperatorDialog(WorkerDialog):
    """An administrator corrects an operator's full name and qualifica (printed on the PI)."""

    operator_updated = Signal(object)  # the updated Operator

    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        operator: Operator,
        parent: QWidget | None,
    ) -> None:
        super().__init__(tasks, parent)
        self.workspace = workspace
        self.operator = operator
        self.setWindowTitle(self.tr("Nome e qualifica"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            _wrapped(
                self.tr("Nome e qualifica di %1").replace("%1", operator.username),
                "dialogTitle",
            )
        )
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Il Progetto Individuale, le firme e le stampe indicano l'operatore con "
                    "nome, cognome e qualifica, per esempio «Maria Rossi, assistente sociale». "
                    "I documenti già stampati o firmati non cambiano."
                )
            )
        )
        form = QFormLayout()
        self.full_name = QLineEdit(operator.full_name)
        self.full_name.setAccessibleName(self.tr("Nome e cognome dell'operatore"))
        self.qualifica = QualificaField()
        self.qualifica.touched = True  # an existing account keeps what it has
        self.qualifica.set_qualifica(operator.qualifica)
        form.addRow(self.tr("Nome e &cognome:"), self.full_name)
        form.addRow(self.tr("&Qualifica:"), self.qualifica)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Salva"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.full_name.textChanged.connect(lambda _t: self.refresh())
        self.setMinimumWidth(520)
        self.refresh()

    def refresh(self) -> None:
        self.ok_button.setEnabled(bool(self.full_name.text().strip()))

    def on_ok_clicked(self) -> None:
        workspace, username = self.workspace, self.operator.username
        full_name, qualifica = self.full_name.text().strip(), self.qualifica.qualifica()
        self.set_busy(True)
        self.tasks.run(
            lambda: workspace.update_operator(
                username=username, full_name=full_name, qualifica=qualifica
            ),
            on_done=self.on_operator_updated,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_operator_updated(self, operator: Operator) -> None:
        self.set_busy(False)
        self.operator_updated.emit(operator)
        self.accept()


class SetOperatorPasswordDialog(WorkerDialog):
    """An administrator gives an operator who forgot it a new password (and re-enables them)."""

    password_set = Signal(str)  # username

    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        operator: Operator,
        parent: QWidget | None,
    ) -> None:
        super().__init__(tasks, parent)
        self.workspace = workspace
        self.operator = operator
        self.setWindowTitle(self.tr("Imposta nuova password"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        title = _wrapped(
            self.tr("Nuova password per %1 (%2)")
            .replace("%1", operator.full_name)
            .replace("%2", operator.username),
            "dialogTitle",
        )
        layout.addWidget(title)
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Da usare quando l'operatore ha dimenticato la password. Comunicagliela di "
                    "persona, non per e-mail: subito dopo il primo accesso dovrà sceglierne "
                    "una sua con «Archivio › Cambia la mia password…»."
                )
            )
        )
        if not operator.active:
            layout.addWidget(
                _wrapped(
                    self.tr("L'account è disattivato: con la nuova password torna attivo."),
                    "hint",
                )
            )
        form = QFormLayout()
        self.passwords = NewPasswordFields(form, self, new=True)
        self.passwords.show_policy()
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Imposta la password"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.passwords.changed.connect(self.refresh)
        self.passwords.changed.connect(self.adjustSize)
        self.setMinimumWidth(560)
        self.refresh()

    def refresh(self) -> None:
        self.ok_button.setEnabled(self.passwords.is_acceptable())

    def problem_label_for(self, code: str) -> QLabel | None:
        return self.passwords.problem if code in _PASSWORD_CODES else None

    def on_ok_clicked(self) -> None:
        workspace, username, password = (
            self.workspace,
            self.operator.username,
            self.passwords.text(),
        )
        self.set_busy(True)
        self.tasks.run(
            lambda: workspace.set_operator_password(username=username, password=password),
            on_done=self.on_password_set,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_password_set(self, _none: None) -> None:
        self.set_busy(False)
        self.password_set.emit(self.operator.username)
        self.accept()


class ChangeOwnPasswordDialog(WorkerDialog):
    """Any operator: the current password, then the new one twice."""

    password_changed = Signal()

    def __init__(self, workspace: Workspace, tasks: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(tasks, parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("Cambia la mia password"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Scrivi la password che usi ora, poi quella nuova due volte. Da questo "
                    "momento la nuova password serve per accedere e per sbloccare la sessione."
                )
            )
        )
        form = QFormLayout()
        self.old_password = QLineEdit()
        self.old_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.old_password.setAccessibleName(self.tr("Password attuale"))
        self.old_problem = problem_label(self.tr("Problema con la password attuale"))
        form.addRow(self.tr("Password &attuale:"), self.old_password)
        add_problem_row(form, self.old_problem)
        self.passwords = NewPasswordFields(form, self, new=True)
        self.passwords.show_policy()
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Cambia la password"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.old_password.textChanged.connect(lambda _t: self.refresh())
        self.passwords.changed.connect(self.refresh)
        self.passwords.changed.connect(self.adjustSize)
        self.setMinimumWidth(560)
        self.refresh()

    def refresh(self) -> None:
        ready = bool(self.old_password.text()) and self.passwords.is_acceptable()
        self.ok_button.setEnabled(ready)

    def problem_label_for(self, code: str) -> QLabel | None:
        if code == "auth.wrong_credentials":
            return self.old_problem
        return self.passwords.problem if code in _PASSWORD_CODES else None

    def problem_text(self, exc: UserFacingError) -> str:
        if exc.code == "auth.wrong_credentials":
            # "Nome utente o password errati" would puzzle here: only one password is checked.
            self.old_password.setFocus()
            self.old_password.selectAll()
            return self.tr("La password attuale non è corretta: riscrivila.")
        return super().problem_text(exc)

    def on_ok_clicked(self) -> None:
        workspace, old, new = self.workspace, self.old_password.text(), self.passwords.text()
        show_problem(self.old_problem, "")
        self.set_busy(True)
        self.tasks.run(
            lambda: workspace.change_own_password(old_password=old, new_password=new),
            on_done=self.on_password_changed,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_password_changed(self, _none: None) -> None:
        self.set_busy(False)
        self.password_changed.emit()
        self.accept()
