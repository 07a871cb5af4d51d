"""Typed tables written as XLSX (openpyxl) and as CSV, the way Italian Excel reads them.

A :class:`Sheet` is a title, typed :class:`Column` s and rows of plain values (``str``, ``int``,
``Decimal``, ``date``, ``datetime`` or ``None`` for an empty cell). :func:`xlsx_bytes` writes one
worksheet per sheet with real number and date cells (money ``#,##0.00 "€"``, dates
``DD/MM/YYYY``), a bold frozen header row, an autofilter over the data and the column widths;
:func:`csv_bytes` writes one sheet as Italian Excel opens it with a double click: UTF-8 with a
BOM, ``;`` between fields, CRLF, a decimal comma without thousands separator (``1234,50``) and
dates ``DD/MM/YYYY``.

Both are deterministic: the workbook's properties (created, modified) and the ZIP entries' times
come from the ``created`` argument, never from the clock, so the same tables give the same bytes.

A text cell that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: *CSV/formula injection*) stays text: in the XLSX it is an
inline string (openpyxl data type ``s``), in the CSV it is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import enum
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from caseworker_app.domain.rules.money import money

__all__ = [
    "MAX_TITLE",
    "Column",
    "Kind",
    "Sheet",
    "Value",
    "csv_bytes",
    "csv_text",
    "safe_text",
    "sheet_title",
    "xlsx_bytes",
]

Value = str | int | Decimal | date | datetime | None

MAX_TITLE = 31  # Excel's limit on a worksheet's name
MONEY_FORMAT = '#,##0.00 "€"'
INTEGER_FORMAT = "0"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
#: what a spreadsheet reads as the start of a formula (OWASP: CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOM = "\ufeff"


class Kind(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"  # Decimal euros, two decimals
    DATE = "date"
    DATETIME = "datetime"


_FORMATS = {
    Kind.INTEGER: INTEGER_FORMAT,
    Kind.MONEY: MONEY_FORMAT,
    Kind.DATE: DATE_FORMAT,
    Kind.DATETIME: DATETIME_FORMAT,
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    width: float = 14.0  # in Excel's character widths


@dataclass(frozen=True)
class Sheet:
    title: str  # cleaned by :func:`sheet_title` when written
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Value]]


def sheet_title(text: str, taken: Sequence[str] = ()) -> str:
    """A valid worksheet name: no ``[]:*?/\\``, at most 31 characters, not a name in ``taken``
    (compared as Excel does, ignoring case): a duplicate gets `` (2)``, `` (3)``…"""
    base = _TITLE_FORBIDDEN.sub("-", text).strip().strip("'") or "Foglio"
    used = {t.casefold() for t in taken}
    candidate, n = base[:MAX_TITLE], 1
    while candidate.casefold() in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: MAX_TITLE - len(suffix)] + suffix
    return candidate


def safe_text(value: str) -> str:
    """``value`` for a CSV field: prefixed with ``'`` when a spreadsheet would run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _local(moment: datetime) -> datetime:
    """A datetime Excel can hold: no time zone (our times are local), to the second."""
    return moment.replace(tzinfo=None, microsecond=0)


def _check(sheet: Sheet) -> None:
    width = len(sheet.columns)
    for number, row in enumerate(sheet.rows, start=1):
        if len(row) != width:
            raise ValueError(f"sheet {sheet.title!r}: row {number} has {len(row)} cells, "
                             f"the columns are {width}")  # fmt: skip


# ---------------------------------------------------------------- XLSX


class _Styles:
    """The shared style objects (openpyxl dedupes them, but building them once is faster)."""

    def __init__(self) -> None:
        self.header_font = Font(bold=True)
        self.header_alignment = Alignment(vertical="top", wrap_text=True)


class _ColumnCells:
    """The cells a column appends (a write-only sheet writes each row as it is appended, so
    one cell per column serves every row): its formatted one, and one for text that starts
    with "=" (openpyxl would take it for a formula)."""

    def __init__(self, ws: WriteOnlyWorksheet, column: Column) -> None:
        self.kind = column.kind
        self.text = WriteOnlyCell(ws)
        self.formatted = WriteOnlyCell(ws)
        if column.kind in _FORMATS:
            self.formatted.number_format = _FORMATS[column.kind]

    def cell(self, value: Value) -> Value | Cell:
        """What to append for ``value``: the plain value when openpyxl types it right by
        itself and it needs no number format (text, integers: the fast path), else the
        column's cell holding it."""
        if value is None or value == "":
            return None
        kind = self.kind
        if kind is Kind.TEXT or isinstance(value, str):
            text = str(value)
            if not text.startswith("="):
                return text  # openpyxl reads only a leading "=" as a formula
            self.text.value = text
            self.text.data_type = "s"  # never a formula
            return self.text
        if kind is Kind.INTEGER and isinstance(value, int):
            return value  # "General" shows an integer as it is
        if isinstance(value, datetime):
            value = _local(value)
        elif kind is Kind.MONEY and isinstance(value, Decimal):
            value = money(value)
        self.formatted.value = value  # a Decimal is written exactly (its str), not as a float
        return self.formatted


class _InMemoryExcelWriter(ExcelWriter):
    """openpyxl's writer of the package, taking each worksheet's XML from memory.

    openpyxl streams a worksheet's XML into a file of the temporary folder and copies that file
    into the ZIP: for the internal graduatoria and the liquidazione, names, codici fiscali and
    IBANs on the disk in clear. Our worksheets are streamed into memory instead
    (:func:`_in_memory`), and this writer stores their bytes."""

    def write_worksheet(self, ws: Any) -> None:  # a write-only sheet: private attributes
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        if not isinstance(writer.out, io.BytesIO):  # pragma: no cover - openpyxl changed
            raise RuntimeError("openpyxl worksheet not written in memory")
        ws._rels = writer._rels
        archive: zipfile.ZipFile = self._archive  # type: ignore[attr-defined]
        archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def _in_memory(ws: WriteOnlyWorksheet) -> None:
    """Stream ``ws`` into memory (see :class:`_InMemoryExcelWriter`): openpyxl's own writer,
    given a buffer where it would make a temporary file. Its top (views, columns) is written
    now, so after the freeze and the widths are set."""
    writer = WorksheetWriter(ws, out=io.BytesIO())
    writer.write_top()
    ws._writer = writer  # type: ignore[attr-defined]


def _worksheet(wb: Workbook, sheet: Sheet, title: str, styles: _Styles) -> None:
    ws = wb.create_sheet(title)
    assert isinstance(ws, WriteOnlyWorksheet)
    columns = sheet.columns
    last = get_column_letter(max(len(columns), 1))
    # before the first row: the sheet's views and columns are written ahead of its data
    ws.freeze_panes = "A2"
    # a write-only sheet has a Worksheet's column dimensions and autofilter (missing in the stubs)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width  # type: ignore[attr-defined]
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"  # type: ignore[attr-defined]
    _in_memory(ws)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.data_type = "s"
        cell.font = styles.header_font
        cell.alignment = styles.header_alignment
        header.append(cell)
    ws.append(header)
    cells = [_ColumnCells(ws, column) for column in columns]
    for row in sheet.rows:
        ws.append([c.cell(value) for c, value in zip(cells, row, strict=True)])


def _fixed_zip(raw: bytes, moment: datetime) -> bytes:
    """The same ZIP with every entry dated ``moment`` (ZipFile.writestr stamps the clock)."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
             moment.second - moment.second % 2)  # fmt: skip
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def xlsx_bytes(sheets: Sequence[Sheet], *, created: datetime, title: str = "") -> bytes:
    """The XLSX workbook of ``sheets`` (one worksheet each, in order), dated ``created``.

    ``title`` is the workbook's title property (no personal data)."""
    for sheet in sheets:
        _check(sheet)
    wb = Workbook(write_only=True)
    moment = _local(created)
    wb.properties.created = moment
    wb.properties.modified = moment
    wb.properties.creator = "caseworker"
    wb.properties.lastModifiedBy = None
    wb.properties.title = title or None
    styles = _Styles()
    taken: list[str] = []
    for sheet in sheets or (Sheet("Foglio", (), ()),):
        name = sheet_title(sheet.title, taken)
        taken.append(name)
        _worksheet(wb, sheet, name, styles)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # not openpyxl's save_workbook: it stamps "modified", and its worksheets go through
        # temporary files
        _InMemoryExcelWriter(wb, archive).save()
    return _fixed_zip(buffer.getvalue(), moment)


# ---------------------------------------------------------------- CSV


def _csv_value(column: Column, value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        local = _local(value)
        return f"{local.day:02d}/{local.month:02d}/{local.year:04d} {local:%H:%M}"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, Decimal):
        text = f"{money(value):.2f}" if column.kind is Kind.MONEY else str(value)
        return text.replace(".", ",")
    return str(value)


def csv_text(sheet: Sheet) -> str:
    """The CSV of ``sheet`` as text (header row first, CRLF, ``;``), without the BOM."""
    _check(sheet)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_text(c.title) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_value(c, v) for c, v in zip(sheet.columns, row, strict=True)])
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """The CSV of ``sheet`` in UTF-8 with a BOM (so that Excel reads the accents)."""
    return (_BOM + csv_text(sheet)).encode("utf-8")
