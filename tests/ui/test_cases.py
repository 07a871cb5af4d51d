"""Case files: creating with autosave, live validation, searching, scrolling thousands."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.messages import render
from caseworker_app.services import cases
from caseworker_app.services.demo import load_demo
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.case_list_model import PAGE_SIZE
from caseworker_app.ui.cases_page import CasesPage
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import CreatedStore, type_text, wait_idle

CF = encode_codice_fiscale(
    surname="Cantù",
    given_name="Nicolò",
    sex=Sex.M,
    birth_date=date(1941, 3, 5),
    birthplace_code="F205",
)


def _cases_page(window: MainWindow) -> CasesPage:
    assert window.cases_page is not None
    return window.cases_page


def _new_editor(qtbot: QtBot, window: MainWindow) -> CaseEditor:
    page = _cases_page(window)
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    return editor


def _choose_comune(qtbot: QtBot, editor: CaseEditor, field: str, typed: str) -> None:
    widget = editor.form.comune(field)
    widget.setFocus()
    qtbot.keyClicks(widget, typed)
    popup = widget.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_social_worker_creates_a_case_and_it_is_saved_automatically(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    editor = _new_editor(qtbot, main_window)
    form = editor.form
    assert editor.title.text() == "Nuova cartella"

    qtbot.keyClicks(form.line("codice_fiscale"), CF.lower())
    assert form.line("codice_fiscale").text() == CF  # upper-cased while typing
    # A valid code fills what it encodes.
    assert form.line("birth_date").text() == "05/03/1941"
    assert form.sex_combo().currentData() == "M"
    assert form.comune("birth_place_code").code() == "F205"
    assert form.comune("birth_place_code").text() == "Milano (MI)"

    type_text(qtbot, form.line("surname"), "Cantù")
    type_text(qtbot, form.line("given_name"), "Nicolò")
    assert form.citizenship().currentText() == "Italia"  # a new cartella: Italian by default
    qtbot.keyClicks(form.line("residence_address"), "Via Roma, 1")
    _choose_comune(qtbot, editor, "residence_comune", "Abbiategrass")
    assert form.comune("residence_comune").code() == "A010"
    qtbot.keyClicks(form.line("residence_cap"), "20081")
    assert editor.title.text() == "Cantù Nicolò"

    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    assert editor.status.text().startswith("Salvato alle ")
    assert not any(label.isVisible() for label in form.messages.values())

    # An edit after the first save updates the same case.
    qtbot.keyClicks(form.line("phone"), "02 1234567")
    qtbot.waitUntil(
        lambda: editor.is_idle() and editor.status.text().startswith("Salvato"), timeout=10_000
    )
    assert editor.case_id is not None
    wait_idle(qtbot, session.tasks)

    workspace = session.workspace
    stored = cases.open_case(
        workspace.uow_factory(), actor=workspace.actor, case_id=editor.case_id, now=datetime.now()
    ).anagrafica
    assert stored == Anagrafica(
        codice_fiscale=CF,
        surname="Cantù",
        given_name="Nicolò",
        birth_date=date(1941, 3, 5),
        sex=Sex.M,
        birth_place_code="F205",
        citizenship="IT",
        residence_address="Via Roma, 1",
        residence_comune="A010",
        residence_cap="20081",
        phone="02 1234567",
    )
    assert cases.count_cases(workspace.uow_factory(), actor=workspace.actor, text="") == 1


def test_live_validation_flags_wrong_check_letter(qtbot: QtBot, main_window: MainWindow) -> None:
    editor = _new_editor(qtbot, main_window)
    form = editor.form
    wrong = CF[:15] + ("A" if CF[15] != "A" else "B")
    qtbot.keyClicks(form.line("codice_fiscale"), wrong)
    message = form.messages["codice_fiscale"]
    assert message.isVisible()
    assert message.text() == render("cf.check_letter")
    assert message.property("severity") == "error"
    # a mandatory field: screen readers hear so, then the message
    assert form.line("codice_fiscale").accessibleDescription() == (
        "Campo obbligatorio. " + message.text()
    )
    assert form.line("birth_date").text() == ""  # an invalid code fills nothing

    # Correct it: the error goes; a birth date that disagrees is a warning, in amber.
    form.line("codice_fiscale").clear()
    qtbot.keyClicks(form.line("birth_date"), "06/03/1941")
    qtbot.keyClicks(form.line("codice_fiscale"), CF)
    assert not message.isVisible()
    date_message = form.messages["birth_date"]
    assert date_message.isVisible()
    assert date_message.property("severity") == "warning"
    assert "05/03/1941" in date_message.text()

    form.line("birth_date").clear()
    form.line("birth_date").setFocus()
    qtbot.keyClicks(form.line("birth_date"), "31/02/1941")
    assert not date_message.isVisible()  # no complaint while the date is being typed
    form.line("surname").setFocus()
    assert date_message.text() == render("ui.date_format")
    assert date_message.property("severity") == "error"


def test_search_finds_case_ignoring_accents(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    workspace = session.workspace
    for surname, given in (("Cantù", "Nicolò"), ("Bertè", "Zoè"), ("Rossi", "Mario")):
        cases.create_case(
            workspace.uow_factory(),
            actor=workspace.actor,
            comune="A010",
            anagrafica=Anagrafica(surname=surname, given_name=given, residence_comune="A010"),
            now=datetime.now(),
        )
    view = _cases_page(main_window).list_view
    view.mark_stale()  # as after a save in an editor
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)
    assert view.count_label.text() == "3 cartelle"

    qtbot.keyClicks(view.search, "cantu")
    qtbot.waitUntil(lambda: view.count_label.text() == "1 cartella", timeout=10_000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    model = view.model
    assert [model.data(model.index(0, c)) for c in range(5)] == [
        "Cantù",
        "Nicolò",
        "",
        "",
        "Abbiategrasso",
    ]

    view.search.clear()
    qtbot.keyClicks(view.search, "zoe")
    qtbot.waitUntil(
        lambda: view.model.rowCount() == 1 and view.model.data(view.model.index(0, 0)) == "Bertè",
        timeout=10_000,
    )

    # Enter on the row opens the case in a tab.
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    page = _cases_page(main_window)
    qtbot.waitUntil(lambda: page.count() == 2, timeout=10_000)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    assert editor.form.line("surname").text() == "Bertè"
    assert page.tabText(1) == "Bertè Zoè"


def test_case_list_loads_pages_lazily_and_drops_stale_results(
    qtbot: QtBot, main_window: MainWindow, session: Session, created: CreatedStore
) -> None:
    workspace = session.workspace
    load_demo(
        workspace.uow_factory,
        actor=workspace.actor,
        n=450,
        seed=7,
        comuni=["A010", "C733"],
        avvisi=[],
        now=datetime(2025, 6, 1, 9, 0),
    )
    view = _cases_page(main_window).list_view
    model = view.model
    view.mark_stale()
    view.activate()
    qtbot.waitUntil(
        lambda: model.rowCount() == PAGE_SIZE and not model.is_loading(), timeout=10_000
    )
    qtbot.waitUntil(lambda: view.count_label.text() == "450 cartelle", timeout=10_000)
    assert model.canFetchMore(QModelIndex())
    seen: set[int] = set()

    def scrolled_to_the_end() -> bool:  # as an operator keeps scrolling down
        view.table.scrollToBottom()
        seen.add(model.rowCount())
        return model.rowCount() == 450

    qtbot.waitUntil(scrolled_to_the_end, timeout=10_000)
    assert {200, 400, 450} <= seen
    assert not model.canFetchMore(QModelIndex())

    # Sorting by birth date re-queries the service.
    view.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(
        lambda: model.rowCount() >= PAGE_SIZE and not model.is_loading(), timeout=10_000
    )
    births = [model.rows[i].cells[3] for i in range(20)]
    as_dates = [date(int(b[6:]), int(b[3:5]), int(b[:2])) for b in births]
    assert as_dates == sorted(as_dates, reverse=True)

    # Two searches in a row: only the rows of the second may end up in the model.
    model.set_search("a")
    model.set_search("zzzz")
    wait_idle(qtbot, session.tasks)
    assert model.rowCount() == 0
    assert model.total == 0
