"""The ZIP archive inside a sealed transfer file, read defensively (docs/transfer-format.md §3).

Anyone holding a recipient's *public* age key can encrypt a file to it, so the archive found after
decryption is untrusted until its manifest signature verifies, and the manifest is inside the
archive: the archive itself is checked first, without trusting anything it declares.

- the End of Central Directory record must be the last 22 bytes (no archive comment), on one disk,
  with no ZIP64 records; the central directory must end where it begins, and its size and entry
  count are bounded *before* ``zipfile`` parses it;
- every entry: a safe name (:func:`check_member_name`: relative, ``/``-separated ASCII segments,
  no ``..``, no backslash, no drive letter, no leading dot), a regular file (no directory, no
  symbolic link or other Unix type), not encrypted, stored or deflated, no two names equal when
  case is ignored, data that lies inside the archive and overlaps no other entry;
- declared sizes are checked against the limits, but never trusted: every read is bounded
  (:meth:`SafeArchive.chunks`), and a member whose data inflates more than
  :data:`MAX_RATIO` times its compressed size (beyond :data:`RATIO_FREE_BYTES`) is refused while
  it is read.

Every refusal is a :class:`UserFacingError` with a ``transfer.*`` code naming the file (``file``,
its name only).
"""

from __future__ import annotations

import io
import itertools
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator

from caseworker_app.domain.errors import UserFacingError

MIB = 1024 * 1024
#: members besides manifest.json and manifest.sig
MAX_MEMBERS = 20_000
#: one member, uncompressed
MAX_MEMBER_BYTES = 256 * MIB
#: all members together, uncompressed
MAX_TOTAL_BYTES = 2048 * MIB
#: a member may inflate at most this many times its compressed size...
MAX_RATIO = 100
#: ... once it is larger than this (small members may compress as much as they like)
RATIO_FREE_BYTES = 1 * MIB
#: a member name, in bytes (ASCII)
MAX_NAME_BYTES = 200
MAX_NAME_SEGMENTS = 8

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
RESERVED_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME})

_SEGMENT = r"[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?"
_NAME = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*", re.ASCII)
_EOCD = struct.Struct("<4sHHHHIIH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
#: a central directory entry: 46 fixed bytes, the name, at most this much extra and comment
_CENTRAL_ENTRY_MAX = 46 + MAX_NAME_BYTES + 512
_MAX_CENTRAL_BYTES = (MAX_MEMBERS + len(RESERVED_NAMES)) * _CENTRAL_ENTRY_MAX
_ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_FLAG_ENCRYPTED = 0x01 | 0x40  # traditional and strong encryption
_DOS_DIRECTORY = 0x10
_READ_CHUNK = 1 * MIB
#: what zipfile (and zlib) raise on a malformed archive
ARCHIVE_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    struct.error,
    ValueError,
    OSError,
    KeyError,
    IndexError,
    OverflowError,
)


def is_member_name(name: str) -> bool:
    """A safe member name: relative, ``/``-separated segments of ASCII letters, digits, ``.``,
    ``_`` and ``-``, none starting with ``.`` or ``-`` nor ending with ``.`` (Windows drops a
    trailing dot), at most 200 bytes and 8 segments."""
    return (
        len(name) <= MAX_NAME_BYTES
        and _NAME.fullmatch(name) is not None
        and name.count("/") < MAX_NAME_SEGMENTS
    )


def check_member_name(name: str) -> None:
    """For writers: a member name our own code builds; a bad one is a bug (``ValueError``)."""
    if not is_member_name(name) or name in RESERVED_NAMES:
        raise ValueError(f"not a valid member name: {name!r}")


class SafeArchive:
    """A ZIP archive in memory whose structure passed the checks above."""

    def __init__(self, data: io.BytesIO, *, file: str) -> None:
        self.file = file
        self._data = data
        size = data.seek(0, io.SEEK_END)
        count, central_offset = _check_end_record(data, size, file)
        try:
            self._zip = zipfile.ZipFile(data)
            infos = self._zip.infolist()
        except ARCHIVE_ERRORS:
            raise UserFacingError("transfer.archive_invalid", file=file) from None
        if len(infos) != count:
            raise UserFacingError("transfer.archive_invalid", file=file)
        self.entries: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        declared_total = 0
        for info in infos:
            _check_entry(info, file)
            key = info.filename.casefold()
            if key in folded:
                raise UserFacingError("transfer.member_duplicate", file=file)
            folded.add(key)
            self.entries[info.filename] = info
            declared_total += info.file_size
        if declared_total > MAX_TOTAL_BYTES:
            raise UserFacingError(
                "transfer.content_too_large", file=file, limit=MAX_TOTAL_BYTES // MIB
            )
        _check_layout(data, infos, central_offset, file)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.entries)

    def members(self) -> frozenset[str]:
        """The names of the entries that are members (not the manifest or its signature)."""
        return frozenset(self.entries) - RESERVED_NAMES

    def chunks(self, name: str, *, limit: int) -> Iterator[bytes]:
        """The content of ``name`` in chunks, never more than ``limit + 1`` bytes in all (a
        caller that gets more than ``limit`` knows the member is larger than it may be), and
        refused as a zip bomb when it inflates beyond :data:`MAX_RATIO`. ``KeyError`` when the
        archive has no such entry."""
        info = self.entries[name]
        compressed = max(info.compress_size, 1)
        seen = 0
        try:
            with self._zip.open(info) as handle:
                while seen <= limit:
                    chunk = handle.read(min(_READ_CHUNK, limit + 1 - seen))
                    if not chunk:
                        return
                    seen += len(chunk)
                    if seen > RATIO_FREE_BYTES and seen > compressed * MAX_RATIO:
                        raise UserFacingError(
                            "transfer.compression_ratio", file=self.file, limit=MAX_RATIO
                        )
                    yield chunk
        except ARCHIVE_ERRORS:
            raise UserFacingError("transfer.archive_invalid", file=self.file) from None

    def read(self, name: str, *, limit: int) -> bytes | None:
        """The whole content of ``name`` (``None`` if absent), at most ``limit + 1`` bytes."""
        if name not in self.entries:
            return None
        return b"".join(self.chunks(name, limit=limit))


def _check_end_record(data: io.BytesIO, size: int, file: str) -> tuple[int, int]:
    """The entry count and central directory offset of a plain, single-disk ZIP whose End of
    Central Directory record (no comment) ends the archive, both within the limits."""
    if size < _EOCD.size:
        raise UserFacingError("transfer.archive_invalid", file=file)
    view = data.getbuffer()
    try:
        end = bytes(view[size - _EOCD.size :])
        before = bytes(view[max(0, size - _EOCD.size - 20) : size - _EOCD.size])
    finally:
        view.release()
    signature, disk, cd_disk, here, total, cd_size, cd_offset, comment = _EOCD.unpack(end)
    if (
        signature != _EOCD_SIGNATURE
        or comment != 0
        or disk != 0
        or cd_disk != 0
        or here != total
        or before.startswith(_ZIP64_LOCATOR_SIGNATURE)
        or cd_offset + cd_size != size - _EOCD.size
    ):
        raise UserFacingError("transfer.archive_invalid", file=file)
    if total > MAX_MEMBERS + len(RESERVED_NAMES) or cd_size > _MAX_CENTRAL_BYTES:
        raise UserFacingError("transfer.too_many_members", file=file, limit=MAX_MEMBERS)
    return total, cd_offset


def _check_entry(info: zipfile.ZipInfo, file: str) -> None:
    name = info.filename
    if name.endswith("/") or info.external_attr & _DOS_DIRECTORY:
        raise UserFacingError("transfer.member_not_regular", file=file)
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind not in (0, stat.S_IFREG):
        raise UserFacingError("transfer.member_not_regular", file=file)
    if info.orig_filename != name or not is_member_name(name):
        raise UserFacingError("transfer.member_name_unsafe", file=file)
    if info.flag_bits & _FLAG_ENCRYPTED or info.compress_type not in _ALLOWED_METHODS:
        raise UserFacingError("transfer.member_unsupported", file=file)
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise UserFacingError("transfer.archive_invalid", file=file)
    if info.file_size > MAX_MEMBER_BYTES:
        raise UserFacingError("transfer.member_too_large", file=file, limit=MAX_MEMBER_BYTES // MIB)
    if info.file_size > RATIO_FREE_BYTES and info.file_size > info.compress_size * MAX_RATIO:
        raise UserFacingError("transfer.compression_ratio", file=file, limit=MAX_RATIO)


def _check_layout(
    data: io.BytesIO, infos: list[zipfile.ZipInfo], central_offset: int, file: str
) -> None:
    """Each entry's local header and data lie before the central directory and overlap no
    other entry's (overlapping entries are how the worst zip bombs multiply their data)."""
    spans: list[tuple[int, int]] = []
    view = data.getbuffer()
    try:
        for info in infos:
            start = info.header_offset
            header = bytes(view[start : start + _LOCAL_HEADER.size])
            if len(header) != _LOCAL_HEADER.size:
                raise UserFacingError("transfer.archive_invalid", file=file)
            signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
            end = start + _LOCAL_HEADER.size + name_length + extra_length + info.compress_size
            if signature != _LOCAL_SIGNATURE or end > central_offset:
                raise UserFacingError("transfer.archive_invalid", file=file)
            spans.append((start, end))
    finally:
        view.release()
    spans.sort()
    for (_, previous_end), (start, _) in itertools.pairwise(spans):
        if start < previous_end:
            raise UserFacingError("transfer.archive_invalid", file=file)
