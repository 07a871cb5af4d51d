"""The common frame of every printed document: A4, fonts, header, footer, QR stamp, metadata.

Every document of the product is built with :func:`render`: a list of reportlab flowables in a
frame with the ambito and the comune in the header, "Pagina x di y" and a QR code on every page,
an embedded TrueType font that covers Italian accents (DejaVu Sans, resources/fonts), and PDF
metadata with the title and the comune as author — never personal data.

Output is deterministic: reportlab's ``invariant`` mode, a creation date taken from the record
(e.g. the PI version), no random ids; the same input prints byte-identically twice.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from caseworker_app.domain.signature import GraphicSignature

__all__ = ["GraphicSignature"]  # kept here for the documents that draw it

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
HEADER_HEIGHT = 22 * mm  # ambito, comune, office, contacts; the rule 4 mm above the body
HEADER_RULE = 18 * mm  # from the top margin down to the header's rule
LOGO_HEIGHT = 15 * mm
LOGO_MAX_WIDTH = 32 * mm
FOOTER_HEIGHT = 26 * mm  # room for the QR stamp
QR_SIZE = 22 * mm
#: the page stamp's format: version 2 is the compact text (version 1, JSON with the whole
#: SHA-256, did not decode from a 150 dpi scan)
STAMP_FORMAT = "CW2"
STAMP_SEPARATOR = "|"
STAMP_HASH = 16


def fonts_dir() -> Path:
    """resources/fonts of a source checkout or of a frozen app (CASEWORKER_RESOURCES overrides)."""
    import os
    import sys

    override = os.environ.get("CASEWORKER_RESOURCES")
    if override:
        return Path(override) / "fonts"
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources" / "fonts"
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


_registered = False


def register_fonts() -> None:
    """Register the embedded fonts once per process."""
    global _registered
    if _registered:
        return
    folder = fonts_dir()
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):  # fmt: skip
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)  # fmt: skip
    _registered = True


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: shown in the header; the comune is the PDF's author.

    The office and its contacts are what the comune set in Impostazioni; an empty one is left
    out. ``logo`` is a PNG or JPEG image (already checked), drawn at the left of the header."""

    ambito: str  # e.g. "Ambito territoriale dell'Abbiatense"
    comune: str  # e.g. "Comune di Abbiategrasso"
    office: str = ""  # e.g. "Servizi Sociali"
    address: str = ""  # e.g. "Piazza Marconi 1, 20081 Abbiategrasso (MI)"
    phone: str = ""
    pec: str = ""
    logo: bytes | None = field(default=None, repr=False)

    def contacts(self) -> str:
        """The address, phone and PEC on one line (the parts that are set)."""
        parts = [self.address.strip()]
        if self.phone.strip():
            parts.append(f"Tel. {self.phone.strip()}")
        if self.pec.strip():
            parts.append(f"PEC {self.pec.strip()}")
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Stamp:
    """What the QR code on every page says, so that a scanned signed copy finds its record.

    ``istanza`` is the protocol (or the istanza id before protocol), ``kind`` the document kind
    (pi, adl, iadl, barthel, istanza, privacy, recovery), ``version`` the PI version (or None),
    ``content_hash`` the SHA-256 of the canonical JSON of what the document shows."""

    istanza: str
    kind: str
    version: int | None
    content_hash: str

    def payload(self) -> str:
        """``CW2|istanza|kind|version|hash``: short, so that the code stays readable when the
        page is scanned at 150 dpi (an office scanner's default); the hash is the first 16 hex
        digits of ``content_hash`` (64 bits: what the page prints as "Impronta")."""
        version = "" if self.version is None else str(self.version)
        return STAMP_SEPARATOR.join(
            (STAMP_FORMAT, self.istanza, self.kind, version, self.content_hash[:STAMP_HASH])
        )


@dataclass(frozen=True)
class StampReference:
    """What a scanned page's QR code says (:func:`read_stamp`)."""

    istanza: str
    kind: str
    version: int | None
    hash_prefix: str


def read_stamp(payload: str) -> StampReference:
    """Read a page's QR payload; ValueError when it is not one of ours (or of another format)."""
    parts = payload.strip().split(STAMP_SEPARATOR)
    if len(parts) != 5 or parts[0] != STAMP_FORMAT:
        raise ValueError("not a caseworker document stamp")
    _format, istanza, kind, version, digest = parts
    well_formed = istanza and kind and len(digest) == STAMP_HASH
    if not well_formed or not (version == "" or version.isdigit()):
        raise ValueError("malformed caseworker document stamp")
    return StampReference(istanza, kind, int(version) if version else None, digest)


def content_hash(data: Mapping[str, object] | Sequence[object]) -> str:
    """SHA-256 (hex) of the canonical JSON of a document's data (sorted keys, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)  # fmt: skip
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocumentSpec:
    title: str  # PDF title and the heading of the header's right side
    letterhead: Letterhead
    stamp: Stamp | None
    created: datetime  # fixed: from the record, never "now" (deterministic output)
    subject: str = ""  # PDF subject (no personal data)


class _NumberedCanvas(Canvas):
    """Defers page output so that every page can say "Pagina x di y"."""

    def __init__(self, *args: object, spec: DocumentSpec, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._spec = spec
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            _draw_frame(self, self._spec, self.getPageNumber(), total)
            super().showPage()
        super().save()


def _draw_frame(canvas: Canvas, spec: DocumentSpec, page: int, total: int) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - MARGIN
    _draw_letterhead(canvas, spec, top)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - HEADER_RULE, PAGE_WIDTH - MARGIN, top - HEADER_RULE)
    bottom = MARGIN
    canvas.line(MARGIN, bottom + FOOTER_HEIGHT - 3 * mm, PAGE_WIDTH - MARGIN,
                bottom + FOOTER_HEIGHT - 3 * mm)  # fmt: skip
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN, bottom + 2 * mm, f"Pagina {page} di {total}")
    if spec.stamp is not None:
        stamp = spec.stamp
        version = f" · versione {stamp.version}" if stamp.version is not None else ""
        canvas.drawString(MARGIN, bottom + 6 * mm,
                          f"Rif. {stamp.istanza} · {stamp.kind}{version}")  # fmt: skip
        canvas.drawString(MARGIN, bottom + 10 * mm, f"Impronta {stamp.content_hash[:16]}")
        _draw_qr(canvas, stamp.payload(), PAGE_WIDTH - MARGIN - QR_SIZE, bottom, QR_SIZE)
    canvas.restoreState()


def _draw_letterhead(canvas: Canvas, spec: DocumentSpec, top: float) -> None:
    """The header above the rule: the logo, then the ambito, "Comune di …", the office and its
    contacts, one line each; the document's title on the right."""
    head = spec.letterhead
    left = MARGIN
    if head.logo:
        left += _draw_logo(canvas, head.logo, MARGIN, top - 1 * mm - LOGO_HEIGHT) + 3 * mm
    title_width = pdfmetrics.stringWidth(spec.title, FONT_BOLD, 9)
    canvas.setFont(FONT_BOLD, 9)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 4 * mm, spec.title)
    beside_title = PAGE_WIDTH - MARGIN - title_width - 4 * mm - left
    full = PAGE_WIDTH - MARGIN - left
    lines = [
        (head.ambito, FONT, 7.5, 3.5 * mm, beside_title),
        (head.comune, FONT_BOLD, 10.5, 8 * mm, beside_title),
        (head.office, FONT_BOLD, 8.5, 12 * mm, full),
        (head.contacts(), FONT, 7.5, 15.6 * mm, full),
    ]
    canvas.setFillColorRGB(0, 0, 0)
    for line, font, size, down, width in lines:
        if line.strip():
            fitted = _fit_size(line.strip(), font, size, width)
            canvas.setFont(font, fitted)
            canvas.drawString(left, top - down, _clip(line.strip(), font, fitted, width))


def _fit_size(line: str, font: str, size: float, width: float) -> float:
    """``size``, reduced (to 75% at most) until ``line`` fits in ``width``."""
    fitted = size
    while fitted > size * 0.75 and pdfmetrics.stringWidth(line, font, fitted) > width:
        fitted -= 0.25
    return fitted


def _clip(line: str, font: str, size: float, width: float) -> str:
    """``line`` cut with "…" where it would go beyond ``width`` (only for unusually long
    settings)."""
    if pdfmetrics.stringWidth(line, font, size) <= width:
        return line
    while line and pdfmetrics.stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _logo_reader(logo: bytes) -> tuple[ImageReader, float]:
    """The logo image and its width at LOGO_HEIGHT (at most LOGO_MAX_WIDTH)."""
    reader = ImageReader(BytesIO(logo))
    width, height = reader.getSize()
    return reader, min(LOGO_HEIGHT * width / max(height, 1), LOGO_MAX_WIDTH)


def _draw_logo(canvas: Canvas, logo: bytes, x: float, y: float) -> float:
    """Draw the logo in a LOGO_MAX_WIDTH × LOGO_HEIGHT box (proportions kept); its width."""
    reader, width = _logo_reader(logo)
    canvas.drawImage(reader, x, y, width=width, height=LOGO_HEIGHT, mask="auto",
                     preserveAspectRatio=True, anchor="sw")  # fmt: skip
    return width


@lru_cache(maxsize=32)
def _qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR modules of ``payload`` (error level M) as dark runs: (row, column, length)."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.make()
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, group in itertools.groupby(bool(m) for m in row):
            n = len(list(group))
            if dark:
                runs.append((r, c, n))
            c += n
    return qr.getModuleCount(), tuple(runs)  # type: ignore[no-untyped-call]


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """The QR code drawn once per document as a form XObject (one path), placed on each page.

    Drawing it through ``QrCodeWidget``/``Drawing`` encoded it twice per page and built ~1,200
    shapes per page: 85% of the time of a 4-page PI."""
    border = 4
    name = "qr" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
    if not canvas.hasForm(name):
        count, runs = _qr_runs(payload)
        box = size / (count + 2 * border)
        canvas.beginForm(name, 0, 0, size, size)
        path = canvas.beginPath()
        for r, c, n in runs:
            path.rect((c + border) * box, size - (r + border + 1) * box, n * box, box)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()


def render(spec: DocumentSpec, story: list[Flowable]) -> bytes:
    """The PDF bytes of ``story`` in the common frame (deterministic for the same input)."""
    register_fonts()
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, title=spec.title, author=spec.letterhead.comune,
        subject=spec.subject, creator="caseworker", producer="caseworker",
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT, invariant=1,
        initialFontName=FONT,
    )  # fmt: skip
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    created = spec.created

    def make_canvas(*args: object, **kwargs: object) -> _NumberedCanvas:
        canvas = _NumberedCanvas(*args, spec=spec, **kwargs)
        stamp = created.strftime("D:%Y%m%d%H%M%S")
        canvas.setDateFormatter(lambda *_: stamp)
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    return buffer.getvalue()
