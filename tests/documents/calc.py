"""Reading our XLSX and CSV back for the tests: openpyxl, LibreOffice headless, the csv module.

:func:`libreoffice_csv` converts an XLSX to one CSV per sheet with LibreOffice Calc headless (the
"Text - txt - csv (StarCalc)" filter: ``;``, ``"``, UTF-8, cell contents *as shown*, every
sheet), in its own throw-away profile so that parallel runs do not share one. :func:`typed` turns
a field of our CSV or of LibreOffice's back into a value of its column's kind, so the two are
compared by value (LibreOffice writes money as its locale shows it, ``1,234.50 €``)."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from caseworker_app.documents.spreadsheets import FORMULA_STARTS, Kind, Sheet, Value
from caseworker_app.domain.rules.money import money
from tests.tools import require

#: separator 59 (;), text delimiter 34 ("), UTF-8 (76), from line 1, default cell format and
#: language, quoted fields not as text, special numbers detected, *save contents as shown*, no
#: formulas, no trimming, every sheet (-1: one file per sheet, LibreOffice ≥ 7.2)
CSV_FILTER = "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1"


def libreoffice_csv(xlsx: Path, work: Path) -> dict[str, list[list[str]]]:
    """Each sheet of ``xlsx`` as LibreOffice exports it, by sheet name."""
    out = work / "soffice-out"
    profile = work / "soffice-profile"
    done = subprocess.run(
        [require("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", CSV_FILTER, "--outdir", str(out), str(xlsx)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sheets: dict[str, list[list[str]]] = {}
    prefix = xlsx.stem + "-"
    for file in sorted(out.glob("*.csv")):
        name = file.stem[len(prefix) :] if file.stem.startswith(prefix) else file.stem
        sheets[name] = parse_csv(file.read_text(encoding="utf-8"))
    assert sheets, f"LibreOffice wrote nothing: {done.stdout} {done.stderr}"
    return sheets


def parse_csv(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


def _money(field: str) -> Decimal:
    """``1234,50`` (ours), ``1,234.50 €`` or ``1.234,50 €`` (LibreOffice by locale)."""
    body = field.replace("€", "").replace("\xa0", "").strip()
    whole, cents = body[:-3], body[-2:]
    assert body[-3] in ",.", field
    return Decimal(whole.replace(".", "").replace(",", "") + "." + cents)


def typed(kind: Kind, field: str) -> Value:
    if field == "":
        return None
    if kind is Kind.TEXT:
        unquoted = field[1:] if field.startswith("'") else field
        return unquoted if unquoted.startswith(FORMULA_STARTS) else field
    if kind is Kind.INTEGER:
        return int(field)
    if kind is Kind.MONEY:
        return _money(field)
    if kind is Kind.DATE:
        return datetime.strptime(field, "%d/%m/%Y").date()
    return datetime.strptime(field, "%d/%m/%Y %H:%M")


def typed_rows(sheet: Sheet, fields: list[list[str]]) -> list[list[Value]]:
    """The data rows (after the header) of a CSV of ``sheet`` as values of its columns' kinds."""
    header, *rows = fields
    assert header == [c.title for c in sheet.columns]
    return [[typed(c.kind, f) for c, f in zip(sheet.columns, row, strict=True)] for row in rows]


def expected_rows(sheet: Sheet) -> list[list[Value]]:
    """The sheet's own rows as they read back (datetimes to the minute, money to the cent, an
    empty text as an empty cell)."""

    def norm(v: Value) -> Value:
        if v == "":
            return None
        if isinstance(v, datetime):
            return v.replace(second=0, microsecond=0, tzinfo=None)
        if isinstance(v, Decimal):
            return money(v)
        if isinstance(v, date):
            return v
        return v

    return [[norm(v) for v in row] for row in sheet.rows]
