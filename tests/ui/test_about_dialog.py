"""«Aiuto › Informazioni su caseworker…»: the version, the data folder and the keys, and the
self-test run from the dialog on the worker, each step shown as it ends (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseworker_app import __version__
from caseworker_app.bootstrap.self_test import STEPS, run_self_test
from caseworker_app.ports.gateway import SelfTest, SelfTestProgress, SelfTestReport, SelfTestStep
from caseworker_app.ui.about_dialog import AboutDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import CreatedStore, wait_idle
from .test_accessibility import _unnamed


def _window(qtbot: QtBot, session: Session, self_test: SelfTest) -> Iterator[MainWindow]:
    window = MainWindow(session, self_test=self_test)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    wait_idle(qtbot, session.tasks, timeout=60_000)


@pytest.fixture
def window(qtbot: QtBot, session: Session) -> Iterator[MainWindow]:
    yield from _window(qtbot, session, run_self_test)


@pytest.fixture
def failing_window(qtbot: QtBot, session: Session) -> Iterator[MainWindow]:
    yield from _window(qtbot, session, _FailsAtSecond())


def _open_about(qtbot: QtBot, window: MainWindow) -> AboutDialog:
    window.about_action.trigger()
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitExposed(dialog)
    return dialog


def _rows(dialog: AboutDialog) -> list[tuple[str, str, str]]:
    rows = []
    for n in range(dialog.steps.topLevelItemCount()):
        item = dialog.steps.topLevelItem(n)
        assert item is not None
        rows.append((item.text(0), item.text(1), item.text(2)))
    return rows


def test_the_self_test_runs_from_the_about_dialog_and_shows_every_step(
    qtbot: QtBot, window: MainWindow, session: Session, created: CreatedStore
) -> None:
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Archivio", "A&iuto"]
    dialog = _open_about(qtbot, window)
    assert dialog.windowTitle() == "Informazioni su caseworker"
    assert dialog.version_label.text() == __version__
    assert dialog.folder_label.text() == str(created.vault.root)
    assert dialog.keystore_label.text() == "file delle chiavi accanto all'archivio"
    assert not dialog.steps.isVisible()
    assert _unnamed(dialog) == []

    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert not dialog.run_button.isEnabled()
    assert dialog.run_button.text() == "Autodiagnosi in corso…"
    assert dialog.progress.isVisible() and dialog.steps.isVisible()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)

    report = dialog.report
    assert report is not None and report.ok
    rows = _rows(dialog)
    assert [name for name, _, _ in rows] == [s.name for s in STEPS]
    assert {result for _, result, _ in rows} == {"riuscito"}
    assert all(time.endswith(" s") and "," in time for _, _, time in rows)
    assert dialog.summary.isVisible()
    assert dialog.summary.text().startswith(f"Autodiagnosi riuscita: {len(STEPS)} passi in ")
    assert dialog.summary.property("severity") == "ok"
    assert not dialog.progress.isVisible()
    assert dialog.run_button.isEnabled()
    assert dialog.run_button.text() == "Esegui di nuovo l'autodiagnosi"
    # the open store was never touched: the session goes on
    assert session.workspace.list_operators()

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.findChildren(AboutDialog))


class _FailsAtSecond:
    """A self-test whose second step fails, reported through the same progress calls."""

    def __call__(self, *, progress: SelfTestProgress | None = None) -> SelfTestReport:
        steps = (
            SelfTestStep("archivio cifrato creato", True, 0.5),
            SelfTestStep("stampa e anteprima del Progetto Individuale", False, 0.25,
                         "modulo mancante: pypdfium2"),
        )  # fmt: skip
        for index, step in enumerate(steps):
            if progress is not None:
                progress(index, 15, step.name, None)
                progress(index, 15, step.name, step)
        return SelfTestReport(steps, 0.75)


def test_a_failed_step_is_named_with_what_went_wrong(
    qtbot: QtBot, failing_window: MainWindow
) -> None:
    dialog = _open_about(qtbot, failing_window)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)

    assert _rows(dialog) == [
        ("archivio cifrato creato", "riuscito", "0,50 s"),
        ("stampa e anteprima del Progetto Individuale", "non riuscito", "0,25 s"),
    ]
    failed = dialog.steps.topLevelItem(1)
    assert failed is not None and failed.toolTip(1) == "modulo mancante: pypdfium2"
    assert dialog.summary.text() == (
        "Autodiagnosi non riuscita al passo «stampa e anteprima del Progetto Individuale»: "
        "modulo mancante: pypdfium2. Segnala questo messaggio all'assistenza."
    )
    assert dialog.summary.property("severity") == "error"
    assert dialog.run_button.isEnabled()


def test_without_a_self_test_the_button_is_off(qtbot: QtBot, main_window: MainWindow) -> None:
    dialog = _open_about(qtbot, main_window)
    assert not dialog.run_button.isEnabled()
    assert dialog.version_label.text() == __version__
