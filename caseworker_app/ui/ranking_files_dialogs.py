"""The dialogs of the Graduatorie page that write files for others: «Esiti ai comuni…» (one
sealed file per comune, ``outcomes.write_outcomes``) and «Pubblica…» (the public PDF previewed,
then ``pubblicazione/`` and ``uso-interno/`` written into a chosen folder).

The folder is chosen with the system dialog; the files are written on the worker with a
progress dialog and "Annulla" (``transfer_files.ProgressTask``); the dialog then lists what
was written, to be handed over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.errors import Cancelled, UserFacingError
from caseworker_app.domain.progress import Progress, step
from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.services.outcomes import OutcomesFile
from caseworker_app.services.printing import DocumentKind, PrintedDocument
from caseworker_app.services.publication import INTERNAL_DIR, PUBLIC_DIR, Published
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.ranking_models import AlignedTableModel
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.transfer_files import ProgressTask
from caseworker_app.ui.transmission_models import comune_name
from caseworker_app.ui.worker_dialog import problem_label, show_problem

_FOLDER_KEY = "rankings/last_folder"


def _wrapped(text: str = "", object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def choose_folder(session: Session, parent: QWidget, caption: str) -> Path | None:
    start = str(session.qsettings.value(_FOLDER_KEY, "") or Path.home())
    chosen = QFileDialog.getExistingDirectory(parent, caption, start)
    if not chosen:
        return None
    session.qsettings.setValue(_FOLDER_KEY, chosen)
    return Path(chosen)


class OutcomesDialog(QDialog):
    """Write the outcomes of a run for the comuni into a folder, and list the files."""

    def __init__(self, session: Session, *, stored: StoredRun, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.stored = stored
        self.task: ProgressTask[list[OutcomesFile]] | None = None
        self.files: list[OutcomesFile] = []
        run = stored.run
        self.setWindowTitle(self.tr("Esiti ai comuni"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                self.tr("Esiti ai comuni – graduatoria n. %1").replace("%1", str(run.number)),
                "dialogTitle",
            )
        )
        if stored.approval is not None:
            standing = (
                self.tr(
                    "La graduatoria è approvata con la determina %1 del %2: i comuni "
                    "registrano gli esiti come definitivi e aggiornano lo stato delle istanze."
                )
                .replace("%1", stored.approval.determina)
                .replace("%2", format_date(stored.approval.on))
            )
        else:
            standing = self.tr(
                "La graduatoria non è ancora approvata: i comuni registreranno gli esiti come "
                "non definitivi, senza cambiare lo stato delle istanze. Dopo la determina, "
                "invia di nuovo gli esiti."
            )
        layout.addWidget(_wrapped(standing))
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Si scrive un file cifrato per ogni comune, con posizione, esito, importo e "
                    "motivo di ciascuna delle sue istanze: consegnalo al comune (chiavetta o "
                    "PEC), che lo importa nella pagina «Trasmissioni»."
                ),
                "hint",
            )
        )
        self.write_button = QPushButton(self.tr("&Scegli la cartella e scrivi…"))
        self.write_button.setAccessibleName(self.tr("Scegli la cartella e scrivi gli esiti"))
        self.write_button.clicked.connect(self.on_write_clicked)
        layout.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.written = _wrapped()
        self.written.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.written.setAccessibleName(self.tr("Dove sono stati scritti gli esiti"))
        self.written.hide()
        layout.addWidget(self.written)
        self.model = AlignedTableModel(
            [self.tr("Comune"), self.tr("File"), self.tr("Istanze"), self.tr("Stato")],
            right=(2,),
            parent=self,
        )
        self.table = read_only_table(self.model, accessible_name=self.tr("File degli esiti"))
        self.table.hide()
        layout.addWidget(self.table, 1)
        self.error = problem_label(self.tr("Messaggio di errore"))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            self.tr("Chiudi"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def on_write_clicked(self) -> None:
        folder = choose_folder(self.session, self, self.tr("Cartella in cui scrivere gli esiti"))
        if folder is not None:
            self.write_into(folder)

    def write_into(self, folder: Path) -> None:
        if self.task is not None:
            return
        workspace, now, stored = self.session.workspace, self.session.now(), self.stored

        def work(progress: Progress) -> list[OutcomesFile]:
            from caseworker_app.domain.run_explanation import reasons
            from caseworker_app.services.outcomes import write_outcomes

            return write_outcomes(workspace.uow_factory(), actor=workspace.actor, stored=stored,
                                  out_dir=folder, now=now, reasons=reasons(stored.run),
                                  progress=progress)  # fmt: skip

        show_problem(self.error, "")
        self.write_button.setEnabled(False)
        self.task = ProgressTask(
            self.session,
            work,
            label=self.tr("Scrittura degli esiti…"),
            on_done=lambda files: self.on_written(folder, files),
            on_error=self.on_failed,
            parent=self,
        )

    def on_written(self, folder: Path, files: list[OutcomesFile]) -> None:
        self.task = None
        self.write_button.setEnabled(True)
        self.files = files
        self.written.setText(
            self.tr("%1 file scritti nella cartella %2")
            .replace("%1", str(len(files)))
            .replace("%2", str(folder))
        )
        self.written.show()
        self.model.set_rows(
            [
                (
                    comune_name(f.comune),
                    f.path.name,
                    str(f.lines),
                    self.tr("già scritto prima, lo stesso file") if f.again else self.tr("nuovo"),
                )
                for f in files
            ]
        )
        self.table.show()
        self.resize(max(self.width(), 820), max(self.height(), 420))

    def on_failed(self, exc: BaseException) -> None:
        self.task = None
        self.write_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            show_problem(self.error, self.tr("Interrotto: nessun file è stato scritto."))
        elif isinstance(exc, UserFacingError):
            show_problem(self.error, errors.message_for(exc))
        else:
            errors.report_error(self, exc)


def _publication_title(number: int) -> str:
    return QCoreApplication.translate("Rankings", "Graduatoria n. %1 – pubblicazione").replace(
        "%1", str(number)
    )


class PublishPreviewDialog(PrintPreviewDialog):
    """The public graduatoria's PDF previewed (and printable), with «Pubblica in una
    cartella…»: ``publication.publish_run`` writes ``pubblicazione/`` and ``uso-interno/``."""

    #: the run was published (the Published result)
    published = Signal(object)

    def __init__(self, session: Session, *, stored: StoredRun, parent: QWidget | None) -> None:
        workspace, run_id, number = session.workspace, stored.run.id, stored.run.number

        def produce() -> PrintedDocument:
            from caseworker_app.services.publication import public_pdf_bytes

            pdf = public_pdf_bytes(workspace.uow_factory(), actor=workspace.actor, run_id=run_id)
            return PrintedDocument(DocumentKind.GRADUATORIA, pdf, f"graduatoria-n{number}.pdf")

        # saving the PDF alone is not offered: publishing writes it with the other files
        super().__init__(session, title=_publication_title(number), produce=produce,
                         can_save=False, parent=parent)  # fmt: skip
        self.desk = session
        self.stored = stored
        self.task: ProgressTask[Published] | None = None
        self.published_dialog: PublishedDialog | None = None
        self.publish_button = QPushButton(self.tr("&Pubblica in una cartella…"))
        self.publish_button.setAccessibleName(self.tr("Pubblica la graduatoria in una cartella"))
        self.publish_button.setToolTip(
            self.tr("Scrive le cartelle «pubblicazione» e «uso-interno» nella cartella scelta")
        )
        self.publish_button.setAutoDefault(False)
        self.publish_button.setEnabled(False)
        self.publish_button.clicked.connect(self.on_publish_clicked)
        bottom: QHBoxLayout | None = None
        outer = self.layout()
        for child in outer.children() if outer is not None else []:
            if isinstance(child, QHBoxLayout) and child.indexOf(self.print_button) >= 0:
                bottom = child
        if bottom is not None:
            bottom.insertWidget(bottom.indexOf(self.print_button), self.publish_button)
        self.document_ready.connect(lambda: self.publish_button.setEnabled(self.task is None))

    def on_publish_clicked(self) -> None:
        folder = choose_folder(
            self.desk, self, self.tr("Cartella in cui scrivere la pubblicazione")
        )
        if folder is not None:
            self.publish_into(folder)

    def publish_into(self, folder: Path) -> None:
        if self.task is not None:
            return
        workspace, now, run_id = self.desk.workspace, self.desk.now(), self.stored.run.id

        def work(progress: Progress) -> Published:
            from caseworker_app.services.publication import publish_run

            def report(done: int, total: int) -> None:
                if done < total:  # the last step comes once the files are written
                    step(progress, done, total)
                else:
                    progress.update(done, total)

            return publish_run(workspace.uow_factory(), actor=workspace.actor, run_id=run_id,
                               out_dir=folder, now=now, progress=report)  # fmt: skip

        self.publish_button.setEnabled(False)
        self.status.setText(self.tr("Pubblicazione in corso…"))
        self.task = ProgressTask(
            self.desk,
            work,
            label=self.tr("Scrittura della pubblicazione…"),
            on_done=lambda done: self.on_published(folder, done),
            on_error=self.on_publish_failed,
            parent=self,
        )

    def on_published(self, folder: Path, done: Published) -> None:
        self.task = None
        self.publish_button.setEnabled(True)
        self.status.setText(self.tr("Pubblicata in %1").replace("%1", str(folder)))
        self.published.emit(done)
        dialog = PublishedDialog(folder, done, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "published_dialog", None))
        self.published_dialog = dialog
        dialog.open()

    def on_publish_failed(self, exc: BaseException) -> None:
        self.task = None
        self.publish_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Interrotta: nessun file è stato scritto."))
            return
        self.status.setText(self.tr("Pubblicazione non riuscita"))
        errors.report_error(self, exc)


class PublishedDialog(QDialog):
    """What the publication wrote, folder by folder."""

    def __init__(self, folder: Path, done: Published, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Graduatoria pubblicata"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                self.tr("Graduatoria n. %1 pubblicata").replace("%1", str(done.number)),
                "dialogTitle",
            )
        )
        where = _wrapped(self.tr("Nella cartella %1:").replace("%1", str(folder)))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        layout.addWidget(
            _wrapped(
                self.tr(
                    "«%1» contiene solo ciò che si può pubblicare all'albo (numeri di protocollo, "
                    "comuni, esiti e importi). «%2» contiene dati personali (nomi, codici "
                    "fiscali, IBAN): resta all'Ufficio di Piano e alla ragioneria."
                )
                .replace("%1", PUBLIC_DIR)
                .replace("%2", INTERNAL_DIR),
                "hint",
            )
        )
        self.model = AlignedTableModel(
            [self.tr("Cartella"), self.tr("File"), self.tr("Stato")], right=(), parent=self
        )
        unchanged = set(done.unchanged)
        self.model.set_rows(
            [
                (
                    path.parent.name,
                    path.name,
                    self.tr("già presente, identico") if path in unchanged else self.tr("scritto"),
                )
                for path in done.files
            ]
        )
        layout.addWidget(read_only_table(self.model, accessible_name=self.tr("File scritti")), 1)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Chiudi"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 360)
