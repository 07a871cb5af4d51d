"""Atomic, permission-safe file writes (after Electrum's storage.py).

Write to a temporary file in the same directory, restrict its permissions before any byte is
written, fsync it, ``os.replace`` it over the target and fsync the directory. A crash leaves either
the old file or the new one, never a mix.

Also: private files and folders (``private_file``, ``open_private``, ``private_dir``: 0600/0700 at
creation on POSIX) and temporary entries named by their process (``make_temp_dir``,
``private_temp_dir``, ``temp_name``), which ``remove_stale_temp(folder)`` removes once their
process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


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
    # named for this process: if it is killed before the rename, remove_stale_temp(directory)
    # removes what it left
    fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=directory)
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


# -- private files and folders -------------------------------------------------------------------
#
# Everything the application writes holds store data (encrypted or not) or personal data, so on
# POSIX every file is created 0600 and every folder 0700, *at creation*: the mode is given to the
# system call and then set again with chmod to defeat the umask, before any byte is written. A
# file system without permissions (a FAT USB stick) refuses the chmod: that is ignored. On Windows
# there is nothing to do in code: the data folder under the user profile inherits the per-user
# ACL, and the modes below are ignored there.

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _restrict(path: Path, mode: int, fd: int | None = None) -> None:
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):  # not supported on every filesystem (e.g. FAT USB sticks)
        if fd is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:
            os.chmod(path, mode)


def private_file(path: Path) -> None:
    """Create ``path`` empty and private to its owner (0600), if it does not exist yet.

    For files that a library creates itself, e.g. a SQLite database: pre-create it with this
    before connecting (SQLite gives the ``-wal`` and ``-shm`` files the same permissions). An
    existing file is left as it is."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        return
    try:
        _restrict(path, PRIVATE_FILE, fd)
    finally:
        os.close(fd)


def open_private(path: Path) -> BinaryIO:
    """Open ``path`` for writing in binary (created or truncated), private to its owner (0600)
    before anything is written. The caller closes it (``with open_private(p) as handle``)."""
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                 PRIVATE_FILE)  # fmt: skip
    try:
        _restrict(path, PRIVATE_FILE, fd)
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def private_dir(path: Path, *, parents: bool = False) -> None:
    """Create the folder ``path`` private to its owner (0700); with ``parents`` the missing
    folders above it too (also 0700). An existing folder is left as it is."""
    if path.is_dir():
        return
    if parents and not path.parent.exists():
        private_dir(path.parent, parents=True)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:
        if not path.is_dir():
            raise
        return
    _restrict(path, PRIVATE_DIR)


# -- temporary entries named by their process ----------------------------------------------------
#
# A process killed while writing (a backup, a restore, a copy) leaves its temporary entries
# behind. They are named ``.cw-tmp-<pid>-<random>[suffix]`` so that a later run can tell whether
# their writer is still alive, and remove them only when it is not (``remove_stale_temp``).

TEMP_PREFIX = ".cw-tmp-"
STALE_AFTER_SECONDS = 24 * 60 * 60
_TEMP_NAME = re.compile(r"^\.cw-tmp-(?P<pid>\d+)-[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)?$")
# temporary folders of write_backup before they carried the pid (tempfile's 8 random characters)
_LEGACY_TEMP_NAME = re.compile(r"^\.cw-[a-z0-9_]{8}$")


def temp_name(folder: Path, *, suffix: str = "") -> Path:
    """A new, unused temporary path in ``folder`` named for this process (nothing is created):
    for a file a library creates itself (pre-create it with ``private_file``)."""
    return folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}{suffix}"


def make_temp_dir(folder: Path) -> Path:
    """Create a private (0700) temporary folder in ``folder``, named for this process, and
    return it. The caller removes it (``shutil.rmtree``); if the process is killed first, the
    next ``remove_stale_temp(folder)`` does."""
    path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=folder))
    _restrict(path, PRIVATE_DIR)
    return path


@contextlib.contextmanager
def private_temp_dir(folder: Path) -> Iterator[Path]:
    """``make_temp_dir`` as a context manager: the folder and its content are removed at exit."""
    path = make_temp_dir(folder)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_temp(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary entries (``make_temp_dir``, ``temp_name``) left in ``folder`` by
    processes that are no longer alive; return what was removed.

    Only entries named ``.cw-tmp-<pid>-<random>`` are considered, never anything else (plus the
    unnamed-by-pid ``.cw-xxxxxxxx`` folders of older versions, when older than a day). On POSIX
    an entry is stale when its process no longer exists; on Windows, or when the process cannot
    be checked, when it is older than one day. Errors are ignored: cleaning up is best effort."""
    removed: list[Path] = []
    moment = time.time() if now is None else now
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is not None:
            stale = _process_gone(int(match["pid"]))
            if stale is None:
                stale = _older_than_a_day(entry, moment)
        elif _LEGACY_TEMP_NAME.match(entry.name) and entry.is_dir():
            stale = _older_than_a_day(entry, moment)
        else:
            continue
        if not stale or entry.is_symlink():
            continue
        try:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed


def _process_gone(pid: int) -> bool | None:
    """True when no process ``pid`` exists, False when one does, None when it cannot be told."""
    if os.name == "nt" or pid <= 0:
        return None  # os.kill on Windows would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, owned by another user
    except OSError:
        return None
    return False


def _older_than_a_day(entry: Path, now: float) -> bool:
    try:
        return now - entry.lstat().st_mtime > STALE_AFTER_SECONDS
    except OSError:
        return False
