"""Italian formats for printed documents: dates gg/mm/aaaa and euro amounts ``1.234,56 €``.

Pure functions shared by every document module (documents/ must not import ui/).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from caseworker_app.domain.rules.money import format_eur

__all__ = ["format_date", "format_datetime", "format_money"]


def format_date(d: date | None) -> str:
    """``05/03/1941``; an empty string for None. A datetime prints its date only."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_datetime(moment: datetime | None) -> str:
    """``05/03/2025 14:07``; an empty string for None."""
    if moment is None:
        return ""
    return f"{format_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def format_money(value: Decimal) -> str:
    """Italian style with two decimals: ``27.300,00 €`` (``-1.234,50 €`` for negatives)."""
    return format_eur(value)
