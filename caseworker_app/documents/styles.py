"""Paragraph and table styles shared by every document (one typographic voice)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle

from caseworker_app.documents.base import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

register_fonts()  # paragraphs resolve the font family when they are made

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#57606a")
RULE = colors.HexColor("#8c959f")
HEADER_FILL = colors.HexColor("#e8eef3")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, textColor=MUTED)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5)
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


def cell(value: str, width: float, style: ParagraphStyle = CELL) -> str | Paragraph:
    """A table cell: the plain string when it fits on one line of the column (drawn by the
    table itself, several times cheaper than a paragraph), else a wrapping paragraph."""
    fits = "\n" not in value and (
        stringWidth(value, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING
    )
    return value if fits else text(value, style)


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
