"""The manifest of a sealed transfer file: typed values, canonical JSON, strict reading.

The layout is documented in docs/transfer-format.md §4. Writing gives one spelling (canonical
JSON: sorted keys, no spaces, UTF-8, no NaN); reading refuses anything the format does not say:
an unknown key, a missing one, a value of the wrong type or shape. The reader is split in two so
that the sealed-file reader can look at ``format`` and the ``sender`` block, verify the signature
with the key its trust policy returns for that sender, and only then read the rest
(:func:`read_sender`, then :func:`read_manifest`).

Problems are raised as :class:`ManifestError` with the JSON path of the field (never its value);
the caller restates them as ``transfer.*`` codes naming the file.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from caseworker_app.domain.audit import AuditHead
from caseworker_app.transfer.sealed_zip import MAX_MEMBER_BYTES, MAX_MEMBERS, is_member_name

T = TypeVar("T")

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
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}", re.ASCII)
_BELFIORE = re.compile(r"[A-Z][0-9]{3}", re.ASCII)
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}", re.ASCII)
_FINGERPRINT = re.compile(r"[0-9]{40}", re.ASCII)
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_CREATED_AT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)
_VERSION_TAIL = re.compile(r"[0-9]{1,6}", re.ASCII)
_MAX_COMUNI = 500

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


def canonical_json(value: object) -> bytes:
    """Sorted keys, no insignificant spaces, UTF-8 (not ``\\u`` escapes), no NaN or Infinity."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


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
    raw = canonical_json(value)
    try:
        check_format(value)
        read_sender(value)
        read_manifest(json.loads(raw))
    except ManifestError as exc:
        raise ValueError(
            f"the manifest would not be read back: {exc.field or 'manifest'}"
        ) from None
    return raw


# -- reading -------------------------------------------------------------------------------------


def check_format(value: object) -> None:
    """``value`` is an object whose ``format`` is :data:`FORMAT`; :class:`FormatError` if
    it is another or missing (``newer`` for ``caseworker.transfer/N`` with N > 1)."""
    if not isinstance(value, dict):
        raise ManifestError("")
    found = value.get("format")
    if found == FORMAT:
        return
    if isinstance(found, str) and found.startswith(FORMAT_FAMILY + "/"):
        tail = found[len(FORMAT_FAMILY) + 1 :]
        if _VERSION_TAIL.fullmatch(tail) and int(tail) > FORMAT_VERSION:
            raise FormatError(newer=True)
    raise FormatError(newer=False)


def read_sender(value: object) -> Sender:
    """The ``sender`` block of a manifest whose format was checked (nothing else is read)."""
    data = _obj(value, "", _TOP_KEYS)
    return _section(data, "sender", _read_sender_block)


def declared_kind(value: object) -> str | None:
    """The ``kind`` a manifest claims, if it has the shape of one; not believed (the signature
    is not verified yet): only for choosing what to do with the file, or refusing it."""
    kind = value.get("kind") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and _KIND.fullmatch(kind) else None


def read_manifest(value: object) -> Manifest:
    """The whole manifest (call once its signature verified)."""
    check_format(value)
    data = _obj(value, "", _TOP_KEYS)
    try:
        transmission = uuid.UUID(_text(data, "transmission"))
    except ValueError:
        raise ManifestError("transmission") from None
    if str(transmission) != data["transmission"] or transmission.version != 4:
        raise ManifestError("transmission")
    created = _text(data, "created_at")
    if not _CREATED_AT.fullmatch(created):
        raise ManifestError("created_at")
    try:
        created_at = datetime.fromisoformat(created)
    except ValueError:
        raise ManifestError("created_at") from None
    head = data.get("audit_head", ...)
    payload = data.get("payload")
    if type(payload) is not dict:
        raise ManifestError("payload")
    kind = _match(data, "kind", _KIND)
    app_version = _match(data, "app_version", _TOKEN)
    sender = _section(data, "sender", _read_sender_block)
    recipient = _section(data, "recipient", _read_recipient)
    nobody = recipient.fingerprint is None and recipient.age_recipient is None
    if nobody and kind not in PUBLIC_KINDS:  # only a public kind may be for no one in particular
        raise ManifestError("recipient")
    return Manifest(
        format=FORMAT,
        kind=kind,
        transmission=transmission,
        created_at=created_at,
        app_version=app_version,
        sender=sender,
        recipient=recipient,
        audit_head=None if head is None else _section(data, "audit_head", _read_head),
        members=_read_members(data),
        payload=payload,
    )


def _read_sender_block(data: dict[str, Any]) -> Sender:
    _obj(data, "", _SENDER_KEYS)
    role = _text(data, "role")
    if role not in ROLES:
        raise ManifestError("role")
    comuni = data.get("comuni")
    if type(comuni) is not list or len(comuni) > _MAX_COMUNI:
        raise ManifestError("comuni")
    for index, code in enumerate(comuni):
        if type(code) is not str or not _BELFIORE.fullmatch(code):
            raise ManifestError(f"comuni[{index}]")
    if len(set(comuni)) != len(comuni):
        raise ManifestError("comuni")
    signing_public = _text(data, "signing_public")
    try:
        raw = base64.b64decode(signing_public.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise ManifestError("signing_public") from None
    if len(raw) != SIGNING_PUBLIC_BYTES or base64.b64encode(raw).decode() != signing_public:
        raise ManifestError("signing_public")
    return Sender(
        installation=_match(data, "installation", _TOKEN),
        role=role,
        ambito=_match(data, "ambito", _TOKEN),
        comuni=tuple(comuni),
        signing_public=signing_public,
        age_recipient=_match(data, "age_recipient", _AGE_RECIPIENT),
    )


def _read_recipient(data: dict[str, Any]) -> RecipientRef:
    _obj(data, "", _RECIPIENT_KEYS)
    if not data.keys() >= _RECIPIENT_KEYS:
        raise ManifestError(next(iter(sorted(_RECIPIENT_KEYS - data.keys()))))
    fingerprint = None if data["fingerprint"] is None else _match(data, "fingerprint", _FINGERPRINT)
    recipient = None if data["age_recipient"] is None else _match(
        data, "age_recipient", _AGE_RECIPIENT
    )  # fmt: skip
    return RecipientRef(fingerprint=fingerprint, age_recipient=recipient)


def _read_head(data: dict[str, Any]) -> AuditHead:
    _obj(data, "", _HEAD_KEYS)
    seq = data.get("seq")
    if type(seq) is not int or seq < 0 or seq >= 10**12:
        raise ManifestError("seq")
    return AuditHead(seq=seq, hash=_match(data, "hash", _HEX64))


def _read_members(data: dict[str, Any]) -> tuple[MemberEntry, ...]:
    items = data.get("members")
    if type(items) is not list:
        raise ManifestError("members")
    if len(items) > MAX_MEMBERS:
        raise ManifestError("members")
    members: list[MemberEntry] = []
    for index, item in enumerate(items):
        where = f"members[{index}]"
        entry = _section({where: item}, where, _read_member)
        if members and entry.name <= members[-1].name:  # sorted, no name twice
            raise ManifestError(where + ".name")
        members.append(entry)
    return tuple(members)


def _read_member(data: dict[str, Any]) -> MemberEntry:
    _obj(data, "", _MEMBER_KEYS)
    name = _text(data, "name")
    if not is_member_name(name) or name in ("manifest.json", "manifest.sig"):
        raise ManifestError("name")
    size = data.get("size")
    if type(size) is not int or not 0 <= size <= MAX_MEMBER_BYTES:
        raise ManifestError("size")
    return MemberEntry(name=name, size=size, sha256=_match(data, "sha256", _HEX64))


# -- small strict readers --------------------------------------------------------------------------


def _obj(value: object, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict:
        raise ManifestError(where)
    unknown = sorted(k for k in value if k not in allowed)
    if unknown:
        raise ManifestError(_join(where, unknown[0]))
    return value


def _section(data: dict[str, Any], key: str, read: Callable[[dict[str, Any]], T]) -> T:
    value = data.get(key)
    if type(value) is not dict:
        raise ManifestError(key)
    try:
        return read(value)
    except ManifestError as exc:
        raise ManifestError(_join(key, exc.field)) from None


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if type(value) is not str or not value:
        raise ManifestError(key)
    return value


def _match(data: dict[str, Any], key: str, shape: re.Pattern[str]) -> str:
    value = _text(data, key)
    if not shape.fullmatch(value):
        raise ManifestError(key)
    return value


def _join(path: str, key: str) -> str:
    if not path or not key:
        return path or key
    return path + key if key.startswith("[") else f"{path}.{key}"
