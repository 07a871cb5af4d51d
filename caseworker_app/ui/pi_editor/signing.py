"""The PI editor's door to the signatures: graphic signatures on the pad, the signed scan, the
digitally signed PDF (ui/pi_editor/signatures_dialog.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from caseworker_app.domain.pi import KeptValue, PiContent
from caseworker_app.domain.pi_plan import BudgetTotals
from caseworker_app.messages import render
from caseworker_app.ui.pi_editor.values import format_money_eur, tr

if TYPE_CHECKING:
    from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog
    from caseworker_app.ui.pi_editor.view import PiEditorView


def uncovered_text(totals: BudgetTotals) -> str:
    """What the confirmation says when the resources leave part of the costs uncovered."""
    return render("pi.budget_not_covered", {
        "resources": format_money_eur(totals.total),
        "costs": format_money_eur(totals.interventions_total),
        "missing": format_money_eur(totals.shortfall),
    })  # fmt: skip


def kept_as_typed_text(kept: list[KeptValue]) -> str:
    """Why the version cannot be signed yet: each value kept as typed, by section and field,
    with what was typed."""
    lines = []
    for value in kept:
        where = render(f"pi.typed.{value.section}.{value.field}", {"row": (value.row or 0) + 1})
        lines.append(f"• {where.removesuffix('.')} ({value.text})")
    return render("pi.kept_as_typed_list", {"fields": "\n".join(lines)})


def refuse_kept_as_typed(parent: QWidget, kept: list[KeptValue]) -> None:
    """Say that signing waits for the values kept as typed to be corrected, naming them."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Valori da correggere"),
                      kept_as_typed_text(kept), QMessageBox.StandardButton.Ok,
                      parent)  # fmt: skip
    box.setObjectName("keptAsTyped")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("Torna a correggere"))
    box.exec()


def confirm_uncovered(parent: QWidget, totals: BudgetTotals) -> bool:
    """Whether to go on signing: at once when the budget's resources cover the interventions'
    cost, else only if the operator confirms, told by how much they fall short."""
    if not totals.shortfall:
        return True
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Budget non coperto"), uncovered_text(totals),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                      parent)  # fmt: skip
    box.setObjectName("budgetNotCovered")
    box.button(QMessageBox.StandardButton.Yes).setText(tr("Firma comunque"))
    box.button(QMessageBox.StandardButton.No).setText(tr("Torna al budget"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def open_signatures(view: PiEditorView, version_id: str) -> SignaturesDialog | None:
    """Open the signatures of the version shown (its pending edits are already saved)."""
    from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog

    version = next((v for v in view.versions if v.id == version_id), None)
    if version is None:
        return None
    content = PiContent.from_data(version.content)
    signatories = [(s.role.value, s.name) for s in content.signatories]
    dialog = SignaturesDialog(view.session, version_id=version_id, signatories=signatories,
                              parent=view, budget=content.totals())  # fmt: skip
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
