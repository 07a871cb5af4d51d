"""Signed-only transfer files: the archive of a sealed file, without the age layer.

A file of a *public* kind (:data:`~caseworker_app.transfer.sealed_manifest.PUBLIC_KINDS`: the
ambito package, which the capofila hands to comuni whose keys it does not know yet) may travel
signed but not encrypted: the file *is* the ZIP archive (members, ``manifest.json``,
``manifest.sig``). Without age, nothing authenticates the archive's own bytes (ZIP headers carry
fields no reader interprets: times, attributes, data descriptors), so a signed-only archive must
be in the one **canonical layout** written here, and the reader rebuilds that layout from what it
verified and compares it byte for byte (:func:`check_canonical`): a changed byte anywhere is
refused. docs/transfer-format.md §8 gives the layout.

The layout: the members in name order (byte order, as in the manifest), then ``manifest.json``,
then ``manifest.sig``; every entry stored (method 0), no data descriptor, no extra field, no
comment, dated 1980-01-01 00:00; local headers "version needed 2.0", flags 0; central entries
"made by Unix 2.0", internal attributes 0, external attributes a regular file ``0644``; then the
End of Central Directory record with no comment.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import struct
import uuid
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from caseworker_app import fsutil
from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.transfer.sealed_manifest import (
    FORMAT,
    PUBLIC_KINDS,
    Manifest,
    MemberEntry,
    RecipientRef,
    Sender,
    manifest_json,
)
from caseworker_app.transfer.sealed_write import SealResult, _write_error, publish
from caseworker_app.transfer.sealed_zip import (
    MANIFEST_NAME,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MIB,
    SIGNATURE_NAME,
    check_member_name,
)

#: how a signed-only file begins (a ZIP local file header)
ZIP_MAGIC = b"PK\x03\x04"
#: a signed-only file (read whole into memory, twice over while it is checked)
MAX_SIGNED_FILE_BYTES = 64 * MIB

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_VERSION_NEEDED = 20  # 2.0: stored entries
_MADE_BY = (3 << 8) | 20  # Unix, 2.0
_DOS_TIME = 0
_DOS_DATE = (1 << 5) | 1  # 1980-01-01
_EXTERNAL = 0o100644 << 16  # a regular file, rw-r--r--

Entry = tuple[str, bytes]


def canonical_entries(
    members: Sequence[tuple[str, bytes]], manifest_bytes: bytes, signature: bytes
) -> list[Entry]:
    """The entries of a signed-only archive in their canonical order."""
    ordered = sorted(members, key=lambda item: item[0].encode("ascii"))
    return [*ordered, (MANIFEST_NAME, manifest_bytes), (SIGNATURE_NAME, signature)]


def canonical_archive(entries: Sequence[Entry]) -> Iterator[bytes]:
    """The bytes of the canonical archive of ``entries`` (in the order given), in pieces."""
    central: list[bytes] = []
    offset = 0
    for name, data in entries:
        encoded = name.encode("ascii")
        crc = zlib.crc32(data)
        local = _LOCAL.pack(
            b"PK\x03\x04", _VERSION_NEEDED, 0, 0, _DOS_TIME, _DOS_DATE,
            crc, len(data), len(data), len(encoded), 0,
        )  # fmt: skip
        header = _CENTRAL.pack(
            b"PK\x01\x02", _MADE_BY, _VERSION_NEEDED, 0, 0, _DOS_TIME, _DOS_DATE,
            crc, len(data), len(data), len(encoded), 0, 0, 0, 0, _EXTERNAL, offset,
        )  # fmt: skip
        central.append(header + encoded)
        yield local + encoded
        yield data
        offset += len(local) + len(encoded) + len(data)
    directory = b"".join(central)
    yield directory
    yield _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)


def check_canonical(plain: io.BytesIO, entries: Sequence[Entry], *, file: str) -> None:
    """``plain`` is exactly the canonical archive of ``entries``; ``transfer.not_canonical``
    otherwise (a signed-only file changed in a byte that the signature does not cover)."""
    view = plain.getbuffer()
    try:
        position = 0
        for piece in canonical_archive(entries):
            end = position + len(piece)
            if end > len(view) or view[position:end] != piece:
                raise UserFacingError("transfer.not_canonical", file=file)
            position = end
        if position != len(view):
            raise UserFacingError("transfer.not_canonical", file=file)
    finally:
        view.release()


def write_signed(
    path: Path,
    *,
    kind: str,
    sender: Sender,
    signing_key: Ed25519PrivateKey,
    members: Mapping[str, bytes],
    payload: Mapping[str, object],
    app_version: str,
    created_at: datetime,
    recipient: RecipientRef | None = None,
    transmission: uuid.UUID | None = None,
    audit_head: AuditHead | None = None,
    overwrite: bool = False,
) -> SealResult:
    """Write a signed-only file of the public ``kind`` (see the module docstring) at ``path``:
    private (0600), through a temporary file that replaces the target only when complete.

    ``recipient`` defaults to none (a file for whoever receives it). A kind that is not public,
    a bad member name or a key that is not ``sender``'s is a bug (``ValueError``); a member or
    file beyond the limits, or a folder that cannot be written, a ``transfer.*`` error."""
    if kind not in PUBLIC_KINDS:
        raise ValueError(f"kind {kind!r} must be encrypted: use write_sealed")
    if created_at.tzinfo is None:
        raise ValueError("created_at needs a time zone offset")
    own_public = base64.b64encode(
        signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ).decode("ascii")
    if own_public != sender.signing_public:
        raise ValueError("sender.signing_public is not the signing key's public key")
    name = path.name or str(path)
    seen: set[str] = set()
    for member, data in members.items():
        check_member_name(member)
        if member.casefold() in seen:
            raise ValueError(f"member {member!r} twice")
        seen.add(member.casefold())
        if len(data) > MAX_MEMBER_BYTES:
            raise UserFacingError(
                "transfer.member_too_large_to_send", file=name, limit=MAX_MEMBER_BYTES // MIB
            )
    if len(members) > MAX_MEMBERS:
        raise UserFacingError("transfer.too_many_members_to_send", file=name, limit=MAX_MEMBERS)
    if sum(len(data) for data in members.values()) > MAX_SIGNED_FILE_BYTES:
        raise UserFacingError(
            "transfer.too_large_to_send", file=name, limit=MAX_SIGNED_FILE_BYTES // MIB
        )
    entries = tuple(
        MemberEntry(name=m, size=len(d), sha256=hashlib.sha256(d).hexdigest())
        for m, d in sorted(members.items(), key=lambda item: item[0].encode("ascii"))
    )
    manifest = Manifest(
        format=FORMAT,
        kind=kind,
        transmission=transmission or uuid.uuid4(),
        created_at=created_at,
        app_version=app_version,
        sender=sender,
        recipient=recipient or RecipientRef(),
        audit_head=audit_head,
        members=entries,
        payload=dict(payload),
    )
    raw = manifest_json(manifest)
    content = b"".join(
        canonical_archive(canonical_entries(list(members.items()), raw, signing_key.sign(raw)))
    )
    if len(content) > MAX_SIGNED_FILE_BYTES:
        raise UserFacingError(
            "transfer.too_large_to_send", file=name, limit=MAX_SIGNED_FILE_BYTES // MIB
        )
    _write_atomically(path, content, name=name, overwrite=overwrite)
    return SealResult(
        path=path,
        manifest=manifest,
        manifest_bytes=raw,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _write_atomically(path: Path, content: bytes, *, name: str, overwrite: bool) -> None:
    if not overwrite and path.exists():
        raise UserFacingError("transfer.target_exists", file=name)
    folder = path.parent
    tmp = fsutil.temp_name(folder, suffix=".part")
    try:
        try:
            with fsutil.open_private(tmp) as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _write_error(exc, name) from None
        publish(tmp, path, name=name, overwrite=overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
