"""Operators (administrators only): who may open this archive, new accounts, passwords, leavers."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.operator import Operator
from caseworker_app.ui.errors import report_error
from caseworker_app.ui.formats import format_count
from caseworker_app.ui.operator_dialogs import (
    EditOperatorDialog,
    NewOperatorDialog,
    SetOperatorPasswordDialog,
)
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.wording import roles_text


class OperatorsView(QWidget):
    #: the list was read again from the store (after opening the section or a change)
    operators_loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operators: list[Operator] = []
        #: the dialog or confirmation currently open, if any
        self.dialog: QDialog | None = None
        self._select_after_load: str | None = None
        self.confirm_disable_button: QAbstractButton | None = None
        self.model = TextTableModel(
            [
                self.tr("Nome utente"),
                self.tr("Nome e cognome"),
                self.tr("Qualifica"),
                self.tr("Ruoli"),
                self.tr("Stato"),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Operatori"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Le persone che possono aprire questo archivio, ognuna con il proprio nome "
                "utente e la propria password. Chi non lavora più qui va disattivato, non "
                "eliminato: il suo nome resta nel registro attività."
            )
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._actions())
        self.table = read_only_table(
            self.model, accessible_name=self.tr("Elenco degli operatori"), single_selection=True
        )
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        layout.addWidget(self.summary)
        self.on_selection_changed()

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("Nuovo operatore…"))
        self.new_button.setAccessibleName(self.tr("Nuovo operatore"))
        self.new_button.clicked.connect(self.on_new_clicked)
        self.edit_button = QPushButton(self.tr("Nome e qualifica…"))
        self.edit_button.setAccessibleName(
            self.tr("Modifica nome e qualifica dell'operatore scelto")
        )
        self.edit_button.clicked.connect(self.on_edit_clicked)
        self.password_button = QPushButton(self.tr("Imposta nuova password…"))
        self.password_button.setAccessibleName(
            self.tr("Imposta una nuova password per l'operatore scelto")
        )
        self.password_button.clicked.connect(self.on_set_password_clicked)
        self.disable_button = QPushButton(self.tr("Disattiva…"))
        self.disable_button.setAccessibleName(self.tr("Disattiva l'operatore scelto"))
        self.disable_button.clicked.connect(self.on_disable_clicked)
        row.addWidget(self.new_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.password_button)
        row.addWidget(self.disable_button)
        row.addStretch(1)
        return row

    # -- the list --------------------------------------------------------------------------

    def activate(self) -> None:
        workspace = self.session.workspace
        self.session.tasks.run(
            workspace.list_operators, on_done=self.on_operators_loaded, owner=self
        )

    def on_operators_loaded(self, operators: list[Operator]) -> None:
        chosen = self.selected()
        username = self._select_after_load or (chosen.username if chosen else None)
        self._select_after_load = None
        self.operators = sorted(operators, key=lambda o: (not o.active, o.username.casefold()))
        self.model.set_rows([self._row(o) for o in self.operators])
        active = sum(1 for o in self.operators if o.active)
        self.summary.setText(
            self.tr("%1 operatori, di cui %2 attivi.")
            .replace("%1", format_count(len(self.operators)))
            .replace("%2", format_count(active))
        )
        if username is not None:
            self.select(username)
        self.on_selection_changed()
        self.operators_loaded.emit()

    def _row(self, operator: Operator) -> tuple[str, ...]:
        state = self.tr("attivo") if operator.active else self.tr("disattivato")
        return (operator.username, operator.full_name, operator.qualifica or "—",
                roles_text(operator.roles), state)  # fmt: skip

    def selected(self) -> Operator | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.operators):
            return None
        return self.operators[rows[0].row()]

    def select(self, username: str) -> None:
        for row, operator in enumerate(self.operators):
            if operator.username == username:
                self.table.selectRow(row)
                return

    def is_me(self, operator: Operator) -> bool:
        return operator.username.casefold() == self.session.workspace.actor.username.casefold()

    def on_selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        operator = self.selected()
        mine = operator is not None and self.is_me(operator)
        self.edit_button.setEnabled(operator is not None)
        self.password_button.setEnabled(operator is not None and not mine)
        self.disable_button.setEnabled(operator is not None and operator.active and not mine)
        tip = self.tr("Per il tuo account usa «Archivio › Cambia la mia password…».")
        self.password_button.setToolTip(tip if mine else "")
        self.disable_button.setToolTip(
            self.tr("Non puoi disattivare il tuo stesso account.") if mine else ""
        )

    # -- actions ---------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def on_new_clicked(self) -> None:
        dialog = NewOperatorDialog(self.session.workspace, self.session.tasks, self.window())
        dialog.operator_added.connect(self.on_operator_added)
        self._open(dialog)

    def on_operator_added(self, operator: Operator) -> None:
        self._select_after_load = operator.username
        self.activate()

    def on_edit_clicked(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        dialog = EditOperatorDialog(
            self.session.workspace, self.session.tasks, operator, self.window()
        )
        dialog.operator_updated.connect(self.on_operator_added)  # reload, keep it selected
        self._open(dialog)

    def on_set_password_clicked(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        dialog = SetOperatorPasswordDialog(
            self.session.workspace, self.session.tasks, operator, self.window()
        )
        dialog.password_set.connect(lambda _username: self.activate())
        self._open(dialog)

    def on_disable_clicked(self) -> None:
        operator = self.selected()
        if operator is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Disattiva operatore"),
            self.tr("Disattivare l'account di %1 (%2)?")
            .replace("%1", operator.full_name)
            .replace("%2", operator.username),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        box.setInformativeText(
            self.tr(
                "L'account resta nel registro attività, con tutto ciò che ha fatto, ma non può "
                "più aprire l'archivio. Per riattivarlo basta impostargli una nuova password."
            )
        )
        self.confirm_disable_button = box.addButton(
            self.tr("Disattiva"), QMessageBox.ButtonRole.DestructiveRole
        )
        cancel = box.addButton(self.tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.finished.connect(
            lambda _result: self.on_disable_answered(
                box.clickedButton() is self.confirm_disable_button, operator.username
            )
        )
        self._open(box)

    def on_disable_answered(self, confirmed: bool, username: str) -> None:
        if not confirmed:
            return
        workspace = self.session.workspace
        self.disable_button.setEnabled(False)
        self.session.tasks.run(
            lambda: workspace.disable_operator(username=username),
            on_done=lambda _none: self.activate(),
            on_error=self.on_disable_failed,
            owner=self,
        )

    def on_disable_failed(self, exc: BaseException) -> None:
        self.on_selection_changed()
        report_error(self.window(), exc)
