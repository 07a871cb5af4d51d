"""The PI editor's door to the signatures: graphic signatures on the pad, the signed scan, the
digitally signed PDF (ui/pi_editor/signatures_dialog.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker_app.domain.pi import PiContent
from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog

if TYPE_CHECKING:
    from caseworker_app.ui.pi_editor.view import PiEditorView


def open_signatures(view: PiEditorView, version_id: str) -> SignaturesDialog | None:
    """Open the signatures of the version shown (its pending edits are already saved)."""
    version = next((v for v in view.versions if v.id == version_id), None)
    if version is None:
        return None
    content = PiContent.from_data(version.content)
    signatories = [(s.role.value, s.name) for s in content.signatories]
    dialog = SignaturesDialog(view.session, version_id=version_id, signatories=signatories,
                              parent=view)  # fmt: skip
    # A signed copy freezes the version: read it again so that the editor becomes read-only
    # (which reads the signature states too). A graphic signature only changes the states; so
    # may what is done in the dialog without a signal (the final PDF signed digitally): read
    # them again when it closes.
    dialog.version_signed.connect(lambda _id: view.reload())
    dialog.signatures_changed.connect(view.signature_states.refresh)
    dialog.finished.connect(view.signature_states.refresh)
    dialog.open()
    view.signatures_dialog = dialog
    return dialog
