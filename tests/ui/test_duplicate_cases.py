"""A person already in the archive: the new cartella is not saved, the existing one is offered."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from caseworker_app.domain.casefile import CaseFile
from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
from caseworker_app.domain.ids import CaseId, PersonId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import AUTOSAVE_DELAY_MS, CaseEditor
from caseworker_app.ui.cases_page import CasesPage
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import save_screen, type_text, wait_idle

CF = encode_codice_fiscale(
    surname="Cantù",
    given_name="Nicolò",
    sex=Sex.M,
    birth_date=date(1941, 3, 5),
    birthplace_code="F205",
)
OPEN_EXISTING = "Apri la cartella esistente"


def _existing(session: Session) -> CaseId:
    workspace = session.workspace
    case_id, _ = cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(
            codice_fiscale=CF,
            surname="Cantù",
            given_name="Nicolò",
            birth_date=date(1941, 3, 5),
            sex=Sex.M,
            residence_comune="A010",
        ),
        now=datetime.now(),
    )
    return case_id


def _count(session: Session) -> int:
    workspace = session.workspace
    return cases.count_cases(workspace.uow_factory(), actor=workspace.actor, text="")


def _page(window: MainWindow) -> CasesPage:
    assert window.cases_page is not None
    return window.cases_page


def _open_button(editor: CaseEditor) -> QPushButton | None:
    found = [b for b in editor.findChildren(QPushButton) if b.text() == OPEN_EXISTING]
    return found[0] if found else None


def test_social_worker_types_the_codice_fiscale_of_a_person_already_in_the_archive(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    existing = _existing(session)
    main_window.resize(1366, 768)
    page = _page(main_window)
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    form = editor.form

    qtbot.keyClicks(form.line("codice_fiscale"), CF.lower())
    message = form.messages["codice_fiscale"]
    qtbot.waitUntil(message.isVisible, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    text = message.text()
    assert "cf." not in text  # never the raw code of the message
    assert "Cantù" in text and "Nicolò" in text and "Abbiategrasso" in text
    assert "non viene salvata" in text
    assert message.property("severity") == "error"
    button = _open_button(editor)
    assert button is not None and button.isVisible()
    assert _count(session) == 1  # no nameless duplicate in the store
    assert editor.case_id is None

    # The worker goes on typing: still nothing saved, and what was typed stays in the form.
    type_text(qtbot, form.line("surname"), "Cantù")
    qtbot.wait(AUTOSAVE_DELAY_MS + 300)
    wait_idle(qtbot, session.tasks)
    assert _count(session) == 1
    assert form.line("codice_fiscale").text() == CF
    assert form.line("surname").text() == "Cantù"
    assert form.line("birth_date").text() == "05/03/1941"  # filled from the code
    assert message.isVisible() and "Cantù" in message.text()
    assert "Non salvata" in editor.status.text()
    assert "Non salvata" in editor.summary.text()
    assert "comunque salvato" not in editor.summary.text()
    save_screen(main_window, "duplicate_codice_fiscale")

    # The button opens the existing cartella in its own tab.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: isinstance(page.currentWidget(), CaseEditor) and page.currentWidget() is not editor,
        timeout=10_000,
    )
    opened = page.currentWidget()
    assert isinstance(opened, CaseEditor) and opened.case_id == existing
    assert opened.form.line("surname").text() == "Cantù"

    # Closing the unsaved new cartella stores nothing.
    page.tabCloseRequested.emit(page.indexOf(editor))
    qtbot.waitUntil(lambda: page.indexOf(editor) < 0, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert _count(session) == 1
    found = cases.search_cases(session.workspace.uow_factory(), actor=session.workspace.actor,
                               text="")  # fmt: skip
    assert [r.case_id for r in found] == [existing]


def test_correcting_the_codice_fiscale_saves_the_new_cartella(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    _existing(session)
    page = _page(main_window)
    editor = page.new_case()
    form = editor.form
    qtbot.keyClicks(form.line("codice_fiscale"), CF)
    qtbot.waitUntil(lambda: _open_button(editor) is not None, timeout=10_000)
    button = _open_button(editor)
    assert button is not None
    qtbot.waitUntil(button.isVisible, timeout=10_000)

    # Another person: the code is corrected and the cartella is saved at last.
    other = encode_codice_fiscale(
        surname="Bertè", given_name="Zoè", sex=Sex.F, birth_date=date(1950, 1, 2),
        birthplace_code="F205",
    )  # fmt: skip
    form.line("codice_fiscale").clear()
    qtbot.keyClicks(form.line("codice_fiscale"), other)
    assert not button.isVisible()
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    assert _count(session) == 2


def test_admin_merges_duplicate_cartelle_from_the_list(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    survivor = _existing(session)
    # A nameless duplicate as the old autosave left it (written below the service).
    nameless = CaseFile(CaseId(new_id()), PersonId(new_id()), "A010", datetime.now(), "mrossi",
                        Anagrafica(codice_fiscale=CF, phone="02 555 1234"))  # fmt: skip
    uow = session.workspace.uow_factory()
    with uow:
        uow.cases.add_many([nameless], now=datetime.now())
        uow.commit()
    view = _page(main_window).list_view
    view.mark_stale()
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)
    assert view.duplicates_button.isVisible()  # mrossi is the administrator

    qtbot.mouseClick(view.duplicates_button, Qt.MouseButton.LeftButton)
    dialog = view.duplicates_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=10_000)
    head = dialog.tree.topLevelItem(0)
    assert CF in head.text(0)
    assert [head.child(i).text(0) for i in range(head.childCount())] == [
        "Cantù Nicolò",
        "(senza nome)",
    ]
    assert head.child(0).text(2) == "Abbiategrasso"
    assert not dialog.merge_button.isEnabled()  # nothing chosen yet
    dialog.resize(1000, 500)
    dialog.tree.setCurrentItem(head.child(0))  # keep the complete cartella
    assert dialog.merge_button.isEnabled()
    save_screen(dialog, "duplicate_cartelle_dialog")

    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box is not None
    [merge] = [b for b in box.buttons() if b.text() == "Unisci"]
    qtbot.mouseClick(merge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nessuna cartella duplicata" in dialog.status.text(), timeout=10_000)
    assert "Cartelle unite" in dialog.status.text()
    assert dialog.tree.topLevelItemCount() == 0
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    workspace = session.workspace
    kept = cases.open_case(workspace.uow_factory(), actor=workspace.actor, case_id=survivor,
                           now=datetime.now())  # fmt: skip
    assert kept.anagrafica.phone == "02 555 1234"
    assert _count(session) == 1
