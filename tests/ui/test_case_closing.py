"""Closing and reopening a cartella, deleting an empty one or a draft istanza, and the status
columns and filters of the Cartelle and Istanze lists (pytest-qt stories on a real store)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import audit_log, cases, istanze
from caseworker_app.ui.case_closing import CloseCaseDialog
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.case_list_model import STATUS_COLUMN
from caseworker_app.ui.cases_page import CasesPage
from caseworker_app.ui.istanze_view import IstanzeView
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import save_screen, type_text, wait_idle

AVVISO = "abbiatense-caregiver-2023"
AVVISO_TITLE = "Caregiver familiare 2023 - rimborso spese (Ambito dell'Abbiatense)"


def _page(window: MainWindow) -> CasesPage:
    assert window.cases_page is not None
    return window.cases_page


def _case(session: Session, surname: str, *, at: datetime | None = None) -> CaseId:
    ws = session.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname=surname, given_name="Maria", residence_comune="A010"),
        now=at or datetime(2026, 1, 10, 9, 0),
    )  # fmt: skip
    return case_id


def _open(qtbot: QtBot, window: MainWindow, case_id: CaseId) -> CaseEditor:
    page = _page(window)
    page.open_case(case_id)
    qtbot.waitUntil(lambda: isinstance(page.currentWidget(), CaseEditor), timeout=10_000)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    return editor


def _click_in_box(qtbot: QtBot, box: QMessageBox | None, text: str) -> None:
    assert box is not None
    [button] = [b for b in box.buttons() if b.text() == text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _list_rows(window: MainWindow) -> list[tuple[str, str]]:
    model = _page(window).list_view.model
    return [(r.cells[0], r.cells[STATUS_COLUMN]) for r in model.rows]


def test_social_worker_closes_a_cartella_finds_it_among_the_closed_and_reopens_it(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    case_id = _case(session, "Colombo")
    _case(session, "Brambilla")
    editor = _open(qtbot, main_window, case_id)
    actions = editor.status_actions
    wait_idle(qtbot, session.tasks)
    assert actions.close_button.isVisible()
    assert not actions.reopen_button.isVisible()

    qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    dialog = actions.dialog
    assert isinstance(dialog, CloseCaseDialog)
    assert not dialog.ok_button.isEnabled()  # the reason is required
    dialog.closed_on.setDate(dialog.closed_on.date().addDays(-2))
    dialog.reason.setCurrentIndex(dialog.reason.findData("deceduto"))
    assert dialog.reason.currentText() == "deceduto"
    type_text(qtbot, dialog.note, "comunicato dalla figlia")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.closure is not None, timeout=10_000)

    closed_on = session.now().date().toordinal() - 2
    shown = date.fromordinal(closed_on).strftime("%d/%m/%Y")
    assert editor.summary.text().startswith(f"Cartella chiusa il {shown} – deceduto")
    assert "Riapri cartella" in editor.summary.text()
    assert not editor.form.isEnabled()  # readable, not editable
    assert actions.reopen_button.isVisible() and not actions.close_button.isVisible()

    # The list shows open cartelle by default; the closed one is under "Chiuse".
    page = _page(main_window)
    view = page.list_view
    page.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and not view.model.is_loading(),
                    timeout=10_000)  # fmt: skip
    assert view.status_filter.currentText() == "Aperte"
    assert _list_rows(main_window) == [("Brambilla", "Aperta")]
    view.status_filter.setCurrentIndex(view.status_filter.findText("Chiuse"))
    qtbot.waitUntil(lambda: view.count_label.text() == "1 cartella", timeout=10_000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    assert _list_rows(main_window) == [("Colombo", f"Chiusa il {shown} – deceduto")]
    view.status_filter.setCurrentIndex(view.status_filter.findText("Tutte"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)
    assert view.count_label.text() == "2 cartelle"
    main_window.resize(1366, 768)
    save_screen(main_window, "cartelle-list-status")

    page.setCurrentWidget(editor)
    qtbot.mouseClick(actions.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.closure is None, timeout=10_000)
    assert editor.form.isEnabled()
    assert actions.close_button.isVisible()
    reopened = cases.open_case(session.workspace.uow_factory(), actor=session.workspace.actor,
                               case_id=case_id, now=session.now())  # fmt: skip
    assert reopened.closure is None


def test_social_worker_deletes_a_new_cartella_opened_by_mistake(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    page = _page(main_window)
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    actions = editor.status_actions
    assert not actions.delete_button.isVisible()  # nothing saved yet
    type_text(qtbot, editor.form.line("surname"), "Sbagliata")
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    qtbot.waitUntil(actions.delete_button.isVisible, timeout=10_000)
    case_id = editor.case_id
    assert case_id is not None

    qtbot.mouseClick(actions.delete_button, Qt.MouseButton.LeftButton)
    _click_in_box(qtbot, actions.confirm_box, "Annulla")  # a second thought first
    assert page.count() == 2
    qtbot.mouseClick(actions.delete_button, Qt.MouseButton.LeftButton)
    box = actions.confirm_box
    assert box is not None
    assert "contiene solo l'anagrafica" in box.text()
    _click_in_box(qtbot, box, "Elimina")
    qtbot.waitUntil(lambda: page.count() == 1, timeout=10_000)
    ws = session.workspace
    assert cases.count_cases(ws.uow_factory(), actor=ws.actor, text="") == 0
    events = audit_log.list_audit(ws.uow_factory(), actor=ws.actor, flt=AuditFilter())
    assert next(e.action for e in events if e.entity_id == case_id) == "delete"


def test_a_cartella_with_an_istanza_offers_no_deletion(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    ws = session.workspace
    case_id = _case(session, "Ferrari")
    istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id, avviso=AVVISO,
                           now=datetime(2026, 1, 11, 9, 0))  # fmt: skip
    editor = _open(qtbot, main_window, case_id)
    wait_idle(qtbot, session.tasks)
    assert not editor.status_actions.delete_button.isVisible()
    assert editor.status_actions.close_button.isVisible()


def test_social_worker_deletes_a_draft_istanza_but_not_a_presented_one(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    ws = session.workspace
    case_id = _case(session, "Galli")
    at = datetime(2026, 1, 11, 9, 0)
    presented = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                       avviso=AVVISO, now=at)  # fmt: skip
    istanze.submit_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=presented.id,
                           submitted_at=at, now=at)  # fmt: skip
    draft = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                   avviso=AVVISO, now=at)  # fmt: skip
    editor = _open(qtbot, main_window, case_id)
    editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
    panel = editor.istanze
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    order = [i.id for i in panel.rows]
    panel.table.selectRow(order.index(presented.id))
    assert not panel.delete_button.isEnabled()
    panel.table.selectRow(order.index(draft.id))
    assert panel.delete_button.isEnabled()

    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    assert box is not None
    assert AVVISO_TITLE in box.text()
    _click_in_box(qtbot, box, "Elimina")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert [i.id for i in panel.rows] == [presented.id]
    events = audit_log.list_audit(ws.uow_factory(), actor=ws.actor, flt=AuditFilter())
    assert next(e.action for e in events if e.entity_id == draft.id) == "delete"


def test_the_istanze_list_shows_the_avviso_title_and_filters_by_state_avviso_and_operator(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    ws = session.workspace
    at = datetime(2026, 1, 11, 9, 0)
    clerk = Actor("lbianchi", frozenset({Role.AMMINISTRATIVO}))
    for surname, actor, submit in (
        ("Colombo", ws.actor, True),
        ("Brambilla", ws.actor, False),
        ("Ferrari", clerk, True),
    ):
        made = istanze.create_istanza(ws.uow_factory(), actor=actor,
                                      case_id=_case(session, surname), avviso=AVVISO,
                                      now=at)  # fmt: skip
        if submit:
            istanze.submit_istanza(ws.uow_factory(), actor=actor, istanza_id=made.id,
                                   submitted_at=at, now=at)  # fmt: skip
    view = main_window.findChild(IstanzeView)
    assert isinstance(view, IstanzeView)
    main_window.resize(1366, 768)
    main_window.show_section(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)
    assert view.count_label.text() == "3 istanze"
    headers = [view.model.headers[c] for c in range(view.model.columnCount())]
    assert headers[2] == "Avviso" and headers[-1] == "Registrata da"
    assert {row[2] for row in view.model.rows} == {AVVISO_TITLE}
    by_name = {row[4]: row for row in view.model.rows}
    assert by_name["Colombo Maria"][6] == "Maria Rossi"  # the operator's full name
    assert by_name["Ferrari Maria"][6] == "lbianchi"  # not an operator of this store
    save_screen(main_window, "istanze-list-filters")

    def shown() -> list[str]:
        return sorted(row[4] for row in view.model.rows)

    view.state_filter.setCurrentIndex(view.state_filter.findText("Bozza"))
    assert shown() == ["Brambilla Maria"]
    assert view.count_label.text() == "1 di 3 istanze"
    view.state_filter.setCurrentIndex(view.state_filter.findText("Presentata"))
    assert shown() == ["Colombo Maria", "Ferrari Maria"]
    view.operator_filter.setCurrentIndex(view.operator_filter.findData("lbianchi"))
    assert shown() == ["Ferrari Maria"]
    view.state_filter.setCurrentIndex(0)
    view.operator_filter.setCurrentIndex(view.operator_filter.findData("mrossi"))
    assert shown() == ["Brambilla Maria", "Colombo Maria"]
    assert [view.avviso_filter.itemText(i) for i in range(view.avviso_filter.count())] == [
        "Tutti gli avvisi",
        AVVISO_TITLE,
    ]
    view.avviso_filter.setCurrentIndex(1)
    assert shown() == ["Brambilla Maria", "Colombo Maria"]

    # Enter opens the istanza of the row shown (not of the unfiltered list).
    view.state_filter.setCurrentIndex(view.state_filter.findText("Bozza"))
    opened: list[str] = []
    view.open_requested.connect(opened.append)
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [view.ids[0]]
    wait_idle(qtbot, session.tasks)
    if view.detail is not None:
        view.detail.close()
    # A reload keeps the filters chosen.
    view.activate()
    wait_idle(qtbot, session.tasks)
    assert view.state_filter.currentText() == "Bozza"
    assert shown() == ["Brambilla Maria"]


def test_a_closed_cartella_is_read_only_in_every_section_until_it_is_reopened(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    from caseworker_app.domain.casefile import DiaryKind
    from caseworker_app.domain.ids import DiaryEntryId, new_id
    from caseworker_app.services import case_sections as sections
    from caseworker_app.ui.case_sections.section_panel import SectionPanel

    ws = session.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Marchetti", given_name="Ida", birth_date=date(1940, 2, 3),
                              residence_comune="A010"),
        now=datetime(2026, 1, 10, 9, 0),
    )  # fmt: skip
    sections.save_diary_entry(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, entry_id=DiaryEntryId(new_id()),
        kind=DiaryKind.TELEFONATA, at=datetime(2026, 1, 11, 9, 0), text="Chiamata la figlia",
        now=datetime(2026, 1, 11, 9, 0),
    )  # fmt: skip
    editor = _open(qtbot, main_window, case_id)
    # Built before closing (they must follow); "Servizi in atto" is first shown after it.
    names = ("network", "certifications", "isee", "documents", "diary")
    panels: list[SectionPanel[Any]] = [getattr(editor, name) for name in names]
    istanze_panel = editor.istanze
    wait_idle(qtbot, session.tasks)
    assert editor.home_visit_button.isEnabled()
    assert istanze_panel.new_button.isEnabled()

    def usable(panel: SectionPanel[Any]) -> list[str]:
        """What of the panel can still change something."""
        found = [b.text() for b in (panel.add_button, panel.delete_button) if b.isEnabled()]
        for field, widget in panel.form.inputs.items():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                editable = not widget.isReadOnly()
            else:
                editable = isinstance(widget, QComboBox | QCheckBox) and widget.isEnabled()
            if editable:
                found.append(field)
        return found

    actions = editor.status_actions
    qtbot.mouseClick(actions.close_button, Qt.MouseButton.LeftButton)
    dialog = actions.dialog
    assert isinstance(dialog, CloseCaseDialog)
    dialog.reason.setCurrentIndex(dialog.reason.findData("trasferito"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.closure is not None, timeout=10_000)

    panels.append(editor.measures)
    assert not editor.documents.attach_button.isEnabled()
    for panel in panels:
        assert usable(panel) == [], type(panel).__name__
        assert "Riapri cartella" in panel.hint.text() and not panel.hint.isHidden()
    # Still readable: the diary note is shown, its text selectable but not editable.
    diary = editor.diary
    editor.tabs.setCurrentWidget(editor.tab_of("diary"))
    qtbot.waitUntil(lambda: diary.model.rowCount() == 1, timeout=10_000)
    assert diary.form.text("text") == "Chiamata la figlia"
    assert diary.form.isEnabled()
    for button in (istanze_panel.new_button, editor.home_visit_button):
        assert not button.isEnabled()
        assert "chiusa" in button.toolTip() and "Riapri cartella" in button.toolTip()
    editor.on_home_visit_clicked()  # e.g. a shortcut: still nothing opens
    assert editor.home_visit is None
    diary.on_add_clicked()
    assert diary.model.rowCount() == 1

    qtbot.mouseClick(actions.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.closure is None, timeout=10_000)
    for panel in panels:
        assert panel.add_button.isEnabled(), type(panel).__name__
        assert panel.hint.isHidden()
    assert editor.documents.attach_button.isEnabled()
    assert not diary.form.inputs["text"].property("readOnly")
    assert diary.form.combo("kind").isEnabled()
    assert istanze_panel.new_button.isEnabled() and istanze_panel.new_button.toolTip() == ""
    assert editor.home_visit_button.isEnabled()
    assert "chiusa" not in editor.home_visit_button.toolTip()
    # Editable again: a new note is saved.
    qtbot.mouseClick(diary.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, diary.form.inputs["text"], "Riaperta")
    diary.flush()
    qtbot.waitUntil(editor.is_idle, timeout=10_000)
    saved = sections.list_diary(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert sorted(e.text for e in saved) == ["Chiamata la figlia", "Riaperta"]
