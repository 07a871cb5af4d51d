"""Logging in, wrong passwords, throttling, a damaged store, the recovery code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from caseworker_app.app import EXIT_WHEN_SHOWN_ENV, AppController, LazyVault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui.errors import message_for
from caseworker_app.ui.login_dialog import LoginDialog
from caseworker_app.ui.recovery_dialogs import RecoveryDialog
from caseworker_app.ui.tasks import TaskRunner

from .conftest import FULL_NAME, PASSWORD, USERNAME, CreatedStore, wait_idle


def _login_dialog(qtbot: QtBot, created: CreatedStore, tasks: TaskRunner) -> LoginDialog:
    dialog = LoginDialog(created.vault, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type_and_submit(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_social_worker_logs_in(
    qtbot: QtBot, qapp: QApplication, created: CreatedStore, tasks: TaskRunner, qsettings: QSettings
) -> None:
    gateway = LazyVault(created.vault.root, keystore_preference=None)  # as app.main builds it
    controller = AppController(qapp, tasks, qsettings, gateway, keystore_preference=None)
    first = controller.start()
    assert isinstance(first, LoginDialog)  # an existing store: no wizard
    _type_and_submit(qtbot, first, USERNAME, PASSWORD)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    window = controller.main_window
    assert window is not None
    qtbot.addWidget(window)
    assert window.isVisible()
    qtbot.waitUntil(lambda: controller.first_window is None)  # the login window is gone
    assert FULL_NAME in window.operator_label.text()
    assert "file delle chiavi accanto all'archivio" in window.keystore_label.text()
    labels = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert labels == [
        "Cartelle",
        "Istanze",
        "Scadenze",
        "Trasmissioni",
        "Impostazioni",
        "Operatori",
        "Registro attività",
    ]
    assert qsettings.value("login/username") == USERNAME
    window.close()
    wait_idle(qtbot, tasks)
    assert controller.workspace is not None
    controller.workspace.close()


def test_the_demo_start_proposes_its_operator_and_asks_only_the_password(
    qtbot: QtBot, qapp: QApplication, created: CreatedStore, tasks: TaskRunner, qsettings: QSettings
) -> None:
    """``start.sh --demo`` starts ``caseworker-app --operator demo``: the user name is there."""
    qsettings.setValue("login/username", "someone-else")
    gateway = LazyVault(created.vault.root, keystore_preference=None)
    controller = AppController(qapp, tasks, qsettings, gateway, keystore_preference=None,
                               operator=USERNAME)  # fmt: skip
    first = controller.start()
    assert isinstance(first, LoginDialog)
    qtbot.addWidget(first)
    assert first.username.text() == USERNAME
    qtbot.waitUntil(lambda: first.password.hasFocus(), timeout=5_000)
    first.close()


def test_wrong_password_shows_message_and_keeps_username(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner
) -> None:
    dialog = _login_dialog(qtbot, created, tasks)
    _type_and_submit(qtbot, dialog, USERNAME, "password-sbagliata")
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == message_for(UserFacingError("auth.wrong_credentials"))
    assert dialog.username.text() == USERNAME
    assert dialog.password.text() == ""
    assert dialog.login_button.isEnabled()
    assert dialog.workspace is None


def test_repeated_wrong_passwords_make_the_operator_wait(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner
) -> None:
    dialog = _login_dialog(qtbot, created, tasks)
    for _attempt in range(4):
        qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
        _type_and_submit(qtbot, dialog, USERNAME, "password-sbagliata")
        wait_idle(qtbot, tasks)
    assert "secondi" in dialog.error.text()
    assert not dialog.login_button.isEnabled()


def test_damaged_store_offers_restore_from_backup(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner
) -> None:
    created.workspace.close()
    db = created.vault.root / "caseworker.db"
    data = bytearray(db.read_bytes())
    data[4096:8192] = bytes(4096)  # wipe the second page
    db.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    dialog = _login_dialog(qtbot, created, tasks)
    _type_and_submit(qtbot, dialog, USERNAME, PASSWORD)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.restore_here.isVisible()


def test_operator_sets_a_new_password_with_the_recovery_code(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner
) -> None:
    dialog = RecoveryDialog(created.vault, tasks, username=USERNAME)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.code, created.recovery_code.lower())
    qtbot.keyClicks(dialog.new_password.password, "nuova-password-2")
    qtbot.keyClicks(dialog.new_password.confirm, "nuova-password-")
    assert not dialog.ok_button.isEnabled()
    assert dialog.new_password.problem.text()  # the two passwords differ
    qtbot.keyClicks(dialog.new_password.confirm, "2")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.recovered, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    workspace = blocker.args[0]
    assert workspace.actor.username == USERNAME
    workspace.close()
    created.vault.unlock(USERNAME, "nuova-password-2").close()


def test_login_window_appears_before_the_storage_stack_is_imported(
    created: CreatedStore, tmp_path: Path
) -> None:
    """The start-up benchmark's path: the first window must not wait for SQLCipher & co."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env[EXIT_WHEN_SHOWN_ENV] = "1"
    program = "import sys\nfrom caseworker_app.app import main\nsys.exit(main())\n"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", program, "--store", str(created.vault.root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "shown"
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    heavy = {
        "sqlalchemy",
        "alembic",
        "sqlcipher3",
        "argon2",
        "cryptography",
        "keyring",
        # the store's light layout module may answer "is there a store here?"; its database
        # stack may not load before the window
        "caseworker_app.bootstrap.vault",
        "caseworker_app.store.engine",
        "caseworker_app.store.models",
        "caseworker_app.ports.gateway",
    }
    assert imported & heavy == set()
    assert "caseworker_app.ui.login_dialog" in imported
