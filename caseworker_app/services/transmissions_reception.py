"""Use cases of the transmission at the capofila: import the istruttorie, answer with a receipt.

A file of kind ``istruttorie`` (docs/transfer-format.md §10) is checked in this order, and the
first failure refuses it whole, with nothing written: the sender is a comune of this ambito;
its key is the one pinned for that installation (at first contact: once the fingerprint was
confirmed by phone, ``trust_fingerprint``), and no other installation holds a confirmed key
for its comuni; the signature, the members and their digests (the container); the file is
for this capofila; its UUID was not imported before with other content (a replay); every
istruttoria and record reads strictly and says what the manifest says. Then, per istanza: a
new one is stored, a newer version supersedes the one held, the same version again changes
nothing, an older version or the same version with other content is rejected (in the
receipt, with the reason). Everything is written in one transaction with the receipt.

The same file twice changes nothing and gives the same receipt again ("già importato").
The received istanze are kept as received, read-only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from caseworker_app import __version__, fsutil
from caseworker_app.definitions.ambiti import Ambito, get_ambito
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain import stored_formats
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.installation_keys import (
    Fingerprint,
    PeerKey,
    PeerKeyStatus,
    fingerprint_of,
    parse_fingerprint,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.stored_formats import BlobKind
from caseworker_app.domain.transmission import (
    ATTESTAZIONE_MEMBER,
    KIND,
    RECEIPT_KIND,
    RECEIPT_MEMBER,
    Istruttoria,
    IstruttoriePayload,
    MemberRole,
    Receipt,
    ReceiptLine,
    ReceiptOutcome,
    ReceivedIstanza,
    ReceivedMember,
    ReceivedTransmission,
    RejectReason,
    chain_rewritten,
)
from caseworker_app.messages import render
from caseworker_app.ports.storage import Installation, UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import audit_log
from caseworker_app.services.transfer_parties import (
    aware,
    bundle_of,
    local,
    own_fingerprints,
    own_party,
    same_keys,
)
from caseworker_app.transfer.istanza_record import RecordError, read_istanza
from caseworker_app.transfer.istruttorie_json import (
    read_istruttoria,
    read_payload,
    receipt_json,
    receipt_payload,
)
from caseworker_app.transfer.sealed import Envelope, RecipientRef, SealedFile, write_sealed
from caseworker_app.transfer.sealed_write import publish
from caseworker_app.transfer.sheet_json import read_sheet

AUDIT_ENTITY = "trasmissione_ricevuta"
ISTANZA_ENTITY = "istanza_ricevuta"
PEER_AUDIT_ENTITY = "chiavi_comune"


@dataclass(frozen=True)
class ImportedIstruttorie:
    file: str
    transmission: ReceivedTransmission
    already_imported: bool
    pinned: bool  # the comune's keys were pinned now (first file)
    receipt: Path | None  # where the receipt was written

    @property
    def lines(self) -> tuple[ReceiptLine, ...]:
        return self.transmission.receipt_lines

    @property
    def fingerprint(self) -> Fingerprint:
        return parse_fingerprint(self.transmission.sender_fingerprint)


@dataclass(frozen=True)
class _Item:
    """One istruttoria read from the file, before it is judged against what is held."""

    istruttoria: Istruttoria
    record: bytes
    record_sha256: str
    members: tuple[ReceivedMember, ...]
    contents: Mapping[str, bytes]


def import_istruttorie_envelope(
    uow: UnitOfWork,
    *,
    actor: Actor,
    envelope: Envelope,
    trust_fingerprint: str | None,
    receipt_out: Path,
    now: datetime,
) -> ImportedIstruttorie:
    """See the module docstring; inside the caller's open unit of work, committed here."""
    actor.require(Permission.TRANSMIT)
    installation = _capofila(uow)
    file = envelope.file
    sender = envelope.sender
    if sender.role != "comune":
        raise UserFacingError("transmission.sender_not_comune", file=file)
    if sender.ambito != installation.ambito:
        raise UserFacingError("transmission.other_ambito", file=file, ambito=sender.ambito)
    held = uow.received.transmission_by_manifest(envelope.manifest_sha256)
    if held is not None:  # this very file: verify it as before, change nothing
        envelope.verify(transfer_keys.load_signing_public(_signer(uow, held)), kinds={KIND})
        _write_receipt_again(held, receipt_out)
        return ImportedIstruttorie(file, held, True, False, receipt_out)

    offered = fingerprint_of(sender.signing_public, sender.age_recipient)
    pinned = _pinned(uow, sender.installation)
    # the file's own key proves it intact (and which key to confirm), not who sent it: that is
    # the pinned key's, or the fingerprint's, job below; nothing is said of the keys held here
    # before the file is known to be whole
    sealed = envelope.verify(transfer_keys.load_signing_public(sender.signing_public), kinds={KIND})
    if trust_fingerprint is not None and not parse_fingerprint(trust_fingerprint).matches(offered):
        raise UserFacingError(
            "transmission.fingerprint_mismatch", file=file, fingerprint=offered.display
        )
    seen = uow.keys.get_peer(sender.installation, sender.signing_public)
    if seen is not None and seen.status is PeerKeyStatus.REVOCATA:
        raise UserFacingError("transmission.key_revoked", file=file, fingerprint=offered.display)
    # new keys of a known installation: accepted once their fingerprint was confirmed by phone
    # (the comune changed keys, ``keys rotate``); the old ones are then revoked
    replaced = pinned if pinned is not None and not same_keys(pinned.bundle, sender) else None
    if replaced is not None and trust_fingerprint is None:
        raise UserFacingError("transmission.key_changed", file=file, fingerprint=offered.display)
    _refuse_other_holder(uow, sender.installation, tuple(sender.comuni), file)
    if pinned is None and trust_fingerprint is None:
        raise UserFacingError(
            "transmission.key_unconfirmed", file=file, fingerprint=offered.display
        )
    if sealed.manifest.recipient.fingerprint not in own_fingerprints(uow):
        raise UserFacingError("transmission.not_for_us", file=file)
    transmission_id = str(sealed.manifest.transmission)
    if uow.received.transmission(transmission_id) is not None:
        raise UserFacingError("transmission.replayed", file=file)
    payload = read_payload(sealed.manifest.payload, file=file)
    items = _read_items(sealed, payload)

    ambito = get_ambito(installation.ambito)
    lines: list[ReceiptLine] = []
    stored: list[tuple[_Item, ReceivedIstanza | None]] = []
    for item in items:
        line, previous = _judge(uow, item, tuple(sender.comuni), ambito)
        lines.append(line)
        if line.outcome in (ReceiptOutcome.ACCETTATA, ReceiptOutcome.SOSTITUISCE):
            stored.append((item, previous))

    heads = uow.received.heads_of(sender.installation)
    rewritten = chain_rewritten(heads, sealed.manifest.audit_head, payload.audit_chain)
    warning = (
        "" if rewritten is None else render("transmission.chain_rewritten", {"seq": rewritten.seq})
    )
    pinned_now = pinned is None or replaced is not None
    if replaced is not None:
        uow.keys.save_peer(replace(replaced, status=PeerKeyStatus.REVOCATA))
        _audit(uow, actor, AuditAction.UPDATE, PEER_AUDIT_ENTITY, replaced.fingerprint.digits, now)
    if pinned_now:
        first_seen = seen.first_seen_at if seen is not None else now
        uow.keys.save_peer(
            PeerKey(bundle_of(sender), PeerKeyStatus.CONFERMATA, first_seen, now, actor.username)
        )
        _audit(uow, actor, AuditAction.CREATE, PEER_AUDIT_ENTITY, offered.digits, now)
    for item, previous in stored:
        received = _store(uow, item, sender.installation, transmission_id, now)
        if previous is not None:
            uow.received.supersede(previous.id, by=received.id)
        _audit(uow, actor, AuditAction.CREATE, ISTANZA_ENTITY, received.id, now)
    receipt = Receipt(
        transmission_id, sealed.manifest_sha256, aware(now), installation.store_id, tuple(lines)
    )
    receipt_bytes = _write_receipt(uow, actor, receipt, sealed, receipt_out, now)
    try:
        record = ReceivedTransmission(
            id=transmission_id,
            sender=sender.installation,
            sender_fingerprint=offered.digits,
            comuni=tuple(sender.comuni),
            file_name=file,
            manifest_sha256=sealed.manifest_sha256,
            created_at=local(sealed.manifest.created_at),
            imported_at=now,
            imported_by=actor.username,
            audit_head=sealed.manifest.audit_head,
            chain_warning=warning,
            receipt=receipt_bytes,
            receipt_lines=tuple(lines),
        )
        uow.received.add_transmission(record)
        _audit(uow, actor, AuditAction.IMPORT, AUDIT_ENTITY, transmission_id, now)
        uow.commit()
    except BaseException:
        receipt_out.unlink(missing_ok=True)
        raise
    return ImportedIstruttorie(file, record, False, pinned_now, receipt_out)


# -- reading the file -----------------------------------------------------------------------------


def _read_items(sealed: SealedFile, payload: IstruttoriePayload) -> list[_Item]:
    """Every istruttoria of the file, read strictly; the file is refused at the first problem,
    and when it holds a member no istruttoria names (or lacks the attestazione)."""
    file = sealed.file
    entries = {m.name: m for m in sealed.manifest.members}
    claimed = {ATTESTAZIONE_MEMBER}
    items = []
    for ref in payload.istanze:
        if ref.item_member not in entries:
            raise _invalid(file, ref.item_member)
        istruttoria = read_istruttoria(
            sealed.read(ref.item_member), file=file, member=ref.item_member, folder=ref.folder
        )
        if (istruttoria.protocol, istruttoria.comune, istruttoria.version) != (
            ref.protocol,
            ref.comune,
            ref.version,
        ):
            raise _invalid(file, ref.item_member)
        claimed.add(ref.item_member)
        contents: dict[str, bytes] = {}
        members = []
        for member in istruttoria.members:
            entry = entries.get(member.name)
            if entry is None or entry.sha256 != member.sha256 or member.name in claimed:
                raise _invalid(file, member.name)
            claimed.add(member.name)
            data = sealed.read(member.name)
            _check_member(file, member.name, member.role, data)
            contents[member.name] = data
            members.append(
                ReceivedMember(
                    member.name,
                    member.role,
                    member.code,
                    member.mime,
                    member.title,
                    member.sha256,
                    len(data),
                )
            )
        record_member = istruttoria.member(MemberRole.RECORD)
        assert record_member is not None  # the reader requires one
        record = contents[record_member.name]
        _check_record(file, record_member.name, record, istruttoria)
        items.append(
            _Item(istruttoria, record, hashlib.sha256(record).hexdigest(), tuple(members), contents)
        )
    if ATTESTAZIONE_MEMBER not in entries or set(entries) != claimed:
        unclaimed = sorted(set(entries) - claimed) or [ATTESTAZIONE_MEMBER]
        raise _invalid(file, unclaimed[0])
    return items


def _check_record(file: str, member: str, raw: bytes, istruttoria: Istruttoria) -> None:
    try:
        avviso: Avviso | None = get_avviso(istruttoria.avviso)
    except UserFacingError:
        avviso = None  # rejected in the receipt (not an avviso of this ambito)
    try:
        record = read_istanza(raw, source=f"{file}: {member}", avviso=avviso)
    except RecordError as exc:
        raise UserFacingError(
            "transmission.record_invalid",
            file=file,
            member=member,
            field=exc.field,
            what=exc.what,
        ) from None
    if (record.id, record.comune, record.avviso) != (
        istruttoria.protocol,
        istruttoria.comune,
        istruttoria.avviso,
    ):
        raise _invalid(file, member)


def _check_member(file: str, name: str, role: MemberRole, data: bytes) -> None:
    """The JSON members read as their format says (a PDF or scan is kept as it came)."""
    try:
        if role is MemberRole.EVALUATION:
            stored_formats.decode_object(BlobKind.SECTION_RECORD, data.decode(), row=name)
        elif role is MemberRole.PI:
            stored_formats.decode_object(BlobKind.PI_CONTENT, data.decode(), row=name)
        elif role is MemberRole.ASSESSMENT:
            read_sheet(data, file=file, member=name)
        elif role in (MemberRole.PI_PDF,) and not data.startswith(b"%PDF-"):
            raise _invalid(file, name)
    except UnicodeDecodeError:
        raise _invalid(file, name) from None
    except UserFacingError as exc:
        if exc.code.startswith("transfer."):
            raise
        raise _invalid(file, name) from None


def _invalid(file: str, field: str) -> UserFacingError:
    return UserFacingError("transfer.istruttorie_invalid", file=file, field=field)


# -- judging each istanza -------------------------------------------------------------------------


def _judge(
    uow: UnitOfWork,
    item: _Item,
    sender_comuni: tuple[str, ...],
    ambito: Ambito,
) -> tuple[ReceiptLine, ReceivedIstanza | None]:
    i = item.istruttoria

    def line(
        outcome: ReceiptOutcome, reason: RejectReason | None = None, **params: object
    ) -> ReceiptLine:
        detail = "" if reason is None else render(f"transmission.reject.{reason.value}", params)
        return ReceiptLine(i.protocol, i.comune, i.version, outcome, reason, detail)

    if i.comune not in sender_comuni:
        return line(ReceiptOutcome.RESPINTA, RejectReason.COMUNE_NOT_SENDER), None
    if ambito.comune(i.comune) is None:
        return line(ReceiptOutcome.RESPINTA, RejectReason.COMUNE_NOT_IN_AMBITO), None
    if i.avviso not in ambito.avvisi:
        return line(ReceiptOutcome.RESPINTA, RejectReason.AVVISO_UNKNOWN), None
    held = uow.received.current(i.comune, i.protocol)
    if held is None:
        return line(ReceiptOutcome.ACCETTATA), None
    if held.version < i.version:
        return line(ReceiptOutcome.SOSTITUISCE), held
    if held.version == i.version and _same(held, item):
        return line(ReceiptOutcome.GIA_RICEVUTA), None
    if held.version == i.version:
        return line(ReceiptOutcome.RESPINTA, RejectReason.CONFLICT, version=held.version), None
    return line(ReceiptOutcome.RESPINTA, RejectReason.STALE, version=held.version), None


def _same(held: ReceivedIstanza, item: _Item) -> bool:
    return held.record_sha256 == item.record_sha256 and {
        (m.name.split("/", 2)[-1], m.sha256) for m in held.members
    } == {(m.name.split("/", 2)[-1], m.sha256) for m in item.members}


def _store(
    uow: UnitOfWork, item: _Item, sender: str, transmission: str, now: datetime
) -> ReceivedIstanza:
    i = item.istruttoria
    received = ReceivedIstanza(
        id=new_id(),
        comune=i.comune,
        protocol=i.protocol,
        version=i.version,
        avviso=i.avviso,
        avviso_version=i.avviso_version,
        sender=sender,
        transmission=transmission,
        received_at=now,
        submitted_at=local(i.submitted_at),
        evaluation_included=i.evaluation_included,
        record=item.record,
        record_sha256=item.record_sha256,
        members=item.members,
    )
    uow.received.add_istanza(received, item.contents)
    return received


# -- keys -----------------------------------------------------------------------------------------


def _capofila(uow: UnitOfWork) -> Installation:
    installation = uow.installation.get()
    if installation.role != "capofila":
        raise UserFacingError("transmission.not_capofila")
    return installation


def _pinned(uow: UnitOfWork, installation_id: str) -> PeerKey | None:
    confirmed = [
        p for p in uow.keys.peers_of(installation_id) if p.status is PeerKeyStatus.CONFERMATA
    ]
    return max(confirmed, key=lambda p: p.confirmed_at or p.first_seen_at, default=None)


def _signer(uow: UnitOfWork, held: ReceivedTransmission) -> str:
    for peer in uow.keys.peers_of(held.sender):
        if peer.fingerprint.digits == held.sender_fingerprint:
            return peer.bundle.signing_public
    raise UserFacingError(
        "transmission.key_changed",
        file=held.file_name,
        fingerprint=parse_fingerprint(held.sender_fingerprint).display,
    )


def _refuse_other_holder(
    uow: UnitOfWork, installation_id: str, comuni: tuple[str, ...], file: str
) -> None:
    """Only one installation sends for a comune: the one whose key was confirmed for it."""
    for peer in uow.keys.list_peers(PeerKeyStatus.CONFERMATA):
        if peer.bundle.installation == installation_id or peer.bundle.role != "comune":
            continue
        shared = sorted(set(peer.bundle.comuni) & set(comuni))
        if shared:
            raise UserFacingError("transmission.comune_other_key", file=file, comune=shared[0])


# -- the receipt ----------------------------------------------------------------------------------


def receipt_name(imported: str) -> str:
    """The receipt's file name beside the file it answers: ``A010-20240301-001-ricevuta.cwt``."""
    stem = imported[:-4] if imported.endswith(".cwt") else imported
    return f"{stem}-ricevuta.cwt"


def _write_receipt(
    uow: UnitOfWork,
    actor: Actor,
    receipt: Receipt,
    sealed: SealedFile,
    out: Path,
    now: datetime,
) -> bytes:
    party = own_party(uow, now=now, actor=actor.username)
    sender = sealed.manifest.sender
    result = write_sealed(
        out,
        kind=RECEIPT_KIND,
        sender=party.sender,
        signing_key=party.signing_key,
        recipients=[transfer_keys.load_recipient(sender.age_recipient), party.own_recipient],
        recipient=RecipientRef(
            fingerprint_of(sender.signing_public, sender.age_recipient).digits,
            sender.age_recipient,
        ),
        members={RECEIPT_MEMBER: receipt_json(receipt)},
        payload=receipt_payload(),
        app_version=__version__,
        created_at=aware(now),
    )
    return result.path.read_bytes()


def _write_receipt_again(held: ReceivedTransmission, out: Path) -> None:
    """The receipt of a file imported before, written again (the comune may have lost it)."""
    if out.exists():
        if out.read_bytes() == held.receipt:
            return
        raise UserFacingError("transfer.target_exists", file=out.name)
    tmp = fsutil.temp_name(out.parent, suffix=".part")
    with fsutil.open_private(tmp) as handle:
        handle.write(held.receipt)
    publish(tmp, out, name=out.name, overwrite=False)


def _audit(
    uow: UnitOfWork, actor: Actor, action: AuditAction, entity: str, entity_id: str, at: datetime
) -> None:
    audit_log.record(
        uow, actor=actor, action=action, entity_type=entity, entity_id=entity_id, at=at
    )


# -- what the Ricezione page shows ----------------------------------------------------------------


def received_istanze(
    uow: UnitOfWork, *, actor: Actor, avviso: str | None = None
) -> list[ReceivedIstanza]:
    """The received istanze (their current versions), by comune and protocol."""
    actor.require(Permission.READ_CASES)
    with uow:
        _capofila(uow)
        rows = uow.received.istanze(avviso=avviso)
    return sorted(rows, key=lambda r: (r.avviso, r.comune, r.protocol))


def received_transmissions(uow: UnitOfWork, *, actor: Actor) -> list[ReceivedTransmission]:
    actor.require(Permission.READ_CASES)
    with uow:
        _capofila(uow)
        return uow.received.transmissions()


def received_versions(
    uow: UnitOfWork, *, actor: Actor, comune: str, protocol: str
) -> list[ReceivedIstanza]:
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.received.versions(comune, protocol)


def received_member(
    uow: UnitOfWork, *, actor: Actor, received_id: str, name: str, now: datetime
) -> bytes:
    """A document, sheet or PI of a received istanza (audited read: it is personal data)."""
    actor.require(Permission.READ_HEALTH)
    with uow:
        data = uow.received.member_content(received_id, name)
        if data is None:
            raise UserFacingError("transmission.member_not_found")
        _audit(uow, actor, AuditAction.READ, ISTANZA_ENTITY, received_id, now)
        uow.commit()
    return data


def awaiting_keys(uow: UnitOfWork, *, actor: Actor) -> list[tuple[str, str]]:
    """The ambito's comuni (code, name) for which no comune's key is confirmed yet."""
    actor.require(Permission.READ_CASES)
    with uow:
        installation = _capofila(uow)
        covered = {
            c
            for p in uow.keys.list_peers(PeerKeyStatus.CONFERMATA)
            if p.bundle.role == "comune"
            for c in p.bundle.comuni
        }
        ambito = get_ambito(installation.ambito)
        return [(c.code, c.name) for c in ambito.comuni if c.code not in covered]


def record_changes(old: bytes, new: bytes) -> list[str]:
    """The JSON paths of the record that changed from one received version to the next."""

    def flat(value: object, path: str = "") -> dict[str, object]:
        if isinstance(value, dict):
            out: dict[str, object] = {}
            for k, v in value.items():
                out.update(flat(v, f"{path}.{k}" if path else k))
            return out
        if isinstance(value, list):
            out = {}
            for n, v in enumerate(value):
                out.update(flat(v, f"{path}[{n}]"))
            return out or {path: []}
        return {path: value}

    a, b = flat(json.loads(old)), flat(json.loads(new))
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
