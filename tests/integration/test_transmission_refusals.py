"""Every refusal of an istruttorie file at the capofila (issue 11), on real stores: each refused
with its exact code, and the capofila's store left exactly as it was (the row count of every
table and the audit chain head), no receipt written. The hostile files are made with the real
keys read from the stores (tests/integration/transmission_forge.py); the refusals of a receipt
at the comune are in test_transmission_receipt_refusals.py.

Most tests share one ambito (module scope, ``transmission_forge.Shared``): a refusal changes
nothing, so they cannot disturb each other. The tests that store something (an older version
after a newer one, the same version with other content, new keys) make their own."""

from __future__ import annotations

import stat
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pyrage import encrypt

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.transmission import ReceiptOutcome, RejectReason, TransmissionState
from caseworker_app.services import transmissions, transmissions_reception
from caseworker_app.services.transmissions import ImportedReceipt
from caseworker_app.services.transmissions_reception import ImportedIstruttorie, receipt_name
from caseworker_app.transfer import sealed_zip
from caseworker_app.transfer.sealed import RecipientRef

from .transmission_forge import (
    Shared,
    canonical,
    craft,
    keys_of,
    new_keys,
    open_file,
    refused,
)
from .transmission_forge import reseal as reseal_
from .transmission_forge import shared as shared  # the fixture
from .transmission_stores import NOW, Ambito, make_ambito, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def refused_file(
    shared: Shared, path: Path, code: str, trust: str | None = None
) -> UserFacingError:
    error = refused(shared.store, lambda: shared.import_(path, trust), code)
    assert error.params.get("file", path.name) == path.name
    assert not (path.parent / receipt_name(path.name)).exists()  # no receipt written
    return error


# -- damaged files ----------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.5, 0.9, -1, -16])
def test_a_truncated_file_is_refused(shared: Shared, keep: float) -> None:
    data = shared.pinned.read_bytes()
    cut = int(len(data) * keep) if keep > 0 else len(data) + int(keep)
    target = shared.name()
    target.write_bytes(data[:cut])
    refused_file(shared, target, "transfer.damaged")


def test_a_file_cut_inside_the_age_magic_is_damaged_and_an_empty_one_empty(shared: Shared) -> None:
    target = shared.name()
    target.write_bytes(shared.pinned.read_bytes()[:10])
    refused_file(shared, target, "transfer.damaged")
    target.write_bytes(b"")
    refused_file(shared, target, "transfer.empty")


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("magic", "transfer.not_age"),
        # a recipient stanza: if it is the capofila's, the file key no longer unwraps with its
        # identity (age cannot tell a damaged stanza from one for somebody else); if it is the
        # comune's, the capofila's opens and the header's MAC does not match. Which stanza comes
        # first is age's business, and a changed character may also break the header's syntax
        ("first_stanza", "transfer.damaged|transfer.not_for_this_installation"),
        ("second_stanza", "transfer.damaged|transfer.not_for_this_installation"),
        ("header_mac", "transfer.damaged"),
        ("middle", "transfer.damaged"),
        ("last", "transfer.damaged"),
    ],
)
def test_one_flipped_byte_is_refused(shared: Shared, where: str, code: str) -> None:
    data = bytearray(shared.pinned.read_bytes())
    first = data.index(b"\n-> X25519 ")
    second = data.index(b"\n-> X25519 ", first + 1)
    mac = data.index(b"\n--- ") + 5  # the header's MAC, after "--- "
    offsets = {"magic": 3, "first_stanza": first + 15, "second_stanza": second + 15,
               "header_mac": mac + 5, "middle": len(data) // 2, "last": len(data) - 1}  # fmt: skip
    offset = offsets[where]
    data[offset] ^= 0x01
    target = shared.name()
    target.write_bytes(bytes(data))
    before = snapshot(shared.store)
    with pytest.raises(UserFacingError) as caught:
        shared.import_(target, None)
    assert caught.value.code in code.split("|"), caught.value.code
    assert snapshot(shared.store) == before
    assert not (target.parent / receipt_name(target.name)).exists()  # no receipt written


# -- who it is for, who sent it ------------------------------------------------------------------


def test_a_file_addressed_to_another_capofila_is_refused(shared: Shared) -> None:
    """Encrypted to this capofila, signed by the pinned comune key, but its manifest names
    another recipient's fingerprint."""
    other = new_keys(shared.capofila.sender)
    forged = shared.reseal(
        shared.opened(),
        transmission=uuid.uuid4(),
        recipient=RecipientRef(other.fingerprint, other.sender.age_recipient),
    )
    refused_file(shared, forged, "transmission.not_for_us")


def test_a_file_encrypted_for_another_capofila_does_not_open(shared: Shared) -> None:
    other = new_keys(shared.capofila.sender)
    forged = reseal_(shared.name(), shared.opened(), signer=shared.comune, to=other)
    refused_file(shared, forged, "transfer.not_for_this_installation")


def test_a_file_signed_by_unconfirmed_keys_needs_the_fingerprint(shared: Shared) -> None:
    error = refused_file(shared, shared.unknown, "transmission.key_unconfirmed")
    assert error.params["fingerprint"] == shared.ambito.fingerprint(shared.ambito.comuni["B448"])


def test_a_wrong_fingerprint_is_refused(shared: Shared) -> None:
    wrong = "1" * 40
    error = refused_file(shared, shared.unknown, "transmission.fingerprint_mismatch", trust=wrong)
    assert error.params["fingerprint"] == shared.ambito.fingerprint(shared.ambito.comuni["B448"])
    # also for a pinned installation
    refused_file(shared, shared.reseal(shared.opened(), transmission=uuid.uuid4()),
                 "transmission.fingerprint_mismatch", trust=wrong)  # fmt: skip


def test_other_keys_for_a_pinned_installation_are_refused(shared: Shared) -> None:
    impostor = new_keys(shared.comune.sender)  # the same installation id, other keys
    forged = shared.reseal(shared.opened(), signer=impostor, transmission=uuid.uuid4())
    error = refused_file(shared, forged, "transmission.key_changed")
    assert error.params["fingerprint"] == impostor.display


def test_the_pinned_sender_block_with_another_signature_is_refused(shared: Shared) -> None:
    """The manifest claims the pinned comune; another key signed it."""
    opened = shared.opened()
    opened.manifest["transmission"] = str(uuid.uuid4())
    impostor = new_keys(shared.comune.sender)
    forged = craft(
        shared.name(), opened, signer=impostor, to=shared.capofila, manifest=opened.manifest
    )
    refused_file(shared, forged, "transfer.signature_invalid")


def test_another_installation_for_a_comune_already_pinned_is_refused(shared: Shared) -> None:
    other = new_keys(shared.comune.sender, installation=str(uuid.uuid4()))
    forged = shared.reseal(shared.opened(), signer=other, transmission=uuid.uuid4())
    error = refused_file(shared, forged, "transmission.comune_other_key", trust=other.display)
    assert error.params["comune"] == "A127"
    refused_file(shared, forged, "transmission.comune_other_key")


def test_a_sender_of_another_ambito_or_role_is_refused(shared: Shared) -> None:
    elsewhere = new_keys(shared.comune.sender, ambito="alto-basso-pavese")
    forged = shared.reseal(shared.opened(), signer=elsewhere, transmission=uuid.uuid4())
    refused_file(shared, forged, "transmission.other_ambito", trust=elsewhere.display)
    capofila = new_keys(shared.comune.sender, role="capofila")
    forged = shared.reseal(shared.opened(), signer=capofila, transmission=uuid.uuid4())
    refused_file(shared, forged, "transmission.sender_not_comune", trust=capofila.display)


# -- versions of the format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found", "code"),
    [
        ("caseworker.istruttorie/2", "transfer.istruttorie_format_newer"),
        ("caseworker.istruttorie/0", "transfer.istruttorie_format_unknown"),
        ("caseworker.esiti/1", "transfer.istruttorie_format_unknown"),
    ],
)
def test_a_payload_of_another_version_is_refused(shared: Shared, found: str, code: str) -> None:
    payload = {**shared.opened().payload, "format": found}
    forged = shared.reseal(shared.opened(), payload=payload, transmission=uuid.uuid4())
    refused_file(shared, forged, code)


@pytest.mark.parametrize(
    ("found", "code"),
    [
        ("caseworker.transfer/2", "transfer.format_newer"),
        ("caseworker.transfer/0", "transfer.format_unknown"),
        ("other.transfer/1", "transfer.format_unknown"),
    ],
)
def test_a_manifest_of_another_version_is_refused(shared: Shared, found: str, code: str) -> None:
    opened = shared.opened()
    manifest = {**opened.manifest, "format": found, "transmission": str(uuid.uuid4())}
    forged = craft(shared.name(), opened, signer=shared.comune, to=shared.capofila,
                   manifest=manifest)  # fmt: skip
    refused_file(shared, forged, code)


# -- the archive ---------------------------------------------------------------------------------


def _link() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("istanze/0001/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ([("../../evil.txt", b"x")], "transfer.member_name_unsafe"),
        ([("istanze/../../evil.txt", b"x")], "transfer.member_name_unsafe"),
        ([("/etc/passwd", b"x")], "transfer.member_name_unsafe"),
        ([(_link(), b"/etc/passwd")], "transfer.member_not_regular"),
        ([("bomb.bin", bytes(8 * 1024 * 1024))], "transfer.compression_ratio"),
        (
            [(f"m/{i:05d}", b"") for i in range(sealed_zip.MAX_MEMBERS + 1)],
            "transfer.too_many_members",
        ),
    ],
    ids=["dotdot", "inner-dotdot", "absolute", "symlink", "zip-bomb", "too-many"],
)
def test_a_hostile_archive_is_refused_by_the_container(
    shared: Shared, extra: list[tuple[zipfile.ZipInfo | str, bytes]], code: str
) -> None:
    opened = shared.opened()
    opened.manifest["transmission"] = str(uuid.uuid4())
    forged = craft(shared.name(), opened, signer=shared.comune, to=shared.capofila, extra=extra)
    refused_file(shared, forged, code)


def test_the_hand_made_archive_is_accepted_without_a_defect(shared: Shared) -> None:
    """The control for the archive refusals: ``craft`` of the file, unchanged, signed by the
    pinned key, is the same content (the same manifest) and so "già importato"."""
    forged = craft(shared.name(), shared.opened(), signer=shared.comune, to=shared.capofila)
    before = snapshot(shared.store)
    result = shared.import_(forged)
    assert isinstance(result, ImportedIstruttorie) and result.already_imported
    assert snapshot(shared.store) == before


# -- the content ---------------------------------------------------------------------------------


def test_a_record_that_fails_validation_is_refused(shared: Shared) -> None:
    opened = shared.opened()
    member = opened.record_member()
    record = opened.json(member)
    record["beneficiary"]["sex"] = "X"
    opened.change(member, canonical(record))
    forged = shared.reseal(opened, transmission=uuid.uuid4())
    error = refused_file(shared, forged, "transmission.record_invalid")
    assert (error.params["member"], error.params["field"]) == (member, "beneficiary.sex")


def test_a_record_of_another_istanza_is_refused(shared: Shared) -> None:
    opened = shared.opened()
    member = opened.record_member()
    record = opened.json(member)
    record["id"] = "A127-2023-999999"
    opened.change(member, canonical(record))
    forged = shared.reseal(opened, transmission=uuid.uuid4())
    error = refused_file(shared, forged, "transfer.istruttorie_invalid")
    assert error.params["field"] == member


def test_a_member_that_is_not_what_istruttoria_json_says_is_refused(shared: Shared) -> None:
    opened = shared.opened()
    pdf = "istanze/0001/pi.pdf"
    opened.members[pdf] += b"\n% changed\n"  # the manifest lists it (write_sealed), istruttoria not
    forged = shared.reseal(opened, transmission=uuid.uuid4())
    error = refused_file(shared, forged, "transfer.istruttorie_invalid")
    assert error.params["field"] == pdf


@pytest.mark.parametrize(
    "change", ["unclaimed", "no_attestazione", "item_missing", "payload_version"]
)
def test_members_and_payload_must_agree(shared: Shared, change: str) -> None:
    opened = shared.opened()
    payload = opened.payload
    field = {"unclaimed": "istanze/0001/extra.pdf", "no_attestazione": "attestazione.pdf",
             "item_missing": "istanze/0002/istruttoria.json",
             "payload_version": "istanze/0001/istruttoria.json"}[change]  # fmt: skip
    if change == "unclaimed":
        opened.members[field] = b"%PDF-1.7\n"
    elif change == "no_attestazione":
        del opened.members[field]
    elif change == "item_missing":
        payload["istanze"] = [
            *payload["istanze"],
            {**payload["istanze"][0], "folder": "istanze/0002", "protocol": "A127-2023-999999"},
        ]
    else:
        payload["istanze"] = [{**payload["istanze"][0], "version": 2}]
    forged = shared.reseal(opened, payload=payload, transmission=uuid.uuid4())
    error = refused_file(shared, forged, "transfer.istruttorie_invalid")
    assert error.params["field"] == field


def test_a_replayed_transmission_id_with_other_content_is_refused(shared: Shared) -> None:
    opened = shared.opened()
    opened.change("istanze/0001/pi.pdf", opened.members["istanze/0001/pi.pdf"] + b"\n%x\n")
    forged = shared.reseal(opened)  # the UUID of the file imported
    refused_file(shared, forged, "transmission.replayed")


def test_the_same_file_twice_changes_nothing(shared: Shared) -> None:
    before = snapshot(shared.store)
    again = shared.import_(shared.pinned)
    assert isinstance(again, ImportedIstruttorie) and again.already_imported
    # the same content encrypted again is the same file (its identity is the manifest's)
    copy = shared.name()
    copy.write_bytes(bytes(encrypt(shared.opened().archive, [shared.capofila.recipient])))
    assert copy.read_bytes() != shared.pinned.read_bytes()
    assert shared.import_(copy).already_imported  # type: ignore[attr-defined]
    assert snapshot(shared.store) == before


def test_an_istruttorie_file_is_refused_at_a_comune(shared: Shared) -> None:
    to_comune = reseal_(shared.name(), shared.opened(), signer=shared.comune, to=shared.comune)
    refused(shared.a127, lambda: shared.ambito.import_(shared.a127, to_comune),
            "transmission.not_capofila")  # fmt: skip


# -- versions of an istanza (these store something: an ambito each) -------------------------------


@pytest.fixture
def ambito(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Ambito]:
    yield from make_ambito(tmp_path, make_vault)


def _correct_and_export(ambito: Ambito, code: str, istanza: IstanzaId) -> Path:
    """A correction of the istanza's evaluation, sent again (version 2)."""
    store = ambito.comuni[code]
    with store.uow_factory() as uow:
        found = uow.istanze.get(istanza)
        assert found is not None
        record = uow.records.of_case(found.case_id, "evaluation")[-1]
        data = dict(record.data)
        data["summary"] = str(data.get("summary", "")) + " Aggiornata."
        uow.records.put(replace(record, data=data))
        uow.commit()
    return ambito.export(code, ids=[istanza])


def _sent_ids(ambito: Ambito, code: str) -> list[IstanzaId]:
    store = ambito.comuni[code]
    states = transmissions.transmission_states(store.uow_factory(), actor=store.actor)
    return [IstanzaId(i) for i, s in states.items() if s is TransmissionState.INVIATA]


def _versions(ambito: Ambito, code: str, protocol: str) -> list[tuple[int, bool]]:
    rows = transmissions_reception.received_versions(
        ambito.capofila.uow_factory(), actor=ambito.capofila.actor, comune=code, protocol=protocol
    )
    return [(v.version, v.current) for v in rows]


def test_an_older_version_after_a_newer_one_is_rejected_as_stale(ambito: Ambito) -> None:
    code, store = "A127", ambito.comuni["A127"]
    first = ambito.export(code)
    (target,) = _sent_ids(ambito, code)
    second = _correct_and_export(ambito, code, target)
    trust = ambito.fingerprint(store)
    newer = ambito.import_(ambito.capofila, second, trust=trust)
    assert isinstance(newer, ImportedIstruttorie)
    assert [(ln.version, ln.outcome) for ln in newer.lines] == [(2, ReceiptOutcome.ACCETTATA)]
    with store.uow_factory() as uow:
        istanza = uow.istanze.get(target)
        assert istanza is not None and istanza.protocol is not None
        protocol = istanza.protocol
    before = snapshot(ambito.capofila)
    older = ambito.import_(ambito.capofila, first)
    assert isinstance(older, ImportedIstruttorie) and not older.already_imported
    line = older.lines[0]
    assert (line.version, line.outcome, line.reason) == (
        1, ReceiptOutcome.RESPINTA, RejectReason.STALE,
    )  # fmt: skip
    assert "2" in line.detail
    after = snapshot(ambito.capofila)
    # only the transmission and its audit event: no istanza stored for it
    assert after[0]["received_istanze"] == before[0]["received_istanze"]
    assert _versions(ambito, code, protocol) == [(2, True)]
    # the receipt goes back and the comune sees the rejection
    assert older.receipt is not None
    got = ambito.import_(store, older.receipt)
    assert isinstance(got, ImportedReceipt) and (got.accepted, got.rejected) == (0, 1)


def test_the_same_version_with_other_content_is_rejected_as_a_conflict(ambito: Ambito) -> None:
    code, store = "A127", ambito.comuni["A127"]
    first = ambito.export(code)
    ambito.import_(ambito.capofila, first, trust=ambito.fingerprint(store))
    opened = open_file(first, ambito.capofila)
    pdf = "istanze/0001/pi.pdf"
    original = opened.members[pdf]
    opened.change(pdf, original + b"\n% another signature\n")
    forged = reseal_(
        ambito.usb / "conflict.cwt",
        opened,
        signer=keys_of(store),
        to=keys_of(ambito.capofila),
        transmission=uuid.uuid4(),
    )
    before = snapshot(ambito.capofila)
    result = ambito.import_(ambito.capofila, forged)
    assert isinstance(result, ImportedIstruttorie)
    line = result.lines[0]
    assert (line.version, line.outcome, line.reason) == (
        1, ReceiptOutcome.RESPINTA, RejectReason.CONFLICT,
    )  # fmt: skip
    assert snapshot(ambito.capofila)[0]["received_istanze"] == before[0]["received_istanze"]
    held = transmissions_reception.received_istanze(
        ambito.capofila.uow_factory(), actor=ambito.capofila.actor
    )
    (row,) = held
    data = transmissions_reception.received_member(
        ambito.capofila.uow_factory(),
        actor=ambito.capofila.actor,
        received_id=row.id,
        name=pdf,
        now=NOW,
    )
    assert data == original


def test_new_keys_confirmed_by_phone_replace_the_pinned_ones_which_are_then_revoked(
    ambito: Ambito,
) -> None:
    code, store = "A127", ambito.comuni["A127"]
    first = ambito.export(code)
    old = keys_of(store)
    ambito.import_(ambito.capofila, first, trust=old.display)
    capofila = keys_of(ambito.capofila)
    opened = open_file(first, ambito.capofila)
    rotated = new_keys(old.sender)  # the same installation, its keys changed
    later = reseal_(ambito.usb / "new-keys.cwt", opened, signer=rotated, to=capofila,
                    transmission=uuid.uuid4())  # fmt: skip
    before = snapshot(ambito.capofila)
    with pytest.raises(UserFacingError) as caught:
        ambito.import_(ambito.capofila, later)
    assert caught.value.code == "transmission.key_changed"
    assert snapshot(ambito.capofila) == before
    accepted = ambito.import_(ambito.capofila, later, trust=rotated.display)
    assert isinstance(accepted, ImportedIstruttorie) and accepted.pinned
    assert [ln.outcome for ln in accepted.lines] == [ReceiptOutcome.GIA_RICEVUTA]
    # a file signed by the old keys now: refused, even with their fingerprint
    stale_keys = reseal_(ambito.usb / "old-keys.cwt", opened, signer=old, to=capofila,
                         transmission=uuid.uuid4())  # fmt: skip
    before = snapshot(ambito.capofila)
    for trust in (None, old.display):
        with pytest.raises(UserFacingError) as caught:
            ambito.import_(ambito.capofila, stale_keys, trust=trust)
        assert caught.value.code == "transmission.key_revoked"
    assert snapshot(ambito.capofila) == before
