"""Signed-only transfer files (a public kind, not encrypted): round trip, and every change refused.

Without age, nothing authenticates the archive's own bytes but the canonical layout the reader
rebuilds and compares, so here *any* changed byte must be refused, including in ZIP headers that
no reader interprets (unlike the encrypted archive of test_sealed_fuzz.py, whose timestamps may
change harmlessly because age already authenticates the file).
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.messages import CATALOG
from caseworker_app.transfer.sealed import (
    PUBLIC_KINDS,
    RecipientRef,
    SealResult,
    open_envelope,
    open_sealed,
    write_sealed,
    write_signed,
)
from tests.unit.sealed_helpers import (
    CREATED,
    Pair,
    canonical,
    manifest_for,
    refused,
    zip_bytes,
)

MEMBERS = {
    "ambito.json": b'{"format":"caseworker.ambito_package/1"}',
    "avvisi/abbiatense-caregiver-2023.toml": b'format = "caseworker.avviso/1"\n' * 40,
    "avvisi/empty.toml": b"",
}


@pytest.fixture
def pair() -> Pair:
    pair = Pair()
    pair.comune.role, pair.comune.comuni = "capofila", ()  # the capofila signs the package
    return pair


def _write(pair: Pair, path: Path, **overrides: Any) -> SealResult:
    arguments: dict[str, Any] = {
        "kind": "ambito",
        "sender": pair.comune.sender,
        "signing_key": pair.comune.signing,
        "members": MEMBERS,
        "payload": {"format": "caseworker.ambito_package/1"},
        "app_version": "0.1.0",
        "created_at": CREATED,
    }
    arguments.update(overrides)
    return write_signed(path, **arguments)


def _open(pair: Pair, path: Path, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {"identities": (), "trust": pair.comune.trust()}
    arguments.update(overrides)
    return open_sealed(path, **arguments)


def test_a_signed_only_file_round_trips_and_is_a_plain_zip(pair: Pair, tmp_path: Path) -> None:
    target = tmp_path / "ambito-abbiatense-0001.cwa"
    result = _write(pair, target)
    data = target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert data.startswith(b"PK\x03\x04")
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
    opened = _open(pair, target)
    assert opened.encrypted is False
    assert opened.manifest == result.manifest
    assert opened.manifest.recipient == RecipientRef(None, None)
    assert opened.manifest_sha256 == hashlib.sha256(result.manifest_bytes).hexdigest()
    assert {entry.name: body for entry, body in opened.members()} == MEMBERS
    # any ZIP reader opens it: the standard library, with its own CRC checks
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == [*sorted(MEMBERS), "manifest.json", "manifest.sig"]
        assert archive.read("manifest.json") == result.manifest_bytes
        signed = archive.read("manifest.json")
        pair.comune.signing.public_key().verify(archive.read("manifest.sig"), signed)


def test_the_same_content_gives_the_same_bytes(pair: Pair, tmp_path: Path) -> None:
    import uuid

    transmission = uuid.uuid4()
    first = _write(pair, tmp_path / "a.cwa", transmission=transmission)
    second = _write(pair, tmp_path / "b.cwa", transmission=transmission)
    assert first.path.read_bytes() == second.path.read_bytes()


def test_only_a_public_kind_may_be_written_signed_only(pair: Pair, tmp_path: Path) -> None:
    assert "ambito" in PUBLIC_KINDS and "istruttorie" not in PUBLIC_KINDS
    with pytest.raises(ValueError, match="encrypted"):
        _write(pair, tmp_path / "t.cwa", kind="istruttorie")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_target_is_not_overwritten(pair: Pair, tmp_path: Path) -> None:
    target = tmp_path / "t.cwa"
    target.write_bytes(b"keep")
    refused(lambda: _write(pair, target), "transfer.target_exists")
    assert target.read_bytes() == b"keep"


def _signed_zip(pair: Pair, *, kind: str, recipient: dict[str, Any] | None = None) -> bytes:
    """A valid manifest for MEMBERS, signed by the capofila, zipped with ``zipfile`` (so not in
    the canonical layout)."""
    manifest = manifest_for(pair.comune, MEMBERS, kind=kind)
    manifest["sender"]["comuni"] = []
    if recipient is not None:
        manifest["recipient"] = recipient
    raw = canonical(manifest)
    entries = [
        *MEMBERS.items(),
        ("manifest.json", raw),
        ("manifest.sig", pair.comune.signing.sign(raw)),
    ]
    return zip_bytes(entries)


def test_a_plain_zip_of_a_kind_that_must_be_encrypted_is_refused(
    pair: Pair, tmp_path: Path
) -> None:
    target = tmp_path / "t.cwt"
    target.write_bytes(_signed_zip(pair, kind="istruttorie"))
    error = refused(lambda: _open(pair, target), "transfer.not_encrypted")
    assert error.params == {"file": "t.cwt"}
    # refused before the trust policy is asked anything
    asked: list[object] = []

    def policy(sender: object) -> Any:
        asked.append(sender)
        return pair.comune.signing.public_key()

    refused(lambda: _open(pair, target, trust=policy), "transfer.not_encrypted")
    assert asked == []


def test_a_signed_plain_zip_not_in_the_canonical_layout_is_refused(
    pair: Pair, tmp_path: Path
) -> None:
    target = tmp_path / "t.cwa"
    nobody = {"fingerprint": None, "age_recipient": None}
    target.write_bytes(_signed_zip(pair, kind="ambito", recipient=nobody))
    refused(lambda: _open(pair, target), "transfer.not_canonical")


def test_garbage_after_a_zip_header_is_refused(pair: Pair, tmp_path: Path) -> None:
    target = tmp_path / "t.cwa"
    target.write_bytes(b"PK\x03\x04 a zip file, not encrypted")
    refused(lambda: _open(pair, target), "transfer.archive_invalid")


def test_a_public_kind_may_also_travel_encrypted(pair: Pair, tmp_path: Path) -> None:
    target = tmp_path / "t.cwt"
    write_sealed(
        target,
        kind="ambito",
        sender=pair.comune.sender,
        signing_key=pair.comune.signing,
        recipients=[pair.capofila.recipient],
        recipient=RecipientRef(),
        members=MEMBERS,
        payload={},
        app_version="0.1.0",
        created_at=CREATED,
    )
    opened = _open(pair, target, identities=pair.capofila.identity)
    assert opened.encrypted is True and opened.manifest.kind == "ambito"
    # an encrypted file and no identity to open it
    refused(lambda: _open(pair, target), "transfer.not_for_this_installation")


def test_the_envelope_tells_the_kind_before_the_signature_is_checked(
    pair: Pair, tmp_path: Path
) -> None:
    target = _write(pair, tmp_path / "t.cwa").path
    envelope = open_envelope(target)
    assert envelope.kind == "ambito" and envelope.encrypted is False
    assert envelope.sender == pair.comune.sender
    other = x25519.Identity.generate()  # identities are not needed for a signed-only file
    assert open_envelope(target, identities=other).kind == "ambito"
    stranger = Pair().comune.signing.public_key()
    refused(lambda: envelope.verify(stranger), "transfer.signature_invalid")
    refused(
        lambda: open_envelope(target).verify(
            pair.comune.signing.public_key(), kinds={"istruttorie"}
        ),
        "transfer.kind_unexpected",
    )
    opened = open_envelope(target).verify(pair.comune.signing.public_key(), kinds={"ambito"})
    assert opened.manifest.kind == "ambito"


def test_every_flipped_byte_and_every_truncation_is_refused(pair: Pair, tmp_path: Path) -> None:
    source = _write(pair, tmp_path / "source.cwa").path
    data = source.read_bytes()
    target = tmp_path / "t.cwa"
    for position in range(len(data)):
        for mask in (0x01, 0x80):
            flipped = bytearray(data)
            flipped[position] ^= mask
            target.write_bytes(bytes(flipped))
            refused(lambda: _open(pair, target))
    for length in range(0, len(data), 7):
        target.write_bytes(data[:length])
        refused(lambda: _open(pair, target))


def test_the_new_codes_have_messages() -> None:
    for code in ("transfer.not_encrypted", "transfer.not_canonical", "transfer.kind_unknown"):
        assert "{file}" in CATALOG[code]


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
    database=None,
)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["flip", "insert", "delete", "replace"]),
            st.floats(min_value=0, max_value=1, allow_nan=False),
            st.integers(min_value=1, max_value=255),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_mutated_signed_only_file_is_refused_or_unchanged(
    pair: Pair, tmp_path: Path, edits: list[tuple[str, float, int]]
) -> None:
    source = tmp_path / "source.cwa"
    if not source.exists():
        _write(pair, source)
    data = bytearray(source.read_bytes())
    for op, where, value in edits:
        at = min(int(where * len(data)), max(0, len(data) - 1))
        if op == "flip" and data:
            data[at] ^= value
        elif op == "insert":
            data[at:at] = bytes([value])
        elif op == "delete" and data:
            del data[at]
        elif op == "replace" and data:
            data[at] = value
    target = tmp_path / "t.cwa"
    target.write_bytes(bytes(data))
    try:
        opened = _open(pair, target)
    except UserFacingError as error:
        assert error.code.startswith("transfer."), error.code
        return
    assert bytes(data) == source.read_bytes()
    assert {entry.name: body for entry, body in opened.members()} == MEMBERS


def test_the_layout_is_the_one_the_documentation_gives(pair: Pair, tmp_path: Path) -> None:
    """Rebuilt here with ``struct`` from the table of docs/transfer-format.md §8, not with the
    writer's code: the bytes are the same."""
    import struct
    import zlib

    result = _write(pair, tmp_path / "t.cwa")
    data = result.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        signature = archive.read("manifest.sig")
    entries = [*sorted(MEMBERS.items()), ("manifest.json", result.manifest_bytes),
               ("manifest.sig", signature)]  # fmt: skip
    local_parts, central_parts, offset = [], [], 0
    for name, body in entries:
        encoded, crc = name.encode("ascii"), zlib.crc32(body)
        local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0x0021, crc,
                            len(body), len(body), len(encoded), 0) + encoded + body  # fmt: skip
        central_parts.append(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 0x0314, 20, 0, 0, 0, 0x0021, crc,
                        len(body), len(body), len(encoded), 0, 0, 0, 0, 0o100644 << 16, offset)
            + encoded
        )  # fmt: skip
        local_parts.append(local)
        offset += len(local)
    central = b"".join(central_parts)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(central), offset, 0)  # fmt: skip
    assert b"".join(local_parts) + central + end == data
