"""The manifest of a sealed transfer file: typed values, canonical JSON, strict reading.

The layout is documented in docs/transfer-format.md §4. Writing gives one spelling (canonical
JSON: sorted keys, no spaces, UTF-8, no NaN); reading refuses anything the format does not say:
an unknown key, a missing one, a value of the wrong type or shape. The reader is split in two so
that the sealed-file reader can look at ``format`` and the ``sender`` block, verify the signature
with the key its trust policy returns for that sender, and only then read the rest
(:func:`read_sender`, then :func:`read_manifest`).

Read on the toolkit of :mod:`json_fields` and :mod:`json_shapes`; problems are raised as
:class:`ManifestError` with the JSON path of the field (never its value), which the caller
restates as ``transfer.*`` codes naming the file.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from caseworker_app.domain.audit import AuditHead
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError
from caseworker_app.transfer.json_shapes import canonical_json as canonical_json  # re-exported
from caseworker_app.transfer.sealed_zip import MAX_MEMBER_BYTES, MAX_MEMBERS, is_member_name

FORMAT_FAMILY = "caseworker.transfer"
FORMAT_VERSION = 1
FORMAT = f"{FORMAT_FAMILY}/{FORMAT_VERSION}"
#: the roles of an installation (as in domain/installation_keys.py)
ROLES = ("comune", "capofila")
#: the kinds whose content is public: they may travel signed but not encrypted (a signed-only
#: file, :mod:`sealed_signed`), and they may name no recipient (the ambito package is for every
#: comune of the ambito, whose keys its capofila does not know yet)
PUBLIC_KINDS = frozenset({"ambito"})
SIGNATURE_BYTES = 64
SIGNING_PUBLIC_BYTES = 32

_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}", re.ASCII)
_FINGERPRINT = re.compile(r"[0-9]{40}", re.ASCII)
_MAX_COMUNI = 500
_MAX_SEQ = 10**12 - 1
_RESERVED = frozenset({"manifest.json", "manifest.sig"})

_TOP_KEYS = frozenset(
    {
        "format",
        "kind",
        "transmission",
        "created_at",
        "app_version",
        "sender",
        "recipient",
        "audit_head",
        "members",
        "payload",
    }
)
_SENDER_KEYS = frozenset(
    {"installation", "role", "ambito", "comuni", "signing_public", "age_recipient"}
)
_RECIPIENT_KEYS = frozenset({"fingerprint", "age_recipient"})
_HEAD_KEYS = frozenset({"seq", "hash"})
_MEMBER_KEYS = frozenset({"name", "size", "sha256"})


@dataclass(frozen=True)
class Sender:
    """Who sent the file (the same fields as ``domain.installation_keys.PublicKeyBundle``)."""

    installation: str  # the sender's store id
    role: str  # "comune" | "capofila"
    ambito: str
    comuni: tuple[str, ...]  # codici catastali the sender acts for
    signing_public: str  # Ed25519 public key, standard base64 of the 32 raw bytes
    age_recipient: str  # the sender's own age recipient (for the answer), "age1…"

    @property
    def signing_public_bytes(self) -> bytes:
        return base64.b64decode(self.signing_public)


@dataclass(frozen=True)
class RecipientRef:
    """Whom the file is for: the recipient's fingerprint (40 digits), its age recipient, or both;
    neither only in a file of a public kind (:data:`PUBLIC_KINDS`), for whoever receives it."""

    fingerprint: str | None = None
    age_recipient: str | None = None


@dataclass(frozen=True)
class MemberEntry:
    name: str
    size: int
    sha256: str  # lowercase hex


@dataclass(frozen=True)
class Manifest:
    format: str
    kind: str
    transmission: uuid.UUID
    created_at: datetime
    app_version: str
    sender: Sender
    recipient: RecipientRef
    audit_head: AuditHead | None
    members: tuple[MemberEntry, ...]
    payload: Mapping[str, Any] = field(default_factory=dict)

    def member(self, name: str) -> MemberEntry | None:
        return next((m for m in self.members if m.name == name), None)


class ManifestError(Exception):
    """``field``: the JSON path of what is wrong (``""``: the whole manifest)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class FormatError(Exception):
    """``format`` is missing or not ours (``newer``: a later version of ours)."""

    def __init__(self, *, newer: bool) -> None:
        super().__init__("newer" if newer else "unknown")
        self.newer = newer


# -- writing -------------------------------------------------------------------------------------


def sender_json(sender: Sender) -> dict[str, object]:
    return {
        "installation": sender.installation,
        "role": sender.role,
        "ambito": sender.ambito,
        "comuni": list(sender.comuni),
        "signing_public": sender.signing_public,
        "age_recipient": sender.age_recipient,
    }


def manifest_json(manifest: Manifest) -> bytes:
    """The canonical bytes of ``manifest``; it is read back first, so that a writer never
    produces a manifest the reader would refuse (``ValueError`` naming the field: a bug)."""
    head = manifest.audit_head
    value: dict[str, object] = {
        "format": manifest.format,
        "kind": manifest.kind,
        "transmission": str(manifest.transmission),
        "created_at": manifest.created_at.isoformat(),
        "app_version": manifest.app_version,
        "sender": sender_json(manifest.sender),
        "recipient": {
            "fingerprint": manifest.recipient.fingerprint,
            "age_recipient": manifest.recipient.age_recipient,
        },
        "audit_head": None if head is None else {"seq": head.seq, "hash": head.hash},
        "members": [
            {"name": m.name, "size": m.size, "sha256": m.sha256}
            for m in sorted(manifest.members, key=lambda m: m.name)
        ],
        "payload": dict(manifest.payload),
    }
    try:
        check_format(value)
    except (ManifestError, FormatError):
        raise ValueError("the manifest would not be read back: format") from None
    raw, _ = shapes.written(value, _read_manifest, name="the manifest")
    return raw


# -- reading -------------------------------------------------------------------------------------


def check_format(value: object) -> None:
    """``value`` is an object whose ``format`` is :data:`FORMAT`; :class:`FormatError` if
    it is another or missing (``newer`` for ``caseworker.transfer/N`` with N > 1)."""
    if not isinstance(value, dict):
        raise ManifestError("")
    if value.get("format") != FORMAT:
        raise FormatError(newer=fields.is_newer_format(value.get("format"), FORMAT))


def read_sender(value: object) -> Sender:
    """The ``sender`` block of a manifest whose format was checked (nothing else is read, and
    no key is required yet but ``sender``: the rest waits for the signature)."""
    try:
        return shapes.section(shapes.obj(value, _TOP_KEYS), "sender", _read_sender)
    except FieldError as exc:
        raise ManifestError(exc.key) from None


def declared_kind(value: object) -> str | None:
    """The ``kind`` a manifest claims, if it has the shape of one; not believed (the signature
    is not verified yet): only for choosing what to do with the file, or refusing it."""
    kind = value.get("kind") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and _KIND.fullmatch(kind) else None


def read_manifest(value: object) -> Manifest:
    """The whole manifest (call once its signature verified)."""
    check_format(value)
    try:
        return _read_manifest(value)
    except FieldError as exc:
        raise ManifestError(exc.key) from None


def _read_manifest(value: object) -> Manifest:
    data = shapes.exact(value, _TOP_KEYS)
    transmission = fields.uuid4(data, "transmission")
    created_at = fields.zoned_timestamp(data, "created_at")
    payload = data["payload"]
    if type(payload) is not dict:
        raise FieldError("payload", "deve essere un oggetto {…}")
    kind = fields.match(data, "kind", _KIND)
    app_version = fields.match(data, "app_version", fields.TOKEN)
    sender = shapes.section(data, "sender", _read_sender)
    recipient = shapes.section(data, "recipient", _read_recipient)
    nobody = recipient.fingerprint is None and recipient.age_recipient is None
    if nobody and kind not in PUBLIC_KINDS:  # only a public kind may be for no one in particular
        raise FieldError("recipient", "manca il destinatario")
    head = None if data["audit_head"] is None else shapes.section(data, "audit_head", _read_head)
    members = shapes.each(data, "members", _read_member, high=MAX_MEMBERS)
    shapes.ascending(members, "members", lambda m: m.name, field="name")  # none twice
    return Manifest(
        format=FORMAT,
        kind=kind,
        transmission=transmission,
        created_at=created_at,
        app_version=app_version,
        sender=sender,
        recipient=recipient,
        audit_head=head,
        members=members,
        payload=payload,
    )


def _read_sender(value: object) -> Sender:
    data = shapes.exact(value, _SENDER_KEYS)
    role = fields.code(data, "role", ROLES, label="ruolo")
    comuni = shapes.texts(data, "comuni", fields.BELFIORE, high=_MAX_COMUNI)
    shapes.unique(comuni, "comuni", lambda code: code)
    return Sender(
        installation=fields.match(data, "installation", fields.TOKEN),
        role=role,
        ambito=fields.match(data, "ambito", fields.TOKEN),
        comuni=comuni,
        signing_public=fields.base64_text(data, "signing_public", SIGNING_PUBLIC_BYTES),
        age_recipient=fields.match(data, "age_recipient", fields.AGE_RECIPIENT),
    )


def _read_recipient(value: object) -> RecipientRef:
    data = shapes.exact(value, _RECIPIENT_KEYS)
    fingerprint = data["fingerprint"]
    age_recipient = data["age_recipient"]
    return RecipientRef(
        fingerprint=None
        if fingerprint is None
        else fields.match(data, "fingerprint", _FINGERPRINT),
        age_recipient=None
        if age_recipient is None
        else fields.match(data, "age_recipient", fields.AGE_RECIPIENT),
    )


def _read_head(value: object) -> AuditHead:
    data = shapes.exact(value, _HEAD_KEYS)
    return AuditHead(
        seq=fields.integer(data, "seq", low=0, high=_MAX_SEQ),
        hash=fields.match(data, "hash", fields.SHA256_HEX),
    )


def _read_member(value: object) -> MemberEntry:
    data = shapes.exact(value, _MEMBER_KEYS)
    name = data["name"]
    if type(name) is not str or not is_member_name(name) or name in _RESERVED:
        raise FieldError("name", "nome di membro non ammesso")
    return MemberEntry(
        name=name,
        size=fields.integer(data, "size", low=0, high=MAX_MEMBER_BYTES),
        sha256=fields.match(data, "sha256", fields.SHA256_HEX),
    )
