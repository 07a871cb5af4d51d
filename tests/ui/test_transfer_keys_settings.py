"""Impostazioni › "Chiavi di trasmissione e pacchetto d'ambito", and the last page of the first-run
wizard (issue 11): a comune imports the capofila's ambito package, confirming the fingerprint read
on the phone; the capofila shows its fingerprint and exports the package. Real encrypted stores;
only the file dialogs and the (modal) confirmation are replaced."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard
from pytestqt.qtbot import QtBot

from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.services import ambito_packages
from caseworker_app.services.installation_keys import own_public_keys
from caseworker_app.ui import fingerprint_dialog
from caseworker_app.ui.fingerprint_dialog import FingerprintDialog, fingerprint_text
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.settings_view import SettingsView
from caseworker_app.ui.setup_wizard import SetupWizard
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.transfer_keys_panel import TransferKeysPanel

from .conftest import PASSWORD, CreatedStore, make_vault, wait_idle

NOW = datetime(2026, 12, 10, 9, 30)


@dataclass
class Capofila:
    workspace: OpenStore
    package: Path

    @property
    def fingerprint(self) -> str:
        keys = own_public_keys(self.workspace.uow_factory(), actor=self.workspace.actor)
        return keys.fingerprint.display


@pytest.fixture
def capofila(tmp_path: Path) -> Iterator[Capofila]:
    """The capofila of the Abbiatense (Abbiategrasso's Ufficio di Piano) and its first package."""
    workspace, _code = make_vault(tmp_path / "capofila").create(
        SetupRequest("capofila", "abbiatense", "A010", "udp", "Ufficio di Piano", PASSWORD)
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    package = usb / "pacchetto-ambito-abbiatense-1.cwa"
    ambito_packages.export_ambito_package(
        workspace.uow_factory(), actor=workspace.actor, out=package, now=NOW
    )
    yield Capofila(workspace, package)
    workspace.close()


class Confirmations:
    """Stands for the modal "Confronta l'impronta al telefono": records what it was shown."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.shown: list[tuple[str, str]] = []

    def __call__(self, parent: object, *, who: str, fingerprint: str) -> bool:
        self.shown.append((who, fingerprint))
        return self.answer


def _confirm(monkeypatch: pytest.MonkeyPatch, answer: bool) -> Confirmations:
    confirmations = Confirmations(answer)
    monkeypatch.setattr(fingerprint_dialog, "confirm_fingerprint", confirmations)
    return confirmations


def _open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def _settings(qtbot: QtBot, window: MainWindow) -> TransferKeysPanel:
    items = window.navigation.findItems("Impostazioni", Qt.MatchFlag.MatchExactly)
    rect = window.navigation.visualItemRect(items[0])
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = window.settings_view
    assert isinstance(view, SettingsView)
    panel = view.transfer_keys
    qtbot.waitUntil(lambda: panel.state is not None, timeout=10_000)
    wait_idle(qtbot, window.session.tasks)
    return panel


def test_a_comune_imports_the_ambito_package_confirming_the_fingerprint_read_on_the_phone(
    qtbot: QtBot,
    main_window: MainWindow,
    session: Session,
    capofila: Capofila,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _settings(qtbot, main_window)
    own = own_public_keys(session.workspace.uow_factory(), actor=session.workspace.actor)
    assert panel.fingerprint.text() == fingerprint_text(own.fingerprint.display)
    assert panel.fingerprint.text().count("\n") == 1  # two lines of four groups
    assert panel.none_label.isVisible()
    assert panel.none_label.text() == "Nessun pacchetto d'ambito importato."
    assert not panel.details.isVisible()
    assert panel.action_button.text() == "Importa pacchetto d'ambito…"
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == own.fingerprint.display

    # the fingerprint read on the phone is not the one shown: nothing is imported
    _open_file(monkeypatch, capofila.package)
    refused = _confirm(monkeypatch, False)
    qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "non coincide" in panel.message.text(), timeout=10_000)
    assert refused.shown == [("l'Ufficio di Piano del comune capofila (Abbiategrasso)",
                              capofila.fingerprint)]  # fmt: skip
    assert panel.message.property("severity") == "warning"
    assert (
        ambito_packages.current_ambito_package(
            session.workspace.uow_factory(), actor=session.workspace.actor
        )
        is None
    )
    assert panel.action_button.isEnabled()

    # it is the same: the package is imported and the capofila's keys confirmed
    confirmed = _confirm(monkeypatch, True)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)
    assert [f for _who, f in confirmed.shown] == [capofila.fingerprint]
    assert "importato e chiavi del capofila confermate" in panel.message.text()
    assert panel.message.property("severity") == "ok"
    assert not panel.none_label.isVisible()
    assert panel.details.isVisible()
    assert panel.package_label.text() == (
        "n. 1 del 10/12/2026, Ambito territoriale dell'Abbiatense"
    )
    assert "Caregiver familiare" in panel.avvisi_label.text()
    assert panel.capofila_fingerprint.text() == fingerprint_text(capofila.fingerprint)
    assert "da mrossi" in panel.confirmed_label.text()

    # the same file again: held already, nothing asked, nothing changed
    again = _confirm(monkeypatch, True)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    assert again.shown == []
    assert "era già stato importato" in panel.message.text()
    wait_idle(qtbot, session.tasks)


def test_a_refused_package_is_explained_in_the_panel(
    qtbot: QtBot,
    main_window: MainWindow,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _settings(qtbot, main_window)
    fake = tmp_path / "pacchetto.cwa"
    fake.write_bytes(b"non sono un pacchetto")
    _open_file(monkeypatch, fake)
    asked = _confirm(monkeypatch, True)
    qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.property("severity") == "error", timeout=10_000)
    assert asked.shown == []
    assert "pacchetto.cwa" in panel.message.text()
    assert panel.action_button.isEnabled()
    wait_idle(qtbot, session.tasks)


@pytest.fixture
def capofila_window(
    qtbot: QtBot, capofila: Capofila, tasks: TaskRunner, qsettings: QSettings
) -> Iterator[MainWindow]:
    workspace = capofila.workspace
    session = Session(
        workspace=workspace, tasks=tasks, info=load_session_info(workspace), qsettings=qsettings
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    wait_idle(qtbot, tasks)


def test_the_capofila_exports_the_next_ambito_package(
    qtbot: QtBot,
    capofila_window: MainWindow,
    capofila: Capofila,
    created: CreatedStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _settings(qtbot, capofila_window)
    assert panel.fingerprint.text() == fingerprint_text(capofila.fingerprint)
    assert panel.action_button.text() == "Esporta pacchetto d'ambito…"
    assert panel.details.isVisible()  # the package of the fixture
    assert panel.package_label.text().startswith("n. 1 del 10/12/2026")
    assert panel.comuni_label.text() == "14"

    proposed: list[str] = []
    out = tmp_path / "usb" / "pacchetto-per-i-comuni"  # ".cwa" is added

    def save(
        _parent: object, _caption: str, start: str, *_a: object, **_k: object
    ) -> tuple[str, str]:
        proposed.append(Path(start).name)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, capofila_window.session.tasks)
    assert proposed == ["pacchetto-ambito-abbiatense-2.cwa"]
    written = out.with_name("pacchetto-per-i-comuni.cwa")
    assert written.exists()
    assert (written.stat().st_mode & 0o777) == 0o600
    assert "n. 2 scritto in pacchetto-per-i-comuni.cwa" in panel.message.text()
    assert panel.package_label.text().startswith("n. 2 del ")
    assert panel.state is not None and panel.state.export_name.endswith("-3.cwa")

    # the same file name again: refused, said in the panel
    qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.property("severity") == "error", timeout=10_000)
    assert "Esiste già un file" in panel.message.text()

    # what the capofila wrote is what a comune imports (the fingerprint confirmed)
    imported = ambito_packages.import_ambito_package(
        created.workspace.uow_factory(),
        actor=created.workspace.actor,
        path=written,
        trust_fingerprint=capofila.fingerprint,
        now=NOW,
    )
    assert imported.package.sequence == 2 and imported.pinned
    wait_idle(qtbot, capofila_window.session.tasks)


# -- the first-run wizard ------------------------------------------------------------------------


def _click(qtbot: QtBot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _to_recovery_code(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path, *, capofila: bool, comune: str
) -> None:
    """Role, place, operator, folder and "Crea l'archivio", as the user does them."""
    wizard.show()
    if capofila:
        wizard.role_page.capofila.setChecked(True)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    place = wizard.place_page
    qtbot.waitUntil(lambda: place.comune.count() > 0, timeout=10_000)
    place.ambito.setCurrentIndex(place.ambito.findData("abbiatense"))
    place.comune.setCurrentIndex(place.comune.findData(comune))
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    operator = wizard.operator_page
    qtbot.keyClicks(operator.full_name, "Lucia Bianchi")
    qtbot.keyClicks(operator.username, "lbianchi")
    qtbot.keyClicks(operator.passwords.password, "una-frase-lunga")
    qtbot.keyClicks(operator.passwords.confirm, "una-frase-lunga")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    wizard.recovery_page.noted.click()


def _wizard(qtbot: QtBot, tmp_path: Path, tasks: TaskRunner) -> SetupWizard:
    wizard = SetupWizard(make_vault(tmp_path / "nuovo"), tasks, gateway_for=make_vault)
    qtbot.addWidget(wizard)
    return wizard


def _finish(qtbot: QtBot, wizard: SetupWizard) -> None:
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()
    with qtbot.waitSignal(wizard.setup_finished, timeout=5_000) as blocker:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    blocker.args[0].close()


def test_in_the_wizard_a_comune_imports_the_ambito_package(
    qtbot: QtBot,
    tmp_path: Path,
    tasks: TaskRunner,
    capofila: Capofila,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wizard = _wizard(qtbot, tmp_path, tasks)
    _to_recovery_code(qtbot, wizard, tmp_path, capofila=False, comune="C733")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.ambito_page
    assert wizard.currentPage() is page
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "Lo importerò più tardi da Impostazioni"
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()

    _open_file(monkeypatch, capofila.package)
    confirmed = _confirm(monkeypatch, True)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.imported is not None, timeout=10_000)
    assert confirmed.shown == [("l'Ufficio di Piano del comune capofila (Abbiategrasso)",
                                capofila.fingerprint)]  # fmt: skip
    assert "importato" in page.message.text()
    assert finish.text() == "Fine"
    assert not page.import_button.isEnabled()
    workspace = wizard.workspace
    assert workspace is not None
    current = ambito_packages.current_ambito_package(workspace.uow_factory(), actor=workspace.actor)
    assert current is not None and current.pinned is not None
    assert current.pinned.fingerprint.display == capofila.fingerprint
    assert current.pinned.confirmed_by == "lbianchi"
    _finish(qtbot, wizard)


def test_in_the_wizard_a_comune_may_import_the_package_later(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner
) -> None:
    wizard = _wizard(qtbot, tmp_path, tasks)
    _to_recovery_code(qtbot, wizard, tmp_path, capofila=False, comune="C733")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.ambito_page
    workspace = wizard.workspace
    assert workspace is not None
    _finish(qtbot, wizard)  # "Lo importerò più tardi da Impostazioni"
    reopened = make_vault(tmp_path / "nuovo").unlock("lbianchi", "una-frase-lunga")
    try:
        assert (
            ambito_packages.current_ambito_package(reopened.uow_factory(), actor=reopened.actor)
            is None
        )
    finally:
        reopened.close()


def test_in_the_wizard_the_capofila_sees_its_fingerprint_and_exports_the_package(
    qtbot: QtBot, tmp_path: Path, tasks: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = _wizard(qtbot, tmp_path, tasks)
    _to_recovery_code(qtbot, wizard, tmp_path, capofila=True, comune="A010")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.capofila_page
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: page.state is not None, timeout=10_000)
    workspace = wizard.workspace
    assert workspace is not None
    own = own_public_keys(workspace.uow_factory(), actor=workspace.actor).fingerprint.display
    assert page.fingerprint.text() == fingerprint_text(own)

    out = tmp_path / "chiavetta" / "pacchetto-ambito-abbiatense-1.cwa"
    out.parent.mkdir()
    proposed: list[str] = []

    def save(
        _parent: object, _caption: str, start: str, *_a: object, **_k: object
    ) -> tuple[str, str]:
        proposed.append(Path(start).name)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.exported is not None and not page.busy(), timeout=10_000)
    assert proposed == ["pacchetto-ambito-abbiatense-1.cwa"]
    assert out.exists()
    assert "n. 1 scritto in" in page.message.text()
    assert page.state is not None and page.state.export_name.endswith("-2.cwa")
    _finish(qtbot, wizard)


def test_the_confirmation_dialog_shows_the_fingerprint_and_defaults_to_no(qtbot: QtBot) -> None:
    fingerprint = "12345 67890 12345 67890 11111 22222 33333 44444"
    dialog = FingerprintDialog(who="il Comune di Cisliano", fingerprint=fingerprint)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fingerprint.text() == "12345 67890 12345 67890\n11111 22222 33333 44444"
    assert "il Comune di Cisliano ti legge l'impronta" in dialog.intro.text()
    assert dialog.no_button.isDefault() and not dialog.yes_button.isDefault()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == FingerprintDialog.DialogCode.Rejected


def test_confirm_fingerprint_is_true_only_on_yes(qtbot: QtBot) -> None:
    fingerprint = "12345 67890 12345 67890 11111 22222 33333 44444"

    def answer(yes: bool) -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, FingerprintDialog)]
        dialog = next(w for w in shown if w.isVisible())
        (dialog.yes_button if yes else dialog.no_button).click()

    QTimer.singleShot(0, lambda: answer(True))
    assert fingerprint_dialog.confirm_fingerprint(None, who="il capofila", fingerprint=fingerprint)
    QTimer.singleShot(0, lambda: answer(False))
    assert not fingerprint_dialog.confirm_fingerprint(
        None, who="il capofila", fingerprint=fingerprint
    )
