"""Writing sealed transfer files (docs/transfer-format.md; the reader is :mod:`sealed_read`).

:func:`write_sealed` streams the members into a ZIP archive, adds ``manifest.json`` (canonical
JSON listing every member's size and SHA-256) and ``manifest.sig`` (its raw Ed25519 signature),
and encrypts the archive *as it is produced* (pyrage pulls the archive's bytes from a generator:
no clear copy of the archive is ever held whole or written) to one or more age X25519
recipients, into a private (0600) temporary file in the target folder that replaces the target
only when complete: nothing is left behind on failure or cancel.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import errno
import hashlib
import io
import itertools
import os
import uuid
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519

from caseworker_app import fsutil
from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import Cancelled, UserFacingError
from caseworker_app.transfer.sealed_base import (
    CHUNK_BYTES,
    COMPRESS_LEVEL,
    MAX_FILE_BYTES,
    NoProgress,
    ProgressSink,
)
from caseworker_app.transfer.sealed_manifest import (
    FORMAT,
    Manifest,
    MemberEntry,
    RecipientRef,
    Sender,
    manifest_json,
)
from caseworker_app.transfer.sealed_zip import (
    MANIFEST_NAME,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    MIB,
    SIGNATURE_NAME,
    check_member_name,
)

#: a member whose first 16 KiB deflate to more than 95 % is stored (PDF, JPEG are compressed)
_SAMPLE_BYTES = 16 * 1024
_STORE_ABOVE = 0.95

MemberSource = bytes | bytearray | memoryview | Iterable[bytes]


@dataclass(frozen=True)
class SealResult:
    path: Path
    manifest: Manifest
    manifest_bytes: bytes
    size: int  # bytes of the sealed file
    sha256: str  # of the sealed file, lowercase hex


def write_sealed(
    path: Path,
    *,
    kind: str,
    sender: Sender,
    signing_key: Ed25519PrivateKey,
    recipients: Sequence[x25519.Recipient],
    recipient: RecipientRef,
    members: Mapping[str, MemberSource] | Iterable[tuple[str, MemberSource]],
    payload: Mapping[str, object],
    app_version: str,
    created_at: datetime,
    transmission: uuid.UUID | None = None,
    audit_head: AuditHead | None = None,
    progress: ProgressSink | None = None,
    overwrite: bool = False,
) -> SealResult:
    """Seal ``members`` (name → bytes, or an iterable of chunks consumed once) into ``path``.

    ``sender.signing_public`` must be ``signing_key``'s public key; ``recipients`` are the age
    recipients the file is encrypted to (the addressee, perhaps also the sender itself);
    ``recipient`` names the addressee in the manifest. ``progress`` gets (members done, members
    in all; 0 when ``members`` has no length) and may cancel (:class:`Cancelled`, nothing
    written). A bad name, kind or key is a bug (``ValueError``); a member or file beyond the
    limits the reader applies, or a folder that cannot be written, a ``transfer.*`` error."""
    if not recipients:
        raise ValueError("a sealed file needs at least one recipient")
    if created_at.tzinfo is None:
        raise ValueError("created_at needs a time zone offset")
    own_public = base64.b64encode(
        signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ).decode("ascii")
    if own_public != sender.signing_public:
        raise ValueError("sender.signing_public is not the signing key's public key")
    items = list(members.items()) if isinstance(members, Mapping) else members
    total = len(items) if isinstance(items, Collection) else 0
    manifest = Manifest(
        format=FORMAT,
        kind=kind,
        transmission=transmission or uuid.uuid4(),
        created_at=created_at,
        app_version=app_version,
        sender=sender,
        recipient=recipient,
        audit_head=audit_head,
        members=(),
        payload=dict(payload),
    )
    manifest_json(manifest)  # fail before writing anything when the manifest cannot be read back
    name = path.name or str(path)
    if not overwrite and path.exists():
        raise UserFacingError("transfer.target_exists", file=name)
    sink = progress or NoProgress()
    producer = _Producer(manifest, signing_key, items, total, sink, name)
    folder = path.parent
    tmp = fsutil.temp_name(folder, suffix=".part")
    try:
        try:
            handle = fsutil.open_private(tmp)
        except OSError as exc:
            raise _write_error(exc, name) from None
        with handle:
            output = _HashingOutput(handle, name)
            source = _PullReader(producer.chunks())
            try:
                pyrage.encrypt_io(source, output, list(recipients))
            except Exception:
                error = source.error or output.error
                if error is not None:
                    raise error from None
                raise
            finally:
                source.close()
            # pyrage 1.4 ignores an error of the last buffered write (made when its writer is
            # dropped) and returns as if all went well: the wrappers' own record is the truth
            error = source.error or output.error
            if error is not None:
                raise error
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise _write_error(exc, name) from None
        publish(tmp, path, name=name, overwrite=overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    assert producer.manifest is not None and producer.manifest_bytes is not None
    return SealResult(
        path=path,
        manifest=producer.manifest,
        manifest_bytes=producer.manifest_bytes,
        size=output.size,
        sha256=output.digest.hexdigest(),
    )


class _Producer:
    """Produces the bytes of the ZIP archive as the encryptor pulls them."""

    def __init__(
        self,
        manifest: Manifest,
        signing_key: Ed25519PrivateKey,
        items: Iterable[tuple[str, MemberSource]],
        total: int,
        progress: ProgressSink,
        file: str,
    ) -> None:
        self._draft = manifest
        self._key = signing_key
        self._items = items
        self._total = total
        self._progress = progress
        self._file = file
        self.manifest: Manifest | None = None
        self.manifest_bytes: bytes | None = None

    def chunks(self) -> Iterator[bytes]:
        out = _Collector()
        entries: list[MemberEntry] = []
        seen: set[str] = set()
        grand_total = 0
        with zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL,
            allowZip64=False,
        ) as archive:  # fmt: skip
            for index, (name, source) in enumerate(self._items):
                check_member_name(name)
                if name.casefold() in seen:
                    raise ValueError(f"member {name!r} twice")
                seen.add(name.casefold())
                if index >= MAX_MEMBERS:
                    raise UserFacingError(
                        "transfer.too_many_members_to_send", file=self._file, limit=MAX_MEMBERS
                    )
                pieces = _pieces(source)
                first = next(pieces, b"")
                archive.compression = _method(first)
                digest = hashlib.sha256()
                size = 0
                with archive.open(name, "w") as member:
                    for chunk in itertools.chain((first,), pieces):
                        if self._progress.cancelled():
                            raise Cancelled()
                        size += len(chunk)
                        if size > MAX_MEMBER_BYTES:
                            raise UserFacingError(
                                "transfer.member_too_large_to_send",
                                file=self._file,
                                limit=MAX_MEMBER_BYTES // MIB,
                            )
                        digest.update(chunk)
                        member.write(chunk)
                        yield out.take()
                grand_total += size
                if grand_total > MAX_TOTAL_BYTES:
                    raise UserFacingError(
                        "transfer.too_large_to_send", file=self._file,
                        limit=MAX_TOTAL_BYTES // MIB,
                    )  # fmt: skip
                entries.append(MemberEntry(name=name, size=size, sha256=digest.hexdigest()))
                self._progress.update(index + 1, self._total)
            entries.sort(key=lambda e: e.name)
            manifest = dataclasses.replace(self._draft, members=tuple(entries))
            raw = manifest_json(manifest)
            for entry_name, data, method in (
                (MANIFEST_NAME, raw, zipfile.ZIP_DEFLATED),
                (SIGNATURE_NAME, self._key.sign(raw), zipfile.ZIP_STORED),
            ):
                info = zipfile.ZipInfo(entry_name)  # dated 1980-01-01, like the members
                info.compress_type = method
                archive.writestr(info, data)
            self.manifest, self.manifest_bytes = manifest, raw
        yield out.take()


def _pieces(source: MemberSource) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source).cast("B")
        for start in range(0, len(view), CHUNK_BYTES):
            yield bytes(view[start : start + CHUNK_BYTES])
        return
    for chunk in source:
        if chunk:
            yield bytes(chunk)


def _method(sample: bytes) -> int:
    """Deflate, unless the first bytes show the member is compressed already."""
    head = sample[:_SAMPLE_BYTES]
    if len(head) >= 4096 and len(zlib.compress(head, COMPRESS_LEVEL)) > _STORE_ABOVE * len(head):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


class _Collector:
    """Where zipfile writes: a not seekable stream whose bytes are taken as they come."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0

    def write(self, data: bytes, /) -> int:
        self._parts.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class _PullReader:
    """A readable file over an iterator of chunks (what pyrage.encrypt_io reads from). An
    exception raised while producing is kept in ``error``: pyrage only reports its text."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._current = b""
        self._offset = 0
        self._done = False
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            wanted = size if size is not None and size >= 0 else 1 << 62
            parts: list[bytes] = []
            while wanted > 0:
                if self._offset >= len(self._current):
                    if self._done:
                        break
                    next_chunk = next(self._chunks, None)
                    if next_chunk is None:
                        self._done = True
                        break
                    self._current, self._offset = next_chunk, 0
                    continue
                piece = self._current[self._offset : self._offset + wanted]
                self._offset += len(piece)
                wanted -= len(piece)
                parts.append(piece)
            return b"".join(parts)
        except BaseException as exc:
            self.error = exc
            raise

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


class _HashingOutput:
    """The sealed file as pyrage writes it: counted, hashed, bounded."""

    def __init__(self, handle: io.BufferedIOBase | Any, file: str) -> None:
        self._handle = handle
        self._file = file
        self.size = 0
        self.digest = hashlib.sha256()
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        try:
            self.size += len(data)
            if self.size > MAX_FILE_BYTES:
                raise UserFacingError(
                    "transfer.too_large_to_send", file=self._file, limit=MAX_FILE_BYTES // MIB
                )
            self.digest.update(data)
            self._handle.write(data)
            return len(data)
        except OSError as exc:
            self.error = _write_error(exc, self._file)
            raise
        except BaseException as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as exc:
            self.error = _write_error(exc, self._file)
            raise


def publish(tmp: Path, path: Path, *, name: str, overwrite: bool) -> None:
    """Move the complete, fsynced temporary file to its name in one step (never over a file
    that appeared meanwhile unless ``overwrite``), and make the rename durable. The caller
    removes ``tmp`` on failure."""
    if not overwrite and path.exists():
        raise UserFacingError("transfer.target_exists", file=name)
    try:
        os.replace(tmp, path)
        fsutil.fsync_dir(path.parent)
    except OSError as exc:
        raise _write_error(exc, name) from None


def _write_error(exc: OSError, file: str) -> UserFacingError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return UserFacingError("transfer.disk_full", file=file)
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return UserFacingError("transfer.folder_not_writable", file=file)
    return UserFacingError("transfer.write_failed", file=file)
