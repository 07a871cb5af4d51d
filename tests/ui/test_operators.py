"""Operator accounts: an administrator adds, resets and disables them; everyone changes their own
password. Real widgets over a real encrypted store; the results are checked by logging in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.roles import Permission, Role
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.operator_dialogs import NewOperatorDialog, SetOperatorPasswordDialog
from caseworker_app.ui.operators_view import OperatorsView
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner

from .conftest import USERNAME, CreatedStore, make_vault, type_text, wait_idle

GIULIA_PASSWORD = "password-di-giulia"


def _go_to(qtbot: QtBot, window: MainWindow, title: str) -> None:
    items = window.navigation.findItems(title, Qt.MatchFlag.MatchExactly)
    assert items, title
    rect = window.navigation.visualItemRect(items[0])
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _operators(qtbot: QtBot, window: MainWindow) -> OperatorsView:
    _go_to(qtbot, window, "Operatori")
    view = window.operators_view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    return view


def _row_of(view: OperatorsView, username: str) -> tuple[str, ...]:
    return next(row for row in view.model.rows if row[0] == username)


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def _fill_new_operator(
    qtbot: QtBot, dialog: NewOperatorDialog, *, username: str, confirm: str
) -> None:
    type_text(qtbot, dialog.full_name, "Lucia Bianchi")
    type_text(qtbot, dialog.username, username)
    check = dialog.role_checks[Role.AMMINISTRATIVO]
    # On the box itself: a check box stretched across the form only reacts on its text.
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked()
    type_text(qtbot, dialog.passwords.password, "una-frase-lunga")
    type_text(qtbot, dialog.passwords.confirm, confirm)


@pytest.fixture
def giulia(created: CreatedStore) -> str:
    """A social worker colleague of the administrator."""
    created.workspace.add_operator(
        username="gverdi",
        full_name="Giulia Verdi",
        roles=frozenset({Role.ASSISTENTE_SOCIALE}),
        password=GIULIA_PASSWORD,
    )
    return "gverdi"


@pytest.fixture
def giulia_window(
    qtbot: QtBot, created: CreatedStore, giulia: str, tasks: TaskRunner, tmp_path: Path
) -> Iterator[MainWindow]:
    workspace = make_vault(created.vault.root).unlock(giulia, GIULIA_PASSWORD)
    session = Session(
        workspace=workspace,
        tasks=tasks,
        info=load_session_info(workspace),
        qsettings=QSettings(str(tmp_path / "giulia.ini"), QSettings.Format.IniFormat),
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    wait_idle(qtbot, tasks)
    workspace.close()


def test_admin_adds_an_administrative_operator_who_can_then_log_in(
    qtbot: QtBot, main_window: MainWindow, session: Session, created: CreatedStore
) -> None:
    view = _operators(qtbot, main_window)
    assert _row_of(view, USERNAME) == (
        USERNAME,
        "Maria Rossi",
        "assistente sociale",  # proposed at setup from the roles of a comune's installation
        "Assistente sociale, Amministratore",
        "attivo",
    )
    _click(qtbot, view.new_button)
    dialog = view.dialog
    assert isinstance(dialog, NewOperatorDialog) and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()
    _fill_new_operator(qtbot, dialog, username="lbianchi", confirm="una-frase-lunga")
    assert dialog.ok_button.isEnabled()
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=10_000)  # closed
    qtbot.waitUntil(lambda: any(r[0] == "lbianchi" for r in view.model.rows), timeout=10_000)
    assert _row_of(view, "lbianchi") == (
        "lbianchi", "Lucia Bianchi", "amministrativo", "Amministrativo", "attivo")  # fmt: skip
    assert view.selected() is not None and view.selected().username == "lbianchi"  # type: ignore[union-attr]

    lucia = make_vault(created.vault.root).unlock("lbianchi", "una-frase-lunga")
    try:
        assert lucia.actor.roles == frozenset({Role.AMMINISTRATIVO})
        assert lucia.actor.can(Permission.EDIT_CASES)
        assert not lucia.actor.can(Permission.READ_HEALTH)  # no scales, evaluations, PI
        assert not lucia.actor.can(Permission.MANAGE_OPERATORS)
    finally:
        lucia.close()


def test_admin_disables_an_operator_who_can_no_longer_log_in(
    qtbot: QtBot, main_window: MainWindow, created: CreatedStore, giulia: str
) -> None:
    view = _operators(qtbot, main_window)
    view.select(USERNAME)
    assert not view.disable_button.isEnabled()  # never one's own account
    assert not view.password_button.isEnabled()
    view.select(giulia)
    assert view.disable_button.isEnabled()
    _click(qtbot, view.disable_button)
    box = view.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Giulia Verdi (gverdi)" in box.text()
    assert "registro attività" in box.informativeText()
    _click(qtbot, view.confirm_disable_button)
    qtbot.waitUntil(lambda: _row_of(view, giulia)[4] == "disattivato", timeout=10_000)
    assert not view.disable_button.isEnabled()  # already disabled, still selected
    assert view.summary.text() == "2 operatori, di cui 1 attivi."

    with pytest.raises(UserFacingError) as refused:
        make_vault(created.vault.root).unlock(giulia, GIULIA_PASSWORD)
    assert refused.value.code == "auth.wrong_credentials"

    # She comes back: a new password set by the administrator re-enables the account.
    assert view.password_button.isEnabled()
    _click(qtbot, view.password_button)
    dialog = view.dialog
    assert isinstance(dialog, SetOperatorPasswordDialog)
    type_text(qtbot, dialog.passwords.password, "bentornata-giulia")
    type_text(qtbot, dialog.passwords.confirm, "bentornata-giulia")
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: _row_of(view, giulia)[4] == "attivo", timeout=10_000)
    back = make_vault(created.vault.root).unlock(giulia, "bentornata-giulia")
    back.close()


def test_operator_changes_own_password(
    qtbot: QtBot, giulia_window: MainWindow, created: CreatedStore, giulia: str
) -> None:
    window = giulia_window
    assert window.password_action in window.menuBar().actions()[0].menu().actions()  # type: ignore[union-attr]
    window.password_action.trigger()
    dialog = window.settings_view.password_dialog
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.old_password, "non-me-la-ricordo")
    type_text(qtbot, dialog.passwords.password, "la-mia-nuova-frase")
    type_text(qtbot, dialog.passwords.confirm, "la-mia-nuova-frase")
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(dialog.old_problem.isVisible, timeout=10_000)
    assert dialog.old_problem.text() == "La password attuale non è corretta: riscrivila."
    assert dialog.isVisible() and dialog.passwords.text() == "la-mia-nuova-frase"

    dialog.old_password.setText(GIULIA_PASSWORD)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.settings_view.password_dialog is None, timeout=10_000)
    assert window.statusBar().currentMessage().startswith("Password cambiata")

    with pytest.raises(UserFacingError):
        make_vault(created.vault.root).unlock(giulia, GIULIA_PASSWORD)
    again = make_vault(created.vault.root).unlock(giulia, "la-mia-nuova-frase")
    again.close()
    # The lock screen also wants the new password.
    assert window.session.workspace.verify_password("la-mia-nuova-frase")


def test_non_admin_does_not_see_operator_management(giulia_window: MainWindow) -> None:
    labels = [
        giulia_window.navigation.item(i).text() for i in range(giulia_window.navigation.count())
    ]
    assert "Operatori" not in labels
    assert giulia_window.operators_view is None
    assert not giulia_window.findChildren(OperatorsView)
    # Changing one's own password is for everyone.
    assert giulia_window.settings_view.password_button.isEnabled()


def test_new_operator_dialog_keeps_values_on_error(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    view = _operators(qtbot, main_window)
    _click(qtbot, view.new_button)
    dialog = view.dialog
    assert isinstance(dialog, NewOperatorDialog)
    _fill_new_operator(qtbot, dialog, username=USERNAME, confirm="una-frase-lungA")
    assert dialog.passwords.problem.isVisible()
    assert "non coincidono" in dialog.passwords.problem.text()
    assert not dialog.ok_button.isEnabled()

    dialog.passwords.confirm.setText("una-frase-lunga")
    assert not dialog.passwords.problem.isVisible()
    _click(qtbot, dialog.ok_button)  # mrossi is taken
    qtbot.waitUntil(dialog.username_problem.isVisible, timeout=10_000)
    wait_idle(qtbot, session.tasks)
    assert dialog.username_problem.text().startswith("Nome utente già in uso")
    assert dialog.isVisible()
    assert dialog.full_name.text() == "Lucia Bianchi"
    assert dialog.username.text() == USERNAME
    assert dialog.roles() == frozenset({Role.AMMINISTRATIVO})
    assert dialog.passwords.text() == dialog.passwords.confirm.text() == "una-frase-lunga"
    assert dialog.username.isEnabled() and dialog.ok_button.isEnabled()

    dialog.username.setText("l.bianchi")
    assert not dialog.username_problem.isVisible()
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=10_000)  # closed
    qtbot.waitUntil(lambda: any(r[0] == "l.bianchi" for r in view.model.rows), timeout=10_000)


def test_locking_hides_an_open_password_dialog_until_unlocked(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    dialog = main_window.settings_view.open_change_password()
    type_text(qtbot, dialog.old_password, "quasi-finito")
    main_window.lock()
    assert not dialog.isVisible()  # nobody walking by can go on typing in it
    main_window.lock_view.password.setText("password-lunga-1")
    main_window.lock_view.on_unlock_clicked()
    qtbot.waitUntil(lambda: not main_window.is_locked(), timeout=10_000)
    assert dialog.isVisible() and dialog.old_password.text() == "quasi-finito"
    dialog.reject()
