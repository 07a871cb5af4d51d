""" "Cartelle duplicate": the admin sees the case files that share a codice fiscale and merges
each group into the cartella she chooses to keep (everything moves there; audited)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import comuni
from caseworker_app.domain.casefile import CaseListRow, DuplicateGroup
from caseworker_app.domain.ids import CaseId
from caseworker_app.services import cases
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.session import Session

_CASE_ROLE = Qt.ItemDataRole.UserRole


class DuplicateCasesDialog(QDialog):
    #: a merge reached the store (the case list is out of date)
    cases_merged = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.groups: list[DuplicateGroup] = []
        self.confirm_box: QMessageBox | None = None
        self._just_merged = False
        self.setWindowTitle(self.tr("Cartelle duplicate"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Queste cartelle hanno lo stesso codice fiscale: sono della stessa persona. "
                "Per ogni codice seleziona la cartella da conservare e premi «Unisci nella "
                "cartella selezionata»: istanze, documenti, diario, valutazioni e rete familiare "
                "delle altre cartelle passano in quella, che prende da esse i dati anagrafici "
                "che le mancano. Le altre cartelle vengono eliminate; l'unione resta nel "
                "registro attività."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Cartelle con lo stesso codice fiscale"))
        self.tree.setHeaderLabels(
            [self.tr("Cognome e nome"), self.tr("Data di nascita"), self.tr("Comune di residenza")]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 130)
        self.tree.itemSelectionChanged.connect(self.on_selection_changed)
        layout.addWidget(self.tree, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Esito"))
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.merge_button = QPushButton(self.tr("Unisci nella cartella selezionata"))
        self.merge_button.setAccessibleName(self.tr("Unisci nella cartella selezionata"))
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.on_merge_clicked)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("Chiudi"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self.status.setText(self.tr("Ricerca delle cartelle duplicate…"))
        workspace = self.session.workspace
        self.session.tasks.run(
            lambda: cases.find_duplicates(workspace.uow_factory(), actor=workspace.actor),
            on_done=self.on_groups_loaded,
            owner=self,
        )

    def _person(self, row: CaseListRow) -> str:
        name = " ".join(p for p in (row.surname, row.given_name) if p)
        return name or self.tr("(senza nome)")

    def on_groups_loaded(self, groups: list[DuplicateGroup]) -> None:
        self.groups = groups
        self.tree.clear()
        for group in groups:
            head = QTreeWidgetItem(
                [self.tr("Codice fiscale %1").replace("%1", group.codice_fiscale)]
            )
            head.setFlags(head.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(head)
            for row in group.cases:
                place = (
                    comuni.comune_by_code(row.residence_comune) if row.residence_comune else None
                )
                item = QTreeWidgetItem(
                    [self._person(row), format_date(row.birth_date), place.name if place else ""]
                )
                item.setData(0, _CASE_ROLE, row.case_id)
                head.addChild(item)
            head.setExpanded(True)
        if groups:
            text = self.tr("Codici fiscali con più cartelle: %1").replace("%1", str(len(groups)))
        else:
            text = self.tr("Nessuna cartella duplicata.")
        if self._just_merged:
            text = self.tr("Cartelle unite.") + " " + text
            self._just_merged = False
        self.status.setText(text)
        self.on_selection_changed()

    # -- merging ---------------------------------------------------------------------------

    def selected(self) -> tuple[CaseId, list[CaseId]] | None:
        """The cartella chosen to keep and the others of its codice fiscale."""
        items = self.tree.selectedItems()
        head = items[0].parent() if items else None
        if head is None:
            return None
        item = items[0]
        keep = CaseId(str(item.data(0, _CASE_ROLE)))
        siblings = (head.child(i) for i in range(head.childCount()))
        others = [
            CaseId(str(s.data(0, _CASE_ROLE))) for s in siblings if s is not None and s is not item
        ]
        return keep, others

    def on_selection_changed(self) -> None:
        self.merge_button.setEnabled(self.selected() is not None)

    def on_merge_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        keep, others = chosen
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unire le cartelle?"),
            self.tr(
                "Le altre %1 cartelle di questo codice fiscale saranno unite nella cartella "
                "selezionata ed eliminate. L'operazione non si può annullare."
            ).replace("%1", str(len(others))),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        merge = box.addButton(self.tr("Unisci"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._merge(keep, others) if button is merge else None
        )
        self.confirm_box = box
        box.open()

    def _merge(self, keep: CaseId, others: list[CaseId]) -> None:
        self.merge_button.setEnabled(False)
        self.status.setText(self.tr("Unione in corso…"))
        workspace, now = self.session.workspace, self.session.now()

        def merge_all() -> None:
            for duplicate in others:
                cases.merge_cases(workspace.uow_factory(), actor=workspace.actor,
                                  survivor=keep, duplicate=duplicate, now=now)  # fmt: skip

        self.session.tasks.run(
            merge_all, on_done=self.on_merged, on_error=self.on_merge_failed, owner=self
        )

    def on_merged(self, _result: None) -> None:
        self._just_merged = True
        self.cases_merged.emit()
        self.reload()

    def on_merge_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Unione non riuscita."))
        self.cases_merged.emit()  # a group of several may have been merged in part
        self.reload()
        errors.report_error(self, exc)
