"""Backups from the interface: the shared "Esegui backup" action and the reminder banner."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from caseworker_app.ports.gateway import BackupReport
from caseworker_app.services.settings import BACKUP_REMINDER_DAYS
from caseworker_app.ui.errors import report_error
from caseworker_app.ui.formats import format_date, format_datetime
from caseworker_app.ui.session import Session

_LAST_FOLDER_KEY = "backup/last_folder"


def backup_overdue(session: Session, now: datetime | None = None) -> bool:
    """True when no backup was ever made or the last one is older than the reminder setting."""
    last = session.last_backup_at
    if last is None:
        return True
    days = session.settings[BACKUP_REMINDER_DAYS.key]
    return ((now or session.now()) - last).days >= days


def describe_last_backup(session: Session) -> str:
    last = session.last_backup_at
    if last is None:
        return QCoreApplication.translate("Backup", "Nessun backup eseguito finora.")
    text = QCoreApplication.translate("Backup", "Ultimo backup: %1.")
    return text.replace("%1", format_datetime(last))


class BackupController(QObject):
    """Asks where to save, runs ``workspace.backup`` on the worker, remembers the folder."""

    backup_done = Signal(object)  # BackupReport
    backup_started = Signal()

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent
        self.running = False

    def choose_target(self) -> Path | None:
        start = str(self.session.qsettings.value(_LAST_FOLDER_KEY, "") or Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self.parent_widget,
            self.tr("Scegli dove salvare il backup (per esempio una chiavetta USB)"),
            start,
        )
        return Path(chosen) if chosen else None

    def run_backup(self, target: Path | None = None) -> None:
        if self.running:
            return
        target = target or self.choose_target()
        if target is None:
            return
        self.running = True
        self.backup_started.emit()
        workspace = self.session.workspace
        self.session.tasks.run(
            lambda: workspace.backup(target),
            on_done=self.on_backup_done,
            on_error=self.on_backup_failed,
            owner=self,
        )

    def on_backup_done(self, report: BackupReport) -> None:
        self.running = False
        self.session.last_backup_at = report.created_at
        folder = report.path.parent
        self.session.qsettings.setValue(_LAST_FOLDER_KEY, str(folder))
        self.backup_done.emit(report)

    def on_backup_failed(self, exc: BaseException) -> None:
        self.running = False
        self.backup_done.emit(None)
        report_error(self.parent_widget, exc)


class BackupBanner(QFrame):
    """A non-modal reminder at the top of the window when the backup is overdue."""

    def __init__(self, controller: BackupController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("backupBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName(self.tr("Promemoria backup"))
        self.backup_button = QPushButton(self.tr("Esegui backup ora"))
        self.backup_button.setAccessibleName(self.tr("Esegui backup ora"))
        self.later_button = QPushButton(self.tr("Più tardi"))
        self.later_button.setFlat(True)
        self.later_button.setAccessibleName(self.tr("Nascondi il promemoria del backup"))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.backup_button)
        layout.addWidget(self.later_button)
        self.backup_button.clicked.connect(lambda: controller.run_backup())
        self.later_button.clicked.connect(self.hide)
        controller.backup_done.connect(lambda _report: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        session = self.controller.session
        if not backup_overdue(session):
            self.hide()
            return
        last = session.last_backup_at
        if last is None:
            self.text.setText(
                self.tr(
                    "Non è ancora stato fatto un backup dei dati. Fallo ora su "
                    "una chiavetta o un disco esterno."
                )
            )
        else:
            days = (session.now() - last).days
            self.text.setText(
                self.tr(
                    "L'ultimo backup risale al %1 (%2 giorni fa). Fanne uno "
                    "nuovo su una chiavetta o un disco esterno."
                )
                .replace("%1", format_date(last.date()))
                .replace("%2", str(days))
            )
        self.show()
