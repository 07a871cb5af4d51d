"""First run: the wizard creates the store and shows the recovery code once."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from caseworker_app.ui.setup_wizard import SetupWizard
from caseworker_app.ui.tasks import TaskRunner

from .conftest import make_vault

RECOVERY_CODE = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$")


def _click(qtbot: QtBot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def test_first_run_wizard_creates_store_and_shows_recovery_code(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner
) -> None:
    gateway = make_vault(tmp_path / "default")
    wizard = SetupWizard(gateway, tasks, gateway_for=make_vault)
    qtbot.addWidget(wizard)
    wizard.show()

    assert wizard.currentPage() is wizard.role_page
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    place = wizard.place_page
    qtbot.waitUntil(lambda: place.comune.count() > 0, timeout=10_000)
    assert place.ambito_id() == "abbiatense" or place.ambito.count() > 1
    place.ambito.setCurrentIndex(place.ambito.findData("abbiatense"))
    place.comune.setCurrentIndex(place.comune.findData("C733"))  # Cisliano
    assert place.comune.currentText() == "Cisliano (C733)"
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    operator = wizard.operator_page
    assert wizard.currentPage() is operator
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    qtbot.keyClicks(operator.full_name, "Lucia Bianchi")
    qtbot.keyClicks(operator.username, "lbianchi")
    qtbot.keyClicks(operator.passwords.password, "corta")
    assert operator.passwords.hint.property("severity") == "error"  # the policy, live, in red
    operator.passwords.password.clear()
    qtbot.keyClicks(operator.passwords.password, "una-frase-lunga")
    qtbot.keyClicks(operator.passwords.confirm, "una-frase-lunga")
    assert next_button.isEnabled()
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    location = wizard.location_page
    assert wizard.currentPage() is location
    assert location.path.text() == str(tmp_path / "default")
    elsewhere = tmp_path / "altrove"
    elsewhere.mkdir()
    wizard.use_folder(elsewhere)  # what "Scegli un'altra cartella…" does after the dialog
    assert location.path.text() == str(elsewhere)
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)

    recovery = wizard.recovery_page
    qtbot.waitUntil(lambda: wizard.currentPage() is recovery, timeout=10_000)
    assert RECOVERY_CODE.match(recovery.code.text())
    assert recovery.code.text() == wizard.recovery_code
    assert "file delle chiavi accanto all'archivio" in recovery.keystore.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the code must be noted first
    wizard.reject()  # Esc does not skip the recovery code
    assert wizard.isVisible()
    recovery.noted.click()
    assert finish.isEnabled()
    with qtbot.waitSignal(wizard.setup_finished, timeout=5_000) as blocker:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    workspace = blocker.args[0]
    assert workspace.actor.username == "lbianchi"
    workspace.close()

    assert (elsewhere / "store.json").exists()
    assert not (tmp_path / "default").exists()
    reopened = make_vault(elsewhere).recover(recovery.code.text(), "lbianchi", "altra-frase-2")
    reopened.close()
