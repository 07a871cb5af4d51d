"""Italian display formats: dates gg/mm/aaaa, times, numbers with dot thousands.

Pure functions (no Qt), so they are cheap to import and easy to test.
"""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.domain import values
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.messages import render


def format_date(day: date | None) -> str:
    """05/03/1941; empty for None."""
    return values.format_day(day)


def parse_date(text: str, *, birth: bool = False, today: date | None = None) -> date | None:
    """Read a date typed the Italian way: the domain's one parser (``domain.values.parse_day``,
    which documents the forms accepted and the rule for two-digit years, stricter for ``birth``
    dates). Empty text gives None; anything else that is not a date raises ``UnreadableValueError``
    (a ``ValueError``) whose ``code`` is the message to show."""
    return values.parse_day(text, today=today or date.today(), birth=birth)


def value_issue(field: str, error: ValueError, label: str, *, date_kind: bool) -> Issue:
    """The finding for text that ``parse_date`` / ``values.parse_amount`` could not read: its
    message names the field (``label``) and says what to write."""
    fallback = values.DATE_INVALID if date_kind else values.AMOUNT_INVALID
    code = error.code if isinstance(error, values.UnreadableValueError) else fallback
    return Issue(field, Severity.ERROR, code, {"label": label})


def value_message(error: ValueError, label: str, *, date_kind: bool) -> str:
    """The Italian message of ``value_issue`` (for a tooltip or a field's description)."""
    issue = value_issue("", error, label, date_kind=date_kind)
    return render(issue.code, issue.params)


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
