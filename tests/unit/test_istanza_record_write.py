"""Writing istanza records (interchange.md §1): canonical JSON that the reader gives back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.codes import DOCUMENT_CODES, IN_PLACE_CODES, ISEE_TYPES
from caseworker_app.domain.rules.avviso import Allocation, Avviso, CapKind, Intervention
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)
from caseworker_app.transfer.istanza_record import read_istanza
from caseworker_app.transfer.istanza_record_write import istanza_record_json

SOURCE = "istanza.json"

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SNAKE = st.from_regex(r"[a-z][a-z0-9]{0,8}(_[a-z0-9]{1,5}){0,2}", fullmatch=True)

belfiore = st.builds(
    lambda letter, number: f"{letter}{number:03d}", st.sampled_from(_UPPER), st.integers(0, 999)
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
money = st.integers(0, 99_999_999_999).map(lambda cents: Decimal(cents).scaleb(-2))
names = st.text(min_size=1, max_size=20).filter(lambda s: not s.isspace())
ids = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs", "Cf", "Co", "Cn")),
    min_size=1,
    max_size=30,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
extras = st.dictionaries(st.text(max_size=8), json_values, max_size=3)


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(days)
    return start, start + timedelta(days=draw(st.integers(0, 400)))


@st.composite
def request_lines(draw: st.DrawFn) -> RequestLine:
    start, end = draw(periods())
    return RequestLine(
        code=draw(_SNAKE),
        amount=draw(money),
        start=start,
        end=end,
        days=draw(st.none() | st.integers(1, 10**6)),
        extra=draw(extras),
    )


@st.composite
def documents(draw: st.DrawFn) -> DocumentEntry:
    on = draw(days)
    code = draw(st.sampled_from(sorted(DOCUMENT_CODES)))
    if draw(st.booleans()):
        return DocumentEntry(code, received_on=on)
    return DocumentEntry(code, promised_by=on)


@st.composite
def records(draw: st.DrawFn) -> IstanzaRecord:
    return IstanzaRecord(
        id=draw(ids),
        avviso=draw(names),
        comune=draw(belfiore),
        submitted_at=draw(moments),
        beneficiary=Beneficiary(
            codice_fiscale=draw(st.text(st.sampled_from(_ALNUM), min_size=16, max_size=16)),
            surname=draw(names),
            given_name=draw(names),
            birth_date=draw(days),
            sex=draw(st.sampled_from(["M", "F"])),
            residence=draw(belfiore),
            lives_at_home=draw(st.booleans()),
        ),
        disability=Disability(
            draw(st.booleans()), draw(st.booleans()), draw(st.none() | st.integers(0, 100))
        ),
        isee=tuple(
            draw(
                st.lists(st.builds(IseeEntry, st.sampled_from(ISEE_TYPES), money, days), max_size=3)
            )
        ),
        care=Care(draw(st.booleans()), draw(st.booleans()), draw(st.booleans())),
        in_place=frozenset(draw(st.sets(st.sampled_from(sorted(IN_PLACE_CODES)), max_size=4))),
        requests=tuple(draw(st.lists(request_lines(), max_size=3))),
        documents=tuple(draw(st.lists(documents(), max_size=4))),
        extra=draw(extras),
    )


def canonical(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(record=records())
def test_the_reader_gives_back_every_valid_record(record: IstanzaRecord) -> None:
    raw = istanza_record_json(record)
    assert read_istanza(raw, source=SOURCE, avviso=None) == record
    assert canonical(json.loads(raw)) == raw  # sorted keys, no whitespace, UTF-8 as itself
    assert istanza_record_json(read_istanza(raw, source=SOURCE, avviso=None)) == raw


def example() -> IstanzaRecord:
    return IstanzaRecord(
        id="ABB-2024-000123",
        avviso="abbiatense-caregiver-2023",
        comune="A010",
        submitted_at=datetime(2024, 1, 15, 10, 30),
        beneficiary=Beneficiary(
            "RSSMRA40A01A010X", "Rossi", "Niccolò", date(1940, 1, 1), "M", "A010", True
        ),
        disability=Disability(True, False, None),
        isee=(IseeEntry("sociosanitario", Decimal("18500.00"), date(2024, 1, 10)),),
        care=Care(True, False, False),
        in_place=frozenset({"sad", "adi"}),
        requests=(
            RequestLine(
                "rimborso_domiciliare", Decimal("900"), date(2023, 3, 1), date(2023, 12, 31)
            ),
        ),
        documents=(
            DocumentEntry("documento_identita", received_on=date(2024, 1, 15)),
            DocumentEntry("isee", promised_by=date(2024, 1, 31)),
        ),
    )


def test_the_output_is_canonical_json_of_the_interchange_shape() -> None:
    raw = istanza_record_json(example())
    assert b" " not in raw.replace(b"Niccol\xc3\xb2", b"")  # no whitespace anywhere
    assert "Niccolò".encode() in raw  # non-ASCII as itself, not \u escaped
    value: dict[str, Any] = json.loads(raw)
    assert list(value) == sorted(value)
    assert value["format"] == "caseworker.istanza/1"
    assert value["submitted_at"] == "2024-01-15T10:30:00"
    assert value["in_place"] == ["adi", "sad"]
    assert value["requests"] == [
        {
            "code": "rimborso_domiciliare",
            "amount": "900.00",
            "from": "2023-03-01",
            "to": "2023-12-31",
        }
    ]
    assert value["documents"][1] == {"code": "isee", "promised_by": "2024-01-31"}
    assert value["disability"] == {"l104_art3_c3": True, "indennita_accompagnamento": False}
    assert "extra" not in value
    assert raw == canonical(value)
    assert read_istanza(raw, source=SOURCE, avviso=None) == example()


def test_a_fraction_of_a_second_is_dropped_and_a_negative_zero_is_zero() -> None:
    record = example()._replace(
        submitted_at=datetime(2024, 1, 15, 10, 30, 5, 123456),
        isee=(IseeEntry("ordinario", Decimal("-0.00"), date(2024, 1, 10)),),
    )
    back = read_istanza(istanza_record_json(record), source=SOURCE, avviso=None)
    assert back.submitted_at == datetime(2024, 1, 15, 10, 30, 5)
    assert str(back.isee[0].value) == "0.00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"submitted_at": datetime(2024, 1, 15, 10, 30, tzinfo=UTC)}, "submitted_at"),
        ({"comune": "a010"}, "comune"),
        ({"in_place": frozenset({"not_a_code"})}, "in_place"),
        ({"extra": {"when": date(2024, 1, 1)}}, "JSON"),
        (
            {"isee": (IseeEntry("ordinario", Decimal("1.005"), date(2024, 1, 10)),)},
            "isee",
        ),
        (
            {"isee": (IseeEntry("ordinario", Decimal("1000000000.00"), date(2024, 1, 10)),)},
            "isee",
        ),
        ({"isee": (IseeEntry("ordinario", Decimal("Infinity"), date(2024, 1, 10)),)}, "amount"),
    ],
)
def test_a_record_the_reader_would_refuse_or_change_is_not_written(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValueError, match=field):
        istanza_record_json(example()._replace(**change))


def test_the_codes_an_avviso_adds_are_written_when_it_is_given() -> None:
    avviso = Avviso(
        id="abbiatense-caregiver-2023",
        version="1",
        title="Caregiver",
        measure="caregiver-familiare",
        ambito="abbiatense",
        legal_basis=(),
        allocation=Allocation.GRADUATORIA,
        comuni={"A010": (None, None)},
        requirements=(),
        interventions={
            "rimborso_domiciliare": Intervention("rimborso_domiciliare", "D", CapKind.COST, "")
        },
        extra_codes=frozenset({"scheda_sociale"}),
    )
    record = example()._replace(
        documents=(DocumentEntry("scheda_sociale", received_on=date(2024, 1, 2)),)
    )
    with pytest.raises(ValueError, match="documents"):
        istanza_record_json(record)
    raw = istanza_record_json(record, avviso=avviso)
    assert read_istanza(raw, source=SOURCE, avviso=avviso) == record
