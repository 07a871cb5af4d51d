"""An istruttorie file is what docs/transfer-format.md §7 and §10 say: standard tools read it, and
a file made with standard tools is imported (issue 11, interoperability).

The comune's exported file is decrypted by the standard ``age`` command with the capofila's
identity, listed by Python's ``zipfile``, its manifest signature verified with plain
``cryptography`` against the comune's public key (as the comune's store gives it, not as the file
claims it), every member checked against the manifest's SHA-256, and the record read with the
interchange reader. The other way round, an archive made with ``zipfile``, signed with
``cryptography`` and encrypted with ``age`` is imported by the capofila.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.transmission import ReceiptOutcome
from caseworker_app.services.installation_keys import own_public_keys
from caseworker_app.services.transmissions_reception import ImportedIstruttorie
from caseworker_app.transfer.istanza_record import read_istanza
from tests.tools import require

from .transmission_stores import Ambito, ambito  # noqa: F401 (the fixture)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _secret_file(path: Path, text: str) -> Path:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{text}\n")
    return path


def _own_keys(store: OpenStore) -> tuple[str, str]:
    """(age identity, signing private key in base64) as held in ``store``."""
    with store.uow_factory() as uow:
        own = uow.keys.current_own()
        assert own is not None
        return own.material.age_identity, own.material.signing_private


def _age_decrypt(age: str, identity: Path, sealed: Path, out: Path) -> bytes:
    subprocess.run(
        [age, "--decrypt", "-i", str(identity), "-o", str(out), str(sealed)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return out.read_bytes()


def test_age_zipfile_and_cryptography_read_an_exported_file(
    ambito: Ambito,  # noqa: F811
    tmp_path: Path,
) -> None:
    age = require("age")
    comune = ambito.comuni["A127"]
    sealed = ambito.export("A127")
    identity_text, _ = _own_keys(ambito.capofila)
    identity = _secret_file(tmp_path / "identity.txt", identity_text)
    assert identity.stat().st_mode & 0o777 == 0o600
    clear = _age_decrypt(age, identity, sealed, tmp_path / "archive.zip")
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1\n")

    with zipfile.ZipFile(io.BytesIO(clear)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        raw = archive.read("manifest.json")
        signature = archive.read("manifest.sig")
        contents = {n: archive.read(n) for n in names}
    manifest = json.loads(raw)
    # the signature, with the key the comune's store holds
    bundle = own_public_keys(comune.uow_factory(), actor=comune.actor)
    public = base64.b64decode(bundle.signing_public)
    assert len(signature) == 64
    Ed25519PublicKey.from_public_bytes(public).verify(signature, raw)
    assert manifest["sender"]["signing_public"] == bundle.signing_public
    capofila = own_public_keys(ambito.capofila.uow_factory(), actor=ambito.capofila.actor)
    assert manifest["recipient"] == {
        "fingerprint": capofila.fingerprint.digits,
        "age_recipient": capofila.age_recipient,
    }
    assert (manifest["format"], manifest["kind"]) == ("caseworker.transfer/1", "istruttorie")
    # the manifest lists exactly the members, with their sizes and digests
    listed = {m["name"]: m for m in manifest["members"]}
    assert set(names) == set(listed) | {"manifest.json", "manifest.sig"}
    for name, entry in listed.items():
        assert entry["size"] == len(contents[name])
        assert entry["sha256"] == hashlib.sha256(contents[name]).hexdigest()
    # the payload names the folders, istruttoria.json the other members
    first = manifest["payload"]["istanze"][0]
    assert first["folder"] == "istanze/0001"
    istruttoria = json.loads(contents["istanze/0001/istruttoria.json"])
    for member in istruttoria["members"]:
        assert member["sha256"] == listed[member["name"]]["sha256"]
    assert contents["attestazione.pdf"].startswith(b"%PDF-")
    # the record is an interchange record
    record = read_istanza(contents["istanze/0001/istanza.json"], source="istanza.json", avviso=None)
    assert (record.id, record.comune) == (first["protocol"], first["comune"])


def test_a_file_made_with_standard_tools_is_imported(
    ambito: Ambito,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The members of an exported file, in an archive made with ``zipfile`` (maximum deflate,
    another order), a new manifest signed with plain ``cryptography`` by the comune's key and
    encrypted with the ``age`` command: the capofila accepts it."""
    age = require("age")
    comune = ambito.comuni["A127"]
    exported = ambito.export("A127")
    identity_text, _ = _own_keys(ambito.capofila)
    identity = _secret_file(tmp_path / "identity.txt", identity_text)
    with zipfile.ZipFile(
        io.BytesIO(_age_decrypt(age, identity, exported, tmp_path / "a.zip"))
    ) as z:
        members = {n: z.read(n) for n in z.namelist() if not n.startswith("manifest.")}
        manifest = json.loads(z.read("manifest.json"))
    manifest["transmission"] = str(uuid.uuid4())
    manifest["created_at"] = "2026-12-10T10:00:00Z"
    manifest["members"] = [
        {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
        for n, d in sorted(members.items())
    ]
    raw = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    _, signing_text = _own_keys(comune)
    signing = Ed25519PrivateKey.from_private_bytes(base64.b64decode(signing_text))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("manifest.sig", signing.sign(raw))
        z.writestr("manifest.json", raw)
        for name in sorted(members, reverse=True):
            z.writestr(name, members[name])
    clear = tmp_path / "by-hand.zip"
    clear.write_bytes(buffer.getvalue())
    capofila = own_public_keys(ambito.capofila.uow_factory(), actor=ambito.capofila.actor)
    sealed = tmp_path / "A127-20261210-900.cwt"
    subprocess.run(
        [age, "--encrypt", "-r", capofila.age_recipient, "-o", str(sealed), str(clear)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    result = ambito.import_(ambito.capofila, sealed, trust=ambito.fingerprint(comune))
    assert isinstance(result, ImportedIstruttorie) and not result.already_imported
    assert [line.outcome for line in result.lines] == [ReceiptOutcome.ACCETTATA]
    assert result.transmission.id == manifest["transmission"]
