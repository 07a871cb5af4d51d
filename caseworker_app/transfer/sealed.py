"""Sealed transfer files: a signed ZIP archive encrypted with age (docs/transfer-format.md).

Every file that travels between installations (istruttorie comune → capofila, receipts, the
ambito package, outcomes) is one of these: ``write_sealed`` makes one, ``open_sealed`` opens and
verifies one, all or nothing (or ``open_envelope`` then ``Envelope.verify``, to choose the key by
the kind the file claims). A file of a public kind (the ambito package) may instead be
*signed-only*: the same archive, not encrypted, in a canonical layout (``write_signed``; the
reader tells the two apart by their first bytes). The parts:

- :mod:`sealed_manifest`: the manifest's typed values, canonical JSON, strict reading;
- :mod:`sealed_zip`: the archive's limits and the defensive reading of the ZIP structure;
- :mod:`sealed_write` and :mod:`sealed_read`: the writer and the reader;
- :mod:`sealed_signed`: the signed-only variant (its canonical layout and writer);
- :mod:`sealed_base`: what they share (file limits, progress).
"""

from caseworker_app.transfer.sealed_base import MAX_FILE_BYTES, ProgressSink
from caseworker_app.transfer.sealed_manifest import (
    FORMAT,
    PUBLIC_KINDS,
    Manifest,
    MemberEntry,
    RecipientRef,
    Sender,
)
from caseworker_app.transfer.sealed_read import (
    Envelope,
    SealedFile,
    TrustPolicy,
    open_envelope,
    open_sealed,
)
from caseworker_app.transfer.sealed_signed import MAX_SIGNED_FILE_BYTES, write_signed
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
    "MAX_SIGNED_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "PUBLIC_KINDS",
    "Envelope",
    "Manifest",
    "MemberEntry",
    "MemberSource",
    "ProgressSink",
    "RecipientRef",
    "SealResult",
    "SealedFile",
    "Sender",
    "TrustPolicy",
    "open_envelope",
    "open_sealed",
    "write_sealed",
    "write_signed",
]
