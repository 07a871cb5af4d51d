"""The tables of the transmissions of istruttorie on a real encrypted store (issue 11): at a
comune the files written and what the capofila said of each istanza, at the capofila the files
imported and the istanze received; every value comes back equal, the unique constraints refuse
a second copy, a rollback leaves nothing, and revision 0010 downgrades and upgrades again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.stored_formats import BlobKind, format_of
from caseworker_app.domain.transmission import (
    MemberRole,
    ReceiptLine,
    ReceiptOutcome,
    ReceivedIstanza,
    ReceivedMember,
    ReceivedTransmission,
    RejectReason,
    SentItem,
    SentTransmission,
    TransmissionState,
)
from caseworker_app.services import cases, istanze
from caseworker_app.store import migrate

Created = tuple[Vault, OpenStore, str]
NOW = datetime(2026, 12, 15, 10, 30, 0, 123456)
DAY = NOW.date()
AVVISO = "abbiatense-caregiver-2023"
SENDER = "4d1f6a0e-5b7c-4e0f-9a51-8a3b2c1d0e9f"
FINGERPRINT = "1234567890" * 4
NEW_TABLES = {
    "transmissions",
    "transmission_items",
    "received_transmissions",
    "received_istanze",
    "received_members",
}


def _istanze(workspace: OpenStore, count: int) -> list[str]:
    """``count`` istanze of one case file (the items refer to them)."""
    case_id, _ = cases.create_case(
        workspace.uow_factory(), actor=workspace.actor, comune="A010",
        anagrafica=Anagrafica(codice_fiscale="", surname="Prova", given_name="Ada"), now=NOW,
    )  # fmt: skip
    return [
        istanze.create_istanza(
            workspace.uow_factory(), actor=workspace.actor, case_id=case_id, avviso=AVVISO, now=NOW
        ).id
        for _ in range(count)
    ]


def _item(tid: str, istanza_id: str, protocol: str, version: int = 1) -> SentItem:
    digest = hashlib.sha256(f"{protocol}/{version}".encode()).hexdigest()
    return SentItem(tid, istanza_id, protocol, "A010", version, TransmissionState.INVIATA, digest,
                    "", NOW)  # fmt: skip


def _sent(counter: int, items: list[tuple[str, str, int]], *, minutes: int = 0) -> SentTransmission:
    tid = new_id()
    return SentTransmission(
        id=tid,
        file_name=f"A010-{DAY:%Y%m%d}-{counter:03d}.cwt",
        created_at=NOW + timedelta(minutes=minutes),
        created_by="mrossi",
        day=DAY,
        counter=counter,
        comune="A010",
        recipient_fingerprint=FINGERPRINT,
        manifest_sha256=hashlib.sha256(tid.encode()).hexdigest(),
        size=4096 + counter,
        attestazione=b"%PDF-1.7 attestazione " + bytes(range(256)),
        audit_head=AuditHead(10 + counter, "ab" * 32),
        items=tuple(_item(tid, i, p, v) for i, p, v in items),
    )


def _add(workspace: OpenStore, *sent: SentTransmission) -> None:
    with workspace.uow_factory() as uow:
        for transmission in sent:
            uow.transmissions.add_sent(transmission)
        uow.commit()


# -- at a comune ----------------------------------------------------------------------------------


def test_a_transmission_written_comes_back_equal_with_its_items(created: Created) -> None:
    _, workspace, _ = created
    a, b = _istanze(workspace, 2)
    first = _sent(1, [(a, "A010/2026/000001", 1), (b, "A010/2026/000002", 1)])
    bare = replace(_sent(2, [], minutes=5), audit_head=None)  # a store with an empty audit log
    _add(workspace, first, bare)
    with workspace.uow_factory() as uow:
        assert uow.transmissions.sent_by_id(first.id) == first
        assert uow.transmissions.sent_by_id(bare.id) == bare
        assert uow.transmissions.sent() == [bare, first]  # newest first
        assert uow.transmissions.sent_by_id("no-such-id") is None


def test_the_counter_of_the_day_is_per_comune_and_unique(created: Created) -> None:
    _, workspace, _ = created
    with workspace.uow_factory() as uow:
        assert uow.transmissions.last_counter("A010", DAY) == 0
    _add(workspace, _sent(1, []), _sent(2, [], minutes=1))
    with workspace.uow_factory() as uow:
        assert uow.transmissions.last_counter("A010", DAY) == 2
        assert uow.transmissions.last_counter("A010", DAY + timedelta(days=1)) == 0
        assert uow.transmissions.last_counter("B123", DAY) == 0
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.transmissions.add_sent(_sent(2, []))
    with workspace.uow_factory() as uow:
        assert len(uow.transmissions.sent()) == 2


def test_the_versions_of_an_istanza_and_the_latest_of_each(created: Created) -> None:
    _, workspace, _ = created
    a, b = _istanze(workspace, 2)
    first = _sent(1, [(a, "A010/2026/000001", 1), (b, "A010/2026/000002", 1)])
    correction = _sent(2, [(a, "A010/2026/000001", 2)], minutes=30)
    _add(workspace, first, correction)
    with workspace.uow_factory() as uow:
        versions = uow.transmissions.items_of_istanza(a)
        latest = uow.transmissions.latest_items()
        assert uow.transmissions.items_of_istanza("never-sent") == []
    assert versions == [first.items[0], correction.items[0]]  # oldest first
    assert latest == {a: correction.items[0], b: first.items[1]}
    # the same version of an istanza is never sent twice
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.transmissions.add_sent(_sent(3, [(a, "A010/2026/000001", 2)], minutes=60))


def test_an_item_must_be_of_an_istanza_held_and_of_its_transmission(created: Created) -> None:
    _, workspace, _ = created
    [a] = _istanze(workspace, 1)
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.transmissions.add_sent(_sent(1, [("not-an-istanza", "A010/2026/000009", 1)]))
    sent = _sent(1, [(a, "A010/2026/000001", 1)])
    stray = replace(sent, items=(replace(sent.items[0], transmission="another"),))
    with pytest.raises(ValueError), workspace.uow_factory() as uow:
        uow.transmissions.add_sent(stray)
    with workspace.uow_factory() as uow:
        assert uow.transmissions.sent() == []


def test_the_receipt_updates_the_items_and_the_transmission(created: Created) -> None:
    _, workspace, _ = created
    a, b = _istanze(workspace, 2)
    sent = _sent(1, [(a, "A010/2026/000001", 1), (b, "A010/2026/000002", 1)])
    _add(workspace, sent)
    later = NOW + timedelta(days=2)
    receipt = "cd" * 32
    with workspace.uow_factory() as uow:
        uow.transmissions.update_item(
            sent.id, a, state=TransmissionState.RICEVUTA, reason="", at=later
        )
        uow.transmissions.update_item(sent.id, b, state=TransmissionState.RESPINTA,
                                      reason="Avviso non del nostro ambito", at=later)  # fmt: skip
        uow.transmissions.set_receipt(sent.id, sha256=receipt, at=later)
        uow.commit()
    with workspace.uow_factory() as uow:
        held = uow.transmissions.sent_by_id(sent.id)
        with pytest.raises(KeyError):
            uow.transmissions.update_item(
                sent.id, "not-in-it", state=TransmissionState.RICEVUTA, reason="", at=later
            )
        with pytest.raises(KeyError):
            uow.transmissions.set_receipt("no-such-id", sha256=receipt, at=later)
    expected = replace(
        sent,
        receipt_sha256=receipt,
        receipt_at=later,
        items=(
            replace(sent.items[0], state=TransmissionState.RICEVUTA, updated_at=later),
            replace(sent.items[1], state=TransmissionState.RESPINTA, updated_at=later,
                    reason="Avviso non del nostro ambito"),
        ),
    )  # fmt: skip
    assert held == expected


def test_a_transmission_rolled_back_leaves_nothing(created: Created) -> None:
    _, workspace, _ = created
    [a] = _istanze(workspace, 1)
    sent = _sent(1, [(a, "A010/2026/000001", 1)])
    with workspace.uow_factory() as uow:
        uow.transmissions.add_sent(sent)
        assert uow.transmissions.sent_by_id(sent.id) == sent
        uow.rollback()
    with workspace.uow_factory() as uow:  # and without commit, the same
        uow.transmissions.add_sent(sent)
    with workspace.uow_factory() as uow:
        assert uow.transmissions.sent() == []
        assert uow.transmissions.latest_items() == {}
        assert uow.transmissions.last_counter("A010", DAY) == 0


# -- at the capofila ------------------------------------------------------------------------------


LINES = (
    ReceiptLine("A010/2026/000001", "A010", 1, ReceiptOutcome.ACCETTATA),
    ReceiptLine("A010/2026/000002", "A010", 2, ReceiptOutcome.SOSTITUISCE),
    ReceiptLine("B123/2026/000007", "B123", 1, ReceiptOutcome.RESPINTA,
                RejectReason.COMUNE_NOT_SENDER, "Il mittente non opera per il comune B123."),
)  # fmt: skip


HEAD = AuditHead(40, "ef" * 32)


def _received(
    *, minutes: int = 0, head: AuditHead | None = HEAD, sender: str = SENDER
) -> ReceivedTransmission:
    tid = new_id()
    return ReceivedTransmission(
        id=tid,
        sender=sender,
        sender_fingerprint=FINGERPRINT,
        comuni=("A010", "B123"),
        file_name=f"A010-{DAY:%Y%m%d}-001.cwt",
        manifest_sha256=hashlib.sha256(tid.encode()).hexdigest(),
        created_at=NOW - timedelta(hours=1),
        imported_at=NOW + timedelta(minutes=minutes),
        imported_by="ufficio",
        audit_head=head,
        chain_warning="",
        receipt=b"sealed receipt " + bytes(range(256)),
        receipt_lines=LINES,
    )


def _contents(protocol: str, version: int) -> dict[str, bytes]:
    return {
        "istanze/0001/istanza.json": json.dumps({"protocol": protocol, "v": version}).encode(),
        "istanze/0001/documenti/01.pdf": b"%PDF-1.4 " + protocol.encode() + bytes([version]),
    }


def _member(name: str, data: bytes) -> ReceivedMember:
    digest = hashlib.sha256(data).hexdigest()
    if name.endswith(".json"):
        return ReceivedMember(name, MemberRole.RECORD, "", "application/json", "", digest,
                              len(data))  # fmt: skip
    return ReceivedMember(name, MemberRole.DOCUMENT, "isee", "application/pdf",
                          "Attestazione ISEE 2026", digest, len(data))  # fmt: skip


def _istanza(
    transmission: ReceivedTransmission, protocol: str, version: int = 1, *, avviso: str = AVVISO
) -> tuple[ReceivedIstanza, dict[str, bytes]]:
    contents = _contents(protocol, version)
    record = contents["istanze/0001/istanza.json"]
    istanza = ReceivedIstanza(
        id=new_id(),
        comune=protocol[:4],
        protocol=protocol,
        version=version,
        avviso=avviso,
        avviso_version="1",
        sender=transmission.sender,
        transmission=transmission.id,
        received_at=transmission.imported_at,
        submitted_at=datetime(2026, 3, 1, 9, 15),
        evaluation_included=version % 2 == 1,
        record=record,
        record_sha256=hashlib.sha256(record).hexdigest(),
        members=tuple(_member(n, d) for n, d in sorted(contents.items())),
    )
    return istanza, contents


def _import(
    workspace: OpenStore,
    transmission: ReceivedTransmission,
    *istanze: tuple[ReceivedIstanza, dict[str, bytes]],
    supersede: dict[str, str] | None = None,
) -> None:
    """As the import does: the istanze first, then the transmission, in one transaction."""
    with workspace.uow_factory() as uow:
        for istanza, contents in istanze:
            uow.received.add_istanza(istanza, contents)
        for old, new in (supersede or {}).items():
            uow.received.supersede(old, by=new)
        uow.received.add_transmission(transmission)
        uow.commit()


def test_a_received_transmission_comes_back_equal(created: Created) -> None:
    _, workspace, _ = created
    first = _received()
    second = replace(_received(minutes=10, head=None), chain_warning="Il registro è cambiato")
    _import(workspace, first)
    _import(workspace, second)
    with workspace.uow_factory() as uow:
        assert uow.received.transmission(first.id) == first
        assert uow.received.transmission_by_manifest(second.manifest_sha256) == second
        assert uow.received.transmissions() == [second, first]  # newest first
        assert uow.received.transmission("no-such-id") is None
        assert uow.received.transmission_by_manifest("0" * 64) is None
        stored = uow.session.execute(
            text("SELECT comuni, receipt_lines FROM received_transmissions WHERE id = :id"),
            {"id": first.id},
        ).one()
    assert json.loads(stored.comuni) == ["A010", "B123"]
    lines = json.loads(stored.receipt_lines)
    assert lines["format"] == format_of(BlobKind.RECEIPT_LINES)
    assert lines["data"][2] == {"protocol": "B123/2026/000007", "comune": "B123", "version": 1,
                                "outcome": "respinta", "reason": "comune_not_sender",
                                "detail": "Il mittente non opera per il comune B123."}  # fmt: skip


def test_the_same_file_is_imported_once(created: Created) -> None:
    _, workspace, _ = created
    first = _received()
    _import(workspace, first)
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.received.add_transmission(replace(_received(), manifest_sha256=first.manifest_sha256))
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.received.add_transmission(replace(first, manifest_sha256="1" * 64))  # same UUID
    with workspace.uow_factory() as uow:
        assert uow.received.transmissions() == [first]


def test_the_heads_of_a_sender_are_those_of_its_files(created: Created) -> None:
    _, workspace, _ = created
    _import(workspace, _received(head=AuditHead(90, "22" * 32), minutes=5))
    _import(workspace, _received(head=AuditHead(40, "11" * 32)))
    _import(workspace, _received(head=None, minutes=10))  # an empty log: no head
    _import(workspace, _received(head=AuditHead(7, "33" * 32), sender="another-installation"))
    with workspace.uow_factory() as uow:
        assert uow.received.heads_of(SENDER) == [AuditHead(40, "11" * 32), AuditHead(90, "22" * 32)]
        assert uow.received.heads_of("another-installation") == [AuditHead(7, "33" * 32)]
        assert uow.received.heads_of("unknown") == []


def test_received_istanze_come_back_equal_with_their_members(created: Created) -> None:
    _, workspace, _ = created
    transmission = _received()
    one = _istanza(transmission, "A010/2026/000001")
    two = _istanza(transmission, "B123/2026/000007", avviso="abbiatense-sad-2026")
    _import(workspace, transmission, one, two)
    istanza, contents = one
    with workspace.uow_factory() as uow:
        assert uow.received.get(istanza.id) == istanza
        assert uow.received.current("A010", "A010/2026/000001") == istanza
        assert uow.received.versions("A010", "A010/2026/000001") == [istanza]
        assert uow.received.istanze() == [istanza, two[0]]
        assert uow.received.istanze(avviso="abbiatense-sad-2026") == [two[0]]
        assert uow.received.istanze(avviso="other") == []
        for name, data in contents.items():
            assert uow.received.member_content(istanza.id, name) == data
        assert uow.received.member_content(istanza.id, "istanze/0001/other.pdf") is None
        assert uow.received.get("no-such-id") is None
        assert uow.received.current("A010", "A010/2026/000099") is None
        assert uow.received.versions("A010", "A010/2026/000099") == []
    assert [m.role for m in istanza.members] == [MemberRole.DOCUMENT, MemberRole.RECORD]


def test_a_newer_version_supersedes_the_one_held(created: Created) -> None:
    _, workspace, _ = created
    first_file = _received()
    v1 = _istanza(first_file, "A010/2026/000001", 1)
    other = _istanza(first_file, "A010/2026/000002", 1)
    _import(workspace, first_file, v1, other)
    correction = _received(minutes=30)
    v2 = _istanza(correction, "A010/2026/000001", 2)
    _import(workspace, correction, v2, supersede={v1[0].id: v2[0].id})
    old = replace(v1[0], superseded_by=v2[0].id)
    with workspace.uow_factory() as uow:
        assert uow.received.current("A010", "A010/2026/000001") == v2[0]
        assert uow.received.versions("A010", "A010/2026/000001") == [old, v2[0]]
        assert uow.received.get(v1[0].id) == old
        assert not old.current and v2[0].current
        assert uow.received.istanze(avviso=AVVISO) == [v2[0], other[0]]  # current ones only
        # the old version's bytes are still there (read-only, never deleted)
        name = "istanze/0001/istanza.json"
        assert uow.received.member_content(v1[0].id, name) == v1[1][name]
        with pytest.raises(KeyError):
            uow.received.supersede("no-such-id", by=v2[0].id)
        with pytest.raises(KeyError):
            uow.received.supersede(v2[0].id, by="no-such-id")


def test_a_version_is_received_once(created: Created) -> None:
    _, workspace, _ = created
    transmission = _received()
    istanza, contents = _istanza(transmission, "A010/2026/000001")
    _import(workspace, transmission, (istanza, contents))
    again = _received(minutes=5)
    copy = replace(istanza, id=new_id(), transmission=again.id)
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.received.add_istanza(copy, contents)  # same (comune, protocol, version)
    with workspace.uow_factory() as uow:
        assert uow.received.versions("A010", "A010/2026/000001") == [istanza]


def test_the_members_must_match_their_contents(created: Created) -> None:
    _, workspace, _ = created
    transmission = _received()
    istanza, contents = _istanza(transmission, "A010/2026/000001")
    name = "istanze/0001/documenti/01.pdf"
    for wrong in (
        {k: v for k, v in contents.items() if k != name},  # a member without its bytes
        {**contents, "istanze/0001/extra.pdf": b"x"},  # bytes of no member
        {**contents, name: contents[name] + b"!"},  # other bytes than the digest says
    ):
        with pytest.raises(ValueError), workspace.uow_factory() as uow:
            uow.received.add_istanza(istanza, wrong)


def test_an_istanza_needs_its_transmission_by_the_commit(created: Created) -> None:
    """The foreign key to the transmission is checked at commit: the import stores the istanze
    first, and an istanza of a file never stored is refused."""
    _, workspace, _ = created
    transmission = _received()
    istanza, contents = _istanza(transmission, "A010/2026/000001")
    with pytest.raises(IntegrityError), workspace.uow_factory() as uow:
        uow.received.add_istanza(istanza, contents)
        uow.commit()
    with workspace.uow_factory() as uow:
        assert uow.received.get(istanza.id) is None


def test_an_import_rolled_back_leaves_nothing(created: Created) -> None:
    _, workspace, _ = created
    transmission = _received()
    istanza, contents = _istanza(transmission, "A010/2026/000001")
    with workspace.uow_factory() as uow:
        uow.received.add_istanza(istanza, contents)
        uow.received.add_transmission(transmission)
        assert uow.received.get(istanza.id) == istanza
        uow.rollback()
    with workspace.uow_factory() as uow:
        assert uow.received.transmissions() == []
        assert uow.received.istanze() == []
        assert uow.received.heads_of(SENDER) == []
        counts = [
            uow.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in sorted(NEW_TABLES)
        ]
    assert counts == [0] * len(NEW_TABLES)


def test_damaged_receipt_lines_are_refused_naming_the_row(created: Created) -> None:
    _, workspace, _ = created
    transmission = _received()
    _import(workspace, transmission)
    bad_lines = (
        json.dumps([{"protocol": "A010/2026/000001"}]),  # bare: never written so
        '{"data":[{"protocol":"A010/2026/000001"}],"format":"caseworker.receipt-lines/1"}',
        '{"data":[{"comune":"A010","detail":"","outcome":"persa","protocol":"A010/1",'
        '"reason":null,"version":1}],"format":"caseworker.receipt-lines/1"}',
    )
    for bad in bad_lines:
        with workspace.engine.begin() as conn:
            conn.execute(
                text("UPDATE received_transmissions SET receipt_lines = :t WHERE id = :id"),
                {"t": bad, "id": transmission.id},
            )
        with pytest.raises(UserFacingError) as err, workspace.uow_factory() as uow:
            uow.received.transmission(transmission.id)
        assert err.value.code == "store.blob_damaged"
        assert err.value.params == {"kind": "caseworker.receipt-lines", "row": transmission.id}


# -- the schema -----------------------------------------------------------------------------------


def _schema(workspace: OpenStore) -> dict[str, str]:
    with workspace.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
        return {name: sql for name, sql in rows}


def test_the_received_istanze_wait_for_their_transmission_until_the_commit(
    created: Created,
) -> None:
    _, workspace, _ = created
    sql = " ".join(_schema(workspace)["received_istanze"].split())
    assert "REFERENCES received_transmissions (id) DEFERRABLE INITIALLY DEFERRED" in sql


def test_the_lookup_by_comune_and_protocol_uses_the_unique_index(created: Created) -> None:
    _, workspace, _ = created
    with workspace.engine.connect() as conn:
        plan = conn.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT * FROM received_istanze "
                "WHERE comune = 'A010' AND protocol = 'A010/1' AND superseded_by IS NULL"
            )
        ).all()
    # the unique (comune, protocol, version) constraint's index: no separate index is needed
    assert any("USING INDEX" in str(row) and "comune=? AND protocol=?" in str(row)
               for row in plan), plan  # fmt: skip


def test_revision_0010_downgrades_and_upgrades_again(created: Created) -> None:
    _, workspace, _ = created
    transmission = _received()
    _import(workspace, transmission, _istanza(transmission, "A010/2026/000001"))
    cfg = migrate.alembic_config()
    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    assert NEW_TABLES.isdisjoint(_schema(workspace))
    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert set(_schema(workspace)) >= NEW_TABLES
    with workspace.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    _import(workspace, transmission)
    with workspace.uow_factory() as uow:
        assert uow.received.transmissions() == [transmission]
