"""The format versions of the store's JSON blobs: round trips, today's unversioned blobs read as
they are, every upgrade step, and the refusals (newer, damaged, duplicate keys)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain import stored_formats
from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.domain.person import Anagrafica, typed_data
from caseworker_app.domain.pi import PiContent
from caseworker_app.domain.stored_formats import (
    CURRENT,
    FIRST,
    UPGRADES,
    BlobKind,
    decode,
    decode_answers,
    decode_list_of_objects,
    decode_names,
    decode_object,
    encode,
    format_of,
)
from caseworker_app.messages import render
from caseworker_app.services.case_sections import SECTION_TYPED_FORMAT

FIXTURE = Path(__file__).parents[1] / "fixtures" / "stored_blobs_v0.json"
FIXTURE_SHA256 = "3eac85e3cf61c14cccd8f9b864c9818929c1be858d5f55282715812c02a152a0"
ROW = "6f1c9a52-3b0e-4c1e-9d7a-2f7d0c1b5e11"
OBJECT_KINDS = (BlobKind.ISTANZA_CONTENT, BlobKind.PI_CONTENT, BlobKind.SECTION_RECORD)
#: the kinds a store of 2026 already held as bare JSON (the fixture's); later kinds start at 1
KINDS_OF_2026 = [k for k in BlobKind if FIRST[k] == 0]


def _fixture() -> dict[str, list[str]]:
    blobs: dict[str, list[str]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["blobs"]
    return blobs


def _old_writer(kind: BlobKind, payload: Any) -> str:
    """What the repositories wrote before versions (store/*.py at commit dc654fec)."""
    if kind is BlobKind.SCALE_ANSWERS:
        return json.dumps(payload, sort_keys=True)
    if kind is BlobKind.SCALE_EVALUATORS:
        return json.dumps(payload, ensure_ascii=False)
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


# -- payloads -------------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
objects = st.dictionaries(st.text(max_size=8), json_values, max_size=6)
answers = st.dictionaries(
    st.text(min_size=1, max_size=12), st.none() | st.integers(min_value=0, max_value=10), max_size=8
)
names = st.lists(st.text(max_size=20), max_size=4)


def _payloads(kind: BlobKind) -> st.SearchStrategy[Any]:
    if kind is BlobKind.SCALE_ANSWERS:
        return answers
    if kind is BlobKind.SCALE_EVALUATORS:
        return names
    if kind is BlobKind.RECEIPT_LINES:
        return st.lists(objects, max_size=4)
    return objects


kinds_and_payloads = st.sampled_from(list(BlobKind)).flatmap(
    lambda kind: st.tuples(st.just(kind), _payloads(kind))
)


# -- round trip and canonical text ---------------------------------------------------------------


@given(kinds_and_payloads)
def test_every_kind_survives_the_round_trip_in_the_current_format(
    case: tuple[BlobKind, Any],
) -> None:
    kind, payload = case
    text = encode(kind, payload)
    assert decode(kind, text, row=ROW) == payload
    envelope = json.loads(text)
    assert envelope == {"format": format_of(kind), "data": payload}
    # canonical: the same payload always gives the same text
    assert encode(kind, json.loads(json.dumps(payload))) == text


@given(kinds_and_payloads)
def test_a_payload_as_the_old_code_wrote_it_reads_the_same(case: tuple[BlobKind, Any]) -> None:
    kind, payload = case
    if FIRST[kind] > 0:
        return  # never written bare: see test_a_kind_born_versioned_refuses_a_bare_blob
    if isinstance(payload, dict):
        payload.pop("format", None)  # a payload's own format key: pinned in a test below
    assert decode(kind, _old_writer(kind, payload), row=ROW) == payload


def test_the_text_is_compact_sorted_utf8_and_names_its_format() -> None:
    text = encode(BlobKind.SECTION_RECORD, {"z": "città", "a": [1, None]})
    assert text == '{"data":{"a":[1,null],"z":"città"},"format":"caseworker.section-record/1"}'
    with pytest.raises(ValueError):
        encode(BlobKind.PI_CONTENT, {"x": float("nan")})
    with pytest.raises(TypeError):
        encode(BlobKind.SCALE_ANSWERS, {"lavarsi": "3"})
    with pytest.raises(TypeError):
        encode(BlobKind.SCALE_EVALUATORS, ["Maria Rossi", 3])


def test_the_formats_are_named_and_documented() -> None:
    assert [format_of(k) for k in BlobKind] == [
        "caseworker.istanza-content/1",
        "caseworker.scale-answers/1",
        "caseworker.scale-evaluators/1",
        "caseworker.pi-content/1",
        "caseworker.section-record/1",
        "caseworker.receipt-lines/1",
    ]
    doc = stored_formats.__doc__ or ""
    assert all(f"``{k.format_name}``" in doc for k in BlobKind)


# -- version 0: the blobs of a store of 2026 ------------------------------------------------------


def test_the_fixture_of_2026_is_never_edited() -> None:
    digest = hashlib.sha256(FIXTURE.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
    assert digest == FIXTURE_SHA256


def test_every_blob_of_a_2026_store_reads_as_it_was_written() -> None:
    blobs = _fixture()
    assert sorted(blobs) == sorted(k.value for k in KINDS_OF_2026)
    for kind in KINDS_OF_2026:
        assert blobs[kind.value], kind
        for text in blobs[kind.value]:
            assert decode(kind, text, row=ROW) == json.loads(text)
    [istanza] = blobs[BlobKind.ISTANZA_CONTENT.value]
    content = IstanzaContent.from_data(decode_object(BlobKind.ISTANZA_CONTENT, istanza, row=ROW))
    assert [r.amount for r in content.requests] == ["800.00"]
    [signed] = blobs[BlobKind.PI_CONTENT.value]
    pi = PiContent.from_data(decode_object(BlobKind.PI_CONTENT, signed, row=ROW))
    assert pi.beneficiary.surname == "Prova" and all(s.signed for s in pi.signatories)
    [answers] = blobs[BlobKind.SCALE_ANSWERS.value]
    assert decode_answers(answers, row=ROW)["lavarsi"] == 3
    [evaluators] = blobs[BlobKind.SCALE_EVALUATORS.value]
    assert decode_names(evaluators, row=ROW) == ("Maria Rossi",)


def test_a_record_with_its_own_format_key_is_not_mistaken_for_an_envelope() -> None:
    """Section records already carry a ``format`` of their own: none is a blob format name."""
    own = {str(typed_data(Anagrafica(codice_fiscale=""))["format"]), SECTION_TYPED_FORMAT}
    blob_names = {k.format_name for k in BlobKind}
    assert {name.partition("/")[0] for name in own}.isdisjoint(blob_names)
    typed = [t for t in _fixture()[BlobKind.SECTION_RECORD.value] if '"format"' in t]
    assert len(typed) == 2
    for text in typed:
        assert decode(BlobKind.SECTION_RECORD, text, row=ROW) == json.loads(text)
    # and a new save wraps it whole
    record = json.loads(typed[0])
    assert decode(BlobKind.SECTION_RECORD, encode(BlobKind.SECTION_RECORD, record), row=ROW) == (
        record
    )


def test_the_column_default_of_a_new_row_reads_as_empty() -> None:
    assert decode(BlobKind.ISTANZA_CONTENT, "{}", row=ROW) == {}
    assert decode_names("[]", row=ROW) == ()


# -- upgrades ------------------------------------------------------------------------------------


def test_there_is_one_upgrade_step_for_every_version_ever_written() -> None:
    expected = {(kind, v) for kind in BlobKind for v in range(FIRST[kind], CURRENT[kind])}
    assert set(UPGRADES) == expected


@pytest.mark.parametrize("kind", KINDS_OF_2026)
def test_the_step_from_version_0_keeps_the_payload_as_the_old_code_wrote_it(
    kind: BlobKind,
) -> None:
    for text in _fixture()[kind.value]:
        payload = json.loads(text)
        assert UPGRADES[(kind, 0)](payload) == payload


def test_a_blob_is_upgraded_step_by_step_to_the_current_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a version 2 of the PI content (a key renamed), a version-1 and a version-0 blob
    both come out as version 2."""

    def rename(payload: object) -> object:
        assert isinstance(payload, dict)
        return {("summary" if k == "sintesi" else k): v for k, v in payload.items()}

    monkeypatch.setitem(CURRENT, BlobKind.PI_CONTENT, 2)
    monkeypatch.setitem(UPGRADES, (BlobKind.PI_CONTENT, 1), rename)
    v1 = '{"data":{"sintesi":"x"},"format":"caseworker.pi-content/1"}'
    assert decode(BlobKind.PI_CONTENT, v1, row=ROW) == {"summary": "x"}
    assert decode(BlobKind.PI_CONTENT, '{"sintesi": "x"}', row=ROW) == {"summary": "x"}
    assert json.loads(encode(BlobKind.PI_CONTENT, {"summary": "x"}))["format"] == (
        "caseworker.pi-content/2"
    )


# -- refusals ------------------------------------------------------------------------------------


def _refused(kind: BlobKind, text: str) -> UserFacingError:
    with pytest.raises(UserFacingError) as err:
        decode(kind, text, row=ROW)
    message = render(err.value.code, err.value.params)
    assert ROW in message and kind.format_name in message
    for secret in ("Prova", "Ada", "segreto"):
        assert secret not in message and secret not in str(err.value)
    return err.value


@pytest.mark.parametrize("kind", list(BlobKind))
def test_a_blob_of_a_newer_version_is_refused_naming_kind_and_row(kind: BlobKind) -> None:
    newer = f'{{"data":{{"x":"Prova Ada"}},"format":"{kind.format_name}/{CURRENT[kind] + 1}"}}'
    err = _refused(kind, newer)
    assert err.code == "store.blob_newer_version"
    assert err.params == {"kind": kind.format_name, "row": ROW, "version": CURRENT[kind] + 1,
                          "current": CURRENT[kind]}  # fmt: skip
    # a later version may change the envelope too: still "newer", never read as version 0
    _refused(kind, f'{{"format":"{kind.format_name}/7","payload":{{}},"meta":1}}')


DAMAGED_OBJECTS = [
    "",  # emptied
    '{"surname": "Prova", "given',  # truncated
    '{"surname": "Prova", "surname": "segreto"}',  # a key twice
    '{"data":{"a":1,"a":2},"format":"caseworker.pi-content/1"}',  # a key twice, in the data
    '{"data":{},"format":"caseworker.pi-content/1","format":"caseworker.pi-content/1"}',
    '{"x": NaN}',
    '{"x": 1' + "0" * 200 + "}",  # an absurd integer
    "[" * 100 + "]" * 100,  # absurdly deep
    '["Prova"]',  # not an object
    "null",
    '{"data":["Prova"],"format":"caseworker.pi-content/1"}',  # the data is not an object
    '{"data":{},"format":"caseworker.pi-content/1","extra":"segreto"}',  # not the envelope
    '{"format":"caseworker.pi-content/1"}',  # no data
    '{"data":{},"format":"caseworker.pi-content/0"}',  # version 0 has no envelope
    '{"data":{},"format":"caseworker.pi-content/01"}',
    '{"data":{},"format":"caseworker.pi-content/uno"}',
    '{"data":{},"format":"caseworker.pi-content"}',
    '{"data":{},"format":"caseworker.istanza-content/1"}',  # a blob of another kind
]


@pytest.mark.parametrize("text", DAMAGED_OBJECTS)
def test_a_damaged_pi_content_is_refused_without_its_content(text: str) -> None:
    assert _refused(BlobKind.PI_CONTENT, text).code == "store.blob_damaged"


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (BlobKind.SCALE_ANSWERS, '{"lavarsi": "3"}'),
        (BlobKind.SCALE_ANSWERS, '{"lavarsi": true}'),
        (BlobKind.SCALE_ANSWERS, '{"lavarsi": 1.5}'),
        (BlobKind.SCALE_ANSWERS, "[]"),
        (BlobKind.SCALE_ANSWERS, '{"lavarsi": 1, "lavarsi": 3}'),
        (BlobKind.SCALE_EVALUATORS, '{"Maria Rossi": 1}'),
        (BlobKind.SCALE_EVALUATORS, "[1]"),
        (BlobKind.SCALE_EVALUATORS, '{"data":[null],"format":"caseworker.scale-evaluators/1"}'),
        (BlobKind.ISTANZA_CONTENT, '{"data":{},"format":"caseworker.section-record/1"}'),
        (BlobKind.SECTION_RECORD, '"segreto"'),
    ],
)
def test_a_damaged_blob_of_any_kind_is_refused(kind: BlobKind, text: str) -> None:
    assert _refused(kind, text).code == "store.blob_damaged"


@pytest.mark.parametrize("kind", OBJECT_KINDS)
def test_duplicate_keys_are_refused_at_any_depth(kind: BlobKind) -> None:
    inner = '{"a": {"b": [{"c": 1, "c": 2}]}}'
    assert _refused(kind, inner).code == "store.blob_damaged"
    wrapped = f'{{"data":{inner},"format":"{format_of(kind)}"}}'
    assert _refused(kind, wrapped).code == "store.blob_damaged"


def test_a_typed_reader_refuses_the_wrong_kind() -> None:
    with pytest.raises(ValueError):
        decode_object(BlobKind.SCALE_EVALUATORS, "[]", row=ROW)
    with pytest.raises(ValueError):
        decode_list_of_objects(BlobKind.PI_CONTENT, "{}", row=ROW)


def test_a_kind_born_versioned_refuses_a_bare_blob() -> None:
    """The receipt lines were written in an envelope from the start: a bare list is damaged."""
    lines = [{"protocol": "A010/2026/1", "outcome": "accettata"}]
    text = encode(BlobKind.RECEIPT_LINES, lines)
    assert text.startswith('{"data":[{') and text.endswith('"format":"caseworker.receipt-lines/1"}')
    assert decode_list_of_objects(BlobKind.RECEIPT_LINES, text, row=ROW) == lines
    assert _refused(BlobKind.RECEIPT_LINES, json.dumps(lines)).code == "store.blob_damaged"
    assert _refused(BlobKind.RECEIPT_LINES, "[]").code == "store.blob_damaged"
    for wrong in ('{"data":["Prova"],"format":"caseworker.receipt-lines/1"}',
                  '{"data":{},"format":"caseworker.receipt-lines/1"}'):  # fmt: skip
        assert _refused(BlobKind.RECEIPT_LINES, wrong).code == "store.blob_damaged"
    with pytest.raises(TypeError):
        encode(BlobKind.RECEIPT_LINES, ["Prova"])


def test_the_payloads_the_domain_writes_round_trip() -> None:
    evaluation = SocialEvaluation.from_data({"housing": "Casa al primo piano"}).to_data()
    for kind, payload in (
        (BlobKind.ISTANZA_CONTENT, IstanzaContent().to_data()),
        (BlobKind.PI_CONTENT, PiContent().to_data()),
        (BlobKind.SECTION_RECORD, evaluation),
    ):
        assert decode_object(kind, encode(kind, payload), row=ROW) == payload
