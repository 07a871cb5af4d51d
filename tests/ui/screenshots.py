"""Grab every window offscreen into /tmp/shots/ to look at what was built.

Not a test (pytest does not collect it). Run::

    .venv/bin/python -m tests.ui.screenshots [--out /tmp/shots]
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.roles import Role
from caseworker_app.ports.gateway import RestoreReport, SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services.demo import load_demo
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.errors import BugReportDialog, bug_details
from caseworker_app.ui.login_dialog import LoginDialog
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.operator_dialogs import NewOperatorDialog, SetOperatorPasswordDialog
from caseworker_app.ui.recovery_dialogs import RecoveryDialog, RestoreDialog
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.setup_wizard import SetupWizard
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import apply_theme

PASSWORD = "password-lunga-1"


def wait(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("condition not met")
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def settle(seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def shoot(widget: QWidget, out: Path, name: str) -> None:
    settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def vault(root: Path) -> Vault:
    return Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")


def wizard_shots(out: Path, work: Path, tasks: TaskRunner) -> None:
    wizard = SetupWizard(vault(work / "wizard"), tasks, gateway_for=vault)
    wizard.show()
    shoot(wizard, out, "01-wizard-role")
    wizard.next()
    wait(lambda: wizard.place_page.comune.count() > 0)
    shoot(wizard, out, "02-wizard-place")
    wizard.next()
    page = wizard.operator_page
    page.full_name.setText("Lucia Bianchi")
    page.username.setText("lbianchi")
    page.passwords.password.setText("corta")
    shoot(wizard, out, "03-wizard-operator-problem")
    page.passwords.password.setText("una-frase-lunga")
    page.passwords.confirm.setText("una-frase-lunga")
    wizard.next()
    shoot(wizard, out, "04-wizard-location")
    wizard.button(QWizard.WizardButton.CommitButton).click()
    wait(lambda: wizard.currentPage() is wizard.recovery_page)
    shoot(wizard, out, "05-wizard-recovery-code")
    wizard.recovery_page.noted.setChecked(True)
    wizard.accept()
    if wizard.workspace is not None:
        wizard.workspace.close()


def login_shots(out: Path, store: Vault, tasks: TaskRunner) -> None:
    login = LoginDialog(store, tasks, username="mrossi")
    login.show()
    shoot(login, out, "10-login")
    login.password.setText("sbagliata-davvero")
    login.on_login_clicked()
    wait(lambda: login.error.isVisible())
    shoot(login, out, "11-login-wrong-password")
    login.on_unlock_failed(UserFacingError("store.corrupt", file="caseworker.db"))
    shoot(login, out, "12-login-corrupt-store")
    recovery = RecoveryDialog(store, tasks, username="mrossi", parent=login)
    recovery.show()
    recovery.new_password.password.setText("nuova")
    shoot(recovery, out, "13-recovery-dialog")
    recovery.close()
    restore = RestoreDialog(store, tasks, parent=login)
    restore.show()
    shoot(restore, out, "14-restore-dialog")
    restore.close()
    login.on_restored(RestoreReport(store.root, store.root.with_name("store.sostituito-20261202")))
    shoot(login, out, "15-login-after-restore")
    login.close()


def main_shots(out: Path, store: Vault, tasks: TaskRunner, work: Path) -> None:
    workspace = store.unlock("mrossi", PASSWORD)
    qsettings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    session = Session(
        workspace=workspace, tasks=tasks, info=load_session_info(workspace), qsettings=qsettings
    )
    window = MainWindow(session)
    window.resize(1366, 768)
    window.show()
    page = window.cases_page
    assert page is not None
    wait(lambda: page.list_view.model.rowCount() > 0 and tasks.pending == 0)
    shoot(window, out, "20-main-cases")
    page.list_view.search.setText("nicolo")
    wait(lambda: tasks.pending == 0 and not page.list_view.model.is_loading())
    settle(0.3)
    shoot(window, out, "21-main-search-accents")

    editor = page.new_case()
    form = editor.form
    form.line("codice_fiscale").setText("CNTNCL41C05F205Q")
    form.touched.update({"codice_fiscale", "surname", "residence_comune"})
    form.line("given_name").setText("Nicolò")
    form.line("birth_date").setText("06/03/1941")
    form.line("residence_cap").setText("2008")
    form.line("email").setText("nicolo@")
    form.line("given_name").setFocus()
    form.revalidate()
    editor.on_form_edited()
    shoot(window, out, "22-editor-validation")
    editor2 = page.new_case()
    from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
    from caseworker_app.domain.person import Sex

    code = encode_codice_fiscale(
        surname="Cantù",
        given_name="Nicolò",
        sex=Sex.M,
        birth_date=datetime(1941, 3, 5).date(),
        birthplace_code="F205",
    )
    form2 = editor2.form
    form2.line("codice_fiscale").setText(code)
    form2._on_edited("codice_fiscale")
    form2.line("surname").setText("Cantù")
    form2.line("given_name").setText("Nicolò")
    form2.comune("residence_comune").set_code("A010")
    form2.line("residence_address").setText("Via Roma, 1")
    form2.line("residence_cap").setText("20081")
    form2.citizenship().set_code("IT")
    form2.revalidate()
    editor2.on_form_edited()
    editor2.save_now()
    wait(lambda: editor2.is_idle() and tasks.pending == 0)
    shoot(window, out, "23-editor-saved")
    window.activateWindow()
    settle()
    form2.comune("domicile_comune").setFocus()
    form2.comune("domicile_comune").setText("Cislan")
    form2.comune("domicile_comune").on_text_edited("Cislan")
    settle(0.3)
    shoot(window, out, "24-editor-comune-completer")
    popup = form2.comune("domicile_comune").completer().popup()
    if popup.isVisible():
        shoot(popup, out, "24b-completer-popup")
        popup.hide()
    home_visit_shots(out, editor2, tasks)

    window.lock()
    shoot(window, out, "30-lock-screen")
    window.lock_view.password.setText("sbagliata")
    window.lock_view.on_unlock_clicked()
    wait(lambda: bool(window.lock_view.error.text()))
    shoot(window, out, "31-lock-wrong-password")
    window.on_unlocked()

    for title, name in (
        ("Istanze", "40-istanze"),
        ("Scadenze", "41-scadenze"),
        ("Trasmissioni", "42-trasmissioni"),
        ("Impostazioni", "43-settings"),
        ("Registro attività", "44-audit"),
    ):
        row = next(
            i for i in range(window.navigation.count()) if window.navigation.item(i).text() == title
        )
        window.navigation.setCurrentRow(row)
        wait(lambda: tasks.pending == 0)
        shoot(window, out, name)
    audit = window.audit_view
    assert audit is not None
    audit.on_verify_clicked()
    wait(lambda: tasks.pending == 0)
    shoot(window, out, "45-audit-verified")

    operator_shots(out, window, tasks)

    window.navigation.setCurrentRow(0)
    page.setCurrentIndex(0)
    window.resize(1366, 768)
    bug = BugReportDialog(bug_details(_a_bug()), window)
    bug.show()
    shoot(bug, out, "50-bug-dialog")
    bug.close()
    for editor_widget in page.editors():
        editor_widget.flush()
    wait(lambda: tasks.pending == 0)
    window.close()
    wait(lambda: tasks.pending == 0)
    workspace.close()


def home_visit_shots(out: Path, editor: CaseEditor, tasks: TaskRunner) -> None:
    editor.on_home_visit_clicked()
    view = editor.home_visit
    assert view is not None
    view.resize(1366, 768)
    wait(lambda: tasks.pending == 0)
    shoot(view, out, "25-home-visit-choose")
    view.start("adl-katz")
    wait(lambda: view.pages.currentIndex() == 1)
    view.answer(3)
    view.answer(2)
    view.go_back()  # the answer given is shown as chosen
    shoot(view, out, "26-home-visit-item")
    view.answer(2)
    for number in (1, 2, 1, 1):
        view.answer(number)
    wait(lambda: tasks.pending == 0)
    shoot(view, out, "27-home-visit-result")
    view.close()


def operator_shots(out: Path, window: MainWindow, tasks: TaskRunner) -> None:
    row = next(
        i
        for i in range(window.navigation.count())
        if window.navigation.item(i).text() == "Operatori"
    )
    window.navigation.setCurrentRow(row)
    view = window.operators_view
    assert view is not None
    wait(lambda: tasks.pending == 0 and view.model.rowCount() > 0)
    view.select("lbianchi")
    shoot(window, out, "46-operators")

    view.on_new_clicked()
    new = view.dialog
    assert isinstance(new, NewOperatorDialog)
    new.full_name.setText("Paolo Neri")
    new.username.setText("mrossi")
    new.role_checks[Role.UFFICIO_DI_PIANO].setChecked(True)
    new.passwords.password.setText("una-frase-lunga")
    new.passwords.confirm.setText("una-frase-lungo")
    shoot(new, out, "47-new-operator-mismatch")
    new.passwords.confirm.setText("una-frase-lunga")
    new.on_ok_clicked()
    wait(lambda: tasks.pending == 0)
    shoot(new, out, "47b-new-operator-username-taken")
    new.reject()

    view.select("gverdi")
    view.on_set_password_clicked()
    reset = view.dialog
    assert isinstance(reset, SetOperatorPasswordDialog)
    reset.passwords.password.setText("corta")
    shoot(reset, out, "48-set-password-disabled-operator")
    reset.reject()

    view.select("lbianchi")
    view.on_disable_clicked()
    confirm = view.dialog
    assert confirm is not None
    shoot(confirm, out, "48b-disable-confirm")
    confirm.reject()

    own = window.settings_view.open_change_password()
    own.old_password.setText("sbagliata")
    own.passwords.password.setText("una-frase-nuova")
    own.passwords.confirm.setText("una-frase-nuova")
    own.on_ok_clicked()
    wait(lambda: tasks.pending == 0)
    shoot(own, out, "49-change-own-password-wrong")
    own.reject()
    wait(lambda: tasks.pending == 0)


def _a_bug() -> BaseException:
    try:
        {}["chiave"]
    except KeyError as exc:
        return exc
    raise AssertionError


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    args = parser.parse_args()
    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    tasks = TaskRunner()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = vault(work / "store")
        workspace, _code = store.create(
            SetupRequest("comune", "abbiatense", "A010", "mrossi", "Maria Rossi", PASSWORD)
        )
        ambito = get_ambito("abbiatense")
        load_demo(
            workspace.uow_factory,
            actor=workspace.actor,
            n=200,
            seed=3,
            comuni=[c.code for c in ambito.comuni if c.valid_to is None],
            avvisi=ambito.avvisi,
            now=datetime(2025, 6, 1, 9, 0),
        )
        workspace.add_operator(
            username="lbianchi",
            full_name="Lucia Bianchi",
            roles=frozenset({Role.AMMINISTRATIVO}),
            password=PASSWORD,
        )
        workspace.add_operator(
            username="gverdi",
            full_name="Giulia Verdi",
            roles=frozenset({Role.ASSISTENTE_SOCIALE, Role.UFFICIO_DI_PIANO}),
            password=PASSWORD,
        )
        workspace.disable_operator(username="gverdi")
        workspace.close()
        wizard_shots(out, work, tasks)
        login_shots(out, store, tasks)
        main_shots(out, store, tasks, work)
        # the Trasmissioni (comune) and Ricezione (capofila) pages, on stores of one ambito
        from tests.ui.transmission_shots import transmission_shots

        transmission_shots(out, work, tasks)
        tasks.shutdown(wait=True)


if __name__ == "__main__":
    main()
