from __future__ import annotations

import dataclasses
import re
from datetime import date

import codicefiscale
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.codice_fiscale import encode_codice_fiscale, omocodic_variants
from caseworker_app.domain.person import Anagrafica, Sex, validate_anagrafica
from caseworker_app.domain.validation import Issue, Severity, has_errors
from caseworker_app.messages.anagrafica import MESSAGES

TODAY = date(2026, 11, 22)
CF = encode_codice_fiscale(
    surname="Dell'Acqua",
    given_name="Nicolò",
    sex=Sex.M,
    birth_date=date(1938, 7, 14),
    birthplace_code="D067",  # Corteolona, before the 2016 merger
)
VALID = Anagrafica(
    codice_fiscale=CF,
    surname="Dell'Acqua",
    given_name="Nicolò",
    birth_date=date(1938, 7, 14),
    sex=Sex.M,
    birth_place_code="D067",
    citizenship="IT",
    residence_address="Via Roma, 12",
    residence_comune="M372",
    residence_cap="27014",
    phone="+39 0382 123456",
    email="nicolo.dellacqua@example.org",
)


def found(a: Anagrafica) -> list[tuple[str, str, Severity]]:
    return [(i.field, i.code, i.severity) for i in validate_anagrafica(a, today=TODAY)]


def change(**fields: object) -> Anagrafica:
    return dataclasses.replace(VALID, **fields)  # type: ignore[arg-type]


def test_complete_anagrafica_has_no_issue() -> None:
    assert validate_anagrafica(VALID, today=TODAY) == []


def test_empty_form_lists_every_required_field() -> None:
    assert found(Anagrafica()) == [
        (field, "required", Severity.ERROR)
        for field in (
            "codice_fiscale",
            "surname",
            "given_name",
            "birth_date",
            "sex",
            "residence_comune",
        )
    ]


def test_blank_surname_made_of_spaces_is_missing() -> None:
    assert found(change(surname="   ")) == [("surname", "required", Severity.ERROR)]


def test_social_worker_typing_wrong_check_letter_gets_error() -> None:
    wrong = CF[:15] + ("A" if CF[15] != "A" else "B")
    issues = validate_anagrafica(change(codice_fiscale=wrong), today=TODAY)
    assert [(i.field, i.code, i.severity) for i in issues] == [
        ("codice_fiscale", "cf.check_letter", Severity.ERROR)
    ]
    assert all(CF[:11] not in str(i.params) for i in issues)


def test_code_typed_in_lowercase_with_spaces_is_accepted() -> None:
    typed = " ".join([CF[:6].lower(), CF[6:11], CF[11:].lower()])
    assert found(change(codice_fiscale=typed)) == []


def test_valid_code_disagreeing_with_typed_birth_date_is_a_warning_with_the_decoded_date() -> None:
    issues = validate_anagrafica(change(birth_date=date(1938, 7, 15)), today=TODAY)
    assert [(i.field, i.code, i.severity) for i in issues] == [
        ("birth_date", "cf.birth_date_mismatch", Severity.WARNING)
    ]
    assert dict(issues[0].params) == {"decoded": "14/07/1938"}
    assert not has_errors(issues)


def test_valid_code_disagreeing_with_typed_sex_is_a_warning() -> None:
    assert found(change(sex=Sex.F)) == [("sex", "cf.sex_mismatch", Severity.WARNING)]


def test_born_abroad_but_code_says_otherwise_is_a_warning_naming_the_decoded_place() -> None:
    issues = validate_anagrafica(change(birth_place_code="Z133"), today=TODAY)
    assert [(i.code, i.severity) for i in issues] == [("cf.birthplace_mismatch", Severity.WARNING)]
    assert dict(issues[0].params) == {"decoded": "D067", "decoded_name": "Corteolona"}


def test_omocodic_code_consistent_with_the_data_has_no_issue() -> None:
    for variant in omocodic_variants(CF)[:3]:
        assert found(change(codice_fiscale=variant)) == []


def test_temporary_code_is_only_a_warning_and_is_not_compared() -> None:
    assert found(change(codice_fiscale="12345678901", sex=Sex.F)) == [
        ("codice_fiscale", "cf.temporary", Severity.WARNING)
    ]


def test_birth_date_in_the_future_is_an_error() -> None:
    issues = found(change(codice_fiscale="12345678901", birth_date=date(2026, 11, 23)))
    assert ("birth_date", "birth_date.future", Severity.ERROR) in issues


@pytest.mark.parametrize(
    ("born", "too_old"),
    [(date(1906, 11, 21), True), (date(1906, 11, 22), False), (date(1950, 1, 1), False)],
)
def test_birth_date_more_than_120_years_ago_is_an_error(born: date, too_old: bool) -> None:
    issues = found(change(codice_fiscale="12345678901", birth_date=born))
    assert (("birth_date", "birth_date.too_old", Severity.ERROR) in issues) is too_old


@pytest.mark.parametrize("field", ["residence_comune", "domicile_comune", "birth_place_code"])
def test_comune_code_not_in_the_historical_table_is_an_error(field: str) -> None:
    issues = validate_anagrafica(change(**{field: "Q999"}), today=TODAY)
    unknown = [i for i in issues if i.code == "comune.unknown"]
    assert [(i.field, i.severity, dict(i.params)) for i in unknown] == [
        (field, Severity.ERROR, {"code": "Q999"})
    ]


def test_residence_in_a_comune_merged_away_is_a_warning_with_its_name() -> None:
    issues = validate_anagrafica(change(residence_comune="D067"), today=TODAY)
    assert [(i.field, i.code, i.severity) for i in issues] == [
        ("residence_comune", "comune.not_valid_on_date", Severity.WARNING)
    ]
    assert issues[0].params["name"] == "Corteolona"
    assert issues[0].params["valid_to"] == "31/12/2015"


def test_birthplace_that_no_longer_exists_is_fine() -> None:
    assert found(VALID) == []  # D067 is gone, but it is where he was born


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("residence_cap", "20081", True),
        ("residence_cap", "2008", False),
        ("residence_cap", "2008A", False),
        ("domicile_cap", "200811", False),
        ("email", "mario.rossi@comune.abbiategrasso.mi.it", True),
        ("email", "mario.rossi@", False),
        ("email", "mario rossi@example.org", False),
        ("email", "mario@localhost", False),
        ("phone", "02 9466 1234", True),
        ("phone", "+39 347-123/4567", True),
        ("phone", "12345", False),
        ("phone", "347 123 456 789 012 345 678", False),
        ("phone", "347.1234567", False),
        ("phone", "chiamare la figlia", False),
        ("citizenship", "RO", True),
        ("citizenship", "ITA", False),
    ],
)
def test_contact_fields_are_checked(field: str, value: str, ok: bool) -> None:
    issues = found(change(**{field: value}))
    assert (issues == []) is ok, issues
    if not ok:
        assert issues[0][0] == field and issues[0][2] is Severity.ERROR


def test_optional_fields_left_empty_are_fine() -> None:
    assert found(change(phone="", email="", residence_cap="", citizenship="")) == []


# --- messages ---------------------------------------------------------------------------------

EMITTED = {
    "required", "cf.length", "cf.format", "cf.check_letter", "cf.temporary", "cf.invalid",
    "cf.birthplace_unknown", "cf.birth_date_mismatch", "cf.sex_mismatch",
    "cf.birthplace_mismatch", "birth_date.future", "birth_date.too_old", "comune.unknown",
    "comune.not_valid_on_date", "cap.format", "email.format", "phone.format",
    "citizenship.format", "cf.surname_mismatch", "cf.given_name_mismatch",
}  # fmt: skip
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_every_code_the_domain_emits_has_an_italian_message() -> None:
    assert MESSAGES.keys() >= EMITTED


def test_messages_render_with_the_params_the_domain_provides() -> None:
    unknown_place = "RSSMRA85T10Z999"
    samples = [
        change(codice_fiscale=CF[:10]),
        change(codice_fiscale="RSSMRA8IT10A562S"),
        change(codice_fiscale=CF[:15] + ("A" if CF[15] != "A" else "B")),
        change(codice_fiscale=unknown_place + str(codicefiscale.encode_cin(unknown_place))),
        change(birth_date=date(1939, 7, 14), sex=Sex.F, birth_place_code="F205"),
        change(residence_comune="D067", domicile_comune="Q999", residence_cap="1"),
        change(codice_fiscale="12345678901", birth_date=date(1900, 1, 1)),
        change(codice_fiscale="12345678901", birth_date=date(2030, 1, 1)),
        change(email="x", phone="x", citizenship="x", surname=""),
    ]
    issues: list[Issue] = [i for a in samples for i in validate_anagrafica(a, today=TODAY)]
    assert {i.code for i in issues} == EMITTED - {"cf.invalid"}
    # str.format raises on a missing parameter (the catalog's render would hide it)
    rendered = [MESSAGES[i.code].format(**i.params) for i in issues]
    rendered.append(MESSAGES["cf.invalid"].format(reason="cf.format"))
    for text in rendered:
        assert not PLACEHOLDER.search(text), text
        assert text[0].isupper() and text.endswith("."), text


# --- property ---------------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    codice_fiscale=st.text(max_size=20),
    birth_date=st.none() | st.dates(),
    sex=st.none() | st.sampled_from(Sex),
    place=st.text(max_size=5),
    cap=st.text(max_size=6),
    phone=st.text(max_size=25),
    email=st.text(max_size=25),
)
def test_any_typed_input_validates_without_crashing_and_every_issue_has_a_message(
    codice_fiscale: str,
    birth_date: date | None,
    sex: Sex | None,
    place: str,
    cap: str,
    phone: str,
    email: str,
) -> None:
    a = change(
        codice_fiscale=codice_fiscale,
        birth_date=birth_date,
        sex=sex,
        birth_place_code=place,
        residence_comune=place,
        residence_cap=cap,
        phone=phone,
        email=email,
    )
    for issue in validate_anagrafica(a, today=TODAY):
        assert issue.code in MESSAGES
        assert issue.field in {f.name for f in dataclasses.fields(Anagrafica)}
        if len(normalize(codice_fiscale)) >= 11:  # params may be logged: never the whole code
            assert normalize(codice_fiscale) not in issue.params.values()


def normalize(text: str) -> str:
    return "".join(text.split()).upper()
