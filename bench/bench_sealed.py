"""transfer_overhead_ratio: seal a transmission-sized file ÷ compress and encrypt its bytes.

The load is what an export of 500 istruttorie carries: per istanza two 200 KB PDF-like blobs
(runs of random bytes, like a PDF's compressed streams, between runs of PDF-like text: they
deflate to about two thirds) and a small JSON record. ``write_sealed``
(``caseworker_app.transfer.sealed``) seals them into a file under the run's directory, exactly
as an export does (SHA-256 of every member, ZIP, manifest and Ed25519 signature, age encryption
as the archive is produced, private temporary file, fsync, rename). The floor, measured in the
same run, pushes the same bytes through the same primitives in one pass: one zlib stream at the
same level over all the members, encrypted with ``pyrage.encrypt_io`` to the same recipient into
a file, fsynced. The figure is the ratio of the medians; the details also time ``open_sealed``
(decrypt, check the archive, verify the signature and every member), the other half of a
transfer.
"""

from __future__ import annotations

import base64
import os
import random
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyrage import x25519
from timing import Benchmark, BenchResult, Config, Target, log, median, now

from caseworker_app.transfer.sealed import RecipientRef, Sender, open_sealed, write_sealed
from caseworker_app.transfer.sealed_base import COMPRESS_LEVEL

BLOB_BYTES = 200 * 1024
_WORDS = (
    b"obj", b"endobj", b"stream", b"endstream", b"/Type", b"/Page", b"0 R", b"/Font", b"BT",
    b"ET", b"Tf", b"Td", b"Tj", b"/Resources", b"/MediaBox", b"[0 0 595 842]", b"(Lorem)",
    b"(ipsum)", b"(dolor)", b"/Length", b"/Filter", b"/FlateDecode", b"xref", b"trailer",
)  # fmt: skip


def _blob(rng: random.Random, text: bytes) -> bytes:
    parts: list[bytes] = []
    size = 0
    while size < BLOB_BYTES:
        if rng.random() < 0.5:
            part = rng.randbytes(4096)
        else:
            start = rng.randrange(len(text) - 4096)
            part = text[start : start + 4096]
        parts.append(part)
        size += len(part)
    return b"%PDF-1.7\n" + b"".join(parts)[: BLOB_BYTES - 9]


def _members(istanze: int) -> dict[str, bytes]:
    rng = random.Random(2024)
    text = b" ".join(rng.choice(_WORDS) for _ in range(200_000))
    members: dict[str, bytes] = {}
    for n in range(1, istanze + 1):
        folder = f"istanze/A010-2024-{n:06d}"
        members[f"{folder}/record.json"] = (
            b'{"format":"caseworker.istanza/1","protocollo":"A010-2024-%06d","versione":1}' % n
        )
        members[f"{folder}/documenti/isee.pdf"] = _blob(rng, text)
        members[f"{folder}/documenti/certificazione.pdf"] = _blob(rng, text)
    return members


class _Pull:
    """The floor's readable stream: one zlib stream over the members, as pyrage pulls it
    (8 KiB at a time: a chunk is sliced by offset, never copied whole per read)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._current = b""
        self._offset = 0

    def read(self, size: int = -1) -> bytes:
        parts: list[bytes] = []
        while size > 0:
            if self._offset >= len(self._current):
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._current, self._offset = chunk, 0
                continue
            piece = self._current[self._offset : self._offset + size]
            self._offset += len(piece)
            size -= len(piece)
            parts.append(piece)
        return b"".join(parts)


def _compressed(members: dict[str, bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(COMPRESS_LEVEL)
    for data in members.values():
        for start in range(0, len(data), 256 * 1024):
            yield compressor.compress(data[start : start + 256 * 1024])
    yield compressor.flush()


def _floor(members: dict[str, bytes], recipient: object, target: Path) -> int:
    with target.open("wb") as handle:
        pyrage.encrypt_io(_Pull(_compressed(members)), handle, [recipient])
        handle.flush()
        os.fsync(handle.fileno())
    return target.stat().st_size


def run(config: Config) -> BenchResult:
    istanze = 20 if config.quick else 500
    reps = 1 if config.quick else 3
    members = _members(istanze)
    payload_bytes = sum(len(d) for d in members.values())
    signing = Ed25519PrivateKey.generate()
    public = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    own, capofila = x25519.Identity.generate(), x25519.Identity.generate()
    sender = Sender(
        installation="bench-comune", role="comune", ambito="abbiatense", comuni=("A010",),
        signing_public=base64.b64encode(public).decode("ascii"),
        age_recipient=str(own.to_public()),
    )  # fmt: skip
    sealed_path = config.workdir / "A010-bench.cwt"
    floor_path = config.workdir / "floor.age"

    def seal() -> int:
        return write_sealed(
            sealed_path, kind="istruttorie", sender=sender, signing_key=signing,
            recipients=[capofila.to_public()],
            recipient=RecipientRef(age_recipient=str(capofila.to_public())),
            members=members, payload={"istanze": istanze}, app_version="bench",
            created_at=datetime.now(UTC), overwrite=True,
        ).size  # fmt: skip

    def open_it() -> int:
        opened = open_sealed(
            sealed_path, identities=capofila, trust=lambda _sender: signing.public_key()
        )
        return len(opened.names)

    sealed_size = seal()  # warm-up
    floor_size = _floor(members, capofila.to_public(), floor_path)
    seal_samples: list[float] = []
    floor_samples: list[float] = []
    open_samples: list[float] = []
    for _ in range(reps):  # interleaved, so both see the same machine load
        start = now()
        seal()
        seal_samples.append(now() - start)
        start = now()
        _floor(members, capofila.to_public(), floor_path)
        floor_samples.append(now() - start)
        start = now()
        open_it()
        open_samples.append(now() - start)
    seal_s, floor_s = median(seal_samples), median(floor_samples)
    log(
        f"sealed: {len(members)} members, {payload_bytes / 2**20:.0f} MiB: seal {seal_s:.2f} s, "
        f"floor {floor_s:.2f} s, open {median(open_samples):.2f} s"
    )
    figures = {"transfer_overhead_ratio": round(seal_s / floor_s, 2)}
    details = {
        "istanze": istanze,
        "members": len(members),
        "payload_mib": round(payload_bytes / 2**20, 1),
        "sealed_mib": round(sealed_size / 2**20, 1),
        "floor_mib": round(floor_size / 2**20, 1),
        "repetitions": reps,
        "seal_s": [round(s, 3) for s in seal_samples],
        "floor_s": [round(s, 3) for s in floor_samples],
        "open_s": [round(s, 3) for s in open_samples],
        "open_median_s": round(median(open_samples), 3),
    }
    return BenchResult(figures, details)


BENCHMARK = Benchmark(
    name="sealed",
    summary="seal 500 istruttorie (two 200 KB PDF-like blobs each) into a transfer file",
    targets={"transfer_overhead_ratio": Target(max=2.0)},
    run=run,
)
