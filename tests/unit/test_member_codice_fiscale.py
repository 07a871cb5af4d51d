"""The codice fiscale of relatives, caregivers and assistants: checked like the beneficiary's,
and compared with the surname and given name typed (a warning only: omocodia and registry slips
exist)."""

from __future__ import annotations

from datetime import date

from caseworker_app.domain.case_sections import member_issues
from caseworker_app.domain.casefile import HouseholdMember
from caseworker_app.domain.codice_fiscale import encode_codice_fiscale, omocodic_variants
from caseworker_app.domain.ids import MemberId
from caseworker_app.domain.person import Sex
from caseworker_app.domain.validation import Severity
from caseworker_app.messages import CATALOG

TODAY = date(2026, 11, 22)
LUCIA = encode_codice_fiscale(surname="Bianchi", given_name="Lucia", sex=Sex.F,
                              birth_date=date(1968, 5, 12), birthplace_code="A010")  # fmt: skip


def _member(cf: str, surname: str = "Bianchi", given_name: str = "Lucia") -> HouseholdMember:
    return HouseholdMember(MemberId("m1"), surname, given_name, "figlia", codice_fiscale=cf)


def _cf_findings(member: HouseholdMember) -> list[tuple[str, Severity, str]]:
    return [
        (i.field, i.severity, i.code)
        for i in member_issues(member, today=TODAY)
        if i.code.startswith("cf.")
    ]


def test_a_correct_code_of_the_relative_raises_nothing() -> None:
    assert _cf_findings(_member(LUCIA)) == []
    assert _cf_findings(_member("")) == []  # the code of a relative is optional
    assert _cf_findings(_member(omocodic_variants(LUCIA)[0])) == []  # omocodia is valid


def test_a_wrong_code_of_the_relative_is_an_error_as_for_the_beneficiary() -> None:
    wrong_letter = LUCIA[:15] + ("A" if LUCIA[15] != "A" else "B")
    assert _cf_findings(_member(wrong_letter)) == [
        ("codice_fiscale", Severity.ERROR, "cf.check_letter")
    ]
    assert _cf_findings(_member(LUCIA[:12])) == [("codice_fiscale", Severity.ERROR, "cf.length")]
    assert _cf_findings(_member("12345678901")) == [
        ("codice_fiscale", Severity.WARNING, "cf.temporary")
    ]


def test_a_name_that_does_not_match_the_code_is_a_warning() -> None:
    assert _cf_findings(_member(LUCIA, surname="Rossi")) == [
        ("surname", Severity.WARNING, "cf.surname_mismatch")
    ]
    assert _cf_findings(_member(LUCIA, given_name="Laura")) == [
        ("given_name", Severity.WARNING, "cf.given_name_mismatch")
    ]
    # Accents, case and spaces do not count; a blank name is not compared.
    assert _cf_findings(_member(LUCIA.lower(), surname=" bianchi ", given_name="Lucìa")) == []
    assert _cf_findings(_member(LUCIA, surname="", given_name="")) == []
    for code in ("cf.surname_mismatch", "cf.given_name_mismatch"):
        assert code in CATALOG


def test_the_beneficiary_s_names_are_compared_with_the_code_too() -> None:
    from caseworker_app.domain.person import Anagrafica, validate_anagrafica

    typed = Anagrafica(codice_fiscale=LUCIA, surname="Rossi", given_name="Lucia", sex=Sex.F,
                       birth_date=date(1968, 5, 12), birth_place_code="A010",
                       residence_comune="A010")  # fmt: skip
    findings = [(i.field, i.severity, i.code) for i in validate_anagrafica(typed, today=TODAY)
                if i.code.startswith("cf.")]  # fmt: skip
    assert findings == [("surname", Severity.WARNING, "cf.surname_mismatch")]
    right = validate_anagrafica(Anagrafica(**{**typed.__dict__, "surname": "Bianchi"}),
                                today=TODAY)  # fmt: skip
    assert not [i for i in right if i.code.endswith("_mismatch")]
