"""Paragraph and table styles shared by every document (one typographic voice)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, Paragraph, Table, TableStyle

from caseworker_app.documents.base import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

register_fonts()  # paragraphs resolve the font family when they are made

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#57606a")
RULE = colors.HexColor("#8c959f")
HEADER_FILL = colors.HexColor("#e8eef3")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, textColor=MUTED)
#: splitLongWords=0: a word is never broken inside a table cell ("settima-na"); a word wider
#: than its column is set smaller instead (:func:`cell`)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5, splitLongWords=0)
CELL_BOLD = ParagraphStyle("cellBold", parent=CELL, fontName=FONT_BOLD)
CELL_RIGHT = ParagraphStyle("cellRight", parent=CELL, alignment=TA_RIGHT)
CELL_BOLD_RIGHT = ParagraphStyle("cellBoldRight", parent=CELL_BOLD, alignment=TA_RIGHT)
TITLE = ParagraphStyle("title", parent=BODY, fontName=FONT_BOLD, fontSize=15, leading=19,
                       spaceAfter=4 * mm)  # fmt: skip
HEADING = ParagraphStyle("heading", parent=BODY, fontName=FONT_BOLD, fontSize=11, leading=14,
                         spaceBefore=5 * mm, spaceAfter=2 * mm)  # fmt: skip
NOTE = ParagraphStyle("note", parent=BODY, fontName=FONT_ITALIC, textColor=MUTED)


def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped: names like «D'Angelo & figli» stay as typed)."""
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


CELL_PADDING = 4.0
#: The font of a table's own cells: every table names it, because reportlab's default
#: (Helvetica) is not embedded and a PDF must reference no font it does not carry.
TABLE_FONT = ("FONTNAME", (0, 0), (-1, -1), FONT)


#: the smallest size a cell's text is set at so that its longest word fits the column
MIN_CELL_SIZE = 6.0


@lru_cache(maxsize=256)
def _smaller(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}@{size}", parent=style, fontSize=size,
                          leading=style.leading * size / style.fontSize)  # fmt: skip


def fitted(value: str, room: float, style: ParagraphStyle = CELL) -> ParagraphStyle:
    """``style``, or a smaller size of it when a word of ``value`` is wider than ``room``:
    words wrap between them and are never split (``splitLongWords=0``)."""
    widest = max((stringWidth(w, style.fontName, style.fontSize) for w in value.split()),
                 default=0.0)  # fmt: skip
    if widest <= room:
        return style
    size = max(math.floor(10 * style.fontSize * room / widest) / 10, MIN_CELL_SIZE)
    return _smaller(style, size)


def cell(value: str, width: float, style: ParagraphStyle = CELL) -> str | Paragraph:
    """A table cell: the plain string when it fits on one line of the column (drawn by the
    table itself, several times cheaper than a paragraph), else a paragraph wrapping between
    words, set smaller if one of its words is wider than the column."""
    room = width - 2 * CELL_PADDING
    fits = "\n" not in value and stringWidth(value, style.fontName, style.fontSize) <= room
    return value if fits else text(value, fitted(value, room, style))


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    *,
    align_right: Sequence[int] = (),
    bold_last_row: bool = False,
) -> LongTable:
    """A table that splits across pages repeating its header row; long cells wrap."""
    right = frozenset(align_right)

    def style_of(column: int, bold: bool) -> ParagraphStyle:
        if bold:
            return CELL_BOLD_RIGHT if column in right else CELL_BOLD
        return CELL_RIGHT if column in right else CELL

    def row_of(row: Sequence[str | Flowable], bold: bool) -> list[str | Flowable]:
        return [
            cell(c, widths[i], style_of(i, bold)) if isinstance(c, str) else c
            for i, c in enumerate(row)
        ]

    data = [row_of(header, True)]
    data += [row_of(r, bold_last_row and i == len(rows) - 1) for i, r in enumerate(rows)]
    result = LongTable(data, colWidths=list(widths), repeatRows=1)
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), CELL.fontSize),
        ("LEADING", (0, 0), (-1, -1), CELL.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for column in align_right:
        style.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    if bold_last_row and rows:
        style.append(("FONTNAME", (0, -1), (-1, -1), FONT_BOLD))
    result.setStyle(TableStyle(style))  # type: ignore[arg-type]
    return result


#: the width of the body of an A4 page (A4 minus the margins)
BODY_WIDTH = 174 * mm


def field_table(
    rows: Sequence[tuple[str, str]], *, label: float, width: float = BODY_WIDTH
) -> Table:
    """Label / value rows ("—" for an empty value), a rule under each; a value with a word
    wider than its column (a SHA-256) is set smaller to fit."""
    room = width - label - 2 * CELL_PADDING
    data = [[text(name, CELL_BOLD), text(value or "—", fitted(value, room))]
            for name, value in rows]  # fmt: skip
    result = Table(data, colWidths=[label, width - label], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return result
