"""The keys of an installation and of its peers, as plain values, and their fingerprint.

Each installation (a comune's or a capofila's store) has a signing key pair (Ed25519) and an
encryption identity in the age format (X25519). What it hands to others is its *public key
bundle*: who it is (the store id, its role, its ambito, the comuni it acts for; one installation
may serve several small comuni) and the two public keys. Whoever receives a bundle confirms it by
phone by reading its **fingerprint** aloud; the fingerprint covers the two public keys only, so
the same keys keep the same fingerprint whatever the bundle says about comuni.

Fingerprint derivation (version 1), fixed for good so that two installations always agree:

1. ``material = b"caseworker.fingerprint/1\\x00" + S + R`` where ``S`` is the raw 32-byte Ed25519
   public key (the standard base64 text of the bundle decoded, exactly 32 bytes) and ``R`` is the
   age recipient (``age1…``, Bech32) in lowercase ASCII. ``S`` has a fixed length, so the
   concatenation is unambiguous; Bech32 in lowercase is one spelling per key.
2. ``digest = SHA-256(material)`` (32 bytes).
3. The digest is cut into 8 chunks of 4 bytes; each chunk, read as a big-endian unsigned integer,
   is reduced modulo 100000 and written as 5 decimal digits (leading zeros kept). That gives 8
   groups of 5 digits (40 digits, about 133 bits), shown separated by spaces, like Signal's safety
   numbers (which use 5-byte chunks; 4-byte chunks let the 32-byte digest fill 8 groups, with a
   bias of 1 in 42,949 per group).

A fingerprint typed back by a user (``parse_fingerprint``) may contain spaces and dashes, which are
ignored; anything else but 40 digits is refused.

Private key material is kept here only as opaque text (``KeyMaterial``), never shown by ``repr``.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from caseworker_app.domain.errors import UserFacingError

FINGERPRINT_VERSION = 1
_FINGERPRINT_LABEL = b"caseworker.fingerprint/1\x00"
FINGERPRINT_GROUPS = 8
FINGERPRINT_GROUP_DIGITS = 5
FINGERPRINT_DIGITS = FINGERPRINT_GROUPS * FINGERPRINT_GROUP_DIGITS
_CHUNK_BYTES = 4
SIGNING_KEY_BYTES = 32
#: what a user may type between the digits of a fingerprint
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")

#: the roles of an installation (ports.storage.Installation.role)
INSTALLATION_ROLES = ("comune", "capofila")


@dataclass(frozen=True, order=True)
class Fingerprint:
    """The 40 digits of a fingerprint (no separators); ``display`` groups them by five."""

    digits: str

    def __post_init__(self) -> None:
        if len(self.digits) != FINGERPRINT_DIGITS or not self.digits.isascii():
            raise ValueError("a fingerprint has 40 ASCII digits")
        if not self.digits.isdigit():
            raise ValueError("a fingerprint has 40 ASCII digits")

    @property
    def groups(self) -> tuple[str, ...]:
        size = FINGERPRINT_GROUP_DIGITS
        return tuple(self.digits[i : i + size] for i in range(0, FINGERPRINT_DIGITS, size))

    @property
    def display(self) -> str:
        """``12345 67890 …``: the form printed and read aloud."""
        return " ".join(self.groups)

    def matches(self, other: Fingerprint) -> bool:
        return hmac.compare_digest(self.digits, other.digits)

    def __str__(self) -> str:
        return self.display


def decode_signing_public(text: str) -> bytes:
    """The 32 raw bytes of an Ed25519 public key given as standard base64 (with padding).

    Only the canonical spelling is accepted (re-encoding gives the same text), so one key has one
    text. ``keys.public_invalid`` otherwise."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise UserFacingError("keys.public_invalid", what="chiave di firma") from None
    if len(raw) != SIGNING_KEY_BYTES or base64.b64encode(raw).decode("ascii") != text:
        raise UserFacingError("keys.public_invalid", what="chiave di firma")
    return raw


def normalize_age_recipient(text: str) -> str:
    """The lowercase spelling of an age X25519 recipient (``age1`` + 58 Bech32 characters).

    The shape is checked here; the checksum and the curve point by the age library
    (security/transfer_keys.py). ``keys.public_invalid`` otherwise."""
    lowered = text.strip().lower()
    if not _AGE_RECIPIENT.fullmatch(lowered):
        raise UserFacingError("keys.public_invalid", what="chiave di cifratura (age)")
    return lowered


def fingerprint_of(signing_public: str, age_recipient: str) -> Fingerprint:
    """The fingerprint of a pair of public keys (derivation in the module docstring)."""
    material = (
        _FINGERPRINT_LABEL
        + decode_signing_public(signing_public)
        + normalize_age_recipient(age_recipient).encode("ascii")
    )
    digest = hashlib.sha256(material).digest()
    groups = []
    for i in range(0, len(digest), _CHUNK_BYTES):
        value = int.from_bytes(digest[i : i + _CHUNK_BYTES], "big") % 10**FINGERPRINT_GROUP_DIGITS
        groups.append(f"{value:0{FINGERPRINT_GROUP_DIGITS}d}")
    return Fingerprint("".join(groups))


def parse_fingerprint(text: str) -> Fingerprint:
    """A fingerprint as typed by a user: spaces and dashes ignored, exactly 40 digits.

    ``keys.fingerprint_format`` (with the number of digits found) otherwise."""
    compact = _SEPARATORS.sub("", text)
    if len(compact) != FINGERPRINT_DIGITS or not (compact.isascii() and compact.isdigit()):
        found = sum(1 for c in compact if c.isascii() and c.isdigit())
        raise UserFacingError("keys.fingerprint_format", found=found)
    return Fingerprint(compact)


@dataclass(frozen=True)
class PublicKeyBundle:
    """What an installation gives to others: who it is and its two public keys."""

    installation: str  # the store id (a UUID)
    role: str  # "comune" | "capofila"
    ambito: str
    comuni: tuple[str, ...]  # the codici catastali it acts for
    signing_public: str  # Ed25519, standard base64 of the 32 raw bytes
    age_recipient: str  # age X25519 recipient, "age1…"

    @property
    def fingerprint(self) -> Fingerprint:
        return fingerprint_of(self.signing_public, self.age_recipient)


@dataclass(frozen=True)
class KeyMaterial:
    """A key set as text: the private halves are never shown by ``repr``."""

    signing_private: str = field(repr=False)  # Ed25519, standard base64 of the 32 raw bytes
    signing_public: str
    age_identity: str = field(repr=False)  # "AGE-SECRET-KEY-1…"
    age_recipient: str  # "age1…"

    @property
    def fingerprint(self) -> Fingerprint:
        return fingerprint_of(self.signing_public, self.age_recipient)


@dataclass(frozen=True)
class OwnKeys:
    """This installation's key set as kept in its store; ``retired_at`` None: the current one."""

    id: str
    created_at: datetime
    material: KeyMaterial
    retired_at: datetime | None = None

    @property
    def current(self) -> bool:
        return self.retired_at is None


class PeerKeyStatus(enum.StrEnum):
    DA_CONFERMARE = "da_confermare"  # received, fingerprint not yet confirmed by phone
    CONFERMATA = "confermata"  # confirmed: this key may send for these comuni
    REVOCATA = "revocata"  # no longer trusted


@dataclass(frozen=True)
class PeerKey:
    """Another installation's public keys as received, and whether they were confirmed."""

    bundle: PublicKeyBundle
    status: PeerKeyStatus
    first_seen_at: datetime
    confirmed_at: datetime | None = None
    confirmed_by: str = ""  # the username who confirmed the fingerprint

    @property
    def fingerprint(self) -> Fingerprint:
        return self.bundle.fingerprint
