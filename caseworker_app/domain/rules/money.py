"""Money: decimal euros with two digits, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal | None:
    """Parse the interchange form ``"1200.00"`` (a string with exactly two decimals)."""
    if not isinstance(text, str):
        return None
    body = text[1:] if text.startswith("-") else text
    whole, dot, cents = body.partition(".")
    if not (whole.isdigit() and dot == "." and len(cents) == 2 and cents.isdigit()):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the shape check above excludes it
        return None


def to_json(value: Decimal) -> str:
    return f"{money(value):.2f}"


def format_eur(value: Decimal) -> str:
    """Italian style: ``27.300,00 €``."""
    text = f"{money(value):,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") + " €"
