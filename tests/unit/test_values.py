"""One reader per kind of value: every form reads an amount or a date the same way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.ui.case_sections import labels as case_sections
from caseworker_app.ui.istanza_wizard import widgets as wizard
from caseworker_app.ui.pi_editor import values as pi_editor

REFUSED = "refused"

#: typed -> what every form reads (REFUSED: the text is kept and marked, never a guess)
AMOUNTS: list[tuple[str, Decimal | str | None]] = [
    ("1234.567", REFUSED),  # a misplaced thousands dot, or three decimals? ambiguous
    ("1.234,56", Decimal("1234.56")),
    ("1234,5", Decimal("1234.50")),
    ("1.234", Decimal("1234.00")),
    ("12.345.678", Decimal("12345678.00")),
    ("12.345,678", REFUSED),
    ("-3", REFUSED),
    ("", None),
    ("   ", None),
    ("abc", REFUSED),
    ("1 234,00", Decimal("1234.00")),
    ("€ 12,00", Decimal("12.00")),
    ("12,00 €", Decimal("12.00")),
    ("1234.56", Decimal("1234.56")),
    ("1234.5", Decimal("1234.50")),
    ("0,5", Decimal("0.50")),
    ("12,34,5", REFUSED),
    ("1.23.456", REFUSED),
    ("1,234.56", REFUSED),
    ("12.3456", REFUSED),
    ("1e3", REFUSED),
    ("NaN", REFUSED),
]


def _pi(text: str) -> Decimal | str | None:
    try:
        return pi_editor.parse_money(text)
    except ValueError:
        return REFUSED


def _wizard(text: str) -> Decimal | str | None:
    value = wizard.parse_euro(text)
    return REFUSED if value is None and text.strip() else value


def _case_sections(text: str) -> Decimal | str | None:
    try:
        return case_sections.parse_money(text)
    except ValueError:
        return REFUSED


@pytest.mark.parametrize(("typed", "expected"), AMOUNTS)
def test_every_form_reads_an_amount_the_same_way(
    typed: str, expected: Decimal | str | None
) -> None:
    assert (_pi(typed), _wizard(typed), _case_sections(typed)) == (expected,) * 3


def test_an_ambiguous_amount_is_refused_with_the_same_message_everywhere() -> None:
    from caseworker_app.domain import values
    from caseworker_app.messages import render

    with pytest.raises(values.UnreadableValueError) as pi_error:
        pi_editor.parse_money("1234.567")
    with pytest.raises(values.UnreadableValueError) as case_error:
        case_sections.parse_money("1234.567")
    assert pi_error.value.code == case_error.value.code == values.AMOUNT_AMBIGUOUS
    text = render(values.AMOUNT_AMBIGUOUS, {"label": "Valore ISEE"})
    assert text.startswith("Valore ISEE: importo ambiguo")
    assert "1.234,56" in text
    assert "1234" not in str(pi_error.value)  # no typed text in the exception


@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False))
def test_format_then_parse_is_the_identity(amount: Decimal) -> None:
    from caseworker_app.domain import values

    assert values.parse_amount(values.format_amount(amount)) == amount
    assert values.parse_amount(values.format_amount(amount, symbol=True)) == amount
    assert pi_editor.parse_money(pi_editor.format_money(amount)) == amount
    assert wizard.parse_euro(wizard.euro_input(f"{amount:.2f}")) == amount


def test_kept_text_is_shown_back_as_typed_never_rounded() -> None:
    assert wizard.euro_input("1234.567") == "1234.567"
    assert wizard.euro_input("1234.50") == "1234,50"


TODAY = date(2025, 6, 10)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/01/2024", date(2024, 1, 15)),
        ("15/1/24", date(2024, 1, 15)),
        ("15-01-2024", date(2024, 1, 15)),
        ("15.01.2024", date(2024, 1, 15)),
        ("15012024", date(2024, 1, 15)),
        ("5/3/80", date(1980, 3, 5)),  # within 50 years of today: 1980, not 2080
        ("1/1/70", date(2070, 1, 1)),  # a validity end may be far ahead
        (" 05/03/1941 ", date(1941, 3, 5)),
        ("", None),
    ],
)
def test_dates_are_read_in_the_forms_people_type(typed: str, expected: date | None) -> None:
    from caseworker_app.domain import values

    assert values.parse_day(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31/02/2024", "value.date_not_a_day"),
        ("29/02/23", "value.date_not_a_day"),
        ("15/13/2024", "value.date_not_a_day"),
        ("15/01-2024", "value.date_invalid"),
        ("domani", "value.date_invalid"),
        ("15/01/202", "value.date_invalid"),
    ],
)
def test_what_is_not_a_date_is_refused_with_its_reason(typed: str, code: str) -> None:
    from caseworker_app.domain import values

    with pytest.raises(values.UnreadableValueError) as error:
        values.parse_day(typed, today=TODAY)
    assert error.value.code == code


def test_a_two_digit_birth_year_is_read_only_when_one_century_fits() -> None:
    """Beneficiaries are children and centenarians alike: 15/1/24 may be 1924 or 2024."""
    from caseworker_app.domain import values

    assert values.parse_day("15/1/41", today=TODAY, birth=True) == date(1941, 1, 15)
    assert values.parse_day("15/1/99", today=TODAY, birth=True) == date(1999, 1, 15)
    assert values.parse_day("1/1/00", today=TODAY, birth=True) == date(2000, 1, 1)  # 1900: 125
    for ambiguous in ("15/1/24", "1/1/10", "10/6/25"):
        with pytest.raises(values.UnreadableValueError) as error:
            values.parse_day(ambiguous, today=TODAY, birth=True)
        assert error.value.code == values.DATE_AMBIGUOUS_YEAR
    assert values.parse_day("15/01/1924", today=TODAY, birth=True) == date(1924, 1, 15)
    assert values.parse_day("15/01/2024", today=TODAY, birth=True) == date(2024, 1, 15)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_format_then_parse_a_date_is_the_identity(day: date) -> None:
    from caseworker_app.domain import values

    assert values.parse_day(values.format_day(day), today=TODAY) == day
    assert values.parse_day(values.format_day(day), today=TODAY, birth=True) == day


@pytest.mark.parametrize("typed", ["1" + "0" * 28, "10.000.000.000,00", "1000000000"])
def test_an_amount_beyond_the_maximum_is_refused_not_a_crash(typed: str) -> None:
    from caseworker_app.domain.values import AMOUNT_TOO_LARGE, UnreadableValueError, parse_amount

    with pytest.raises(UnreadableValueError) as refused:
        parse_amount(typed)
    assert refused.value.args[0] == AMOUNT_TOO_LARGE
