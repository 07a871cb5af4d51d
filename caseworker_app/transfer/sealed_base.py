"""What the writer and the reader of sealed transfer files share: limits, progress, the age magic.

See :mod:`caseworker_app.transfer.sealed` and docs/transfer-format.md.
"""

from __future__ import annotations

from typing import Protocol

from caseworker_app.domain.errors import Cancelled
from caseworker_app.transfer import json_input
from caseworker_app.transfer.sealed_zip import MIB

#: how every binary age file begins
AGE_MAGIC = b"age-encryption.org/v1\n"
#: the sealed file itself (the clear archive is at most as large, and is held in memory)
MAX_FILE_BYTES = 1024 * MIB
#: manifest.json
MAX_MANIFEST_BYTES = json_input.MAX_FILE_BYTES
#: zlib level of deflated members (1: twice as fast as the default for 5-10 % more bytes)
COMPRESS_LEVEL = 1
#: chunks written into the archive and read from the sealed file
CHUNK_BYTES = 256 * 1024


class ProgressSink(Protocol):
    """What ``services.progress.Progress`` offers (structurally: transfer does not import the
    services)."""

    def update(self, done: int, total: int) -> None: ...

    def cancelled(self) -> bool: ...


class NoProgress:
    def update(self, done: int, total: int) -> None:
        return None

    def cancelled(self) -> bool:
        return False


def step(progress: ProgressSink, done: int, total: int) -> None:
    """Report, or stop with :class:`Cancelled` if the user asked to."""
    if progress.cancelled():
        raise Cancelled()
    progress.update(done, total)
