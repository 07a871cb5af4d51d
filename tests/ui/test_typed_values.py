"""Nothing typed is lost: a date or amount that cannot be read is kept as typed, marked red
with a message naming the field, and comes back when the case is reopened."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from caseworker_app.domain.case_sections import IseeAttestation, MeasureInPlace
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.pi import PiContent
from caseworker_app.services import case_sections as sections
from caseworker_app.services import pi
from caseworker_app.ui import errors
from caseworker_app.ui.date_picker import calendar_of
from caseworker_app.ui.istanza_wizard.widgets import DateField
from caseworker_app.ui.pi_editor import PiEditorView
from caseworker_app.ui.pi_editor.rows_table import INVALID
from caseworker_app.ui.session import Session
from tests.integration.pi_typist import NOW, seed_case

from .conftest import type_text, wait_idle
from .test_case_sections import _new_case, _open_editor, _show
from .test_pi_editor import _edit_cell
from .test_pi_sign_budget import _Answer


def test_an_unreadable_isee_date_survives_closing_and_reopening_the_case(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    isee = editor.isee
    _show(qtbot, editor, isee)
    qtbot.mouseClick(isee.add_button, Qt.MouseButton.LeftButton)
    form = isee.form
    form.inputs["value"].setFocus()
    type_text(qtbot, form.inputs["value"], "1234.567")
    assert form.message("value") == ""  # no complaint while typing
    form.inputs["issued_on"].setFocus()
    type_text(qtbot, form.inputs["issued_on"], "31/02/2024")
    qtbot.keyClick(form.inputs["issued_on"], Qt.Key.Key_Tab)
    assert form.message("issued_on").startswith("Data dell'attestazione: questo giorno non esiste")
    assert form.message("value").startswith("Valore ISEE (€): importo ambiguo")
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    [stored] = sections.list_records(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                     record_type=IseeAttestation)  # fmt: skip
    assert stored.value.issued_on is None and stored.value.value is None
    assert stored.value.typed == {"issued_on": "31/02/2024", "value": "1234.567"}
    assert "value.kept_as_typed" in {i.code for i in stored.value.issues()}
    editor.close()

    again = _open_editor(qtbot, session, case_id)
    _show(qtbot, again, again.isee)
    qtbot.waitUntil(lambda: again.isee.current is not None, timeout=10_000)
    reopened = again.isee.form
    date_line = reopened.inputs["issued_on"]
    assert isinstance(date_line, QLineEdit)
    assert date_line.text() == "31/02/2024"
    assert reopened.message("issued_on").startswith("Data dell'attestazione: questo giorno")
    assert reopened.messages["issued_on"].property("severity") == "error"
    assert date_line.accessibleDescription() == reopened.message("issued_on")
    value_line = reopened.inputs["value"]
    assert isinstance(value_line, QLineEdit)
    assert value_line.text() == "1234.567"

    # Corrected: the value is read and nothing stays kept as typed.
    date_line.setFocus()
    qtbot.keyClick(date_line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, date_line, "28/2/24")
    qtbot.keyClick(date_line, Qt.Key.Key_Tab)
    assert reopened.message("issued_on") == ""
    again.flush()
    qtbot.waitUntil(again.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    [fixed] = sections.list_records(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                    record_type=IseeAttestation)  # fmt: skip
    assert fixed.value.issued_on is not None and fixed.value.issued_on.isoformat() == "2024-02-28"
    assert fixed.value.typed == {"value": "1234.567"}


def test_a_measure_date_chosen_in_the_calendar_is_saved_as_if_typed(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    measures = editor.measures
    _show(qtbot, editor, measures)
    qtbot.mouseClick(measures.add_button, Qt.MouseButton.LeftButton)
    start = measures.form.inputs["start"]
    assert isinstance(start, QLineEdit)
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # opens the calendar
    calendar = calendar_of(start)
    assert calendar is not None and calendar.isVisible()
    from PySide6.QtCore import QDate

    calendar.choose(QDate(2024, 3, 5))
    assert start.text() == "05/03/2024" and not calendar.isVisible()
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    [stored] = sections.list_records(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                     record_type=MeasureInPlace)  # fmt: skip
    assert stored.value.start is not None and stored.value.start.isoformat() == "2024-03-05"


def test_the_wizard_date_field_has_a_calendar_and_says_what_is_wrong(qtbot: QtBot) -> None:
    field = DateField("Ricevuto il")
    qtbot.addWidget(field)
    assert field.calendar.toolTip().startswith("Scegli la data dal calendario")
    field.set_typed("31/02/2024")
    assert field.property("invalid") is True
    assert field.accessibleDescription().startswith("Ricevuto il: questo giorno non esiste")
    field.set_typed("15.1.2024")
    assert field.property("invalid") is False and field.value() is not None


def test_a_pi_table_cell_says_why_its_amount_is_not_read(qtbot: QtBot) -> None:
    from caseworker_app.ui.pi_editor.rows_table import Column, RowsTable

    table = RowsTable([Column("monthly", "Mensile (€)", "money")], name="Budget")
    qtbot.addWidget(table)
    table.load([{"monthly": None}])
    table.cell(0, "monthly").setText("1234.567")
    assert table.cell(0, "monthly").toolTip().startswith("Mensile (€): importo ambiguo")
    assert table.rows() == [{"monthly": None}]
    table.cell(0, "monthly").setText("1.234,56")
    assert table.cell(0, "monthly").toolTip() == ""
    assert str(table.rows()[0]["monthly"]) == "1234.56"


def _open_pi(qtbot: QtBot, session: Session, istanza_id: IstanzaId) -> PiEditorView:
    view = PiEditorView(session, istanza_id=istanza_id)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.is_loaded, timeout=10_000)
    return view


def test_unreadable_pi_values_survive_closing_the_editor_and_block_signing(
    qtbot: QtBot, session: Session
) -> None:
    _case_id, istanza_id = seed_case(session.workspace)
    editor = _open_pi(qtbot, session, istanza_id)
    checks = editor.monitoring.checks
    checks.setFocus()
    type_text(qtbot, checks, "31/02/2024")
    lines = editor.interventions.rows
    _edit_cell(qtbot, lines, 0, "monthly", "1234.567")
    assert lines.cell(0, "monthly").toolTip().startswith("Mensile €: importo ambiguo")
    editor.flush()
    qtbot.waitUntil(lambda: editor.is_idle() and not editor.saver.dirty, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    editor.close()
    ws = session.workspace
    [stored] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    content = PiContent.from_data(stored.content)
    assert content.monitoring.typed == {"checks": "31/02/2024"}
    assert content.interventions[0].typed == {"monthly": "1234.567"}
    assert content.interventions[0].monthly is None

    again = _open_pi(qtbot, session, istanza_id)
    checks = again.monitoring.checks
    assert checks.text() == "31/02/2024"
    assert checks.property("severity") == "error"
    assert checks.toolTip().startswith("Date delle verifiche: questo giorno non esiste")
    assert checks.accessibleDescription() == checks.toolTip()
    cell = again.interventions.rows.cell(0, "monthly")
    assert cell.text() == "1234.567"
    assert cell.background().color() == INVALID
    assert cell.toolTip().startswith("Mensile €: importo ambiguo")
    assert not again.saver.dirty  # showing what was kept is not an edit

    signers = again.signatories.rows
    for row in range(signers.table.rowCount()):
        signers.cell(row, "signed").setCheckState(Qt.CheckState.Checked)
    asked: list[bool] = []
    again.ask_signing = lambda: asked.append(True)  # type: ignore[method-assign,func-returns-value]
    answer = _Answer("Torna a correggere")
    qtbot.mouseClick(again.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answer.said), timeout=10_000)
    assert "11. Monitoraggio: Date delle verifiche (31/02/2024)" in answer.said
    assert "8. Interventi, riga 1: Mensile € (1234.567)" in answer.said
    assert asked == []  # refused before asking where and when
    qtbot.waitUntil(lambda: again.is_idle() and not again.saver.dirty, timeout=10_000)
    assert again.current is not None and not again.current.frozen
    with pytest.raises(UserFacingError) as refused:
        pi.sign_pi(ws.uow_factory(), actor=ws.actor, version_id=again.current.id,
                   place="Abbiategrasso", signed_on=date(2023, 11, 21), now=NOW)  # fmt: skip
    assert refused.value.code == "pi.kept_as_typed"
    assert errors.message_for(refused.value).endswith(
        "Il primo da correggere: 8. Interventi, riga 1: Mensile €."
    )
    again.close()
    wait_idle(qtbot, session.tasks)


def test_an_unreadable_document_date_survives_closing_and_reopening_the_case(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    documents = editor.documents
    _show(qtbot, editor, documents)
    qtbot.mouseClick(documents.add_button, Qt.MouseButton.LeftButton)
    form = documents.form
    form.inputs["doc_date"].setFocus()
    type_text(qtbot, form.inputs["doc_date"], "31/02/2024")
    qtbot.keyClick(form.inputs["doc_date"], Qt.Key.Key_Tab)
    assert form.message("doc_date").startswith("Data del documento: questo giorno non esiste")
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    [stored] = sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert stored.doc_date is None and dict(stored.typed) == {"doc_date": "31/02/2024"}
    editor.close()

    again = _open_editor(qtbot, session, case_id)
    _show(qtbot, again, again.documents)
    again.documents.select(stored.id)
    qtbot.waitUntil(lambda: again.documents.current is not None, timeout=10_000)
    reopened = again.documents.form
    date_line = reopened.inputs["doc_date"]
    assert isinstance(date_line, QLineEdit)
    assert date_line.text() == "31/02/2024"
    assert reopened.message("doc_date").startswith("Data del documento: questo giorno non esiste")
    assert reopened.messages["doc_date"].property("severity") == "error"

    # Corrected: the date is read and nothing stays kept as typed.
    date_line.setFocus()
    qtbot.keyClick(date_line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, date_line, "28/2/24")
    qtbot.keyClick(date_line, Qt.Key.Key_Tab)
    assert reopened.message("doc_date") == ""
    again.flush()
    qtbot.waitUntil(again.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    [fixed] = sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert fixed.doc_date is not None and fixed.doc_date.isoformat() == "2024-02-28"
    assert dict(fixed.typed) == {}
    again.close()
    wait_idle(qtbot, session.tasks)


def test_an_unreadable_diary_moment_survives_closing_and_reopening_the_case(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    diary = editor.diary
    _show(qtbot, editor, diary)
    qtbot.mouseClick(diary.add_button, Qt.MouseButton.LeftButton)
    form = diary.form
    at_line = form.inputs["at"]
    assert isinstance(at_line, QLineEdit)
    at_line.setFocus()
    qtbot.keyClick(at_line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, at_line, "31/11/2026 9.30")
    qtbot.keyClick(at_line, Qt.Key.Key_Tab)
    said = form.message("at")
    assert said != ""
    type_text(qtbot, form.inputs["text"], "Telefonata con la figlia.")
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    [stored] = sections.list_diary(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert dict(stored.typed) == {"at": "31/11/2026 9.30"}
    editor.close()

    again = _open_editor(qtbot, session, case_id)
    _show(qtbot, again, again.diary)
    again.diary.select(stored.id)
    qtbot.waitUntil(lambda: again.diary.current is not None, timeout=10_000)
    reopened = again.diary.form
    line = reopened.inputs["at"]
    assert isinstance(line, QLineEdit)
    assert line.text() == "31/11/2026 9.30"
    assert reopened.message("at") == said
    assert reopened.messages["at"].property("severity") == "error"
    again.close()
    wait_idle(qtbot, session.tasks)


def test_unreadable_care_hours_of_the_caregiver_survive_closing_and_reopening_the_case(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)
    network = editor.network
    _show(qtbot, editor, network)
    qtbot.mouseClick(network.add_button, Qt.MouseButton.LeftButton)
    form = network.form
    type_text(qtbot, form.inputs["surname"], "Bianchi")
    type_text(qtbot, form.inputs["given_name"], "Lucia")
    form.inputs["is_caregiver"].setFocus()
    qtbot.keyClick(form.inputs["is_caregiver"], Qt.Key.Key_Space)
    type_text(qtbot, form.inputs["care_hours_week"], "35h")
    qtbot.keyClick(form.inputs["care_hours_week"], Qt.Key.Key_Tab)
    assert form.message("care_hours_week")
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    [stored] = sections.list_members(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert stored.care_hours_week == 0 and dict(stored.typed) == {"care_hours_week": "35h"}
    editor.close()

    again = _open_editor(qtbot, session, case_id)
    _show(qtbot, again, again.network)
    again.network.select(stored.id)
    qtbot.waitUntil(lambda: again.network.current is not None, timeout=10_000)
    hours = again.network.form.inputs["care_hours_week"]
    assert isinstance(hours, QLineEdit) and hours.text() == "35h"
    assert again.network.form.messages["care_hours_week"].property("severity") == "error"
    hours.setFocus()
    qtbot.keyClick(hours, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, hours, "35")
    qtbot.keyClick(hours, Qt.Key.Key_Tab)
    again.flush()
    qtbot.waitUntil(again.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    [fixed] = sections.list_members(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert fixed.care_hours_week == 35 and dict(fixed.typed) == {}
    again.close()
    wait_idle(qtbot, session.tasks)
