"""The home visit: scales answered one item at a time, saved as drafts, closed at the end."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.services import assessments, cases, evaluations, printing
from caseworker_app.ui.assessments_tab import AssessmentsTab
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.home_visit import HomeVisitView
from caseworker_app.ui.scale_draft_dialogs import DraftBox
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner

from .conftest import ARTIFACTS, CreatedStore, make_vault, wait_idle


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


def _box(qtbot: QtBot, view: QWidget, name: str) -> DraftBox:
    """The question ``name`` open over ``view`` (window-modal, not blocking)."""

    def shown() -> DraftBox | None:
        boxes = [b for b in view.window().findChildren(DraftBox, name) if b.isVisible()]
        return boxes[-1] if boxes else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=10_000)
    box = shown()
    assert box is not None
    return box


def _answer(qtbot: QtBot, view: QWidget, name: str, key: str) -> DraftBox:
    box = _box(qtbot, view, name)
    qtbot.mouseClick(box.buttons_by_role[key], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=10_000)
    return box


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
    _answer(qtbot, view, "closeSheetBox", "close")
    qtbot.waitUntil(lambda: view.completed, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert "Scheda chiusa" in view.result.text()
    history = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=datetime.now()
    )
    assert history[0].sheet.status is SheetStatus.COMPLETA
    line = view.history_list.item(0).text()
    assert "ADL – Indice di Katz" in line and "Classe di Katz: C" in line and "Chiusa" in line
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
    _answer(qtbot, view, "closeSheetBox", "close")
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


# -- drafts: resumed, started over, discarded; closing asks first ------------------------------

KATZ_SOME = {"lavarsi": 3, "vestirsi": 2}  # items 1 and 2 answered, 3 to 6 not


def _draft(session: Session, case_id: CaseId, visit: date, answers: dict[str, int]) -> str:
    ws = session.workspace
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", visit_date=visit,
        now=datetime.now(),
    )  # fmt: skip
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=answers, now=datetime.now()
    )
    return sheet.id


def _sheets(session: Session, case_id: CaseId) -> list[assessments.SheetSummary]:
    ws = session.workspace
    return assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=datetime.now()
    )


def _shot(window: QWidget, name: str, box: QWidget | None = None) -> None:
    """The window as seen (with the question ``box`` over it) into the test artifacts."""
    picture = window.grab()
    if box is not None:
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(box.mapToGlobal(QPoint(0, 0))), box.grab())
        painter.end()
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    assert picture.save(str(folder / f"{name}.png"))


def _double_click_row(qtbot: QtBot, view: HomeVisitView, row: int) -> None:
    listing = view.history_list
    rect = listing.visualItemRect(listing.item(row))
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_draft_left_half_way_reopens_at_its_first_unanswered_item(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    editor = _editor(qtbot, session, case_id)
    view = _open_home_visit(qtbot, editor)
    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    qtbot.mouseClick(view.skip_button, Qt.MouseButton.LeftButton)  # "lavarsi" left for later
    qtbot.keyClick(view, Qt.Key.Key_2)  # vestirsi
    qtbot.keyClick(view, Qt.Key.Key_1)  # uso_servizi
    assert view.progress.text().endswith("Voce 4 di 6")
    wait_idle(qtbot, session.tasks)
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)  # called away
    wait_idle(qtbot, session.tasks)

    view = _open_home_visit(qtbot, editor)
    line = view.history_list.item(0).text()
    assert line.endswith("ADL – Indice di Katz · Bozza, voci senza risposta: 4")
    _shot(view, "home_visit_draft_list")
    assert not view.resume_button.isEnabled()  # nothing selected yet
    _double_click_row(qtbot, view, 0)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.progress.text() == "ADL – Indice di Katz – Voce 1 di 6"  # the skipped one
    assert not any(b.isChecked() for b in view.option_buttons)
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert view.progress.text().endswith("Voce 2 di 6")
    assert view.option_buttons[1].isChecked()  # the answer given before is kept
    wait_idle(qtbot, session.tasks)
    [sheet] = _sheets(session, case_id)
    assert dict(sheet.sheet.answers) == {"lavarsi": 3, "vestirsi": 2, "uso_servizi": 1}
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)

    view = _open_home_visit(qtbot, editor)  # with the keyboard: arrow to the row, Enter
    view.history_list.setFocus()
    qtbot.keyClick(view.history_list, Qt.Key.Key_Down)
    assert view.resume_button.isEnabled() and view.discard_button.isEnabled()
    qtbot.keyClick(view.history_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.progress.text().endswith("Voce 4 di 6")  # trasferimenti: where it was left
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
    assert view.pages.currentIndex() == 2
    wait_idle(qtbot, session.tasks)
    assert "Funzioni conservate: 5 su 6" in view.result.text()
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)

    view = _open_home_visit(qtbot, editor)  # every item answered, not closed: the result
    assert view.history_list.item(0).text().endswith("Bozza, da chiudere")
    view.history_list.setCurrentRow(0)
    qtbot.mouseClick(view.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 2, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert "Funzioni conservate: 5 su 6" in view.result.text()
    assert view.complete_button.isEnabled()
    view.close()
    wait_idle(qtbot, session.tasks)


def test_starting_a_scale_with_a_draft_asks_to_resume_it_or_start_over(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    old = _draft(session, case_id, date(2026, 11, 3), KATZ_SOME)
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))

    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    box = _box(qtbot, view, "resumeDraftBox")
    assert box.text() == (
        "Esiste una bozza della scheda ADL – Indice di Katz del 03/11/2026: vuoi riprenderla?"
    )
    assert "«Nuova scheda» elimina la bozza" in box.informativeText()
    _shot(view, "home_visit_resume_draft_question", box)
    assert [b.text() for b in box.buttons_by_role.values()] == [
        "Riprendi", "Nuova scheda", "Annulla",
    ]  # fmt: skip
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Annulla: nothing happens
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert view.pages.currentIndex() == 0
    assert [s.sheet.id for s in _sheets(session, case_id)] == [old]

    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    _answer(qtbot, view, "resumeDraftBox", "resume")
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.sheet is not None and view.sheet.id == old
    assert view.progress.text().endswith("Voce 3 di 6")
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)

    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    _answer(qtbot, view, "resumeDraftBox", "new")
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.progress.text().endswith("Voce 1 di 6")
    assert not any(b.isChecked() for b in view.option_buttons)
    wait_idle(qtbot, session.tasks)
    [new] = _sheets(session, case_id)  # the old draft is gone, one empty draft instead
    assert new.sheet.id != old and dict(new.sheet.answers) == {}
    assert new.sheet.visit_date == session.now().date()

    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)  # another scale: no question
    wait_idle(qtbot, session.tasks)
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    qtbot.mouseClick(view.scale_buttons["barthel"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert not view.window().findChildren(DraftBox, "resumeDraftBox")
    view.close()
    wait_idle(qtbot, session.tasks)


def test_social_worker_discards_a_draft_after_confirming(qtbot: QtBot, session: Session) -> None:
    case_id = _case(session, date(1941, 3, 5))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    _close_a_katz_sheet(qtbot, view)
    draft = _draft(session, case_id, date(2030, 1, 2), KATZ_SOME)  # the newest, listed first
    qtbot.mouseClick(view.another_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)
    assert view.history_list.count() == 2
    view.history_list.setCurrentRow(1)  # the closed sheet: nothing to resume or discard
    assert view.history_list.currentItem().text().endswith("Chiusa")
    assert not view.resume_button.isEnabled() and not view.discard_button.isEnabled()
    view.history_list.setCurrentRow(0)
    assert view.discard_button.text() == "Elimina bozza…"

    qtbot.mouseClick(view.discard_button, Qt.MouseButton.LeftButton)
    box = _box(qtbot, view, "discardDraftBox")
    assert box.text() == "Eliminare la bozza della scheda ADL – Indice di Katz del 02/01/2030?"
    assert "non si può annullare" in box.informativeText()
    _shot(view, "home_visit_discard_draft_question", box)
    assert box.defaultButton() is box.buttons_by_role["cancel"]
    _answer(qtbot, view, "discardDraftBox", "cancel")
    wait_idle(qtbot, session.tasks)
    assert draft in [s.sheet.id for s in _sheets(session, case_id)]

    qtbot.mouseClick(view.discard_button, Qt.MouseButton.LeftButton)
    _answer(qtbot, view, "discardDraftBox", "discard")
    wait_idle(qtbot, session.tasks)
    [kept] = _sheets(session, case_id)
    assert kept.sheet.status is SheetStatus.COMPLETA  # the closed sheet stays
    assert view.history_list.count() == 1
    assert view.history_list.item(0).text().endswith("Chiusa")
    assert view.history_view.table.rowCount() == 1  # the history tab follows
    view.close()
    wait_idle(qtbot, session.tasks)


def test_closing_a_sheet_asks_first_and_says_it_will_be_frozen(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    view = _open_home_visit(qtbot, _editor(qtbot, session, case_id))
    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    for key in (Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_1)
    wait_idle(qtbot, session.tasks)

    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    box = _box(qtbot, view, "closeSheetBox")
    assert box.text().startswith("Chiudendo la scheda non sarà più modificabile: ")
    assert "Funzioni conservate: 4 su 6" in box.informativeText()
    assert "Classe di Katz: C" in box.informativeText()
    _shot(view, "home_visit_close_sheet_question", box)
    labels = {k: b.text() for k, b in box.buttons_by_role.items()}
    assert labels == {"close": "Chiudi scheda", "back": "Torna alla scheda"}
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Torna alla scheda
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert not view.completed and view.complete_button.isEnabled()
    [sheet] = _sheets(session, case_id)
    assert sheet.sheet.status is SheetStatus.BOZZA
    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # still editable: back to the last item
    assert view.progress.text().endswith("Voce 6 di 6")
    qtbot.keyClick(view, Qt.Key.Key_1)
    wait_idle(qtbot, session.tasks)

    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    _answer(qtbot, view, "closeSheetBox", "close")
    qtbot.waitUntil(lambda: view.completed, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    [sheet] = _sheets(session, case_id)
    assert sheet.sheet.status is SheetStatus.COMPLETA
    assert not view.complete_button.isEnabled() and "Scheda chiusa" in view.result.text()
    view.close()
    wait_idle(qtbot, session.tasks)


def test_a_draft_in_the_valutazioni_tab_opens_the_home_visit_on_it(
    qtbot: QtBot, session: Session
) -> None:
    case_id = _case(session, date(1941, 3, 5))
    draft = _draft(session, case_id, date(2026, 11, 3), KATZ_SOME)
    editor = _editor(qtbot, session, case_id)
    editor.tabs.setCurrentWidget(editor.tab_of("assessments"))
    wait_idle(qtbot, session.tasks)
    tab = editor.tab_of("assessments").findChild(AssessmentsTab)
    assert isinstance(tab, AssessmentsTab) and tab.view is not None
    table = tab.view.table
    assert table.item(0, 4).text() == "Bozza"
    editor.resize(1366, 768)
    _shot(editor, "valutazioni_tab_draft")
    assert not tab.resume_button.isEnabled()

    rect = table.visualItemRect(table.item(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.resume_button.isEnabled() and tab.discard_button.isEnabled()
    assert not tab.print_button.isEnabled()  # a draft is not printed
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: editor.home_visit is not None, timeout=10_000)
    view = editor.home_visit
    assert view is not None
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.sheet is not None and view.sheet.id == draft
    assert view.progress.text() == "ADL – Indice di Katz – Voce 3 di 6"
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)

    table.setFocus()  # with the keyboard: Enter on the row
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.home_visit is not view, timeout=10_000)
    view = editor.home_visit
    assert view is not None
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    assert view.progress.text().endswith("Voce 4 di 6")  # the answer given last is kept
    view.close()
    wait_idle(qtbot, session.tasks)

    table.selectRow(0)
    qtbot.mouseClick(tab.resume_button, Qt.MouseButton.LeftButton)  # the button
    qtbot.waitUntil(lambda: editor.home_visit is not view, timeout=10_000)
    view = editor.home_visit
    assert view is not None
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    view.close()
    wait_idle(qtbot, session.tasks)

    table.selectRow(0)
    qtbot.mouseClick(tab.discard_button, Qt.MouseButton.LeftButton)
    box = _box(qtbot, tab, "discardDraftBox")
    assert "03/11/2026" in box.text()
    _answer(qtbot, tab, "discardDraftBox", "discard")
    wait_idle(qtbot, session.tasks)
    assert _sheets(session, case_id) == []
    assert table.rowCount() == 0
    assert not tab.resume_button.isEnabled() and not tab.discard_button.isEnabled()
