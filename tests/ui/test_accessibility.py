"""Every control can be named by a screen reader, and the keyboard walks the form in order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from caseworker_app.services import cases
from caseworker_app.ui.anagrafica_fields import FIELD_NAMES
from caseworker_app.ui.backup import BackupController
from caseworker_app.ui.login_dialog import LoginDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.operator_dialogs import (
    ChangeOwnPasswordDialog,
    NewOperatorDialog,
    SetOperatorPasswordDialog,
)
from caseworker_app.ui.session import Session
from caseworker_app.ui.setup_wizard import SetupWizard
from caseworker_app.ui.tasks import TaskRunner

from .conftest import CreatedStore, make_vault, wait_idle


def _is_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a composite control (the line edit of a spin box, the header
    of a table, the scroll and close buttons of a tab bar, …)."""
    if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView):
        return True
    if isinstance(widget.parentWidget(), QTabBar):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox | QCalendarWidget):
            return True
        parent = parent.parentWidget()
    return type(widget).__module__ != "PySide6.QtWidgets" and not type(
        widget
    ).__module__.startswith("caseworker_app")


def _unnamed(root: QWidget) -> list[str]:
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QAbstractButton)
    unnamed = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or _is_internal(widget):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            parent = type(widget.parentWidget()).__name__
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r} in {parent}")
    return unnamed


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, main_window: MainWindow, created: CreatedStore, tasks: TaskRunner
) -> None:
    page = main_window.cases_page
    assert page is not None
    page.new_case()
    assert _unnamed(main_window) == []
    login = LoginDialog(created.vault, tasks)
    qtbot.addWidget(login)
    assert _unnamed(login) == []
    wizard = SetupWizard(created.vault, tasks, gateway_for=make_vault)
    qtbot.addWidget(wizard)
    assert _unnamed(wizard) == []


def test_operator_dialogs_name_every_control(
    qtbot: QtBot, main_window: MainWindow, created: CreatedStore, tasks: TaskRunner
) -> None:
    workspace = created.workspace
    me = next(o for o in workspace.list_operators() if o.username == workspace.actor.username)
    for dialog in (
        NewOperatorDialog(workspace, tasks, main_window),
        SetOperatorPasswordDialog(workspace, tasks, me, main_window),
        ChangeOwnPasswordDialog(workspace, tasks, main_window),
    ):
        qtbot.addWidget(dialog)
        assert _unnamed(dialog) == [], type(dialog).__name__


def test_keyboard_walks_the_anagrafica_in_reading_order(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    page = main_window.cases_page
    assert page is not None
    editor = page.new_case()
    main_window.activateWindow()
    first = editor.form.inputs[FIELD_NAMES[0]]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    visited = [FIELD_NAMES[0]]
    for _ in FIELD_NAMES[1:]:
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        visited.append(now.objectName())
    assert tuple(visited) == FIELD_NAMES


def test_case_sections_wizard_home_visit_and_pi_name_every_control(
    qtbot: QtBot, session: Session
) -> None:
    from caseworker_app.ui.case_editor import CaseEditor
    from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
    from caseworker_app.ui.pi_editor import PiEditorView
    from caseworker_app.ui.scadenze_view import ScadenzeView
    from tests.integration.pi_typist import seed_case

    ws = session.workspace
    case_id, istanza_id = seed_case(ws)
    case = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=session.now())
    editor = CaseEditor(session, case=case)
    qtbot.addWidget(editor)
    editor.show()
    for index in range(editor.tabs.count()):  # every section, built as the user opens it
        editor.tabs.setCurrentIndex(index)
        wait_idle(qtbot, session.tasks)
    assert _unnamed(editor) == []
    qtbot.mouseClick(editor.home_visit_button, Qt.MouseButton.LeftButton)
    assert editor.home_visit is not None
    wait_idle(qtbot, session.tasks)
    assert _unnamed(editor.home_visit) == []
    editor.home_visit.close()
    wizard = IstanzaWizardView(session, case_id=case_id, person="Prova Ada",
                               istanza_id=istanza_id)  # fmt: skip
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.data is not None, timeout=10_000)
    assert _unnamed(wizard) == []
    wizard.close()
    pi = PiEditorView(session, istanza_id=istanza_id)
    qtbot.addWidget(pi)
    pi.show()
    qtbot.waitUntil(pi.is_loaded, timeout=10_000)
    assert _unnamed(pi) == []
    pi.close()
    scadenze = ScadenzeView(session, BackupController(session, editor))
    qtbot.addWidget(scadenze)
    scadenze.activate()
    wait_idle(qtbot, session.tasks)
    assert _unnamed(scadenze) == []
