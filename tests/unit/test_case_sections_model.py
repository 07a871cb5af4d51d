"""Case file section records: JSON round trips, DSU protocol, validity, network findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
    MeasureInPlace,
    dsu_protocol_issues,
    member_issues,
)
from caseworker_app.domain.casefile import HouseholdMember, LegalRole, MemberKind
from caseworker_app.domain.codes import IN_PLACE_CODES, ISEE_TYPES
from caseworker_app.domain.ids import MemberId
from caseworker_app.messages import CATALOG

dates = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
texts = st.text(max_size=30)
money = st.none() | st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False,
                                allow_infinity=False)  # fmt: skip
protocols = st.from_regex(r"INPS-ISEE-20\d{2}-\d{9}-\d{2}", fullmatch=True)

certifications = st.builds(Certification, st.sampled_from(CertificationKind), dates, texts,
                           st.none() | st.integers(-5, 120), texts)  # fmt: skip
attestations = st.builds(IseeAttestation, st.sampled_from(ISEE_TYPES), money,
                         protocols | texts, dates, dates, dates, st.booleans())  # fmt: skip
measures = st.builds(MeasureInPlace, st.sampled_from(sorted(IN_PLACE_CODES)), dates, dates,
                     texts, texts, texts, texts)  # fmt: skip


@given(certifications)
def test_certification_survives_its_json_shape(value: Certification) -> None:
    assert Certification.from_data(value.to_data()) == value


@given(attestations)
def test_isee_attestation_survives_its_json_shape(value: IseeAttestation) -> None:
    assert IseeAttestation.from_data(value.to_data()) == value


@given(measures)
def test_measure_survives_its_json_shape(value: MeasureInPlace) -> None:
    assert MeasureInPlace.from_data(value.to_data()) == value


@given(protocols)
def test_well_formed_dsu_protocols_are_accepted_and_give_the_validity(protocol: str) -> None:
    assert dsu_protocol_issues(protocol) == []
    attestation = IseeAttestation("ordinario", Decimal("1"), protocol)
    year = int(protocol[10:14])
    assert attestation.validity_end() == date(year, 12, 31)
    assert attestation.is_valid_on(date(year, 12, 31))
    assert not attestation.is_valid_on(date(year + 1, 1, 1))


@given(st.text(max_size=40))
def test_anything_else_is_refused_with_a_message(text: str) -> None:
    found = dsu_protocol_issues(text)
    if text.strip() and not found:  # only the exact shape passes
        assert text.strip().startswith("INPS-ISEE-") and len(text.strip()) == 27
    for issue in found:
        assert issue.code in CATALOG


def test_typed_validity_wins_over_the_dsu_year() -> None:
    attestation = IseeAttestation("corrente", Decimal("0"), "INPS-ISEE-2026-000000001-00",
                                  valid_until=date(2026, 6, 30))  # fmt: skip
    assert attestation.validity_end() == date(2026, 6, 30)
    assert [i.code for i in IseeAttestation("x", None, "INPS-ISEE-26-1-1").issues()] == [
        "isee.type_invalid", "isee.value_invalid", "isee.dsu_invalid", "isee.date_missing",
    ]  # fmt: skip


def test_network_findings_guide_without_refusing() -> None:
    ads = HouseholdMember(MemberId("1"), "Neri", "Ugo", "figlio", is_caregiver=True,
                          legal_role=LegalRole.AMMINISTRATORE_DI_SOSTEGNO)  # fmt: skip
    assert [i.code for i in member_issues(ads)] == [
        "member.caregiver_hours_missing", "member.decree_missing", "member.court_missing",
    ]  # fmt: skip
    paid = HouseholdMember(MemberId("2"), "", "", "", member_kind=MemberKind.ASSISTENTE_FAMILIARE,
                           weekly_hours=200, contract_type="a ore")  # fmt: skip
    assert [i.code for i in member_issues(paid)] == ["member.name_missing", "member.hours_invalid"]


def test_every_section_code_has_an_italian_text() -> None:
    codes = {"certification.percent_invalid", "certification.date_missing", "isee.type_invalid",
             "isee.value_invalid", "isee.dsu_missing", "isee.dsu_invalid", "isee.omissioni",
             "measure.code_invalid", "measure.end_before_start"}  # fmt: skip
    assert codes <= CATALOG.keys()
