"""Builders for the sealed-container tests: keys, a valid file, and hand-made archives.

``craft`` builds an archive with ``zipfile`` directly (not with the writer under test), signs a
manifest with plain ``cryptography`` and encrypts with ``pyrage``, so that every bad archive the
reader must refuse can be made exactly.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519

from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.transfer.sealed import (
    RecipientRef,
    SealedFile,
    SealResult,
    Sender,
    open_sealed,
    write_sealed,
)

CREATED = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
HEAD = AuditHead(seq=42, hash="ab" * 32)


def public_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


@dataclass
class Party:
    """One installation: its signing key and age identity."""

    role: str = "comune"
    comuni: tuple[str, ...] = ("A010",)
    signing: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    identity: Any = field(default_factory=x25519.Identity.generate)
    installation: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def recipient(self) -> Any:
        return self.identity.to_public()

    @property
    def sender(self) -> Sender:
        return Sender(
            installation=self.installation,
            role=self.role,
            ambito="abbiatense",
            comuni=self.comuni,
            signing_public=public_text(self.signing),
            age_recipient=str(self.recipient),
        )

    def trust(self) -> Callable[[Sender], Ed25519PublicKey]:
        """A policy that pins this party's key."""
        pinned = self.signing.public_key()

        def policy(sender: Sender) -> Ed25519PublicKey:
            if sender.signing_public != public_text(self.signing):
                raise UserFacingError("keys.unknown_sender_test")
            return pinned

        return policy


@dataclass
class Pair:
    comune: Party = field(default_factory=Party)
    capofila: Party = field(default_factory=lambda: Party(role="capofila", comuni=()))

    def seal(
        self, path: Path, members: Mapping[str, bytes] | None = None, **overrides: Any
    ) -> SealResult:
        arguments: dict[str, Any] = {
            "kind": "istruttorie",
            "sender": self.comune.sender,
            "signing_key": self.comune.signing,
            "recipients": [self.capofila.recipient],
            "recipient": RecipientRef(fingerprint="1" * 40, age_recipient=None),
            "members": sample_members() if members is None else members,
            "payload": {"istanze": [{"protocollo": "A010-2024-000001", "versione": 1}]},
            "app_version": "0.1.0",
            "created_at": CREATED,
            "audit_head": HEAD,
        }
        arguments.update(overrides)
        return write_sealed(path, **arguments)

    def open(self, path: Path, **overrides: Any) -> SealedFile:
        arguments: dict[str, Any] = {
            "identities": self.capofila.identity,
            "trust": self.comune.trust(),
        }
        arguments.update(overrides)
        return open_sealed(path, **arguments)


def sample_members() -> dict[str, bytes]:
    return {
        "istanze/0001/record.json": b'{"format":"caseworker.istanza/1"}' * 20,
        "istanze/0001/documenti/isee.pdf": bytes(range(256)) * 40,
        "istanze/0002/record.json": b'{"format":"caseworker.istanza/1","n":2}',
        "attestazione.pdf": b"%PDF-1.7\n" + b"x" * 3000,
    }


def refused(call: Callable[[], object], code: str | None = None) -> UserFacingError:
    """The refusal ``call`` raises; its code is ``code`` if given, and always ``transfer.*``."""
    with pytest.raises(UserFacingError) as caught:
        call()
    error = caught.value
    assert error.code.startswith("transfer."), error.code
    if code is not None:
        assert error.code == code, str(error)
    return error


# -- hand-made archives --------------------------------------------------------------------------

Entry = tuple[zipfile.ZipInfo | str, bytes]


def manifest_for(
    party: Party,
    members: Mapping[str, bytes],
    *,
    recipient: Party | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A valid manifest listing ``members`` exactly."""
    value: dict[str, Any] = {
        "format": "caseworker.transfer/1",
        "kind": "istruttorie",
        "transmission": str(uuid.uuid4()),
        "created_at": CREATED.isoformat(),
        "app_version": "0.1.0",
        "sender": {
            "installation": party.installation,
            "role": party.role,
            "ambito": "abbiatense",
            "comuni": list(party.comuni),
            "signing_public": public_text(party.signing),
            "age_recipient": str(party.recipient),
        },
        "recipient": {
            "fingerprint": None,
            "age_recipient": None if recipient is None else str(recipient.recipient),
        },
        "audit_head": None,
        "members": [
            {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
            for n, d in sorted(members.items())
        ],
        "payload": {},
    }
    if recipient is None:
        value["recipient"]["fingerprint"] = "2" * 40
    value.update(overrides)
    return value


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def zip_bytes(entries: Sequence[Entry], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypt(data: bytes, recipients: Sequence[Any]) -> bytes:
    return bytes(pyrage.encrypt(data, list(recipients)))


def craft(
    path: Path,
    pair: Pair,
    *,
    members: Mapping[str, bytes] | None = None,
    manifest: bytes | dict[str, Any] | None = None,
    signature: bytes | None = None,
    extra: Sequence[Entry] = (),
    skip: Sequence[str] = (),
    compression: int = zipfile.ZIP_DEFLATED,
    archive: Callable[[bytes], bytes] | None = None,
) -> Path:
    """A sealed file made by hand: ``members`` (default the sample) and a manifest (default the
    valid one; a dict is encoded canonically) signed by the comune (or ``signature``), plus
    ``extra`` entries, without the entries named in ``skip``; ``archive`` may rewrite the ZIP
    bytes before encryption."""
    content = sample_members() if members is None else dict(members)
    if manifest is None:
        manifest = manifest_for(pair.comune, content)
    raw = canonical(manifest) if isinstance(manifest, dict) else manifest
    sig = pair.comune.signing.sign(raw) if signature is None else signature
    entries: list[Entry] = [(n, d) for n, d in content.items()]
    entries += [("manifest.json", raw), ("manifest.sig", sig), *extra]
    entries = [e for e in entries if _name(e[0]) not in skip]
    data = zip_bytes(entries, compression=compression)
    if archive is not None:
        data = archive(data)
    path.write_bytes(encrypt(data, [pair.capofila.recipient]))
    return path


def _name(name: zipfile.ZipInfo | str) -> str:
    return name.filename if isinstance(name, zipfile.ZipInfo) else name


# -- rewriting a ZIP in place ---------------------------------------------------------------------


def central_entry(data: bytes, name: str) -> int:
    encoded = name.encode()
    position = data.rindex(b"PK\x01\x02")
    while data[position + 46 : position + 46 + len(encoded)] != encoded:
        position = data.rindex(b"PK\x01\x02", 0, position)
    return position


def patch_central(data: bytes, name: str, *, header_offset: int) -> bytes:
    patched = bytearray(data)
    position = central_entry(data, name)
    patched[position + 42 : position + 46] = header_offset.to_bytes(4, "little")
    return bytes(patched)


def patch_sizes(data: bytes, name: str, *, file_size: int) -> bytes:
    """Declare ``file_size`` for ``name`` in its central entry and its local header."""
    patched = bytearray(data)
    central = central_entry(data, name)
    patched[central + 24 : central + 28] = file_size.to_bytes(4, "little")
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    patched[local + 22 : local + 26] = file_size.to_bytes(4, "little")
    return bytes(patched)
