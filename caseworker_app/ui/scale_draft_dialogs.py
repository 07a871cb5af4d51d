"""The questions of the scale sheets' drafts: resume a draft or start over, discard a draft,
close (freeze) a sheet.

Every box is window-modal and non-blocking (``open``): the answer arrives through a callback,
so that a test (or the social worker) answers it by clicking its buttons. Each box carries an
object name and its buttons are attributes (``box.resume_button`` …) for the tests.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from caseworker_app.ui.formats import format_date


def tr(text: str) -> str:
    return QCoreApplication.translate("ScaleDrafts", text)


class DraftChoice(enum.Enum):
    RESUME = "resume"
    NEW = "new"
    CANCEL = "cancel"


class DraftBox(QMessageBox):
    """A question box whose buttons are reachable by name."""

    def __init__(self, parent: QWidget, title: str, text: str, name: str) -> None:
        super().__init__(QMessageBox.Icon.Question, title, text,
                         QMessageBox.StandardButton.NoButton, parent)  # fmt: skip
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.buttons_by_role: dict[str, QPushButton] = {}

    def add(self, key: str, text: str, role: QMessageBox.ButtonRole) -> QPushButton:
        button = self.addButton(text, role)
        button.setAccessibleName(text)
        self.buttons_by_role[key] = button
        return button

    def clicked_key(self) -> str | None:
        clicked = self.clickedButton()
        return next((k for k, b in self.buttons_by_role.items() if b is clicked), None)


def ask_resume_draft(
    parent: QWidget, *, title: str, visit_date: date, on_answer: Callable[[DraftChoice], None]
) -> DraftBox:
    """ "Esiste una bozza …: vuoi riprenderla?" – Riprendi / Nuova scheda / Annulla."""
    box = DraftBox(
        parent,
        tr("Bozza già iniziata"),
        tr("Esiste una bozza della scheda %1 del %2: vuoi riprenderla?")
        .replace("%1", title)
        .replace("%2", format_date(visit_date)),
        "resumeDraftBox",
    )
    box.setInformativeText(
        tr(
            "«Riprendi» continua la bozza dalla prima voce senza risposta. «Nuova scheda» "
            "elimina la bozza, con le risposte date finora, e comincia una scheda vuota."
        )
    )
    resume = box.add("resume", tr("Riprendi"), QMessageBox.ButtonRole.AcceptRole)
    box.add("new", tr("Nuova scheda"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.add("cancel", tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(resume)
    box.setEscapeButton(cancel)
    choices = {"resume": DraftChoice.RESUME, "new": DraftChoice.NEW}
    box.finished.connect(
        lambda _r: on_answer(choices.get(box.clicked_key() or "", DraftChoice.CANCEL))
    )
    box.open()
    return box


def confirm_discard_draft(
    parent: QWidget, *, title: str, visit_date: date, on_confirmed: Callable[[], None]
) -> DraftBox:
    """ "Eliminare la bozza …?" – Elimina bozza / Annulla (the default)."""
    box = DraftBox(
        parent,
        tr("Elimina bozza"),
        tr("Eliminare la bozza della scheda %1 del %2?")
        .replace("%1", title)
        .replace("%2", format_date(visit_date)),
        "discardDraftBox",
    )
    box.setIcon(QMessageBox.Icon.Warning)
    box.setInformativeText(
        tr("Le risposte date finora andranno perse: l'eliminazione non si può annullare.")
    )
    box.add("discard", tr("Elimina bozza"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.add("cancel", tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.finished.connect(lambda _r: on_confirmed() if box.clicked_key() == "discard" else None)
    box.open()
    return box


def confirm_close_sheet(
    parent: QWidget, *, title: str, totals: Sequence[str], on_confirmed: Callable[[], None]
) -> DraftBox:
    """ "Chiudendo la scheda non sarà più modificabile: …" with the totals – Chiudi scheda /
    Torna alla scheda (the default)."""
    box = DraftBox(
        parent,
        tr("Chiudi la scheda"),
        tr(
            "Chiudendo la scheda non sarà più modificabile: %1 resterà fissata con queste "
            "risposte e questo risultato."
        ).replace("%1", title),
        "closeSheetBox",
    )
    box.setInformativeText(
        "\n".join(totals) + "\n\n" + tr("Per una valutazione diversa servirà una nuova scheda.")
    )
    box.add("close", tr("Chiudi scheda"), QMessageBox.ButtonRole.AcceptRole)
    back = box.add("back", tr("Torna alla scheda"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.finished.connect(lambda _r: on_confirmed() if box.clicked_key() == "close" else None)
    box.open()
    return box
