"""The keys of an installation for transmissions: Ed25519 signatures and age encryption.

An adapter over ``cryptography`` (Ed25519) and ``pyrage`` (age X25519, the format the standard
``age`` tool reads). Keys travel as text: Ed25519 keys as the standard base64 of their 32 raw
bytes, the age identity as ``AGE-SECRET-KEY-1…`` and the age recipient as ``age1…``.

Errors are message codes; none of them (nor any log line) carries key material, and the library
exceptions, whose text could, are never chained.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import (
    SIGNING_KEY_BYTES,
    KeyMaterial,
    decode_signing_public,
    normalize_age_recipient,
)

SIGNATURE_BYTES = 64
_AGE_IDENTITY_PREFIX = "AGE-SECRET-KEY-1"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _public_text(key: Ed25519PublicKey) -> str:
    return _b64(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def generate_key_set() -> KeyMaterial:
    """A new signing key pair and age identity, from the operating system's random source."""
    signing = Ed25519PrivateKey.generate()
    identity = x25519.Identity.generate()
    return KeyMaterial(
        signing_private=_b64(signing.private_bytes_raw()),
        signing_public=_public_text(signing.public_key()),
        age_identity=str(identity),
        age_recipient=str(identity.to_public()),
    )


def load_signing_private(text: str) -> Ed25519PrivateKey:
    """This installation's signing key from its text; ``keys.damaged`` if it is not one."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise UserFacingError("keys.damaged") from None
    if len(raw) != SIGNING_KEY_BYTES:
        raise UserFacingError("keys.damaged")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_signing_public(text: str) -> Ed25519PublicKey:
    """A signing public key (ours or a peer's); ``keys.public_invalid`` if it is not one."""
    raw = decode_signing_public(text)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise UserFacingError("keys.public_invalid", what="chiave di firma") from None


def load_identity(text: str) -> x25519.Identity:
    """This installation's age identity from its text; ``keys.damaged`` if it is not one."""
    if not text.upper().startswith(_AGE_IDENTITY_PREFIX):
        raise UserFacingError("keys.damaged")
    try:
        identity: x25519.Identity = x25519.Identity.from_str(text)
    except (pyrage.IdentityError, ValueError, TypeError):
        raise UserFacingError("keys.damaged") from None
    return identity


def load_recipient(text: str) -> x25519.Recipient:
    """An age recipient (ours or a peer's); ``keys.public_invalid`` if it is not one."""
    normalized = normalize_age_recipient(text)
    try:
        recipient: x25519.Recipient = x25519.Recipient.from_str(normalized)
    except (pyrage.RecipientError, ValueError, TypeError):
        raise UserFacingError("keys.public_invalid", what="chiave di cifratura (age)") from None
    return recipient


def check_key_set(material: KeyMaterial) -> None:
    """Each private half loads and gives back its public half; ``keys.damaged`` otherwise."""
    signing = load_signing_private(material.signing_private)
    identity = load_identity(material.age_identity)
    try:
        recipient = normalize_age_recipient(material.age_recipient)
    except UserFacingError:
        raise UserFacingError("keys.damaged") from None
    if _public_text(signing.public_key()) != material.signing_public:
        raise UserFacingError("keys.damaged")
    if str(identity.to_public()) != recipient:
        raise UserFacingError("keys.damaged")


def sign(material: KeyMaterial, data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``data`` with this installation's signing key."""
    return load_signing_private(material.signing_private).sign(data)


def verify(signing_public: str, data: bytes, signature: bytes) -> None:
    """Nothing if ``signature`` is the signature of ``data`` by ``signing_public``;
    ``keys.signature_invalid`` otherwise (also for a signature of the wrong length)."""
    key = load_signing_public(signing_public)
    if len(signature) != SIGNATURE_BYTES:
        raise UserFacingError("keys.signature_invalid")
    try:
        key.verify(signature, data)
    except InvalidSignature:
        raise UserFacingError("keys.signature_invalid") from None


def is_valid_signature(signing_public: str, data: bytes, signature: bytes) -> bool:
    try:
        verify(signing_public, data, signature)
    except UserFacingError as exc:
        if exc.code == "keys.signature_invalid":
            return False
        raise
    return True


def encrypt(data: bytes, recipients: Sequence[str]) -> bytes:
    """``data`` encrypted (binary age format) so that any of ``recipients`` can open it."""
    if not recipients:
        raise ValueError("encrypt needs at least one recipient")
    loaded = [load_recipient(r) for r in recipients]
    sealed: bytes = pyrage.encrypt(data, loaded)
    return sealed


def decrypt(data: bytes, age_identity: str) -> bytes:
    """``data`` opened with this installation's identity; ``keys.decrypt_failed`` when the file
    is not for it, or is damaged."""
    identity = load_identity(age_identity)
    try:
        opened: bytes = pyrage.decrypt(data, [identity])
    except (pyrage.DecryptError, ValueError, TypeError):
        raise UserFacingError("keys.decrypt_failed") from None
    return opened
