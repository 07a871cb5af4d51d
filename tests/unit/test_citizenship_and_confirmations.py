"""Citizenship is a state of the ISO list with its Italian name; warnings that ask to confirm
are confirmed for exactly the values the operator checked."""

from __future__ import annotations

import dataclasses
from datetime import date

from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
from caseworker_app.domain.countries import countries, country_name, is_known_country
from caseworker_app.domain.person import (
    DEFAULT_CITIZENSHIP,
    Anagrafica,
    AnagraficaConfirmation,
    Sex,
    confirmation_key,
    is_confirmed,
    validate_anagrafica,
)
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.messages import render

TODAY = date(2026, 11, 22)
CF = encode_codice_fiscale(
    surname="Cantù", given_name="Nicolò", sex=Sex.M, birth_date=date(1941, 3, 5),
    birthplace_code="F205",
)  # fmt: skip
TYPED = Anagrafica(codice_fiscale=CF, surname="Cantù", given_name="Nicolò",
                   birth_date=date(1941, 3, 6), sex=Sex.M, birth_place_code="F205",
                   residence_comune="A010")  # fmt: skip


def _citizenship_issues(code: str) -> list[Issue]:
    a = dataclasses.replace(TYPED, citizenship=code)
    return [i for i in validate_anagrafica(a, today=TODAY) if i.field == "citizenship"]


def test_states_have_italian_names_italy_first_and_stateless_is_offered() -> None:
    listed = countries()
    assert listed[0].code == "IT" and listed[0].name == "Italia"
    assert country_name("ma") == "Marocco" and country_name("RO") == "Romania"
    assert country_name("UA") == "Ucraina" and country_name("CN") == "Cina"
    assert country_name("XX") == "Apolide"
    assert len({c.code for c in listed}) == len(listed) > 240
    assert country_name("") is None and not is_known_country("QQ")
    assert DEFAULT_CITIZENSHIP == "IT"


def test_a_two_letter_code_that_names_no_state_is_refused_with_the_code_named() -> None:
    # Before: any two letters passed ("QQ" was stored and printed as it was).
    (issue,) = _citizenship_issues("QQ")
    assert issue.severity is Severity.ERROR and issue.code == "citizenship.unknown"
    text = render(issue.code, issue.params)
    assert text.startswith("Cittadinanza:") and "QQ" in text and "elenco" in text
    assert _citizenship_issues("ma") == [] and _citizenship_issues("") == []
    assert [i.code for i in _citizenship_issues("ITA")] == ["citizenship.format"]


def test_a_confirmation_holds_for_the_values_confirmed_and_not_after_a_change() -> None:
    (warning,) = [i for i in validate_anagrafica(TYPED, today=TODAY) if i.field == "birth_date"]
    assert warning.code == "cf.birth_date_mismatch" and "conferma" in render(
        warning.code, warning.params
    )
    confirmed = AnagraficaConfirmation("birth_date", warning.code, confirmation_key(warning, TYPED))
    assert AnagraficaConfirmation.from_data(confirmed.to_data()) == confirmed
    assert is_confirmed(warning, TYPED, [confirmed])
    assert not is_confirmed(warning, TYPED, [])

    other_date = dataclasses.replace(TYPED, birth_date=date(1941, 3, 7))
    (again,) = [i for i in validate_anagrafica(other_date, today=TODAY) if i.field == "birth_date"]
    assert not is_confirmed(again, other_date, [confirmed])  # a new value: check it again
    other_code = dataclasses.replace(TYPED, codice_fiscale=CF[:-1] + "X")
    assert confirmation_key(warning, other_code) != confirmed.key
    # Only warnings that ask to confirm can be confirmed.
    required = Issue("surname", Severity.ERROR, "required")
    assert not is_confirmed(required, TYPED, [AnagraficaConfirmation("surname", "required", "")])
