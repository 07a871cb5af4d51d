"""Deadlines: promised documents, istanze to transmit, ISEE expiring, PI checks, the backup.

The rows are read on the worker (``services.scadenze.list_scadenze``) each time the page is
shown. The table sorts by any column (dates by their value), filters by kind, and shows the
urgency with a colour and a word. Double-click or Enter on a row emits ``open_requested`` with
the kind, the case id and the target id (document, istanza or ISEE record) for the main window.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.services import scadenze
from caseworker_app.services.scadenze import Scadenza, ScadenzaKind, Urgency
from caseworker_app.services.settings import BACKUP_REMINDER_DAYS
from caseworker_app.ui import errors
from caseworker_app.ui.backup import BackupController, backup_overdue, describe_last_backup
from caseworker_app.ui.case_sections.labels import DOCUMENT_LABELS, ISEE_TYPE_LABELS
from caseworker_app.ui.case_sections.labels import tr as tr_label
from caseworker_app.ui.formats import format_count, format_date
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3
COLUMNS = 4  # due, urgency, kind, description

_URGENCY_COLOURS = {
    Urgency.OVERDUE: ("#f8d7da", "#842029"),
    Urgency.SOON: ("#fff3cd", "#664d03"),
    Urgency.LATER: ("", ""),
}
_URGENCY_RANK = {Urgency.OVERDUE: 0, Urgency.SOON: 1, Urgency.LATER: 2}


class _KindFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.setSortRole(SORT_ROLE)

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self.kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.kind:
            return True
        index = self.sourceModel().index(source_row, 2, source_parent)
        return bool(index.data(KIND_ROLE) == self.kind)


class ScadenzeView(QWidget):
    #: open what a row is about: (kind, case id, target id); backup rows carry empty ids
    open_requested = Signal(str, str, str, str)

    def __init__(
        self, session: Session, backups: BackupController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.backups = backups
        self.rows: list[Scadenza] = []
        self.loading = False
        self._build()
        backups.backup_done.connect(lambda _report: self.activate())

    # -- building ----------------------------------------------------------------------------

    def kind_label(self, kind: ScadenzaKind) -> str:
        return {
            ScadenzaKind.DOCUMENT: self.tr("Documento promesso"),
            ScadenzaKind.ISTANZA_DOCUMENT: self.tr("Documento dell'istanza"),
            ScadenzaKind.TRANSMISSION: self.tr("Trasmissione al capofila"),
            ScadenzaKind.ISEE: self.tr("Attestazione ISEE"),
            ScadenzaKind.VERIFICA: self.tr("Verifica del PI"),
            ScadenzaKind.BACKUP: self.tr("Backup"),
        }[kind]

    def urgency_label(self, urgency: Urgency) -> str:
        return {
            Urgency.OVERDUE: self.tr("Scaduta"),
            Urgency.SOON: self.tr("In scadenza"),
            Urgency.LATER: self.tr("Più avanti"),
        }[urgency]

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Scadenze"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        row = QFrame()
        row.setFrameShape(QFrame.Shape.StyledPanel)
        line = QHBoxLayout(row)
        self.backup_state = QLabel()
        self.backup_state.setWordWrap(True)
        self.backup_state.setAccessibleName(self.tr("Stato del backup"))
        self.backup_button = QPushButton(self.tr("Esegui backup ora"))
        self.backup_button.setAccessibleName(self.tr("Esegui backup ora"))
        self.backup_button.clicked.connect(lambda: self.backups.run_backup())
        line.addWidget(self.backup_state, 1)
        line.addWidget(self.backup_button)
        layout.addWidget(row)
        bar = QHBoxLayout()
        label = QLabel(self.tr("Mostra:"))
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(self.tr("Filtra per tipo di scadenza"))
        self.kind_filter.addItem(self.tr("Tutte le scadenze"), "")
        for kind in ScadenzaKind:
            self.kind_filter.addItem(self.kind_label(kind), kind.value)
        label.setBuddy(self.kind_filter)
        self.kind_filter.currentIndexChanged.connect(self.on_kind_filter_changed)
        self.count = QLabel()
        self.count.setObjectName("hint")
        bar.addWidget(label)
        bar.addWidget(self.kind_filter)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        self.model = QStandardItemModel(0, COLUMNS, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Scadenza"), self.tr("Urgenza"), self.tr("Tipo"), self.tr("Descrizione")]
        )
        self.proxy = _KindFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Elenco delle scadenze"))
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.on_row_activated)
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("Nessuna scadenza: tutto in regola."))
        self.empty.setObjectName("emptyState")
        self.empty.hide()
        layout.addWidget(self.empty)
        hint = QLabel(self.tr("Doppio clic o Invio su una riga per aprire la cartella."))
        hint.setObjectName("hint")
        layout.addWidget(hint)

    # -- loading -----------------------------------------------------------------------------

    def activate(self) -> None:
        """The page is shown: refresh the backup line and reload the deadlines on the worker."""
        self._refresh_backup()
        if self.loading:
            return
        self.loading = True
        self.count.setText(self.tr("Caricamento…"))
        workspace, now = self.session.workspace, self.session.now()
        last = self.session.last_backup_at
        days = self.session.settings[BACKUP_REMINDER_DAYS.key]

        def load() -> list[Scadenza]:
            return scadenze.list_scadenze(
                workspace.uow_factory(), actor=workspace.actor, today=now.date(),
                last_backup_at=last, backup_reminder_days=days, now=now,
            )  # fmt: skip

        self.session.tasks.run(
            load, on_done=self.on_loaded, on_error=self.on_load_failed, owner=self
        )

    def _refresh_backup(self) -> None:
        days = self.session.settings[BACKUP_REMINDER_DAYS.key]
        overdue = backup_overdue(self.session)
        text = describe_last_backup(self.session) + " "
        if overdue:
            text += self.tr("Backup da fare: il promemoria è impostato ogni %1 giorni.")
        else:
            text += self.tr("Nessuna scadenza: il prossimo promemoria tra al massimo %1 giorni.")
        self.backup_state.setText(text.replace("%1", str(days)))
        set_severity(self.backup_state, "warning" if overdue else "ok")

    def on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.count.setText("")
        errors.report_error(self.window(), exc)

    def on_loaded(self, rows: list[Scadenza]) -> None:
        self.loading = False
        self.rows = rows
        self.model.setRowCount(0)
        for index, entry in enumerate(rows):
            self.model.appendRow(self._items(index, entry))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self._update_count()

    def _items(self, index: int, entry: Scadenza) -> list[QStandardItem]:
        due = QStandardItem(format_date(entry.due))
        due.setData(entry.due.isoformat(), SORT_ROLE)
        due.setData(index, ROW_ROLE)
        urgency = QStandardItem(self.urgency_label(entry.urgency))
        urgency.setData(f"{_URGENCY_RANK[entry.urgency]}{entry.due.isoformat()}", SORT_ROLE)
        background, foreground = _URGENCY_COLOURS[entry.urgency]
        if background:
            urgency.setBackground(QBrush(QColor(background)))
            urgency.setForeground(QBrush(QColor(foreground)))
            font = urgency.font()
            font.setBold(True)
            urgency.setFont(font)
        kind = QStandardItem(self.kind_label(entry.kind))
        kind.setData(self.kind_label(entry.kind), SORT_ROLE)
        kind.setData(entry.kind.value, KIND_ROLE)
        text = self.describe(entry, today=self.session.now().date())
        description = QStandardItem(text)
        description.setData(text.casefold(), SORT_ROLE)
        description.setToolTip(text)
        return [due, urgency, kind, description]

    def describe(self, entry: Scadenza, *, today: date) -> str:
        p = entry.params
        person = p.get("person", "")
        if entry.kind is ScadenzaKind.DOCUMENT:
            code = p.get("document", "")
            label = tr_label(DOCUMENT_LABELS[code]) if code in DOCUMENT_LABELS else code
            title = p.get("title", "")
            what = f"{label} ({title})" if title and title != label else label
            return (
                self.tr("%1: %2 promesso e non ancora consegnato")
                .replace("%1", person)
                .replace("%2", what)
            )
        if entry.kind is ScadenzaKind.ISTANZA_DOCUMENT:
            code = p.get("document", "")
            label = tr_label(DOCUMENT_LABELS[code]) if code in DOCUMENT_LABELS else code
            protocol = p.get("protocol", "") or self.tr("in bozza")
            text = (
                self.tr("%1: %2 non pervenuto entro il termine (istanza %3)")
                if entry.due < today
                else self.tr("%1: %2 promesso per l'istanza %3")
            )
            return text.replace("%1", person).replace("%2", label).replace("%3", protocol)
        if entry.kind is ScadenzaKind.TRANSMISSION:
            text = self.tr("%1: istanza %2 da trasmettere al capofila (%3)")
            protocol = p.get("protocol", "") or self.tr("senza protocollo")
            return (
                text.replace("%1", person)
                .replace("%2", protocol)
                .replace("%3", p.get("avviso", ""))
            )
        if entry.kind is ScadenzaKind.ISEE:
            isee_type = p.get("isee_type", "")
            label = tr_label(ISEE_TYPE_LABELS[isee_type]) if isee_type in ISEE_TYPE_LABELS else ""
            text = (
                self.tr("%1: ISEE %2 scaduto, serve una nuova attestazione")
                if entry.due < today
                else self.tr("%1: ISEE %2 in scadenza, chiedi la nuova DSU")
            )
            return text.replace("%1", person).replace("%2", label.lower())
        if entry.kind is ScadenzaKind.VERIFICA:
            text = self.tr("%1: verifica del Progetto Individuale (versione %2, istanza %3)")
            protocol = p.get("protocol", "") or self.tr("senza protocollo")
            return (
                text.replace("%1", person)
                .replace("%2", p.get("version", ""))
                .replace("%3", protocol)
            )
        return self.tr("Backup dei dati: il promemoria è impostato ogni %1 giorni").replace(
            "%1", p.get("days", "")
        )

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        overdue = sum(1 for r in self.rows if r.urgency is Urgency.OVERDUE)
        text = self.tr("%1 scadenze, di cui %2 scadute")
        self.count.setText(
            text.replace("%1", format_count(shown)).replace("%2", format_count(overdue))
        )
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))

    # -- interaction -------------------------------------------------------------------------

    def on_kind_filter_changed(self, _index: int) -> None:
        self.proxy.set_kind(str(self.kind_filter.currentData() or ""))
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.on_row_activated(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def on_row_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        source = self.proxy.mapToSource(index)
        position = self.model.item(source.row(), 0).data(ROW_ROLE)
        if not isinstance(position, int) or not 0 <= position < len(self.rows):
            return
        entry = self.rows[position]
        detail = (
            entry.params.get("document", "") if entry.kind is ScadenzaKind.ISTANZA_DOCUMENT else ""
        )
        self.open_requested.emit(entry.kind.value, entry.case_id, entry.target_id, detail)
