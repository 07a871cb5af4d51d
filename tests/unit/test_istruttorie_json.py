"""The JSON of the istruttorie files and receipts (docs/transfer-format.md §10-§11): what is
written always reads back the same, and the readers refuse anything out of shape, naming the
field and never a value."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.transmission import (
    IstanzaRef,
    Istruttoria,
    IstruttoriePayload,
    MemberRole,
    Receipt,
    ReceiptLine,
    ReceiptOutcome,
    RejectReason,
    SentMember,
)
from caseworker_app.messages import render
from caseworker_app.transfer.istruttorie_json import (
    check_receipt_payload,
    istruttoria_json,
    payload_dict,
    read_istruttoria,
    read_payload,
    read_receipt,
    receipt_json,
    receipt_payload,
)

FILE = "A010-20240301-001.cwt"
FOLDER = "istanze/0001"
ITEM = f"{FOLDER}/istruttoria.json"
SECRET = "Rossi Mario"  # a personal value: never in an error

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

belfiore = st.builds(
    lambda letter, number: f"{letter}{number:03d}", st.sampled_from(_UPPER), st.integers(0, 999)
)
protocols = st.text(min_size=1, max_size=60).filter(lambda s: s.isprintable() and s == s.strip())
printable = st.text(max_size=40).filter(lambda s: s.isprintable() and s == s.strip())
hex64 = st.text("0123456789abcdef", min_size=64, max_size=64)
versions = st.integers(1, 10**6)
local_moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
aware_moments = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2100, 1, 1), timezones=offsets
)
segments = st.from_regex(r"[A-Za-z0-9_]([A-Za-z0-9._-]{0,10}[A-Za-z0-9_-])?", fullmatch=True)


@st.composite
def folders(draw: st.DrawFn) -> str:
    return f"istanze/{draw(st.integers(0, 99_999)):04d}"


@st.composite
def sent_members(draw: st.DrawFn, folder: str) -> tuple[SentMember, ...]:
    others = draw(
        st.lists(
            st.tuples(
                st.lists(segments, min_size=1, max_size=3), st.sampled_from(list(MemberRole))
            ),
            max_size=6,
        )
    )
    names: set[str] = {f"{folder}/istanza.json", f"{folder}/istruttoria.json"}
    members = [SentMember(f"{folder}/istanza.json", MemberRole.RECORD, sha256=draw(hex64))]
    for parts, role in others:
        name = "/".join([folder, *parts])
        if name.lower() in names or role is MemberRole.RECORD:
            continue
        names.add(name.lower())
        members.append(
            SentMember(
                name=name,
                role=role,
                code=draw(st.sampled_from(["", "isee", "adl-katz", "documento_identita"])),
                mime=draw(st.sampled_from(["", "application/pdf", "image/jpeg"])),
                title=draw(printable),
                sha256=draw(hex64),
            )
        )
    return tuple(draw(st.permutations(members)))


@st.composite
def istruttorie(draw: st.DrawFn) -> tuple[Istruttoria, str]:
    folder = draw(folders())
    item = Istruttoria(
        protocol=draw(protocols),
        comune=draw(belfiore),
        avviso=draw(st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,3}", fullmatch=True)),
        avviso_version=str(draw(st.integers(1, 999_999))),
        version=draw(versions),
        submitted_at=draw(local_moments),
        evaluation_included=draw(st.booleans()),
        members=draw(sent_members(folder)),
    )
    return item, folder


@st.composite
def payloads(draw: st.DrawFn) -> IstruttoriePayload:
    keys = draw(st.lists(st.tuples(belfiore, protocols), min_size=1, max_size=8, unique=True))
    numbers = draw(
        st.lists(st.integers(1, 99_999), min_size=len(keys), max_size=len(keys), unique=True)
    )
    refs = tuple(
        IstanzaRef(protocol, comune, draw(versions), f"istanze/{n:04d}")
        for (comune, protocol), n in zip(keys, numbers, strict=True)
    )
    seqs = draw(st.lists(st.integers(0, 10**12), max_size=5, unique=True))
    chain = tuple(AuditHead(seq, draw(hex64)) for seq in seqs)
    return IstruttoriePayload(istanze=refs, audit_chain=chain)


@st.composite
def receipt_lines(draw: st.DrawFn) -> ReceiptLine:
    outcome = draw(st.sampled_from(list(ReceiptOutcome)))
    reason = (
        draw(st.sampled_from(list(RejectReason))) if outcome is ReceiptOutcome.RESPINTA else None
    )
    return ReceiptLine(
        protocol=draw(protocols),
        comune=draw(belfiore),
        version=draw(versions),
        outcome=outcome,
        reason=reason,
        detail=draw(printable),
    )


@st.composite
def receipts(draw: st.DrawFn) -> Receipt:
    lines = draw(
        st.lists(receipt_lines(), max_size=6, unique_by=lambda ln: (ln.comune, ln.protocol))
    )
    return Receipt(
        transmission=str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4)),
        manifest_sha256=draw(hex64),
        received_at=draw(aware_moments),
        capofila=draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,20}", fullmatch=True)),
        lines=tuple(lines),
    )


def canonical(raw: bytes) -> bytes:
    return json.dumps(
        json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


# -- round trips ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(payload=payloads())
def test_the_payload_reads_back(payload: IstruttoriePayload) -> None:
    value = payload_dict(payload)
    assert read_payload(json.loads(json.dumps(value)), file=FILE) == payload


@settings(max_examples=200, deadline=None)
@given(case=istruttorie())
def test_istruttoria_json_reads_back(case: tuple[Istruttoria, str]) -> None:
    item, folder = case
    raw = istruttoria_json(item)
    assert canonical(raw) == raw
    assert (
        read_istruttoria(raw, file=FILE, member=f"{folder}/istruttoria.json", folder=folder) == item
    )
    assert istruttoria_json(item, folder=folder) == raw


@settings(max_examples=200, deadline=None)
@given(receipt=receipts())
def test_the_receipt_reads_back(receipt: Receipt) -> None:
    raw = receipt_json(receipt)
    assert canonical(raw) == raw
    assert read_receipt(raw, file=FILE) == receipt


def test_the_receipt_payload_is_its_format() -> None:
    check_receipt_payload(receipt_payload(), file=FILE)
    assert receipt_payload() == {"format": "caseworker.ricevuta/1"}


# -- examples -----------------------------------------------------------------------------------

ISTRUTTORIA = Istruttoria(
    protocol="ABB-2024-000123",
    comune="A010",
    avviso="abbiatense-caregiver-2023",
    avviso_version="1",
    version=2,
    submitted_at=datetime(2024, 1, 15, 10, 30),
    evaluation_included=True,
    members=(
        SentMember(f"{FOLDER}/istanza.json", MemberRole.RECORD, mime="application/json",
                   sha256="a" * 64),
        SentMember(f"{FOLDER}/documenti/01.pdf", MemberRole.DOCUMENT, code="isee",
                   mime="application/pdf", title=SECRET, sha256="b" * 64),
        SentMember(f"{FOLDER}/schede/adl-katz.json", MemberRole.ASSESSMENT, code="adl-katz",
                   mime="application/json", sha256="c" * 64),
    ),
)  # fmt: skip
PAYLOAD = IstruttoriePayload(
    istanze=(
        IstanzaRef("ABB-2024-000123", "A010", 2, "istanze/0001"),
        IstanzaRef("ABB-2024-000124", "A010", 1, "istanze/0002"),
    ),
    audit_chain=(AuditHead(41, "d" * 64),),
)
RECEIPT = Receipt(
    transmission="0b6f1f4e-5a55-4d1c-9b1e-1b2c3d4e5f60",
    manifest_sha256="e" * 64,
    received_at=datetime(2024, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1))),
    capofila="capofila-a010",
    lines=(
        ReceiptLine("ABB-2024-000123", "A010", 2, ReceiptOutcome.SOSTITUISCE),
        ReceiptLine("ABB-2024-000124", "A010", 1, ReceiptOutcome.RESPINTA, RejectReason.STALE,
                    "È più vecchia della versione 3 già ricevuta."),
    ),
)  # fmt: skip


def item_value() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(istruttoria_json(ISTRUTTORIA))
    return value


def receipt_value() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(receipt_json(RECEIPT))
    return value


def read_item(value: object, folder: str = FOLDER) -> Istruttoria:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return read_istruttoria(raw, file=FILE, member=ITEM, folder=folder)


def read_back_receipt(value: object) -> Receipt:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return read_receipt(raw, file=FILE)


def refused(call: Any, *args: Any, **kwargs: Any) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        call(*args, **kwargs)
    error = caught.value
    text = render(error.code, error.params)
    assert SECRET not in str(error) and SECRET not in text
    assert "{" not in text  # every parameter filled in
    assert FILE in text
    return error


def test_the_examples_are_canonical_and_read_back() -> None:
    raw = istruttoria_json(ISTRUTTORIA)
    assert raw.startswith(b'{"avviso":"abbiatense-caregiver-2023","avviso_version":"1",')
    assert b'"submitted_at":"2024-01-15T10:30:00"' in raw
    assert read_item(raw) == ISTRUTTORIA
    assert read_back_receipt(receipt_json(RECEIPT)) == RECEIPT
    assert receipt_value()["lines"][0]["reason"] is None
    assert receipt_value()["received_at"] == "2024-03-02T09:00:00+01:00"
    assert payload_dict(PAYLOAD) == {
        "format": "caseworker.istruttorie/1",
        "istanze": [
            {
                "protocol": "ABB-2024-000123",
                "comune": "A010",
                "version": 2,
                "folder": "istanze/0001",
            },
            {
                "protocol": "ABB-2024-000124",
                "comune": "A010",
                "version": 1,
                "folder": "istanze/0002",
            },
        ],
        "audit_chain": [{"seq": 41, "hash": "d" * 64}],
    }


# -- refusals -------------------------------------------------------------------------------------


def test_a_key_twice_is_refused() -> None:
    raw = istruttoria_json(ISTRUTTORIA).replace(b'"version":2', b'"version":2,"version":3')
    error = refused(read_item, raw)
    assert error.code == "transfer.istruttoria_unreadable"
    assert error.params["member"] == ITEM
    raw = receipt_json(RECEIPT).replace(b'"capofila":', b'"capofila":"x","capofila":')
    assert refused(read_back_receipt, raw).code == "transfer.ricevuta_unreadable"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda v: v.update(extra=1), "extra"),  # an unknown key
        (lambda v: v["members"][1].update(size=3), "members[1].size"),
        (lambda v: v.pop("evaluation_included"), "evaluation_included"),  # a missing key
        (lambda v: v["members"][2].pop("title"), "members[2].title"),
        (lambda v: v.update(version="2"), "version"),  # a wrong type
        (lambda v: v.update(version=True), "version"),
        (lambda v: v.update(version=0), "version"),
        (lambda v: v.update(evaluation_included="true"), "evaluation_included"),
        (lambda v: v.update(members={}), "members"),
        (lambda v: v.update(members=[]), "members"),
        (lambda v: v["members"][1].update(title=7), "members[1].title"),
        (lambda v: v["members"][1].update(title=SECRET + "\n"), "members[1].title"),
        (lambda v: v.update(comune="a010"), "comune"),
        (lambda v: v.update(protocol=""), "protocol"),
        (lambda v: v.update(protocol="X" * 61), "protocol"),
        (lambda v: v.update(protocol="ABB\t1"), "protocol"),
        (lambda v: v.update(submitted_at="2024-01-15T10:30:00+01:00"), "submitted_at"),
        (lambda v: v["members"][1].update(role="scan"), "members[1].role"),
        (lambda v: v["members"][1].update(sha256="B" * 64), "members[1].sha256"),
        (lambda v: v["members"][1].update(mime="PDF"), "members[1].mime"),
        # names outside the folder
        (lambda v: v["members"][1].update(name="istanze/0002/documenti/01.pdf"), "members[1].name"),
        (lambda v: v["members"][1].update(name="attestazione.pdf"), "members[1].name"),
        (lambda v: v["members"][1].update(name="istanze/0001/../0002/x.pdf"), "members[1].name"),
        (lambda v: v["members"][1].update(name="istanze/00010/x.pdf"), "members[1].name"),
        (lambda v: v["members"][1].update(name=ITEM), "members[1].name"),
        # two RECORD members, none, a name twice
        (lambda v: v["members"][1].update(role="istanza"), "members[1].role"),
        (lambda v: v["members"][0].update(role="documento"), "members"),
        (lambda v: v["members"][2].update(name=f"{FOLDER}/DOCUMENTI/01.PDF"), "members[2].name"),
    ],
)  # fmt: skip
def test_istruttoria_json_refuses_a_field_out_of_shape(change: Any, field: str) -> None:
    value = item_value()
    change(value)
    error = refused(read_item, value)
    assert error.code == "transfer.istruttoria_invalid"
    assert error.params == {"file": FILE, "member": ITEM, "field": field}


def test_names_are_checked_against_the_folder_the_caller_gives() -> None:
    error = refused(read_item, item_value(), folder="istanze/0002")
    assert error.params["field"] == "members[0].name"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda v: v.update(extra=[]), "extra"),
        (lambda v: v.pop("audit_chain"), "audit_chain"),
        (lambda v: v.update(istanze=[]), "istanze"),
        (lambda v: v["istanze"][1].update(folder="istanze/001"), "istanze[1].folder"),
        (lambda v: v["istanze"][1].update(folder="istanze/0001"), "istanze[1].folder"),
        (lambda v: v["istanze"][1].update(protocol="ABB-2024-000123"), "istanze[1].protocol"),
        (lambda v: v["istanze"][1].update(version=10**6 + 1), "istanze[1].version"),
        (lambda v: v["istanze"][0].pop("comune"), "istanze[0].comune"),
        (lambda v: v["audit_chain"][0].update(seq=-1), "audit_chain[0].seq"),
        (lambda v: v["audit_chain"][0].update(hash="d" * 63), "audit_chain[0].hash"),
        (lambda v: v["audit_chain"].append(dict(v["audit_chain"][0])), "audit_chain[1].seq"),
    ],
)
def test_the_payload_refuses_a_field_out_of_shape(change: Any, field: str) -> None:
    value = payload_dict(PAYLOAD)
    change(value)
    error = refused(read_payload, value, file=FILE)
    assert error.code == "transfer.istruttorie_invalid"
    assert error.params == {"file": FILE, "field": field}


def test_a_payload_of_more_istanze_than_a_file_holds_is_refused() -> None:
    value = payload_dict(PAYLOAD)
    value["istanze"] = [
        {"protocol": f"P{n}", "comune": "A010", "version": 1, "folder": f"istanze/{n:05d}"}
        for n in range(20_001)
    ]
    assert refused(read_payload, value, file=FILE).params["field"] == "istanze"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda v: v.update(signature="x"), "signature"),
        (lambda v: v.pop("lines"), "lines"),
        (lambda v: v.update(transmission=v["transmission"].upper()), "transmission"),
        (lambda v: v.update(received_at="2024-03-02T09:00:00"), "received_at"),
        (lambda v: v.update(manifest_sha256=None), "manifest_sha256"),
        (lambda v: v["lines"][0].update(outcome="ok"), "lines[0].outcome"),
        (lambda v: v["lines"][0].update(reason="stale"), "lines[0].reason"),
        (lambda v: v["lines"][1].update(reason=None), "lines[1].reason"),
        (lambda v: v["lines"][1].pop("detail"), "lines[1].detail"),
        (lambda v: v["lines"][1].update(protocol="ABB-2024-000123"), "lines[1].protocol"),
    ],
)
def test_the_receipt_refuses_a_field_out_of_shape(change: Any, field: str) -> None:
    value = receipt_value()
    change(value)
    error = refused(read_back_receipt, value)
    assert error.code == "transfer.ricevuta_invalid"
    assert error.params == {"file": FILE, "field": field}


@pytest.mark.parametrize(
    ("found", "code"),
    [
        ("caseworker.istruttorie/2", "transfer.istruttorie_format_newer"),
        ("caseworker.istruttorie/0", "transfer.istruttorie_format_unknown"),
        ("caseworker.istruttoria/1", "transfer.istruttorie_format_unknown"),
        (None, "transfer.istruttorie_format_unknown"),
    ],
)
def test_the_payload_format_is_checked_before_anything_else(found: object, code: str) -> None:
    value: dict[str, Any] = {"format": found, "future": True}
    assert refused(read_payload, value, file=FILE).code == code
    assert refused(read_payload, [value], file=FILE).code == "transfer.istruttorie_format_unknown"


def test_a_newer_format_is_refused_as_newer_for_every_file() -> None:
    item = item_value() | {"format": "caseworker.istruttoria/2", "new_key": 1}
    assert refused(read_item, item).code == "transfer.istruttorie_format_newer"
    receipt = receipt_value() | {"format": "caseworker.ricevuta/12"}
    assert refused(read_back_receipt, receipt).code == "transfer.istruttorie_format_newer"
    newer = {"format": "caseworker.ricevuta/2"}
    assert refused(check_receipt_payload, newer, file=FILE).code == (
        "transfer.istruttorie_format_newer"
    )
    other = {"format": "caseworker.istruttorie/1"}
    assert refused(check_receipt_payload, other, file=FILE).code == (
        "transfer.istruttorie_format_unknown"
    )
    extra = {"format": "caseworker.ricevuta/1", "lines": []}
    assert refused(check_receipt_payload, extra, file=FILE).params["field"] == "lines"


# -- the writers refuse what the readers would --------------------------------------------------


def test_the_writers_refuse_what_the_other_side_would_refuse() -> None:
    outside = replace(ISTRUTTORIA.members[1], name="istanze/0002/documenti/01.pdf")
    with pytest.raises(ValueError, match=r"members\[1\]\.name"):
        istruttoria_json(replace(ISTRUTTORIA, members=(ISTRUTTORIA.members[0], outside)))
    with pytest.raises(ValueError, match="time zone"):
        istruttoria_json(replace(ISTRUTTORIA, submitted_at=datetime(2024, 1, 1, tzinfo=UTC)))
    with pytest.raises(ValueError, match="time zone"):
        receipt_json(replace(RECEIPT, received_at=datetime(2024, 3, 2, 9, 0)))
    bad_line = ReceiptLine("P1", "A010", 1, ReceiptOutcome.RESPINTA)
    with pytest.raises(ValueError, match=r"lines\[0\]\.reason"):
        receipt_json(replace(RECEIPT, lines=(bad_line,)))
    twice = IstanzaRef("P1", "A010", 1, "istanze/0001")
    with pytest.raises(ValueError, match=r"istanze\[1\]\.folder"):
        payload_dict(IstruttoriePayload(istanze=(twice, replace(twice, protocol="P2"))))


def test_a_fraction_of_a_second_is_dropped_from_submitted_at() -> None:
    item = replace(ISTRUTTORIA, submitted_at=datetime(2024, 1, 15, 10, 30, 0, 500_000))
    assert read_item(istruttoria_json(item)) == ISTRUTTORIA
