"""The two ways back in: a new password with the recovery code, and restore from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.ui.password_fields import NewPasswordFields
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.worker_dialog import WorkerDialog

if TYPE_CHECKING:
    from caseworker_app.ports.gateway import RestoreReport, StoreGateway, Workspace


def _code_field(accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    field.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
    field.setAccessibleName(accessible)
    field.setMinimumWidth(360)
    return field


class RecoveryDialog(WorkerDialog):
    """Recovery code + username + new password → ``gateway.recover`` → logged in."""

    recovered = Signal(object)

    def __init__(
        self,
        gateway: StoreGateway,
        tasks: TaskRunner,
        *,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tasks, parent)
        self.gateway = gateway
        self.setWindowTitle(self.tr("Nuova password con il codice di recupero"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Scrivi il codice di recupero annotato quando l'archivio è stato creato (30 "
                "lettere e cifre a gruppi di cinque). Poi scegli una nuova password per "
                "l'operatore."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.code = _code_field(self.tr("Codice di recupero"))
        self.username = QLineEdit(username)
        self.username.setAccessibleName(self.tr("Nome utente"))
        form.addRow(self.tr("Codice di recupero:"), self.code)
        form.addRow(self.tr("Nome utente:"), self.username)
        self.new_password = NewPasswordFields(form, self)
        self.new_password.show_policy()
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Imposta la password e accedi"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        for field in (self.code, self.username):
            field.textChanged.connect(lambda _t: self.refresh())
        self.new_password.changed.connect(self.refresh)
        self.new_password.changed.connect(self.adjustSize)  # room for the wrapped messages
        self.setMinimumWidth(560)
        self.refresh()

    def refresh(self) -> None:
        ready = bool(self.code.text().strip() and self.username.text().strip())
        self.ok_button.setEnabled(ready and self.new_password.is_acceptable())

    def on_ok_clicked(self) -> None:
        code, username = self.code.text(), self.username.text().strip()
        password = self.new_password.text()
        gateway = self.gateway
        self.set_busy(True)
        self.tasks.run(
            lambda: gateway.recover(code, username, password),
            on_done=self.on_recovery_done,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_recovery_done(self, workspace: Workspace) -> None:
        self.set_busy(False)
        self.recovered.emit(workspace)
        self.accept()


class RestoreDialog(WorkerDialog):
    """A ``.cwbak`` archive + the recovery code → ``gateway.restore``; nothing is deleted."""

    restored = Signal(object)  # the RestoreReport

    def __init__(
        self, gateway: StoreGateway, tasks: TaskRunner, *, parent: QWidget | None = None
    ) -> None:
        super().__init__(tasks, parent)
        self.gateway = gateway
        self.setWindowTitle(self.tr("Ripristina da backup"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Scegli il file di backup (estensione .cwbak) e scrivi il codice di recupero "
                "dell'archivio da cui è stato fatto."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if gateway.exists():
            safety = QLabel(
                self.tr(
                    "Il backup viene prima verificato per intero: se qualcosa non va, "
                    "l'archivio attuale resta com'è. Se va tutto bene, l'archivio attuale è "
                    "conservato in una cartella «…sostituito-data e ora» accanto, non cancellato."
                )
            )
            safety.setWordWrap(True)
            layout.addWidget(safety)
        form = QFormLayout()
        self.archive = QLineEdit()
        self.archive.setAccessibleName(self.tr("File di backup"))
        browse = QPushButton(self.tr("Sfoglia…"))
        browse.setAccessibleName(self.tr("Scegli il file di backup"))
        browse.clicked.connect(self.on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.archive, 1)
        row.addWidget(browse)
        form.addRow(self.tr("File di backup:"), row)
        self.code = _code_field(self.tr("Codice di recupero"))
        form.addRow(self.tr("Codice di recupero:"), self.code)
        layout.addLayout(form)
        self.replace_ok = QCheckBox(
            self.tr(
                "Ho capito: l'archivio attuale sarà conservato, intatto, in una cartella accanto."
            )
        )
        self.replace_ok.setAccessibleName(self.tr("Conferma lo spostamento dei file attuali"))
        self.replace_ok.setVisible(gateway.exists())
        layout.addWidget(self.replace_ok)
        layout.addWidget(self.error)
        self.ok_button = self.add_ok(self.tr("Ripristina"))
        self.ok_button.clicked.connect(self.on_ok_clicked)
        layout.addWidget(self.buttons)
        self.archive.textChanged.connect(lambda _t: self.refresh())
        self.code.textChanged.connect(lambda _t: self.refresh())
        self.replace_ok.toggled.connect(lambda _c: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ready = bool(self.archive.text().strip() and self.code.text().strip())
        if self.replace_ok.isVisibleTo(self):
            ready = ready and self.replace_ok.isChecked()
        self.ok_button.setEnabled(ready)

    def on_browse_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Scegli il file di backup"),
            self.archive.text(),
            self.tr("Backup di Caseworker (*.cwbak)"),
        )
        if path:
            self.archive.setText(path)

    def on_ok_clicked(self) -> None:
        archive, code = Path(self.archive.text().strip()), self.code.text()
        replace = self.replace_ok.isVisibleTo(self) and self.replace_ok.isChecked()
        gateway = self.gateway
        self.set_busy(True)
        self.tasks.run(
            lambda: gateway.restore(archive, code, replace_existing=replace),
            on_done=self.on_restore_done,
            on_error=self.on_task_failed,
            owner=self,
        )

    def on_restore_done(self, report: RestoreReport) -> None:
        self.set_busy(False)
        self.restored.emit(report)
        self.accept()
