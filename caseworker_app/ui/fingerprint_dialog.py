"""The fingerprint of transmission keys on screen, and the dialog that confirms one by phone.

A fingerprint is 40 digits in 8 groups of 5 (``Fingerprint.display``): shown large, monospace,
in two lines of four groups, the way it is read aloud. :func:`confirm_fingerprint` asks whether
the fingerprint of the keys that signed a file is the one the sender read on the phone; only a
"Sì, coincide" lets the caller import the file trusting those keys.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

#: the object name styled in caseworker.qss (large, monospace, framed)
FINGERPRINT_OBJECT = "fingerprint"
SMALL_FINGERPRINT_OBJECT = "fingerprintSmall"


def fingerprint_text(fingerprint: str) -> str:
    """``fingerprint`` (its display form, groups separated by spaces) in two lines of four
    groups; any other text is returned as it is."""
    groups = fingerprint.split()
    if len(groups) < 2 or not all(g.isdigit() for g in groups):
        return fingerprint
    half = (len(groups) + 1) // 2
    return f"{' '.join(groups[:half])}\n{' '.join(groups[half:])}"


def fingerprint_label(
    fingerprint: str = "", *, accessible_name: str = "", small: bool = False
) -> QLabel:
    """A label showing a fingerprint large (or, ``small``, less so) and grouped, selectable
    with the mouse; its accessible description spells the groups one by one."""
    from PySide6.QtCore import Qt  # late: the Qt namespace is slow to import

    label = QLabel()
    label.setObjectName(SMALL_FINGERPRINT_OBJECT if small else FINGERPRINT_OBJECT)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    if accessible_name:
        label.setAccessibleName(accessible_name)
    show_fingerprint(label, fingerprint)
    return label


def own_fingerprint_row(
    owner: QWidget, on_copy: Callable[[], None]
) -> tuple[QHBoxLayout, QLabel, QPushButton]:
    """This installation's fingerprint (still being read) with its "Copia" button, disabled
    until the fingerprint is shown: the row Impostazioni and the first-run wizard share."""
    row = QHBoxLayout()
    label = fingerprint_label(
        owner.tr("lettura in corso…"),
        accessible_name=owner.tr("Impronta delle chiavi di questa installazione"),
    )
    row.addWidget(label)
    copy = QPushButton(owner.tr("Copia"))
    copy.setAccessibleName(owner.tr("Copia l'impronta"))
    copy.setEnabled(False)
    copy.clicked.connect(on_copy)
    row.addWidget(copy)
    row.addStretch(1)
    return row, label, copy


def show_fingerprint(label: QLabel, fingerprint: str) -> None:
    label.setText(fingerprint_text(fingerprint))
    digits = fingerprint_text(fingerprint) != fingerprint
    label.setAccessibleDescription(", ".join(fingerprint.split()) if digits else "")


class FingerprintDialog(QDialog):
    """ "Conferma l'impronta": the fingerprint of the keys that signed the file, to compare
    with the one read on the phone by ``who``. Accepted only by "Sì, coincide"."""

    def __init__(self, *, who: str, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Conferma l'impronta delle chiavi"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Confronta l'impronta al telefono"))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Al telefono, %1 ti legge l'impronta delle sue chiavi di trasmissione. "
                "Confrontala cifra per cifra con questa, che è l'impronta delle chiavi che "
                "hanno firmato il file:"
            ).replace("%1", who)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.intro = intro
        self.fingerprint = fingerprint_label(
            fingerprint, accessible_name=self.tr("Impronta delle chiavi che hanno firmato il file")
        )
        layout.addWidget(self.fingerprint)
        warning = QLabel(
            self.tr(
                "Se anche una sola cifra è diversa, il file potrebbe essere falso: rispondi «No, "
                "non coincide» e non importarlo."
            )
        )
        warning.setWordWrap(True)
        warning.setObjectName("hint")
        layout.addWidget(warning)
        question = QLabel(self.tr("L'impronta letta al telefono coincide con questa?"))
        question.setWordWrap(True)
        layout.addWidget(question)
        buttons = QDialogButtonBox()
        self.yes_button = buttons.addButton(
            self.tr("Sì, coincide"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.yes_button.setAccessibleName(self.tr("Sì, l'impronta coincide"))
        self.no_button = buttons.addButton(
            self.tr("No, non coincide"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.no_button.setAccessibleName(self.tr("No, l'impronta non coincide"))
        # Invio must not confirm by reflex: the safe answer is the default one
        self.yes_button.setAutoDefault(False)
        self.no_button.setDefault(True)
        self.yes_button.clicked.connect(self.accept)
        self.no_button.clicked.connect(self.reject)
        layout.addWidget(buttons)


def confirm_fingerprint(parent: QWidget | None, *, who: str, fingerprint: str) -> bool:
    """Ask (modal) whether ``fingerprint`` is the one ``who`` reads on the phone.

    ``who`` names the sender as the subject of a sentence, with its article: "l'Ufficio di
    Piano del comune capofila", "il Comune di Cisliano". True only on "Sì, coincide"."""
    dialog = FingerprintDialog(who=who, fingerprint=fingerprint, parent=parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
