"""The database key and its wrapping.

The store is encrypted with a random 256-bit key that is never written anywhere in clear. It is
wrapped (AES-256-GCM) by a key derived with Argon2id from each operator's password, and once more
by a recovery code shown once at setup. A wrapped blob carries its KDF parameters and salt, and is
bound (AEAD associated data) to the store id and the slot name, so a blob cannot be moved to
another store or another operator.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseworker_app.domain.errors import UserFacingError

KEY_BYTES = 32
BLOB_VERSION = 1
RECOVERY_SLOT = "recovery"
# Crockford base32 without I, L, O, U: no ambiguous characters when read aloud or handwritten.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_GROUPS = 6
_RECOVERY_GROUP_LEN = 5  # 30 symbols of 5 bits: 150 bits of entropy


def operator_slot(username: str) -> str:
    return f"operator:{username.casefold()}"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults follow OWASP's guidance for interactive logins."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2


FAST_TEST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _aad(store_id: str, slot: str) -> bytes:
    return f"caseworker/{store_id}/{slot}".encode()


def wrap_key(key: bytes, secret: str, *, store_id: str, slot: str, params: KdfParams) -> str:
    """Return a JSON blob holding ``key`` encrypted under a key derived from ``secret``."""
    salt = os.urandom(16)
    nonce = os.urandom(12)
    kek = _derive(secret, salt, params)
    ct = AESGCM(kek).encrypt(nonce, key, _aad(store_id, slot))
    blob = {
        "v": BLOB_VERSION,
        "kdf": "argon2id",
        "t": params.time_cost,
        "m": params.memory_kib,
        "p": params.parallelism,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ct": base64.b64encode(ct).decode(),
    }
    return json.dumps(blob, sort_keys=True)


def unwrap_key(blob: str, secret: str, *, store_id: str, slot: str) -> bytes | None:
    """Return the key, or None when ``secret`` is wrong. A malformed blob is a user-facing error."""
    try:
        data = json.loads(blob)
        if data.get("v") != BLOB_VERSION or data.get("kdf") != "argon2id":
            raise UserFacingError("keys.blob_unsupported")
        params = KdfParams(int(data["t"]), int(data["m"]), int(data["p"]))
        salt = base64.b64decode(data["salt"], validate=True)
        nonce = base64.b64decode(data["nonce"], validate=True)
        ct = base64.b64decode(data["ct"], validate=True)
    except (ValueError, KeyError, TypeError) as exc:
        raise UserFacingError("keys.blob_corrupt") from exc
    kek = _derive(secret, salt, params)
    try:
        return AESGCM(kek).decrypt(nonce, ct, _aad(store_id, slot))
    except InvalidTag:
        return None


def new_recovery_code() -> str:
    symbols = "".join(
        secrets.choice(_ALPHABET) for _ in range(_RECOVERY_GROUPS * _RECOVERY_GROUP_LEN)
    )
    groups = [
        symbols[i : i + _RECOVERY_GROUP_LEN] for i in range(0, len(symbols), _RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)


def normalize_recovery_code(text: str) -> str:
    """Accept the code as a person types it: any case, spaces or dashes, O for 0, I/L for 1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    confusable: dict[str, str | int | None] = {"O": "0", "I": "1", "L": "1"}
    cleaned = cleaned.translate(str.maketrans(confusable))
    if len(cleaned) != _RECOVERY_GROUPS * _RECOVERY_GROUP_LEN or any(
        ch not in _ALPHABET for ch in cleaned
    ):
        raise UserFacingError("keys.recovery_code_format")
    groups = [
        cleaned[i : i + _RECOVERY_GROUP_LEN] for i in range(0, len(cleaned), _RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)
