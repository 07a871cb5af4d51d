"""Bounded fuzzing of the sealed-container reader (issue 11, "Tests").

Two layers are mutated: the sealed file as it travels (any change to an age file must be
refused), and the clear ZIP archive, re-encrypted to the right recipient (what someone holding
the capofila's *public* key could send). The reader must always either refuse with a
``transfer.*`` :class:`UserFacingError`, never another exception, or, for a change to the
archive that touches nothing verified (a timestamp in a header), give back exactly the original
manifest and members.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from tests.unit.sealed_helpers import Pair, encrypt, sample_members

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same mutations on every run: a failure is reproducible
    database=None,
)


@dataclass
class Valid:
    pair: Pair
    sealed: bytes
    archive: bytes
    manifest: bytes
    folder: Path


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Valid:
    import pyrage

    folder = tmp_path_factory.mktemp("sealed-fuzz")
    pair = Pair()
    result = pair.seal(folder / "valid.cwt")
    sealed = result.path.read_bytes()
    archive = bytes(pyrage.decrypt(sealed, [pair.capofila.identity]))
    return Valid(pair, sealed, archive, result.manifest_bytes, folder)


Mutation = tuple[str, float, int, int]
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate", "replace"]),
        st.floats(min_value=0, max_value=1, allow_nan=False),
        st.integers(min_value=1, max_value=255),
        st.integers(min_value=1, max_value=64),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    out = bytearray(data)
    for op, where, value, length in mutations:
        at = min(int(where * len(out)), max(0, len(out) - 1))
        if op == "flip" and out:
            out[at] ^= value
        elif op == "insert":
            out[at:at] = bytes([value]) * length
        elif op == "delete":
            del out[at : at + length]
        elif op == "truncate":
            del out[at:]
        elif op == "replace":
            out[at : at + length] = bytes([value]) * len(out[at : at + length])
    return bytes(out)


def outcome(valid: Valid, content: bytes) -> tuple[str, object]:
    """("refused", code) or ("opened", (manifest bytes, members))."""
    target = valid.folder / "mutated.cwt"
    target.write_bytes(content)
    try:
        opened = valid.pair.open(target)
    except UserFacingError as error:
        assert error.code.startswith("transfer."), error.code
        assert set(error.params) <= {"file", "limit", "member", "field", "what"}
        assert error.params["file"] == "mutated.cwt"
        return "refused", error.code
    return "opened", (opened.manifest_bytes, {n: opened.read(n) for n in opened.names})


@FUZZ
@given(mutations=MUTATIONS)
def test_a_changed_sealed_file_is_always_refused(valid: Valid, mutations: list[Mutation]) -> None:
    content = mutate(valid.sealed, mutations)
    if content == valid.sealed:
        return
    kind, _ = outcome(valid, content)
    assert kind == "refused"


@FUZZ
@given(mutations=MUTATIONS)
def test_a_changed_archive_is_refused_or_reads_as_the_original(
    valid: Valid, mutations: list[Mutation]
) -> None:
    archive = mutate(valid.archive, mutations)
    kind, value = outcome(valid, encrypt(archive, [valid.pair.capofila.recipient]))
    if kind == "opened":
        assert value == (valid.manifest, sample_members())


def test_the_fuzz_reaches_the_archive_checks(valid: Valid) -> None:
    """The archive fuzzing must get past decryption: a few fixed mutations of the archive give
    several different refusals (not only "damaged")."""
    codes = set()
    for where in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 0.995):
        for op in ("flip", "delete", "truncate"):
            archive = mutate(valid.archive, [(op, where, 0x55, 3)])
            kind, value = outcome(valid, encrypt(archive, [valid.pair.capofila.recipient]))
            if kind == "refused":
                codes.add(value)
    assert "transfer.damaged" not in codes
    assert len(codes) >= 2, codes
