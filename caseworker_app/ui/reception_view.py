"""Ricezione (at the capofila): import the comuni's istruttorie, see what was received.

"Importa file…" (or a file dropped on the page) imports a file of the comuni on the worker
with progress and cancel. The first file of a comune is refused until its keys are confirmed:
the page shows their fingerprint, to be read on the phone, and imports again once the user
says it matches. After an import the page says where the receipt was written (to give back
to the comune) and what happened to each istanza, with a warning when the comune's activity
log looks rewritten. Below: the received istanze by comune (filter by avviso and comune) with
their read-only detail, the files imported, and the comuni whose keys are still unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.roles import Permission
from caseworker_app.domain.transmission import ReceivedIstanza, ReceivedTransmission
from caseworker_app.services import transmissions_reception as reception
from caseworker_app.services.transmissions_reception import ImportedIstruttorie
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_datetime
from caseworker_app.ui.istanze_view import avviso_title
from caseworker_app.ui.reception_detail import Detail, ReceivedDetailView, load_detail
from caseworker_app.ui.screen_fit import show_entries_in_full
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.theme import init_severity
from caseworker_app.ui.transfer_files import TransferImporter, dropped_file
from caseworker_app.ui.transmission_models import (
    completeness,
    comune_name,
    document_count,
    outcome_counts,
    outcome_label,
)


@dataclass(frozen=True)
class ReceptionData:
    """What the page shows, read on the worker."""

    istanze: list[ReceivedIstanza]
    transmissions: list[ReceivedTransmission]
    awaiting: list[tuple[str, str]]  # (code, name) of the comuni without confirmed keys


def load_reception(session: Session) -> ReceptionData:
    """Worker only."""
    uow, actor = session.workspace.uow_factory, session.workspace.actor
    istanze = reception.received_istanze(uow(), actor=actor)
    istanze.sort(key=lambda i: (comune_name(i.comune).casefold(), i.protocol))
    return ReceptionData(
        istanze,
        sorted(
            reception.received_transmissions(uow(), actor=actor),
            key=lambda t: (t.imported_at, t.file_name),
            reverse=True,
        ),
        reception.awaiting_keys(uow(), actor=actor),
    )


class ImportOutcomeDialog(QDialog):
    """What an import did: the receipt written, each istanza's outcome, a chain warning."""

    def __init__(
        self,
        transmission: ReceivedTransmission,
        *,
        receipt: Path | None,
        already: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Esito dell'importazione"))
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("File %1").replace("%1", transmission.file_name))
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        comuni = ", ".join(comune_name(c) for c in transmission.comuni)
        lines = [
            self.tr("Inviato da: %1, il %2.")
            .replace("%1", comuni)
            .replace("%2", format_datetime(transmission.created_at)),
        ]
        if already:
            lines.append(self.tr("Il file era già stato importato: nulla è cambiato."))
        if receipt is not None:
            lines.append(
                "\n"
                + self.tr(
                    "La ricevuta per il comune è stata scritta in:\n%1\nRestituiscila al comune "
                    "(chiavetta o PEC): la importerà nella sua pagina «Trasmissioni»."
                ).replace("%1", str(receipt))
            )
        self.summary = QLabel("\n".join(lines))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.warning = QLabel(transmission.chain_warning)
        self.warning.setWordWrap(True)
        init_severity(self.warning, "warning")
        self.warning.setAccessibleName(self.tr("Avviso sul registro del comune"))
        self.warning.setVisible(bool(transmission.chain_warning))
        layout.addWidget(self.warning)
        self.model = TextTableModel(
            [self.tr("Comune"), self.tr("Protocollo"), self.tr("Versione"), self.tr("Esito"),
             self.tr("Motivo")], self,
        )  # fmt: skip
        self.model.set_rows(
            [
                (
                    comune_name(line.comune),
                    line.protocol,
                    str(line.version),
                    outcome_label(line.outcome),
                    line.detail,
                )
                for line in transmission.receipt_lines
            ]
        )
        table = read_only_table(self.model, accessible_name=self.tr("Esito per ogni istanza"))
        layout.addWidget(table, 1)
        counts = QLabel(outcome_counts(transmission.receipt_lines))
        counts.setObjectName("hint")
        layout.addWidget(counts)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Chiudi"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(820, 480)


class ReceptionView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data = ReceptionData([], [], [])
        self.shown: list[ReceivedIstanza] = []
        self.loading = False
        self.outcome: ImportOutcomeDialog | None = None
        self.importer = TransferImporter(session, self)
        self.importer.imported.connect(self.on_imported)
        self._build()
        self.setAcceptDrops(session.workspace.actor.can(Permission.TRANSMIT))

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Ricezione"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Le istruttorie dei comuni dell'ambito arrivano in un file cifrato (chiavetta, "
                "PEC): importalo con «Importa file…» o trascinalo qui. La ricevuta da restituire "
                "al comune viene scritta accanto al file importato."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.import_button = QPushButton(self.tr("&Importa file…"))
        self.import_button.setAccessibleName(self.tr("Importa un file di istruttorie"))
        self.import_button.setEnabled(self.session.workspace.actor.can(Permission.TRANSMIT))
        self.import_button.clicked.connect(
            lambda: self.importer.choose_and_import(self.tr("Scegli il file ricevuto dal comune"))
        )
        bar.addWidget(self.import_button)
        bar.addSpacing(16)
        self.avviso_filter = self._filter(self.tr("Filtra per avviso"), self.tr("Tutti gli avvisi"))
        self.comune_filter = self._filter(self.tr("Filtra per comune"), self.tr("Tutti i comuni"))
        show_entries_in_full(self.avviso_filter)
        for text, combo in ((self.tr("&Avviso:"), self.avviso_filter),
                            (self.tr("&Comune:"), self.comune_filter)):  # fmt: skip
            caption = QLabel(text)
            caption.setBuddy(combo)
            bar.addWidget(caption)
            bar.addWidget(combo)
        bar.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.count.setAccessibleName(self.tr("Numero di istanze mostrate"))
        bar.addWidget(self.count)
        layout.addLayout(bar)

        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setChildrenCollapsible(False)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        self.model = TextTableModel(
            [self.tr("Comune"), self.tr("Protocollo"), self.tr("Versione"),
             self.tr("Ricevuta il"), self.tr("Documenti"), self.tr("Valutazione e PI")], self,
        )  # fmt: skip
        self.table = read_only_table(
            self.model, accessible_name=self.tr("Istanze ricevute"), single_selection=True
        )
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.on_istanza_selected(current)
        )
        self.empty = QLabel(
            self.tr(
                "Nessuna istanza ricevuta finora. Quando un comune consegna il suo file, "
                "importalo: le istanze compaiono qui divise per comune."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.detail = ReceivedDetailView(self.session)
        top.addWidget(self.stack)
        top.addWidget(self.detail)
        top.setSizes([640, 460])
        vertical.addWidget(top)
        vertical.addWidget(self._build_bottom())
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 1)
        vertical.setSizes([420, 200])
        layout.addWidget(vertical, 1)

    def _filter(self, accessible: str, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible)
        combo.addItem(everything, "")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMaximumWidth(360)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return combo

    def _build_bottom(self) -> QWidget:
        bottom = QWidget()
        row = QHBoxLayout(bottom)
        row.setContentsMargins(0, 6, 0, 0)
        files = QGroupBox(self.tr("File importati"))
        column = QVBoxLayout(files)
        self.files_model = TextTableModel(
            [self.tr("File"), self.tr("Comuni"), self.tr("Importato il"), self.tr("Esiti"),
             self.tr("Avvisi")], self,
        )  # fmt: skip
        self.files_table = read_only_table(
            self.files_model, accessible_name=self.tr("File importati"), single_selection=True
        )
        self.files_table.activated.connect(lambda index: self.show_outcome(index.row()))
        column.addWidget(self.files_table)
        row.addWidget(files, 3)
        keys = QGroupBox(self.tr("Comuni in attesa di conferma delle chiavi"))
        column = QVBoxLayout(keys)
        self.awaiting = QLabel()
        self.awaiting.setWordWrap(True)
        self.awaiting.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.awaiting.setAccessibleName(self.tr("Comuni in attesa di conferma delle chiavi"))
        column.addWidget(self.awaiting, 1)
        row.addWidget(keys, 2)
        return bottom

    # -- loading -----------------------------------------------------------------------------

    def activate(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.count.setText(self.tr("Caricamento…"))
        session = self.session
        self.session.tasks.run(
            lambda: load_reception(session),
            on_done=self.on_loaded,
            on_error=self.on_load_failed,
            owner=self,
        )

    def on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.count.setText("")
        errors.report_error(self.window(), exc)

    def on_loaded(self, data: ReceptionData) -> None:
        self.loading = False
        self.data = data
        avvisi = {i.avviso for i in data.istanze}
        self._fill(self.avviso_filter, sorted((avviso_title(a), a) for a in avvisi))
        places = {i.comune for i in data.istanze}
        self._fill(self.comune_filter, sorted((comune_name(c), c) for c in places))
        self.apply_filters()
        self.stack.setCurrentWidget(self.table if data.istanze else self.empty)
        self.files_model.set_rows([self._file_cells(t) for t in data.transmissions])
        if data.awaiting:
            self.awaiting.setText(
                self.tr(
                    "Il primo file di questi comuni chiederà di confermare l'impronta delle "
                    "chiavi per telefono: %1."
                ).replace("%1", ", ".join(name for _code, name in data.awaiting))
            )
        else:
            self.awaiting.setText(
                self.tr("Le chiavi di tutti i comuni dell'ambito sono confermate.")
            )

    @staticmethod
    def _fill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _file_cells(self, t: ReceivedTransmission) -> tuple[str, ...]:
        return (
            t.file_name,
            ", ".join(comune_name(c) for c in t.comuni),
            format_datetime(t.imported_at),
            outcome_counts(t.receipt_lines),
            self.tr("Registro del comune riscritto") if t.chain_warning else "",
        )

    def apply_filters(self) -> None:
        avviso, place = self.avviso_filter.currentData(), self.comune_filter.currentData()
        chosen = self.selected()
        self.shown = [
            i
            for i in self.data.istanze
            if (not avviso or i.avviso == avviso) and (not place or i.comune == place)
        ]
        self.model.set_rows(
            [
                (
                    comune_name(i.comune),
                    i.protocol,
                    str(i.version),
                    format_datetime(i.received_at),
                    str(document_count(i)),
                    completeness(i, short=True),
                )
                for i in self.shown
            ]
        )
        total, count = len(self.data.istanze), len(self.shown)
        text = (
            self.tr("%1 istanze ricevute")
            if count == total
            else self.tr("%1 di %2 istanze ricevute")
        )
        self.count.setText(text.replace("%1", str(count)).replace("%2", str(total)))
        ids = [i.id for i in self.shown]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        elif self.shown:
            self.table.selectRow(0)
        else:
            self.detail.show_nothing()

    # -- detail ------------------------------------------------------------------------------

    def selected(self) -> ReceivedIstanza | None:
        row = self.table.currentIndex().row()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def on_istanza_selected(self, index: QModelIndex) -> None:
        if not 0 <= index.row() < len(self.shown):
            self.detail.show_nothing()
            return
        istanza = self.shown[index.row()]
        if self.detail.detail is not None and self.detail.detail.istanza.id == istanza.id:
            return
        files = {t.id: t.file_name for t in self.data.transmissions}
        session = self.session
        self.session.tasks.run(
            lambda: load_detail(session, istanza, files), on_done=self.on_detail_loaded, owner=self
        )

    def on_detail_loaded(self, detail: Detail) -> None:
        chosen = self.selected()
        if chosen is not None and chosen.id == detail.istanza.id:  # still the one selected
            self.detail.show_detail(detail)

    # -- import ------------------------------------------------------------------------------

    def import_file(self, path: Path) -> None:
        self.importer.import_file(path)

    def on_imported(self, result: object) -> None:
        self.activate()
        if not isinstance(result, ImportedIstruttorie):
            errors.report_error(self.window(), TypeError(type(result).__name__))
            return
        self._show_outcome_dialog(
            result.transmission, receipt=result.receipt, already=result.already_imported
        )

    def show_outcome(self, row: int) -> None:
        if 0 <= row < len(self.data.transmissions):
            self._show_outcome_dialog(self.data.transmissions[row], receipt=None)

    def _show_outcome_dialog(
        self, transmission: ReceivedTransmission, *, receipt: Path | None, already: bool = False
    ) -> None:
        dialog = ImportOutcomeDialog(
            transmission, receipt=receipt, already=already, parent=self.window()
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "outcome", None))
        self.outcome = dialog
        dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_file(event.mimeData()) is not None and not self.importer.busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event.mimeData())
        if path is None or self.importer.busy:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_file(path)
