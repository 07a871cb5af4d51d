"""Building blocks of the printed Progetto Individuale: Italian labels of the stored codes,
numbered section headings, label/value tables, data tables with amounts and a totals row.

The wording follows the PI editor (ui/pi_editor), so the paper says what the screen says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from caseworker_app.documents.base import FONT_BOLD, MARGIN, PAGE_WIDTH
from caseworker_app.documents.formats import format_date, format_money
from caseworker_app.documents.styles import (
    BODY,
    CELL,
    CELL_BOLD,
    HEADING,
    MUTED,
    NOTE,
    RULE,
    cell,
    table,
    text,
)

#: the frame's width less its 6 pt padding on each side
WIDTH = PAGE_WIDTH - 2 * MARGIN - 12
DASH = "—"

SECTION = ParagraphStyle("piSection", parent=HEADING, keepWithNext=1)
SUBHEADING = ParagraphStyle("piSub", parent=BODY, fontName=FONT_BOLD, fontSize=9.5,
                            spaceBefore=2.5 * mm, spaceAfter=1 * mm, keepWithNext=1)  # fmt: skip
LABEL = ParagraphStyle("piLabel", parent=CELL, textColor=MUTED)
CELL_RIGHT = ParagraphStyle("piCellRight", parent=CELL, alignment=TA_RIGHT)
CELL_BOLD_RIGHT = ParagraphStyle("piCellBoldRight", parent=CELL_BOLD, alignment=TA_RIGHT)
EMPTY = ParagraphStyle("piEmpty", parent=NOTE, fontSize=9)
PARAGRAPH = ParagraphStyle("piParagraph", parent=BODY, spaceAfter=1.5 * mm)

VERSION_KIND = {"prima_stesura": "prima stesura", "aggiornamento": "aggiornamento",
                "rivalutazione": "rivalutazione"}  # fmt: skip
TARGET_GROUP = {"anziano": "anziano", "adulto": "adulto", "minore": "minore"}
NETWORK_ROLE = {"caregiver": "caregiver familiare", "familiare": "familiare",
                "assistente_familiare": "assistente familiare",
                "rappresentante_legale": "rappresentante legale"}  # fmt: skip
FUNDING = {"fna": "FNA", "comune": "Comune", "asst_fsr": "ASST / FSR", "famiglia": "Famiglia",
           "altre_misure": "Altre misure"}  # fmt: skip
SIGNATORY = {"beneficiario": "Beneficiario", "rappresentante_legale": "Rappresentante legale",
             "familiare": "Familiare", "case_manager": "Responsabile del caso",
             "asst": "Rappresentante ASST"}  # fmt: skip
CERTIFICATION = {"l104_art3_c3": "L. 104/1992 art. 3 c. 3",
                 "invalidita_civile": "Invalidità civile",
                 "indennita_accompagnamento": "Indennità di accompagnamento",
                 "indennita_frequenza": "Indennità di frequenza"}  # fmt: skip
SCALE = {"adl-katz": "ADL (Katz)", "iadl-lawton": "IADL (Lawton)", "barthel": "Barthel"}
METHOD = {"penna": "penna", "tocco": "tocco", "mouse": "mouse"}


def name_of(table_: dict[str, str], code: str) -> str:
    """The Italian label of a code; an unknown code prints readably rather than vanishing."""
    return table_.get(code, code.replace("_", " "))


def or_dash(value: str) -> str:
    return value.strip() or DASH


def day(value: date | None) -> str:
    return format_date(value) or DASH


def amount(value: Decimal | None) -> str:
    return DASH if value is None else format_money(value)


def period(start: date | None, end: date | None, *, two_lines: bool = False) -> str:
    """``dal 01/01/2024 al 31/12/2024`` (one side may be open: ``dal …``, ``fino al …``);
    ``two_lines`` puts «al …» under «dal …», for a narrow column."""
    if start is None and end is None:
        return DASH
    if end is None:
        return f"dal {format_date(start)}"
    if start is None:
        return f"fino al {format_date(end)}"
    return f"dal {format_date(start)}{chr(10) if two_lines else ' '}al {format_date(end)}"


def heading(number: int, title: str) -> Paragraph:
    return text(f"{number}. {title}", SECTION)


def subheading(title: str) -> Paragraph:
    return text(title, SUBHEADING)


def empty(message: str) -> Paragraph:
    """What an empty section says instead of vanishing (e.g. «Nessun obiettivo indicato.»)."""
    return text(message, EMPTY)


def narrative(value: str) -> Paragraph:
    return text(value.strip(), PARAGRAPH) if value.strip() else empty(DASH)


def fields(rows: Sequence[tuple[str, str]], *, label_width: float = 48 * mm) -> Table:
    """A label/value table for scalar fields: muted labels on the left, values on the right."""
    value_width = WIDTH - label_width
    data = [[cell(label, label_width, LABEL), cell(value or DASH, value_width, CELL)]
            for label, value in rows]  # fmt: skip
    result = Table(data, colWidths=[label_width, value_width], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), CELL.fontName),
                ("FONTSIZE", (0, 0), (-1, -1), CELL.fontSize),
                ("LEADING", (0, 0), (-1, -1), CELL.leading),
                ("TEXTCOLOR", (0, 0), (0, -1), LABEL.textColor),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d8dee4")),
            ]
        )
    )
    return result


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths_mm: Sequence[float],
    *,
    amounts: Sequence[int] = (),
    totals: Sequence[str] | None = None,
) -> LongTable:
    """A data table (repeated header row across pages) with right-aligned amount columns and an
    optional bold totals row; ``widths_mm`` are relative and stretched to the frame width."""
    scale = WIDTH / sum(widths_mm)
    widths = [w * scale for w in widths_mm]
    body = [list(row) for row in rows]
    if totals is not None:
        body.append(list(totals))
    result = table(header, body, widths, align_right=amounts, bold_last_row=totals is not None)
    if totals is not None:
        result.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
                                    ("BACKGROUND", (0, -1), (-1, -1),
                                     colors.HexColor("#f3f6f8"))]))  # fmt: skip
    return result


def block(*parts: Flowable) -> KeepTogether:
    return KeepTogether(list(parts))


def gap(height_mm: float = 2) -> Spacer:
    return Spacer(1, height_mm * mm)
