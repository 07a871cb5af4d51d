"""Sealed transfer files: a signed ZIP archive encrypted with age (docs/transfer-format.md).

Every file that travels between installations (istruttorie comune → capofila, receipts, the
ambito package, outcomes) is one of these: ``write_sealed`` makes one, ``open_sealed`` opens and
verifies one, all or nothing. The parts:

- :mod:`sealed_manifest`: the manifest's typed values, canonical JSON, strict reading;
- :mod:`sealed_zip`: the archive's limits and the defensive reading of the ZIP structure;
- :mod:`sealed_write` and :mod:`sealed_read`: the writer and the reader;
- :mod:`sealed_base`: what they share (file limits, progress).
"""

from caseworker_app.transfer.sealed_base import MAX_FILE_BYTES, ProgressSink
from caseworker_app.transfer.sealed_manifest import (
    FORMAT,
    Manifest,
    MemberEntry,
    RecipientRef,
    Sender,
)
from caseworker_app.transfer.sealed_read import SealedFile, TrustPolicy, open_sealed
from caseworker_app.transfer.sealed_write import MemberSource, SealResult, write_sealed
from caseworker_app.transfer.sealed_zip import (
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
)

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "Manifest",
    "MemberEntry",
    "MemberSource",
    "ProgressSink",
    "RecipientRef",
    "SealResult",
    "SealedFile",
    "Sender",
    "TrustPolicy",
    "open_sealed",
    "write_sealed",
]
