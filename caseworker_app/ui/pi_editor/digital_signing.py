""" "Firma digitalmente il PDF…": the case manager signs the final PDF of a signed version with the
certificate in her PKCS#12 file (the file and its password are asked here, used on the worker
and never stored)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit

from caseworker_app.services import digital_signature
from caseworker_app.services.signatures import SignedAttachment
from caseworker_app.ui.pi_editor.values import tr

if TYPE_CHECKING:
    from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog


def ask_and_sign(dialog: SignaturesDialog) -> None:
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


def sign_with(dialog: SignaturesDialog, path: str, password: str) -> None:
    """Sign on the worker; the result is shown in the dialog."""
    session = dialog.session
    workspace, version_id, now = session.workspace, dialog.version_id, session.now()
    signer = session.info.full_name or workspace.actor.username
    secret = password.encode("utf-8") if password else None
    dialog.set_busy(True)
    dialog.status.setText(tr("Firma digitale del PDF…"))

    def sign() -> SignedAttachment:
        with open(path, "rb") as handle:
            pkcs12 = handle.read()
        return digital_signature.sign_final_pdf(
            workspace.uow_factory, actor=workspace.actor, version_id=version_id, pkcs12=pkcs12,
            passphrase=secret, signer_name=signer, now=now,
        )  # fmt: skip

    def done(result: SignedAttachment) -> None:
        dialog.status.setText(
            tr("PDF firmato digitalmente e conservato con la versione %1.").replace(
                "%1", str(result.version.number)
            )
        )
        dialog.reload()

    session.tasks.run(sign, on_done=done, on_error=dialog.on_failed, owner=dialog)
