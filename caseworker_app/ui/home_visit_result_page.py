"""The last page of a sheet in the home visit: its totals and class (shown only at the end, so
that they do not anchor the answers), "← Rivedi le voci", "Un'altra scheda", "Chiudi la
scheda"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


class ResultPage(QWidget):
    """The buttons are made by ``action`` (the home visit's large buttons, with its keys)."""

    def __init__(
        self, *, action: Callable[[str], QPushButton], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.result_title = QLabel()
        self.result_title.setObjectName("homeVisitItem")
        layout.addWidget(self.result_title)
        self.result = QLabel()
        self.result.setObjectName("homeVisitResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName(self.tr("Risultato della scheda"))
        self.result.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.result)
        layout.addStretch(1)
        actions = QHBoxLayout()
        self.review_button = action(self.tr("← Rivedi le voci"))
        self.complete_button = action(self.tr("Chiudi la scheda"))
        self.another_button = action(self.tr("Un'altra scheda"))
        actions.addWidget(self.review_button)
        actions.addStretch(1)
        actions.addWidget(self.another_button)
        actions.addWidget(self.complete_button)
        layout.addLayout(actions)

    def show_saving(self, title: str) -> None:
        """The answers are still being saved: no totals yet, nothing to close."""
        self.result_title.setText(title)
        self.result.setText(self.tr("Salvataggio delle risposte…"))
        self.complete_button.setEnabled(False)

    def show_result(self, title: str, lines: list[str], *, completed: bool) -> None:
        """The totals; a completed sheet is frozen (no review, no closing again)."""
        self.result_title.setText(title)
        if completed:
            lines = [*lines, self.tr("Scheda chiusa: non si modifica più.")]
        self.result.setText("\n".join(lines))
        self.complete_button.setEnabled(not completed)
        self.review_button.setEnabled(not completed)
