"""The files of a store directory, and its metadata (no secrets, no personal data).

<store>/caseworker.db        the SQLCipher database (encrypted as a whole)
<store>/caseworker.db-wal    its write-ahead log (encrypted too)
<store>/store.json           format, store id, which key store holds the wrapped keys
<store>/keys.json            the wrapped key blobs, when the OS keyring is not used
<store>/attempts.json        failed unlock attempts (operator name and time only)
<store>/backups/             automatic copies taken before a schema upgrade (encrypted)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import atomic_write_text
from caseworker_app.security.keystore import KeyStoreKind

META_FORMAT = "caseworker.store/1"
DB_NAME = "caseworker.db"


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
    def attempts(self) -> Path:
        return self.root / "attempts.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def exists(self) -> bool:
        return self.meta.exists() or self.db.exists()

    def ensure_writable(self) -> None:
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise UserFacingError("store.not_writable", path=str(self.root)) from exc
        probe = self.root / ".write-test"
        try:
            with open(probe, "wb") as handle:
                handle.write(b"ok")
            probe.unlink()
        except OSError as exc:
            raise UserFacingError("store.not_writable", path=str(self.root)) from exc
        if not os.access(self.root, os.W_OK):
            raise UserFacingError("store.not_writable", path=str(self.root))

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
