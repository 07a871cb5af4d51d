"""The files of a store directory, and its metadata (no secrets, no personal data).

A store is these files, together:

<store>/caseworker.db        the SQLCipher database (encrypted as a whole)
<store>/caseworker.db-wal    its write-ahead log (encrypted too): while the application runs,
                             the latest commits may live only here. It is folded into the database
                             when the application is idle, after bulk work and on close, so a
                             closed store does not need it; never delete it while it is not empty.
<store>/caseworker.db-shm    the WAL's index (rebuilt by SQLite when missing)
<store>/store.json           format, store id, which key store holds the wrapped keys
<store>/state.json           the number of transactions committed, written after each commit: a
                             database that holds fewer (its WAL lost or damaged, or an older copy
                             of the file) is refused at open instead of being carried on silently
<store>/keys.json            the wrapped key blobs, when the OS keyring is not used
<store>/attempts.json        failed unlock attempts (operator name and time only)
<store>/backups/             automatic copies taken before a schema upgrade (encrypted)
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import atomic_write_text, private_dir
from caseworker_app.security.keystore import KeyStoreKind

META_FORMAT = "caseworker.store/1"
STATE_FORMAT = "caseworker.state/1"
DB_NAME = "caseworker.db"
#: below this much free space a store is not opened: SQLite needs room for its WAL index and the
#: login's audit event, and a half-written session is worse than a clear message.
MIN_FREE_BYTES = 1024 * 1024
_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class StoreMeta:
    store_id: str
    keystore: KeyStoreKind
    created_at: datetime


@dataclass(frozen=True)
class StoreLayout:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def meta(self) -> Path:
        return self.root / "store.json"

    @property
    def keyfile(self) -> Path:
        return self.root / "keys.json"

    @property
    def state(self) -> Path:
        return self.root / "state.json"

    @property
    def wal(self) -> Path:
        return self.root / (DB_NAME + "-wal")

    @property
    def shm(self) -> Path:
        return self.root / (DB_NAME + "-shm")

    @property
    def attempts(self) -> Path:
        return self.root / "attempts.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def exists(self) -> bool:
        return self.meta.exists() or self.db.exists()

    def ensure_writable(self) -> None:
        """Create the store folder (0700, POSIX) and prove that a file can be written in it,
        with a probe of a unique name that is removed in every case. A full disk is said as
        such (``store.disk_full_setup``), anything else as ``store.not_writable``."""
        created = not self.root.exists()
        try:
            private_dir(self.root, parents=True)
        except OSError as exc:
            raise _not_writable(exc, self.root) from exc
        probe: str | None = None
        try:
            fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=self.root)
            with os.fdopen(fd, "wb") as handle:
                handle.write(b"ok")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            if probe is not None:
                with contextlib.suppress(OSError):
                    os.unlink(probe)
                probe = None
            if created:  # leave no empty folder behind either (rmdir removes only an empty one)
                with contextlib.suppress(OSError):
                    self.root.rmdir()
            raise _not_writable(exc, self.root) from exc
        finally:
            if probe is not None:
                with contextlib.suppress(OSError):
                    os.unlink(probe)
        if not os.access(self.root, os.W_OK):
            raise UserFacingError("store.not_writable", path=str(self.root))

    def check_usable(self) -> None:
        """Refuse, with what is true, a store that cannot be written: a read-only folder or
        mount, missing permissions, a full disk. Nothing is written to find out."""
        path = str(self.root)
        for target in (self.root, self.db):
            if not target.exists():
                continue
            if not os.access(target, os.W_OK):
                if _read_only_mount(target):
                    raise UserFacingError("store.read_only", path=path)
                raise UserFacingError("store.permission_denied", path=path)
        if _read_only_mount(self.root):
            raise UserFacingError("store.read_only", path=path)
        try:
            free = shutil.disk_usage(self.root).free
        except OSError:
            return
        if free < MIN_FREE_BYTES:
            raise UserFacingError("store.disk_full_at", path=path)

    def check_database_file(self) -> None:
        """What the database file is, before any connection touches it (a connection to an
        empty file would write a new schema into it)."""
        try:
            with open(self.db, "rb") as handle:
                head = handle.read(len(_SQLITE_PLAIN_HEADER))
        except FileNotFoundError:
            raise UserFacingError("store.db_missing", file=self.db.name) from None
        except PermissionError:
            raise UserFacingError("store.permission_denied", path=str(self.root)) from None
        if not head:
            raise UserFacingError("store.db_empty", file=self.db.name, path=str(self.root))
        if head == _SQLITE_PLAIN_HEADER:
            raise UserFacingError("store.db_plain", file=self.db.name)

    def read_commits(self) -> int | None:
        """The number of transactions committed as recorded beside the database (None: a store
        written before the counter existed, or a damaged record that proves nothing)."""
        try:
            data = json.loads(self.state.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            return None
        commits = data.get("commits")
        return commits if type(commits) is int and commits >= 0 else None

    def write_commits(self, commits: int) -> None:
        payload = {"format": STATE_FORMAT, "commits": commits}
        atomic_write_text(self.state, json.dumps(payload))

    def read_meta(self) -> StoreMeta:
        if not self.meta.exists():
            raise UserFacingError("store.missing", path=str(self.root))
        try:
            data = json.loads(self.meta.read_text(encoding="utf-8"))
            fmt = data["format"]
            if fmt != META_FORMAT:
                if isinstance(fmt, str) and fmt.startswith("caseworker.store/"):
                    raise UserFacingError("store.newer_version")
                raise UserFacingError("store.meta_corrupt", file=self.meta.name)
            return StoreMeta(
                str(data["store_id"]),
                KeyStoreKind(data["keystore"]),
                datetime.fromisoformat(data["created_at"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise UserFacingError("store.meta_corrupt", file=self.meta.name) from exc

    def write_meta(self, meta: StoreMeta) -> None:
        payload = {
            "format": META_FORMAT,
            "store_id": meta.store_id,
            "keystore": meta.keystore.value,
            "created_at": meta.created_at.isoformat(timespec="seconds"),
        }
        atomic_write_text(self.meta, json.dumps(payload, indent=2))


def _not_writable(exc: OSError, root: Path) -> UserFacingError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserFacingError("store.disk_full_setup", path=str(root))
    return UserFacingError("store.not_writable", path=str(root))


def _read_only_mount(path: Path) -> bool:
    """True when ``path`` lies on a file system mounted read-only (POSIX statvfs flag)."""
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError as exc:
        return exc.errno == errno.EROFS
