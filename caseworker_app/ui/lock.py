"""Idle lock: after some minutes without input the window shows a lock screen.

The lock screen is a page of the main window's stack placed over the content: the forms are
hidden, not destroyed, so whatever was typed is still there after unlocking (and autosave keeps
working underneath). Unlocking checks the password on the worker.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.ui.errors import report_error
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import app_icon, set_severity

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)


class IdleWatcher(QObject):
    """An application-wide event filter that restarts a timer on keyboard, mouse and touch."""

    idle_timed_out = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timed_out.emit)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(50, int(minutes * 60_000)))
        if self._timer.isActive():
            self._timer.start()

    def interval_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def remove(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False


class LockView(QWidget):
    """The lock screen: no personal data, only the operator and a password field."""

    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("lockView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QVBoxLayout()
        box.setSpacing(12)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(72, 72))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(logo)
        title = QLabel(self.tr("Sessione bloccata"))
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        who = QLabel(
            self.tr(
                "Operatore: %1. Inserisci la password per riprendere il lavoro: "
                "ciò che stavi scrivendo è ancora al suo posto."
            ).replace("%1", session.info.full_name)
        )
        who.setWordWrap(True)
        who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(who)
        row = QHBoxLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password per sbloccare"))
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.on_unlock_clicked)
        self.unlock_button = QPushButton(self.tr("Sblocca"))
        self.unlock_button.setAccessibleName(self.tr("Sblocca"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.on_unlock_clicked)
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        box.addLayout(row)
        self.error = QLabel()
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setAccessibleName(self.tr("Messaggio di errore"))
        set_severity(self.error, "error")
        box.addWidget(self.error)
        self.quit_button = QPushButton(self.tr("Chiudi il programma"))
        self.quit_button.setFlat(True)
        self.quit_button.setObjectName("lockQuit")
        self.quit_button.setAccessibleName(self.tr("Chiudi il programma"))
        self.quit_button.clicked.connect(self.quit_requested.emit)
        box.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignCenter)
        centered = QHBoxLayout()
        centered.addStretch(1)
        holder = QWidget()
        holder.setLayout(box)
        holder.setFixedWidth(440)
        centered.addWidget(holder)
        centered.addStretch(1)
        outer.addLayout(centered)
        outer.addStretch(2)

    def prepare(self) -> None:
        """Called when the screen locks."""
        self.password.clear()
        self.error.clear()
        self._set_busy(False)
        self.password.setFocus()

    def on_unlock_clicked(self) -> None:
        password = self.password.text()
        if not password or not self.unlock_button.isEnabled():
            return
        self._set_busy(True)
        self.error.clear()
        workspace = self.session.workspace
        self.session.tasks.run(
            lambda: workspace.verify_password(password),
            on_done=self.on_password_verified,
            on_error=self.on_password_check_failed,
            owner=self,
        )

    def on_password_verified(self, ok: bool) -> None:
        self._set_busy(False)
        self.password.clear()
        if ok:
            self.unlocked.emit()
            return
        self.error.setText(self.tr("Password errata. Riprova."))
        self.password.setFocus()

    def on_password_check_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.error.setText(self.tr("Verifica della password non riuscita."))
        report_error(self.window(), exc)

    def _set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Verifica…") if busy else self.tr("Sblocca"))
