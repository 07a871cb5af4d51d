"""Trasmissioni (at a comune): the istruttorie to send to the capofila, the files sent, receipts.

The table lists every istanza on its way (``services.transmissions.readiness``): ready, or
what it still lacks. The ready ones can be checked and exported into one sealed file in a
folder chosen by the user (a USB stick), on the worker with progress and cancel; the history
below lists the files written with the state of each istanza and the reason of a rejection,
and prints a file's attestazione again. "Importa ricevuta o esiti…" (or a file dropped on the
page) imports the capofila's receipt, and any other file of ours, such as the ambito package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.progress import Progress
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.transmission import SentTransmission
from caseworker_app.services import ambito_packages
from caseworker_app.services.ambito_packages import CurrentAmbitoPackage, ImportedAmbitoPackage
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.istanze_view import avviso_title
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.theme import set_severity
from caseworker_app.ui.transfer_files import ProgressTask, TransferImporter, dropped_file
from caseworker_app.ui.transmission_history import SentHistory
from caseworker_app.ui.transmission_models import (
    ReadinessLine,
    ReadinessModel,
    readiness_line,
)

if TYPE_CHECKING:  # it loads the PDF stack: imported on the worker, when the page loads
    from caseworker_app.services.outcomes_import import ImportedOutcomes
    from caseworker_app.services.transmissions import ExportedTransmission

_EXPORT_FOLDER_KEY = "transmissions/last_export_folder"
AVVISO_COLUMN_WIDTH = 260


@dataclass(frozen=True)
class PageData:
    """What the page shows, read on the worker."""

    lines: list[ReadinessLine]
    sent: list[SentTransmission]
    package: CurrentAmbitoPackage | None


def load_page(session: Session) -> PageData:
    """Worker only."""
    from caseworker_app.services import transmissions

    workspace, now = session.workspace, session.now()
    uow, actor = workspace.uow_factory, workspace.actor
    rows = transmissions.readiness(uow(), actor=actor, now=now)
    titles = {a: avviso_title(a) for a in {r.avviso for r in rows}}
    lines = [readiness_line(r, titles[r.avviso]) for r in rows]
    sent = transmissions.sent_transmissions(uow(), actor=actor)
    package = ambito_packages.current_ambito_package(uow(), actor=actor)
    return PageData(lines, sent, package)


class TransmissionsView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loading = False
        self.export_task: ProgressTask[ExportedTransmission] | None = None
        self.message: QMessageBox | None = None
        self.last_export: ExportedTransmission | None = None
        actor = session.workspace.actor
        self.can_export = actor.can(Permission.TRANSMIT) and actor.can(Permission.READ_HEALTH)
        self.importer = TransferImporter(session, self)
        self.importer.imported.connect(self.on_imported)
        self._build()
        self.setAcceptDrops(actor.can(Permission.TRANSMIT))

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.model = ReadinessModel(
            [
                self.tr("Invia"),
                self.tr("Protocollo"),
                self.tr("Avviso"),
                self.tr("Stato"),
                self.tr("Trasmissione"),
                self.tr("Pronta o cosa manca"),
                self.tr("Versione"),
            ],
            self,
        )
        self.model.checked_changed.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Trasmissioni"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        line = QHBoxLayout(frame)
        self.capofila_state = QLabel()
        self.capofila_state.setWordWrap(True)
        self.capofila_state.setAccessibleName(self.tr("Stato del collegamento con il capofila"))
        line.addWidget(self.capofila_state, 1)
        layout.addWidget(frame)

        bar = QHBoxLayout()
        self.select_ready_button = QPushButton(self.tr("Seleziona tutte le pronte"))
        self.select_ready_button.setAccessibleName(self.tr("Seleziona tutte le istanze pronte"))
        self.select_ready_button.clicked.connect(lambda: self.model.set_all_ready(True))
        self.select_none_button = QPushButton(self.tr("Deseleziona tutte"))
        self.select_none_button.setAccessibleName(self.tr("Deseleziona tutte le istanze"))
        self.select_none_button.clicked.connect(lambda: self.model.set_all_ready(False))
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.count.setAccessibleName(self.tr("Istanze pronte e selezionate"))
        self.export_button = QPushButton(self.tr("&Esporta per il capofila…"))
        self.export_button.setAccessibleName(
            self.tr("Esporta le istanze selezionate per il capofila")
        )
        self.export_button.setToolTip(
            self.tr(
                "Scrive un file cifrato con le istanze selezionate, per esempio su una chiavetta"
            )
        )
        if not self.can_export:
            self.export_button.setToolTip(
                self.tr(
                    "Trasmettono gli operatori con ruolo di assistente sociale o Ufficio di Piano"
                )
            )
        self.export_button.clicked.connect(self.on_export_clicked)
        self.import_button = QPushButton(self.tr("&Importa ricevuta o esiti…"))
        self.import_button.setAccessibleName(self.tr("Importa un file ricevuto dal capofila"))
        self.import_button.setToolTip(
            self.tr("La ricevuta del capofila, gli esiti o il pacchetto d'ambito")
        )
        self.import_button.setEnabled(self.session.workspace.actor.can(Permission.TRANSMIT))
        self.import_button.clicked.connect(
            lambda: self.importer.choose_and_import(self.tr("Scegli il file ricevuto dal capofila"))
        )
        for widget in (self.select_ready_button, self.select_none_button):
            bar.addWidget(widget)
        bar.addWidget(self.count)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        self.table = read_only_table(self.model, accessible_name=self.tr("Istanze da trasmettere"))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ReadinessModel.AVVISO, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ReadinessModel.READY, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ReadinessModel.AVVISO, AVVISO_COLUMN_WIDTH)
        self.table.setWordWrap(False)
        self.table.activated.connect(self.on_row_activated)
        self.empty = QLabel(
            self.tr(
                "Nessuna istanza da trasmettere. Le istanze presentate compaiono qui con ciò che "
                "manca per trasmetterle al capofila (valutazione, schede, PI firmato)."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        splitter.addWidget(self.stack)
        self.history = SentHistory(session=self.session)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        hint = QLabel(
            self.tr(
                "Spazio o clic sulla casella per includere un'istanza pronta. Puoi anche "
                "trascinare qui il file della ricevuta."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------

    def activate(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.count.setText(self.tr("Caricamento…"))
        session = self.session
        self.session.tasks.run(
            lambda: load_page(session),
            on_done=self.on_loaded,
            on_error=self.on_load_failed,
            owner=self,
        )

    def on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.count.setText("")
        errors.report_error(self.window(), exc)

    def on_loaded(self, data: PageData) -> None:
        self.loading = False
        self.model.set_lines(data.lines)
        self.stack.setCurrentWidget(self.table if data.lines else self.empty)
        self._show_package(data.package)
        self.history.set_sent(data.sent)
        self._update_buttons()

    def _show_package(self, current: CurrentAmbitoPackage | None) -> None:
        if current is None or current.pinned is None:
            self.capofila_state.setText(
                self.tr(
                    "Manca il pacchetto d'ambito del capofila: senza le sue chiavi le istanze "
                    "non si possono cifrare per l'Ufficio di Piano. Importa il file ricevuto "
                    "dal capofila da Impostazioni (Chiavi di trasmissione e pacchetto d'ambito) "
                    "oppure qui con «Importa ricevuta o esiti…»."
                )
            )
            set_severity(self.capofila_state, "warning")
            return
        package = current.package
        self.capofila_state.setText(
            self.tr(
                "Le istanze si trasmettono all'Ufficio di Piano dell'%1 in un file cifrato, "
                "da consegnare su chiavetta, via PEC o al protocollo. Pacchetto d'ambito n. %2 "
                "del %3, impronta delle chiavi del capofila: %4."
            )
            .replace("%1", package.ambito_name)
            .replace("%2", str(package.sequence))
            .replace("%3", format_date(package.issued_at.date()))
            .replace("%4", current.pinned.fingerprint.display)
        )
        set_severity(self.capofila_state, "")

    def _update_buttons(self) -> None:
        checked, ready = len(self.model.checked_ids()), self.model.ready_count()
        total = len(self.model.lines)
        self.count.setText(
            self.tr("%1 istanze, %2 pronte, %3 selezionate")
            .replace("%1", str(total))
            .replace("%2", str(ready))
            .replace("%3", str(checked))
        )
        self.select_ready_button.setEnabled(ready > 0 and checked < ready)
        self.select_none_button.setEnabled(checked > 0)
        self.export_button.setEnabled(self.can_export and checked > 0 and self.export_task is None)

    def on_row_activated(self, index: QModelIndex) -> None:
        """Enter on a row checks or unchecks it (when it is ready)."""
        if not index.isValid():
            return
        check = self.model.index(index.row(), ReadinessModel.CHECK)
        state = self.model.data(check, Qt.ItemDataRole.CheckStateRole)
        new = Qt.CheckState.Unchecked if state == Qt.CheckState.Checked else Qt.CheckState.Checked
        self.model.setData(check, new, Qt.ItemDataRole.CheckStateRole)

    # -- export ------------------------------------------------------------------------------

    def choose_folder(self) -> Path | None:
        start = str(self.session.qsettings.value(_EXPORT_FOLDER_KEY, "") or Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self,
            self.tr("Scegli dove scrivere il file per il capofila (per esempio una chiavetta USB)"),
            start,
        )
        return Path(chosen) if chosen else None

    def on_export_clicked(self) -> None:
        ids = self.model.checked_ids()
        if not ids or self.export_task is not None:
            return
        folder = self.choose_folder()
        if folder is None:
            return
        self.session.qsettings.setValue(_EXPORT_FOLDER_KEY, str(folder))
        workspace, now = self.session.workspace, self.session.now()

        def work(progress: Progress) -> ExportedTransmission:
            from caseworker_app.services import transmissions

            return transmissions.export_istruttorie(workspace.uow_factory(), actor=workspace.actor,
                                                    target=folder, istanza_ids=ids, now=now,
                                                    progress=progress)  # fmt: skip

        count = len(ids)
        label = (
            self.tr("Preparazione del file con 1 istanza…")
            if count == 1
            else self.tr("Preparazione del file con %1 istanze…").replace("%1", str(count))
        )
        self.export_task = ProgressTask(
            self.session,
            work,
            label=label,
            on_done=self.on_exported,
            on_error=self.on_export_failed,
            parent=self,
        )
        self._update_buttons()

    def on_export_failed(self, exc: BaseException) -> None:
        self.export_task = None
        self._update_buttons()
        errors.report_error(self.window(), exc)
        self.activate()

    def on_exported(self, done: ExportedTransmission) -> None:
        self.export_task = None
        self.last_export = done
        self.model.set_all_ready(False)
        self.activate()
        count = len(done.istanze)
        what = (
            self.tr("1 istanza") if count == 1 else self.tr("%1 istanze").replace("%1", str(count))
        )
        text = (
            self.tr(
                "Il file %1 con %2 è stato scritto nella cartella\n%3\n\n"
                "Consegnalo all'Ufficio di Piano (chiavetta, PEC o protocollo): è cifrato, solo "
                "il capofila può aprirlo. Ricorda di stampare l'attestazione della trasmissione, "
                "firmarla e protocollarla."
            )
            .replace("%1", done.path.name)
            .replace("%2", what)
            .replace("%3", str(done.path.parent))
        )
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("File per il capofila scritto"),
                          text, QMessageBox.StandardButton.NoButton, self.window())  # fmt: skip
        print_now = box.addButton(
            self.tr("Stampa attestazione…"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(self.tr("Chiudi"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sent = done.transmission

        def answered() -> None:
            self.message = None
            if box.clickedButton() is print_now:
                self.history.open_attestazione(sent)

        box.finished.connect(lambda _result: answered())
        self.message = box
        box.open()

    # -- import ------------------------------------------------------------------------------

    def import_file(self, path: Path) -> None:
        self.importer.import_file(path)

    def on_imported(self, result: object) -> None:
        from caseworker_app.services.outcomes_import import ImportedOutcomes as Outcomes
        from caseworker_app.services.transmissions import ImportedReceipt  # loaded by the import

        self.activate()
        if isinstance(result, ImportedReceipt):
            title = self.tr("Ricevuta del capofila importata")
            if result.already_imported:
                text = self.tr("La ricevuta %1 era già stata importata: nulla è cambiato.")
            else:
                text = self.tr(
                    "Ricevuta %1 importata: istanze accettate dal capofila: %2; respinte: %3."
                )
                if result.rejected:
                    text += " " + self.tr(
                        "Il motivo di ogni rifiuto è nell'elenco della trasmissione: correggi "
                        "le istanze respinte e trasmettile di nuovo."
                    )
            text = (
                text.replace("%1", result.file)
                .replace("%2", str(result.accepted))
                .replace("%3", str(result.rejected))
            )
        elif isinstance(result, ImportedAmbitoPackage):
            title = self.tr("Pacchetto d'ambito importato")
            if result.already_imported:
                text = self.tr(
                    "Il pacchetto d'ambito %1 era già stato importato: nulla è cambiato."
                )
            else:
                text = self.tr(
                    "Pacchetto d'ambito %1 importato: ora le istanze possono essere trasmesse "
                    "all'Ufficio di Piano. Impronta delle chiavi del capofila: %2."
                )
            text = text.replace("%1", result.file).replace("%2", result.fingerprint.display)
        elif isinstance(result, Outcomes):
            title, text = self._outcomes_text(result)
        else:
            title = self.tr("File importato")
            text = self.tr("Il file è stato importato.")
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self.window())  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "message", None))
        self.message = box
        box.open()

    def _outcomes_text(self, result: ImportedOutcomes) -> tuple[str, str]:
        title = self.tr("Esiti della graduatoria importati")
        if result.already_imported:
            text = self.tr("Gli esiti %1 erano già stati importati: nulla è cambiato.")
        elif not result.approved:
            text = self.tr(
                "Esiti %1 della graduatoria n. %2 importati come non definitivi (la graduatoria "
                "non è ancora approvata): lo stato delle istanze non cambia finché non arrivano "
                "gli esiti della graduatoria approvata."
            )
        else:
            text = self.tr(
                "Esiti %1 della graduatoria n. %2 (determina %3) importati: istanze aggiornate: "
                "%4 su %5. Ora puoi stampare la comunicazione di esito di ogni istanza "
                "(Stampa… nella scheda Istanze della cartella)."
            )
        text = (
            text.replace("%1", result.file)
            .replace("%2", str(result.run_number))
            .replace("%3", result.determina or "—")
            .replace("%4", str(result.moved))
            .replace("%5", str(len(result.istanze)))
        )
        return title, text

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
