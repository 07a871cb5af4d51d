from __future__ import annotations

from datetime import date, timedelta

import codicefiscale
import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.codice_fiscale import (
    Sex,
    check_codice_fiscale,
    compare_with_typed,
    decode_codice_fiscale,
    encode_codice_fiscale,
    normalize_codice_fiscale,
    omocodic_variants,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.validation import Issue, Severity

TODAY = date(2026, 11, 22)
MARIO = "RSSMRA85T10A562S"  # Mario Rossi, 10/12/1985, A562: the textbook example
ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def with_check_letter(body: str) -> str:
    """Complete a 15-character body with its check letter (computed by the library)."""
    return body + str(codicefiscale.encode_cin(body))


def codes(issues: list[Issue]) -> list[str]:
    return [i.code for i in issues]


# --- check ------------------------------------------------------------------------------------


def test_normalize_strips_all_whitespace_and_uppercases() -> None:
    assert normalize_codice_fiscale(" rss mra\t85t10\na562s ") == MARIO


def test_social_worker_typing_a_valid_code_in_lowercase_with_spaces_gets_no_issue() -> None:
    assert check_codice_fiscale("rssmra 85t10 a562s", today=TODAY) == []


def test_empty_code_gives_no_issue_here_required_is_checked_by_the_form() -> None:
    assert check_codice_fiscale("   ") == []


def test_social_worker_typing_wrong_check_letter_gets_error() -> None:
    [issue] = check_codice_fiscale(MARIO[:15] + "T", today=TODAY)
    assert (issue.code, issue.severity, issue.field) == (
        "cf.check_letter",
        Severity.ERROR,
        "codice_fiscale",
    )
    assert MARIO not in str(issue.params)


def test_social_worker_forgetting_a_character_gets_length_error_with_the_length() -> None:
    [issue] = check_codice_fiscale(MARIO[:-1], field="cf_richiedente", today=TODAY)
    assert (issue.code, issue.field, dict(issue.params)) == (
        "cf.length",
        "cf_richiedente",
        {"length": "15"},
    )


@pytest.mark.parametrize(
    "code",
    [
        "RSSMRA8IT10A562S",  # I is not an omocodia letter
        "RSSMRA85Z10A562S",  # Z is not a month
        "1SSMRA85T10A562S",  # digit in the surname part
        "RSSMRA85T10A56-S",  # punctuation
        "RSSMRÀ85T10A562S",  # accented letter
    ],
)
def test_malformed_code_gets_format_error(code: str) -> None:
    assert codes(check_codice_fiscale(code, today=TODAY)) == ["cf.format"]


@pytest.mark.parametrize("body", ["RSSMRA85T32A562", "RSSMRA85T00A562", "RSSMRA01B29A562"])
def test_code_with_an_impossible_birth_date_gets_format_error(body: str) -> None:
    # the check letter is right: only the date (32nd, 0th, 29 Feb 1901/2001) is impossible
    assert codes(check_codice_fiscale(with_check_letter(body), today=TODAY)) == ["cf.format"]


def test_temporary_eleven_digit_code_is_only_a_warning() -> None:
    [issue] = check_codice_fiscale("12345678901", today=TODAY)
    assert (issue.code, issue.severity) == ("cf.temporary", Severity.WARNING)


def test_valid_code_with_a_birthplace_missing_from_the_table_is_a_warning() -> None:
    [issue] = check_codice_fiscale(with_check_letter("RSSMRA85T10Z999"), today=TODAY)
    assert (issue.code, issue.severity, dict(issue.params)) == (
        "cf.birthplace_unknown",
        Severity.WARNING,
        {"code": "Z999"},
    )


# --- decode -----------------------------------------------------------------------------------


def test_decode_reads_birth_date_sex_and_birthplace() -> None:
    decoded = decode_codice_fiscale(MARIO, today=TODAY)
    assert decoded.birth_date == date(1985, 12, 10)
    assert decoded.sex is Sex.M
    assert decoded.birthplace_code == "A562"
    assert decoded.omocode is False


def test_decode_of_a_woman_removes_the_forty_from_the_day() -> None:
    code = encode_codice_fiscale(
        surname="Bianchi",
        given_name="Anna",
        sex=Sex.F,
        birth_date=date(1940, 1, 1),
        birthplace_code="A010",
    )
    assert code[9:11] == "41"
    decoded = decode_codice_fiscale(code, today=TODAY)
    assert (decoded.sex, decoded.birth_date) == (Sex.F, date(1940, 1, 1))


def test_decode_maps_omocodia_letters_back_to_digits() -> None:
    root = encode_codice_fiscale(
        surname="Brambilla",
        given_name="Nicolò",
        sex=Sex.M,
        birth_date=date(1938, 7, 14),
        birthplace_code="F205",
    )
    omocode = root[:6] + "PU" + root[8] + "MQ" + root[11] + "NLR"
    omocode = with_check_letter(omocode)
    decoded = decode_codice_fiscale(omocode, today=TODAY)
    assert decoded.omocode is True
    assert (decoded.birth_date, decoded.sex, decoded.birthplace_code) == (
        date(1938, 7, 14),
        Sex.M,
        "F205",
    )


def test_omocodic_variants_start_with_the_last_digit_replaced() -> None:
    variants = omocodic_variants(MARIO)
    assert variants[0] == with_check_letter(MARIO[:14] + "N")  # 2 → N
    assert variants[1] == with_check_letter(MARIO[:13] + "SN")  # 62 → SN
    assert variants[2] == with_check_letter(MARIO[:12] + "RSN")
    assert len(set(variants)) == 127
    for variant in variants:
        assert check_codice_fiscale(variant, today=TODAY) == []


@pytest.mark.parametrize(
    ("born", "today", "expected"),
    [
        (date(1925, 6, 1), date(2024, 1, 1), date(1925, 6, 1)),  # 98 years old
        (date(2015, 6, 1), date(2024, 1, 1), date(2015, 6, 1)),  # a child
        (date(1926, 12, 25), date(2026, 11, 22), date(1926, 12, 25)),  # not a future 2026
        (date(2026, 1, 5), date(2026, 11, 22), date(2026, 1, 5)),  # a baby
        (date(2000, 2, 29), date(2026, 11, 22), date(2000, 2, 29)),
    ],
)
def test_decode_resolves_the_century_to_the_most_recent_past_date(
    born: date, today: date, expected: date
) -> None:
    code = encode_codice_fiscale(
        surname="Colombo", given_name="Rosa", sex=Sex.F, birth_date=born, birthplace_code="E265"
    )
    assert decode_codice_fiscale(code, today=today).birth_date == expected


def test_person_of_a_hundred_decodes_a_century_late_but_is_not_a_mismatch() -> None:
    # 1925 and 2025 have the same code: the decoder cannot know; the comparison ignores it
    born = date(1925, 3, 7)
    code = encode_codice_fiscale(
        surname="Bianchi", given_name="Anna", sex=Sex.F, birth_date=born, birthplace_code="A010"
    )
    decoded = decode_codice_fiscale(code, today=TODAY)
    assert decoded.birth_date == date(2025, 3, 7)
    assert compare_with_typed(decoded, birth_date=born, sex=Sex.F, birthplace_code="A010") == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (MARIO[:15] + "A", "cf.check_letter"),
        ("RSSMRA", "cf.length"),
        ("12345678901", "cf.length"),
        ("RSSMRA85Z10A562S", "cf.format"),
    ],
)
def test_decoding_an_invalid_code_raises_a_user_facing_error(text: str, reason: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        decode_codice_fiscale(text, today=TODAY)
    assert caught.value.code == "cf.invalid"
    assert dict(caught.value.params) == {"reason": reason}


# --- compare ----------------------------------------------------------------------------------


def test_compare_reports_each_disagreement_as_a_warning_on_the_typed_field() -> None:
    decoded = decode_codice_fiscale(MARIO, today=TODAY)
    issues = compare_with_typed(
        decoded, birth_date=date(1985, 12, 11), sex=Sex.F, birthplace_code="f205"
    )
    assert [(i.field, i.code) for i in issues] == [
        ("birth_date", "cf.birth_date_mismatch"),
        ("sex", "cf.sex_mismatch"),
        ("birth_place_code", "cf.birthplace_mismatch"),
    ]
    assert all(i.severity is Severity.WARNING for i in issues)
    assert dict(issues[0].params) == {"decoded": "10/12/1985"}
    assert dict(issues[1].params) == {"decoded": "M"}
    assert issues[2].params["decoded"] == "A562"


def test_compare_only_checks_what_was_typed() -> None:
    decoded = decode_codice_fiscale(MARIO, today=TODAY)
    assert compare_with_typed(decoded, birth_date=None, sex=None, birthplace_code="  ") == []


def test_compare_accepts_matching_data_typed_in_lowercase() -> None:
    decoded = decode_codice_fiscale(MARIO, today=TODAY)
    assert (
        compare_with_typed(
            decoded, birth_date=date(1985, 12, 10), sex=Sex.M, birthplace_code=" a562 "
        )
        == []
    )


# --- encode -----------------------------------------------------------------------------------


def test_encode_gives_the_textbook_code() -> None:
    assert (
        encode_codice_fiscale(
            surname="Rossi",
            given_name="Mario",
            sex=Sex.M,
            birth_date=date(1985, 12, 10),
            birthplace_code="A562",
        )
        == MARIO
    )


def test_encode_handles_apostrophes_accents_and_short_names() -> None:
    code = encode_codice_fiscale(
        surname="D'Angelo",
        given_name="Zoè",
        sex=Sex.F,
        birth_date=date(1950, 5, 2),
        birthplace_code="Z133",
    )
    assert code[:6] == "DNGZOE"
    short = encode_codice_fiscale(
        surname="Re",
        given_name="Ugo",
        sex=Sex.M,
        birth_date=date(1950, 5, 2),
        birthplace_code="A010",
    )
    assert short[:6] == "REXGUO"


def test_encode_refuses_an_unknown_birthplace_code() -> None:
    with pytest.raises(UserFacingError) as caught:
        encode_codice_fiscale(
            surname="Rossi", given_name="Mario", sex=Sex.M, birth_date=date(1985, 12, 10),
            birthplace_code="Q999",
        )  # fmt: skip
    assert caught.value.code == "comune.unknown"


def test_encode_refuses_a_blank_surname() -> None:
    with pytest.raises(UserFacingError) as caught:
        encode_codice_fiscale(
            surname=" ", given_name="Mario", sex=Sex.M, birth_date=date(1985, 12, 10),
            birthplace_code="A562",
        )  # fmt: skip
    assert (caught.value.code, dict(caught.value.params)) == ("required", {"field": "surname"})


# --- properties -------------------------------------------------------------------------------

NAMES = st.text(alphabet="abcdefghilmnopqrstuvzàèéìòù' ", min_size=1, max_size=20).filter(
    lambda s: any(c.isalpha() for c in s)
)
PLACES = st.sampled_from(["A010", "F205", "M424", "M372", "D067", "E265", "Z404", "Z133", "C733"])
RECENT = st.dates(min_value=TODAY - timedelta(days=99 * 365), max_value=TODAY)


@given(surname=NAMES, given_name=NAMES, sex=st.sampled_from(Sex), born=RECENT, place=PLACES)
def test_encode_then_decode_returns_birth_date_sex_and_place(
    surname: str, given_name: str, sex: Sex, born: date, place: str
) -> None:
    code = encode_codice_fiscale(
        surname=surname, given_name=given_name, sex=sex, birth_date=born, birthplace_code=place
    )
    assert check_codice_fiscale(code, today=TODAY) == []
    decoded = decode_codice_fiscale(code, today=TODAY)
    assert (decoded.birth_date, decoded.sex, decoded.birthplace_code) == (born, sex, place)
    assert compare_with_typed(decoded, birth_date=born, sex=sex, birthplace_code=place) == []


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    code = encode_codice_fiscale(
        surname=draw(NAMES),
        given_name=draw(NAMES),
        sex=draw(st.sampled_from(Sex)),
        birth_date=draw(RECENT),
        birthplace_code=draw(PLACES),
    )
    if draw(st.booleans()):
        code = draw(st.sampled_from(omocodic_variants(code)))
    return code


@given(code=valid_codes(), position=st.integers(0, 15), char=st.sampled_from(ALPHANUM))
def test_any_single_character_change_of_a_valid_code_is_caught(
    code: str, position: int, char: str
) -> None:
    changed = code[:position] + char + code[position + 1 :]
    issues = check_codice_fiscale(changed, today=TODAY)
    if changed == code:
        assert issues == []
    else:
        # the strict format (only omocodia letters among the digits) leaves no pair of
        # characters with the same weight, so the check letter always catches a typo
        assert codes(issues) in (["cf.check_letter"], ["cf.format"])
