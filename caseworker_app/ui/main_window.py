"""The main window: navigation on the left, the sections, the backup reminder, the idle lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.gateway import BackupReport, SelfTest
from caseworker_app.services.settings import IDLE_LOCK_MINUTES
from caseworker_app.ui.audit_view import AuditView
from caseworker_app.ui.avvisi_view import AvvisiView
from caseworker_app.ui.backup import BackupBanner, BackupController
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.cases_page import CasesPage
from caseworker_app.ui.istanze_view import IstanzeView
from caseworker_app.ui.lock import IdleWatcher, LockView
from caseworker_app.ui.operators_view import OperatorsView
from caseworker_app.ui.rankings_view import RankingsView
from caseworker_app.ui.reception_view import ReceptionView
from caseworker_app.ui.scadenze_view import ScadenzeView
from caseworker_app.ui.session import Session
from caseworker_app.ui.settings_view import SettingsView
from caseworker_app.ui.theme import app_icon
from caseworker_app.ui.transmissions_view import TransmissionsView
from caseworker_app.ui.wording import keystore_description

if TYPE_CHECKING:
    from caseworker_app.ui.about_dialog import AboutDialog

GEOMETRY_KEY = "main_window/geometry"
CHECKPOINT_IDLE_MINUTES = 0.5  # no input for this long: fold the WAL into the database
STATE_KEY = "main_window/state"


class MainWindow(QMainWindow):
    #: the window was closed (the application ends)
    closed = Signal()

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        self_test: SelfTest | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        #: the installation's self-test, for the «Informazioni» dialog (wired in by app.py)
        self.self_test = self_test
        self._focus_before_lock: QWidget | None = None
        self._hidden_by_lock: list[QWidget] = []
        self.setWindowIcon(app_icon())
        if session.info.role == "capofila":
            title = self.tr("Caseworker – %1 (capofila)")
        else:
            title = self.tr("Caseworker – Comune di %1")
        self.setWindowTitle(title.replace("%1", session.info.comune_name))
        self.backups = BackupController(session, self)
        self._build_sections()
        self._build_menu()
        self._build_status_bar()
        self.idle = IdleWatcher(session.settings[IDLE_LOCK_MINUTES.key], self)
        self.idle.idle_timed_out.connect(self.lock)
        self.idle.start()
        # Half a minute without input: fold the write-ahead log into the database, so the latest
        # commits do not live only in caseworker.db-wal while the laptop sits open.
        self.checkpointer = IdleWatcher(CHECKPOINT_IDLE_MINUTES, self)
        self.checkpointer.idle_timed_out.connect(self.on_idle_checkpoint)
        self.checkpointer.start()
        self.backups.backup_done.connect(self.on_backup_done)
        self._restore_geometry()
        self.navigation.setCurrentRow(0)

    # -- construction ----------------------------------------------------------------------

    def _build_sections(self) -> None:
        actor = self.session.workspace.actor
        self.sections = QStackedWidget()
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Sezioni"))
        self.navigation.setFixedWidth(190)
        self.cases_page: CasesPage | None = None
        self.audit_view: AuditView | None = None
        self.operators_view: OperatorsView | None = None
        if actor.can(Permission.READ_CASES):
            self.cases_page = CasesPage(self.session)
            self._add_section(self.tr("Cartelle"), self.cases_page)
            self._add_section(self.tr("Istanze"), IstanzeView(self.session))
        self.scadenze_view = ScadenzeView(self.session, self.backups)
        self.scadenze_view.open_requested.connect(self.on_scadenza_open_requested)
        self._add_section(self.tr("Scadenze"), self.scadenze_view)
        self.transmissions_view: TransmissionsView | None = None
        self.reception_view: ReceptionView | None = None
        self.rankings_view: RankingsView | None = None
        self.avvisi_view: AvvisiView | None = None
        if actor.can(Permission.READ_CASES):
            # the capofila receives the istruttorie; a comune sends them
            if self.session.info.role == "capofila":
                self.reception_view = ReceptionView(self.session)
                self._add_section(self.tr("Ricezione"), self.reception_view)
                if actor.can(Permission.RANK):
                    self.rankings_view = RankingsView(self.session)
                    self._add_section(self.tr("Graduatorie"), self.rankings_view)
                    self.avvisi_view = AvvisiView(self.session)
                    self._add_section(self.tr("Avvisi"), self.avvisi_view)
            else:
                self.transmissions_view = TransmissionsView(self.session)
                self._add_section(self.tr("Trasmissioni"), self.transmissions_view)
        self.settings_view = SettingsView(self.session, self.backups)
        self.settings_view.setting_saved.connect(self.on_setting_saved)
        self.settings_view.own_password_changed.connect(self.on_own_password_changed)
        self._add_section(self.tr("Impostazioni"), self.settings_view)
        if actor.can(Permission.MANAGE_OPERATORS):
            self.operators_view = OperatorsView(self.session)
            self._add_section(self.tr("Operatori"), self.operators_view)
        if actor.can(Permission.READ_AUDIT):
            self.audit_view = AuditView(self.session)
            self._add_section(self.tr("Registro attività"), self.audit_view)
        self.navigation.currentRowChanged.connect(self.on_navigation_changed)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.banner = BackupBanner(self.backups)
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(8, 8, 8, 0)
        banner_row.addWidget(self.banner)
        column.addLayout(banner_row)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.navigation)
        body.addWidget(self.sections, 1)
        column.addLayout(body, 1)

        self.lock_view = LockView(self.session)
        self.lock_view.unlocked.connect(self.on_unlocked)
        self.lock_view.quit_requested.connect(self.close)
        self.stack = QStackedWidget()
        self.content = content
        self.stack.addWidget(content)
        self.stack.addWidget(self.lock_view)
        self.setCentralWidget(self.stack)

    def _add_section(self, title: str, widget: QWidget) -> None:
        self.sections.addWidget(widget)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self.navigation.addItem(item)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Archivio"))
        self.backup_action = QAction(self.tr("Esegui &backup…"), self)
        self.backup_action.triggered.connect(lambda: self.backups.run_backup())
        self.lock_action = QAction(self.tr("&Blocca ora"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.password_action = QAction(self.tr("Cambia la mia &password…"), self)
        self.password_action.triggered.connect(lambda: self.settings_view.open_change_password())
        quit_action = QAction(self.tr("&Esci"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(self.backup_action)
        menu.addAction(self.lock_action)
        menu.addAction(self.password_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.addAction(self.lock_action)
        help_menu = self.menuBar().addMenu(self.tr("A&iuto"))
        self.about_action = QAction(self.tr("&Informazioni su caseworker…"), self)
        self.about_action.triggered.connect(self.open_about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        info = self.session.info
        self.operator_label = QLabel(
            self.tr("Operatore: %1 (%2)").replace("%1", info.full_name).replace("%2", info.username)
        )
        self.operator_label.setAccessibleName(self.tr("Operatore collegato"))
        self.keystore_label = QLabel(
            self.tr("Chiavi: %1").replace("%1", keystore_description(info.keystore_kind))
        )
        self.keystore_label.setAccessibleName(self.tr("Dove sono conservate le chiavi"))
        self.statusBar().addWidget(self.operator_label)
        self.statusBar().addPermanentWidget(self.keystore_label)

    def open_about(self) -> AboutDialog:
        """«Informazioni su caseworker»: version, data folder, keys, and the self-test."""
        from caseworker_app.ui.about_dialog import open_about_dialog

        return open_about_dialog(self.session, self.self_test, self)

    # -- geometry --------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.session.qsettings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(geometry):
            return
        self.resize(1280, 720)

    def save_geometry(self) -> None:
        self.session.qsettings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.session.qsettings.sync()

    # -- navigation ------------------------------------------------------------------------

    def on_navigation_changed(self, row: int) -> None:
        self.sections.setCurrentIndex(row)
        widget = self.sections.currentWidget()
        activate = getattr(widget, "activate", None)
        if callable(activate):
            activate()

    def show_section(self, widget: QWidget) -> None:
        self.navigation.setCurrentRow(self.sections.indexOf(widget))

    def on_scadenza_open_requested(
        self, kind: str, case_id: str, target_id: str, detail: str = ""
    ) -> None:
        """A row of Scadenze opens its place: the case tab that holds it, or the backup."""
        if kind == "backup":
            self.backups.run_backup()
            return
        if self.cases_page is None or not case_id:
            return
        self.show_section(self.cases_page)

        def arrive(editor: CaseEditor) -> None:
            if kind == "document":
                editor.tabs.setCurrentWidget(editor.tab_of("documents"))
            elif kind == "isee":
                editor.tabs.setCurrentWidget(editor.tab_of("isee"))
            elif kind == "istanza_document":
                editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
                editor.istanze.open_detail(IstanzaId(target_id), document=detail)
            elif kind in ("transmission", "verifica"):
                editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
                if kind == "verifica":
                    editor.istanze.open_pi(IstanzaId(target_id))

        self.cases_page.open_case(case_id, then=arrive)

    # -- lock ------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_view

    def on_idle_checkpoint(self) -> None:
        self.session.tasks.run(
            self.session.workspace.checkpoint,
            on_done=self._restart_checkpointer,
            on_error=self._restart_checkpointer,
            owner=self,
        )

    def _restart_checkpointer(self, _result: object) -> None:
        self.checkpointer.start()

    def lock(self) -> None:
        if self.is_locked():
            return
        focused = QApplication.focusWidget()
        self._focus_before_lock = focused if focused and self.isAncestorOf(focused) else None
        self.idle.stop()
        popup = QApplication.activePopupWidget()  # e.g. the list of comuni being chosen
        if popup is not None:
            popup.close()
        # Dialogs opened with open() (window-modal) would cover the lock screen and keep it from
        # taking the password: hidden, with what they hold, until the operator is back.
        self._hidden_by_lock = [
            dialog
            for dialog in self.findChildren(QDialog)
            if dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
        ]
        # The case's own windows (istanza wizard, home visit, PI editor) show personal data
        # above the locked window: hidden too, with what is typed in them (their autosave goes
        # on), and shown again at unlock.
        self._hidden_by_lock += [
            window
            for window in self.findChildren(QWidget)
            if window.isWindow() and window.isVisible() and not isinstance(window, QDialog)
        ]
        for dialog in self._hidden_by_lock:
            dialog.hide()
        self.stack.setCurrentWidget(self.lock_view)
        self.menuBar().setEnabled(False)
        self.lock_action.setEnabled(False)
        self.lock_view.prepare()

    def on_unlocked(self) -> None:
        self.stack.setCurrentWidget(self.content)
        self.menuBar().setEnabled(True)
        self.lock_action.setEnabled(True)
        self.idle.start()
        if self._focus_before_lock is not None:
            self._focus_before_lock.setFocus()
        for dialog in self._hidden_by_lock:
            if shiboken6.isValid(dialog):
                dialog.show()
        self._hidden_by_lock = []

    # -- events ----------------------------------------------------------------------------

    def on_setting_saved(self, key: str, value: int) -> None:
        if key == IDLE_LOCK_MINUTES.key:
            self.idle.set_minutes(value)
        self.banner.refresh()

    def on_own_password_changed(self) -> None:
        self.statusBar().showMessage(
            self.tr("Password cambiata: usa la nuova per accedere e per sbloccare."), 15_000
        )

    def on_backup_done(self, report: BackupReport | None) -> None:
        if report is not None:
            self.statusBar().showMessage(
                self.tr("Backup salvato: %1").replace("%1", str(report.path)), 15_000
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cases_page is not None:
            self.cases_page.flush_all()  # the worker finishes these saves before exiting
        self.save_geometry()
        self.idle.remove()
        super().closeEvent(event)
        self.closed.emit()
