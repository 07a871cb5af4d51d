"""Render the pages of a stored PDF to bitmaps in memory, for the in-app preview.

PDFium (pypdfium2) reads the bytes from memory: a personal document is never written to a
file to be shown. Pure computation, no Qt: it runs on the worker thread, and the UI wraps the
pixels in images.
"""

from __future__ import annotations

from typing import NamedTuple

MAX_PAGES = 12


class RenderedPage(NamedTuple):
    width: int
    height: int
    stride: int
    pixels: bytes  # RGBA, 8 bits per channel


class PdfUnreadableError(Exception):
    """The bytes are not a PDF that PDFium can open (damaged, or protected by a password)."""


def _render(page: object, width: int) -> RenderedPage:
    import pypdfium2 as pdfium

    assert isinstance(page, pdfium.PdfPage)
    scale = width / max(page.get_width(), 1.0)
    bitmap = page.render(scale=scale, rev_byteorder=True,
                         force_bitmap_format=pdfium.raw.FPDFBitmap_BGRA)  # fmt: skip
    try:
        return RenderedPage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
    finally:
        bitmap.close()


def _open(content: bytes) -> object:
    import pypdfium2 as pdfium  # heavy; only when a PDF is shown

    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        raise PdfUnreadableError from exc


def render_pdf(
    content: bytes, *, width: int, max_pages: int = MAX_PAGES
) -> tuple[list[RenderedPage], int]:
    """The first ``max_pages`` pages scaled to ``width`` pixels, and the total page count."""
    import pypdfium2 as pdfium

    document = _open(content)
    assert isinstance(document, pdfium.PdfDocument)
    try:
        total = len(document)
        pages = []
        for index in range(min(total, max_pages)):
            page = document[index]
            try:
                pages.append(_render(page, width))
            finally:
                page.close()
        return pages, total
    finally:
        document.close()


def render_page(content: bytes, index: int, *, width: int) -> RenderedPage:
    """Page ``index`` (0-based) scaled to ``width`` pixels: printing holds one high-resolution
    bitmap at a time."""
    import pypdfium2 as pdfium

    document = _open(content)
    assert isinstance(document, pdfium.PdfDocument)
    try:
        page = document[index]
        try:
            return _render(page, width)
        finally:
            page.close()
    finally:
        document.close()
