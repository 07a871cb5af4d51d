"""Transfer files from the interface: progress with cancel, drops, and "any of our files" imports.

- :class:`ProgressTask` runs one long use case on the worker (export, import: disk and crypto)
  with a progress dialog and a "Annulla" button; the use case receives a thread-safe
  :class:`ThreadProgress` (the domain's ``Progress``) which the dialog polls.
- :class:`TransferImporter` asks for a file (or takes a dropped one), imports it with
  ``transfer_import.import_transfer_file`` whatever its kind and, when the sender's keys are not
  confirmed yet, shows their fingerprint (``fingerprint_dialog``) to be read on the phone and
  imports again once the user says it matches.
- :func:`dropped_file` reads the one local file of a drag and drop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog, QPushButton, QWidget

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.progress import Progress
from caseworker_app.ui import errors
from caseworker_app.ui.fingerprint_dialog import FingerprintDialog
from caseworker_app.ui.session import Session

if TYPE_CHECKING:  # the importers load the PDF stack: imported on the worker, when used
    from caseworker_app.services.transfer_import import ImportResult

T = TypeVar("T")

#: the refusals of a first file from a sender whose keys were never confirmed, and who reads
#: the fingerprint on the phone
KEY_UNCONFIRMED = {
    "transmission.key_unconfirmed": QT_TRANSLATE_NOOP(
        "TransferImporter", "il servizio sociale del comune che ha inviato il file"
    ),
    "ambito.key_unconfirmed": QT_TRANSLATE_NOOP(
        "TransferImporter", "l'Ufficio di Piano del comune capofila"
    ),
}
_LAST_FOLDER_KEY = "transfer/last_import_folder"
PROGRESS_STEPS = 1000
POLL_MS = 100
SHOW_AFTER_MS = 300


class ThreadProgress:
    """Progress written by the worker and read by the Qt thread (under a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._cancelled = threading.Event()

    def update(self, done: int, total: int) -> None:
        with self._lock:
            self._done, self._total = done, total

    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def fraction(self) -> float | None:
        """How far the work is (0..1), ``None`` while its size is unknown."""
        with self._lock:
            if self._total <= 0:
                return None
            return min(max(self._done / self._total, 0.0), 1.0)


class ProgressTask(QObject, Generic[T]):
    """One use case on the worker behind a window-modal progress dialog with "Annulla".

    The dialog appears only when the work lasts more than a moment. On a cancel the use case
    stops at its next step with ``Cancelled`` (handed to ``on_error`` like any failure)."""

    finished = Signal()

    def __init__(
        self,
        session: Session,
        work: Callable[[Progress], T],
        *,
        label: str,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.progress = ThreadProgress()
        self.running = True
        self._on_done, self._on_error = on_done, on_error
        self.dialog = QProgressDialog(parent)
        self.dialog.setWindowTitle(self.tr("Operazione in corso"))
        self.dialog.setLabelText(label)
        self.dialog.setAccessibleName(self.tr("Avanzamento dell'operazione"))
        self.cancel_button = QPushButton(self.tr("Annulla"))
        self.cancel_button.setAccessibleName(self.tr("Annulla l'operazione"))
        self.dialog.setCancelButton(self.cancel_button)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setRange(0, 0)  # busy until the work says how big it is
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.canceled.connect(self.cancel)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        progress = self.progress
        session.tasks.run(lambda: work(progress), on_done=self._done, on_error=self._failed,
                          owner=self)  # fmt: skip

    def cancel(self) -> None:
        if not self.running:
            return
        self.progress.cancel()
        self.dialog.setLabelText(self.tr("Annullamento in corso…"))
        self.cancel_button.setEnabled(False)
        self.dialog.show()  # a cancel resets the dialog: keep it until the work has stopped

    def _poll(self) -> None:
        fraction = self.progress.fraction()
        if fraction is None:
            return
        if self.dialog.maximum() != PROGRESS_STEPS:
            self.dialog.setRange(0, PROGRESS_STEPS)
        self.dialog.setValue(round(fraction * PROGRESS_STEPS))

    def _finish(self) -> None:
        self.running = False
        self.timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.finished.emit()
        self.deleteLater()

    def _done(self, result: T) -> None:
        self._finish()
        self._on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self._on_error(exc)


def dropped_file(mime: QMimeData) -> Path | None:
    """The one local file being dropped (``None`` for text, several files, a folder)."""
    if not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if not path.is_dir() else None


class TransferImporter(QObject):
    """Import one transfer file on the worker, with the fingerprint confirmation flow."""

    #: a file was imported (the ImportResult of its kind)
    imported = Signal(object)
    #: the import ended without importing anything (refused, cancelled, not confirmed)
    failed = Signal()

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent
        self.task: ProgressTask[ImportResult] | None = None
        self.fingerprint_dialog: FingerprintDialog | None = None

    @property
    def busy(self) -> bool:
        return self.task is not None

    def choose_file(self, caption: str) -> Path | None:
        start = str(self.session.qsettings.value(_LAST_FOLDER_KEY, "") or Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self.parent_widget,
            caption,
            start,
            self.tr("File di Caseworker (*.cwt *.cwa);;Tutti i file (*)"),
        )
        return Path(chosen) if chosen else None

    def choose_and_import(self, caption: str) -> None:
        path = self.choose_file(caption)
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path, *, trust: str | None = None) -> None:
        if self.busy:
            return
        self.session.qsettings.setValue(_LAST_FOLDER_KEY, str(path.parent))
        workspace, now = self.session.workspace, self.session.now()

        def work(progress: Progress) -> ImportResult:
            from caseworker_app.services.transfer_import import ImportOptions, import_transfer_file

            options = ImportOptions(trust_fingerprint=trust)
            return import_transfer_file(workspace.uow_factory(), actor=workspace.actor,
                                        path=path, options=options, now=now,
                                        progress=progress)  # fmt: skip

        self.task = ProgressTask(
            self.session,
            work,
            label=self.tr("Importazione di %1…").replace("%1", path.name),
            on_done=self._imported,
            on_error=lambda exc: self._refused(exc, path, trust),
            parent=self.parent_widget,
        )

    def _imported(self, result: ImportResult) -> None:
        self.task = None
        self.imported.emit(result)

    def _refused(self, exc: BaseException, path: Path, trust: str | None) -> None:
        self.task = None
        fingerprint = exc.params.get("fingerprint") if isinstance(exc, UserFacingError) else None
        if (
            isinstance(exc, UserFacingError)
            and exc.code in KEY_UNCONFIRMED
            and trust is None
            and isinstance(fingerprint, str)
        ):
            self._ask_fingerprint(exc.code, path, fingerprint)
            return
        self.failed.emit()
        errors.report_error(self.parent_widget.window(), exc)

    def _ask_fingerprint(self, code: str, path: Path, fingerprint: str) -> None:
        who = self.tr(str(KEY_UNCONFIRMED[code]))
        dialog = FingerprintDialog(who=who, fingerprint=fingerprint,
                                   parent=self.parent_widget.window())  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.fingerprint_dialog = dialog

        def answered(result: int) -> None:
            self.fingerprint_dialog = None
            if result == QDialog.DialogCode.Accepted:
                self.import_file(path, trust=fingerprint)
            else:
                self.failed.emit()

        dialog.finished.connect(answered)
        dialog.open()
