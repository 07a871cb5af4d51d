"""What the writer and the reader of sealed transfer files share: limits, progress, the age magic.

See :mod:`caseworker_app.transfer.sealed` and docs/transfer-format.md.
"""

from __future__ import annotations

from caseworker_app.domain.progress import NoProgress, Progress, step
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


ProgressSink = Progress  # what the sealed writer and reader report to (domain/progress.py)

__all__ = ["NoProgress", "ProgressSink", "step"]
