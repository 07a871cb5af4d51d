"""Backup archives: one file holding an encrypted copy of the database and the wrapped keys.

Format ``caseworker.backup/1``: a ZIP archive (stored, not compressed: the database is encrypted
and would not compress) with

- ``manifest.json``: format, store id, creation time, schema revision, app version, and the
  wrapped key blobs (recovery code and operators). Nothing in it is secret or personal;
- ``caseworker.db``: a consistent SQLCipher copy made with the online backup API.

The archive is written to a temporary name in the target folder, fsynced and moved into place, so
a full USB stick or a pulled cable never leaves a half backup under the final name.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from caseworker_app.domain.audit import AuditHead, parse_audit_head
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import fsync_dir, open_private, private_temp_dir, remove_stale_temp
from caseworker_app.store.copy import copy_database, copy_file_database
from caseworker_app.store.engine import connect_raw

BACKUP_FORMAT = "caseworker.backup/1"
_KNOWN_FORMATS = {BACKUP_FORMAT}
_DB_MEMBER = "caseworker.db"
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupManifest:
    store_id: str
    created_at: datetime
    schema_revision: str | None
    app_version: str
    slots: dict[str, str]
    #: the head of the audit chain when the backup was taken (None: not recorded, older backups)
    audit_head: AuditHead | None = None


def default_backup_name(now: datetime) -> str:
    return f"caseworker-backup-{now.strftime('%Y%m%d-%H%M%S')}.cwbak"


def write_backup(engine: Engine, key: bytes, target: Path, *, manifest: BackupManifest) -> None:
    target = target.expanduser()
    if target.is_dir():
        target = target / default_backup_name(manifest.created_at)
    folder = target.parent
    if not folder.is_dir():
        raise UserFacingError("backup.folder_missing", path=str(folder))
    try:
        # what a killed backup left in this folder (its process is gone), then a private temp
        # folder named for this process (fsutil): the files in it are 0600 (POSIX)
        remove_stale_temp(folder)
        with private_temp_dir(folder) as tmpdir:
            db_copy = Path(tmpdir) / _DB_MEMBER
            copy_database(engine, key, db_copy)
            payload = {
                "format": BACKUP_FORMAT,
                "store_id": manifest.store_id,
                "created_at": manifest.created_at.isoformat(timespec="seconds"),
                "schema_revision": manifest.schema_revision,
                "app_version": manifest.app_version,
                "slots": manifest.slots,
                "audit_head": (
                    {"seq": manifest.audit_head.seq, "hash": manifest.audit_head.hash}
                    if manifest.audit_head is not None
                    else None
                ),
            }
            partial = Path(tmpdir) / "archive.partial"
            with (
                open_private(partial) as raw_archive,
                zipfile.ZipFile(raw_archive, "w", compression=zipfile.ZIP_STORED) as archive,
            ):
                archive.writestr(_MANIFEST, json.dumps(payload, indent=2, sort_keys=True))
                archive.write(db_copy, _DB_MEMBER)
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, target)
            fsync_dir(folder)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise UserFacingError("backup.disk_full", path=str(folder)) from exc
        raise UserFacingError("backup.write_failed", path=str(folder)) from exc
    except sqlcipher.OperationalError as exc:  # SQLite writing the copy itself
        if "full" in str(exc).lower():
            raise UserFacingError("backup.disk_full", path=str(folder)) from exc
        raise UserFacingError("backup.write_failed", path=str(folder)) from exc


def _audit_head_of(value: object) -> AuditHead | None:
    """The audit head of a manifest (missing or null in older backups: None)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("audit_head is not an object")
    seq, digest = value["seq"], value["hash"]
    if type(seq) is not int or seq < 1 or not isinstance(digest, str):
        raise ValueError("audit_head is malformed")
    try:
        return parse_audit_head(f"{seq}:{digest}")
    except UserFacingError as exc:
        raise ValueError("audit_head is malformed") from exc


def read_manifest(archive_path: Path) -> BackupManifest:
    try:
        with zipfile.ZipFile(archive_path) as archive:
            data = json.loads(archive.read(_MANIFEST))
            if _DB_MEMBER not in archive.namelist():
                raise UserFacingError("backup.corrupt", file=archive_path.name)
    except FileNotFoundError as exc:
        raise UserFacingError("backup.missing", file=archive_path.name) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UserFacingError("backup.corrupt", file=archive_path.name) from exc
    fmt = data.get("format") if isinstance(data, dict) else None
    if fmt not in _KNOWN_FORMATS:
        if isinstance(fmt, str) and fmt.startswith("caseworker.backup/"):
            raise UserFacingError("backup.newer_version", file=archive_path.name)
        raise UserFacingError("backup.corrupt", file=archive_path.name)
    try:
        return BackupManifest(
            store_id=str(data["store_id"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            schema_revision=data.get("schema_revision"),
            app_version=str(data["app_version"]),
            slots={str(k): str(v) for k, v in dict(data["slots"]).items()},
            audit_head=_audit_head_of(data.get("audit_head")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise UserFacingError("backup.corrupt", file=archive_path.name) from exc


def extract_database(archive_path: Path, key: bytes, target_db: Path) -> None:
    """Extract the backup's database, decrypted with ``key``, and check its integrity.

    The database is written to ``target_db`` (which must not exist) only when it is whole; the
    temporary copy lives beside it (the staging folder), never elsewhere.
    """
    with tempfile.TemporaryDirectory(prefix=".cw-", dir=target_db.parent) as tmpdir:
        raw = Path(tmpdir) / _DB_MEMBER
        try:
            with (
                zipfile.ZipFile(archive_path) as archive,
                archive.open(_DB_MEMBER) as src,
                open(raw, "wb") as dst,
            ):
                shutil.copyfileobj(src, dst)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UserFacingError("backup.corrupt", file=archive_path.name) from exc
        try:
            conn = connect_raw(raw, key)
            try:
                result = conn.execute("PRAGMA integrity_check").fetchone()
            finally:
                conn.close()
        except UserFacingError as exc:
            raise UserFacingError("backup.corrupt", file=archive_path.name) from exc
        except Exception as exc:
            raise UserFacingError("backup.corrupt", file=archive_path.name) from exc
        if not result or result[0] != "ok":
            raise UserFacingError("backup.corrupt", file=archive_path.name)
        staged = target_db.with_name(f".{target_db.name}.restoring")
        staged.unlink(missing_ok=True)
        try:
            copy_file_database(raw, key, staged)
            with open(staged, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(staged, target_db)
        finally:
            with contextlib.suppress(OSError):
                staged.unlink()
