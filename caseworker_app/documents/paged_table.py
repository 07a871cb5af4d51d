"""A table of many one-line rows, laid out one page at a time (the public graduatoria's 10,000).

A reportlab ``LongTable`` of 10,000 rows splits once per page, and every split measures and
copies what is left of the table: 9 s for 250 pages. :class:`PagedTable` knows the height of its
rows instead (every cell is one line of text: a value wider than its column is set smaller, down
to 6 points, then cut with "…"), so it splits in constant time: each page gets a small ``Table``
of the rows that fit, with the header row repeated on top; the last row may be a bold total.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from caseworker_app.documents.base import FONT, FONT_BOLD
from caseworker_app.documents.styles import CELL, CELL_PADDING, HEADER_FILL, INK, RULE

__all__ = ["PagedTable"]

_SIZE = CELL.fontSize
_LEADING = CELL.leading
_PAD = 2.5  # top and bottom padding of a cell
ROW_HEIGHT = _LEADING + 2 * _PAD
MIN_SIZE = 6.0
MIN_ROWS = 3  # a page never starts a table with fewer rows than this (with its header)


@lru_cache(maxsize=4096)
def _fit(value: str, room: float, font: str) -> tuple[str, float]:
    """``value`` and the size it is set at to fit ``room`` on one line (cut with "…" at the
    smallest size)."""
    width = stringWidth(value, font, _SIZE)
    if width <= room:
        return value, _SIZE
    size = max(int(10 * _SIZE * room / width) / 10, MIN_SIZE)
    cut = value
    while cut and stringWidth(cut + "…", font, size) > room and stringWidth(cut, font, size) > room:
        cut = cut[:-1]
    return (cut if cut == value else cut.rstrip() + "…"), size


class PagedTable(Flowable):
    """``header`` and ``rows`` of plain strings in columns of ``widths``; ``right`` are the
    right-aligned columns; ``total`` the bold last row (or None)."""

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        right: Sequence[int] = (),
        total: Sequence[str] | None = None,
        start: int = 0,
    ) -> None:
        super().__init__()
        self._header = tuple(header)
        self._rows = rows
        self._widths = tuple(widths)
        self._right = tuple(right)
        self._total = None if total is None else tuple(total)
        self._start = start

    def _count(self) -> int:
        """Rows left to lay out, the total included."""
        return len(self._rows) - self._start + (self._total is not None)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = sum(self._widths)
        self.height = ROW_HEIGHT * (1 + self._count())
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height + 0.01) // ROW_HEIGHT) - 1  # below the header
        if fit < min(MIN_ROWS, self._count()):
            return []  # the next page
        if fit >= self._count():
            return [self]
        body_left = len(self._rows) - self._start
        fit = min(fit, body_left)
        if fit == body_left and self._total is not None:  # the total never stands alone
            fit -= 1
        end = self._start + fit
        rest = PagedTable(self._header, self._rows, self._widths, right=self._right,
                          total=self._total, start=end)  # fmt: skip
        return [self._table(self._rows[self._start : end], with_total=False), rest]

    def draw(self) -> None:
        table = self._table(self._rows[self._start :], with_total=self._total is not None)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def _table(self, rows: Sequence[Sequence[str]], *, with_total: bool) -> Table:
        styles: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("FONTSIZE", (0, 0), (-1, -1), _SIZE),
            ("LEADING", (0, 0), (-1, -1), _LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), _PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ]
        for column in self._right:
            styles.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
        lines = [self._header, *rows]
        if with_total and self._total is not None:
            lines.append(self._total)
            styles += [("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
                       ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE)]  # fmt: skip
        data: list[list[str]] = []
        for r, line in enumerate(lines):
            bold = r == 0 or (with_total and r == len(lines) - 1)
            font = FONT_BOLD if bold else FONT
            cells: list[str] = []
            for c, value in enumerate(line):
                shown, size = _fit(value, self._widths[c] - 2 * CELL_PADDING, font)
                if size != _SIZE:
                    styles.append(("FONTSIZE", (c, r), (c, r), size))
                cells.append(shown)
            data.append(cells)
        table = Table(data, colWidths=list(self._widths), rowHeights=[ROW_HEIGHT] * len(data))
        table.setStyle(TableStyle(styles))  # type: ignore[arg-type]
        return table
