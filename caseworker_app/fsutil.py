"""Atomic, permission-safe file writes (after Electrum's storage.py).

Write to a temporary file in the same directory, restrict its permissions before any byte is
written, fsync it, ``os.replace`` it over the target and fsync the directory. A crash leaves either
the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    tmp = Path(tmp_name)
    try:
        with contextlib.suppress(
            OSError
        ):  # not supported on every filesystem (e.g. FAT USB sticks)
            os.fchmod(fd, mode) if hasattr(os, "fchmod") else os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)
