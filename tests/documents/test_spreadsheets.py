"""The typed table toolkit: XLSX read back with openpyxl (typed cells, Italian formats, frozen
header, autofilter, widths, fixed dates) and with LibreOffice, CSV as Italian Excel reads it."""

from __future__ import annotations

import os
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseworker_app.documents.spreadsheets import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    Column,
    Kind,
    Sheet,
    Value,
    csv_bytes,
    sheet_title,
    xlsx_bytes,
)
from tests.documents.calc import expected_rows, libreoffice_csv, parse_csv, typed_rows

CREATED = datetime(2024, 2, 1, 9, 30, 0)
COLUMNS = (
    Column("Posizione", Kind.INTEGER, 8),
    Column("Protocollo", Kind.TEXT, 22),
    Column("Importo", Kind.MONEY, 14),
    Column("Presentata il", Kind.DATE, 12),
    Column("Ricevuta", Kind.DATETIME, 17),
)
ROWS: list[list[Value]] = [
    [1, "A010-2023-000001", Decimal("1234.50"), date(2024, 1, 5), datetime(2024, 1, 5, 10, 30)],
    [2, 'Cantù; "Nicolò"', Decimal("-3.00"), None, None],
    [None, "=HYPERLINK(\"http://x\")", Decimal("1000000.00"), date(2023, 12, 31),
     datetime(2023, 12, 31, 23, 59, 58)],
    [4, "+39 02 1234", Decimal("0.10"), date(2024, 2, 29), datetime(2024, 2, 29, 0, 0)],
    [5, "-1", Decimal("7"), date(2024, 3, 1), datetime(2024, 3, 1, 8, 5)],
    [6, "@SUM(A1)", Decimal("12.345"), date(2024, 3, 2), datetime(2024, 3, 2, 8, 5)],
]  # fmt: skip
SHEET = Sheet("Graduatoria: misura B1/B2 [2024] con un nome lungo", COLUMNS, ROWS)


def _book(sheets: list[Sheet]) -> bytes:
    return xlsx_bytes(sheets, created=CREATED, title="Prova")


def test_cells_are_typed_with_italian_formats() -> None:
    wb = load_workbook(BytesIO(_book([SHEET])))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [c.title for c in COLUMNS]
    assert all(c.font.bold for c in ws[1])
    first = ws[2]
    assert first[0].value == 1 and first[0].data_type == "n"
    assert first[1].value == "A010-2023-000001" and first[1].data_type == "s"
    assert first[2].value == pytest.approx(1234.5) and first[2].data_type == "n"
    assert first[2].number_format == MONEY_FORMAT == '#,##0.00 "€"'
    assert first[3].value == datetime(2024, 1, 5)  # a date cell (openpyxl reads a datetime)
    assert first[3].number_format == DATE_FORMAT
    assert first[4].value == datetime(2024, 1, 5, 10, 30)
    assert first[4].number_format == DATETIME_FORMAT
    assert ws.cell(3, 4).value is None  # an empty cell stays empty
    assert ws.cell(7, 3).value == pytest.approx(12.35)  # money to the cent


def test_header_is_frozen_filtered_and_columns_have_their_widths() -> None:
    ws = load_workbook(BytesIO(_book([SHEET]))).worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:E{len(ROWS) + 1}"
    assert ws.column_dimensions["A"].width == 8
    assert ws.column_dimensions["B"].width == 22


def test_text_that_looks_like_a_formula_stays_text() -> None:
    ws = load_workbook(BytesIO(_book([SHEET]))).worksheets[0]
    for row in (4, 5, 6, 7):
        cell = ws.cell(row, 2)
        assert cell.data_type == "s", cell.value
    assert ws.cell(4, 2).value == '=HYPERLINK("http://x")'
    lines = csv_bytes(SHEET).decode("utf-8-sig").split("\r\n")
    assert lines[3].split(";")[1] == '"\'=HYPERLINK(""http://x"")"'
    assert lines[4].split(";")[1] == "'+39 02 1234"
    assert lines[5].split(";")[1] == "'-1"
    assert lines[6].split(";")[1] == "'@SUM(A1)"


def test_sheet_titles_are_valid_and_unique() -> None:
    assert sheet_title("Misura: B1/B2 [2024]") == "Misura- B1-B2 -2024-"
    assert len(sheet_title("x" * 50)) == 31
    assert sheet_title("Riepilogo", ["riepilogo"]) == "Riepilogo (2)"
    assert sheet_title("y" * 40, ["y" * 31]) == "y" * 27 + " (2)"
    wb = load_workbook(BytesIO(_book([SHEET, Sheet("Riepilogo", (), []),
                                      Sheet("riepilogo", (), [])])))  # fmt: skip
    names = wb.sheetnames
    assert names[1:] == ["Riepilogo", "riepilogo (2)"]
    assert len(names[0]) == 31 and not set("[]:*?/\\") & set(names[0])


def test_same_tables_give_the_same_bytes_and_dates_come_from_the_argument() -> None:
    first = _book([SHEET])
    assert first == _book([SHEET])
    wb = load_workbook(BytesIO(first))
    assert wb.properties.created == CREATED
    assert wb.properties.modified == CREATED
    assert wb.properties.creator == "caseworker"
    with zipfile.ZipFile(BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 2, 1, 9, 30, 0)}
    assert xlsx_bytes([SHEET], created=datetime(2024, 2, 2)) != first


def test_csv_is_what_italian_excel_opens() -> None:
    raw = csv_bytes(SHEET)
    assert raw.startswith(b"\xef\xbb\xbf")
    content = raw.decode("utf-8-sig")
    lines = content.split("\r\n")
    assert lines[-1] == "" and "\n" not in content.replace("\r\n", "")
    assert lines[0] == "Posizione;Protocollo;Importo;Presentata il;Ricevuta"
    assert lines[1] == "1;A010-2023-000001;1234,50;05/01/2024;05/01/2024 10:30"
    assert lines[2] == '2;"Cantù; ""Nicolò""";-3,00;;'
    assert lines[3].endswith(";1000000,00;31/12/2023;31/12/2023 23:59")
    assert lines[3].startswith(";")  # no position
    assert typed_rows(SHEET, parse_csv(content)) == expected_rows(SHEET)


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        csv_bytes(Sheet("x", COLUMNS, [["solo"]]))


def test_libreoffice_reads_the_same_values_as_our_csv(tmp_path: Path) -> None:
    other = Sheet("Riepilogo", (Column("Voce"), Column("Totale", Kind.MONEY)),
                  [["Budget", Decimal("50000")], ["Assegnato", Decimal("49999.99")]])  # fmt: skip
    target = tmp_path / "tabella.xlsx"
    target.write_bytes(_book([SHEET, other]))
    converted = libreoffice_csv(target, tmp_path)
    assert sorted(converted) == sorted([sheet_title(SHEET.title), "Riepilogo"])
    for sheet, name in ((SHEET, sheet_title(SHEET.title)), (other, "Riepilogo")):
        ours = typed_rows(sheet, parse_csv(csv_bytes(sheet).decode("utf-8")))
        assert typed_rows(sheet, converted[name]) == ours == expected_rows(sheet)


_WATCHING: list[list[str]] = []


def _watch(event: str, args: tuple[object, ...]) -> None:
    """An audit hook (it cannot be removed): records, while a test watches, every file opened
    for writing and every temporary file made."""
    if not _WATCHING:
        return
    if event.startswith("tempfile."):
        _WATCHING[-1].append(f"{event} {args[0]}")
    elif event == "open" and len(args) == 3:
        path, mode, flags = args
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writes:
            _WATCHING[-1].append(f"open {path}")


sys.addaudithook(_watch)


def test_a_workbook_is_built_in_memory_without_temporary_files() -> None:
    # openpyxl streams each worksheet's XML to a file of the temporary folder: for the
    # liquidazione that would put names, codici fiscali and IBANs on the disk in clear
    people = Sheet(
        "Liquidazione",
        (Column("Codice fiscale", Kind.TEXT, 18), Column("IBAN", Kind.TEXT, 30)),
        [["RSSMRA45A01F205X", "IT60X0542811101000000123456"]] * 50,
    )
    _WATCHING.append([])
    try:
        raw = _book([SHEET, people])
    finally:
        written = _WATCHING.pop()
    assert written == []
    ws = load_workbook(BytesIO(raw)).worksheets[1]
    assert ws["A2"].value == "RSSMRA45A01F205X" and ws.max_row == 51
