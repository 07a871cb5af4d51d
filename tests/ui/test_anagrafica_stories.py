"""The anagrafica as a social worker fills it: the missing mandatory data are named and one
click away, mandatory fields are marked, a warning that asks to confirm can be confirmed (and
stays confirmed when the cartella is reopened), citizenship is chosen from the list."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import save_screen, type_text, wait_idle

CF = encode_codice_fiscale(
    surname="Cantù", given_name="Nicolò", sex=Sex.M, birth_date=date(1941, 3, 5),
    birthplace_code="F205",
)  # fmt: skip


def _new_editor(qtbot: QtBot, window: MainWindow) -> CaseEditor:
    page = window.cases_page
    assert page is not None
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    window.activateWindow()  # the focus moves only within the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return editor


def _reopen(qtbot: QtBot, window: MainWindow, session: Session, editor: CaseEditor) -> CaseEditor:
    """Close the cartella's tab and open it again from the store."""
    page = window.cases_page
    assert page is not None and editor.case_id is not None
    case_id = editor.case_id
    page.on_tab_close_requested(page.indexOf(editor))
    qtbot.waitUntil(lambda: page.indexOf(editor) < 0, timeout=10_000)
    opened: list[CaseEditor] = []
    page.open_case(case_id, then=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    reopened = opened[0]
    qtbot.waitUntil(reopened.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    return reopened


def _stored(session: Session, editor: CaseEditor) -> Anagrafica:
    assert editor.case_id is not None
    workspace = session.workspace
    return cases.open_case(workspace.uow_factory(), actor=workspace.actor,
                           case_id=editor.case_id, now=datetime.now()).anagrafica  # fmt: skip


def test_social_worker_sees_which_mandatory_data_are_missing_and_goes_to_each(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    editor = _new_editor(qtbot, main_window)
    form = editor.form
    type_text(qtbot, form.line("surname"), "Cantù")
    type_text(qtbot, form.line("given_name"), "Nicolò")
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)

    # Before: "Bozza: mancano 4 dati obbligatori." with no names and no way to reach them.
    assert editor.summary.isVisible()
    assert "mancano 4 dati obbligatori:" in editor.summary.text()
    buttons = editor.missing_buttons
    assert [b.text() for b in buttons.values()] == [
        "Codice fiscale,", "Data di nascita,", "Sesso,", "Comune di residenza"
    ]  # fmt: skip
    assert all(b.isVisible() for b in buttons.values())
    assert "Comune di residenza" in editor.summary.accessibleName()

    qtbot.mouseClick(buttons["residence_comune"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.inputs["residence_comune"].hasFocus)
    qtbot.mouseClick(editor.missing_buttons["birth_date"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.line("birth_date").hasFocus)
    qtbot.keyClicks(form.line("birth_date"), "05/03/1941")
    assert list(editor.missing_buttons) == ["codice_fiscale", "sex", "residence_comune"]
    assert "mancano 3 dati obbligatori:" in editor.summary.text()

    # Mandatory fields are marked, with the legend, and screen readers hear it.
    captions = {
        label.buddy().objectName(): label.text()
        for label in form.findChildren(QLabel)
        if label.buddy() is not None
    }
    assert captions["surname"] == "Cognome *:" and captions["sex"] == "Sesso *:"
    assert captions["phone"] == "Telefono:" and captions["citizenship"] == "Cittadinanza:"
    assert form.legend.isVisible() and form.legend.text() == "* obbligatorio"
    assert "obbligatorio" in form.line("surname").accessibleDescription().lower()
    assert "obbligatorio" not in form.line("phone").accessibleDescription().lower()


def test_social_worker_confirms_a_birth_date_that_differs_from_the_code_and_it_stays(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    editor = _new_editor(qtbot, main_window)
    form = editor.form
    qtbot.keyClicks(form.line("birth_date"), "06/03/1941")  # the identity card says the 6th
    qtbot.keyClicks(form.line("codice_fiscale"), CF)
    type_text(qtbot, form.line("surname"), "Cantù")
    message, box = form.messages["birth_date"], form.confirm_boxes["birth_date"]
    assert message.isVisible() and message.property("severity") == "warning"
    assert "conferma" in message.text()
    # Before: the message asked to confirm and there was nothing to confirm it with.
    assert box.isVisible() and not box.isChecked()
    assert not form.confirm_boxes["sex"].isVisible()  # no warning there

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked() and message.property("severity") == ""
    assert "Confermato" in form.line("birth_date").accessibleDescription()
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    wait_idle(qtbot, session.tasks)

    reopened = _reopen(qtbot, main_window, session, editor)
    form = reopened.form
    box = form.confirm_boxes["birth_date"]
    assert form.messages["birth_date"].isVisible() and box.isVisible()
    assert box.isChecked()  # the confirmation was kept with the cartella
    assert form.messages["birth_date"].property("severity") == ""

    # Another date is a new disagreement: it has to be checked again.
    form.line("birth_date").setFocus()
    form.line("birth_date").selectAll()
    qtbot.keyClicks(form.line("birth_date"), "07/03/1941")
    assert box.isVisible() and not box.isChecked()
    assert form.messages["birth_date"].property("severity") == "warning"


def test_social_worker_chooses_citizenship_from_the_list_and_sees_it_by_name(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    editor = _new_editor(qtbot, main_window)
    form = editor.form
    field = form.citizenship()
    assert field.currentText() == "Italia" and field.code() == "IT"  # the default
    type_text(qtbot, form.line("surname"), "El Amrani")
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "Maro")
    popup = field.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert field.currentText() == "Marocco" and field.code() == "MA"
    form.line("phone").setFocus()
    assert not form.messages["citizenship"].isVisible()
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert _stored(session, editor).citizenship == "MA"

    # Text that names no state is not taken for one, and the message says what to do.
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "Marte")
    form.line("phone").setFocus()
    assert form.messages["citizenship"].isVisible()
    assert form.messages["citizenship"].text().startswith("Cittadinanza: scegli lo Stato")
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "Marocco")
    form.line("phone").setFocus()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)

    reopened = _reopen(qtbot, main_window, session, editor)
    assert reopened.form.citizenship().currentText() == "Marocco"


def test_an_older_cartella_without_citizenship_says_it_is_not_indicated(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    workspace = session.workspace
    case_id, _ = cases.create_case(workspace.uow_factory(), actor=workspace.actor, comune="A010",
                                   anagrafica=Anagrafica(surname="Bianchi"),
                                   now=datetime.now())  # fmt: skip
    page = main_window.cases_page
    assert page is not None
    opened: list[CaseEditor] = []
    page.open_case(case_id, then=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    field = opened[0].form.citizenship()
    assert field.currentText() == "" and field.code() == ""
    assert field.lineEdit().placeholderText().startswith("non indicata")
    assert not opened[0].form.messages["citizenship"].isVisible()


def test_screenshot_of_the_anagrafica_at_1366x768(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    main_window.resize(1366, 768)
    editor = _new_editor(qtbot, main_window)
    form = editor.form
    qtbot.keyClicks(form.line("birth_date"), "06/03/1941")
    qtbot.keyClicks(form.line("codice_fiscale"), CF)
    type_text(qtbot, form.line("surname"), "Cantù")
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert form.confirm_boxes["birth_date"].isVisible()
    assert editor.missing_buttons and editor.summary.isVisible()
    save_screen(main_window, "anagrafica-1366x768")


def test_an_unreadable_birth_date_and_comune_are_kept_as_typed_across_reopening(
    qtbot: QtBot, session: Session
) -> None:
    """Nothing typed is lost: a birth date that is no date and a comune not chosen from the
    list are saved as typed and come back, marked, when the cartella is opened again."""
    from caseworker_app.services import cases
    from tests.ui.test_case_sections import _new_case, _open_editor, _retype

    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    form = editor.form
    _retype(qtbot, form.inputs["birth_date"], "31/02/1940")
    _retype(qtbot, form.inputs["residence_comune"], "Abbiategrassso")
    qtbot.keyClick(form.inputs["residence_comune"], Qt.Key.Key_Tab)
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    stored = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=session.now())
    assert stored.anagrafica.birth_date is None
    assert dict(stored.anagrafica.typed) == {
        "birth_date": "31/02/1940", "residence_comune": "Abbiategrassso",
    }  # fmt: skip
    editor.close()
    wait_idle(qtbot, session.tasks)

    again = _open_editor(qtbot, session, case_id)
    reopened = again.form
    assert reopened.inputs["birth_date"].text() == "31/02/1940"  # type: ignore[attr-defined]
    assert reopened.inputs["residence_comune"].text() == "Abbiategrassso"  # type: ignore[attr-defined]
    assert reopened.messages["birth_date"].property("severity") == "error"
    assert reopened.messages["birth_date"].text()
    # corrected: the date is read and nothing stays kept as typed
    _retype(qtbot, reopened.inputs["birth_date"], "28/02/1940")
    again.flush()
    qtbot.waitUntil(again.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    fixed = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=session.now())
    assert fixed.anagrafica.birth_date is not None
    assert dict(fixed.anagrafica.typed) == {"residence_comune": "Abbiategrassso"}
    again.close()
    wait_idle(qtbot, session.tasks)
