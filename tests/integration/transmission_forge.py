"""Forged transmission files made with the real keys of real stores (issue 11, refusals).

A valid istruttorie file exported by a comune is opened with the capofila's age identity
(:func:`open_file`), changed (members, payload, manifest), and sealed again: with
:func:`reseal`, through ``write_sealed`` (signed with the comune's key read from its store,
encrypted to the capofila), which keeps the format exact; or with :func:`craft`, by hand with
``zipfile`` (for archives the writer refuses to make: another manifest format, unsafe entries).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519

from caseworker_app import __version__
from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import fingerprint_of
from caseworker_app.security import transfer_keys
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services.installation_keys import own_public_keys
from caseworker_app.services.transmissions import ImportedReceipt
from caseworker_app.services.transmissions_reception import ImportedIstruttorie
from caseworker_app.transfer.sealed import RecipientRef, Sender, write_sealed

from .conftest import FakeClock
from .transmission_stores import Ambito, make_ambito, snapshot

CREATED = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)
Entry = tuple[zipfile.ZipInfo | str, bytes]


@dataclass(frozen=True)
class Keys:
    """One installation's keys as a forger holding them sees them."""

    sender: Sender
    signing: Ed25519PrivateKey
    identity: x25519.Identity

    @property
    def recipient(self) -> x25519.Recipient:
        return self.identity.to_public()

    @property
    def fingerprint(self) -> str:
        """The fingerprint's 40 digits."""
        return fingerprint_of(self.sender.signing_public, self.sender.age_recipient).digits

    @property
    def display(self) -> str:
        return fingerprint_of(self.sender.signing_public, self.sender.age_recipient).display


def keys_of(store: OpenStore) -> Keys:
    """The current keys of ``store`` (read from its own tables)."""
    bundle = own_public_keys(store.uow_factory(), actor=store.actor)
    with store.uow_factory() as uow:
        own = uow.keys.current_own()
        assert own is not None
    sender = Sender(
        bundle.installation,
        bundle.role,
        bundle.ambito,
        tuple(bundle.comuni),
        bundle.signing_public,
        bundle.age_recipient,
    )
    return Keys(
        sender,
        transfer_keys.load_signing_private(own.material.signing_private),
        transfer_keys.load_identity(own.material.age_identity),
    )


def new_keys(like: Sender, **changes: Any) -> Keys:
    """Fresh keys in a sender block like ``like`` (same installation unless ``changes`` say)."""
    signing = Ed25519PrivateKey.generate()
    identity = x25519.Identity.generate()
    raw = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    sender = replace(
        like,
        signing_public=base64.b64encode(raw).decode("ascii"),
        age_recipient=str(identity.to_public()),
        **changes,
    )
    return Keys(sender, signing, identity)


@dataclass
class Opened:
    """A sealed file, decrypted: its manifest (parsed) and its members (without the two
    reserved entries)."""

    manifest: dict[str, Any]
    members: dict[str, bytes]
    archive: bytes = field(repr=False, default=b"")

    @property
    def transmission(self) -> uuid.UUID:
        return uuid.UUID(self.manifest["transmission"])

    @property
    def payload(self) -> dict[str, Any]:
        return dict(self.manifest["payload"])

    def json(self, name: str) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.members[name])
        assert isinstance(value, dict)
        return value

    def put_json(self, name: str, value: Mapping[str, Any]) -> None:
        self.members[name] = canonical(value)

    def change(self, name: str, data: bytes) -> None:
        """Replace member ``name`` and its digest in the ``istruttoria.json`` that lists it."""
        self.members[name] = data
        folder = "/".join(name.split("/")[:2])
        item = f"{folder}/istruttoria.json"
        istruttoria = self.json(item)
        for member in istruttoria["members"]:
            if member["name"] == name:
                member["sha256"] = hashlib.sha256(data).hexdigest()
        self.put_json(item, istruttoria)

    def record_member(self, folder: str = "istanze/0001") -> str:
        istruttoria = self.json(f"{folder}/istruttoria.json")
        return str(next(m["name"] for m in istruttoria["members"] if m["role"] == "istanza"))


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def open_file(path: Path, reader: OpenStore) -> Opened:
    """Decrypt ``path`` with ``reader``'s age identity and read it with ``zipfile``."""
    with reader.uow_factory() as uow:
        own = uow.keys.current_own()
        assert own is not None
        identity = transfer_keys.load_identity(own.material.age_identity)
    archive = bytes(pyrage.decrypt(path.read_bytes(), [identity]))
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        content = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(content.pop("manifest.json"))
    content.pop("manifest.sig")
    return Opened(manifest, content, archive)


def reseal(
    path: Path,
    opened: Opened,
    *,
    signer: Keys,
    to: Keys,
    transmission: uuid.UUID | None = None,
    recipient: RecipientRef | None = None,
    payload: Mapping[str, Any] | None = None,
    kind: str | None = None,
) -> Path:
    """``opened`` sealed again into ``path`` with ``write_sealed``: signed by ``signer`` (its
    sender block), encrypted to ``to`` and addressed to it (unless ``recipient`` says otherwise);
    the manifest keeps the original's UUID, kind, payload and head unless told."""
    manifest = opened.manifest
    head = manifest.get("audit_head")
    write_sealed(
        path,
        kind=kind or manifest["kind"],
        sender=signer.sender,
        signing_key=signer.signing,
        recipients=[to.recipient, signer.recipient],
        recipient=recipient or RecipientRef(to.fingerprint, to.sender.age_recipient),
        members=opened.members,
        payload=dict(opened.payload if payload is None else payload),
        app_version=__version__,
        created_at=CREATED,
        transmission=transmission or opened.transmission,
        audit_head=None if head is None else AuditHead(head["seq"], head["hash"]),
    )
    return path


def manifest_listing(manifest: Mapping[str, Any], members: Mapping[str, bytes]) -> dict[str, Any]:
    """``manifest`` listing ``members`` exactly (sizes and digests recomputed)."""
    value = dict(manifest)
    value["members"] = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in sorted(members.items())
    ]
    return value


def craft(
    path: Path,
    opened: Opened,
    *,
    signer: Keys,
    to: Keys,
    manifest: Mapping[str, Any] | None = None,
    extra: Sequence[Entry] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A sealed file made by hand: ``opened``'s members listed in ``manifest`` (by default the
    original's, its sender block ``signer``'s), signed by ``signer`` and encrypted to ``to``,
    plus ``extra`` entries the manifest does not list."""
    value = manifest_listing(manifest or opened.manifest, opened.members)
    if manifest is None:
        value["sender"] = {**value["sender"], **_sender_json(signer.sender)}
    raw = canonical(value)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in opened.members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", raw)
        zf.writestr("manifest.sig", signer.signing.sign(raw))
        for entry, data in extra:
            zf.writestr(entry, data)
    path.write_bytes(bytes(pyrage.encrypt(buffer.getvalue(), [to.recipient])))
    return path


def _sender_json(sender: Sender) -> dict[str, Any]:
    return {
        "installation": sender.installation,
        "role": sender.role,
        "ambito": sender.ambito,
        "comuni": list(sender.comuni),
        "signing_public": sender.signing_public,
        "age_recipient": sender.age_recipient,
    }


def module_ambito(root: Path) -> Iterator[Ambito]:
    """``make_ambito`` for a module-scoped fixture (the conftest's ``make_vault`` is per test)."""
    clock = FakeClock(datetime(2026, 11, 22, 9, 0, 0))

    def make_vault(folder: Path) -> Vault:
        return Vault(folder, kdf=FAST_TEST_KDF, keystore_preference="file", clock=clock)

    yield from make_ambito(root, make_vault)


# -- the ambito the refusals share ----------------------------------------------------------------


@dataclass
class Shared:
    """An ambito for the refusals, shared by the tests of a module (a refusal changes nothing):
    A127's first file was imported at the capofila (A127's keys are pinned) and its receipt went
    back; B448's first file was exported and never imported (its keys are unknown)."""

    ambito: Ambito
    pinned: Path  # A127's first file, imported (A127's keys pinned)
    unknown: Path  # B448's first file, never imported
    receipt: Path  # the receipt of ``pinned``, imported at A127
    capofila: Keys
    comune: Keys  # A127's
    folder: Path
    counter: int = 0

    @property
    def store(self) -> OpenStore:
        return self.ambito.capofila

    @property
    def a127(self) -> OpenStore:
        return self.ambito.comuni["A127"]

    def name(self, suffix: str = ".cwt") -> Path:
        self.counter += 1
        return self.folder / f"forged-{self.counter:03d}{suffix}"

    def opened(self, path: Path | None = None) -> Opened:
        return open_file(path or self.pinned, self.store)

    def reseal(
        self,
        opened: Opened,
        *,
        signer: Keys | None = None,
        transmission: uuid.UUID | None = None,
        recipient: RecipientRef | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Path:
        """``opened`` signed by A127's keys (or ``signer``), encrypted to the capofila."""
        return reseal(
            self.name(),
            opened,
            signer=signer or self.comune,
            to=self.capofila,
            transmission=transmission,
            recipient=recipient,
            payload=payload,
        )

    def import_(self, path: Path, trust: str | None = None) -> object:
        return self.ambito.import_(self.store, path, trust=trust)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """One ambito for a whole test module (see :class:`Shared`)."""
    stores = module_ambito(tmp_path_factory.mktemp("refusals"))
    ambito = next(stores)
    pinned = ambito.export("A127")
    unknown = ambito.export("B448")
    done = ambito.import_(ambito.capofila, pinned, trust=ambito.fingerprint(ambito.comuni["A127"]))
    assert isinstance(done, ImportedIstruttorie) and done.receipt is not None
    assert isinstance(ambito.import_(ambito.comuni["A127"], done.receipt), ImportedReceipt)
    folder = ambito.usb / "forged"
    folder.mkdir()
    yield Shared(
        ambito,
        pinned,
        unknown,
        done.receipt,
        keys_of(ambito.capofila),
        keys_of(ambito.comuni["A127"]),
        folder,
    )
    next(stores, None)


def refused(store: OpenStore, call: Callable[[], object], code: str) -> UserFacingError:
    """``call`` is refused with ``code`` and ``store`` is left exactly as it was."""
    before = snapshot(store)
    with pytest.raises(UserFacingError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.params)
    assert snapshot(store) == before
    return caught.value
