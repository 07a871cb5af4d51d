"""Reading values back from the JSON objects the store keeps (case records, istanza content,
PI versions): tolerant of what older versions did not write, never guessing a value.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation


def as_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` string as a date; anything else is None."""
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def as_str(value: object) -> str:
    return value if isinstance(value, str) else ""


def as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_money(value: object) -> Decimal | None:
    """A decimal string such as ``"1200.00"``; anything else (or not finite) is None."""
    if isinstance(value, str) and value:
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None
