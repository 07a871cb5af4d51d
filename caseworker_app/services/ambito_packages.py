"""Use cases on the ambito package: the capofila issues it, a comune imports it and pins the key.

The package (``domain/ambito_package.py``) is a signed-only transfer file of kind ``ambito``
(docs/transfer-format.md): public content, signed by the capofila, not encrypted, because the
capofila does not know the comuni's keys yet. At a comune, the first package is accepted only once
the user confirmed by phone the fingerprint of the capofila's keys (``trust_fingerprint``); those
keys are then pinned (``peer_keys``, ``confermata``), and every later package must be signed by
them, or carry a rotation signed by them (then the new keys are pinned and the old ones revoked).

Every refusal leaves the store as it was (nothing written, nothing audited); an import that
changes something is one transaction with its audit events.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from caseworker_app import __version__
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.definitions.avviso_files import declares
from caseworker_app.domain.ambito_package import (
    KIND,
    PACKAGE_FORMAT,
    PAYLOAD_MEMBER,
    AmbitoPackage,
    Direction,
    Freshness,
    KeyRotation,
    PackageAvviso,
    PackageComune,
    StoredAmbitoPackage,
    freshness,
    rotation_message,
)
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.installation_keys import (
    Fingerprint,
    PeerKey,
    PeerKeyStatus,
    PublicKeyBundle,
    fingerprint_of,
    parse_fingerprint,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.ports.storage import Installation, UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import audit_log, avviso_editions, installation_keys
from caseworker_app.services.transfer_parties import aware, own_identities, same_keys, sender_of
from caseworker_app.transfer.ambito_json import ambito_json, check_format, read_ambito_json
from caseworker_app.transfer.sealed import Envelope, SealedFile, Sender, open_envelope, write_signed

if TYPE_CHECKING:
    pass

#: the entity type of the audit events on ambito packages (the entity id is the package's id)
AUDIT_ENTITY = "pacchetto_ambito"
#: the entity type of the audit events on the capofila's keys pinned at a comune (the entity
#: id is their fingerprint's 40 digits: public, and what was read on the phone)
PEER_AUDIT_ENTITY = "chiavi_capofila"


@dataclass(frozen=True)
class ExportedAmbitoPackage:
    path: Path
    fingerprint: Fingerprint  # of the capofila's keys: to read on the phone to each comune
    package: AmbitoPackage
    sha256: str  # of the package's manifest.json

    @property
    def rotated(self) -> bool:
        return self.package.rotation is not None


@dataclass(frozen=True)
class ImportedAmbitoPackage:
    file: str  # the name of the file imported
    package: AmbitoPackage
    sha256: str  # of the package's manifest.json
    already_imported: bool  # the same package was held already: nothing changed
    pinned: bool  # the capofila's keys were pinned now (first package)
    rotated: bool  # the capofila moved to new keys now (the old ones revoked)

    @property
    def fingerprint(self) -> Fingerprint:
        return self.package.fingerprint


@dataclass(frozen=True)
class CurrentAmbitoPackage:
    """The latest package issued (capofila) or accepted (comune), and the capofila's keys the
    comune pinned (``None`` at the capofila)."""

    stored: StoredAmbitoPackage
    package: AmbitoPackage
    pinned: PeerKey | None


# -- the capofila --------------------------------------------------------------------------------


def export_ambito_package(
    uow: UnitOfWork, *, actor: Actor, out: Path, now: datetime
) -> ExportedAmbitoPackage:
    """Issue the next ambito package of this capofila into ``out`` (a new file, 0600): its
    public keys, the ambito's comuni, the avvisi definitions in force with their files. Audited
    (``export`` on ``pacchetto_ambito``). ``ambito.export_not_capofila`` at a comune."""
    with uow:
        installation = uow.installation.get()
        if installation.role != "capofila":
            raise UserFacingError("ambito.export_not_capofila")
        ambito = get_ambito(installation.ambito)
        files = avviso_editions.package_files(uow, ambito)  # shipped and released here
        bundle = installation_keys.ensure_own_keys(uow, now=now, actor=actor)
        current = uow.keys.current_own()
        assert current is not None  # ensure_own_keys made it
        previous = uow.ambito.latest(Direction.ESPORTATO)
        issued_at = aware(now)
        package = AmbitoPackage(
            ambito=ambito.id,
            ambito_name=ambito.name,
            capofila=bundle,
            comuni=tuple(
                PackageComune(c.code, c.name)
                for c in ambito.comuni
                if (c.valid_from is None or c.valid_from <= now.date())
                and (c.valid_to is None or now.date() <= c.valid_to)
            ),
            avvisi=tuple(PackageAvviso(f.avviso, f.version, f.name, f.sha256) for f in files),
            sequence=1 if previous is None else previous.sequence + 1,
            issued_at=issued_at,
            rotation=_rotation(uow, bundle),
        )
        payload = ambito_json(package)
        members = {PAYLOAD_MEMBER: payload}
        members.update({f"{a.member}": f.data for a, f in zip(package.avvisi, files, strict=True)})
        result = write_signed(
            out,
            kind=KIND,
            sender=sender_of(bundle),
            signing_key=transfer_keys.load_signing_private(current.material.signing_private),
            members=members,
            payload={"format": PACKAGE_FORMAT},
            app_version=__version__,
            created_at=issued_at,
            audit_head=uow.audit.head(),
        )
        try:
            package_id = new_id()
            uow.ambito.add(
                StoredAmbitoPackage(
                    id=package_id,
                    direction=Direction.ESPORTATO,
                    ambito=package.ambito,
                    sequence=package.sequence,
                    issued_at=now,
                    sha256=_sha256(result.manifest_bytes),
                    signing_public=bundle.signing_public,
                    fingerprint=bundle.fingerprint,
                    manifest=result.manifest_bytes,
                    signature=transfer_keys.sign(current.material, result.manifest_bytes),
                    payload=payload,
                    recorded_at=now,
                    recorded_by=actor.username,
                    files={m: d for m, d in members.items() if m != PAYLOAD_MEMBER},
                )
            )
            _audit(uow, actor, AuditAction.EXPORT, AUDIT_ENTITY, package_id, now)
            uow.commit()
        except BaseException:
            out.unlink(missing_ok=True)  # not recorded: the file must not travel
            raise
    return ExportedAmbitoPackage(out, bundle.fingerprint, package, _sha256(result.manifest_bytes))


def _rotation(uow: UnitOfWork, bundle: PublicKeyBundle) -> KeyRotation | None:
    """The previous signing key vouching for ``bundle``, when packages were issued before with
    another key: the key of the latest of them (every package after a change of keys carries
    it, so that a comune that missed one still follows; one change at a time: a comune that
    missed two changes must confirm the new fingerprint again)."""
    earlier = [
        p.signing_public
        for p in uow.ambito.packages(Direction.ESPORTATO)
        if p.signing_public != bundle.signing_public
    ]
    if not earlier:
        return None
    previous = earlier[-1]
    old = next((k for k in uow.keys.list_own() if k.material.signing_public == previous), None)
    if old is None:
        raise UserFacingError("ambito.previous_key_missing")
    signature = transfer_keys.sign(old.material, rotation_message(bundle))
    return KeyRotation(previous, base64.b64encode(signature).decode("ascii"))


# -- the comune ----------------------------------------------------------------------------------


def import_ambito_package(
    uow: UnitOfWork,
    *,
    actor: Actor,
    path: Path,
    trust_fingerprint: str | None,
    now: datetime,
) -> ImportedAmbitoPackage:
    """Import the ambito package at ``path`` into this comune's store (see the module
    docstring); ``trust_fingerprint``: the fingerprint of the capofila's keys as confirmed on
    the phone, needed while none is pinned."""
    with uow:
        _comune(uow)
        envelope = open_envelope(path, identities=own_identities(uow))
        return import_envelope(
            uow, actor=actor, envelope=envelope, trust_fingerprint=trust_fingerprint, now=now
        )


def import_envelope(
    uow: UnitOfWork,
    *,
    actor: Actor,
    envelope: Envelope,
    trust_fingerprint: str | None,
    now: datetime,
) -> ImportedAmbitoPackage:
    """:func:`import_ambito_package` on a file already opened (inside the caller's open unit
    of work, which this commits when it writes)."""
    installation = _comune(uow)
    file = envelope.file
    sender = envelope.sender
    if sender.role != "capofila":
        raise UserFacingError("ambito.sender_not_capofila", file=file)
    if sender.ambito != installation.ambito:
        raise UserFacingError(
            "ambito.other_ambito", file=file, found=sender.ambito, ambito=installation.ambito
        )
    held = uow.ambito.by_sha256(Direction.IMPORTATO, envelope.manifest_sha256)
    if held is not None:  # this very package: check it as before, change nothing
        key = transfer_keys.load_signing_public(held.signing_public)
        sealed = envelope.verify(key, kinds={KIND})
        package = _read_package(sealed)
        return ImportedAmbitoPackage(file, package, held.sha256, True, False, False)

    offered = fingerprint_of(sender.signing_public, sender.age_recipient)
    if trust_fingerprint is not None and not parse_fingerprint(trust_fingerprint).matches(offered):
        raise UserFacingError("ambito.fingerprint_mismatch", file=file, fingerprint=offered.display)
    seen = uow.keys.get_peer(sender.installation, sender.signing_public)
    if seen is not None and seen.status is PeerKeyStatus.REVOCATA:
        raise UserFacingError("ambito.key_revoked", file=file, fingerprint=offered.display)
    pinned = pinned_capofila(uow, installation)
    unchanged = pinned is not None and same_keys(pinned.bundle, sender)
    # the pinned key when the file names it; else the file's own key, which proves the file
    # intact (and which key to confirm) but not who sent it: that is the fingerprint's job
    signer = pinned.bundle.signing_public if pinned is not None and unchanged else None
    sealed = envelope.verify(
        transfer_keys.load_signing_public(signer or sender.signing_public), kinds={KIND}
    )
    package = _read_package(sealed)
    _check_content(sealed, package, sender, installation)
    if pinned is None and trust_fingerprint is None:
        raise UserFacingError("ambito.key_unconfirmed", file=file, fingerprint=offered.display)
    rotated = pinned is not None and not unchanged
    if pinned is not None and rotated:
        _check_rotation(package, pinned, file)
    stored = uow.ambito.packages(Direction.IMPORTATO)
    fresh = freshness(
        sealed.manifest_sha256, package.sequence, [(p.sequence, p.sha256) for p in stored]
    )
    if fresh is not Freshness.NEW:
        latest = max(p.sequence for p in stored)
        raise UserFacingError("ambito.stale", file=file, sequence=package.sequence, held=latest)

    if pinned is None or rotated:
        if pinned is not None:
            uow.keys.save_peer(replace(pinned, status=PeerKeyStatus.REVOCATA))
            old = pinned.fingerprint.digits
            _audit(uow, actor, AuditAction.UPDATE, PEER_AUDIT_ENTITY, old, now)
        first_seen = seen.first_seen_at if seen is not None else now
        status = PeerKeyStatus.CONFERMATA
        uow.keys.save_peer(PeerKey(package.capofila, status, first_seen, now, actor.username))
        _audit(uow, actor, AuditAction.CREATE, PEER_AUDIT_ENTITY, offered.digits, now)
    carried = {a.member: sealed.read(a.member) for a in package.avvisi}
    # the comune judges with the capofila's definitions from now on (refused if one is bad)
    avviso_editions.install_with_package(uow, package, carried, file=file)
    package_id = new_id()
    uow.ambito.add(
        StoredAmbitoPackage(
            id=package_id,
            direction=Direction.IMPORTATO,
            ambito=package.ambito,
            sequence=package.sequence,
            issued_at=package.issued_at.astimezone().replace(tzinfo=None),
            sha256=sealed.manifest_sha256,
            signing_public=sender.signing_public,
            fingerprint=offered,
            manifest=sealed.manifest_bytes,
            signature=sealed.signature,
            payload=sealed.read(PAYLOAD_MEMBER),
            recorded_at=now,
            recorded_by=actor.username,
            files=carried,
        )
    )
    _audit(uow, actor, AuditAction.IMPORT, AUDIT_ENTITY, package_id, now)
    uow.commit()
    return ImportedAmbitoPackage(
        file, package, sealed.manifest_sha256, False, pinned is None, rotated
    )


def pinned_capofila(uow: UnitOfWork, installation: Installation) -> PeerKey | None:
    """The capofila keys this comune confirmed for its ambito (the latest, if ever several)."""
    confirmed = [
        p
        for p in uow.keys.list_peers(PeerKeyStatus.CONFERMATA)
        if p.bundle.role == "capofila" and p.bundle.ambito == installation.ambito
    ]
    return max(confirmed, key=lambda p: p.confirmed_at or p.first_seen_at, default=None)


def current_ambito_package(uow: UnitOfWork, *, actor: Actor) -> CurrentAmbitoPackage | None:
    """The latest package issued here (capofila) or accepted here (comune), for any operator
    logged in (``actor``): it is public. ``None`` when there is none yet."""
    with uow:
        installation = uow.installation.get()
        capofila = installation.role == "capofila"
        stored = uow.ambito.latest(Direction.ESPORTATO if capofila else Direction.IMPORTATO)
        if stored is None:
            return None
        package = read_ambito_json(stored.payload, file=PAYLOAD_MEMBER)
        pinned = None if capofila else pinned_capofila(uow, installation)
        return CurrentAmbitoPackage(stored, package, pinned)


# -- checks --------------------------------------------------------------------------------------


def _comune(uow: UnitOfWork) -> Installation:
    installation = uow.installation.get()
    if installation.role != "comune":
        raise UserFacingError("ambito.import_not_comune")
    return installation


def _read_package(sealed: SealedFile) -> AmbitoPackage:
    check_format(sealed.manifest.payload, file=sealed.file)
    if sealed.manifest.member(PAYLOAD_MEMBER) is None:
        raise UserFacingError("ambito.payload_missing", file=sealed.file)
    return read_ambito_json(sealed.read(PAYLOAD_MEMBER), file=sealed.file)


def _check_content(
    sealed: SealedFile, package: AmbitoPackage, sender: Sender, installation: Installation
) -> None:
    """The package says what its file shows: signed by the capofila it names, for this
    ambito and comune, carrying exactly the definition files it lists, each as it states."""
    file = sealed.file
    keys = package.capofila
    if not same_keys(keys, sender) or keys.ambito != sender.ambito or keys.comuni != sender.comuni:
        raise UserFacingError("ambito.package_inconsistent", file=file)
    if package.ambito != installation.ambito:
        raise UserFacingError(
            "ambito.other_ambito", file=file, found=package.ambito, ambito=installation.ambito
        )
    if not package.lists(installation.comune):
        raise UserFacingError("ambito.comune_not_listed", file=file, comune=installation.comune)
    expected = {PAYLOAD_MEMBER, *(a.member for a in package.avvisi)}
    if set(sealed.names) != expected:
        raise UserFacingError("ambito.package_inconsistent", file=file)
    for avviso in package.avvisi:
        entry = sealed.manifest.member(avviso.member)
        if entry is None or entry.sha256 != avviso.sha256:
            raise UserFacingError("ambito.package_inconsistent", file=file)
        if not declares(sealed.read(avviso.member), avviso_id=avviso.id, version=avviso.version):
            raise UserFacingError("ambito.definition_invalid", file=file, definition=avviso.file)


def _check_rotation(package: AmbitoPackage, pinned: PeerKey, file: str) -> None:
    """New keys: the package must carry a rotation signed by the keys pinned here."""
    rotation = package.rotation
    old = pinned.bundle.signing_public
    if rotation is None or rotation.previous_signing_public != old:
        raise UserFacingError(
            "ambito.key_changed", file=file, fingerprint=package.fingerprint.display
        )
    try:
        signature = base64.b64decode(rotation.signature, validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not transfer_keys.is_valid_signature(old, rotation_message(package.capofila), signature):
        raise UserFacingError(
            "ambito.key_changed", file=file, fingerprint=package.fingerprint.display
        )


# -- small helpers -------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _audit(
    uow: UnitOfWork, actor: Actor, action: AuditAction, entity: str, entity_id: str, at: datetime
) -> None:
    audit_log.record(
        uow, actor=actor, action=action, entity_type=entity, entity_id=entity_id, at=at
    )
