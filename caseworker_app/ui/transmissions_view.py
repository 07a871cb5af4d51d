"""Transmissions to and from the capofila: an honest empty state until the feature exists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class TransmissionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Trasmissioni"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        text = QLabel(
            self.tr(
                "Questa versione non invia ancora le istruttorie al comune capofila e non riceve "
                "gli esiti.\n\n"
                "In una prossima versione da qui si potrà preparare il file cifrato con le "
                "istruttorie complete (istanza, documenti, ISEE, valutazione sociale, schede ADL e "
                "IADL, Progetto Individuale) da consegnare all'Ufficio di Piano su chiavetta, via "
                "PEC o tramite il protocollo, e importare il file degli esiti.\n\n"
                "Fino ad allora le istruttorie vanno trasmesse nel modo concordato con il capofila."
            )
        )
        text.setObjectName("emptyState")
        text.setWordWrap(True)
        text.setMaximumWidth(760)
        layout.addWidget(text)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

    def activate(self) -> None:
        return None
