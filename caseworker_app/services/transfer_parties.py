"""Who sends and who receives a transfer file: this installation's keys, seen by the use cases.

Shared by the ambito package (``ambito_packages``), the istruttorie and the receipts
(``transmissions``, ``transmissions_reception``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import OwnKeys, PublicKeyBundle
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import installation_keys
from caseworker_app.transfer.sealed import Sender

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import x25519


@dataclass(frozen=True)
class OwnParty:
    """This installation as the sender of a file: its public bundle and its current keys."""

    bundle: PublicKeyBundle
    keys: OwnKeys

    @property
    def sender(self) -> Sender:
        return sender_of(self.bundle)

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return transfer_keys.load_signing_private(self.keys.material.signing_private)

    @property
    def own_recipient(self) -> x25519.Recipient:
        return transfer_keys.load_recipient(self.bundle.age_recipient)


def own_party(uow: UnitOfWork, *, now: datetime, actor: str) -> OwnParty:
    """This installation's keys (made on first use for a store older than them), inside the
    caller's open unit of work."""
    bundle = installation_keys.ensure_own_keys(uow, now=now, actor=actor)
    current = uow.keys.current_own()
    if current is None:  # ensure_own_keys made it
        raise UserFacingError("keys.missing")
    return OwnParty(bundle, current)


def own_fingerprints(uow: UnitOfWork) -> frozenset[str]:
    """The fingerprints (40 digits) of every key set of this installation, current and retired:
    a file addressed to any of them is for this installation."""
    return frozenset(k.material.fingerprint.digits for k in uow.keys.list_own())


def own_identities(uow: UnitOfWork) -> list[x25519.Identity]:
    """This installation's age identities, current and retired (inside an open unit of work)."""
    return [transfer_keys.load_identity(k.material.age_identity) for k in uow.keys.list_own()]


def sender_of(bundle: PublicKeyBundle) -> Sender:
    return Sender(
        installation=bundle.installation,
        role=bundle.role,
        ambito=bundle.ambito,
        comuni=bundle.comuni,
        signing_public=bundle.signing_public,
        age_recipient=bundle.age_recipient,
    )


def bundle_of(sender: Sender) -> PublicKeyBundle:
    return PublicKeyBundle(
        installation=sender.installation,
        role=sender.role,
        ambito=sender.ambito,
        comuni=tuple(sender.comuni),
        signing_public=sender.signing_public,
        age_recipient=sender.age_recipient,
    )


def same_keys(bundle: PublicKeyBundle, sender: Sender) -> bool:
    return (
        bundle.installation == sender.installation
        and bundle.signing_public == sender.signing_public
        and bundle.age_recipient == sender.age_recipient
    )


def aware(moment: datetime) -> datetime:
    """``moment`` with its UTC offset (the store's times are local, without one)."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def local(moment: datetime) -> datetime:
    """``moment`` as the store keeps times: local, without an offset."""
    return moment if moment.tzinfo is None else moment.astimezone().replace(tzinfo=None)
