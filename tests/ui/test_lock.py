"""The idle lock hides what is on screen and keeps what was typed."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import PASSWORD, type_text, wait_idle


def _unlock(qtbot: QtBot, window: MainWindow, password: str) -> None:
    lock = window.lock_view
    qtbot.keyClicks(lock.password, password)
    qtbot.mouseClick(lock.unlock_button, Qt.MouseButton.LeftButton)


def test_lock_and_unlock_keeps_typed_text(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    page = main_window.cases_page
    assert page is not None
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    surname = editor.form.line("surname")
    type_text(qtbot, surname, "Dell'Acqua")
    qtbot.keyClicks(editor.form.line("given_name"), "Ambrogina")
    assert surname.isVisible()

    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main_window.is_locked()
    assert not surname.isVisible()
    assert not page.isVisible()  # nor the tab titles with the name
    assert main_window.lock_view.isVisible()
    assert main_window.lock_view.password.hasFocus()

    _unlock(qtbot, main_window, "non-e-questa")
    qtbot.waitUntil(lambda: bool(main_window.lock_view.error.text()), timeout=10_000)
    assert main_window.is_locked()

    _unlock(qtbot, main_window, PASSWORD)
    qtbot.waitUntil(lambda: not main_window.is_locked(), timeout=10_000)
    assert surname.isVisible()
    assert surname.text() == "Dell'Acqua"
    assert editor.form.line("given_name").text() == "Ambrogina"

    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    wait_idle(qtbot, session.tasks)
    workspace = session.workspace
    assert editor.case_id is not None
    stored = cases.open_case(
        workspace.uow_factory(), actor=workspace.actor, case_id=editor.case_id, now=datetime.now()
    )
    assert (stored.anagrafica.surname, stored.anagrafica.given_name) == ("Dell'Acqua", "Ambrogina")


def test_window_locks_itself_after_idle_time(qtbot: QtBot, main_window: MainWindow) -> None:
    assert main_window.idle.interval_ms() == 10 * 60_000  # the default setting
    main_window.idle.set_minutes(0.002)
    main_window.idle.start()
    qtbot.waitUntil(main_window.is_locked, timeout=5_000)
    assert not main_window.menuBar().isEnabled()


def test_lock_hides_the_pi_window_and_keeps_its_narrative(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    from caseworker_app.domain.pi import PiContent
    from tests.integration.pi_typist import seed_case

    case_id, istanza_id = seed_case(session.workspace)
    page = main_window.cases_page
    assert page is not None
    opened: list[CaseEditor] = []
    page.open_case(case_id, then=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    editor = opened[0]
    editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
    panel = editor.istanze
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.pi_button, Qt.MouseButton.LeftButton)
    pi = panel.pi_editor
    assert pi is not None
    qtbot.waitUntil(pi.is_loaded, timeout=10_000)
    narrative = pi.narrative_field()
    narrative.setFocus()
    type_text(qtbot, narrative, "Bisogno di sollievo")
    assert pi.isVisible()

    main_window.lock()
    assert not pi.isVisible()  # no personal data above the lock screen
    assert narrative.toPlainText().endswith("Bisogno di sollievo")
    _unlock(qtbot, main_window, PASSWORD)
    qtbot.waitUntil(lambda: not main_window.is_locked(), timeout=10_000)
    assert pi.isVisible()
    assert narrative.toPlainText().endswith("Bisogno di sollievo")
    type_text(qtbot, narrative, " urgente")
    main_window.close()  # at once, before the autosave delay: closing saves what is pending
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    with ws.uow_factory() as uow:
        (version,) = uow.pi.of_istanza(istanza_id)
    assert PiContent.from_data(version.content).evaluation.summary.endswith("sollievo urgente")


def test_an_idle_window_folds_the_write_ahead_log_into_the_database(
    qtbot: QtBot, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseworker_app.ui.main_window as main_window_module
    from caseworker_app.domain.person import Anagrafica, Sex

    monkeypatch.setattr(main_window_module, "CHECKPOINT_IDLE_MINUTES", 0.002)
    window = MainWindow(session)
    qtbot.addWidget(window)
    workspace = session.workspace
    cases.create_case(
        workspace.uow_factory(), actor=workspace.actor, comune="A010",
        anagrafica=Anagrafica(surname="Quiete", given_name="Ada", sex=Sex.F,
                              residence_comune="A010"),
        now=datetime(2026, 11, 22, 10, 0),
    )  # fmt: skip
    wal = workspace.root / "caseworker.db-wal"
    assert wal.stat().st_size > 0
    qtbot.waitUntil(lambda: wal.stat().st_size == 0, timeout=10_000)
    window.close()
    wait_idle(qtbot, session.tasks)
