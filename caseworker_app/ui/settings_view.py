"""Settings, rendered generically from the declarations in ``services.settings`` (Vorta)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.messages import render
from caseworker_app.services import settings as settings_service
from caseworker_app.services.settings import IntSetting, Office, TextSetting
from caseworker_app.ui import errors
from caseworker_app.ui.backup import BackupController, describe_last_backup
from caseworker_app.ui.formats import format_time
from caseworker_app.ui.operator_dialogs import ChangeOwnPasswordDialog
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity
from caseworker_app.ui.transfer_keys_panel import TransferKeysPanel
from caseworker_app.ui.wording import keystore_description

SAVE_DELAY_MS = 700
LOGO_PREVIEW_HEIGHT = 48


class SettingsView(QWidget):
    setting_saved = Signal(str, int)
    #: a setting of the letterhead (office, address, phone, PEC, logo) was stored
    letterhead_saved = Signal(str)
    #: the letterhead settings were read from the store
    letterhead_loaded = Signal()
    #: the operator changed their own password
    own_password_changed = Signal()

    def __init__(
        self, session: Session, backups: BackupController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.backups = backups
        self.spins: dict[str, QSpinBox] = {}
        self.office_edits: dict[str, QLineEdit] = {}
        self.office = Office()
        self._timers: dict[str, QTimer] = {}
        #: the password dialog, while it is open
        self.password_dialog: ChangeOwnPasswordDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Impostazioni"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        # two columns: the office's settings on the left, the transmission keys on the right
        columns = QHBoxLayout()
        left = QVBoxLayout()
        columns.addLayout(left, 1)

        prefs = QGroupBox(self.tr("Preferenze"))
        form = QFormLayout(prefs)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for spec in settings_service.ALL_SETTINGS:
            form.addRow(render(spec.label) + ":", self._spin_for(spec))
        self.saved = QLabel(self.tr("Le modifiche vengono salvate automaticamente."))
        self.saved.setObjectName("hint")
        form.addRow("", self.saved)
        left.addWidget(prefs)
        left.addWidget(self._letterhead_box())

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
        left.addWidget(security)
        left.addStretch(1)
        right = QVBoxLayout()
        self.transfer_keys = TransferKeysPanel(session)
        right.addWidget(self.transfer_keys)
        right.addStretch(1)
        columns.addLayout(right, 1)
        layout.addLayout(columns, 1)
        backups.backup_done.connect(lambda _report: self.activate())

    def _letterhead_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Intestazione dei documenti stampati"))
        form = QFormLayout(box)
        hint = QLabel(self.tr("L'ufficio del comune come compare in testa a ogni documento."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form.addRow(hint)
        placeholders = {
            settings_service.OFFICE_NAME.key: self.tr("Servizi Sociali"),
            settings_service.OFFICE_ADDRESS.key: self.tr("Piazza Marconi 1, 20081 Abbiategrasso"),
            settings_service.OFFICE_PHONE.key: self.tr("02 9469 2201"),
            settings_service.OFFICE_PEC.key: self.tr("protocollo@pec.comune.esempio.it"),
        }
        for spec in settings_service.OFFICE_SETTINGS:
            edit = QLineEdit()
            edit.setAccessibleName(render(spec.label))
            edit.setPlaceholderText(placeholders.get(spec.key, ""))
            edit.setMaxLength(spec.max_length)
            edit.setMinimumWidth(320)
            edit.setEnabled(False)  # until the stored values are read
            edit.editingFinished.connect(partial(self.save_text, spec))
            self.office_edits[spec.key] = edit
            form.addRow(render(spec.label) + ":", edit)
        self.letterhead_message = QLabel()
        self.letterhead_message.setWordWrap(True)
        self.letterhead_message.hide()
        form.addRow("", self.letterhead_message)
        self.logo_preview = QLabel()
        self.logo_preview.setAccessibleName(self.tr("Anteprima del logo"))
        self.logo_state = QLabel(self.tr("Nessun logo"))
        self.logo_button = QPushButton(self.tr("Scegli il logo…"))
        self.logo_button.setAccessibleName(self.tr("Scegli il logo"))
        self.logo_button.setToolTip(self.tr("Un'immagine PNG o JPEG di al massimo 1 MB"))
        self.logo_button.clicked.connect(self.on_logo_clicked)
        self.logo_remove = QPushButton(self.tr("Rimuovi il logo"))
        self.logo_remove.setAccessibleName(self.tr("Rimuovi il logo"))
        self.logo_remove.clicked.connect(self.on_logo_remove_clicked)
        row = QHBoxLayout()
        for widget in (self.logo_preview, self.logo_state, self.logo_button, self.logo_remove):
            row.addWidget(widget)
        row.addStretch(1)
        form.addRow(self.tr("Logo:"), row)
        self._show_logo(None)
        workspace = self.session.workspace
        self.session.tasks.run(
            lambda: settings_service.read_office(workspace.uow_factory()),
            on_done=self.on_office_loaded,
            owner=self,
        )
        return box

    def on_office_loaded(self, office: Office) -> None:
        self.office = office
        values = {
            settings_service.OFFICE_NAME.key: office.name,
            settings_service.OFFICE_ADDRESS.key: office.address,
            settings_service.OFFICE_PHONE.key: office.phone,
            settings_service.OFFICE_PEC.key: office.pec,
        }
        for key, edit in self.office_edits.items():
            edit.setText(values[key])
            edit.setEnabled(True)
        self._show_logo(office.logo)
        self.letterhead_loaded.emit()

    def _stored_text(self, spec: TextSetting) -> str:
        office = self.office
        return {
            settings_service.OFFICE_NAME.key: office.name,
            settings_service.OFFICE_ADDRESS.key: office.address,
            settings_service.OFFICE_PHONE.key: office.phone,
            settings_service.OFFICE_PEC.key: office.pec,
        }[spec.key]

    def save_text(self, spec: TextSetting) -> None:
        """Store the field of ``spec`` when it changed (on leaving it or pressing Invio)."""
        edit = self.office_edits[spec.key]
        value = edit.text()
        if not edit.isEnabled() or value == self._stored_text(spec):
            return
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: settings_service.write_text_setting(
                workspace.uow_factory(), actor=workspace.actor, spec=spec, value=value, now=now
            ),
            on_done=partial(self.on_text_stored, spec),
            on_error=partial(self.on_letterhead_failed, edit),
            owner=self,
        )

    def on_text_stored(self, spec: TextSetting, stored: str) -> None:
        edit = self.office_edits[spec.key]
        office = self.office
        if spec is settings_service.OFFICE_NAME:
            office = replace(office, name=stored)
        elif spec is settings_service.OFFICE_ADDRESS:
            office = replace(office, address=stored)
        elif spec is settings_service.OFFICE_PHONE:
            office = replace(office, phone=stored)
        else:
            office = replace(office, pec=stored)
        self.office = office
        if edit.text() != stored:
            edit.setText(stored)
        edit.setAccessibleDescription("")
        self._letterhead_note("", "")
        self._saved_now()
        self.letterhead_saved.emit(spec.key)

    def on_letterhead_failed(self, widget: QWidget, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            errors.report_error(self, exc)
            return
        text = errors.message_for(exc)
        widget.setAccessibleDescription(text)
        self._letterhead_note(text, "error")

    def _letterhead_note(self, text: str, severity: str) -> None:
        self.letterhead_message.setText(text)
        set_severity(self.letterhead_message, severity)
        self.letterhead_message.setVisible(bool(text))

    def _show_logo(self, logo: bytes | None) -> None:
        self.logo_remove.setEnabled(logo is not None)
        if logo is None:
            self.logo_preview.clear()
            self.logo_preview.hide()
            self.logo_state.setText(self.tr("Nessun logo"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(logo)
        self.logo_preview.setPixmap(
            pixmap.scaledToHeight(LOGO_PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        )
        self.logo_preview.show()
        size = max(1, round(len(logo) / 1024))
        self.logo_state.setText(self.tr("Logo impostato (%1 KB)").replace("%1", str(size)))

    def choose_logo_path(self) -> Path | None:
        """The image chosen in the file dialog (replaced in tests)."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Scegli il logo del comune"), "",
            self.tr("Immagini PNG o JPEG (*.png *.jpg *.jpeg)"),
        )  # fmt: skip
        return Path(chosen) if chosen else None

    def on_logo_clicked(self) -> None:
        path = self.choose_logo_path()
        if path is None:
            return
        workspace, now = self.session.workspace, self.session.now()

        def store() -> bytes:
            logo = settings_service.read_logo_file(path)
            settings_service.write_logo(workspace.uow_factory(), actor=workspace.actor,
                                        content=logo, now=now)  # fmt: skip
            return logo

        self.session.tasks.run(store, on_done=self.on_logo_stored,
                               on_error=partial(self.on_letterhead_failed, self.logo_button),
                               owner=self)  # fmt: skip

    def on_logo_remove_clicked(self) -> None:
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: settings_service.write_logo(
                workspace.uow_factory(), actor=workspace.actor, content=None, now=now
            ),
            on_done=lambda _none: self.on_logo_stored(None),
            on_error=partial(self.on_letterhead_failed, self.logo_remove),
            owner=self,
        )

    def on_logo_stored(self, logo: bytes | None) -> None:
        self.office = replace(self.office, logo=logo)
        self._show_logo(logo)
        self.logo_button.setAccessibleDescription("")
        self._letterhead_note("", "")
        self._saved_now()
        self.letterhead_saved.emit(settings_service.LOGO_KEY)

    def _saved_now(self) -> None:
        self.saved.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )

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
        self.transfer_keys.activate()

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
