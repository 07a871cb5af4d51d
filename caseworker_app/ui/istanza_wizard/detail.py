"""The detail of an istanza: state, protocol, the verdict on today, its documents (with the
integrazione documentale: «Segna come ricevuto…»), the history of transitions (who, when,
why), and the "Cambia stato…" action, which asks the reason."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import integrazione
from caseworker_app.services import istanza_wizard as service
from caseworker_app.services.integrazione import ChecklistLine, IstanzaReview
from caseworker_app.ui.formats import format_date, format_datetime, format_registered
from caseworker_app.ui.istanza_wizard.receive_dialog import ReceiveDocumentDialog, document_label
from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
from caseworker_app.ui.istanze_view import state_label
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.theme import set_severity

Detail = tuple[IstanzaReview, str]  # the istanza judged today, and the avviso's title


class ChangeStateDialog(QDialog):
    """Choose the next state and write why (the reason is required)."""

    def __init__(self, targets: tuple[IstanzaState, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cambia stato dell'istanza"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Nuovo stato"))
        for state in targets:
            self.target.addItem(state_label(state.value), state.value)
        form.addRow(self.tr("&Nuovo stato"), self.target)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Motivo del cambio di stato"))
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(100)
        reason_label = QLabel(self.tr("&Motivo"))
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        layout.addLayout(form)
        hint = QLabel(self.tr("Il motivo resta nello storico dell'istanza, con chi e quando."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Cambia stato"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()

    def chosen(self) -> tuple[IstanzaState, str]:
        return IstanzaState(str(self.target.currentData())), self.reason.toPlainText().strip()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()) and self.target.count() > 0)


class IstanzaDetailView(QWidget):
    #: the state changed (the istanza id)
    state_changed = Signal(str)

    def __init__(
        self,
        session: Session,
        *,
        istanza_id: IstanzaId,
        document: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.istanza_id = istanza_id
        self.focus_document = document
        self.detail: Detail | None = None
        self.wizard: IstanzaWizardView | None = None
        self.dialog: ChangeStateDialog | None = None
        self.receive_dialog: ReceiveDocumentDialog | None = None
        self.lines: list[ChecklistLine] = []
        self.setWindowTitle(self.tr("Istanza"))
        self.resize(960, 640)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        self.title = QLabel(self.tr("Istanza"))
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAccessibleName(self.tr("Stato e protocollo"))
        layout.addWidget(self.facts)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setAccessibleName(self.tr("Esito della verifica"))
        layout.addWidget(self.verdict)
        follow_row = QHBoxLayout()
        self.follow_button = QPushButton()
        self.follow_button.setAccessibleName(self.tr("Registra l'esito della verifica"))
        self.follow_button.setVisible(False)
        follow_row.addWidget(self.follow_button)
        follow_row.addStretch(1)
        layout.addLayout(follow_row)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Apri l'istanza…"))
        self.change_button = QPushButton(self.tr("&Cambia stato…"))
        self.close_button = QPushButton(self.tr("C&hiudi"))
        can_edit = session.workspace.actor.can(Permission.EDIT_CASES)
        self.change_button.setVisible(can_edit)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(self.tr("Documenti dell'istanza")))
        self.documents_model = TextTableModel(
            [self.tr("Documento"), self.tr("Richiesto"), self.tr("Stato"),
             self.tr("Scansione")],
            self,
        )  # fmt: skip
        self.documents = read_only_table(
            self.documents_model, accessible_name=self.tr("Documenti dell'istanza"),
            single_selection=True,
        )  # fmt: skip
        self.documents.setMinimumHeight(150)
        layout.addWidget(self.documents, 1)
        doc_buttons = QHBoxLayout()
        self.receive_button = QPushButton(self.tr("Segna come &ricevuto…"))
        self.receive_button.setAccessibleName(self.tr("Segna come ricevuto il documento scelto"))
        self.receive_button.setVisible(can_edit)
        doc_buttons.addWidget(self.receive_button)
        doc_buttons.addStretch(1)
        layout.addLayout(doc_buttons)
        layout.addWidget(QLabel(self.tr("Storico degli stati")))
        self.model = TextTableModel(
            [self.tr("Data e ora"), self.tr("Da"), self.tr("A"), self.tr("Operatore"),
             self.tr("Motivo")],
            self,
        )  # fmt: skip
        self.table = read_only_table(self.model, accessible_name=self.tr("Storico degli stati"))
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table, 1)
        self.open_button.clicked.connect(self.on_open_clicked)
        self.change_button.clicked.connect(self.on_change_clicked)
        self.close_button.clicked.connect(self.close)
        self.receive_button.clicked.connect(self.on_receive_clicked)
        self.follow_button.clicked.connect(self.on_follow_clicked)
        self.documents.doubleClicked.connect(lambda _index: self.on_receive_clicked())
        self.documents.selectionModel().selectionChanged.connect(lambda *_: self._update_receive())
        self.open_button.setEnabled(False)
        self.change_button.setEnabled(False)
        self.receive_button.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        workspace, istanza_id, now = self.session.workspace, self.istanza_id, self.session.now()
        self.session.tasks.run(lambda: _detail(workspace, istanza_id, now),
                               on_done=self.on_loaded, owner=self)  # fmt: skip

    def on_loaded(self, detail: Detail) -> None:
        self.detail = detail
        review, avviso_title = detail
        data = review.data
        istanza = data.istanza
        a = data.facts.anagrafica
        person = " ".join(p for p in (a.surname, a.given_name) if p)
        self.title.setText(
            self.tr("Istanza di %1").replace("%1", person) if person else self.tr("Istanza")
        )
        self.setWindowTitle(self.title.text())
        lines = [
            self.tr("Avviso: %1").replace("%1", avviso_title),
            self.tr("Stato: %1").replace("%1", state_label(istanza.state.value)),
            self.tr("Protocollo: %1").replace("%1", istanza.protocol or "—"),
        ]
        if istanza.submitted_at is not None:
            lines.append(
                self.tr("Presentata il %1").replace("%1", format_registered(istanza.submitted_at))
            )
        self.facts.setText("\n".join(lines))
        self._show_verdict(review)
        self.lines = list(review.checklist)
        self.documents_model.set_rows([self._document_row(ln) for ln in self.lines])
        focus = next(
            (i for i, ln in enumerate(self.lines) if ln.code == self.focus_document),
            next((i for i, ln in enumerate(self.lines) if ln.status in _OPEN), -1),
        )
        if focus >= 0:
            self.documents.selectRow(focus)
        rows = [
            (
                format_datetime(t.at),
                state_label(t.from_state.value) if t.from_state else "—",
                state_label(t.to_state.value),
                t.operator,
                t.reason,
            )
            for t in data.transitions
        ]
        self.model.set_rows(rows)
        self.open_button.setEnabled(True)
        self.change_button.setEnabled(bool(service.next_states(istanza.state)))
        self._update_receive()

    def _show_verdict(self, review: IstanzaReview) -> None:
        evaluation = review.evaluation
        outcome = evaluation.outcome
        on = format_date(review.on)
        if outcome is None:
            text = self.tr("Verifica al %1: mancano dati della cartella per giudicare l'istanza.")
            self.verdict.setText(text.replace("%1", on))
            set_severity(self.verdict, "warning")
        else:
            head = (
                self.tr("Verifica al %1: %2").replace("%1", on).replace("%2", state_label(outcome))
            )
            reasons = [c.message for c in evaluation.checks if c.status in ("ko", "pending")]
            self.verdict.setText("\n".join([head, *("• " + r for r in reasons)]))
            severity = {"ammissibile": "ok", "da_integrare": "warning"}.get(outcome, "error")
            set_severity(self.verdict, severity)
        follow = review.follow
        can_edit = self.session.workspace.actor.can(Permission.EDIT_CASES)
        self.follow_button.setVisible(follow is not None and can_edit)
        if follow is not None:
            self.follow_button.setText(
                self.tr("Registra lo stato «%1»").replace("%1", state_label(follow.value))
            )

    def _document_row(self, line: ChecklistLine) -> tuple[str, ...]:
        promised = format_date(line.promised_by)
        received = format_date(line.received_on)
        status = {
            "received": self.tr("ricevuto il %1").replace("%1", received),
            "awaited": self.tr("promesso entro il %1").replace("%1", promised),
            "lapsed": self.tr("termine scaduto il %1: non pervenuto").replace("%1", promised),
            "missing": self.tr("mancante"),
            "absent": self.tr("non allegato"),
        }[line.status]
        late = line.promised_by and line.received_on and line.received_on > line.promised_by
        if line.status == "received" and late:
            status += " " + self.tr("(oltre il termine del %1)").replace("%1", promised)
        scan = line.scan_title or ("—" if line.status == "received" else "")
        return (
            document_label(line.code),
            self.tr("sì") if line.required else self.tr("no"),
            status,
            scan,
        )

    def selected_line(self) -> ChecklistLine | None:
        indexes = self.documents.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].row()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _update_receive(self) -> None:
        line = self.selected_line()
        receivable = (
            self.detail is not None and self.detail[0].data.istanza.state in integrazione.RECEIVABLE
        )
        self.receive_button.setEnabled(
            receivable and line is not None and line.status != "received"
        )

    def on_receive_clicked(self) -> None:
        line = self.selected_line()
        if self.detail is None or line is None or not self.receive_button.isEnabled():
            return
        self.receive_dialog = ReceiveDocumentDialog(
            line, self.detail[0].scans, today=self.session.now().date(), parent=self
        )
        self.receive_dialog.accepted.connect(self.on_receive_accepted)
        self.receive_dialog.open()

    def on_receive_accepted(self) -> None:
        assert self.receive_dialog is not None
        received_on, scan_id = self.receive_dialog.chosen()
        code = self.receive_dialog.line.code
        workspace, now, istanza_id = self.session.workspace, self.session.now(), self.istanza_id

        def receive() -> None:
            integrazione.receive_document(workspace.uow_factory(), actor=workspace.actor,
                                          istanza_id=istanza_id, code=code,
                                          received_on=received_on, scan_id=scan_id,
                                          now=now)  # fmt: skip

        self.focus_document = code
        self.session.tasks.run(receive, on_done=self.on_state_changed, owner=self)

    def on_follow_clicked(self) -> None:
        workspace, now, istanza_id = self.session.workspace, self.session.now(), self.istanza_id

        def follow() -> None:
            integrazione.apply_verdict(workspace.uow_factory(), actor=workspace.actor,
                                       istanza_id=istanza_id, now=now)  # fmt: skip

        self.session.tasks.run(follow, on_done=self.on_state_changed, owner=self)

    def on_open_clicked(self) -> None:
        if self.detail is None:
            return
        data = self.detail[0].data
        a = data.facts.anagrafica
        person = " ".join(p for p in (a.surname, a.given_name) if p)
        if self.wizard is not None:
            self.wizard.close()
            self.wizard.deleteLater()
        self.wizard = IstanzaWizardView(self.session, case_id=data.istanza.case_id,
                                        person=person, istanza_id=data.istanza.id,
                                        parent=self)  # fmt: skip
        self.wizard.setWindowTitle(self.tr("Istanza – %1").replace("%1", person))
        self.wizard.istanza_submitted.connect(lambda _id: self.reload())
        show_fitted(self.wizard, maximized=True)

    def on_change_clicked(self) -> None:
        if self.detail is None:
            return
        self.dialog = ChangeStateDialog(service.next_states(self.detail[0].data.istanza.state),
                                        self)  # fmt: skip
        self.dialog.accepted.connect(self.on_change_accepted)
        self.dialog.open()

    def on_change_accepted(self) -> None:
        assert self.dialog is not None
        target, reason = self.dialog.chosen()
        workspace, now, istanza_id = self.session.workspace, self.session.now(), self.istanza_id

        def move() -> None:
            service.change_state(workspace.uow_factory(), actor=workspace.actor,
                                 istanza_id=istanza_id, target=target, reason=reason,
                                 now=now)  # fmt: skip

        self.session.tasks.run(move, on_done=self.on_state_changed, owner=self)

    def on_state_changed(self, _result: object) -> None:
        self.state_changed.emit(self.istanza_id)
        self.reload()


#: checklist lines a worker can still mark received
_OPEN = ("awaited", "lapsed", "missing")


def _detail(workspace: Workspace, istanza_id: IstanzaId, now: datetime) -> Detail:
    """Worker only."""
    review = integrazione.review_istanza(workspace.uow_factory(), actor=workspace.actor,
                                         istanza_id=istanza_id, now=now)  # fmt: skip
    return review, service.avviso_of(review.data.istanza).title
