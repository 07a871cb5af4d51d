"""Money: decimal euros with two digits, never floats.

Every amount read from outside (interchange files, ``--budget``, definition files) goes through
:func:`parse_money`, which refuses amounts above :data:`MAX_MONEY` (999,999,999.99 euro, under
a billion: more than any budget of an avviso). Sums of thousands of such amounts stay well
inside the 28 significant digits of the decimal context, so quantizing never overflows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_MONEY = Decimal("999999999.99")  # the largest amount accepted from outside, in euro
MAX_WHOLE_DIGITS = 9  # digits before the point in MAX_MONEY


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _has_money_shape(text: object) -> bool:
    if not isinstance(text, str):
        return False
    body = text[1:] if text.startswith("-") else text
    whole, dot, cents = body.partition(".")
    return whole.isdigit() and dot == "." and len(cents) == 2 and cents.isdigit()


def parse_money(text: str) -> Decimal | None:
    """Parse the interchange form ``"1200.00"`` (a string with exactly two decimals), at most
    :data:`MAX_MONEY` in absolute value; ``None`` for anything else (see :func:`too_large`)."""
    if not _has_money_shape(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the shape check above excludes it
        return None
    return value if abs(value) <= MAX_MONEY else None


def too_large(text: object) -> bool:
    """``text`` has the shape of an amount but is beyond :data:`MAX_MONEY` (for the message)."""
    return _has_money_shape(text) and abs(Decimal(str(text))) > MAX_MONEY


def to_json(value: Decimal) -> str:
    return f"{money(value):.2f}"


def format_eur(value: Decimal) -> str:
    """Italian style: ``27.300,00 €``."""
    text = f"{money(value):,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") + " €"
