"""The signatures of one PI version: the state of each signatory and the three ways to sign.

"Firma sul tablet…" captures a signatory's graphic signature on the pad; "Allega scansione
firmata…" and "Allega PDF firmato digitalmente…" attach the signed copy, which signs and freezes
the version. Every database, file and crypto step runs on the worker (``session.tasks``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.pi import BudgetTotals
from caseworker_app.services import signatures
from caseworker_app.services.signatures import (
    SignatureState,
    SignedAttachment,
)
from caseworker_app.ui import errors
from caseworker_app.ui.case_sections.documents_panel import read_file
from caseworker_app.ui.pi_editor.dialogs import SignDialog
from caseworker_app.ui.pi_editor.signature_wording import state_text
from caseworker_app.ui.pi_editor.signing import confirm_uncovered
from caseworker_app.ui.pi_editor.values import labels, tr
from caseworker_app.ui.session import Session
from caseworker_app.ui.signature_pad import SignaturePadDialog


class SignaturesDialog(QDialog):
    """One row per signatory (role, name) with its state and "Firma sul tablet…".

    Signals: ``signatures_changed()`` after a graphic signature is saved;
    ``version_signed(str)`` with the version id once an attached copy signed and froze it.
    """

    signatures_changed = Signal()
    version_signed = Signal(str)

    def __init__(
        self,
        session: Session,
        *,
        version_id: str,
        signatories: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        trust_roots: Sequence[bytes] = (),
        budget: BudgetTotals | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        #: the version's budget: attaching a signed copy signs it, so an uncovered budget asks
        self.budget = budget
        self.version_id = version_id
        self.signatories = list(signatories)
        self.trust_roots = tuple(trust_roots)
        self.state: SignatureState | None = None
        self.pad_dialog: SignaturePadDialog | None = None
        self.setWindowTitle(tr("Firme del Progetto Individuale"))
        layout = QVBoxLayout(self)
        self.title = QLabel(tr("Firme del Progetto Individuale"))
        self.title.setObjectName("dialogTitle")
        layout.addWidget(self.title)
        intro = QLabel(tr(
            "Ogni firmatario può firmare sul tablet (penna, dito o mouse). In alternativa allega "
            "la copia stampata e firmata a mano, oppure il PDF firmato digitalmente: la versione "
            "diventa firmata e non si potrà più modificare."
        ))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for col, text in enumerate((tr("Firmatario"), tr("Stato"), "")):
            header = QLabel(f"<b>{text}</b>")
            grid.addWidget(header, 0, col)
        roles = labels()["signatory"]
        self.state_labels: list[QLabel] = []
        self.sign_buttons: list[QPushButton] = []
        for row, (role, name) in enumerate(self.signatories, start=1):
            who = QLabel(f"<b>{roles.get(role, role)}</b><br>{_escape(name) or '—'}")
            who.setTextFormat(Qt.TextFormat.RichText)
            state = QLabel(tr("Lettura…"))
            state.setWordWrap(True)
            state.setAccessibleName(
                tr("Stato della firma di %1").replace("%1", roles.get(role, role))
            )
            button = QPushButton(tr("Firma sul tablet…"))
            button.setAccessibleName(
                tr("Firma sul tablet: %1").replace("%1", roles.get(role, role))
            )
            button.setEnabled(False)
            button.clicked.connect(partial(self.on_sign_clicked, row - 1))
            grid.addWidget(who, row, 0)
            grid.addWidget(state, row, 1)
            grid.addWidget(button, row, 2)
            self.state_labels.append(state)
            self.sign_buttons.append(button)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addSpacing(10)

        attach = QHBoxLayout()
        self.scan_button = QPushButton(tr("Allega scansione firmata…"))
        self.scan_button.setAccessibleName(tr("Allega la scansione della copia firmata a mano"))
        self.pdf_button = QPushButton(tr("Allega PDF firmato digitalmente…"))
        self.pdf_button.setAccessibleName(tr("Allega il PDF firmato digitalmente"))
        self.final_button = QPushButton(tr("Firma digitalmente il PDF…"))
        self.final_button.setAccessibleName(
            tr("Firma digitalmente il PDF della versione firmata con il tuo certificato")
        )
        for button in (self.scan_button, self.pdf_button, self.final_button):
            button.setEnabled(False)
            attach.addWidget(button)
        attach.addStretch(1)
        layout.addLayout(attach)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Esito"))
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.scan_button.clicked.connect(self.on_scan_clicked)
        self.pdf_button.clicked.connect(self.on_pdf_clicked)
        self.final_button.clicked.connect(self.on_final_clicked)
        self.resize(760, 360)
        self.reload()

    # -- state -----------------------------------------------------------------------------

    def reload(self) -> None:
        workspace, version_id = self.session.workspace, self.version_id
        self.session.tasks.run(
            lambda: signatures.signature_state(workspace.uow_factory(), actor=workspace.actor,
                                               version_id=version_id),
            on_done=self.on_state_loaded, owner=self,
        )  # fmt: skip

    def on_state_loaded(self, state: SignatureState) -> None:
        self.state = state
        self.title.setText(tr("Firme della versione %1").replace("%1", str(state.number)))
        rows = signatures.signatory_states(state, self.signatories)
        for label, row in zip(self.state_labels, rows, strict=True):
            label.setText(state_text(row))
        self.set_busy(False)
        if state.frozen and not self.status.text():
            self.status.setText(tr("La versione è firmata: non si può più modificare."))

    def set_busy(self, busy: bool) -> None:
        open_ = self.state is not None and not self.state.frozen and not busy
        for button in (*self.sign_buttons, self.scan_button, self.pdf_button):
            button.setEnabled(open_)
        # the final PDF is signed digitally once the version itself is signed
        self.final_button.setEnabled(self.state is not None and self.state.frozen and not busy)

    def on_final_clicked(self) -> None:
        from caseworker_app.ui.pi_editor.digital_signing import ask_and_sign

        ask_and_sign(self)

    def on_failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.status.setText(tr("Operazione non riuscita."))
        errors.report_error(self, exc)

    # -- graphic signature -----------------------------------------------------------------

    def on_sign_clicked(self, index: int) -> None:
        role, name = self.signatories[index]
        role_label = labels()["signatory"].get(role, role)
        dialog = SignaturePadDialog(
            title=tr("Firma: %1").replace("%1", role_label),
            prompt=tr("%1 (%2): firma nel riquadro, poi premi «Conferma».")
            .replace("%1", name or role_label).replace("%2", role_label),
            parent=self,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self.on_pad_accepted, dialog, role))
        dialog.finished.connect(self._forget_pad)
        self.pad_dialog = dialog
        dialog.open()

    def _forget_pad(self) -> None:
        self.pad_dialog = None

    def on_pad_accepted(self, dialog: SignaturePadDialog, role: str) -> None:
        self.save_graphic(role, dialog.png, dialog.method)

    def save_graphic(self, role: str, png: bytes, method: str) -> None:
        workspace, version_id, now = self.session.workspace, self.version_id, self.session.now()
        self.set_busy(True)
        self.status.setText(tr("Salvataggio della firma…"))

        def save() -> None:
            signatures.save_graphic_signature(
                workspace.uow_factory(), actor=workspace.actor, version_id=version_id, role=role,
                png=png, method=method, now=now,
            )  # fmt: skip

        self.session.tasks.run(save, on_done=self.on_graphic_saved, on_error=self.on_failed,
                               owner=self)  # fmt: skip

    def on_graphic_saved(self, _result: None) -> None:
        self.status.setText(tr("Firma salvata."))
        self.signatures_changed.emit()
        self.reload()

    # -- signed copies ---------------------------------------------------------------------

    def confirm_budget(self) -> bool:
        """Attaching a signed copy signs the version: confirm an uncovered budget first."""
        return self.budget is None or confirm_uncovered(self, self.budget)

    def on_scan_clicked(self) -> None:
        if not self.confirm_budget():
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Allega la scansione firmata"), "",
            tr("Scansioni (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"),
        )  # fmt: skip
        if not path:
            return
        place = self.session.info.comune_name
        dialog = SignDialog(place=place, day=self.session.now().date(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self.on_sign_details_accepted, dialog, path))
        dialog.open()

    def on_sign_details_accepted(self, dialog: SignDialog, path: str) -> None:
        values = dialog.values()
        if values is None:
            self.status.setText(tr("Indica il luogo e la data della firma."))
            return
        self.attach_scan_file(path, place=values[0], signed_on=values[1])

    def attach_scan_file(self, path: str, *, place: str, signed_on: date) -> None:
        """Read the scan at ``path`` on the worker, attach it and sign the version."""
        workspace, version_id, now = self.session.workspace, self.version_id, self.session.now()
        self.set_busy(True)
        self.status.setText(tr("Salvataggio della scansione…"))

        def attach() -> SignedAttachment:
            return signatures.attach_signed_scan(
                workspace.uow_factory(), actor=workspace.actor, version_id=version_id,
                content=read_file(path), now=now, place=place, signed_on=signed_on,
            )  # fmt: skip

        self.session.tasks.run(attach, on_done=self.on_attached, on_error=self.on_failed,
                               owner=self)  # fmt: skip

    def on_pdf_clicked(self) -> None:
        if not self.confirm_budget():
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Allega il PDF firmato digitalmente"), "", tr("PDF firmati (*.pdf)")
        )
        if path:
            self.attach_pdf_file(path)

    def attach_pdf_file(self, path: str) -> None:
        """Read, verify and attach the signed PDF at ``path`` on the worker."""
        workspace, version_id, now = self.session.workspace, self.version_id, self.session.now()
        roots, place = self.trust_roots, self.session.info.comune_name
        self.set_busy(True)
        self.status.setText(tr("Verifica della firma digitale…"))

        def attach() -> SignedAttachment:
            return signatures.attach_signed_pdf(
                workspace.uow_factory(), actor=workspace.actor, version_id=version_id,
                pdf_bytes=read_file(path), now=now, trust_roots=roots, place=place,
            )  # fmt: skip

        self.session.tasks.run(attach, on_done=self.on_attached, on_error=self.on_failed,
                               owner=self)  # fmt: skip

    def on_attached(self, result: SignedAttachment) -> None:
        if result.check is not None and not result.check.trusted:
            self.status.setText(tr("PDF allegato: la firma è integra e valida, ma il certificato "
                                   "non è tra quelli di fiducia configurati."))  # fmt: skip
        else:
            self.status.setText(tr("Copia firmata allegata: la versione è firmata."))
        self.version_signed.emit(result.version.id)
        self.reload()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
