"""The live eligibility panel: each requirement and each requested line with the engine's
verdict (symbol and word, not colour alone), the outcome and the amount that would be granted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from caseworker_app.domain.rules.money import format_eur
from caseworker_app.messages import render
from caseworker_app.services.istanza_wizard import Evaluation
from caseworker_app.ui.istanza_wizard.widgets import outcome_parts, status_parts
from caseworker_app.ui.theme import set_severity


def _list(accessible_name: str) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(accessible_name)
    widget.setWordWrap(True)
    widget.setSelectionMode(QListWidget.SelectionMode.NoSelection)
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    widget.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
    widget.setUniformItemSizes(False)
    widget.setSpacing(2)
    return widget


class EligibilityPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eligibilityPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Verifica dei requisiti"))
        self.statuses: dict[str, str] = {}
        self.line_labels: dict[str, str] = {}  # intervention code -> label
        self.line_statuses: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        title = QLabel(self.tr("Verifica dei requisiti"))
        title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(title)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.outcome.setAccessibleName(self.tr("Esito"))
        layout.addWidget(self.outcome)
        self.amount = QLabel()
        self.amount.setWordWrap(True)
        self.amount.setAccessibleName(self.tr("Importo riconoscibile"))
        layout.addWidget(self.amount)
        self.gaps = QLabel()
        self.gaps.setWordWrap(True)
        self.gaps.setAccessibleName(self.tr("Dati mancanti"))
        set_severity(self.gaps, "warning")
        layout.addWidget(self.gaps)
        layout.addWidget(QLabel(self.tr("Requisiti")))
        self.checks = _list(self.tr("Requisiti e verifica"))
        layout.addWidget(self.checks, 3)
        self.lines_title = QLabel(self.tr("Interventi richiesti"))
        layout.addWidget(self.lines_title)
        self.lines = _list(self.tr("Interventi richiesti e importi riconosciuti"))
        layout.addWidget(self.lines, 2)
        self.note = QLabel(
            self.tr("Verifica provvisoria: l'esito definitivo è dato dall'istruttoria.")
        )
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def show_evaluation(self, result: Evaluation) -> None:
        self.statuses = {c.code: c.status for c in result.checks}
        self.line_statuses = [ln.status for ln in result.lines]
        if result.outcome is None:
            self.outcome.setText(self.tr("Esito: non ancora valutabile"))
            set_severity(self.outcome, "warning")
            self.amount.setText("")
        else:
            word, severity = outcome_parts(result.outcome)
            self.outcome.setText(self.tr("Esito: %1").replace("%1", word))
            set_severity(self.outcome, severity)
            amount = format_eur(result.amount) if result.amount is not None else "—"
            text = self.tr("Importo riconoscibile: %1").replace("%1", amount)
            if result.priority_class is not None:
                text += "\n" + self.tr("Classe di priorità: %1").replace(
                    "%1", str(result.priority_class)
                )
            self.amount.setText(text)
        self.gaps.setText("\n".join(render(code) for code in result.gaps))
        self.gaps.setVisible(bool(result.gaps))
        self.checks.clear()
        for check in result.checks:
            self._add(self.checks, check.status, check.message)
        self.lines.clear()
        for line in result.lines:
            head = (
                self.tr("%1: richiesti %2, riconosciuti %3")
                .replace("%1", self.line_labels.get(line.code, line.code))
                .replace("%2", format_eur(line.requested))
                .replace("%3", format_eur(line.granted))
            )
            self._add(self.lines, line.status, head + "\n" + line.message)
        if not result.lines:
            item = QListWidgetItem(self.tr("Nessun intervento valutato finora."))
            self.lines.addItem(item)

    def _add(self, widget: QListWidget, status: str, message: str) -> None:
        symbol, word, colour = status_parts(status)
        item = QListWidgetItem(
            self.tr("%1 %2 – %3").replace("%1", symbol).replace("%2", word).replace("%3", message)
        )
        item.setForeground(colour)
        item.setData(Qt.ItemDataRole.UserRole, status)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, word + ": " + message)
        widget.addItem(item)
