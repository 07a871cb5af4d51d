"""The case file sections in the case editor, driven as a social worker would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica
from caseworker_app.services import case_sections as sections
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.case_sections.labels import format_money, parse_money
from caseworker_app.ui.case_sections.section_panel import SectionPanel
from caseworker_app.ui.session import Session

from ..integration.test_case_sections import minimal_pdf
from .conftest import type_text, wait_idle


def _open_editor(qtbot: QtBot, session: Session, case_id: CaseId) -> CaseEditor:
    ws = session.workspace
    case = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=session.now())
    editor = CaseEditor(session, case=case)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=5_000)  # typing needs keyboard focus
    return editor


def _show(qtbot: QtBot, editor: CaseEditor, panel: SectionPanel[object]) -> None:
    editor.tabs.setCurrentWidget(panel.parentWidget())  # the tab holding the section
    qtbot.waitUntil(lambda: panel.is_loaded, timeout=10_000)
    # The offscreen platform drops the activation when the tab's widgets are first shown; a
    # user's click does this.
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=5_000)


def _new_case(session: Session) -> CaseId:
    ws = session.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Bianchi", given_name="Carla"), now=session.now(),
    )  # fmt: skip
    return case_id


def _retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def test_new_case_sections_wait_for_the_first_save(qtbot: QtBot, session: Session) -> None:
    editor = CaseEditor(session)
    qtbot.addWidget(editor)
    editor.show()
    assert [editor.tabs.tabText(i) for i in range(editor.tabs.count())] == [
        "Anagrafica", "Rete familiare", "Certificazioni", "ISEE", "Servizi in atto",
        "Documenti", "Diario", "Istanze", "Valutazioni",
    ]  # fmt: skip
    assert not editor.isee.isEnabled() and not editor.isee.is_loaded
    assert not editor.istanze.new_button.isEnabled()
    qtbot.keyClicks(editor.form.line("surname"), "Verdi")
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    assert editor.isee.isEnabled() and editor.diary.isEnabled()
    assert editor.istanze.new_button.isEnabled()


def test_social_worker_fills_the_case_file_and_finds_it_again(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _new_case(session)
    editor = _open_editor(qtbot, session, case_id)

    # ISEE: a wrong DSU protocol is flagged as soon as the field is left, then fixed.
    isee = editor.isee
    _show(qtbot, editor, isee)
    qtbot.mouseClick(isee.add_button, Qt.MouseButton.LeftButton)

    form = isee.form
    combo = form.combo("isee_type")
    combo.setFocus()
    qtbot.keyClicks(combo, "Ord")
    assert form.value("isee_type") == "ordinario"
    type_text(qtbot, form.inputs["value"], "12.345,67")
    dsu = form.inputs["dsu_protocol"]
    dsu.setFocus()
    qtbot.keyClicks(dsu, "INPS-ISEE-2026-1234-01")
    assert form.message("dsu_protocol") == ""  # not while typing
    qtbot.keyClick(dsu, Qt.Key.Key_Tab)
    assert "Protocollo DSU: il formato non è valido" in form.message("dsu_protocol")
    _retype(qtbot, dsu, "INPS-ISEE-2026-123456789-01")
    qtbot.keyClick(dsu, Qt.Key.Key_Tab)
    assert form.message("dsu_protocol") == ""
    assert "Valida fino al 31/12/2026" in isee.validity.text() or "Scaduta" in isee.validity.text()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    ws = session.workspace
    [stored] = sections.list_records(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                     record_type=IseeAttestation)  # fmt: skip
    assert stored.value.dsu_protocol == "INPS-ISEE-2026-123456789-01"
    assert format_money(stored.value.value) == "12.345,67 €"
    assert isee.model.rows[0][1] == "12.345,67 €"

    # Network: a cohabiting daughter who is the caregiver familiare.
    network = editor.network
    _show(qtbot, editor, network)
    qtbot.mouseClick(network.add_button, Qt.MouseButton.LeftButton)
    nform = network.form
    type_text(qtbot, nform.inputs["surname"], "Bianchi")
    type_text(qtbot, nform.inputs["given_name"], "Lucia")
    type_text(qtbot, nform.inputs["relationship"], "figlia")
    for box in ("cohabiting", "is_caregiver"):  # ticked with the space bar
        nform.inputs[box].setFocus()
        qtbot.keyClick(nform.inputs[box], Qt.Key.Key_Space)
    assert nform.checked("is_caregiver")
    assert "Ore di cura" in nform.message("care_hours_week")
    type_text(qtbot, nform.inputs["care_hours_week"], "35")
    assert nform.message("care_hours_week") == ""
    assert "caregiver familiare" in network.model.rows[0][2]

    # Documents: a PDF chosen in the file dialog is stored in the store and previewed.
    pdf_path = tmp_path / "verbale.pdf"
    pdf_path.write_bytes(minimal_pdf())
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(pdf_path), ""))  # fmt: skip
    documents = editor.documents
    _show(qtbot, editor, documents)
    qtbot.mouseClick(documents.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: documents.preview.kind == "pdf", timeout=10_000)
    assert documents.model.rows[0][1] == "verbale"
    assert documents.model.rows[0][4].startswith("PDF")
    png_path = tmp_path / "carta.png"
    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    assert image.save(str(png_path))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(png_path), ""))  # fmt: skip
    qtbot.mouseClick(documents.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: documents.preview.kind == "image", timeout=10_000)
    assert len(documents.entries) == 2

    # Diary: a phone call.
    diary = editor.diary
    _show(qtbot, editor, diary)
    qtbot.mouseClick(diary.add_button, Qt.MouseButton.LeftButton)
    dform = diary.form
    dform.combo("kind").setFocus()
    qtbot.keyClicks(dform.combo("kind"), "Tel")
    _retype(qtbot, dform.inputs["at"], "20/11/2026 09:30")
    type_text(qtbot, dform.inputs["text"], "Telefonata con la figlia: verrà lunedì.")
    assert diary.model.rows[0][0] == "20/11/2026 09:30"

    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    editor.close()

    again = _open_editor(qtbot, session, case_id)
    _show(qtbot, again, again.isee)
    assert again.isee.model.rows[0][2] == "INPS-ISEE-2026-123456789-01"
    _show(qtbot, again, again.network)
    member = again.network.entries[0][1]
    assert (member.given_name, member.is_caregiver, member.care_hours_week) == ("Lucia", True, 35)
    assert again.network.form.checked("cohabiting")
    _show(qtbot, again, again.documents)
    assert {d.mime for _i, d in again.documents.entries} == {"application/pdf", "image/png"}
    _show(qtbot, again, again.diary)
    [(_id, note)] = again.diary.entries
    assert note.text == "Telefonata con la figlia: verrà lunedì."
    assert note.at == datetime(2026, 11, 20, 9, 30) and note.kind.value == "telefonata"
    wait_idle(qtbot, session.tasks)


def test_editing_while_a_save_is_in_flight_loses_nothing(qtbot: QtBot, session: Session) -> None:
    editor = _open_editor(qtbot, session, _new_case(session))
    measures = editor.measures
    _show(qtbot, editor, measures)
    qtbot.mouseClick(measures.add_button, Qt.MouseButton.LeftButton)
    provider = measures.form.inputs["provider"]
    type_text(qtbot, provider, "Coop")
    measures.save_now()  # a save is now in flight
    type_text(qtbot, provider, " Sociale")
    qtbot.mouseClick(measures.add_button, Qt.MouseButton.LeftButton)  # another row meanwhile
    type_text(qtbot, measures.form.inputs["provider"], "ASST")
    editor.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    ws = session.workspace
    assert editor.case_id is not None
    from caseworker_app.domain.case_sections import MeasureInPlace

    stored = sections.list_records(ws.uow_factory(), actor=ws.actor, case_id=editor.case_id,
                                   record_type=MeasureInPlace)  # fmt: skip
    assert sorted(e.value.provider for e in stored) == ["ASST", "Coop Sociale"]


def test_money_is_read_and_written_the_italian_way() -> None:
    assert format_money(parse_money("12.345,67 €")) == "12.345,67 €"
    assert parse_money("12345.5") == parse_money("12.345,50") / 1000 * 1000 / 1000 * 1000
    assert str(parse_money("1.234")) == "1234.00"
    assert parse_money("") is None
    with pytest.raises(ValueError):
        parse_money("12,34,5")
