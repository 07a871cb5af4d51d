""" "Firma digitalmente il PDF…": the case manager signs the final PDF of a signed version with her
certificate, either in a PKCS#12 file (.p12/.pfx) or on a smart card / token through the PKCS#11
module of its vendor.

The file's password and the card's PIN are asked here, used on the worker and never stored; the
PKCS#11 module path and the (optional) token and key labels are remembered in the settings.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.documents.pades import TokenCredentials
from caseworker_app.services import digital_signature
from caseworker_app.services.signatures import SignedAttachment
from caseworker_app.ui.pi_editor.values import tr

if TYPE_CHECKING:
    from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog

MODULE_KEY = "digital_signature/pkcs11_module"
TOKEN_LABEL_KEY = "digital_signature/pkcs11_token_label"
KEY_LABEL_KEY = "digital_signature/pkcs11_key_label"
METHOD_KEY = "digital_signature/method"  # "pkcs12" or "pkcs11": the last one used

#: where the usual PKCS#11 modules live, offered when none has been chosen yet
_KNOWN_MODULES: dict[str, tuple[str, ...]] = {
    "win32": (
        r"C:\Windows\System32\bit4xpki.dll",
        r"C:\Windows\System32\bit4ipki.dll",
        r"C:\Windows\System32\opensc-pkcs11.dll",
        r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll",
    ),
    "linux": (
        "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
        "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so",
        "/usr/lib/opensc-pkcs11.so",
        "/usr/lib/libbit4xpki.so",
    ),
    "darwin": ("/Library/OpenSC/lib/opensc-pkcs11.so", "/usr/local/lib/opensc-pkcs11.so"),
}


def default_module() -> str:
    """The first well-known PKCS#11 module installed on this computer ("" when none)."""
    for path in _KNOWN_MODULES.get(sys.platform, ()):
        if Path(path).is_file():
            return path
    return ""


def _setting(dialog: SignaturesDialog, key: str) -> str:
    value = dialog.session.qsettings.value(key, "")
    return value if isinstance(value, str) else ""


def ask_and_sign(dialog: SignaturesDialog) -> None:
    """Ask how to sign (file or smart card), then what that way needs, then sign."""
    method = choose_method(dialog)
    if method == "pkcs12":
        ask_pkcs12_and_sign(dialog)
    elif method == "pkcs11":
        ask_token_and_sign(dialog)


def choose_method(dialog: SignaturesDialog) -> str | None:
    box = QMessageBox(dialog)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Firma digitale"))
    box.setText(tr("Dov'è il tuo certificato di firma?"))
    file_button = box.addButton(tr("File .p12/.pfx…"), QMessageBox.ButtonRole.AcceptRole)
    card_button = box.addButton(tr("Smart card o token…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    last = _setting(dialog, METHOD_KEY)
    box.setDefaultButton(card_button if last == "pkcs11" else file_button)
    box.exec()
    clicked = box.clickedButton()
    method = "pkcs12" if clicked is file_button else "pkcs11" if clicked is card_button else None
    if method is not None:
        dialog.session.qsettings.setValue(METHOD_KEY, method)
    return method


def ask_pkcs12_and_sign(dialog: SignaturesDialog) -> None:
    path, _filter = QFileDialog.getOpenFileName(
        dialog, tr("Certificato di firma (PKCS#12)"), "",
        tr("Certificati di firma (*.p12 *.pfx)"),
    )  # fmt: skip
    if not path:
        return
    password, accepted = QInputDialog.getText(
        dialog, tr("Firma digitale"), tr("Password del certificato:"), QLineEdit.EchoMode.Password
    )
    if not accepted:
        return
    sign_with(dialog, path, password)


class TokenDialog(QDialog):
    """The PKCS#11 module, the optional token and key labels, and the PIN."""

    def __init__(self, parent: QWidget | None, *, module: str, token_label: str,
                 key_label: str) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(tr("Firma con smart card o token"))
        self.setMinimumWidth(560)
        self.module = QLineEdit(module)
        self.module.setPlaceholderText(tr("la libreria PKCS#11 del software della carta"))
        browse = QPushButton(tr("Sfoglia…"))
        browse.clicked.connect(self.on_browse)
        module_row = QHBoxLayout()
        module_row.addWidget(self.module, 1)
        module_row.addWidget(browse)
        self.token_label = QLineEdit(token_label)
        self.token_label.setPlaceholderText(tr("facoltativa: serve solo con più dispositivi"))
        self.key_label = QLineEdit(key_label)
        self.key_label.setPlaceholderText(tr("facoltativa: serve solo con più chiavi di firma"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("vuoto se il lettore ha una tastiera sua"))
        form = QFormLayout()
        form.addRow(tr("Modulo PKCS#11:"), module_row)
        form.addRow(tr("Etichetta del token:"), self.token_label)
        form.addRow(tr("Etichetta della chiave:"), self.key_label)
        form.addRow(tr("PIN:"), self.pin)
        note = QLabel(tr("Il PIN serve solo per questa firma e non viene salvato. Dopo alcuni "
                         "tentativi sbagliati la carta si blocca."))  # fmt: skip
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Firma"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.module.textChanged.connect(self.update_ok)
        self.update_ok()
        (self.pin if module else self.module).setFocus()

    def update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.module.text().strip()))

    def on_browse(self) -> None:
        start = str(Path(self.module.text().strip()).parent) if self.module.text() else ""
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Modulo PKCS#11 della smart card"), start,
            tr("Moduli PKCS#11 (*.dll *.so *.dylib);;Tutti i file (*)"),
        )  # fmt: skip
        if path:
            self.module.setText(path)

    def credentials(self) -> TokenCredentials:
        return TokenCredentials(
            module_path=self.module.text().strip(), pin=self.pin.text(),
            token_label=self.token_label.text().strip() or None,
            key_label=self.key_label.text().strip() or None,
        )  # fmt: skip


def ask_token_and_sign(dialog: SignaturesDialog) -> None:
    settings = dialog.session.qsettings
    ask = TokenDialog(
        dialog, module=_setting(dialog, MODULE_KEY) or default_module(),
        token_label=_setting(dialog, TOKEN_LABEL_KEY), key_label=_setting(dialog, KEY_LABEL_KEY),
    )  # fmt: skip
    accepted = ask.exec() == QDialog.DialogCode.Accepted
    credentials = ask.credentials()
    ask.pin.clear()
    ask.deleteLater()
    if not accepted:
        return
    settings.setValue(MODULE_KEY, credentials.module_path)
    settings.setValue(TOKEN_LABEL_KEY, credentials.token_label or "")
    settings.setValue(KEY_LABEL_KEY, credentials.key_label or "")
    sign_with_token(dialog, credentials)


def sign_with(dialog: SignaturesDialog, path: str, password: str) -> None:
    """Sign with the PKCS#12 file at ``path`` on the worker; the result is shown in the dialog."""
    session = dialog.session
    workspace, version_id, now = session.workspace, dialog.version_id, session.now()
    signer = session.info.full_name or workspace.actor.username
    secret = password.encode("utf-8") if password else None

    def sign() -> SignedAttachment:
        with open(path, "rb") as handle:
            pkcs12 = handle.read()
        return digital_signature.sign_final_pdf(
            workspace.uow_factory, actor=workspace.actor, version_id=version_id, pkcs12=pkcs12,
            passphrase=secret, signer_name=signer, now=now,
        )  # fmt: skip

    _run(dialog, sign, tr("Firma digitale del PDF…"))


def sign_with_token(dialog: SignaturesDialog, credentials: TokenCredentials) -> None:
    """Sign with the smart card / token on the worker (loading the module, the PIN login and the
    signature all happen there); the result is shown in the dialog."""
    session = dialog.session
    workspace, version_id, now = session.workspace, dialog.version_id, session.now()
    signer = session.info.full_name or workspace.actor.username

    def sign() -> SignedAttachment:
        return digital_signature.sign_final_pdf(
            workspace.uow_factory, actor=workspace.actor, version_id=version_id,
            token=credentials, signer_name=signer, now=now,
        )  # fmt: skip

    _run(dialog, sign, tr("Firma digitale del PDF con la smart card…"))


def _run(dialog: SignaturesDialog, sign: Callable[[], SignedAttachment], status: str) -> None:
    dialog.set_busy(True)
    dialog.status.setText(status)

    def done(result: SignedAttachment) -> None:
        dialog.status.setText(
            tr("PDF firmato digitalmente e conservato con la versione %1.").replace(
                "%1", str(result.version.number)
            )
        )
        dialog.reload()
        dialog.signatures_changed.emit()  # the PI editor shows the new state at once

    dialog.session.tasks.run(sign, on_done=done, on_error=dialog.on_failed, owner=dialog)
