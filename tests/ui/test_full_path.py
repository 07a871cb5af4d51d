"""The whole path a social worker walks, on the real widgets of the main window: a new case,
its certifications, an istanza on the Abbiatense caregiver avviso with the live verdict, the
home visit, and the Progetto Individuale prefilled, written and signed (then frozen).

Every main screen is saved as a test artifact (``.artifacts/screens/path_*.png``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from caseworker_app.domain.pi import PiContent, PiStatus
from caseworker_app.domain.roles import Role
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.pi_editor.dialogs import SignDialog
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner
from tests.integration.pi_typist import seed_case

from .conftest import CreatedStore, make_vault, save_screen, type_text, wait_idle

CF = "CNTNCL41C05F205I"


def _retype(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    type_text(qtbot, field, text)


def _new_case(qtbot: QtBot, window: MainWindow) -> CaseEditor:
    page = window.cases_page
    assert page is not None
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    editor = page.currentWidget()
    assert isinstance(editor, CaseEditor)
    form = editor.form
    qtbot.keyClicks(form.line("codice_fiscale"), CF)
    assert form.line("birth_date").text() == "05/03/1941"  # decoded from the code
    type_text(qtbot, form.line("surname"), "Cantù")
    type_text(qtbot, form.line("given_name"), "Nicolò")
    comune = form.comune("residence_comune")
    comune.setFocus()
    qtbot.keyClicks(comune, "Abbiategrass")
    popup = comune.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.case_id is not None and editor.is_idle(), timeout=10_000)
    return editor


def _add_certification(qtbot: QtBot, window: MainWindow, editor: CaseEditor) -> None:
    panel = editor.certifications
    editor.tabs.setCurrentWidget(editor.tab_of("certifications"))
    qtbot.waitUntil(lambda: panel.is_loaded, timeout=10_000)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    kind = panel.form.combo("kind")
    kind.setCurrentIndex(kind.findData("l104_art3_c3"))
    type_text(qtbot, panel.form.inputs["issued_on"], "04/05/2020")
    qtbot.waitUntil(lambda: editor.is_idle() and panel.model.rowCount() == 1, timeout=10_000)
    save_screen(window, "path_2_certificazioni")


def _fill_istanza(qtbot: QtBot, window: MainWindow, editor: CaseEditor) -> None:
    editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
    panel = editor.istanze
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    wizard = panel.wizard
    assert wizard is not None
    wizard.showNormal()  # the offscreen screen is 800x800: look at it as on a 1366x768 laptop
    wizard.resize(1366, 768)
    wait_idle(qtbot, editor.session.tasks)
    _retype(qtbot, wizard.start.date, "15/01/2024")  # a paper istanza received that day
    qtbot.waitUntil(lambda: wizard.start.open_list.count() > 0, timeout=5_000)
    assert wizard.start.chosen_avviso() == "abbiatense-caregiver-2023"
    qtbot.mouseClick(wizard.start.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.data is not None, timeout=10_000)
    wizard.go_to(2)
    for check in wizard.declarations.checks.values():
        qtbot.mouseClick(check.box, Qt.MouseButton.LeftButton)
    wizard.go_to(3)
    qtbot.mouseClick(wizard.care.family_caregiver_only.box, Qt.MouseButton.LeftButton)
    wizard.go_to(4)
    qtbot.mouseClick(wizard.isee.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, wizard.isee.value, "18.500,00")
    qtbot.waitUntil(lambda: wizard.panel.statuses.get("isee") == "ok", timeout=5_000)
    assert wizard.panel.statuses.get("solo_caregiver") == "ok"
    _retype(qtbot, wizard.isee.value, "26.000,00")  # typed past the 25.000,00 € ceiling
    qtbot.waitUntil(lambda: wizard.panel.statuses.get("isee") == "ko", timeout=5_000)
    row = list(wizard.panel.statuses).index("isee")
    assert "25.000,00 €" in wizard.panel.checks.item(row).text()
    save_screen(wizard, "path_3_istanza_isee_oltre_soglia")
    _retype(qtbot, wizard.isee.value, "18.500,00")
    qtbot.waitUntil(lambda: wizard.panel.statuses.get("isee") == "ok", timeout=5_000)
    wizard.go_to(5)
    qtbot.mouseClick(wizard.requests.add_button, Qt.MouseButton.LeftButton)
    row = wizard.requests.rows[0]
    row.code.setCurrentIndex(row.code.findData("rimborso_domiciliare"))
    type_text(qtbot, row.amount, "900,00")
    type_text(qtbot, row.start, "01/03/2023")
    type_text(qtbot, row.end, "31/12/2023")
    qtbot.waitUntil(lambda: wizard.panel.line_statuses == ["ok"], timeout=5_000)
    wizard.go_to(6)
    type_text(qtbot, wizard.documents.received["documento_identita"], "15/01/2024")
    wizard.go_to(7)
    type_text(qtbot, wizard.payment.iban, "IT60 X054 2811 1010 0000 0123 456")
    qtbot.mouseClick(wizard.payment.use_applicant, Qt.MouseButton.LeftButton)
    wizard.go_to(8)
    qtbot.waitUntil(lambda: wizard.panel.outcome.text() == "Esito: Ammissibile", timeout=5_000)
    assert "900,00 €" in wizard.panel.amount.text()
    save_screen(wizard, "path_4_istanza_ammissibile")
    qtbot.mouseClick(wizard.submit_page.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(wizard.submit_page.result.text()), timeout=10_000)
    assert wizard.submit_page.result.text().startswith("Protocollo A010-2024-000001 del 15/01/2024")
    wizard.close()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert QApplication.activeModalWidget() is None  # closing saved nothing more, no error
    wait_idle(qtbot, editor.session.tasks)
    assert panel.model.index(0, 1).data() == "A010-2024-000001"
    save_screen(window, "path_5_istanze_della_cartella")


def _home_visit(qtbot: QtBot, editor: CaseEditor) -> None:
    assert editor.home_visit_button.isEnabled()
    qtbot.mouseClick(editor.home_visit_button, Qt.MouseButton.LeftButton)
    view = editor.home_visit
    assert view is not None
    wait_idle(qtbot, editor.session.tasks)
    qtbot.mouseClick(view.scale_buttons["adl-katz"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pages.currentIndex() == 1, timeout=10_000)
    for key in (Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1,
                Qt.Key.Key_1):  # fmt: skip
        qtbot.keyClick(view, key)
    wait_idle(qtbot, editor.session.tasks)  # the last answer is being saved
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    confirm = view.dialog  # "Chiudendo la scheda non sarà più modificabile: …"
    assert confirm is not None
    qtbot.mouseClick(confirm.buttons_by_role["close"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.completed, timeout=10_000)
    assert "Classe di Katz: C" in view.result.text()
    view.showNormal()
    view.resize(1366, 768)
    save_screen(view, "path_6_valutazione_adl")
    view.close()
    wait_idle(qtbot, editor.session.tasks)


def _sign_pi(qtbot: QtBot, editor: CaseEditor) -> None:
    panel = editor.istanze
    editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.pi_button, Qt.MouseButton.LeftButton)
    pi = panel.pi_editor
    assert pi is not None
    qtbot.waitUntil(pi.is_loaded, timeout=10_000)
    pi.showNormal()
    pi.resize(1366, 768)
    prefilled = PiContent.from_data(pi.current.content if pi.current else {})
    assert prefilled.header.protocol == "A010-2024-000001"
    assert [i.code for i in prefilled.interventions] == ["rimborso_domiciliare"]
    assert any(s.scale == "adl-katz" for s in prefilled.evaluation.scales)
    narrative = pi.narrative_field()
    narrative.setFocus()
    type_text(qtbot, narrative, "La figlia assiste il padre ogni giorno; chiede sollievo.")
    save_screen(pi, "path_7_progetto_individuale")
    signers = pi.signatories.rows
    for row in range(signers.table.rowCount()):
        signers.cell(row, "signed").setCheckState(Qt.CheckState.Checked)

    def confirm_signing() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SignDialog):
            dialog.accept()
        else:
            QTimer.singleShot(50, confirm_signing)

    QTimer.singleShot(50, confirm_signing)
    qtbot.mouseClick(pi.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pi.current is not None and pi.current.frozen, timeout=10_000)
    assert pi.current is not None and pi.current.status is PiStatus.FIRMATA
    signed = PiContent.from_data(pi.current.content)
    assert signed.evaluation.summary.endswith("chiede sollievo.")
    assert pi.narrative_field().isReadOnly()
    save_screen(pi, "path_8_pi_firmato")
    pi.close()
    wait_idle(qtbot, editor.session.tasks)


def test_social_worker_takes_a_new_case_to_a_signed_pi_on_the_caregiver_avviso(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    main_window.resize(1366, 768)
    editor = _new_case(qtbot, main_window)
    save_screen(main_window, "path_1_anagrafica")
    _add_certification(qtbot, main_window, editor)
    _fill_istanza(qtbot, main_window, editor)
    _home_visit(qtbot, editor)
    _sign_pi(qtbot, editor)
    editor.tabs.setCurrentWidget(editor.tab_of("assessments"))
    wait_idle(qtbot, session.tasks)
    save_screen(main_window, "path_9_valutazioni")


def test_amministrativo_sees_the_pi_without_the_evaluation_and_no_scales(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner, tmp_path: Path
) -> None:
    case_id, _istanza_id = seed_case(created.workspace)  # with a social evaluation and ADL
    created.workspace.add_operator(username="lbianchi", full_name="Lucia Bianchi",
                                   roles=frozenset({Role.AMMINISTRATIVO}),
                                   password="password-di-lucia")  # fmt: skip
    workspace = make_vault(created.vault.root).unlock("lbianchi", "password-di-lucia")
    qsettings = QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat)
    lucia = Session(workspace=workspace, tasks=tasks, info=load_session_info(workspace),
                    qsettings=qsettings)  # fmt: skip
    case = cases.open_case(workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                           now=lucia.now())  # fmt: skip
    editor = CaseEditor(lucia, case=case)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    tabs = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert "Valutazioni" not in tabs and "Istanze" in tabs
    assert editor.home_visit_button.isHidden()
    editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
    panel = editor.istanze
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.pi_button, Qt.MouseButton.LeftButton)
    pi = panel.pi_editor
    assert pi is not None
    qtbot.waitUntil(pi.is_loaded, timeout=10_000)
    assert pi.evaluation is None  # the narrative and the scales are not even built
    with pytest.raises(LookupError):
        pi.narrative_field()
    assert pi.current is not None and "evaluation" not in pi.current.content
    assert not pi.sign_button.isEnabled()  # the case manager signs what includes the evaluation
    pi.showNormal()
    pi.resize(1366, 768)
    save_screen(pi, "path_amministrativo_pi")
    pi.close()
    editor.close()
    wait_idle(qtbot, tasks)
    workspace.close()
