"""Paragraph and table styles shared by every document (one typographic voice)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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
TITLE = ParagraphStyle("title", parent=BODY, fontName=FONT_BOLD, fontSize=15, leading=19,
                       spaceAfter=4 * mm)  # fmt: skip
HEADING = ParagraphStyle("heading", parent=BODY, fontName=FONT_BOLD, fontSize=11, leading=14,
                         spaceBefore=5 * mm, spaceAfter=2 * mm)  # fmt: skip
NOTE = ParagraphStyle("note", parent=BODY, fontName=FONT_ITALIC, textColor=MUTED)


def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped: names like «D'Angelo & figli» stay as typed)."""
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    *,
    align_right: Sequence[int] = (),
) -> LongTable:
    """A table that splits across pages repeating its header row; cells are wrapped text."""
    data: list[list[str | Flowable]] = [[text(h, CELL_BOLD) for h in header]]
    for row in rows:
        data.append([text(c, CELL) if isinstance(c, str) else c for c in row])
    result = LongTable(data, colWidths=list(widths), repeatRows=1)
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for column in align_right:
        style.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    result.setStyle(TableStyle(style))  # type: ignore[arg-type]
    return result
