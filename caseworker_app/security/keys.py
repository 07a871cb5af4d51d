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


# What a blob may ask of Argon2: the ranges this application writes (KdfParams' defaults and
# FAST_TEST_KDF, with room to raise the cost), never more. A blob is read from keys.json, the OS
# keyring or a backup's manifest, all of which can be damaged or edited: an out-of-range cost
# would crash Argon2 (m=0) or hang the unlock for hours (t=10**9), so it counts as damage.
KDF_TIME_RANGE = range(1, 11)
KDF_MEMORY_KIB_RANGE = range(8 * 1024, 1024 * 1024 + 1)
KDF_PARALLELISM_RANGE = range(1, 9)
SALT_BYTES = 16
NONCE_BYTES = 12
CT_BYTES = KEY_BYTES + 16  # the key and the GCM tag
_MAX_BLOB_CHARS = 4096  # a real blob is ~250 characters; bounds the JSON parser's work


def _strict_int(value: object, allowed: range) -> int:
    if type(value) is not int or value not in allowed:  # not bool, float or string
        raise ValueError("KDF parameter out of range")
    return value


def _b64_field(value: object, size: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    raw = base64.b64decode(value, validate=True)
    if len(raw) != size:
        raise ValueError("wrong length")
    return raw


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
    for value, allowed in (
        (params.time_cost, KDF_TIME_RANGE),
        (params.memory_kib, KDF_MEMORY_KIB_RANGE),
        (params.parallelism, KDF_PARALLELISM_RANGE),
    ):
        _strict_int(value, allowed)  # never write a blob that unwrap_key would refuse
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
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
    """Return the key, or None when ``secret`` is wrong. A malformed blob is a user-facing error
    (``keys.blob_corrupt``), checked before any key derivation runs."""
    try:
        if not isinstance(blob, str) or len(blob) > _MAX_BLOB_CHARS:
            raise ValueError("not a key blob")
        data = json.loads(blob)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        version = data.get("v")
        if type(version) is not int:
            raise ValueError("no version")
        if version != BLOB_VERSION or data.get("kdf") != "argon2id":
            raise UserFacingError("keys.blob_unsupported")
        params = KdfParams(
            time_cost=_strict_int(data["t"], KDF_TIME_RANGE),
            memory_kib=_strict_int(data["m"], KDF_MEMORY_KIB_RANGE),
            parallelism=_strict_int(data["p"], KDF_PARALLELISM_RANGE),
        )
        salt = _b64_field(data["salt"], SALT_BYTES)
        nonce = _b64_field(data["nonce"], NONCE_BYTES)
        ct = _b64_field(data["ct"], CT_BYTES)
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
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
