"""The sealed container's reader refuses every unsafe or malformed archive (issue 11).

The archives are made by hand with ``zipfile`` and byte patches (tests/unit/sealed_helpers.py),
signed with plain ``cryptography`` and encrypted with ``pyrage``: the archive is what someone who
holds the capofila's *public* key could send, so it is checked before its manifest is believed.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from caseworker_app.transfer import sealed_zip
from tests.unit.sealed_helpers import (
    Pair,
    central_entry,
    craft,
    encrypt,
    patch_central,
    patch_sizes,
    refused,
    sample_members,
    zip_bytes,
)


@pytest.fixture
def pair() -> Pair:
    return Pair()


# -- the reader: the archive ---------------------------------------------------------------------


def test_a_hand_made_valid_file_opens(pair: Pair, tmp_path: Path) -> None:
    """The control for the refusals below: ``craft`` without a defect is accepted."""
    opened = pair.open(craft(tmp_path / "t.cwt", pair))
    assert {n: opened.read(n) for n in opened.names} == sample_members()


def test_encrypted_garbage_is_not_an_archive(pair: Pair, tmp_path: Path) -> None:
    target = tmp_path / "t.cwt"
    for plain in (b"", b"not a zip at all", os.urandom(5000)):
        target.write_bytes(encrypt(plain, [pair.capofila.recipient]))
        refused(lambda: pair.open(target), "transfer.archive_invalid")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "istanze/../../evil.txt",
        "/etc/passwd",
        "a\\..\\b.txt",
        "C:/Windows/evil.txt",
        "C:evil.txt",
        "./a.txt",
        ".hidden",
        "a//b.txt",
        "a/b/",
        "trailing.",
        "spazio nel nome.txt",
        "città.txt",
    ],
)
def test_unsafe_member_names_are_refused(pair: Pair, tmp_path: Path, name: str) -> None:
    target = craft(tmp_path / "t.cwt", pair, extra=[(name, b"x")])
    error = refused(lambda: pair.open(target))
    assert error.code in {"transfer.member_name_unsafe", "transfer.member_not_regular"}
    if not name.endswith("/"):
        assert error.code == "transfer.member_name_unsafe"


def test_a_name_cut_by_a_nul_byte_is_refused(pair: Pair, tmp_path: Path) -> None:
    def put_nul(data: bytes) -> bytes:
        assert data.count(b"nulXbyte.txt") == 2  # local header and central directory
        return data.replace(b"nulXbyte.txt", b"nul\x00byte.txt")

    target = craft(tmp_path / "t.cwt", pair, extra=[("nulXbyte.txt", b"x")], archive=put_nul)
    refused(lambda: pair.open(target), "transfer.member_name_unsafe")


@pytest.mark.parametrize(
    "kind", [stat.S_IFLNK | 0o777, stat.S_IFDIR | 0o755, stat.S_IFIFO | 0o600, stat.S_IFCHR]
)
def test_links_and_other_non_regular_members_are_refused(
    pair: Pair, tmp_path: Path, kind: int
) -> None:
    info = zipfile.ZipInfo("istanze/link")
    info.external_attr = kind << 16
    target = craft(tmp_path / "t.cwt", pair, extra=[(info, b"/etc/passwd")])
    refused(lambda: pair.open(target), "transfer.member_not_regular")


def test_a_dos_directory_entry_is_refused(pair: Pair, tmp_path: Path) -> None:
    info = zipfile.ZipInfo("folder")
    info.external_attr = 0x10
    target = craft(tmp_path / "t.cwt", pair, extra=[(info, b"")])
    refused(lambda: pair.open(target), "transfer.member_not_regular")


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("second", ["attestazione.pdf", "ATTESTAZIONE.pdf", "manifest.json"])
def test_duplicate_names_are_refused(pair: Pair, tmp_path: Path, second: str) -> None:
    target = craft(tmp_path / "t.cwt", pair, extra=[(second, b"another")])
    refused(lambda: pair.open(target), "transfer.member_duplicate")


def test_an_encrypted_zip_member_is_refused(pair: Pair, tmp_path: Path) -> None:
    def set_encrypted_flag(data: bytes) -> bytes:
        position = central_entry(data, "extra.bin")
        patched = bytearray(data)
        patched[position + 8] |= 0x01
        return bytes(patched)

    target = craft(
        tmp_path / "t.cwt", pair, extra=[("extra.bin", b"x")], archive=set_encrypted_flag
    )
    refused(lambda: pair.open(target), "transfer.member_unsupported")


def test_an_unsupported_compression_is_refused(pair: Pair, tmp_path: Path) -> None:
    info = zipfile.ZipInfo("extra.bin")
    info.compress_type = zipfile.ZIP_BZIP2
    target = craft(tmp_path / "t.cwt", pair, extra=[(info, b"x" * 100)])
    refused(lambda: pair.open(target), "transfer.member_unsupported")


def test_a_zip_bomb_is_refused_by_its_ratio(pair: Pair, tmp_path: Path) -> None:
    zeros = bytes(8 * 1024 * 1024)  # deflates to about 8 KiB: a ratio of 1000
    target = craft(tmp_path / "t.cwt", pair, extra=[("bomb.bin", zeros)])
    refused(lambda: pair.open(target), "transfer.compression_ratio")


def test_an_absurd_declared_size_is_refused_before_reading(pair: Pair, tmp_path: Path) -> None:
    def declare_huge(data: bytes) -> bytes:
        return patch_sizes(data, "huge.bin", file_size=0xFFFF0000)

    target = craft(tmp_path / "t.cwt", pair, extra=[("huge.bin", b"x" * 50)], archive=declare_huge)
    refused(lambda: pair.open(target), "transfer.member_too_large")


def test_a_size_declared_smaller_than_the_data_is_not_trusted(pair: Pair, tmp_path: Path) -> None:
    content = os.urandom(200_000)
    members = {**sample_members(), "doc.bin": content}

    def declare_small(data: bytes) -> bytes:
        return patch_sizes(data, "doc.bin", file_size=1000)

    target = craft(tmp_path / "t.cwt", pair, members=members, archive=declare_small)
    error = refused(lambda: pair.open(target))
    assert error.code in {"transfer.member_mismatch", "transfer.archive_invalid"}


def test_overlapping_entries_are_refused(pair: Pair, tmp_path: Path) -> None:
    def overlap(data: bytes) -> bytes:
        # point the last member's central entry at the first member's local header
        return patch_central(data, "extra.bin", header_offset=0)

    target = craft(tmp_path / "t.cwt", pair, extra=[("extra.bin", b"x")], archive=overlap)
    refused(lambda: pair.open(target), "transfer.archive_invalid")


def test_too_many_members_are_refused(pair: Pair, tmp_path: Path) -> None:
    many = [(f"m/{i:05d}", b"") for i in range(sealed_zip.MAX_MEMBERS + 1)]
    target = craft(tmp_path / "t.cwt", pair, extra=many, compression=zipfile.ZIP_STORED)
    refused(lambda: pair.open(target), "transfer.too_many_members")


@pytest.mark.parametrize("change", ["comment", "prefix", "count"])
def test_an_archive_with_odd_framing_is_refused(pair: Pair, tmp_path: Path, change: str) -> None:
    def odd(data: bytes) -> bytes:
        if change == "comment":
            return data[:-2] + b"\x04\x00" + b"note"
        if change == "prefix":
            return b"#!/bin/sh\n" + data
        end = bytearray(data)
        end[-12:-10] = (int.from_bytes(end[-12:-10], "little") - 1).to_bytes(2, "little")
        end[-14:-12] = end[-12:-10]
        return bytes(end)

    target = craft(tmp_path / "t.cwt", pair, archive=odd)
    refused(lambda: pair.open(target), "transfer.archive_invalid")


def test_the_archive_helpers_patch_what_they_say(pair: Pair) -> None:
    data = zip_bytes([("a.bin", b"12345"), ("b.bin", b"678")])
    with zipfile.ZipFile(io.BytesIO(patch_sizes(data, "b.bin", file_size=9))) as archive:
        assert archive.getinfo("b.bin").file_size == 9
        assert archive.getinfo("a.bin").file_size == 5
    with zipfile.ZipFile(io.BytesIO(patch_central(data, "b.bin", header_offset=0))) as archive:
        assert archive.getinfo("b.bin").header_offset == 0
