"""The istanza content: JSON round trip, the record the engine judges, the IBAN check."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.iban import check_iban, compact_iban, format_iban, iban_problem
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza, IstanzaState
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    Applicant,
    ApplicantRole,
    CaseFacts,
    DocumentCheck,
    IstanzaContent,
    RequestedLine,
    build_record,
)
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.messages import CATALOG

NOW = datetime(2024, 1, 15, 10, 30)
text = st.text(max_size=12)
dates = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5)

applicants = st.builds(Applicant, st.sampled_from(list(ApplicantRole)), text, text, text, text,
                       text)  # fmt: skip
lines = st.builds(RequestedLine, text, text, dates, dates, st.none() | st.integers(0, 400),
                  st.dictionaries(st.text(max_size=5), json_scalars, max_size=2))  # fmt: skip
documents = st.builds(DocumentCheck, text, dates, dates)
contents = st.builds(
    IstanzaContent,
    applicant=applicants,
    declarations=st.dictionaries(st.sampled_from(DECLARATIONS), st.booleans()),
    lives_at_home=st.booleans(),
    family_caregiver_only=st.booleans(),
    employed_assistant=st.booleans(),
    self_managed_project=st.booleans(),
    isee_ids=st.lists(text, max_size=3).map(tuple),
    requests=st.lists(lines, max_size=3).map(tuple),
    documents=st.lists(documents, max_size=3).map(tuple),
    iban=text,
    iban_holder=text,
    extra=st.dictionaries(st.text(max_size=5), json_scalars, max_size=2),
    presented_on=dates,
)


@given(contents)
def test_content_survives_the_json_round_trip(content: IstanzaContent) -> None:
    assert IstanzaContent.from_data(content.to_data()) == content


def test_old_content_without_presentation_date_still_reads() -> None:
    data = IstanzaContent().to_data()
    del data["presented_on"]
    assert IstanzaContent.from_data(data).presented_on is None


ISTANZA = Istanza(IstanzaId("i1"), CaseId("c1"), "A010", "abbiatense-caregiver-2023",
                  IstanzaState.BOZZA, None, None)  # fmt: skip
PERSON = Anagrafica(surname="Verdi", given_name="Ada", birth_date=date(1938, 4, 2), sex=Sex.F,
                    residence_comune="A010")  # fmt: skip


def test_missing_anagrafica_facts_are_gaps_with_italian_texts() -> None:
    record, gaps = build_record(ISTANZA, CaseFacts(Anagrafica()), IstanzaContent(), now=NOW)
    assert record is None
    codes = [g.code for g in gaps]
    assert codes == ["eligibility.birth_date_missing", "eligibility.sex_missing",
                     "eligibility.residence_missing"]  # fmt: skip
    assert all(code in CATALOG for code in [*codes, "eligibility.request_incomplete"])


def test_incomplete_request_lines_are_left_out_and_reported() -> None:
    content = IstanzaContent(
        requests=(
            RequestedLine("rimborso_domiciliare", "900.00", date(2023, 3, 1), date(2023, 12, 31)),
            RequestedLine("rimborso_domiciliare", "9,00", date(2023, 3, 1), date(2023, 3, 1)),
            RequestedLine("rimborso_residenziale", "100.00", date(2023, 5, 2), date(2023, 5, 1)),
        ),
        presented_on=date(2024, 1, 10),
    )
    record, gaps = build_record(ISTANZA, CaseFacts(PERSON), content, now=NOW)
    assert record is not None
    assert [r.amount for r in record.requests] == [Decimal("900.00")]
    assert [(g.field, g.code) for g in gaps] == [
        ("requests.1", "eligibility.request_incomplete"),
        ("requests.2", "eligibility.request_incomplete"),
    ]
    assert record.submitted_at == datetime(2024, 1, 10)  # the presentation date of a draft


def test_chosen_isee_attestations_only() -> None:
    facts = CaseFacts(PERSON, isee={
        "a": IseeAttestation("sociosanitario", Decimal("18000.00"), received_on=date(2024, 1, 2)),
        "b": IseeAttestation("ordinario", Decimal("21000.00")),
        "c": IseeAttestation("ordinario"),  # no value yet: never judged
    })  # fmt: skip
    every, _ = build_record(ISTANZA, facts, IstanzaContent(), now=NOW)
    chosen, _ = build_record(ISTANZA, facts, IstanzaContent(isee_ids=("b",)), now=NOW)
    assert every is not None and chosen is not None
    assert [e.type for e in every.isee] == ["sociosanitario", "ordinario"]
    assert [(e.type, e.received_on) for e in chosen.isee] == [("ordinario", NOW.date())]


@pytest.mark.parametrize(
    ("iban", "problem"),
    [
        ("IT60 X054 2811 1010 0000 0123 456", None),
        ("it60x0542811101000000123456", None),
        ("DE89370400440532013000", None),
        ("IT60X0542811101000000123457", "iban.invalid_checksum"),
        ("IT60X054281110100000012345", "iban.invalid_length"),
        ("XX60X0542811101000000123456", "iban.invalid_country"),
        ("IT60X05428111010000001234?6", "iban.invalid_structure"),
        ("   ", "iban.missing"),
    ],
)
def test_iban_problems_have_italian_messages(iban: str, problem: str | None) -> None:
    assert iban_problem(iban) == problem
    if problem is not None:
        assert problem in CATALOG
        assert "IT60" not in CATALOG[problem] or problem == "iban.invalid_structure"


def test_the_holder_is_required_with_an_iban() -> None:
    assert check_iban("", "", required=False) == []
    assert [i.code for i in check_iban("", "", required=True)] == ["iban.missing"]
    issues = check_iban("IT60X0542811101000000123456", " ", required=False)
    assert [i.code for i in issues] == ["iban.holder_required"]
    assert all(not i.params for i in issues)  # the IBAN never travels in a message


def test_iban_formats() -> None:
    assert compact_iban(" it60 x054 ") == "IT60X054"
    assert format_iban("IT60X0542811101000000123456") == "IT60 X054 2811 1010 0000 0123 456"


def test_iban_needed_only_when_money_goes_to_the_family() -> None:
    voucher = RequestedLine("a1_domiciliare", "100.00")
    refund = RequestedLine("rimborso_domiciliare", "100.00")
    assert not IstanzaContent().needs_iban()
    assert not IstanzaContent(requests=(voucher,)).needs_iban()
    assert IstanzaContent(requests=(voucher, refund)).needs_iban()
    assert IstanzaContent().missing_declarations() == DECLARATIONS
