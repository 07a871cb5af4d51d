"""Dates as the avvisi count them."""

from __future__ import annotations

from datetime import date


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def months_touched(start: date, end: date) -> set[tuple[int, int]]:
    """The calendar months a period touches (15/06–14/08 touches June, July, August)."""
    if end < start:
        return set()
    months: set[tuple[int, int]] = set()
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.add((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months


def format_it(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
