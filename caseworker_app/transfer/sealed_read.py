"""Reading sealed transfer files (docs/transfer-format.md; the writer is :mod:`sealed_write`).

:func:`open_sealed` decrypts with this installation's identities (in memory: the clear archive
never touches the disk), checks the archive's structure (:mod:`sealed_zip`), reads the format and
the sender block of the manifest, verifies the signature with the key the caller's trust policy
returns for that sender, and only then reads the rest of the manifest and verifies every member.
It returns a result only when everything holds; otherwise it raises a ``transfer.*``
:class:`UserFacingError` naming the file (its name only), or :class:`Cancelled`.

A file that begins as a ZIP archive instead of an age file is *signed-only* (:mod:`sealed_signed`):
accepted only for a public kind, and only in the canonical layout, checked byte for byte.

The two halves can be called apart: :func:`open_envelope` (read, decrypt, check the structure,
read the format, the sender and the kind the file *claims*), then :meth:`Envelope.verify` with
the key that must have signed; so that an importer of "any of our files" can choose, by the
claimed kind, which importer (and which trust policy) gets the file, reading it once.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyrage import x25519

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.transfer import json_input
from caseworker_app.transfer.sealed_base import (
    AGE_MAGIC,
    CHUNK_BYTES,
    MAX_FILE_BYTES,
    MAX_MANIFEST_BYTES,
    NoProgress,
    ProgressSink,
    step,
)
from caseworker_app.transfer.sealed_manifest import (
    PUBLIC_KINDS,
    SIGNATURE_BYTES,
    FormatError,
    Manifest,
    ManifestError,
    MemberEntry,
    Sender,
    check_format,
    declared_kind,
    read_manifest,
    read_sender,
)
from caseworker_app.transfer.sealed_signed import (
    MAX_SIGNED_FILE_BYTES,
    ZIP_MAGIC,
    canonical_entries,
    check_canonical,
)
from caseworker_app.transfer.sealed_zip import MANIFEST_NAME, MIB, SIGNATURE_NAME, SafeArchive

_REPORT_EVERY = 1 * MIB
#: how pyrage says that no identity opens the file
_NO_KEYS = "No matching keys"

TrustPolicy = Callable[[Sender], Ed25519PublicKey]


class SealedFile:
    """A sealed file whose signature and members all verified. The clear archive stays in
    memory; :meth:`read` gives a member's bytes (checked again against the manifest)."""

    def __init__(
        self,
        *,
        file: str,
        archive: SafeArchive,
        manifest: Manifest,
        manifest_bytes: bytes,
        signature: bytes,
        sha256: str,
        encrypted: bool = True,
    ) -> None:
        self.file = file
        self.manifest = manifest
        self.manifest_bytes = manifest_bytes
        self.signature = signature
        self.sha256 = sha256  # of the sealed file as read, lowercase hex
        self.encrypted = encrypted  # False: a signed-only file (a public kind)
        self._archive = archive
        self._entries = {m.name: m for m in manifest.members}

    @property
    def manifest_sha256(self) -> str:
        """The SHA-256 of ``manifest.json`` (lowercase hex): what the signature covers, so the
        identity of the content whatever the encryption (a file encrypted twice differs)."""
        return _hex(self.manifest_bytes)

    @property
    def names(self) -> tuple[str, ...]:
        """The member names, sorted as in the manifest."""
        return tuple(m.name for m in self.manifest.members)

    def read(self, name: str) -> bytes:
        """The bytes of member ``name`` (``KeyError`` if the manifest does not list it)."""
        entry = self._entries[name]
        data = self._archive.read(name, limit=entry.size)
        if data is None or len(data) != entry.size or _hex(data) != entry.sha256:
            raise UserFacingError("transfer.member_mismatch", file=self.file, member=name)
        return data

    def members(self) -> Iterator[tuple[MemberEntry, bytes]]:
        for entry in self.manifest.members:
            yield entry, self.read(entry.name)


class Envelope:
    """A transfer file read (decrypted if it was encrypted), whose archive passed the structure
    checks and whose manifest's format and sender block were read. **Nothing in it is believed
    yet**: :attr:`kind` and :attr:`sender` are what the file claims, for choosing whose key must
    have signed it; :meth:`verify` checks that signature and everything else."""

    def __init__(
        self,
        *,
        file: str,
        encrypted: bool,
        plain: io.BytesIO,
        archive: SafeArchive,
        manifest_bytes: bytes,
        signature: bytes,
        value: object,
        sender: Sender,
        sha256: str,
        size: int,
        progress: ProgressSink,
    ) -> None:
        self.file = file
        self.encrypted = encrypted
        self.sender = sender
        self.manifest_bytes = manifest_bytes
        self.sha256 = sha256  # of the file as read, lowercase hex
        self._plain = plain
        self._archive = archive
        self._signature = signature
        self._value = value
        self._size = size
        self._progress = progress

    @property
    def kind(self) -> str | None:
        """The kind the manifest claims (``None``: none of the right shape); not verified."""
        return declared_kind(self._value)

    @property
    def manifest_sha256(self) -> str:
        return _hex(self.manifest_bytes)

    def verify(self, key: Ed25519PublicKey, *, kinds: Collection[str] | None = None) -> SealedFile:
        """The file, once ``key`` verified the manifest's signature, the manifest read strictly,
        its kind one of ``kinds`` (when given), every member checked and, for a signed-only
        file, its archive found canonical; a ``transfer.*`` refusal otherwise."""
        file = self.file
        try:
            if len(self._signature) != SIGNATURE_BYTES:
                raise InvalidSignature()
            key.verify(self._signature, self.manifest_bytes)
        except InvalidSignature:
            raise UserFacingError("transfer.signature_invalid", file=file) from None
        try:
            manifest = read_manifest(self._value)
        except ManifestError as exc:
            raise _manifest_error(file, exc.field) from None
        if not self.encrypted and manifest.kind not in PUBLIC_KINDS:
            raise UserFacingError("transfer.not_encrypted", file=file)
        if kinds is not None and manifest.kind not in kinds:
            raise UserFacingError("transfer.kind_unexpected", file=file)
        _verify_members(self._archive, manifest, file, self._progress, self._size)
        if not self.encrypted:
            members = [
                (m.name, self._archive.read(m.name, limit=m.size) or b"") for m in manifest.members
            ]
            entries = canonical_entries(members, self.manifest_bytes, self._signature)
            check_canonical(self._plain, entries, file=file)
        return SealedFile(
            file=file,
            archive=self._archive,
            manifest=manifest,
            manifest_bytes=self.manifest_bytes,
            signature=self._signature,
            sha256=self.sha256,
            encrypted=self.encrypted,
        )


def open_envelope(
    path: Path,
    *,
    identities: x25519.Identity | Sequence[x25519.Identity] = (),
    progress: ProgressSink | None = None,
) -> Envelope:
    """Read the transfer file at ``path`` up to what the signature check needs (see
    :class:`Envelope`). An age file is decrypted with ``identities`` (none:
    ``transfer.not_for_this_installation``); a signed-only file is refused at once
    (``transfer.not_encrypted``) unless it claims a public kind."""
    keys = [identities] if isinstance(identities, x25519.Identity) else list(identities)
    if not all(isinstance(k, x25519.Identity) for k in keys):
        raise TypeError("identities must be pyrage x25519 identities")
    file = path.name or str(path)
    sink = progress or NoProgress()
    plain, sha256, size, encrypted = _load(path, file, keys, sink)
    archive = SafeArchive(plain, file=file)
    raw = archive.read(MANIFEST_NAME, limit=MAX_MANIFEST_BYTES)
    if raw is None:
        raise UserFacingError("transfer.manifest_missing", file=file)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise _manifest_error(file, "")
    signature = archive.read(SIGNATURE_NAME, limit=SIGNATURE_BYTES)
    if signature is None:
        raise UserFacingError("transfer.signature_missing", file=file)
    try:
        value = json_input.decode(raw)
    except json_input.JsonInputError as exc:
        raise UserFacingError("transfer.manifest_unreadable", file=file, what=exc.what()) from None
    try:
        check_format(value)
        sender = read_sender(value)
    except FormatError as exc:
        if exc.newer:
            raise UserFacingError("transfer.format_newer", file=file) from None
        raise UserFacingError("transfer.format_unknown", file=file) from None
    except ManifestError as exc:
        raise _manifest_error(file, exc.field) from None
    if not encrypted and declared_kind(value) not in PUBLIC_KINDS:
        raise UserFacingError("transfer.not_encrypted", file=file)
    return Envelope(
        file=file,
        encrypted=encrypted,
        plain=plain,
        archive=archive,
        manifest_bytes=raw,
        signature=signature,
        value=value,
        sender=sender,
        sha256=sha256,
        size=size,
        progress=sink,
    )


def open_sealed(
    path: Path,
    *,
    identities: x25519.Identity | Sequence[x25519.Identity],
    trust: TrustPolicy,
    kinds: Collection[str] | None = None,
    progress: ProgressSink | None = None,
) -> SealedFile:
    """Decrypt and verify the sealed file at ``path`` (see the module docstring).

    ``trust(sender)`` returns the Ed25519 key that must have signed the manifest (the pinned key
    of that sender; at first contact, perhaps the one in the block once the user confirmed its
    fingerprint) or raises its own refusal; it sees only the sender block, read before anything
    else of the manifest is believed. ``kinds``: the kinds the caller accepts.
    ``progress`` gets bytes done of a total and may cancel (:class:`Cancelled`)."""
    envelope = open_envelope(path, identities=identities, progress=progress)
    return envelope.verify(trust(envelope.sender), kinds=kinds)


def _manifest_error(file: str, field: str) -> UserFacingError:
    if not field:  # the whole manifest: too large, or not a JSON object
        return UserFacingError("transfer.manifest_shape", file=file)
    return UserFacingError("transfer.manifest_invalid", file=file, field=field)


def _verify_members(
    archive: SafeArchive, manifest: Manifest, file: str, progress: ProgressSink, size: int
) -> None:
    listed = {m.name for m in manifest.members}
    present = archive.members()
    unlisted = sorted(present - listed)
    if unlisted:
        raise UserFacingError("transfer.member_unlisted", file=file, member=unlisted[0])
    missing = sorted(listed - present)
    if missing:
        raise UserFacingError("transfer.member_missing", file=file, member=missing[0])
    total = max(1, sum(m.size for m in manifest.members))
    done = 0
    reported = 0
    for entry in manifest.members:
        if archive.entries[entry.name].file_size != entry.size:
            raise UserFacingError("transfer.member_mismatch", file=file, member=entry.name)
        digest = hashlib.sha256()
        seen = 0
        for chunk in archive.chunks(entry.name, limit=entry.size):
            seen += len(chunk)
            digest.update(chunk)
            done += len(chunk)
            if done - reported >= _REPORT_EVERY:
                reported = done
                step(progress, size + size * done // total, 2 * size)
        if seen != entry.size or digest.hexdigest() != entry.sha256:
            raise UserFacingError("transfer.member_mismatch", file=file, member=entry.name)
    step(progress, 2 * size, 2 * size)


def _load(
    path: Path, file: str, identities: list[Any], progress: ProgressSink
) -> tuple[io.BytesIO, str, int, bool]:
    """The clear archive (in memory), the file's SHA-256, its size, and whether it was
    encrypted (an age file) rather than signed-only (a ZIP archive)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UserFacingError("transfer.not_found", file=file) from None
    except IsADirectoryError:
        raise UserFacingError("transfer.not_regular", file=file) from None
    except PermissionError:
        raise UserFacingError("transfer.no_permission", file=file) from None
    except (OSError, ValueError):
        raise UserFacingError("transfer.unreadable", file=file) from None
    try:
        try:
            info = os.fstat(fd)
        except OSError:
            raise UserFacingError("transfer.unreadable", file=file) from None
        if not stat.S_ISREG(info.st_mode):
            raise UserFacingError("transfer.not_regular", file=file)
        if info.st_size > MAX_FILE_BYTES:
            raise UserFacingError("transfer.too_large", file=file, limit=MAX_FILE_BYTES // MIB)
        try:
            head = os.read(fd, len(AGE_MAGIC))
            os.lseek(fd, 0, os.SEEK_SET)
        except OSError:
            raise UserFacingError("transfer.unreadable", file=file) from None
        if not head:
            raise UserFacingError("transfer.empty", file=file)
        if head.startswith(ZIP_MAGIC):
            return (*_read_plain(fd, file, info.st_size, progress), False)
        if head != AGE_MAGIC:
            if AGE_MAGIC.startswith(head):
                raise UserFacingError("transfer.damaged", file=file)
            raise UserFacingError("transfer.not_age", file=file)
        if not identities:
            raise UserFacingError("transfer.not_for_this_installation", file=file)
        source = _CountingInput(fd, file, info.st_size, progress)
        plain = io.BytesIO()
        try:
            pyrage.decrypt_io(source, plain, identities)
        except Exception as exc:
            if source.error is not None:
                raise source.error from None
            if isinstance(exc, pyrage.DecryptError) and _NO_KEYS in str(exc):
                raise UserFacingError("transfer.not_for_this_installation", file=file) from None
            raise UserFacingError("transfer.damaged", file=file) from None
        if source.error is not None:  # pyrage may swallow an error (see sealed_write)
            raise source.error
        return plain, source.digest.hexdigest(), max(1, source.seen), True
    finally:
        os.close(fd)


def _read_plain(
    fd: int, file: str, size: int, progress: ProgressSink
) -> tuple[io.BytesIO, str, int]:
    """A signed-only file, read whole (it is small: at most ``MAX_SIGNED_FILE_BYTES``)."""
    if size > MAX_SIGNED_FILE_BYTES:
        raise UserFacingError("transfer.too_large", file=file, limit=MAX_SIGNED_FILE_BYTES // MIB)
    source = _CountingInput(fd, file, size, progress)
    plain = io.BytesIO()
    while chunk := source.read(CHUNK_BYTES):
        plain.write(chunk)
        if source.seen > MAX_SIGNED_FILE_BYTES:  # it grew while being read
            raise UserFacingError(
                "transfer.too_large", file=file, limit=MAX_SIGNED_FILE_BYTES // MIB
            )
    return plain, source.digest.hexdigest(), max(1, source.seen)


class _CountingInput:
    """The sealed file as pyrage reads it: hashed, bounded, reporting progress, cancellable."""

    def __init__(self, fd: int, file: str, size: int, progress: ProgressSink) -> None:
        self._fd = fd
        self._file = file
        self._size = max(1, size)
        self._progress = progress
        self._reported = 0
        self.seen = 0
        self.digest = hashlib.sha256()
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            if self.seen - self._reported >= _REPORT_EVERY or self.seen == 0:
                self._reported = self.seen
                step(self._progress, self.seen, 2 * self._size)
            want = size if size is not None and 0 < size <= CHUNK_BYTES else CHUNK_BYTES
            try:
                chunk = os.read(self._fd, want)
            except OSError:
                raise UserFacingError("transfer.unreadable", file=self._file) from None
            self.seen += len(chunk)
            if self.seen > MAX_FILE_BYTES:  # it grew while being read
                raise UserFacingError(
                    "transfer.too_large", file=self._file, limit=MAX_FILE_BYTES // MIB
                )
            self.digest.update(chunk)
            return chunk
        except BaseException as exc:
            self.error = exc
            raise


def _hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
