"""Story of the Avvisi page at the capofila (issue 13), on a real encrypted store: the Ufficio di
Piano opens Avvisi, starts «Nuova edizione da…» on the caregiver avviso, changes the budget and
the window (a wrong date is said under its field), reads the worked example, saves the draft and
releases it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.definitions.avviso_files import install_definitions
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.ui.avviso_edition_dialog import AvvisoEditionDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.tasks import TaskRunner

from .conftest import PASSWORD, make_vault, save_screen, type_text, wait_idle
from .transmission_windows import click, close_window, go_to, open_window

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SOURCE = "abbiatense-caregiver-2023"
NEW = "abbiatense-caregiver-2024"


@pytest.fixture
def capofila(tmp_path: Path) -> Iterator[OpenStore]:
    vault = make_vault(tmp_path / "capofila")
    store, _ = vault.create(SetupRequest("capofila", "abbiatense", "A010", "udp", "Udp", PASSWORD))
    yield store
    store.close()
    install_definitions([])  # the definitions held are process-wide


def _retype(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    line.selectAll()
    line.del_()
    type_text(qtbot, line, text)


def _checked(qtbot: QtBot, dialog: AvvisoEditionDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.timer.isActive() and not dialog.checking, timeout=10_000)
    wait_idle(qtbot, dialog.session.tasks)
    QApplication.processEvents()


def test_the_ufficio_di_piano_writes_and_releases_the_next_avviso(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, capofila: OpenStore
) -> None:
    window: MainWindow = open_window(qtbot, tasks, tmp_path, capofila, "capofila")
    go_to(qtbot, window, "Avvisi")
    page = window.avvisi_view
    assert page is not None
    qtbot.waitUntil(lambda: not page.loading and page.data.definitions != [], timeout=20_000)
    ids = [d.avviso for d in page.data.definitions]
    assert SOURCE in ids and "lombardia-assistenti-familiari-2007" in ids
    page.definitions.selectRow(ids.index(SOURCE))
    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=10_000)
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    _checked(qtbot, dialog)
    assert dialog.id_edit.text() == NEW and dialog.version_edit.text() == "1"
    assert "1.200,00 €" in dialog.preview.text()  # the worked example before any change

    budget = dialog.inputs["budget:graduatoria"]
    start, end = dialog.inputs["window.start"], dialog.inputs["window.end"]
    assert isinstance(budget, QLineEdit) and isinstance(start, QLineEdit)
    assert isinstance(end, QLineEdit)
    _retype(qtbot, budget, "25.000,00")
    _retype(qtbot, start, "01/01/2024")
    _retype(qtbot, end, "31/12/2023")  # before the start: the loader says so under the field
    _checked(qtbot, dialog)
    message: QLabel = dialog.messages["window.end"]
    assert message.isVisible() and message.text().startswith("«Periodo degli interventi: al»")
    assert not dialog.save_button.isEnabled()
    _retype(qtbot, end, "31/12/2024")
    _checked(qtbot, dialog)
    assert not message.isVisible() and dialog.save_button.isEnabled()
    assert "riconosciuto 1.200,00 €" in dialog.preview.text()
    save_screen(dialog, "avviso_edition_dialog")

    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10_000)
    qtbot.waitUntil(lambda: not page.loading and len(page.data.editions) == 1, timeout=10_000)
    wait_idle(qtbot, tasks)
    draft = page.data.editions[0]
    assert (draft.avviso, draft.version, draft.released) == (NEW, "1", False)
    assert b'budget = "25000.00"' in draft.content and b"start = 2024-01-01" in draft.content

    page.editions.selectRow(0)
    click(qtbot, page.release_button)
    qtbot.waitUntil(lambda: page.confirm is not None, timeout=5_000)
    assert page.confirm is not None
    click(qtbot, page.release_confirm)
    qtbot.waitUntil(lambda: page.data.editions[0].released and not page.loading, timeout=10_000)
    wait_idle(qtbot, tasks)
    assert not page.release_button.isEnabled()  # released: immutable
    in_force = {d.avviso: d for d in page.data.definitions}
    assert in_force[NEW].source == "edizione" and in_force[NEW].sha256 == draft.sha256
    assert page.editions_model.rowCount() == 1
    QApplication.processEvents()
    save_screen(window, "avvisi_page")
    close_window(qtbot, window)
