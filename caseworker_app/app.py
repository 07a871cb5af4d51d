"""The composition root of the desktop application: the one place that builds and wires things.

Start-up is kept fast: the first window (login, or the setup wizard on first run) is shown
before the storage stack (SQLAlchemy, SQLCipher, Argon2, cryptography) is imported. The store is
a :class:`LazyVault` that imports and builds the real ``Vault`` on the worker, the first time it
is needed (right after the window is shown, to warm up, or when the operator presses Accedi).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from caseworker_app.fsutil import private_dir
from caseworker_app.ui import errors
from caseworker_app.ui.login_dialog import LoginDialog
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import apply_theme

if TYPE_CHECKING:
    from caseworker_app.ports.gateway import (
        RestoreReport,
        SelfTestProgress,
        SelfTestReport,
        SetupRequest,
        StoreGateway,
        Workspace,
    )
    from caseworker_app.ui.main_window import MainWindow
    from caseworker_app.ui.session import SessionInfo

EXIT_WHEN_SHOWN_ENV = "CASEWORKER_EXIT_WHEN_SHOWN"  # start-up benchmark only
STORE_ENV = "CASEWORKER_STORE"
_STORE_PATH_KEY = "store/path"
_USERNAME_KEY = "login/username"
_LOG = logging.getLogger("caseworker")


class LazyVault:
    """A ``StoreGateway`` that builds the real ``Vault`` (and imports the storage stack) on
    first use, so that nothing heavy is imported before the first window is on screen."""

    def __init__(self, root: Path, *, keystore_preference: str | None) -> None:
        self._root = root.expanduser()
        self._keystore_preference = keystore_preference
        self._impl: StoreGateway | None = None
        self._lock = threading.Lock()

    def _vault(self) -> StoreGateway:
        with self._lock:
            if self._impl is None:
                from caseworker_app.bootstrap.vault import Vault

                self._impl = Vault(self._root, keystore_preference=self._keystore_preference)
            return self._impl

    def warm_up(self) -> None:
        self._vault()

    @property
    def root(self) -> Path:
        return self._root

    def exists(self) -> bool:
        if self._impl is not None:
            return self._impl.exists()
        from caseworker_app.store.layout import StoreLayout  # light: no database stack

        return StoreLayout(self._root).exists()

    def keystore_kind(self) -> str:
        return self._vault().keystore_kind()

    def create(self, request: SetupRequest) -> tuple[Workspace, str]:
        return self._vault().create(request)

    def unlock(self, username: str, password: str) -> Workspace:
        return self._vault().unlock(username, password)

    def recover(self, recovery_code: str, username: str, new_password: str) -> Workspace:
        return self._vault().recover(recovery_code, username, new_password)

    def restore(
        self, archive: Path, recovery_code: str, *, replace_existing: bool
    ) -> RestoreReport:
        return self._vault().restore(archive, recovery_code, replace_existing=replace_existing)


def run_self_test(*, progress: SelfTestProgress | None = None) -> SelfTestReport:
    """The self-test of the installation (ports.gateway.SelfTest), for the «Informazioni»
    dialog: bootstrap/self_test.py, imported the first time it runs."""
    from caseworker_app.bootstrap.self_test import run_self_test as run

    return run(progress=progress)


def default_store_dir(qsettings: QSettings) -> Path:
    """``CASEWORKER_STORE``, else the folder chosen in the setup wizard, else the user data
    folder (``%LOCALAPPDATA%\\caseworker\\store`` on Windows)."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    chosen = qsettings.value(_STORE_PATH_KEY)
    if isinstance(chosen, str) and chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_data_dir("caseworker", appauthor=False)) / "store"


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="caseworker-app", description="Caseworker: cartella sociale e istruttorie."
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="cartella dell'archivio cifrato (predefinita: CASEWORKER_STORE o "
        "la cartella dati dell'utente)",
    )
    parser.add_argument(
        "--operator",
        default="",
        help="nome utente proposto nella finestra di accesso (predefinito: l'ultimo usato)",
    )
    parser.add_argument(
        "--keystore",
        choices=("file", "keyring"),
        default=None,
        help="dove conservare le chiavi alla creazione (predefinito: "
        "portachiavi di sistema se disponibile)",
    )
    return parser.parse_args(argv)


def _configure_logging() -> None:
    """Log to a rotating file in the user's log folder (messages never hold personal data)."""
    import platformdirs

    folder = Path(platformdirs.user_log_dir("caseworker", appauthor=False))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        # private like every other folder we write (0700): the log holds no personal data, but
        # it says who worked when
        private_dir(folder, parents=True)
        handler: logging.Handler = RotatingFileHandler(
            folder / "caseworker.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        with contextlib.suppress(OSError):
            os.chmod(folder / "caseworker.log", 0o600)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def _install_excepthook() -> None:
    """Exceptions escaping a Qt slot go through the same triage as everything else."""

    def hook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        errors.report_error(None, exc)

    sys.excepthook = hook


class AppController(QObject):
    """Login or first-run wizard → session facts on the worker → main window."""

    def __init__(
        self,
        app: QApplication,
        tasks: TaskRunner,
        qsettings: QSettings,
        gateway: StoreGateway,
        *,
        keystore_preference: str | None,
        operator: str = "",
    ) -> None:
        super().__init__()
        self.operator = operator
        self.app = app
        self.tasks = tasks
        self.qsettings = qsettings
        self.gateway: StoreGateway = gateway
        self.keystore_preference = keystore_preference
        self.first_window: QWidget | None = None
        self.main_window: MainWindow | None = None
        self.workspace: Workspace | None = None

    def gateway_for(self, root: Path) -> StoreGateway:
        return LazyVault(root, keystore_preference=self.keystore_preference)

    def start(self) -> QWidget:
        if self.gateway.exists():
            username = self.operator or str(self.qsettings.value(_USERNAME_KEY, "") or "")
            login = LoginDialog(self.gateway, self.tasks, username=username)
            login.logged_in.connect(self.on_workspace_ready)
            login.rejected.connect(self.app.quit)
            self.first_window = login
        else:
            from caseworker_app.ui.setup_wizard import SetupWizard

            wizard = SetupWizard(self.gateway, self.tasks, gateway_for=self.gateway_for)
            wizard.setup_finished.connect(self.on_setup_finished)
            wizard.rejected.connect(self.app.quit)
            self.first_window = wizard
        self.first_window.show()
        return self.first_window

    def after_shown(self) -> None:
        """Once the window is on screen: logging, error hook, and warm the storage stack."""
        _configure_logging()
        _install_excepthook()
        gateway = self.gateway

        def warm_up() -> None:
            if isinstance(gateway, LazyVault):
                gateway.warm_up()
            from caseworker_app.ui.session import warm_up as warm_up_tables

            warm_up_tables()

        self.tasks.run(
            warm_up,
            on_done=lambda _none: None,
            on_error=lambda exc: _LOG.warning("warm-up failed: %s", type(exc).__name__),
        )

    def on_setup_finished(self, workspace: Workspace) -> None:
        from caseworker_app.ui.setup_wizard import SetupWizard

        wizard = self.first_window
        if isinstance(wizard, SetupWizard):
            self.gateway = wizard.gateway
            self.qsettings.setValue(_STORE_PATH_KEY, str(self.gateway.root))
        self.on_workspace_ready(workspace)

    def on_workspace_ready(self, workspace: Workspace) -> None:
        from caseworker_app.ui.session import load_session_info

        self.workspace = workspace
        self.qsettings.setValue(_USERNAME_KEY, workspace.actor.username)
        self.tasks.run(
            lambda: load_session_info(workspace),
            on_done=self.on_session_loaded,
            on_error=self.on_session_load_failed,
        )

    def on_session_loaded(self, info: SessionInfo) -> None:
        from caseworker_app.ui.main_window import MainWindow
        from caseworker_app.ui.session import Session

        assert self.workspace is not None
        session = Session(
            workspace=self.workspace, tasks=self.tasks, info=info, qsettings=self.qsettings
        )
        self.main_window = MainWindow(session, self_test=run_self_test)
        self.main_window.closed.connect(self.app.quit)
        show_fitted(self.main_window)
        if self.first_window is not None:
            self.first_window.hide()
            self.first_window.deleteLater()
            self.first_window = None
        from PySide6.QtCore import QTimer

        from caseworker_app.ui.memory import freeze_long_lived

        QTimer.singleShot(0, freeze_long_lived)  # once the window is painted

    def on_session_load_failed(self, exc: BaseException) -> None:
        """Nothing can be done without the session: explain, then end."""
        if self.first_window is not None:
            self.first_window.hide()
        dialog = errors.report_error(None, exc)
        if dialog is None:
            self.app.quit()
        else:
            dialog.finished.connect(self.app.quit)

    def shutdown(self) -> None:
        """After the event loop: let queued saves finish, then close the store."""
        self.tasks.shutdown(wait=True)
        if self.workspace is not None:
            self.workspace.close()


def setup_application(app: QApplication) -> None:
    """Names, Italian locale with Qt's own Italian texts (file dialogs, standard buttons: see
    ``ui/i18n.py`` for where the catalog is found, frozen builds included), icon, stylesheet."""
    app.setApplicationName("Caseworker")
    app.setOrganizationName("caseworker")
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    setup_application(app)
    qsettings = QSettings("caseworker", "caseworker")
    root = args.store or default_store_dir(qsettings)
    tasks = TaskRunner()
    gateway = LazyVault(root, keystore_preference=args.keystore)
    controller = AppController(app, tasks, qsettings, gateway, keystore_preference=args.keystore,
                               operator=args.operator.strip())  # fmt: skip
    controller.start()
    if os.environ.get(EXIT_WHEN_SHOWN_ENV) == "1":

        def exit_when_shown() -> None:
            print("shown", flush=True)
            app.exit(0)

        QTimer.singleShot(0, exit_when_shown)
    else:
        QTimer.singleShot(0, controller.after_shown)
    code = app.exec()
    controller.shutdown()
    return code
