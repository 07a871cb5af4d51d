"""Preview of a printed document, then print it through the system dialog or save it as PDF.

The document is produced on the worker (``produce`` reads the store and renders the PDF) and its
pages are rendered there too by PDFium from memory (``documents/preview.py``): no personal
document goes through a temporary file. The pages are shown one under the other, zoomed to the
width of the window (or the whole page, or actual size).

"Stampa…" opens the system's print dialog; pages are then rendered one at a time on the worker
at the printer's resolution (at most 300 dpi) and painted with QPainter on the Qt thread, so
that a long document never holds every page bitmap at once. "Salva come PDF…" writes the
produced bytes atomically (0600) on the worker; it is hidden (and printing to a file is not
offered) for documents that must only exist on paper, such as the recovery sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QRect, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.documents.preview import RenderedPage, render_page, render_pdf
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import errors
from caseworker_app.ui.screen_fit import fit_to_screen
from caseworker_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from caseworker_app.services.printing import PrintedDocument

#: width the preview pages are rendered at (150 dpi on A4: sharp when zoomed to width)
PREVIEW_RENDER_WIDTH = 1240
#: pages shown in the preview (printing and saving always take every page)
PREVIEW_MAX_PAGES = 20
#: the largest bitmap width sent to a printer (300 dpi on A4)
PRINT_MAX_WIDTH = 2480
A4_WIDTH_INCHES = 210 / 25.4
PAGE_GAP = 16


class HasTasks(Protocol):
    """What the dialog needs from its caller: the worker (a Session, or the setup wizard)."""

    @property
    def tasks(self) -> TaskRunner: ...


@dataclass(frozen=True)
class Prepared:
    """Worker result: the document and the bitmaps of its first pages."""

    document: PrintedDocument
    pages: list[RenderedPage]
    total: int


def prepare(
    produce: Callable[[], PrintedDocument],
    *,
    width: int = PREVIEW_RENDER_WIDTH,
    max_pages: int = PREVIEW_MAX_PAGES,
) -> Prepared:
    """Worker only: produce the document and render the pages shown in the preview."""
    document = produce()
    pages, total = render_pdf(document.pdf, width=width, max_pages=max_pages)
    return Prepared(document, pages, total)


def _image(page: RenderedPage) -> QImage:
    return QImage(page.pixels, page.width, page.height, page.stride,
                  QImage.Format.Format_RGBA8888).copy()  # fmt: skip


def fitted_rect(image_width: int, image_height: int, target: QRect) -> QRect:
    """``image`` scaled into ``target`` keeping its proportions, centred, top-aligned."""
    scale = min(target.width() / max(image_width, 1), target.height() / max(image_height, 1))
    width, height = round(image_width * scale), round(image_height * scale)
    left = target.left() + (target.width() - width) // 2
    return QRect(left, target.top(), width, height)


class Zoom:
    FIT_WIDTH = "width"
    FIT_PAGE = "page"
    ACTUAL = "actual"


class PrintPreviewDialog(QDialog):
    """Preview, print and save one document produced on the worker."""

    #: the document is produced and its pages are shown
    document_ready = Signal()
    #: the PDF was saved (the path)
    saved = Signal(str)
    #: the pages were sent to the printer (how many)
    printed = Signal(int)
    #: producing the document failed (the message is shown in the dialog)
    failed = Signal()

    def __init__(
        self,
        session: HasTasks,
        *,
        title: str,
        produce: Callable[[], PrintedDocument],
        can_save: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.produce = produce
        self.can_save = can_save
        self.prepared: Prepared | None = None
        self.zoom = Zoom.FIT_WIDTH
        self._originals: list[tuple[QLabel, QPixmap]] = []
        self._printing = False
        self.setWindowTitle(title)
        self.setAccessibleName(self.tr("Anteprima di stampa: %1").replace("%1", title))
        self.setSizeGripEnabled(True)
        self._build(title)
        self._start()

    # -- layout ------------------------------------------------------------------------------

    def _build(self, title: str) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        top.addWidget(heading)
        top.addStretch(1)
        zoom_label = QLabel(self.tr("&Zoom:"))
        self.zoom_combo = QComboBox()
        self.zoom_combo.setAccessibleName(self.tr("Zoom dell'anteprima"))
        for text, value in (
            (self.tr("Adatta alla larghezza"), Zoom.FIT_WIDTH),
            (self.tr("Pagina intera"), Zoom.FIT_PAGE),
            (self.tr("Dimensioni reali"), Zoom.ACTUAL),
        ):
            self.zoom_combo.addItem(text, value)
        zoom_label.setBuddy(self.zoom_combo)
        self.zoom_combo.currentIndexChanged.connect(self.on_zoom_changed)
        top.addWidget(zoom_label)
        top.addWidget(self.zoom_combo)
        layout.addLayout(top)

        self.stack = QStackedWidget()
        self.message = QLabel(self.tr("Preparazione del documento…"))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName(self.tr("Stato dell'anteprima"))
        self.stack.addWidget(self.message)
        self.pages = QWidget()
        self.pages.setObjectName("printPreviewPages")
        self.pages.setAccessibleName(self.tr("Pagine del documento"))
        self._pages_layout = QVBoxLayout(self.pages)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._pages_layout.setSpacing(PAGE_GAP)
        self._pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("printPreviewScroll")
        self.scroll_area.setAccessibleName(self.tr("Anteprima delle pagine"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and Pag↓ scroll
        self.scroll_area.setStyleSheet(
            "QScrollArea#printPreviewScroll, QWidget#printPreviewPages { background: #c9ced4; }"
        )
        self.scroll_area.viewport().installEventFilter(self)
        self.stack.addWidget(self.scroll_area)
        layout.addWidget(self.stack, 1)

        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setAccessibleName(self.tr("Stato della stampa"))
        bottom.addWidget(self.status, 1)
        self.print_button = QPushButton(self.tr("&Stampa…"))
        self.print_button.setAccessibleName(self.tr("Stampa il documento"))
        self.print_button.setToolTip(self.tr("Stampa con la stampante di sistema (Ctrl+P)"))
        self.save_button = QPushButton(self.tr("Salva come &PDF…"))
        self.save_button.setAccessibleName(self.tr("Salva il documento come file PDF"))
        self.save_button.setToolTip(self.tr("Salva una copia in PDF (Ctrl+S)"))
        self.close_button = QPushButton(self.tr("&Chiudi"))
        self.close_button.setAccessibleName(self.tr("Chiudi l'anteprima"))
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            bottom.addWidget(button)
        layout.addLayout(bottom)
        self.print_button.clicked.connect(self.on_print_clicked)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.on_print_clicked)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.on_save_clicked)
        self._set_ready(False)
        self.resize(900, 760)
        fit_to_screen(self)  # 760 pixels and a title bar do not fit a 1366×768 laptop

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.print_button, self.save_button, self.zoom_combo):
            widget.setEnabled(ready and not self._printing)
        self.save_button.setVisible(self.can_save)
        self.close_button.setEnabled(not self._printing)

    # -- producing ---------------------------------------------------------------------------

    def _start(self) -> None:
        produce = self.produce
        self.session.tasks.run(lambda: prepare(produce), on_done=self.on_prepared,
                               on_error=self.on_prepare_failed, owner=self)  # fmt: skip

    def on_prepared(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self._release()
        for number, page in enumerate(prepared.pages, start=1):
            label = QLabel()
            label.setAccessibleName(
                self.tr("Pagina %1 di %2").replace("%1", str(number))
                .replace("%2", str(prepared.total))
            )  # fmt: skip
            label.setStyleSheet("background: white; border: 1px solid #8c959f;")
            pixmap = QPixmap.fromImage(_image(page))
            self._originals.append((label, pixmap))
            self._pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        if prepared.total > len(prepared.pages):
            more = QLabel(
                self.tr("Anteprima delle prime %1 pagine su %2: la stampa e il PDF le "
                        "comprendono tutte.")
                .replace("%1", str(len(prepared.pages))).replace("%2", str(prepared.total))
            )  # fmt: skip
            self._pages_layout.addWidget(more, 0, Qt.AlignmentFlag.AlignHCenter)
        self.stack.setCurrentWidget(self.scroll_area)
        self._apply_zoom()
        self.status.setText(self._pages_text(prepared.total))
        self._set_ready(True)
        self.scroll_area.setFocus()
        self.document_ready.emit()

    def _pages_text(self, total: int) -> str:
        if total == 1:
            return self.tr("1 pagina")
        return self.tr("%1 pagine").replace("%1", str(total))

    def on_prepare_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            self.message.setText(errors.message_for(exc))
        else:
            self.message.setText(self.tr("Non è stato possibile preparare il documento."))
            errors.report_error(self, exc)
        self.stack.setCurrentWidget(self.message)
        self.close_button.setFocus()
        self.failed.emit()

    @property
    def page_count(self) -> int:
        return self.prepared.total if self.prepared is not None else 0

    def page_labels(self) -> list[QLabel]:
        return [label for label, _pixmap in self._originals]

    # -- zoom --------------------------------------------------------------------------------

    def on_zoom_changed(self, _index: int) -> None:
        self.zoom = str(self.zoom_combo.currentData())
        self._apply_zoom()

    def _target_width(self, pixmap: QPixmap) -> int:
        viewport = self.scroll_area.viewport()
        room_w: int = viewport.width() - 2 * PAGE_GAP - 4
        room_h: int = viewport.height() - 2 * PAGE_GAP - 4
        width: int
        if self.zoom == Zoom.FIT_PAGE:
            width = min(round(room_h * pixmap.width() / max(pixmap.height(), 1)), room_w)
        elif self.zoom == Zoom.ACTUAL:
            width = round(self.logicalDpiX() * A4_WIDTH_INCHES)
        else:
            width = room_w
        return max(120, width)

    def _apply_zoom(self) -> None:
        for label, pixmap in self._originals:
            width = self._target_width(pixmap)
            shown = (
                pixmap
                if width == pixmap.width()
                else pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            )
            label.setPixmap(shown)
            label.setFixedSize(shown.size())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize
        if resized and self.zoom != Zoom.ACTUAL:
            self._apply_zoom()
        return super().eventFilter(watched, event)

    def _release(self) -> None:
        self._originals = []
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    # -- saving ------------------------------------------------------------------------------

    def ask_save_path(self, suggested: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / suggested) if folder else suggested
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Salva come PDF"), start, self.tr("Documenti PDF (*.pdf)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path

    def on_save_clicked(self) -> None:
        if self.prepared is None or self._printing or not self.can_save:
            return
        path = self.ask_save_path(self.prepared.document.suggested_name)
        if path is None:
            return
        data = self.prepared.document.pdf

        def write() -> Path:
            from caseworker_app.fsutil import atomic_write_bytes

            atomic_write_bytes(path, data, mode=0o600)
            return path

        self.status.setText(self.tr("Salvataggio…"))
        self.session.tasks.run(write, on_done=self.on_saved, on_error=self.on_save_failed,
                               owner=self)  # fmt: skip

    def on_saved(self, path: Path) -> None:
        self.status.setText(self.tr("Salvato in %1").replace("%1", path.name))
        self.saved.emit(str(path))

    def on_save_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Salvataggio non riuscito"))
        if isinstance(exc, OSError):
            exc = UserFacingError("print.save_failed")
        errors.report_error(self, exc)

    # -- printing ----------------------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF carries its own margins
        if self.prepared is not None:
            printer.setDocName(Path(self.prepared.document.suggested_name).stem)
            printer.setFromTo(1, self.prepared.total)
        return printer

    def on_print_clicked(self) -> None:
        if self.prepared is None or self._printing:
            return
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.prepared.total)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, self.can_save)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Send the pages chosen in ``printer`` (all by default) to it, one page at a time."""
        from PySide6.QtPrintSupport import QPrinter

        if self.prepared is None or self._printing:
            return
        total = self.prepared.total
        first, last = 1, total
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(1, printer.fromPage())
            last = min(total, printer.toPage() or total)
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        order = [index for _ in range(copies) for index in range(first - 1, last)]
        if not order:
            return
        resolution = printer.resolution()
        paper = printer.pageLayout().fullRectPixels(resolution)
        width = min(paper.width(), PRINT_MAX_WIDTH)
        painter = QPainter()
        if not painter.begin(printer):
            errors.report_error(self, UserFacingError("print.printer_failed"))
            return
        self._printing = True
        self._set_ready(True)
        pdf = self.prepared.document.pdf
        state = {"done": 0}

        def next_page() -> None:
            index = order[state["done"]]
            self.status.setText(
                self.tr("Stampa della pagina %1 di %2…")
                .replace("%1", str(state["done"] + 1)).replace("%2", str(len(order)))
            )  # fmt: skip
            self.session.tasks.run(lambda: render_page(pdf, index, width=width),
                                   on_done=paint, on_error=failed, owner=self)  # fmt: skip

        def paint(page: RenderedPage) -> None:
            if state["done"] > 0:
                printer.newPage()
            image = _image(page)
            target = QRect(0, 0, paper.width(), paper.height())
            painter.drawImage(fitted_rect(image.width(), image.height(), target), image)
            state["done"] += 1
            if state["done"] < len(order):
                next_page()
            else:
                finish(ok=True)

        def failed(exc: BaseException) -> None:
            finish(ok=False)
            errors.report_error(self, exc)

        def finish(*, ok: bool) -> None:
            painter.end()
            self._printing = False
            self._set_ready(True)
            if ok:
                self.status.setText(self.tr("Inviato alla stampante: %1")
                                    .replace("%1", self._pages_text(len(order))))  # fmt: skip
                self.printed.emit(len(order))
            else:
                self.status.setText(self.tr("Stampa non riuscita"))

        next_page()

    # -- closing -----------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return self._printing

    def reject(self) -> None:
        if self._printing:  # the printer is being fed: wait for the last page
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._printing:
            event.ignore()
            return
        super().closeEvent(event)
