"""The istanze registered in this installation, with their state in Italian."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain import comuni
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.storage import IstanzaListRow
from caseworker_app.services import istanze
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel

STATE_LABELS: dict[str, str] = {
    "bozza": str(QT_TRANSLATE_NOOP("IstanzaState", "Bozza")),
    "presentata": str(QT_TRANSLATE_NOOP("IstanzaState", "Presentata")),
    "in_istruttoria": str(QT_TRANSLATE_NOOP("IstanzaState", "In istruttoria")),
    "da_integrare": str(QT_TRANSLATE_NOOP("IstanzaState", "Da integrare")),
    "non_ammissibile": str(QT_TRANSLATE_NOOP("IstanzaState", "Non ammissibile")),
    "ammissibile": str(QT_TRANSLATE_NOOP("IstanzaState", "Ammissibile")),
    "valutata": str(QT_TRANSLATE_NOOP("IstanzaState", "Valutata")),
    "trasmessa": str(QT_TRANSLATE_NOOP("IstanzaState", "Trasmessa al capofila")),
    "finanziata": str(QT_TRANSLATE_NOOP("IstanzaState", "Finanziata")),
    "finanziata_parzialmente": str(QT_TRANSLATE_NOOP("IstanzaState", "Finanziata in parte")),
    "ammessa_non_finanziata": str(QT_TRANSLATE_NOOP("IstanzaState", "Ammessa, non finanziata")),
    "in_erogazione": str(QT_TRANSLATE_NOOP("IstanzaState", "In erogazione")),
    "sospesa": str(QT_TRANSLATE_NOOP("IstanzaState", "Sospesa")),
    "cessata": str(QT_TRANSLATE_NOOP("IstanzaState", "Cessata")),
    "chiusa": str(QT_TRANSLATE_NOOP("IstanzaState", "Chiusa")),
}


def state_label(state: str) -> str:
    label = STATE_LABELS.get(state)
    return QCoreApplication.translate("IstanzaState", label) if label else state


def avviso_title(avviso_id: str) -> str:
    """The avviso's title from its definition (its id when the definition is not installed)."""
    try:
        return get_avviso(avviso_id).title
    except UserFacingError:
        return avviso_id


@dataclass(frozen=True)
class IstanzaLine:
    """A row of the list ready for display (built on the worker), with what it is filtered by."""

    istanza_id: str
    cells: tuple[str, ...]
    state: str
    avviso: str
    avviso_title: str
    operator: str
    operator_label: str


def _display(row: IstanzaListRow, title: str) -> IstanzaLine:
    place = comuni.comune_by_code(row.comune)
    beneficiary = " ".join(p for p in (row.surname, row.given_name) if p)
    operator = row.operator_name or row.operator
    cells = (
        place.name if place else row.comune,
        row.protocol or "—",
        title,
        state_label(row.state),
        beneficiary,
        format_date(row.submitted_at.date()) if row.submitted_at else "",
        operator,
    )
    return IstanzaLine(row.istanza_id, cells, row.state, row.avviso, title, row.operator, operator)


class IstanzeView(QWidget):
    #: Enter or double-click on a row (the istanza id); the view also opens its detail
    open_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ids: list[str] = []
        self.lines: list[IstanzaLine] = []
        self.detail: QWidget | None = None
        self.model = TextTableModel(
            [
                self.tr("Comune"),
                self.tr("Protocollo"),
                self.tr("Avviso"),
                self.tr("Stato"),
                self.tr("Beneficiario"),
                self.tr("Data"),
                self.tr("Registrata da"),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Istanze"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        filters = QHBoxLayout()
        self.state_filter = self._filter(self.tr("Filtra per stato"), self.tr("Tutti gli stati"))
        self.avviso_filter = self._filter(self.tr("Filtra per avviso"), self.tr("Tutti gli avvisi"))
        self.operator_filter = self._filter(
            self.tr("Filtra per operatore"), self.tr("Tutti gli operatori")
        )
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Numero di istanze mostrate"))
        self.count_label.setMinimumWidth(140)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label, combo in (
            (self.tr("Stato"), self.state_filter),
            (self.tr("Avviso"), self.avviso_filter),
            (self.tr("Registrata da"), self.operator_filter),
        ):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout.addLayout(filters)
        self.stack = QStackedWidget()
        self.table = read_only_table(self.model, accessible_name=self.tr("Elenco delle istanze"))
        self.empty = QLabel(
            self.tr(
                "Nessuna istanza registrata finora. Le istanze compariranno qui con il loro stato "
                "(presentata, in istruttoria, da integrare…) appena saranno registrate."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.table.activated.connect(self.on_row_activated)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def _filter(self, accessible: str, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        combo.addItem(everything, "")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMaximumWidth(360)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return combo

    def activate(self) -> None:
        workspace = self.session.workspace

        def load() -> list[IstanzaLine]:
            rows = istanze.list_istanze(workspace.uow_factory(), actor=workspace.actor)
            titles = {a: avviso_title(a) for a in {row.avviso for row in rows}}
            return [_display(row, titles[row.avviso]) for row in rows]

        self.session.tasks.run(load, on_done=self.on_istanze_loaded, owner=self)

    def on_istanze_loaded(self, lines: list[IstanzaLine]) -> None:
        self.lines = lines
        states = {line.state for line in lines}
        self._fill(self.state_filter,
                   [(state_label(s), s) for s in STATE_LABELS if s in states])  # fmt: skip
        avvisi = {line.avviso: line.avviso_title for line in lines}
        self._fill(self.avviso_filter, sorted(((t, a) for a, t in avvisi.items())))
        operators = {line.operator: line.operator_label for line in lines if line.operator}
        self._fill(self.operator_filter, sorted(((n, o) for o, n in operators.items())))
        self.apply_filters()
        self.stack.setCurrentWidget(self.table if lines else self.empty)

    @staticmethod
    def _fill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        """The choices present in the list, keeping the current one (if still there)."""
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in choices:
            combo.addItem(text, value)
        found = combo.findData(current)
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def apply_filters(self) -> None:
        state, avviso = self.state_filter.currentData(), self.avviso_filter.currentData()
        operator = self.operator_filter.currentData()
        shown = [
            line
            for line in self.lines
            if (not state or line.state == state)
            and (not avviso or line.avviso == avviso)
            and (not operator or line.operator == operator)
        ]
        self.ids = [line.istanza_id for line in shown]
        self.model.set_rows([line.cells for line in shown])
        if len(shown) == len(self.lines):
            text = self.tr("%1 istanze").replace("%1", str(len(shown)))
        else:
            text = (
                self.tr("%1 di %2 istanze")
                .replace("%1", str(len(shown)))
                .replace("%2", str(len(self.lines)))
            )
        self.count_label.setText(text)

    def on_row_activated(self, index: QModelIndex) -> None:
        if not 0 <= index.row() < len(self.ids):
            return
        istanza_id = self.ids[index.row()]
        self.open_requested.emit(istanza_id)
        # Imported here: the wizard is heavier than the list, which opens at start-up.
        from caseworker_app.domain.ids import IstanzaId
        from caseworker_app.ui.istanza_wizard.detail import IstanzaDetailView

        if self.detail is not None:
            self.detail.close()
            self.detail.deleteLater()
        detail = IstanzaDetailView(self.session, istanza_id=IstanzaId(istanza_id), parent=self)
        detail.state_changed.connect(lambda _id: self.activate())
        show_fitted(detail)
        self.detail = detail
