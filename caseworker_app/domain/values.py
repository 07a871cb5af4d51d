"""The one reader of each kind of value typed by the operator: euro amounts and dates.

Every form (the anagrafica, the case sections, the istanza wizard, the PI editor) reads what was
typed through these functions, so the same text means the same value everywhere. Pure: no Qt,
no clock (``today`` is passed in).

Amounts, the Italian way: ``1.234,56``, ``1234,5``, ``1.234`` (dots group thousands),
``1234.56`` (a single dot followed by one or two digits is the decimal point), with or without
``€`` and spaces. Refused, with a code saying why: a negative amount, more than two decimals,
and the ambiguous ``1234.567`` (a misplaced thousands dot or three decimals? nobody can tell).

Dates: ``15/01/2024``, ``15-01-2024``, ``15.01.2024``, ``15/1/24``, ``15012024`` (8 digits).
A two-digit year is resolved by a documented rule, different for birth dates:

- other dates (attestations, verbali, services, PI dates): the century that puts the date within
  50 years of ``today`` (in 2025 "80" is 1980, "24" is 2024, "74" is 2074);
- birth dates (``birth=True``): a birth date is never in the future, and people over 100 are
  common among the beneficiaries (anziani) as are children (minori). "15/1/24" typed in 2025 may
  be a baby of 2024 or a centenarian of 1924: both are plausible, so it is refused and the
  operator is asked for the four-digit year. A two-digit year is accepted only when a single
  century gives a past date of someone at most ``MAX_AGE`` years old: in 2025 "41" is 1941
  (2041 is in the future), "00" is 2000 (1900 would be 125 years ago), "24" and "10" are
  refused. A date written with four digits is always read as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from caseworker_app.domain.rules.money import MAX_MONEY
from caseworker_app.domain.validation import Issue, Severity

CENT = Decimal("0.01")
#: the oldest age a two-digit birth year may resolve to (older people are typed in full)
MAX_AGE = 120
#: other dates: a two-digit year falls within this many years of today
DATE_WINDOW_YEARS = 50

#: message codes (their Italian text is in caseworker_app/messages/ui.py)
AMOUNT_INVALID = "value.amount_invalid"
AMOUNT_AMBIGUOUS = "value.amount_ambiguous"
AMOUNT_NEGATIVE = "value.amount_negative"
AMOUNT_DECIMALS = "value.amount_decimals"
AMOUNT_TOO_LARGE = "value.amount_too_large"
DATE_INVALID = "value.date_invalid"
DATE_NOT_A_DAY = "value.date_not_a_day"
DATE_AMBIGUOUS_YEAR = "value.date_ambiguous_year"
KEPT_AS_TYPED = "value.kept_as_typed"


class UnreadableValueError(ValueError):
    """The text is not a value of the kind expected; ``code`` says why (a message code).

    Carries no part of the text: the text may be personal data."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_PLAIN = re.compile(r"\d+")
_DOT_DECIMALS = re.compile(r"(\d+)\.(\d+)")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_amount(text: str) -> Decimal | None:
    """An amount in euro, quantized to cents; empty text gives None.

    Raises ``UnreadableValueError`` (a ``ValueError``) when the text is not an amount."""
    body = _SPACES.sub("", text.replace("€", ""))
    if not body:
        return None
    if body.startswith("-"):
        rest = body[1:]
        if rest and parse_amount(rest) is not None:
            raise UnreadableValueError(AMOUNT_NEGATIVE)
        raise UnreadableValueError(AMOUNT_INVALID)
    body = body.removeprefix("+")
    if "," in body:
        whole, _, cents = body.rpartition(",")
        if not _PLAIN.fullmatch(cents) or not (
            whole == "" or _PLAIN.fullmatch(whole) or _THOUSANDS.fullmatch(whole)
        ):
            raise UnreadableValueError(AMOUNT_INVALID)
        if len(cents) > 2:
            raise UnreadableValueError(AMOUNT_DECIMALS)
        number = (whole.replace(".", "") or "0") + "." + cents
    elif _PLAIN.fullmatch(body) or _THOUSANDS.fullmatch(body):
        number = body.replace(".", "")
    elif (match := _DOT_DECIMALS.fullmatch(body)) is not None:
        if len(match.group(2)) > 2:  # 1234.567: thousands dot misplaced, or three decimals?
            raise UnreadableValueError(AMOUNT_AMBIGUOUS)
        number = body
    else:
        raise UnreadableValueError(AMOUNT_INVALID)
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the shapes above are all decimal numbers
        raise UnreadableValueError(AMOUNT_INVALID) from None
    if value > MAX_MONEY:  # also keeps quantize() within the decimal context's precision
        raise UnreadableValueError(AMOUNT_TOO_LARGE)
    return value.quantize(CENT)


def amount_or_none(text: str) -> Decimal | None:
    """The amount, or None when the text is empty or not an amount."""
    try:
        return parse_amount(text)
    except ValueError:
        return None


def format_amount(value: Decimal, *, symbol: bool = False) -> str:
    """Italian style, the inverse of ``parse_amount``: ``27.300,00`` (``27.300,00 €``)."""
    text = f"{value.quantize(CENT):,.2f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} €" if symbol else text


_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")


def parse_day(text: str, *, today: date, birth: bool = False) -> date | None:
    """A date typed the Italian way (day first); empty text gives None.

    ``birth`` selects the rule for two-digit years (see the module). Raises ``UnreadableValueError``
    (a ``ValueError``) when the text is not a date."""
    body = text.strip()
    if not body:
        return None
    match = _DATE.fullmatch(body)
    if match is not None:
        day, month, year_text = int(match.group(1)), int(match.group(3)), match.group(4)
    elif (compact := _COMPACT.fullmatch(body)) is not None:
        day, month, year_text = int(compact.group(1)), int(compact.group(2)), compact.group(3)
    else:
        raise UnreadableValueError(DATE_INVALID)
    if len(year_text) == 4:
        return _day(int(year_text), month, day)
    short = int(year_text)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise UnreadableValueError(DATE_NOT_A_DAY)
    candidates = []
    for century in (today.year // 100 - 1, today.year // 100, today.year // 100 + 1):
        try:
            candidates.append(date(century * 100 + short, month, day))
        except ValueError:
            continue  # 29/02 in a year that is not a leap year
    if birth:
        oldest = today.year - MAX_AGE
        fitting = [c for c in candidates if c <= today and c.year >= oldest]
    else:
        fitting = [c for c in candidates if abs(c.year - today.year) <= DATE_WINDOW_YEARS]
        fitting = sorted(fitting, key=lambda c: abs((c - today).days))[:1]
    if len(fitting) == 1:
        return fitting[0]
    if not candidates:
        raise UnreadableValueError(DATE_NOT_A_DAY)
    raise UnreadableValueError(DATE_AMBIGUOUS_YEAR)


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableValueError(DATE_NOT_A_DAY) from None


def format_day(day: date | None) -> str:
    """05/03/1941; empty for None."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


# -- text kept as typed ----------------------------------------------------------------------
# A value that could not be read is never dropped: the record keeps it as text under
# ``"typed": {"field": "text"}`` beside the (empty) value, the form shows it back marked, and the
# record reports an error on that field until it is corrected.


def typed_from_data(raw: object) -> dict[str, str]:
    """The ``typed`` object of a stored record (missing or malformed: empty)."""
    if not isinstance(raw, dict):
        return {}
    return {str(k): v for k, v in raw.items() if isinstance(v, str) and v.strip()}


def typed_to_data(typed: Mapping[str, str]) -> dict[str, object]:
    """``{"typed": {...}}`` to merge into a record's data, or nothing when all was read."""
    return {"typed": dict(typed)} if typed else {}


def typed_issues(typed: Mapping[str, str]) -> list[Issue]:
    """An error on each field whose text is kept as typed."""
    return [Issue(field, Severity.ERROR, KEPT_AS_TYPED) for field in typed]
