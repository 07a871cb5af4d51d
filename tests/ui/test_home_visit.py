"""The home visit: scales answered one item at a time, saved as drafts, closed at the end."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.services import assessments, cases, evaluations, printing
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.home_visit import HomeVisitView
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner

from .conftest import CreatedStore, make_vault, wait_idle


def _case(session: Session, birth_date: date) -> CaseId:
    workspace = session.workspace
    case_id, _issues = cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(
            surname="Cantù", given_name="Nicolò", birth_date=birth_date, sex=Sex.M
        ),
        now=datetime.now(),
    )
    return case_id


def _editor(qtbot: QtBot, session: Session, case_id: CaseId) -> CaseEditor:
    workspace = session.workspace
    case = cases.open_case(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    editor = CaseEditor(session, case=case)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _open_home_visit(qtbot: QtBot, editor: CaseEditor) -> HomeVisitView:
    assert editor.home_visit_button.isEnabled()
    qtbot.mouseClick(editor.home_visit_button, Qt.MouseButton.LeftButton)
    view = editor.home_visit
    assert view is not None
    wait_idle(qtbot, editor.session.tasks)
    return view


def test_social_worker_scores_adl_with_the_keyboard(qtbot: QtBot, session: Session) -> None:
    case_id = _case(session, date(1941, 3, 5))
    editor = _editor(qtbot, session, case_id)
    view = _open_home_visit(qtbot, editor)
    assert view.history_list.item(0).text() == "Nessuna scheda compilata finora."
    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.progress.text() == "ADL – Indice di Katz – Voce 1 di 6"
    assert view.item_text.text() == "Lavarsi (spugnature, vasca o doccia)"
    assert view.option_buttons[0].accessibleName() == (  # Katz version 2 wording
        "Risposta 1: si lava da solo (spugnature, vasca o doccia), entrando e uscendo da vasca "
        "o doccia senza aiuto"
    )
    assert view.not_applicable_button.isHidden()  # no Katz item accepts it
    assert "Classe" not in view.result.text()  # nothing shown while answering

    qtbot.keyClick(view, Qt.Key.Key_2)
    assert view.progress.text().endswith("Voce 2 di 6")
    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # back: change the first answer
    assert view.progress.text().endswith("Voce 1 di 6")
    assert view.option_buttons[1].isChecked()
    for key in (Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
    assert view.progress.text().endswith("Voce 6 di 6")
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert view.pages.currentIndex() == 2
    wait_idle(qtbot, session.tasks)

    workspace = session.workspace
    history = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert len(history) == 1
    assert dict(history[0].sheet.answers) == {
        "lavarsi": 3,
        "vestirsi": 2,
        "uso_servizi": 1,
        "trasferimenti": 2,
        "continenza": 1,
        "alimentazione": 1,
    }
    assert history[0].sheet.status is SheetStatus.BOZZA
    assert "Funzioni conservate: 4 su 6" in view.result.text()
    assert "Classe di Katz: C" in view.result.text()

    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.completed, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert "Scheda chiusa" in view.result.text()
    history = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert history[0].sheet.status is SheetStatus.COMPLETA
    line = view.history_list.item(0).text()
    assert "ADL – Indice di Katz" in line and "Classe di Katz: C" in line and "chiusa" in line
    view.close()
    wait_idle(qtbot, session.tasks)


def test_iadl_is_not_offered_for_a_minor(qtbot: QtBot, session: Session) -> None:
    today = session.now().date()
    case_id = _case(session, date(today.year - 10, 1, 1))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    assert set(view.scale_buttons) == {"adl-katz", "barthel"}
    view.close()
    wait_idle(qtbot, session.tasks)


def test_amministrativo_does_not_see_the_home_visit(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner, tmp_path: Path, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    created.workspace.add_operator(
        username="lbianchi",
        full_name="Lucia Bianchi",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-di-lucia",
    )
    workspace = make_vault(created.vault.root).unlock("lbianchi", "password-di-lucia")
    lucia = Session(
        workspace=workspace,
        tasks=tasks,
        info=load_session_info(workspace),
        qsettings=QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat),
    )
    editor = _editor(qtbot, lucia, case_id)
    assert editor.home_visit_button.isHidden()
    assert editor.home_visit is None
    editor.close()
    wait_idle(qtbot, tasks)
    workspace.close()


def test_closing_an_incomplete_sheet_says_what_is_missing(qtbot: QtBot, session: Session) -> None:
    case_id = _case(session, date(1941, 3, 5))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    qtbot.mouseClick(view.scale_buttons["iadl-lawton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.progress.text().endswith("Voce 1 di 8")
    assert not view.not_applicable_button.isHidden()
    assert view.not_applicable_button.text() == "Mai svolto / non applicabile"
    qtbot.mouseClick(view.not_applicable_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(view, Qt.Key.Key_1)
    while view.pages.currentIndex() == 1:
        qtbot.mouseClick(view.skip_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)
    assert "Voci senza risposta" in view.result.text()

    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(view.findChildren(QMessageBox)), timeout=10_000)
    box = view.findChildren(QMessageBox)[0]
    assert box.text().startswith("Mancano ancora")
    box.accept()
    assert not view.completed
    assert view.complete_button.isEnabled()
    workspace = session.workspace
    history = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert view.definition is not None
    first, second = (item.id for item in view.definition.items[:2])
    assert dict(history[0].sheet.answers) == {first: None, second: 1}
    assert history[0].sheet.status is SheetStatus.BOZZA
    view.close()
    wait_idle(qtbot, session.tasks)


def test_an_iadl_sheet_with_every_item_not_applicable_cannot_be_closed(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    qtbot.mouseClick(view.scale_buttons["iadl-lawton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    while view.pages.currentIndex() == 1:
        qtbot.mouseClick(view.not_applicable_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)
    assert "Nessuna voce valutata" in view.result.text()
    assert "Voci senza risposta" not in view.result.text()

    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(view.findChildren(QMessageBox)), timeout=10_000)
    box = view.findChildren(QMessageBox)[0]
    assert "nessuna voce è stata valutata" in box.text()
    assert "IADL" in box.text()
    box.accept()
    assert not view.completed
    workspace = session.workspace
    [sheet] = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert set(sheet.sheet.answers.values()) == {None}
    assert sheet.sheet.status is SheetStatus.BOZZA
    view.close()
    wait_idle(qtbot, session.tasks)


def _close_a_katz_sheet(qtbot: QtBot, view: HomeVisitView) -> None:
    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    while view.pages.currentIndex() == 1:
        qtbot.keyClick(view, Qt.Key.Key_1)
    wait_idle(qtbot, view.session.tasks)
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.completed, timeout=10_000)
    wait_idle(qtbot, view.session.tasks)


def test_the_place_of_the_visit_is_kept_for_the_printed_sheet(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    assert view.place.accessibleName() == "Luogo della visita"
    qtbot.keyClicks(view.place, "Rosate, domicilio della persona")
    assert view.pages.currentIndex() == 0  # typing goes to the field, not to the scales
    _close_a_katz_sheet(qtbot, view)
    workspace = session.workspace
    [summary] = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert summary.sheet.place == "Rosate, domicilio della persona"
    printed = printing.print_sheet(
        workspace.uow_factory(), actor=workspace.actor, sheet_id=summary.sheet.id,
        now=datetime.now(),
    )  # fmt: skip
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(BytesIO(printed.pdf)).pages
    )
    assert "Luogo della visita Rosate, domicilio della persona" in text
    visit = summary.sheet.visit_date.strftime("%d/%m/%Y")
    assert f"Luogo e data Rosate, domicilio della persona, {visit}" in text
    view.close()
    wait_idle(qtbot, session.tasks)


def test_without_a_place_typed_the_sheet_keeps_the_social_evaluation_place(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    workspace = session.workspace
    evaluations.save_evaluation(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
        evaluation=SocialEvaluation(visit_date=session.now().date(), place="domicilio"),
        record_id=None, now=datetime.now(),
    )  # fmt: skip
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    qtbot.waitUntil(lambda: view.evaluation.loaded, timeout=10_000)
    assert view.place.text() == ""
    _close_a_katz_sheet(qtbot, view)
    [summary] = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert summary.sheet.place == "domicilio"
    view.close()
    wait_idle(qtbot, session.tasks)


def test_social_worker_writes_the_social_evaluation_beside_the_scales(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    panel = view.evaluation
    view.tabs.setCurrentWidget(panel)
    assert panel.visit_date.text() == session.now().date().strftime("%d/%m/%Y")
    panel.place.setFocus()
    qtbot.keyClicks(panel.place, "domicilio")
    panel.summary.setFocus()
    qtbot.keyClicks(panel.summary, "Serve aiuto 1 ora al giorno")  # digits are text here
    panel.multidimensional.setFocus()
    qtbot.keyClick(panel.multidimensional, Qt.Key.Key_Space)
    assert panel.multidimensional.isChecked() and panel.evaluators.isEnabled()
    qtbot.keyClicks(panel.evaluators, "Anna Bianchi; Marco Verdi")
    assert view.pages.currentIndex() == 0  # the keys went to the text, not to the scales
    qtbot.waitUntil(lambda: panel.record_id is not None and panel.is_idle(), timeout=10_000)
    wait_idle(qtbot, session.tasks)
    workspace = session.workspace
    saved = evaluations.latest_evaluation(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert saved is not None
    assert saved.evaluation.summary == "Serve aiuto 1 ora al giorno"
    assert saved.evaluation.place == "domicilio"
    assert saved.evaluation.asst_evaluators == ("Anna Bianchi", "Marco Verdi")

    qtbot.keyClicks(panel.risks, "Cadute")
    view.close()  # closing saves what was typed last at once
    wait_idle(qtbot, session.tasks)
    saved = evaluations.latest_evaluation(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert saved is not None and saved.evaluation.risks == "Cadute"
    assert saved.record_id == panel.record_id  # one evaluation, edited
