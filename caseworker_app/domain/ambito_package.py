"""The ambito package: what the capofila tells the comuni of its ambito, signed by its key.

The Ufficio di Piano of the comune capofila exports it (``caseworker keys export-ambito``); each
comune imports it at setup and whenever it changes. It carries:

- the capofila's public keys (:class:`PublicKeyBundle`): the comune pins them once their
  fingerprint was confirmed by phone, and from then on accepts only packages (and, later,
  receipts and outcomes) signed by that key;
- the comuni of the ambito (codes and names);
- the avvisi definitions in force, each as its definition file's id, version, file name and
  SHA-256 (the file itself travels in the package: the comune judges with exactly the capofila's
  definition);
- a ``sequence`` that grows with every package the capofila issues, and ``issued_at``;
- optionally a ``rotation``: when the capofila changed its signing key, the previous signing
  public key and a signature *by the previous key* over the new key bundle
  (:func:`rotation_message`), so that a comune that pinned the old key can move to the new one
  without a phone call.

The file layout (a signed-only transfer file of kind ``ambito`` with the members
``ambito.json`` and ``avvisi/<file>``) is in docs/transfer-format.md; reading and writing the
JSON is ``transfer/ambito_json.py``. This module holds the values and the rules only.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from caseworker_app.domain.installation_keys import Fingerprint, PublicKeyBundle

#: the kind of the transfer file
KIND = "ambito"
#: the version of ``ambito.json`` (and of the manifest's payload)
PACKAGE_FORMAT = "caseworker.ambito_package/1"
#: the payload member
PAYLOAD_MEMBER = "ambito.json"
#: the folder of the definition files inside the package
AVVISI_FOLDER = "avvisi"
#: what the previous key signs when the capofila changes keys (then the canonical JSON of the
#: new bundle, see :func:`rotation_message`)
_ROTATION_LABEL = b"caseworker.ambito-rotation/1\x00"


@dataclass(frozen=True)
class PackageComune:
    code: str  # codice catastale (Belfiore)
    name: str


@dataclass(frozen=True)
class PackageAvviso:
    """One avviso definition in force: its file travels as ``avvisi/<file>``."""

    id: str
    version: str
    file: str  # the definition file's name, e.g. "abbiatense-caregiver-2023.toml"
    sha256: str  # of the file's bytes (lines ending in LF), lowercase hex

    @property
    def member(self) -> str:
        return f"{AVVISI_FOLDER}/{self.file}"


@dataclass(frozen=True)
class KeyRotation:
    """The capofila moved to a new signing key: the previous key vouches for the new bundle."""

    previous_signing_public: str  # Ed25519, standard base64 of the 32 raw bytes
    signature: str  # standard base64 of the 64-byte signature of rotation_message(...)


@dataclass(frozen=True)
class AmbitoPackage:
    ambito: str  # the ambito id, e.g. "abbiatense"
    ambito_name: str
    capofila: PublicKeyBundle  # the capofila installation's public keys
    comuni: tuple[PackageComune, ...]
    avvisi: tuple[PackageAvviso, ...]
    sequence: int  # 1, 2, 3... for each package the capofila issues
    issued_at: datetime  # with its UTC offset
    rotation: KeyRotation | None = None

    @property
    def fingerprint(self) -> Fingerprint:
        return self.capofila.fingerprint

    def lists(self, comune: str) -> bool:
        return any(c.code == comune for c in self.comuni)


def rotation_message(bundle: PublicKeyBundle) -> bytes:
    """What the previous signing key signs to vouch for ``bundle``: a fixed label, then the
    canonical JSON (sorted keys, no spaces, UTF-8) of the whole new bundle."""
    value = {
        "installation": bundle.installation,
        "role": bundle.role,
        "ambito": bundle.ambito,
        "comuni": list(bundle.comuni),
        "signing_public": bundle.signing_public,
        "age_recipient": bundle.age_recipient,
    }
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return _ROTATION_LABEL + text.encode("utf-8")


class Direction(enum.StrEnum):
    ESPORTATO = "esportato"  # issued by this installation (a capofila)
    IMPORTATO = "importato"  # received and accepted by this installation (a comune)


@dataclass(frozen=True)
class StoredAmbitoPackage:
    """A package as the store keeps it: issued here (capofila) or accepted here (comune), with
    the bytes that travelled, so that it can be verified again. ``payload`` is read into an
    :class:`AmbitoPackage` by ``transfer/ambito_json.py``."""

    id: str
    direction: Direction
    ambito: str
    sequence: int
    issued_at: datetime  # local time, as the store keeps times
    #: the SHA-256 of the package's ``manifest.json`` (what the signature covers): the same
    #: package whatever file carried it
    sha256: str
    signing_public: str  # the key that signed it
    fingerprint: Fingerprint  # of the capofila's keys in the package
    manifest: bytes  # manifest.json
    signature: bytes  # manifest.sig
    payload: bytes  # ambito.json
    recorded_at: datetime
    recorded_by: str  # the username who exported or imported it
    #: the definition files, by member name (``avvisi/<file>``)
    files: Mapping[str, bytes] = field(default_factory=dict)


class Freshness(enum.StrEnum):
    NEW = "new"  # later than anything held: to be accepted
    SAME = "same"  # this very package is held already
    STALE = "stale"  # another package with this sequence or a later one is held


def freshness(
    sha256: str, sequence: int, held: tuple[tuple[int, str], ...] | list[tuple[int, str]]
) -> Freshness:
    """Where a package (its manifest digest and sequence) stands against the packages ``held``
    (sequence, digest): the same one, a newer one, or stale (an older or equal sequence with
    another digest: a replay of an old package, or two packages issued with one number)."""
    if any(digest == sha256 for _, digest in held):
        return Freshness.SAME
    if any(sequence <= number for number, _ in held):
        return Freshness.STALE
    return Freshness.NEW
