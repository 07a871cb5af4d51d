"""Stories of the Trasmissioni page at a comune (issue 11), on real encrypted stores: check the
ready istanze, export them to the stick, print the attestazione, cancel a long export, and take
back the capofila's receipt by dropping it on the page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.transmission import TransmissionState
from caseworker_app.services import transmissions
from caseworker_app.services.transmissions_reception import ImportedIstruttorie
from caseworker_app.ui.fingerprint_dialog import fingerprint_text
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.transmission_models import ReadinessModel
from caseworker_app.ui.transmissions_view import TransmissionsView
from tests.integration.transmission_stores import Ambito

from .conftest import wait_idle
from .transmission_windows import (
    ambito_of,
    click,
    close_window,
    column_texts,
    drop_file,
    go_to,
    open_window,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def ambito(tmp_path: Path) -> Iterator[Ambito]:
    yield from ambito_of(tmp_path)


def _page(qtbot: QtBot, window: MainWindow) -> TransmissionsView:
    go_to(qtbot, window, "Trasmissioni")
    page = window.transmissions_view
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.loading, timeout=20_000)
    wait_idle(qtbot, window.session.tasks)
    return page


def _row_of(page: TransmissionsView, protocol: str) -> int:
    return column_texts(page.model, ReadinessModel.PROTOCOL).index(protocol)


def _attestazione_shown(page: TransmissionsView) -> bool:
    preview = page.history.preview
    return preview is not None and preview.prepared is not None


def _message(qtbot: QtBot, page: TransmissionsView) -> QMessageBox:
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible(), timeout=30_000)
    assert page.message is not None
    return page.message


def test_the_comune_sends_the_ready_istanze_prints_the_attestazione_and_takes_the_receipt(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, ambito: Ambito, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ambito.comuni["A127"]
    window = open_window(qtbot, tasks, tmp_path, store, "a127")
    page = _page(qtbot, window)
    lines = page.model.lines
    ready = [line.readiness.protocol for line in lines if line.readiness.ready]
    waiting = [line for line in lines if not line.readiness.ready]
    assert ready and waiting
    # every row says in Italian what it is and what it lacks; only the ready ones can be checked
    assert set(column_texts(page.model, ReadinessModel.TRANSMISSION)) == {"Da inviare"}
    for line in waiting:
        row = _row_of(page, line.readiness.protocol or "")
        text = page.model.index(row, ReadinessModel.READY).data()
        assert text and text != "Pronta" and text[0].isupper()
        check = page.model.index(row, ReadinessModel.CHECK)
        assert not page.model.flags(check) & Qt.ItemFlag.ItemIsUserCheckable
    assert not page.export_button.isEnabled()
    assert "0 selezionate" in page.count.text()

    # a waiting row cannot be checked, with Enter or a click on its box; a ready one can
    table = page.table
    first_waiting = _row_of(page, waiting[0].readiness.protocol or "")
    table.setFocus()
    table.setCurrentIndex(page.model.index(first_waiting, ReadinessModel.PROTOCOL))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    box = table.visualRect(page.model.index(first_waiting, ReadinessModel.CHECK))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    assert page.model.checked_ids() == []
    table.setCurrentIndex(page.model.index(_row_of(page, ready[0] or ""), ReadinessModel.PROTOCOL))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(page.model.checked_ids()) == 1
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.model.checked_ids() == []
    table.setCurrentIndex(page.model.index(_row_of(page, ready[0] or ""), ReadinessModel.CHECK))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert len(page.model.checked_ids()) == 1
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert page.model.checked_ids() == []

    click(qtbot, page.select_ready_button)
    ids = page.model.checked_ids()
    assert len(ids) == len(ready)
    assert page.export_button.isEnabled()

    stick = tmp_path / "chiavetta"
    stick.mkdir()
    asked: list[str] = []

    def choose(*args: object, **kwargs: object) -> str:
        asked.append(str(args[1]) if len(args) > 1 else "")
        return str(stick)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    click(qtbot, page.export_button)
    message = _message(qtbot, page)
    assert asked and "chiavetta" in asked[0]
    written = stick / "A127-20261210-001.cwt"
    assert sorted(stick.iterdir()) == [written]
    assert written.stat().st_mode & 0o777 == 0o600
    assert written.name in message.text()
    assert str(stick) in message.text()
    assert "attestazione" in message.text()

    # "Stampa attestazione…" in the message opens the attestazione in the preview
    print_button = next(b for b in message.buttons() if b.text().startswith("Stampa"))
    click(qtbot, print_button)
    qtbot.waitUntil(lambda: _attestazione_shown(page), timeout=20_000)
    assert page.history.preview is not None and page.history.preview.page_count >= 1
    assert page.history.preview.prepared is not None
    assert page.history.preview.prepared.document.pdf.startswith(b"%PDF-")
    page.history.preview.close()
    wait_idle(qtbot, tasks)

    # the page reloaded: the rows sent are "Inviata", nothing left to check
    qtbot.waitUntil(lambda: page.history.files_model.rowCount() == 1, timeout=20_000)
    wait_idle(qtbot, tasks)
    for protocol in ready:
        row = _row_of(page, protocol or "")
        assert page.model.index(row, ReadinessModel.TRANSMISSION).data() == "Inviata"
        assert page.model.index(row, ReadinessModel.VERSION).data() == "1, inviata"
    assert page.model.checked_ids() == []
    assert not page.export_button.isEnabled()
    assert page.history.files_model.rows[0][0] == written.name
    assert page.history.files_model.rows[0][3] == "Non ancora"
    assert sorted(column_texts(page.history.items_model, 0)) == sorted(p or "" for p in ready)
    assert set(column_texts(page.history.items_model, 2)) == {"Inviata"}
    # the history prints the attestazione again too
    click(qtbot, page.history.print_button)
    qtbot.waitUntil(lambda: _attestazione_shown(page), timeout=20_000)
    assert page.history.preview is not None
    page.history.preview.close()

    # the capofila imports the file and its receipt comes back on the stick
    result = ambito.import_(
        ambito.capofila, written, trust=ambito.fingerprint(store), receipt=stick / "ricevuta.cwt"
    )
    assert isinstance(result, ImportedIstruttorie) and result.receipt is not None
    assert page.message is None  # the button closed it
    # dropped on the page from the file manager
    assert drop_file(page, result.receipt)
    receipt_message = _message(qtbot, page)
    assert f"accettate dal capofila: {len(ready)}" in receipt_message.text()
    assert "respinte: 0" in receipt_message.text()
    wait_idle(qtbot, tasks)
    qtbot.waitUntil(lambda: page.history.files_model.rows[0][3].startswith("Sì"), timeout=20_000)
    for protocol in ready:
        row = _row_of(page, protocol or "")
        assert page.model.index(row, ReadinessModel.TRANSMISSION).data() == "Ricevuta"
    assert set(column_texts(page.history.items_model, 2)) == {"Ricevuta"}
    states = transmissions.transmission_states(store.uow_factory(), actor=store.actor)
    assert {states[i] for i in ids} == {TransmissionState.RICEVUTA}
    receipt_message.done(0)

    # the same receipt dropped again changes nothing, and says so
    assert drop_file(page, result.receipt)
    again = _message(qtbot, page)
    assert "già stata importata" in again.text()
    again.done(0)
    # a folder is not a file to import
    assert not drop_file(page, stick)
    close_window(qtbot, window)


def test_a_long_export_shows_its_progress_and_can_be_cancelled(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, ambito: Ambito, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ambito.comuni["A127"]
    window = open_window(qtbot, tasks, tmp_path, store, "a127")
    page = _page(qtbot, window)
    click(qtbot, page.select_ready_button)
    stick = tmp_path / "chiavetta"
    stick.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(stick))
    )
    # the worker is busy with something else: the export waits, its progress dialog appears
    busy = threading.Event()
    tasks.run(lambda: busy.wait(30), on_done=lambda _r: None)
    click(qtbot, page.export_button)
    task = page.export_task
    assert task is not None
    assert not page.export_button.isEnabled()  # one export at a time
    qtbot.waitUntil(lambda: task.dialog.isVisible(), timeout=5_000)
    click(qtbot, task.cancel_button)
    assert "Annullamento" in task.dialog.labelText()
    busy.set()
    qtbot.waitUntil(lambda: page.export_task is None, timeout=20_000)
    wait_idle(qtbot, tasks)
    assert list(stick.iterdir()) == []  # nothing written, nothing recorded, no error shown
    assert transmissions.sent_transmissions(store.uow_factory(), actor=store.actor) == []
    assert page.message is None
    assert page.export_button.isEnabled()
    assert not [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    close_window(qtbot, window)


def test_a_new_comune_without_the_ambito_package_is_told_and_imports_it_here(
    qtbot: QtBot, tasks: TaskRunner, ambito: Ambito, main_window: MainWindow
) -> None:
    """The first package of the capofila, dropped on the page, asks for its fingerprint."""
    go_to(qtbot, main_window, "Trasmissioni")
    page = main_window.transmissions_view
    assert page is not None
    qtbot.waitUntil(lambda: not page.loading and "Manca" in page.capofila_state.text(),
                    timeout=20_000)  # fmt: skip
    assert "pacchetto d'ambito" in page.capofila_state.text()
    assert page.stack.currentWidget() is page.empty
    assert page.history.empty.isVisible()

    assert drop_file(page, ambito.usb / "ambito.cwa")
    qtbot.waitUntil(lambda: page.importer.fingerprint_dialog is not None, timeout=30_000)
    dialog = page.importer.fingerprint_dialog
    assert dialog is not None
    capofila = ambito.fingerprint(ambito.capofila)
    assert any(label.text() == fingerprint_text(capofila) for label in dialog.findChildren(QLabel))
    click(qtbot, dialog.yes_button)
    message = _message(qtbot, page)
    assert "Pacchetto d'ambito" in message.text() and capofila in message.text()
    message.done(0)
    qtbot.waitUntil(lambda: capofila in page.capofila_state.text(), timeout=20_000)
    assert "Manca" not in page.capofila_state.text()
