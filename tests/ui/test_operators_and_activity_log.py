"""Stories: the qualifica in the setup wizard and in Operatori, the readable Registro attività,
the diary's note types. Real widgets over a real encrypted store; screens at 1366x768."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from caseworker_app.domain.casefile import DiaryKind
from caseworker_app.domain.ids import DiaryEntryId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.services import case_sections as sections
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.operator_dialogs import EditOperatorDialog, NewOperatorDialog
from caseworker_app.ui.session import Session
from caseworker_app.ui.setup_wizard import SetupWizard
from caseworker_app.ui.tasks import TaskRunner

from .conftest import USERNAME, CreatedStore, make_vault, save_screen, type_text, wait_idle

CF = "GHZRNL44B42A010X"


def _go_to(qtbot: QtBot, window: MainWindow, title: str) -> None:
    items = window.navigation.findItems(title, Qt.MatchFlag.MatchExactly)
    assert items, title
    rect = window.navigation.visualItemRect(items[0])
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_the_capofila_first_operator_chooses_a_qualifica_in_the_setup_wizard(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner
) -> None:
    gateway = make_vault(tmp_path / "store")
    wizard = SetupWizard(gateway, tasks, gateway_for=make_vault)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.role_page.capofila.setChecked(True)
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    place = wizard.place_page
    qtbot.waitUntil(lambda: place.comune.count() > 0, timeout=10_000)
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    page = wizard.operator_page
    assert wizard.currentPage() is page
    # The roles of the capofila's first operator propose a qualifica; the list offers others.
    assert page.qualifica.qualifica() == "responsabile del servizio"
    offered = [page.qualifica.itemText(i) for i in range(page.qualifica.count())]
    assert offered == ["assistente sociale", "amministrativo", "responsabile del servizio",
                       "educatore"]  # fmt: skip
    qtbot.keyClicks(page.full_name, "Paola Neri")
    page.qualifica.lineEdit().selectAll()  # type: ignore[union-attr]
    type_text(qtbot, page.qualifica.lineEdit(), "coordinatrice dell'Ufficio di Piano")  # type: ignore[arg-type]
    qtbot.keyClicks(page.username, "pneri")
    qtbot.keyClicks(page.passwords.password, "una-frase-lunga")
    qtbot.keyClicks(page.passwords.confirm, "una-frase-lunga")
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    _click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    wizard.recovery_page.noted.click()
    with qtbot.waitSignal(wizard.setup_finished, timeout=5_000) as blocker:
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    workspace = blocker.args[0]
    try:
        [me] = workspace.list_operators()
        assert me.signature_name == "Paola Neri, coordinatrice dell'Ufficio di Piano"
    finally:
        workspace.close()


def test_admin_gives_a_qualifica_to_a_new_colleague_and_corrects_her_own(
    qtbot: QtBot, main_window: MainWindow, session: Session, created: CreatedStore
) -> None:
    main_window.resize(1366, 768)
    _go_to(qtbot, main_window, "Operatori")
    view = main_window.operators_view
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == "Qualifica"

    _click(qtbot, view.new_button)
    dialog = view.dialog
    assert isinstance(dialog, NewOperatorDialog)
    type_text(qtbot, dialog.full_name, "Giulia Verdi")
    type_text(qtbot, dialog.username, "gverdi")
    dialog.role_checks[Role.ASSISTENTE_SOCIALE].setChecked(True)  # proposes its qualifica
    assert dialog.qualifica.qualifica() == "assistente sociale"
    dialog.qualifica.setCurrentIndex(dialog.qualifica.findData("educatore"))
    dialog.qualifica.textActivated.emit("educatore")  # as a user's choice from the list
    dialog.role_checks[Role.AMMINISTRATIVO].setChecked(True)  # the user's choice stays
    assert dialog.qualifica.qualifica() == "educatore"
    type_text(qtbot, dialog.passwords.password, "una-frase-lunga")
    type_text(qtbot, dialog.passwords.confirm, "una-frase-lunga")
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: any(r[0] == "gverdi" for r in view.model.rows), timeout=10_000)
    row = next(r for r in view.model.rows if r[0] == "gverdi")
    assert row[1:3] == ("Giulia Verdi", "educatore")

    view.select(USERNAME)
    assert view.edit_button.isEnabled()
    _click(qtbot, view.edit_button)
    edit = view.dialog
    assert isinstance(edit, EditOperatorDialog)
    assert edit.qualifica.qualifica() == "assistente sociale"
    edit.qualifica.lineEdit().selectAll()  # type: ignore[union-attr]
    type_text(qtbot, edit.qualifica.lineEdit(), "assistente sociale coordinatrice")  # type: ignore[arg-type]
    edit.full_name.selectAll()
    type_text(qtbot, edit.full_name, "Maria Rossi Bassi")
    _click(qtbot, edit.ok_button)
    qtbot.waitUntil(
        lambda: next(r for r in view.model.rows if r[0] == USERNAME)[1] == "Maria Rossi Bassi",
        timeout=10_000,
    )
    assert next(r for r in view.model.rows if r[0] == USERNAME)[2] == (
        "assistente sociale coordinatrice")  # fmt: skip
    wait_idle(qtbot, session.tasks)
    save_screen(main_window, "operators-qualifica-1366x768")


def _history(created: CreatedStore) -> str:
    ws = created.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(codice_fiscale=CF, surname="Ghezzi", given_name="Ornella",
                              sex=Sex.F, birth_date=date(1944, 2, 2), residence_comune="A010"),
        now=datetime.now(),
    )  # fmt: skip
    cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=datetime.now())
    sections.save_diary_entry(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                              entry_id=DiaryEntryId(new_id()), kind=DiaryKind.VISITA_DOMICILIARE,
                              at=datetime.now(), text="Visita a casa",
                              now=datetime.now())  # fmt: skip
    return case_id


def test_the_activity_log_says_what_was_done_and_to_whom(
    qtbot: QtBot, main_window: MainWindow, session: Session, created: CreatedStore
) -> None:
    _history(created)
    main_window.resize(1366, 768)
    _go_to(qtbot, main_window, "Registro attività")
    audit = main_window.audit_view
    assert audit is not None
    qtbot.waitUntil(lambda: audit.model.rowCount() >= 5, timeout=10_000)
    headers = [audit.model.headerData(i, Qt.Orientation.Horizontal) for i in range(6)]
    assert headers[2:] == ["Operatore", "Azione", "Persona interessata", "Codice fiscale"]
    rows = {row[3]: row for row in audit.model.rows}
    for action in ("Ha creato la cartella", "Ha aperto la cartella",
                   "Ha scritto una nota del diario"):  # fmt: skip
        assert rows[action][2:] == ("Maria Rossi", action, "Ghezzi Ornella", CF)
    assert rows["Ha creato l'account di un operatore"][4] == "Operatore Maria Rossi"
    assert rows["Ha creato l'archivio"][2] == "sistema"
    # No table names and no UUIDs are shown.
    shown = " ".join(" ".join(r) for r in audit.model.rows)
    assert "case_file" not in shown and "diary_entry" not in shown
    wait_idle(qtbot, session.tasks)
    save_screen(main_window, "audit-readable-1366x768")


def test_the_diary_offers_the_note_types_of_social_work_and_shows_old_ones(
    qtbot: QtBot, session: Session, created: CreatedStore
) -> None:
    case_id = _history(created)
    with created.workspace.engine.begin() as conn:  # a note written by an earlier version
        conn.exec_driver_sql(
            "INSERT INTO diary_entries (id, case_id, at, operator, text, kind) "
            "VALUES ('old-1', ?, '2025-01-10 10:00:00.000000', 'mrossi', 'Contatto', 'contatto')",
            (case_id,),
        )
    ws = session.workspace
    case = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=session.now())
    editor = CaseEditor(session, case=case)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    diary = editor.diary
    editor.tabs.setCurrentWidget(diary.parentWidget())
    qtbot.waitUntil(lambda: diary.is_loaded, timeout=10_000)
    kinds = {row[1] for row in diary.model.rows}
    assert kinds == {"Visita domiciliare", "Contatto"}
    combo = diary.form.combo("kind")
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered[:6] == ["Colloquio", "Visita domiciliare", "Équipe / UVM", "Telefonata",
                           "Relazione", "Nota"]  # fmt: skip
    wait_idle(qtbot, session.tasks)
    save_screen(editor, "diary-kinds-1366x768")
    editor.close()
    wait_idle(qtbot, session.tasks)
