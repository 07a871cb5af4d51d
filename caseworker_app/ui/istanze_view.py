"""The istanze registered in this installation, with their state in Italian."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import comuni
from caseworker_app.services import istanze
from caseworker_app.services.ports import IstanzaListRow
from caseworker_app.ui.formats import format_date
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


def _display(row: IstanzaListRow) -> tuple[str, ...]:
    place = comuni.comune_by_code(row.comune)
    beneficiary = " ".join(p for p in (row.surname, row.given_name) if p)
    return (
        place.name if place else row.comune,
        row.protocol or "—",
        row.avviso,
        state_label(row.state),
        beneficiary,
        format_date(row.submitted_at.date()) if row.submitted_at else "",
    )


class IstanzeView(QWidget):
    #: Enter or double-click on a row (the istanza id); the view also opens its detail
    open_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ids: list[str] = []
        self.detail: QWidget | None = None
        self.model = TextTableModel(
            [
                self.tr("Comune"),
                self.tr("Protocollo"),
                self.tr("Avviso"),
                self.tr("Stato"),
                self.tr("Beneficiario"),
                self.tr("Data"),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Istanze"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
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

    def activate(self) -> None:
        workspace = self.session.workspace

        def load() -> list[tuple[str, tuple[str, ...]]]:
            rows = istanze.list_istanze(workspace.uow_factory(), actor=workspace.actor)
            return [(row.istanza_id, _display(row)) for row in rows]

        self.session.tasks.run(load, on_done=self.on_istanze_loaded, owner=self)

    def on_istanze_loaded(self, rows: list[tuple[str, tuple[str, ...]]]) -> None:
        self.ids = [istanza_id for istanza_id, _ in rows]
        self.model.set_rows([display for _, display in rows])
        self.stack.setCurrentWidget(self.table if rows else self.empty)

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
        detail.show()
        self.detail = detail
