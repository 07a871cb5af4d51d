"""The login window: username and password, with clear Italian errors and the ways back in.

Imported before the first window is shown, so it stays light: the gateway and workspace types
are only needed by the type checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import errors
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import app_icon, init_severity, set_severity

if TYPE_CHECKING:
    from caseworker_app.ports.gateway import RestoreReport, StoreGateway, Workspace

_CORRUPT_CODES = frozenset(
    {
        "store.corrupt",
        "store.db_missing",
        "keys.keyfile_corrupt",
        "keys.keyfile_missing",
        "store.meta_corrupt",
        "store.db_empty",
        "store.db_plain",
        "store.db_foreign",
        "store.db_not_ours",
        "store.transactions_missing",
    }
)


class LoginDialog(QDialog):
    """Emits ``logged_in(workspace)`` and closes when the operator is in."""

    logged_in = Signal(object)

    def __init__(
        self,
        gateway: StoreGateway,
        tasks: TaskRunner,
        *,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.gateway = gateway
        self.tasks = tasks
        self.workspace: Workspace | None = None
        self._throttle_left = 0
        self._throttle_timer = QTimer(self)
        self._throttle_timer.setInterval(1000)
        self._throttle_timer.timeout.connect(self.on_throttle_tick)
        self.setWindowTitle(self.tr("Caseworker – Accesso"))
        self.setWindowIcon(app_icon())
        self._build(username)

    def _build(self, username: str) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(56, 56))
        header.addWidget(logo)
        titles = QVBoxLayout()
        title = QLabel(self.tr("Caseworker"))
        title.setObjectName("dialogTitle")
        subtitle = QLabel(self.tr("Cartella sociale e istruttorie – accesso dell'operatore"))
        subtitle.setObjectName("hint")
        titles.addWidget(title)
        titles.addWidget(subtitle)
        header.addLayout(titles, 1)
        layout.addLayout(header)

        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setAccessibleName(self.tr("Nome utente"))
        self.username.setPlaceholderText(self.tr("per esempio mrossi"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        form.addRow(self.tr("&Nome utente:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        layout.addLayout(form)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Messaggio di errore"))
        self.error.setMinimumWidth(380)
        init_severity(self.error, "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.restore_here = QPushButton(self.tr("Ripristina da backup…"))
        self.restore_here.setAccessibleName(self.tr("Ripristina l'archivio da un backup"))
        self.restore_here.clicked.connect(self.on_restore_clicked)
        self.restore_here.hide()
        layout.addWidget(self.restore_here)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.login_button = QPushButton(self.tr("Accedi"))
        self.login_button.setDefault(True)
        self.login_button.setAccessibleName(self.tr("Accedi"))
        self.login_button.clicked.connect(self.on_login_clicked)
        buttons.addWidget(self.login_button)
        layout.addLayout(buttons)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        self.forgot_button = QPushButton(self.tr("Password dimenticata? Usa il codice di recupero"))
        self.forgot_button.setFlat(True)
        self.forgot_button.setAccessibleName(
            self.tr("Password dimenticata: usa il codice di recupero")
        )
        self.forgot_button.clicked.connect(self.on_forgot_clicked)
        self.restore_button = QPushButton(self.tr("Ripristina da backup…"))
        self.restore_button.setFlat(True)
        self.restore_button.setAccessibleName(self.tr("Ripristina l'archivio da un backup"))
        self.restore_button.clicked.connect(self.on_restore_clicked)
        links = QHBoxLayout()
        links.addWidget(self.forgot_button)
        links.addStretch(1)
        links.addWidget(self.restore_button)
        layout.addLayout(links)
        where = QLabel(self.tr("Archivio: %1").replace("%1", str(self.gateway.root)))
        where.setObjectName("hint")
        where.setWordWrap(True)
        layout.addWidget(where)

        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.on_login_clicked)
        (self.password if username else self.username).setFocus()

    # -- login -----------------------------------------------------------------------------

    def on_login_clicked(self) -> None:
        if not self.login_button.isEnabled():
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self._show_error(self.tr("Scrivi il nome utente e la password."))
            (self.username if not username else self.password).setFocus()
            return
        self._set_busy(True)
        gateway = self.gateway
        self.tasks.run(
            lambda: gateway.unlock(username, password),
            on_done=self.on_unlock_done,
            on_error=self.on_unlock_failed,
            owner=self,
        )

    def on_unlock_done(self, workspace: Workspace) -> None:
        self._set_busy(False)
        self.password.clear()
        self.workspace = workspace
        self.logged_in.emit(workspace)
        self.accept()

    def on_unlock_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        if not isinstance(exc, UserFacingError):
            self._show_error(self.tr("Accesso non riuscito per un errore imprevisto."))
            errors.report_error(self, exc)
            return
        self._show_error(errors.message_for(exc))
        if exc.code == "auth.throttled":
            seconds = exc.params.get("seconds", 0)
            self._throttle_left = int(seconds) if isinstance(seconds, int | str) else 0
            self.login_button.setEnabled(False)
            self._throttle_timer.start()
        self.restore_here.setVisible(exc.code in _CORRUPT_CODES)
        self.adjustSize()

    def on_throttle_tick(self) -> None:
        self._throttle_left -= 1
        if self._throttle_left <= 0:
            self._throttle_timer.stop()
            self.login_button.setEnabled(True)
            self.error.hide()
            return
        self._show_error(
            errors.message_for(UserFacingError("auth.throttled", seconds=self._throttle_left))
        )

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.username,
            self.password,
            self.login_button,
            self.forgot_button,
            self.restore_button,
            self.restore_here,
        ):
            widget.setEnabled(not busy)
        self.login_button.setText(self.tr("Accesso in corso…") if busy else self.tr("Accedi"))
        if busy:
            self.error.hide()

    def _show_error(self, text: str) -> None:
        set_severity(self.error, "error")
        self.error.setText(text)
        self.error.show()
        self.adjustSize()

    # -- ways back in ----------------------------------------------------------------------

    def on_forgot_clicked(self) -> None:
        from caseworker_app.ui.recovery_dialogs import RecoveryDialog

        dialog = RecoveryDialog(
            self.gateway, self.tasks, username=self.username.text(), parent=self
        )
        dialog.recovered.connect(self.on_unlock_done)
        dialog.open()

    def on_restore_clicked(self) -> None:
        from caseworker_app.ui.recovery_dialogs import RestoreDialog

        dialog = RestoreDialog(self.gateway, self.tasks, parent=self)
        dialog.restored.connect(self.on_restored)
        dialog.open()

    def on_restored(self, report: RestoreReport) -> None:
        self.restore_here.hide()
        text = self.tr(
            "Archivio ripristinato dal backup. Accedi con nome utente e "
            "password validi alla data del backup."
        )
        if report.replaced is not None:
            text += " " + self.tr("L'archivio che c'era è conservato, intatto, in {0}.").format(
                str(report.replaced)
            )
        self.error.setText(text)
        set_severity(self.error, "ok")
        self.error.show()
        self.adjustSize()
        self.password.setFocus()
