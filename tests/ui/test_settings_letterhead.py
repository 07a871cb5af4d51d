"""Impostazioni: the comune's office for the letterhead of printed documents, with its logo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseworker_app.services import settings as settings_service
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session
from tests.documents.test_letterhead_and_signature_blocks import logo_png

from .conftest import wait_idle


def _settings_view(qtbot: QtBot, window: MainWindow):  # type: ignore[no-untyped-def]
    items = window.navigation.findItems("Impostazioni", Qt.MatchFlag.MatchExactly)
    rect = window.navigation.visualItemRect(items[0])
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = window.settings_view
    qtbot.waitUntil(lambda: all(e.isEnabled() for e in view.office_edits.values()), timeout=10_000)
    return view


def _type_into(qtbot: QtBot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_admin_sets_the_office_of_the_letterhead_and_a_bad_pec_is_named(
    qtbot: QtBot, main_window: MainWindow, session: Session, tmp_path: Path
) -> None:
    view = _settings_view(qtbot, main_window)
    name = view.office_edits[settings_service.OFFICE_NAME.key]
    assert name.text() == "Servizi Sociali"  # the default
    assert name.accessibleName() == "Ufficio"
    phone = view.office_edits[settings_service.OFFICE_PHONE.key]
    with qtbot.waitSignal(view.letterhead_saved, timeout=5_000):
        _type_into(qtbot, phone, "02 9469 2201")
    pec = view.office_edits[settings_service.OFFICE_PEC.key]
    _type_into(qtbot, pec, "protocollo@pec")
    qtbot.waitUntil(lambda: view.letterhead_message.isVisible(), timeout=5_000)
    assert "PEC dell'ufficio" in view.letterhead_message.text()
    assert view.letterhead_message.property("severity") == "error"
    assert "PEC dell'ufficio" in pec.accessibleDescription()
    with qtbot.waitSignal(view.letterhead_saved, timeout=5_000):
        _type_into(qtbot, pec, "protocollo@pec.comune.abbiategrasso.mi.it")
    assert not view.letterhead_message.isVisible()
    office = settings_service.read_office(session.workspace.uow_factory())
    assert office.phone == "02 9469 2201"
    assert office.pec == "protocollo@pec.comune.abbiategrasso.mi.it"

    # the logo: a file that is not an image is refused, a PNG is kept inside the store
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"non sono un'immagine")
    view.choose_logo_path = lambda: fake  # type: ignore[method-assign]
    qtbot.mouseClick(view.logo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.letterhead_message.text().startswith("Logo:"), timeout=5_000)
    logo = tmp_path / "stemma.png"
    logo.write_bytes(logo_png())
    view.choose_logo_path = lambda: logo  # type: ignore[method-assign]
    with qtbot.waitSignal(view.letterhead_saved, timeout=5_000):
        qtbot.mouseClick(view.logo_button, Qt.MouseButton.LeftButton)
    assert view.logo_state.text().startswith("Logo impostato")
    assert view.logo_preview.pixmap() is not None and not view.logo_preview.pixmap().isNull()
    assert view.logo_remove.isEnabled()
    logo.unlink()  # the store keeps its own copy, not the path
    assert settings_service.read_office(session.workspace.uow_factory()).logo == logo_png()
    with qtbot.waitSignal(view.letterhead_saved, timeout=5_000):
        qtbot.mouseClick(view.logo_remove, Qt.MouseButton.LeftButton)
    assert view.logo_state.text() == "Nessun logo"
    assert settings_service.read_office(session.workspace.uow_factory()).logo is None
    wait_idle(qtbot, session.tasks)
