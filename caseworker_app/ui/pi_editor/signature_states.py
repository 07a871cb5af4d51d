"""The signature state of each signatory, in the PI editor's "12. Firme" section.

The state of the version shown is read on the worker (``services.signatures.signature_state``)
when a version is shown and again when the signatures dialog reports a change; each row then
says, in the dialog's own words (``signatures_dialog.state_text``) and with a colour, whether
that signatory has signed and how. Rows typed or removed meanwhile are matched again at once
(pure, no read). Operators without READ_HEALTH cannot read the signatures: their rows show "—".

The signature modules (pyHanko among them) are imported only when the state arrives, so that
opening the editor does not pay for them on the Qt thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import errors
from caseworker_app.ui.pi_editor.plan_sections import SignatoriesSection
from caseworker_app.ui.pi_editor.values import tr
from caseworker_app.ui.session import Session

if TYPE_CHECKING:
    from caseworker_app.services.signatures import SignatoryState, SignatureState

SIGNED = "#dff3e4"  # green: signed (by hand, digitally, on the pad, or marked)
DOUBTFUL = "#fff1cc"  # yellow: signed digitally with a certificate not among the trusted ones
UNSIGNED = "#eeeeee"  # grey: not signed yet
NONE = "—"


def state_colour(row: SignatoryState) -> str:
    from caseworker_app.services.signatures import SignatoryStatus

    if row.status is SignatoryStatus.NON_FIRMATO:
        return UNSIGNED
    if row.status is SignatoryStatus.DIGITALE and not row.trusted:
        return DOUBTFUL
    return SIGNED


class SignatureStates(QObject):
    """Reads the signatures of the version shown and writes each row's state in ``section``.

    ``shown`` is emitted after the states of a freshly read version are on screen.
    """

    shown = Signal()

    def __init__(
        self,
        session: Session,
        section: SignatoriesSection,
        *,
        allowed: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.section = section
        self.allowed = allowed
        self.version_id = ""
        self.state: SignatureState | None = None
        self.failed = False
        section.rows.edited.connect(self.render)

    def load(self, version_id: str) -> None:
        """Show the states of ``version_id`` (a version just shown): read them on the worker."""
        if version_id != self.version_id:
            self.state = None  # never the states of another version, even for a moment
        self.version_id = version_id
        self.failed = False
        self.render()
        if self.allowed:
            self._read()

    def refresh(self) -> None:
        """Read the states of the version shown again (the signatures dialog changed them)."""
        if self.version_id and self.allowed:
            self._read()

    def _read(self) -> None:
        workspace, version_id = self.session.workspace, self.version_id

        def read() -> SignatureState:
            from caseworker_app.services import signatures

            return signatures.signature_state(workspace.uow_factory(), actor=workspace.actor,
                                              version_id=version_id)  # fmt: skip

        self.session.tasks.run(read, on_done=self.on_read, on_error=self.on_failed, owner=self)

    def on_read(self, state: SignatureState) -> None:
        if state.version_id != self.version_id:
            return  # another version was shown meanwhile: its own read follows
        self.state = state
        self.failed = False
        self.render()
        self.shown.emit()

    def on_failed(self, exc: BaseException) -> None:
        self.failed = True
        self.render()
        if isinstance(exc, UserFacingError):
            self.section.states_note.setText(errors.message_for(exc))
        else:
            errors.report_error(self.section.window(), exc)

    # -- drawing -----------------------------------------------------------------------------

    def texts(self) -> list[str]:
        """The state written in each row (for tests and screen readers alike)."""
        rows = self.section.rows
        return [rows.cell(r, "state").text() for r in range(rows.table.rowCount())]

    def render(self) -> None:
        self._render()
        self.section.fit_states()

    def _render(self) -> None:
        section = self.section
        signatories = section.signatories()
        if not self.allowed:
            for r in range(len(signatories)):
                section.show_state(r, NONE, tip=tr("Lo stato delle firme è visibile solo a chi "
                                                   "può leggere i dati sanitari."))  # fmt: skip
            section.states_note.setText("")
            return
        if self.state is None:
            waiting = tr("Stato non disponibile") if self.failed else tr("Lettura…")
            for r in range(len(signatories)):
                section.show_state(r, waiting)
            section.states_note.setText("")
            return
        from caseworker_app.services.signatures import signatory_states
        from caseworker_app.ui.pi_editor.signature_wording import state_text

        found = signatory_states(self.state, signatories)
        for r, row in enumerate(found):
            section.show_state(r, state_text(row), colour=state_colour(row))
        section.states_note.setText(self._summary(found))

    @staticmethod
    def _summary(found: list[SignatoryState]) -> str:
        from caseworker_app.services.signatures import SignatoryStatus

        if not found:
            return ""
        done = sum(1 for row in found if row.status is not SignatoryStatus.NON_FIRMATO)
        if done == len(found):
            return tr("Tutti i firmatari hanno firmato.")
        text = (
            tr("Ha firmato %1 firmatario su %2.")
            if done == 1
            else tr("Hanno firmato %1 firmatari su %2.")
        )
        return text.replace("%1", str(done)).replace("%2", str(len(found)))
