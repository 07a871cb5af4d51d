"""The Rete familiare tab checks a relative's codice fiscale like the beneficiary's."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
from caseworker_app.domain.person import Sex
from caseworker_app.messages import render
from caseworker_app.services import case_sections as sections
from caseworker_app.ui.session import Session

from .conftest import save_screen, type_text, wait_idle
from .test_case_sections import _new_case, _open_editor, _retype, _show

LUCIA = encode_codice_fiscale(surname="Bianchi", given_name="Lucia", sex=Sex.F,
                              birth_date=date(1968, 5, 12), birthplace_code="A010")  # fmt: skip


def test_social_worker_types_the_codice_fiscale_of_the_caregiver(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    network = editor.network
    _show(qtbot, editor, network)
    qtbot.mouseClick(network.add_button, Qt.MouseButton.LeftButton)
    form = network.form
    type_text(qtbot, form.inputs["surname"], "Rossi")  # married name, not the one in the code
    type_text(qtbot, form.inputs["given_name"], "Lucia")
    type_text(qtbot, form.inputs["relationship"], "figlia")

    wrong = LUCIA[:15] + ("A" if LUCIA[15] != "A" else "B")
    type_text(qtbot, form.inputs["codice_fiscale"], wrong)
    assert form.message("codice_fiscale") == render("cf.check_letter")
    assert form.messages["codice_fiscale"].property("severity") == "error"

    _retype(qtbot, form.inputs["codice_fiscale"], LUCIA.lower())
    assert form.message("codice_fiscale") == ""
    surname_message = form.message("surname")
    assert "non corrisponde al codice fiscale" in surname_message and "BNC" in surname_message
    assert form.messages["surname"].property("severity") == "warning"
    assert form.message("given_name") == ""
    save_screen(editor, "network_codice_fiscale_warning")

    # A warning, not a block: the member is stored as typed.
    qtbot.waitUntil(network.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    [member] = sections.list_members(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert (member.surname, member.codice_fiscale) == ("Rossi", LUCIA)

    _retype(qtbot, form.inputs["surname"], "Bianchi")
    assert form.message("surname") == ""
