"""Where the wrapped key blobs live: the OS credential store, or a key file beside the database.

Both hold only *wrapped* blobs (see keys.py), so the key file is safe; there is never a plaintext
fallback. The kind in use is chosen at setup (the OS keyring when one works) and recorded in the
store's metadata, so the application can say which one is in use and fail clearly when it is gone.
"""

from __future__ import annotations

import contextlib
import enum
import json
from pathlib import Path
from typing import Protocol

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import atomic_write_text

# keyring is imported where it is used: loading it and its backends costs ~90 ms, which must not
# delay the first window (the application only needs it once the operator logs in).

KEYFILE_FORMAT = "caseworker.keys/1"
_SLOTS_ENTRY = "_slots"


class KeyStoreKind(enum.StrEnum):
    KEYRING = "keyring"
    FILE = "file"


class KeyStore(Protocol):
    kind: KeyStoreKind

    def get(self, slot: str) -> str | None: ...

    def put(self, slot: str, blob: str) -> None: ...

    def delete(self, slot: str) -> None: ...

    def slots(self) -> dict[str, str]: ...


class FileKeyStore:
    """Wrapped blobs in ``keys.json`` beside the database, written atomically with mode 0600."""

    kind = KeyStoreKind.FILE

    def __init__(self, path: Path, store_id: str) -> None:
        self.path = path
        self.store_id = store_id

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            raise UserFacingError("keys.keyfile_missing", file=self.path.name)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != KEYFILE_FORMAT or data.get("store_id") != self.store_id:
                raise UserFacingError("keys.keyfile_corrupt", file=self.path.name)
            slots = data["slots"]
            if not isinstance(slots, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in slots.items()
            ):
                raise UserFacingError("keys.keyfile_corrupt", file=self.path.name)
            return dict(slots)
        except (ValueError, KeyError, AttributeError, UnicodeDecodeError) as exc:
            raise UserFacingError("keys.keyfile_corrupt", file=self.path.name) from exc

    def _write(self, slots: dict[str, str]) -> None:
        payload = {"format": KEYFILE_FORMAT, "store_id": self.store_id, "slots": slots}
        atomic_write_text(self.path, json.dumps(payload, indent=2, sort_keys=True))

    def get(self, slot: str) -> str | None:
        return self._read().get(slot)

    def put(self, slot: str, blob: str) -> None:
        slots = self._read() if self.path.exists() else {}
        slots[slot] = blob
        self._write(slots)

    def delete(self, slot: str) -> None:
        slots = self._read()
        slots.pop(slot, None)
        self._write(slots)

    def slots(self) -> dict[str, str]:
        return self._read()


class KeyringKeyStore:
    """Wrapped blobs in the OS credential store (Windows Credential Manager on the target).

    One entry per slot (Windows limits a credential to 2,560 bytes), plus an index entry.
    """

    kind = KeyStoreKind.KEYRING

    def __init__(self, store_id: str) -> None:
        self.service = f"caseworker/{store_id}"

    def _call_get(self, name: str) -> str | None:
        import keyring
        import keyring.errors

        try:
            value: str | None = keyring.get_password(self.service, name)
        except keyring.errors.KeyringError as exc:
            raise UserFacingError("keys.keyring_unavailable") from exc
        return value

    def _call_set(self, name: str, value: str) -> None:
        import keyring
        import keyring.errors

        try:
            keyring.set_password(self.service, name, value)
        except keyring.errors.KeyringError as exc:
            raise UserFacingError("keys.keyring_unavailable") from exc

    def _index(self) -> list[str]:
        raw = self._call_get(_SLOTS_ENTRY)
        return list(json.loads(raw)) if raw else []

    def get(self, slot: str) -> str | None:
        if not keyring_available():
            raise UserFacingError("keys.keyring_unavailable")
        return self._call_get(slot)

    def put(self, slot: str, blob: str) -> None:
        self._call_set(slot, blob)
        index = self._index()
        if slot not in index:
            self._call_set(_SLOTS_ENTRY, json.dumps([*index, slot]))

    def delete(self, slot: str) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(self.service, slot)
        self._call_set(_SLOTS_ENTRY, json.dumps([s for s in self._index() if s != slot]))

    def slots(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for slot in self._index():
            blob = self._call_get(slot)
            if blob is not None:
                found[slot] = blob
        return found


def keyring_available() -> bool:
    """True when a real OS credential store answers (not the 'fail' or an empty chainer)."""
    import keyring
    from keyring.backend import KeyringBackend

    try:
        backend: KeyringBackend = keyring.get_keyring()
    except Exception:
        return False
    name = type(backend).__module__ + "." + type(backend).__name__
    if name.startswith("keyring.backends.fail") or "null" in name.lower():
        return False
    backends = getattr(backend, "backends", None)
    if backends is not None and not backends:
        return False
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


def open_keystore(kind: KeyStoreKind, *, store_id: str, keyfile: Path) -> KeyStore:
    if kind is KeyStoreKind.KEYRING:
        if not keyring_available():
            raise UserFacingError("keys.keyring_unavailable")
        return KeyringKeyStore(store_id)
    return FileKeyStore(keyfile, store_id)


def choose_keystore_kind(preference: str | None) -> KeyStoreKind:
    """The OS keyring when one works, else the key file; ``preference`` forces one of them."""
    if preference == KeyStoreKind.FILE.value:
        return KeyStoreKind.FILE
    if preference == KeyStoreKind.KEYRING.value:
        if not keyring_available():
            raise UserFacingError("keys.keyring_unavailable")
        return KeyStoreKind.KEYRING
    return KeyStoreKind.KEYRING if keyring_available() else KeyStoreKind.FILE
