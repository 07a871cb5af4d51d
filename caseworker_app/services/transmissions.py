"""Use cases of the transmission at the comune: what is ready, the export, the receipt back.

The comune sends its completed istruttorie to the capofila in one sealed file of kind
``istruttorie`` (docs/transfer-format.md §10), signed with this installation's key and
encrypted to the capofila's pinned key (and to this installation, so that it can open what it
sent). Only istanze ready to send go (:func:`readiness`: evaluated, no document still promised,
and where the avviso asks for them the evaluation, the ADL and IADL sheets and the signed PI).
Writing the file moves each istanza to ``trasmessa`` and its transmission state to ``inviata``;
the capofila's receipt (kind ``ricevuta``, :func:`import_receipt_envelope`) moves it on to
``ricevuta`` or ``respinta``. Sending an istanza again after a correction sends a new version.

The capofila's side is ``transmissions_reception``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from caseworker_app import __version__
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.documents.attestazione import (
    AttestazioneData,
    AttestazioneLine,
    render_attestazione,
)
from caseworker_app.domain.audit import AuditAction, AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import Fingerprint, PeerKey
from caseworker_app.domain.istanza import IstanzaState, transition
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.progress import Progress
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.transmission import (
    ATTESTAZIONE_MEMBER,
    KIND,
    RECEIPT_KIND,
    RECEIPT_MEMBER,
    IstanzaRef,
    IstruttoriePayload,
    MemberRole,
    Readiness,
    ReceiptOutcome,
    SentItem,
    SentTransmission,
    TransmissionState,
    file_name,
)
from caseworker_app.messages import render
from caseworker_app.ports.storage import Installation, UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import audit_log, printing
from caseworker_app.services.ambito_packages import pinned_capofila
from caseworker_app.services.istruttoria_pack import (
    LISTED,
    Pack,
    assess,
    folder_name,
    member_sources,
)
from caseworker_app.services.transfer_parties import (
    aware,
    own_fingerprints,
    own_party,
    same_keys,
)
from caseworker_app.transfer.istruttorie_json import (
    check_receipt_payload,
    istruttoria_json,
    payload_dict,
    read_receipt,
)
from caseworker_app.transfer.sealed import Envelope, MemberSource, RecipientRef, write_sealed

if TYPE_CHECKING:
    from pyrage import x25519

#: the audit entity of a transmission file (entity id: its UUID) and of a receipt
AUDIT_ENTITY = "trasmissione"
RECEIPT_ENTITY = "ricevuta"


@dataclass(frozen=True)
class ExportedTransmission:
    path: Path
    transmission: SentTransmission
    fingerprint: Fingerprint  # the sender's (this installation's)
    istanze: tuple[SentItem, ...]


@dataclass(frozen=True)
class ImportedReceipt:
    file: str
    transmission: str  # the UUID of the transmission it answers
    sha256: str  # of the receipt's manifest
    already_imported: bool
    accepted: int
    rejected: int


def _comune(uow: UnitOfWork) -> Installation:
    installation = uow.installation.get()
    if installation.role != "comune":
        raise UserFacingError("transmission.not_comune")
    return installation


def _capofila(uow: UnitOfWork, installation: Installation) -> PeerKey:
    pinned = pinned_capofila(uow, installation)
    if pinned is None:
        raise UserFacingError("transmission.no_capofila_key")
    return pinned


# -- what is ready --------------------------------------------------------------------------------


def _packs(uow: UnitOfWork, *, now: datetime, wanted: Sequence[str] | None = None) -> list[Pack]:
    """The istanze on their way to the capofila, read and judged; only those ``wanted`` (ids or
    protocols) when given."""
    latest = uow.transmissions.latest_items()
    rows = [r for r in uow.istanze.list() if IstanzaState(r.state) in LISTED]
    if wanted is not None:
        asked = set(wanted)
        rows = [r for r in rows if r.istanza_id in asked or (r.protocol or "") in asked]
    packs = []
    for row in rows:
        istanza = uow.istanze.get(row.istanza_id)
        if istanza is not None:
            packs.append(assess(uow, istanza, now=now, latest=latest.get(istanza.id)))
    return packs


def _readiness(pack: Pack) -> Readiness:
    istanza = pack.istanza
    return Readiness(
        istanza_id=istanza.id,
        protocol=istanza.protocol,
        comune=istanza.comune,
        avviso=istanza.avviso,
        state=istanza.state.value,
        transmission=pack.transmission_state,
        missing=pack.missing,
        next_version=pack.next_version,
    )


def readiness(uow: UnitOfWork, *, actor: Actor, now: datetime) -> list[Readiness]:
    """Every istanza on its way to the capofila: ready to send, or what is missing."""
    actor.require(Permission.READ_CASES)
    with uow:
        _comune(uow)
        return [_readiness(p) for p in _packs(uow, now=now)]


def installation_role(uow: UnitOfWork) -> str:
    """``comune`` or ``capofila``: what this store is (public, for any operator)."""
    with uow:
        return uow.installation.get().role


def transmission_states(uow: UnitOfWork, *, actor: Actor) -> dict[str, TransmissionState]:
    """istanza id -> its transmission state (``da_inviare`` for those never sent)."""
    actor.require(Permission.READ_CASES)
    with uow:
        return {k: v.state for k, v in uow.transmissions.latest_items().items()}


def sent_transmissions(uow: UnitOfWork, *, actor: Actor) -> list[SentTransmission]:
    """The files written here, newest first, with their istanze and states."""
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.transmissions.sent()


# -- the export ----------------------------------------------------------------------------------


def export_istruttorie(
    uow: UnitOfWork,
    *,
    actor: Actor,
    target: Path,
    istanza_ids: Sequence[str] | None = None,
    now: datetime,
    progress: Progress | None = None,
) -> ExportedTransmission:
    """Write one sealed file with the istruttorie ``istanza_ids`` (``None``: every istanza
    ready) into ``target``: a folder (the file is named after the comune, the day and a
    counter) or a new file's path. All or nothing: on any failure, or a cancel, no file is left
    and nothing is recorded. ``transmission.not_ready`` names the first istanza asked that is
    not ready; ``transmission.nothing_ready`` when none is."""
    actor.require(Permission.TRANSMIT)
    actor.require(Permission.READ_HEALTH)
    with uow:
        _capofila(uow, _comune(uow))
        chosen = _chosen(_packs(uow, now=now, wanted=istanza_ids), istanza_ids)
    # a PI signed on the signature pad travels printed with its signatures (its own unit of work)
    rendered = {
        str(p.istanza.id): printing.print_pi(
            uow, actor=actor, istanza=p.istanza.id, number=p.pi_to_render, now=now
        ).pdf
        for p in chosen
        if p.pi_to_render is not None
    }
    with uow:
        installation = _comune(uow)
        capofila = _capofila(uow, installation)
        latest = uow.transmissions.latest_items()
        packs = [
            p if p.istanza.id not in rendered else _with_pi(uow, p, rendered, latest, now)
            for p in chosen
        ]
        party = own_party(uow, now=now, actor=actor.username)
        comune = _name_comune(installation, packs)
        path = _target(uow, target, comune, now)
        transmission = uuid.uuid4()
        refs: list[IstanzaRef] = []
        sources: list[tuple[str, MemberSource]] = []
        lines: list[AttestazioneLine] = []
        for index, pack in enumerate(packs, start=1):
            folder = folder_name(index)
            istruttoria = pack.istruttoria(folder=folder)
            refs.append(
                IstanzaRef(istruttoria.protocol, istruttoria.comune, istruttoria.version, folder)
            )
            sources.extend(member_sources(uow, pack, istruttoria, istruttoria_json(istruttoria)))
            lines.append(_attestazione_line(pack, istruttoria.version))
        head = uow.audit.head()
        earlier = uow.transmissions.sent()
        payload = IstruttoriePayload(tuple(refs), _audit_chain(uow, earlier))
        attestazione = render_attestazione(
            _attestazione(
                uow,
                actor,
                installation,
                party.bundle.fingerprint,
                packs,
                lines,
                transmission,
                path.name,
                now,
            )
        )
        sources.append((ATTESTAZIONE_MEMBER, attestazione))
        result = write_sealed(
            path,
            kind=KIND,
            sender=party.sender,
            signing_key=party.signing_key,
            recipients=[_recipient(capofila), party.own_recipient],
            recipient=RecipientRef(capofila.fingerprint.digits, capofila.bundle.age_recipient),
            members=sources,
            payload=payload_dict(payload),
            app_version=__version__,
            created_at=aware(now),
            transmission=transmission,
            audit_head=head,
            progress=progress,
        )
        try:
            sent = _record(
                uow,
                actor,
                result.manifest_bytes,
                result.size,
                path,
                comune,
                now,
                transmission,
                capofila,
                attestazione,
                head,
                packs,
            )
            uow.commit()
        except BaseException:
            path.unlink(missing_ok=True)  # not recorded: the file must not travel
            raise
    return ExportedTransmission(path, sent, party.bundle.fingerprint, sent.items)


def _with_pi(
    uow: UnitOfWork,
    before: Pack,
    rendered: Mapping[str, bytes],
    latest: Mapping[str, SentItem],
    now: datetime,
) -> Pack:
    """``before`` read again with its PI printed; refused if it changed meanwhile."""
    istanza = uow.istanze.get(before.istanza.id)
    pack = None
    if istanza is not None:
        pack = assess(
            uow, istanza, now=now, latest=latest.get(istanza.id), rendered_pi=rendered[istanza.id]
        )
    if pack is None or pack.missing or pack.digest != before.digest:
        raise UserFacingError(
            "transmission.changed_meanwhile", istanza=before.istanza.protocol or before.istanza.id
        )
    return pack


def _chosen(packs: list[Pack], istanza_ids: Sequence[str] | None) -> list[Pack]:
    if istanza_ids is None:
        chosen = [p for p in packs if not p.missing]
        if not chosen:
            raise UserFacingError("transmission.nothing_ready")
        return chosen
    by_id: dict[str, Pack] = {p.istanza.id: p for p in packs}
    by_protocol = {p.istanza.protocol: p for p in packs if p.istanza.protocol}
    chosen = []
    for wanted in dict.fromkeys(istanza_ids):
        pack = by_id.get(wanted) or by_protocol.get(wanted)
        if pack is None:
            raise UserFacingError("transmission.istanza_not_listed", istanza=wanted)
        if pack.missing:
            what, detail = pack.missing[0]
            raise UserFacingError(
                "transmission.not_ready",
                istanza=pack.istanza.protocol or wanted,
                missing=render(f"transmission.missing.{what.value}", {"detail": detail}),
                detail=detail,
            )
        chosen.append(pack)
    if not chosen:
        raise UserFacingError("transmission.nothing_ready")
    return chosen


def _name_comune(installation: Installation, packs: list[Pack]) -> str:
    """The comune in the file's name: the istanze's one when they all share it."""
    comuni = {p.istanza.comune for p in packs}
    return comuni.pop() if len(comuni) == 1 else installation.comune


def _target(uow: UnitOfWork, target: Path, comune: str, now: datetime) -> Path:
    if not target.is_dir():
        if target.exists():
            raise UserFacingError("transfer.target_exists", file=target.name)
        return target
    counter = uow.transmissions.last_counter(comune, now.date()) + 1
    while (target / file_name(comune, now.date(), counter)).exists():
        counter += 1
    return target / file_name(comune, now.date(), counter)


def _counter_of(path: Path, comune: str, now: datetime, uow: UnitOfWork) -> int:
    """The counter in the name when the name is ours; else the next one of the day."""
    prefix = f"{comune}-{now.date():%Y%m%d}-"
    stem = path.stem
    if stem.startswith(prefix) and stem[len(prefix) :].isdigit():
        return int(stem[len(prefix) :])
    return uow.transmissions.last_counter(comune, now.date()) + 1


def _recipient(capofila: PeerKey) -> x25519.Recipient:
    return transfer_keys.load_recipient(capofila.bundle.age_recipient)


def _audit_chain(uow: UnitOfWork, earlier: list[SentTransmission]) -> tuple[AuditHead, ...]:
    """This store's chain, as it is now, at the heads written in earlier files."""
    chain = []
    for seq in sorted({t.audit_head.seq for t in earlier if t.audit_head is not None}):
        event = uow.audit.at_seq(seq)
        if event is not None:
            chain.append(AuditHead(seq, event.hash))
    return tuple(chain)


def _record(
    uow: UnitOfWork,
    actor: Actor,
    manifest_bytes: bytes,
    size: int,
    path: Path,
    comune: str,
    now: datetime,
    transmission: uuid.UUID,
    capofila: PeerKey,
    attestazione: bytes,
    head: AuditHead | None,
    packs: list[Pack],
) -> SentTransmission:
    tid = str(transmission)
    items = tuple(
        SentItem(
            tid,
            p.istanza.id,
            p.istanza.protocol or "",
            p.istanza.comune,
            p.next_version,
            TransmissionState.INVIATA,
            p.digest,
            "",
            now,
        )
        for p in packs
    )
    sent = SentTransmission(
        id=tid,
        file_name=path.name,
        created_at=now,
        created_by=actor.username,
        day=now.date(),
        counter=_counter_of(path, comune, now, uow),
        comune=comune,
        recipient_fingerprint=capofila.fingerprint.digits,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        size=size,
        attestazione=attestazione,
        audit_head=head,
        items=items,
    )
    uow.transmissions.add_sent(sent)
    for pack in packs:
        istanza = pack.istanza
        if istanza.state is not IstanzaState.TRASMESSA:
            moved, change = transition(
                istanza,
                IstanzaState.TRASMESSA,
                operator=actor.username,
                reason=f"Trasmessa al capofila: {path.name}",
                at=now,
            )
            uow.istanze.record_transition(moved, change)
            audit_log.record(
                uow,
                actor=actor,
                action=AuditAction.UPDATE,
                entity_type="istanza",
                entity_id=istanza.id,
                at=now,
            )
    audit_log.record(
        uow, actor=actor, action=AuditAction.EXPORT, entity_type=AUDIT_ENTITY, entity_id=tid, at=now
    )
    return sent


def _attestazione_line(pack: Pack, version: int) -> AttestazioneLine:
    roles = [p.member.role for p in pack.parts]
    assert pack.record is not None
    return AttestazioneLine(
        protocol=pack.istanza.protocol or "",
        avviso=pack.avviso.id,
        version=version,
        submitted_on=pack.record.submitted_at.date(),
        documents=roles.count(MemberRole.DOCUMENT),
        evaluation=MemberRole.EVALUATION in roles,
        sheets=roles.count(MemberRole.ASSESSMENT),
        pi_signed=MemberRole.PI_PDF in roles,
    )


def _attestazione(
    uow: UnitOfWork,
    actor: Actor,
    installation: Installation,
    fingerprint: Fingerprint,
    packs: list[Pack],
    lines: list[AttestazioneLine],
    transmission: uuid.UUID,
    name: str,
    now: datetime,
) -> AttestazioneData:
    ambito = get_ambito(installation.ambito)
    member = ambito.comune(installation.comune)
    capofila_comune = ambito.comune(ambito.capofila)
    operator = uow.operators.get_by_username(actor.username)
    avvisi = {p.avviso.id: p.avviso.title for p in packs}
    return AttestazioneData(
        comune_code=installation.comune,
        comune_name=member.name if member is not None else installation.comune,
        capofila_name=capofila_comune.name if capofila_comune is not None else ambito.capofila,
        ambito_name=ambito.name,
        avvisi=tuple(sorted(avvisi.items())),
        transmission=str(transmission),
        created_at=now,
        file_name=name,
        fingerprint=fingerprint.display,
        operator_name=(operator.full_name if operator is not None else "") or actor.username,
        operator_qualifica=operator.qualifica if operator is not None else "",
        lines=tuple(lines),
    )


# -- the receipt ---------------------------------------------------------------------------------


def import_receipt_envelope(
    uow: UnitOfWork, *, actor: Actor, envelope: Envelope, now: datetime
) -> ImportedReceipt:
    """The capofila's receipt of a file sent from here (inside the caller's open unit of work,
    which this commits when it writes): each istanza it names moves to ``ricevuta`` or
    ``respinta``. The same receipt twice changes nothing."""
    actor.require(Permission.TRANSMIT)
    file = envelope.file
    if uow.installation.get().role != "comune":
        raise UserFacingError("transmission.receipt_not_comune", file=file)
    installation = _comune(uow)
    capofila = _capofila(uow, installation)
    if not same_keys(capofila.bundle, envelope.sender):
        raise UserFacingError(
            "transmission.receipt_unknown_sender",
            file=file,
            fingerprint=capofila.fingerprint.display,
        )
    sealed = envelope.verify(
        transfer_keys.load_signing_public(capofila.bundle.signing_public), kinds={RECEIPT_KIND}
    )
    check_receipt_payload(sealed.manifest.payload, file=file)
    if sealed.manifest.recipient.fingerprint not in own_fingerprints(uow):
        raise UserFacingError("transmission.not_for_us", file=file)
    if set(sealed.names) != {RECEIPT_MEMBER}:
        raise UserFacingError("transfer.istruttorie_invalid", file=file, field="members")
    receipt = read_receipt(sealed.read(RECEIPT_MEMBER), file=file)
    sent = uow.transmissions.sent_by_id(receipt.transmission)
    if sent is None or sent.manifest_sha256 != receipt.manifest_sha256:
        raise UserFacingError("transmission.receipt_unknown_transmission", file=file)
    if sent.receipt_sha256 == sealed.manifest_sha256:
        accepted = sum(i.state is TransmissionState.RICEVUTA for i in sent.items)
        rejected = sum(i.state is TransmissionState.RESPINTA for i in sent.items)
        return ImportedReceipt(file, sent.id, sent.receipt_sha256, True, accepted, rejected)
    if sent.receipt_sha256:
        raise UserFacingError("transmission.receipt_other", file=file)
    items = {(i.comune, i.protocol): i for i in sent.items}
    named = set()
    accepted = rejected = 0
    for line in receipt.lines:
        item = items.get((line.comune, line.protocol))
        if item is None or item.version != line.version or (line.comune, line.protocol) in named:
            raise UserFacingError("transmission.receipt_inconsistent", file=file)
        named.add((line.comune, line.protocol))
        if line.outcome is ReceiptOutcome.RESPINTA:
            state, reason, rejected = TransmissionState.RESPINTA, line.detail, rejected + 1
        else:
            state, reason, accepted = TransmissionState.RICEVUTA, "", accepted + 1
        if item.state is TransmissionState.INVIATA:
            uow.transmissions.update_item(
                sent.id, item.istanza_id, state=state, reason=reason, at=now
            )
    if named != set(items):
        raise UserFacingError("transmission.receipt_inconsistent", file=file)
    uow.transmissions.set_receipt(sent.id, sha256=sealed.manifest_sha256, at=now)
    audit_log.record(
        uow,
        actor=actor,
        action=AuditAction.IMPORT,
        entity_type=RECEIPT_ENTITY,
        entity_id=sent.id,
        at=now,
    )
    uow.commit()
    return ImportedReceipt(file, sent.id, sealed.manifest_sha256, False, accepted, rejected)
