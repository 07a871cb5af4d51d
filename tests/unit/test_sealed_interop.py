"""The sealed format is what docs/transfer-format.md says: standard tools read and write it.

Our file is decrypted by the standard ``age`` command, read by Python's ``zipfile`` and its
manifest signature verified with plain ``cryptography``; a file made with those same tools (and
no code of ours) is accepted by our reader.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.tools import require
from tests.unit.sealed_helpers import Pair, canonical, manifest_for, sample_members


def identity_file(folder: Path, identity: object) -> Path:
    path = folder / "identity.txt"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{identity}\n")
    return path


def test_the_age_command_zipfile_and_cryptography_read_our_file(tmp_path: Path) -> None:
    age = require("age")
    pair = Pair()
    members = {**sample_members(), "docs/scan.pdf": os.urandom(300_000)}
    sealed = pair.seal(tmp_path / "A010-20240301-001.cwt", members).path
    clear = tmp_path / "archive.zip"
    subprocess.run(
        [age, "--decrypt", "-i", str(identity_file(tmp_path, pair.capofila.identity)),
         "-o", str(clear), str(sealed)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    with zipfile.ZipFile(clear) as archive:
        assert archive.testzip() is None
        raw = archive.read("manifest.json")
        signature = archive.read("manifest.sig")
        manifest = json.loads(raw)
        public = base64.b64decode(manifest["sender"]["signing_public"])
        assert len(signature) == 64
        Ed25519PublicKey.from_public_bytes(public).verify(signature, raw)
        assert public == base64.b64decode(pair.comune.sender.signing_public)
        assert manifest["format"] == "caseworker.transfer/1"
        listed = {m["name"]: m for m in manifest["members"]}
        assert set(archive.namelist()) == set(listed) | {"manifest.json", "manifest.sig"}
        for name, entry in listed.items():
            data = archive.read(name)
            assert data == members[name]
            assert entry["size"] == len(data)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_file_made_with_standard_tools_is_accepted(tmp_path: Path) -> None:
    age = require("age")
    pair = Pair()
    members = sample_members()
    raw = canonical(manifest_for(pair.comune, members, recipient=pair.capofila))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("manifest.sig", pair.comune.signing.sign(raw))
        zf.writestr("manifest.json", raw)
        for name, data in members.items():
            zf.writestr(name, data)
    clear = tmp_path / "archive.zip"
    clear.write_bytes(buffer.getvalue())
    sealed = tmp_path / "by-hand.cwt"
    subprocess.run(
        [age, "--encrypt", "-r", str(pair.capofila.recipient), "-o", str(sealed), str(clear)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    opened = pair.open(sealed)
    assert opened.manifest_bytes == raw
    assert {name: opened.read(name) for name in opened.names} == members
    assert opened.manifest.recipient.age_recipient == str(pair.capofila.recipient)
