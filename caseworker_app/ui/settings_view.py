"""Settings, rendered generically from the declarations in ``services.settings`` (Vorta)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.messages import render
from caseworker_app.services import settings as settings_service
from caseworker_app.services.settings import IntSetting
from caseworker_app.ui.backup import BackupController, describe_last_backup
from caseworker_app.ui.formats import format_time
from caseworker_app.ui.operator_dialogs import ChangeOwnPasswordDialog
from caseworker_app.ui.session import Session
from caseworker_app.ui.wording import keystore_description

SAVE_DELAY_MS = 700


class SettingsView(QWidget):
    setting_saved = Signal(str, int)
    #: the operator changed their own password
    own_password_changed = Signal()

    def __init__(
        self, session: Session, backups: BackupController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.backups = backups
        self.spins: dict[str, QSpinBox] = {}
        self._timers: dict[str, QTimer] = {}
        #: the password dialog, while it is open
        self.password_dialog: ChangeOwnPasswordDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Impostazioni"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)

        prefs = QGroupBox(self.tr("Preferenze"))
        form = QFormLayout(prefs)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for spec in settings_service.ALL_SETTINGS:
            form.addRow(render(spec.label) + ":", self._spin_for(spec))
        self.saved = QLabel(self.tr("Le modifiche vengono salvate automaticamente."))
        self.saved.setObjectName("hint")
        form.addRow("", self.saved)
        layout.addWidget(prefs)

        security = QGroupBox(self.tr("Sicurezza e backup"))
        sec = QFormLayout(security)
        sec.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        keystore = QLabel(
            self.tr("conservate nel %1").replace(
                "%1", keystore_description(session.info.keystore_kind)
            )
        )
        sec.addRow(self.tr("Chiavi dell'archivio:"), keystore)
        where = QLabel(str(session.workspace.root))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sec.addRow(self.tr("Cartella dell'archivio:"), where)
        self.last_backup = QLabel()
        self.last_backup.setAccessibleName(self.tr("Ultimo backup"))
        sec.addRow(self.tr("Backup:"), self.last_backup)
        self.backup_button = QPushButton(self.tr("Esegui backup…"))
        self.backup_button.setAccessibleName(self.tr("Esegui backup"))
        self.backup_button.clicked.connect(lambda: backups.run_backup())
        sec.addRow("", self.backup_button)
        self.password_button = QPushButton(self.tr("Cambia la mia password…"))
        self.password_button.setAccessibleName(self.tr("Cambia la mia password"))
        self.password_button.clicked.connect(self.open_change_password)
        sec.addRow(self.tr("La tua password:"), self.password_button)
        layout.addWidget(security)
        layout.addStretch(1)
        backups.backup_done.connect(lambda _report: self.activate())

    def _spin_for(self, spec: IntSetting) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(spec.minimum, spec.maximum)
        spin.setValue(self.session.settings[spec.key])
        spin.setAccessibleName(render(spec.label))
        spin.setMinimumWidth(90)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(SAVE_DELAY_MS)
        timer.timeout.connect(partial(self.save, spec))
        spin.valueChanged.connect(lambda _v: timer.start())
        self.spins[spec.key] = spin
        self._timers[spec.key] = timer
        return spin

    def open_change_password(self) -> ChangeOwnPasswordDialog:
        """Open (or bring forward) "Cambia la mia password"; also used by the Archivio menu."""
        if self.password_dialog is None:
            dialog = ChangeOwnPasswordDialog(
                self.session.workspace, self.session.tasks, self.window()
            )
            dialog.password_changed.connect(self.own_password_changed.emit)
            dialog.finished.connect(lambda _result: self._forget_password_dialog(dialog))
            self.password_dialog = dialog
            dialog.open()
        self.password_dialog.raise_()
        self.password_dialog.activateWindow()
        return self.password_dialog

    def _forget_password_dialog(self, dialog: ChangeOwnPasswordDialog) -> None:
        if self.password_dialog is dialog:
            self.password_dialog = None
        dialog.deleteLater()

    def activate(self) -> None:
        self.last_backup.setText(describe_last_backup(self.session))

    def save(self, spec: IntSetting) -> None:
        value = self.spins[spec.key].value()
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: settings_service.write_setting(
                workspace.uow_factory(), actor=workspace.actor, spec=spec, value=value, now=now
            ),
            on_done=lambda _none: self.on_setting_stored(spec, value),
            owner=self,
        )

    def on_setting_stored(self, spec: IntSetting, value: int) -> None:
        self.session.settings[spec.key] = value
        self.saved.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        self.setting_saved.emit(spec.key, value)
