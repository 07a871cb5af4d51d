"""Every top-level window on a 1366×768 laptop: it fits the screen's available area and its main
buttons are visible, whole, inside it. Qt's own dialogs speak Italian.

The offscreen screen of the GUI tests is 1366×768 (``tests/ui/conftest.py``). Each window is
saved as ``.artifacts/screens/size_*.png``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QStyleOptionViewItem,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from caseworker_app.app import setup_application
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.services import istanza_wizard as wizard_service
from caseworker_app.ui import i18n
from caseworker_app.ui.assessments_tab import AssessmentsTab
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.case_istanze_panel import CaseIstanzePanel
from caseworker_app.ui.istanza_wizard.detail import IstanzaDetailView
from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
from caseworker_app.ui.login_dialog import LoginDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.pi_editor.rows_table import ChoiceDelegate, Column, RowsTable
from caseworker_app.ui.screen_fit import FRAME_ALLOWANCE, available_area, fit_to_screen
from caseworker_app.ui.session import Session
from caseworker_app.ui.setup_wizard import SetupWizard
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import apply_theme
from tests.integration.pi_typist import seed_case

from .conftest import USERNAME, CreatedStore, make_vault, save_screen, wait_idle


def assert_fits(qtbot: QtBot, window: QWidget, buttons: list[QAbstractButton], name: str) -> None:
    """``window`` lies inside the available area, and would with a real title bar and border
    (the offscreen frame is 2 pixels: a maximised window is sized by the window manager);
    each button is shown whole inside it."""
    qtbot.waitExposed(window)
    QApplication.processEvents()
    area = available_area(window)
    assert area.size().toTuple() == (1366, 768)
    frame = window.frameGeometry()
    assert area.contains(frame), f"{name}: the window {frame} exceeds the screen {area}"
    if not window.isMaximized():
        framed = window.size() + FRAME_ALLOWANCE
        assert framed.width() <= area.width() and framed.height() <= area.height(), (
            f"{name}: {window.size()} with its title bar does not fit {area.size()}"
        )
    inside = window.rect()
    for button in buttons:
        label = f"{name}: «{button.text()}»"
        assert button.isVisible(), f"{label} is not shown"
        place = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert inside.contains(place), f"{label} at {place} is outside the window {inside}"
        shown = button.visibleRegion().boundingRect()
        assert shown == button.rect(), f"{label} is cut: {shown} of {button.rect()}"
    save_screen(window, f"size_{name}")


def _case_editor(qtbot: QtBot, window: MainWindow, case_id: CaseId) -> CaseEditor:
    page = window.cases_page
    assert page is not None
    opened: list[CaseEditor] = []
    page.open_case(case_id, opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    wait_idle(qtbot, window.session.tasks)
    return opened[0]


def _istanze_panel(qtbot: QtBot, editor: CaseEditor) -> CaseIstanzePanel:
    editor.tabs.setCurrentWidget(editor.tab_of("istanze"))
    panel = editor.istanze
    qtbot.waitUntil(lambda: panel.selected() is not None, timeout=10_000)
    return panel


@pytest.fixture
def seeded(session: Session) -> tuple[CaseId, IstanzaId]:
    case_id, istanza_id = seed_case(session.workspace)
    return CaseId(case_id), IstanzaId(istanza_id)


# -- Qt's own texts --------------------------------------------------------------------------


@pytest.fixture
def fresh_app(qapp: QApplication) -> Iterator[QApplication]:
    """The session application as at start-up: no Qt catalog installed yet."""
    quit_on_close = qapp.quitOnLastWindowClosed()
    i18n.uninstall_qt_translations(qapp)
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Look in:"
    yield qapp
    qapp.setQuitOnLastWindowClosed(quit_on_close)
    i18n.uninstall_qt_translations(qapp)
    apply_theme(qapp)


def test_qt_file_dialogs_speak_italian_after_start_up(
    qtbot: QtBot, fresh_app: QApplication
) -> None:
    setup_application(fresh_app)
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Cerca in:"
    dialog = QFileDialog(None, "Scegli il file")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    look_in = dialog.findChild(QLabel, "lookInLabel")
    file_type = dialog.findChild(QLabel, "fileTypeLabel")
    assert look_in is not None and file_type is not None
    assert look_in.text() == "&Cerca in:"
    assert file_type.text() == "File di &tipo:"
    assert dialog.findChild(QLabel, "fileNameLabel").text() == "&Nome del file:"


def test_a_frozen_build_finds_qt_catalog_beside_the_bundled_pyside6(tmp_path: Path) -> None:
    """PyInstaller bundles keep the catalog under ``_MEIPASS/PySide6/Qt/translations`` while
    Qt's library path may name a folder that is not there."""
    real = i18n.find_qt_catalog(i18n.translation_dirs())
    assert real is not None
    bundle = tmp_path / "bundle"
    bundled = bundle / "PySide6" / "Qt" / "translations"
    bundled.mkdir(parents=True)
    (bundled / i18n.QT_CATALOG).write_bytes((real / i18n.QT_CATALOG).read_bytes())
    folders = i18n.translation_dirs(
        library_path=str(tmp_path / "missing"),
        frozen_root=str(bundle),
        package_dir=tmp_path / "none",
    )
    assert i18n.find_qt_catalog(folders) == bundled


# -- the windows at 1366×768 -------------------------------------------------------------------


def test_login_fits(qtbot: QtBot, created: CreatedStore, tasks: TaskRunner) -> None:
    login = LoginDialog(created.vault, tasks, username=USERNAME)
    qtbot.addWidget(login)
    fit_to_screen(login)
    login.show()
    assert_fits(
        qtbot, login, [login.login_button, login.forgot_button, login.restore_button], "login"
    )


def test_setup_wizard_fits(qtbot: QtBot, tmp_path: Path, tasks: TaskRunner) -> None:
    wizard = SetupWizard(make_vault(tmp_path / "new"), tasks, gateway_for=make_vault)
    qtbot.addWidget(wizard)
    fit_to_screen(wizard)
    wizard.show()
    buttons = [
        wizard.button(QWizard.WizardButton.NextButton),
        wizard.button(QWizard.WizardButton.CancelButton),
    ]
    assert_fits(qtbot, wizard, buttons, "setup_wizard")


def test_main_window_and_its_sections_fit(qtbot: QtBot, main_window: MainWindow) -> None:
    window = main_window
    page = window.cases_page
    assert page is not None
    wait_idle(qtbot, window.session.tasks)
    assert_fits(qtbot, window, [page.list_view.new_button], "main_cases")
    window.show_section(window.scadenze_view)
    wait_idle(qtbot, window.session.tasks)
    assert_fits(qtbot, window, [window.scadenze_view.backup_button], "main_scadenze")
    settings = window.settings_view
    window.show_section(settings)
    assert_fits(qtbot, window, [settings.backup_button, settings.password_button], "main_settings")
    operators = window.operators_view
    assert operators is not None
    window.show_section(operators)
    wait_idle(qtbot, window.session.tasks)
    assert_fits(
        qtbot,
        window,
        [operators.new_button, operators.password_button, operators.disable_button],
        "main_operators",
    )
    audit = window.audit_view
    assert audit is not None
    window.show_section(audit)
    wait_idle(qtbot, window.session.tasks)
    assert_fits(qtbot, window, [audit.verify_button, audit.search_button], "main_audit")
    window.lock()
    assert_fits(
        qtbot, window, [window.lock_view.unlock_button, window.lock_view.quit_button], "main_lock"
    )


def test_case_editor_tabs_fit(
    qtbot: QtBot, main_window: MainWindow, seeded: tuple[CaseId, IstanzaId]
) -> None:
    editor = _case_editor(qtbot, main_window, seeded[0])
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        wait_idle(qtbot, main_window.session.tasks)
        assert_fits(qtbot, main_window, [editor.home_visit_button], f"case_tab_{index}")
    panel = _istanze_panel(qtbot, editor)
    assert_fits(
        qtbot,
        main_window,
        [panel.new_button, panel.open_button, panel.pi_button, panel.print_button],
        "case_istanze",
    )


def test_valutazioni_tab_has_the_margins_of_the_other_tabs(
    qtbot: QtBot, main_window: MainWindow, seeded: tuple[CaseId, IstanzaId]
) -> None:
    editor = _case_editor(qtbot, main_window, seeded[0])
    panel = _istanze_panel(qtbot, editor)
    holder = editor.tab_of("assessments")
    editor.tabs.setCurrentWidget(holder)
    tab = getattr(holder, "widget", None)
    assert isinstance(tab, AssessmentsTab)
    view = tab.view
    assert view is not None
    qtbot.waitUntil(lambda: view.data is not None, timeout=10_000)
    QApplication.processEvents()
    assert tab.layout().contentsMargins() == panel.layout().contentsMargins()
    table = view.table.mapTo(tab, QPoint(0, 0))
    assert table.x() >= 12 and table.y() >= 8
    button = tab.print_button.mapTo(tab, QPoint(0, 0))
    assert button.x() + tab.print_button.width() <= tab.width() - 12
    save_screen(main_window, "size_case_valutazioni")


def test_istanza_wizard_new_and_reopened_fit(
    qtbot: QtBot, main_window: MainWindow, seeded: tuple[CaseId, IstanzaId]
) -> None:
    editor = _case_editor(qtbot, main_window, seeded[0])
    panel = _istanze_panel(qtbot, editor)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    wizard = panel.wizard
    assert wizard is not None
    wait_idle(qtbot, main_window.session.tasks)
    assert_fits(
        qtbot,
        wizard,
        [wizard.close_button, wizard.back_button, wizard.next_button, wizard.start.create_button],
        "istanza_wizard_new",
    )
    wizard.close()

    detail = panel.open_detail(seeded[1])
    qtbot.waitUntil(lambda: detail.detail is not None, timeout=10_000)
    wait_idle(qtbot, main_window.session.tasks)
    assert_fits(
        qtbot,
        detail,
        [detail.open_button, detail.change_button, detail.close_button],
        "istanza_detail",
    )
    qtbot.mouseClick(detail.open_button, Qt.MouseButton.LeftButton)
    reopened = detail.wizard
    assert reopened is not None
    qtbot.waitUntil(lambda: reopened.data is not None, timeout=10_000)
    wait_idle(qtbot, main_window.session.tasks)
    for step in range(reopened.nav.count()):
        reopened.go_to(step)
        assert_fits(
            qtbot,
            reopened,
            [reopened.close_button, reopened.back_button, reopened.next_button],
            f"istanza_wizard_reopened_{step}",
        )
    reopened.showNormal()  # restored from maximised: still inside the screen
    assert_fits(qtbot, reopened, [reopened.close_button], "istanza_wizard_reopened_normal")


def test_chiudi_saves_what_was_typed_and_closes_the_wizard(
    qtbot: QtBot, session: Session, main_window: MainWindow, seeded: tuple[CaseId, IstanzaId]
) -> None:
    editor = _case_editor(qtbot, main_window, seeded[0])
    panel = _istanze_panel(qtbot, editor)
    detail = panel.open_detail(seeded[1])
    qtbot.waitUntil(lambda: detail.detail is not None, timeout=10_000)
    qtbot.mouseClick(detail.open_button, Qt.MouseButton.LeftButton)
    wizard = detail.wizard
    assert isinstance(wizard, IstanzaWizardView)
    qtbot.waitUntil(lambda: wizard.data is not None, timeout=10_000)
    wizard.go_to(7)
    wizard.payment.iban.setFocus()
    qtbot.keyClicks(wizard.payment.iban, "IT60X0542811101000000123456")
    qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)  # before the autosave pause
    assert not wizard.isVisible()
    wait_idle(qtbot, session.tasks)
    ws = session.workspace
    saved = wizard_service.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=seeded[1])
    assert "0123456" in saved.content.iban.replace(" ", "")


def test_pi_editor_home_visit_and_print_preview_fit(
    qtbot: QtBot, main_window: MainWindow, seeded: tuple[CaseId, IstanzaId]
) -> None:
    editor = _case_editor(qtbot, main_window, seeded[0])
    panel = _istanze_panel(qtbot, editor)
    panel.open_pi(seeded[1])
    pi = panel.pi_editor
    assert pi is not None
    qtbot.waitUntil(pi.is_loaded, timeout=20_000)
    wait_idle(qtbot, main_window.session.tasks)
    assert_fits(qtbot, pi, [pi.sign_button, pi.print_button, pi.signatures_button], "pi_editor")
    qtbot.mouseClick(pi.print_button, Qt.MouseButton.LeftButton)
    preview = pi.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.prepared is not None, timeout=20_000)
    assert_fits(
        qtbot,
        preview,
        [preview.print_button, preview.save_button, preview.close_button],
        "print_preview",
    )
    preview.close()
    pi.close()

    qtbot.mouseClick(editor.home_visit_button, Qt.MouseButton.LeftButton)
    visit = editor.home_visit
    assert visit is not None
    wait_idle(qtbot, main_window.session.tasks)
    assert_fits(qtbot, visit, [visit.close_button], "home_visit")


def test_istanza_detail_from_the_istanze_list_fits(
    qtbot: QtBot, session: Session, seeded: tuple[CaseId, IstanzaId]
) -> None:
    detail = IstanzaDetailView(session, istanza_id=seeded[1])
    qtbot.addWidget(detail)
    detail.resize(1600, 1000)  # e.g. a size remembered on a bigger screen
    fit_to_screen(detail)
    detail.show()
    qtbot.waitUntil(lambda: detail.detail is not None, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert_fits(qtbot, detail, [detail.open_button, detail.close_button], "istanza_detail_big")


# -- long texts in the PI editor ---------------------------------------------------------------

LONG_CHOICE = "Assistente familiare con contratto di lavoro domestico (CCNL) per almeno 25 ore"


def test_a_long_pi_choice_opens_in_full_without_widening_its_window(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    delegate = ChoiceDelegate({"assistente": LONG_CHOICE, "sad": "SAD"})
    editor = delegate.createEditor(holder, QStyleOptionViewItem(), QModelIndex())
    assert isinstance(editor, QComboBox)
    text_width = editor.fontMetrics().horizontalAdvance(LONG_CHOICE)
    assert editor.minimumSizeHint().width() < text_width  # the cell does not force it wide
    assert editor.view().minimumWidth() >= text_width  # the list shows the entry whole
    assert editor.itemData(0, Qt.ItemDataRole.ToolTipRole) == LONG_CHOICE


def test_a_pi_row_grows_to_show_a_long_message_in_full(qtbot: QtBot) -> None:
    rows = RowsTable(
        [Column("what", "Intervento"), Column("outcome", "Esito", kind="output", width=180)],
        name="Interventi",
    )
    qtbot.addWidget(rows)
    rows.resize(520, 200)
    rows.show()
    qtbot.waitExposed(rows)
    rows.load([{"what": "SAD"}])
    one_line = rows.table.rowHeight(0)
    rows.set_output(
        0,
        "outcome",
        "Ridotta da 600,00 € a 400,00 €: massimo 1.200,00 € per "
        "istanza, già chiesti 800,00 € con un'altra istanza",
    )
    assert rows.table.rowHeight(0) > one_line
    shown = rows.table.visualItemRect(rows.cell(0, "outcome"))
    assert rows.table.viewport().rect().contains(shown)


def test_the_istanza_intervention_list_opens_as_wide_as_its_entries(
    qtbot: QtBot, main_window: MainWindow, seeded: tuple[CaseId, IstanzaId]
) -> None:
    editor = _case_editor(qtbot, main_window, seeded[0])
    panel = _istanze_panel(qtbot, editor)
    detail = panel.open_detail(seeded[1])
    qtbot.waitUntil(lambda: detail.detail is not None, timeout=10_000)
    qtbot.mouseClick(detail.open_button, Qt.MouseButton.LeftButton)
    wizard = detail.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.data is not None, timeout=10_000)
    wizard.go_to(5)
    combo = wizard.requests.rows[0].code
    widest = max(
        combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())
    )
    assert combo.width() < widest  # the row stays narrow
    assert combo.view().minimumWidth() >= widest
