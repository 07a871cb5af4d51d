"""In-app preview of a document from its bytes: never through a file on disk.

Images through ``QPixmap.loadFromData``; PDF pages are rendered by PDFium from memory on the
worker thread (``documents/preview.py``) and shown here as images, one under the other.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from caseworker_app.documents.preview import RenderedPage

PREVIEW_WIDTH = 640


class DocumentPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Anteprima del documento"))
        self.setMinimumHeight(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName(self.tr("Messaggio dell'anteprima"))
        self.stack.addWidget(self.message)
        self.pages = QWidget()
        self.pages.setAccessibleName(self.tr("Pagine del documento"))
        self._pages_layout = QVBoxLayout(self.pages)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._pages_layout.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        self.stack.addWidget(scroll)
        self._pages_page = scroll
        scroll.viewport().installEventFilter(self)
        self._originals: list[tuple[QLabel, QPixmap]] = []
        self.kind = ""  # "message", "image", "pdf": what is shown (for tests)
        self.page_count = 0
        self.show_message(self.tr("Seleziona un documento con un file allegato per vederlo."))

    def show_message(self, text: str) -> None:
        self._release()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.kind = "message"

    def show_image(self, content: bytes) -> None:
        self._release()
        pixmap = QPixmap()
        if not pixmap.loadFromData(content):
            self.show_message(self.tr("Anteprima non disponibile: l'immagine non si può leggere."))
            return
        self._add_page(pixmap, self.tr("Immagine del documento"))
        self.stack.setCurrentWidget(self._pages_page)
        self.kind = "image"
        self.page_count = 1

    def show_pdf(self, pages: list[RenderedPage], total: int) -> None:
        self._release()
        for number, page in enumerate(pages, start=1):
            image = QImage(page.pixels, page.width, page.height, page.stride,
                           QImage.Format.Format_RGBA8888).copy()  # fmt: skip
            label = self.tr("Pagina %1 di %2").replace("%1", str(number)).replace("%2", str(total))
            self._add_page(QPixmap.fromImage(image), label)
        if total > len(pages):
            more = QLabel(
                self.tr("Anteprima delle prime %1 pagine su %2.")
                .replace("%1", str(len(pages)))
                .replace("%2", str(total))
            )
            self._pages_layout.addWidget(more)
        self.stack.setCurrentWidget(self._pages_page)
        self.kind = "pdf"
        self.page_count = total

    def _add_page(self, pixmap: QPixmap, accessible_name: str) -> None:
        label = QLabel()
        label.setAccessibleName(accessible_name)
        label.setFrameShape(QLabel.Shape.Box)
        self._originals.append((label, pixmap))
        label.setPixmap(self._fitted(pixmap))
        self._pages_layout.addWidget(label)

    def _fitted(self, pixmap: QPixmap) -> QPixmap:
        """The page as wide as the preview (never wider than PREVIEW_WIDTH or its own size)."""
        room = self._pages_page.viewport().width() - 24
        width = max(120, min(room, PREVIEW_WIDTH, pixmap.width()))
        if width == pixmap.width():
            return pixmap
        return pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._pages_page.viewport() and event.type() == QEvent.Type.Resize:
            for label, pixmap in self._originals:  # pages follow the width of the preview
                label.setPixmap(self._fitted(pixmap))
        return super().eventFilter(watched, event)

    def _release(self) -> None:
        """Drop the pixels of the previous document from memory."""
        self._originals = []
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.page_count = 0
