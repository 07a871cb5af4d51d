"""Use cases of the signatures of a Progetto Individuale version.

Three ways to sign a version (issue 5): (1) print it, sign it by hand and attach the scan;
(2) capture each signatory's graphic signature on the signature pad (stored encrypted, drawn
into the printed signature block); (3) attach the PDF signed digitally (PAdES), verified here.
A signed scan or a valid signed PDF is stored as a document of type ``pi_firmato`` tied to the
version, and signs and freezes the version in the same transaction, with the rules of
:func:`services.pi.sign_pi` (every required signatory present, with a name).

Writing needs ``EDIT_CASES`` and ``READ_HEALTH`` (what is frozen includes the evaluation);
every write is audited. Parameters of errors never carry personal data.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from caseworker_app.documents.pades import SignatureCheck, verify_pdf
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.codes import SIGNED_PI_DOCUMENT
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import DocumentId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.pi import (
    PiContent,
    PiStatus,
    PiVersion,
    SignatoryRole,
    missing_signatures,
)
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.signature import GraphicSignature
from caseworker_app.ports.storage import StoredSignature, UnitOfWork, VersionDocument
from caseworker_app.services import audit_log
from caseworker_app.services.case_sections import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_MB, sniff_mime
from caseworker_app.services.pi import refuse_kept_as_typed, visible

#: how a graphic signature was captured
METHODS = frozenset({"penna", "tocco", "mouse"})
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: the document type of a signed scan or signed PDF of a PI version
SIGNATURE_ENTITY = "pi_signature"
VERSION_ENTITY = "pi_version"


def _write(actor: Actor) -> None:
    actor.require(Permission.EDIT_CASES)
    actor.require(Permission.READ_HEALTH)


def _audit(
    uow: UnitOfWork, actor: Actor, action: AuditAction, entity: str, entity_id: str, at: datetime
) -> None:
    audit_log.record(uow, actor=actor, action=action, entity_type=entity, entity_id=entity_id,
                     at=at)  # fmt: skip


def _open_version(uow: UnitOfWork, version_id: str) -> PiVersion:
    """The version, still a draft (inside ``with uow``)."""
    current = uow.pi.get(version_id)
    if current is None:
        raise UserFacingError("pi.not_found")
    if current.frozen:
        raise UserFacingError("pi.signed_frozen", number=current.number)
    return current


# -- graphic signatures ----------------------------------------------------------------------


def _graphic(stored: StoredSignature) -> GraphicSignature:
    return GraphicSignature(stored.role, stored.png, stored.captured_at, stored.method)


def save_graphic_signature(
    uow: UnitOfWork,
    *,
    actor: Actor,
    version_id: str,
    role: str,
    png: bytes,
    method: str,
    now: datetime,
    note: str = "",
) -> GraphicSignature:
    """Store the signature drawn by the signatory of ``role``, replacing their previous one.

    Refused on a signed version, for a role the version does not list, for a method other than
    penna/tocco/mouse, and when ``png`` is not a PNG image (or is larger than 2 MB)."""
    _write(actor)
    if method not in METHODS:
        raise UserFacingError("signature.method_unknown")
    if not png.startswith(PNG_MAGIC) or len(png) > MAX_SIGNATURE_BYTES:
        raise UserFacingError("signature.png_invalid")
    if role not in {r.value for r in SignatoryRole}:
        raise UserFacingError("signature.role_unknown")
    with uow:
        current = _open_version(uow, version_id)
        listed = {s.role.value for s in PiContent.from_data(current.content).signatories}
        if listed and role not in listed:
            raise UserFacingError("signature.role_unknown")
        stored = StoredSignature(new_id(), version_id, role, png, now, method, note.strip(),
                                 actor.username)  # fmt: skip
        uow.signatures.put_graphic(stored)
        _audit(uow, actor, AuditAction.CREATE, SIGNATURE_ENTITY, stored.id, now)
        uow.commit()
    return _graphic(stored)


def graphic_signatures(
    uow: UnitOfWork, *, actor: Actor, version_id: str, now: datetime | None = None
) -> list[GraphicSignature]:
    """The graphic signatures of a version (one per role), oldest first, to draw into the
    signature blocks. With ``now`` the read is audited."""
    actor.require(Permission.READ_CASES)
    with uow:
        found = uow.signatures.graphic_of_version(version_id)
        if found and now is not None:
            _audit(uow, actor, AuditAction.READ, VERSION_ENTITY, version_id, now)
            uow.commit()
    return [_graphic(s) for s in found]


# -- signing by attaching the signed copy ----------------------------------------------------


@dataclass(frozen=True)
class SignedAttachment:
    """What attaching a signed copy did: the frozen version, the stored document and, for a
    signed PDF, the verification of its signatures."""

    version: PiVersion
    document: Document
    check: SignatureCheck | None = None


def _frozen(
    current: PiVersion, *, place: str, signed_on: date, now: datetime, username: str
) -> PiVersion:
    """The version signed by every listed signatory (by hand or digitally) and frozen, with the
    rules of ``sign_pi``: nothing kept as typed, the required signatories listed, each with a
    name."""
    content = PiContent.from_data(current.content)
    refuse_kept_as_typed(content)
    signed = replace(
        content,
        signatories=tuple(
            replace(s, signed=True, place=s.place or place, signed_on=s.signed_on or signed_on)
            for s in content.signatories
        ),
        signed_place=place,
        signed_on=signed_on,
    )
    missing = missing_signatures(signed)
    if missing:
        raise UserFacingError("signature.signatories_incomplete", count=len(missing),
                              roles=", ".join(r.value for r in missing))  # fmt: skip
    return replace(current, status=PiStatus.FIRMATA, content=signed.to_data(), updated_at=now,
                   signed_at=now, signed_by=username)  # fmt: skip


def store_signed_copy(
    uow: UnitOfWork,
    *,
    actor: Actor,
    current: PiVersion,
    content: bytes,
    mime: str,
    title: str,
    signed_on: date,
    check: SignatureCheck | None,
    now: datetime,
) -> Document:
    istanza = uow.istanze.get(current.istanza_id)
    if istanza is None:
        raise UserFacingError("istanza.not_found")
    doc = Document(
        id=DocumentId(new_id()), case_id=istanza.case_id, doc_type=SIGNED_PI_DOCUMENT,
        title=title, doc_date=signed_on, received_on=now.date(), mime=mime, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), istanza_id=current.istanza_id,
        created_at=now, created_by=actor.username,
    )  # fmt: skip
    uow.documents.save(doc, content=content)
    uow.signatures.link_document(doc.id, current.id,
                                 signature_check=check.to_json() if check else "")  # fmt: skip
    _audit(uow, actor, AuditAction.CREATE, "document", doc.id, now)
    return doc


def _check_size(content: bytes) -> None:
    if not content:
        raise UserFacingError("document.empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise UserFacingError("document.too_large", max_mb=MAX_DOCUMENT_MB)


def attach_signed_scan(
    uow: UnitOfWork,
    *,
    actor: Actor,
    version_id: str,
    content: bytes,
    now: datetime,
    place: str,
    signed_on: date,
) -> SignedAttachment:
    """Attach the scan of the copy signed by hand: stored as a ``pi_firmato`` document of the
    version, and the version signed (by every listed signatory, at ``place`` on ``signed_on``)
    and frozen, all in one transaction.

    Refused like any document (empty, over 25 MB, not PDF/JPEG/PNG/TIFF by its bytes), when the
    place is missing, on a signed version, and when a required signatory is not listed with a
    name."""
    _write(actor)
    _check_size(content)
    mime = sniff_mime(content)
    if mime is None:
        raise UserFacingError("document.type_not_allowed")
    if not place.strip():
        raise UserFacingError("pi.sign_place_missing")
    with uow:
        current = _open_version(uow, version_id)
        frozen = _frozen(current, place=place.strip(), signed_on=signed_on, now=now,
                         username=actor.username)  # fmt: skip
        doc = store_signed_copy(
            uow, actor=actor, current=current, content=content, mime=mime,
            title=f"Progetto Individuale, versione {current.number}, firmato (scansione)",
            signed_on=signed_on, check=None, now=now,
        )  # fmt: skip
        uow.pi.save(frozen)
        _audit(uow, actor, AuditAction.UPDATE, VERSION_ENTITY, version_id, now)
        uow.commit()
    return SignedAttachment(visible(actor, frozen), doc)


def check_signed_pdf(pdf: bytes, *, trust_roots: Sequence[bytes] = ()) -> SignatureCheck:
    """Verify a signed PDF (no storage): refused when it has no signature, when a signature
    is altered or cryptographically invalid, or when the file was changed after a signature
    beyond what PAdES allows (later signatures, timestamps, validation data and form filling
    are allowed). An untrusted certificate is only reported."""
    _check_size(pdf)
    check = verify_pdf(pdf, trust_roots=trust_roots)
    if not check.signed:
        raise UserFacingError("signature.pdf_unsigned")
    if not check.intact:
        raise UserFacingError("signature.pdf_altered")
    if not check.valid:
        raise UserFacingError("signature.pdf_invalid")
    changed = check.first_changed
    if changed is not None:  # the signature no longer covers what the file now shows
        position, sig = changed
        raise UserFacingError(_CHANGED_AFTER_SIGNING[sig.change_after_signing],
                              position=position, count=len(check.signatures))  # fmt: skip
    return check


# What was appended after a signature (pades.CHANGE_KINDS) -> the message saying so. The signer
# is named by position only: error parameters never carry people's names.
_CHANGED_AFTER_SIGNING = {
    "content": "signature.pdf_changed_after_signing_content",
    "annotations": "signature.pdf_changed_after_signing_annotations",
    "not_permitted": "signature.pdf_changed_after_signing_not_permitted",
    "unverifiable": "signature.pdf_changed_after_signing_unverifiable",
}


def attach_signed_pdf(
    uow: UnitOfWork,
    *,
    actor: Actor,
    version_id: str,
    pdf_bytes: bytes,
    now: datetime,
    trust_roots: Sequence[bytes] = (),
    place: str = "",
) -> SignedAttachment:
    """Attach the PDF signed digitally (PAdES): its signatures are verified without network
    (see :func:`check_signed_pdf`), then it is stored with the result as a ``pi_firmato``
    document of the version, and the version is signed and frozen like with a scan (signed on
    the date the last signature claims; at ``place``, or the comune of the PI header)."""
    _write(actor)
    check = check_signed_pdf(pdf_bytes, trust_roots=trust_roots)
    claimed = check.signatures[-1].signing_time
    signed_on = claimed.astimezone().date() if claimed is not None else now.date()
    with uow:
        current = _open_version(uow, version_id)
        where = place.strip() or PiContent.from_data(current.content).header.comune.strip()
        if not where:
            raise UserFacingError("pi.sign_place_missing")
        frozen = _frozen(current, place=where, signed_on=signed_on, now=now,
                         username=actor.username)  # fmt: skip
        doc = store_signed_copy(
            uow, actor=actor, current=current, content=pdf_bytes, mime="application/pdf",
            title=f"Progetto Individuale, versione {current.number}, firmato digitalmente",
            signed_on=signed_on, check=check, now=now,
        )  # fmt: skip
        uow.pi.save(frozen)
        _audit(uow, actor, AuditAction.UPDATE, VERSION_ENTITY, version_id, now)
        uow.commit()
    return SignedAttachment(visible(actor, frozen), doc, check)


# -- the state of each signatory -------------------------------------------------------------


@dataclass(frozen=True)
class GraphicSignatureInfo:
    """A graphic signature without its image (for listings)."""

    role: str
    captured_at: datetime
    method: str
    captured_by: str


@dataclass(frozen=True)
class SignatureState:
    """Everything known about the signatures of one version."""

    version_id: str
    number: int
    frozen: bool
    signed_at: datetime | None
    signed_on: date | None
    graphic: tuple[GraphicSignatureInfo, ...] = ()
    scans: tuple[VersionDocument, ...] = ()
    signed_pdfs: tuple[tuple[VersionDocument, SignatureCheck], ...] = ()


def signature_state(uow: UnitOfWork, *, actor: Actor, version_id: str) -> SignatureState:
    """The signatures of a version: graphic ones, the signed scans and signed PDFs."""
    actor.require(Permission.READ_CASES)
    with uow:
        version = uow.pi.get(version_id)
        if version is None:
            raise UserFacingError("pi.not_found")
        graphic = uow.signatures.graphic_of_version(version_id)
        docs = uow.signatures.documents_of_version(version_id)
    content = PiContent.from_data(version.content)
    return SignatureState(
        version_id=version_id, number=version.number, frozen=version.frozen,
        signed_at=version.signed_at, signed_on=content.signed_on,
        graphic=tuple(GraphicSignatureInfo(s.role, s.captured_at, s.method, s.captured_by)
                      for s in graphic),
        scans=tuple(d for d in docs if not d.signature_check),
        signed_pdfs=tuple((d, SignatureCheck.from_json(d.signature_check))
                          for d in docs if d.signature_check),
    )  # fmt: skip


class SignatoryStatus(enum.StrEnum):
    NON_FIRMATO = "non_firmato"
    FIRMA_GRAFICA = "firma_grafica"  # drawn on the pad, version not yet signed
    SCANSIONE = "scansione"  # signed by hand, scan attached
    DIGITALE = "digitale"  # signed digitally (the PAdES signer is this signatory)
    FIRMATO = "firmato"  # the version is signed (marked in the editor)


@dataclass(frozen=True)
class SignatoryState:
    role: str
    name: str
    status: SignatoryStatus
    at: datetime | None = None  # when captured / attached
    method: str = ""  # how a graphic signature was captured
    trusted: bool = False  # a digital signature chains to a known root


def _same_person(signer: str, name: str) -> bool:
    """The certificate's signer is the signatory named "Full Name" or "Full Name, qualifica"."""

    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    return norm(signer) != "" and norm(signer) in (norm(name), norm(name.partition(",")[0]))


def signatory_states(
    state: SignatureState, signatories: Sequence[tuple[str, str]]
) -> list[SignatoryState]:
    """The state of each (role, name) signatory, for the signatures dialog (pure)."""
    graphic = {g.role: g for g in state.graphic}
    found = []
    for role, name in signatories:
        digital = next(
            ((doc, sig) for doc, check in state.signed_pdfs for sig in check.signatures
             if _same_person(sig.signer, name)),
            None,
        )  # fmt: skip
        if digital is not None:
            doc, sig = digital
            found.append(SignatoryState(role, name, SignatoryStatus.DIGITALE,
                                        sig.signing_time or doc.created_at, "",
                                        sig.trusted))  # fmt: skip
        elif state.frozen and state.scans:
            found.append(SignatoryState(role, name, SignatoryStatus.SCANSIONE,
                                        state.scans[-1].created_at))  # fmt: skip
        elif role in graphic:
            g = graphic[role]
            status = SignatoryStatus.FIRMATO if state.frozen else SignatoryStatus.FIRMA_GRAFICA
            found.append(SignatoryState(role, name, status, g.captured_at, g.method))
        elif state.frozen:
            found.append(SignatoryState(role, name, SignatoryStatus.FIRMATO, state.signed_at))
        else:
            found.append(SignatoryState(role, name, SignatoryStatus.NON_FIRMATO))
    return found
