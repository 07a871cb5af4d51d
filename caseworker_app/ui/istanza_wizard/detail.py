"""The detail of an istanza: state, protocol, history of transitions (who, when, why), and the
"Cambia stato…" action, which asks the reason."""

from __future__ import annotations

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
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.roles import Permission
from caseworker_app.services import istanza_wizard as service
from caseworker_app.services.gateway import Workspace
from caseworker_app.ui.formats import format_datetime
from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
from caseworker_app.ui.istanze_view import state_label
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel

Detail = tuple[service.WizardData, str]  # the istanza's data and the avviso's title


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
        self, session: Session, *, istanza_id: IstanzaId, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.istanza_id = istanza_id
        self.detail: Detail | None = None
        self.wizard: IstanzaWizardView | None = None
        self.dialog: ChangeStateDialog | None = None
        self.setWindowTitle(self.tr("Istanza"))
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        self.title = QLabel(self.tr("Istanza"))
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAccessibleName(self.tr("Stato e protocollo"))
        layout.addWidget(self.facts)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Apri l'istanza…"))
        self.change_button = QPushButton(self.tr("&Cambia stato…"))
        can_edit = session.workspace.actor.can(Permission.EDIT_CASES)
        self.change_button.setVisible(can_edit)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(self.tr("Storico degli stati")))
        self.model = TextTableModel(
            [self.tr("Data e ora"), self.tr("Da"), self.tr("A"), self.tr("Operatore"),
             self.tr("Motivo")],
            self,
        )  # fmt: skip
        self.table = read_only_table(self.model, accessible_name=self.tr("Storico degli stati"))
        layout.addWidget(self.table, 1)
        self.open_button.clicked.connect(self.on_open_clicked)
        self.change_button.clicked.connect(self.on_change_clicked)
        self.open_button.setEnabled(False)
        self.change_button.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        workspace, istanza_id = self.session.workspace, self.istanza_id
        self.session.tasks.run(lambda: _detail(workspace, istanza_id), on_done=self.on_loaded,
                               owner=self)  # fmt: skip

    def on_loaded(self, detail: Detail) -> None:
        self.detail = detail
        data, avviso_title = detail
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
                self.tr("Presentata il %1").replace("%1", format_datetime(istanza.submitted_at))
            )
        self.facts.setText("\n".join(lines))
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

    def on_open_clicked(self) -> None:
        if self.detail is None:
            return
        data = self.detail[0]
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
        self.wizard.resize(1366, 768)
        self.wizard.show()

    def on_change_clicked(self) -> None:
        if self.detail is None:
            return
        self.dialog = ChangeStateDialog(service.next_states(self.detail[0].istanza.state), self)
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

    def on_state_changed(self, _result: None) -> None:
        self.state_changed.emit(self.istanza_id)
        self.reload()


def _detail(workspace: Workspace, istanza_id: IstanzaId) -> Detail:
    """Worker only."""
    data = service.load_istanza(workspace.uow_factory(), actor=workspace.actor,
                                istanza_id=istanza_id)  # fmt: skip
    return data, service.avviso_of(data.istanza).title
