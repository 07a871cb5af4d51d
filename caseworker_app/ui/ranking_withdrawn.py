"""The istanze withdrawn by their applicants, chosen for a new run (the "Nuova graduatoria"
dialog's "Scegli…").

A comune tells the capofila that an applicant gave up the istanza (*rinuncia*); the next run
keeps it, as not admitted, with the reason among its checks (``ranking_runs.rank_received``'s
``withdrawn``). The list shows every istanza received for the avviso, by comune and protocol,
with a search field; those the latest run kept out as withdrawn come ticked, since a run only
knows of a withdrawal when it is told.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.ui.transmission_models import comune_name

_IDENT = Qt.ItemDataRole.UserRole + 1

Ident = tuple[str, str]  # (comune, protocol)


def istanza_label(ident: Ident) -> str:
    comune, protocol = ident
    return f"{comune_name(comune)} — {protocol}"


def withdrawn_summary(chosen: Iterable[Ident]) -> str:
    """ "Nessuna", or how many with the first few (the dialog's line under the button)."""
    idents = sorted(chosen, key=lambda i: (comune_name(i[0]).casefold(), i[1]))
    if not idents:
        return QCoreApplication.translate("Rankings", "Nessuna")
    shown = ", ".join(istanza_label(i) for i in idents[:3])
    more = len(idents) - 3
    if more > 0:
        shown += QCoreApplication.translate("Rankings", " e altre %1").replace("%1", str(more))
    return f"{len(idents)}: {shown}"


class WithdrawnDialog(QDialog):
    def __init__(
        self, received: Sequence[Ident], chosen: Iterable[Ident], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Istanze ritirate"))
        self.setMinimumSize(520, 480)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Spunta le istanze di cui il comune ha comunicato la rinuncia del richiedente: "
                "restano nella graduatoria come non ammissibili, con il motivo. Quelle ritirate "
                "nell'ultima graduatoria sono già spuntate."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Cerca per comune o protocollo"))
        self.search.setPlaceholderText(self.tr("Cerca per comune o protocollo…"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = QStandardItemModel(self)
        wanted = set(chosen)
        for ident in sorted(received, key=lambda i: (comune_name(i[0]).casefold(), i[1])):
            item = QStandardItem(istanza_label(ident))
            item.setEditable(False)
            item.setCheckable(True)
            item.setCheckState(
                Qt.CheckState.Checked if ident in wanted else Qt.CheckState.Unchecked
            )
            item.setData(ident, _IDENT)
            self.model.appendRow(item)
        self.filtered = QSortFilterProxyModel(self)
        self.filtered.setSourceModel(self.model)
        self.filtered.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self.filtered.setFilterFixedString)
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Istanze ricevute"))
        self.list.setModel(self.filtered)
        self.list.setUniformItemSizes(True)  # thousands of rows
        layout.addWidget(self.list, 1)
        self.count = QLabel()
        self.model.itemChanged.connect(lambda _item: self._count())
        layout.addWidget(self.count)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("&Conferma"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.clicked.connect(self.accept)
        cancel = buttons.addButton(self.tr("Annulla"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._count()

    def _count(self) -> None:
        self.count.setText(self.tr("Ritirate: %1").replace("%1", str(len(self.chosen()))))

    def chosen(self) -> frozenset[Ident]:
        out = set()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                comune, protocol = item.data(_IDENT)
                out.add((str(comune), str(protocol)))
        return frozenset(out)
