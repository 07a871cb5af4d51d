"""Italian display formats: dates gg/mm/aaaa, times, numbers with dot thousands.

Pure functions (no Qt), so they are cheap to import and easy to test.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")


def format_date(day: date | None) -> str:
    """05/03/1941; empty for None."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_date(text: str) -> date | None:
    """Read a date typed as gg/mm/aaaa (also with - or . and without leading zeros, or 8 digits).

    Empty text gives None; anything else that is not a real date raises ValueError. Two-digit
    years are refused: for people born in the 1920s they are ambiguous.
    """
    if not text.strip():
        return None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise ValueError("not a gg/mm/aaaa date")
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def format_time(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{format_date(moment.date())} {format_time(moment)}"


def format_registered(moment: datetime | None) -> str:
    """When an istanza was presented: a paper istanza registered on a later day carries its day
    only (stored at midnight), never an invented clock time."""
    if moment is None:
        return ""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return format_date(moment.date())
    return format_datetime(moment)


def format_count(value: int) -> str:
    """12.345 (Italian thousands separator)."""
    return f"{value:,}".replace(",", ".")
