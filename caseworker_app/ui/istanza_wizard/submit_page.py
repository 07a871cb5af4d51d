"""The last step: what is missing before presenting, the "Presenta" button, the protocol."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.istanza import Istanza
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.services.istanza_wizard import Evaluation, check_ready
from caseworker_app.ui.errors import message_for
from caseworker_app.ui.formats import format_date, format_registered
from caseworker_app.ui.istanze_view import state_label
from caseworker_app.ui.theme import set_severity


class SubmitPage(QWidget):
    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.readiness = QLabel()
        self.readiness.setWordWrap(True)
        self.readiness.setAccessibleName(self.tr("Cosa manca per presentare"))
        layout.addWidget(self.readiness)
        self.submit_button = QPushButton(self.tr("&Presenta l'istanza"))
        self.submit_button.setAccessibleName(self.tr("Presenta l'istanza"))
        self.submit_button.setMinimumHeight(36)
        layout.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAccessibleName(self.tr("Protocollo dell'istanza"))
        self.result.setStyleSheet("font-size: 13pt;")
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.submit_button.clicked.connect(self.submit_requested)

    def update_from(
        self,
        istanza: Istanza,
        content: IstanzaContent,
        avviso_title: str,
        evaluation: Evaluation | None = None,
    ) -> None:
        presented = content.presented_on
        self.summary.setText(
            self.tr("Avviso: %1\nData di presentazione: %2")
            .replace("%1", avviso_title)
            .replace("%2", format_date(presented) if presented else self.tr("oggi"))
        )
        if istanza.protocol:
            self.show_submitted(istanza)
            return
        try:
            check_ready(content)
        except UserFacingError as exc:
            self.readiness.setText(message_for(exc))
            set_severity(self.readiness, "warning")
        else:
            text, severity = self._verdict_wording(evaluation)
            self.readiness.setText(text)
            set_severity(self.readiness, severity)

    def _verdict_wording(self, evaluation: Evaluation | None) -> tuple[str, str]:
        """The form is complete: say what presenting it means, in step with the verdict (never
        "Tutto pronto" beside a negative one)."""
        after = self.tr(
            "Presentando l'istanza si assegna il numero di protocollo: dopo, i dati non si "
            "possono più cambiare."
        )
        outcome = evaluation.outcome if evaluation is not None else None
        if outcome == "ammissibile":
            return self.tr("Tutto pronto: i requisiti risultano soddisfatti.") + " " + after, "ok"
        if outcome == "da_integrare":
            assert evaluation is not None
            awaited = [c.message for c in evaluation.checks if c.status == "pending"]
            text = self.tr(
                "Il modulo è completo, ma l'istanza sarà «da integrare» finché non arrivano i "
                "documenti promessi:"
            )
            return "\n".join([text, *("• " + m for m in awaited), after]), "warning"
        if outcome == "non_ammissibile":
            assert evaluation is not None
            failed = [c.message for c in evaluation.checks if c.status == "ko"]
            text = self.tr(
                "Il modulo è completo, ma secondo i requisiti dell'avviso l'istanza non è "
                "ammissibile:"
            )
            note = self.tr(
                "Puoi presentarla comunque (resta agli atti con il suo protocollo) oppure "
                "correggere i dati se sono sbagliati."
            )
            return "\n".join([text, *("• " + m for m in failed), note, after]), "error"
        text = self.tr("Il modulo è completo; la verifica dei requisiti non è ancora disponibile.")
        return text + " " + after, "warning"

    def show_submitted(self, istanza: Istanza) -> None:
        self.submit_button.hide()
        self.readiness.setText(
            self.tr("Stato dell'istanza: %1").replace("%1", state_label(istanza.state.value))
        )
        set_severity(self.readiness, "ok")
        self.result.setText(
            self.tr("Protocollo %1 del %2")
            .replace("%1", istanza.protocol or "—")
            .replace("%2", format_registered(istanza.submitted_at))
        )
