"""UI fixtures: headless Qt, one session QApplication (pytest-qt), real encrypted stores."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Qt: headless, on one screen of a 1366x768 laptop (the offscreen
# plugin's own default screen is 800x800).
os.environ["QT_QPA_PLATFORM"] = "offscreen:configfile=" + str(
    Path(__file__).with_name("offscreen_1366x768.json")
)

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import apply_theme

USERNAME = "mrossi"
PASSWORD = "password-lunga-1"
FULL_NAME = "Maria Rossi"


def make_vault(root: Path) -> Vault:
    return Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")


@dataclass
class CreatedStore:
    vault: Vault
    workspace: OpenStore
    recovery_code: str


@pytest.fixture(scope="session", autouse=True)
def _theme(qapp: QApplication) -> None:
    apply_theme(qapp)


@pytest.fixture
def created(tmp_path: Path) -> Iterator[CreatedStore]:
    """A new encrypted store (comune of Abbiategrasso, operator mrossi: admin + AS)."""
    vault = make_vault(tmp_path / "store")
    workspace, code = vault.create(
        SetupRequest("comune", "abbiatense", "A010", USERNAME, FULL_NAME, PASSWORD)
    )
    yield CreatedStore(vault, workspace, code)
    workspace.close()


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown(wait=True)
    QApplication.processEvents()


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def session(created: CreatedStore, tasks: TaskRunner, qsettings: QSettings) -> Session:
    info = load_session_info(created.workspace)
    return Session(workspace=created.workspace, tasks=tasks, info=info, qsettings=qsettings)


@pytest.fixture
def main_window(session: Session, qtbot: QtBot) -> Iterator[MainWindow]:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    qtbot.waitUntil(lambda: session.tasks.pending == 0, timeout=10_000)


def wait_idle(qtbot: QtBot, tasks: TaskRunner, timeout: int = 10_000) -> None:
    """Wait until every queued task has delivered its result on the Qt thread."""
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=timeout)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` key by key. QTest's keyClicks only knows ASCII: accented letters (Cantù,
    Nicolò) are sent as key events carrying the character, as a keyboard layout would."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                widget,
                Qt.Key.Key_unknown,
                char,
                Qt.KeyboardModifier.NoModifier,
            )


ARTIFACTS = Path(
    os.environ.get("CASEWORKER_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / ".artifacts")
)


def save_screen(widget: QWidget, name: str) -> Path:
    """Grab a screen as the user sees it into the test artifacts (``.artifacts/screens``, or
    ``$CASEWORKER_TEST_ARTIFACTS/screens``), to be looked at after the run."""
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path)), f"screenshot {name} not saved"
    return path
