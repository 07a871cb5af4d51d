"""Bounded fuzzing of the istruttorie import at the capofila, on real stores (issue 11, "Tests").

A valid file, exported by a comune whose keys the capofila pinned when it imported that very
file, is mutated (bytes flipped, inserted, deleted, overwritten, the file truncated at drawn
offsets) in two layers: the sealed file as it travels, and its clear ZIP archive re-encrypted to
the capofila (what someone holding the capofila's public key could send). The import must
always refuse with a :class:`UserFacingError`, never another exception, or, for a change that
touches nothing verified, see the file already imported; and the capofila's store never
changes (the row count of every table and the audit chain head). Settings as in
tests/unit/test_sealed_fuzz.py: derandomised, no example database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.services.transmissions_reception import ImportedIstruttorie
from tests.unit.test_sealed_fuzz import MUTATIONS, Mutation, mutate

from .transmission_forge import Keys, keys_of, module_ambito, open_file
from .transmission_stores import Ambito, Snapshot, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same mutations on every run: a failure is reproducible
    database=None,
)
#: the archive's last bytes: its central directory, the manifest and the signature
TAIL = 2048


@dataclass
class Valid:
    ambito: Ambito
    path: Path  # the file, already imported
    sealed: bytes
    archive: bytes
    capofila: Keys
    before: Snapshot  # the capofila's store after that import

    def outcome(self, content: bytes) -> str:
        """Import ``content`` at the capofila: the refusal's code, or "already_imported"."""
        target = self.path.parent / "mutated.cwt"
        target.write_bytes(content)
        try:
            result = self.ambito.import_(self.ambito.capofila, target)
        except UserFacingError as error:
            assert error.code.startswith(("transfer.", "transmission.")), error.code
            assert error.params.get("file", "mutated.cwt") == "mutated.cwt"
            kind = error.code
        else:
            assert isinstance(result, ImportedIstruttorie) and result.already_imported
            kind = "already_imported"
        assert snapshot(self.ambito.capofila) == self.before
        return kind


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Valid]:
    stores = module_ambito(tmp_path_factory.mktemp("transmission-fuzz"))
    ambito = next(stores)
    path = ambito.export("A127")
    trust = ambito.fingerprint(ambito.comuni["A127"])
    imported = ambito.import_(ambito.capofila, path, trust=trust)
    assert isinstance(imported, ImportedIstruttorie) and not imported.already_imported
    sealed = path.read_bytes()
    archive = open_file(path, ambito.capofila).archive
    yield Valid(ambito, path, sealed, archive, keys_of(ambito.capofila), snapshot(ambito.capofila))
    next(stores, None)


@FUZZ
@given(mutations=MUTATIONS)
def test_a_changed_file_is_always_refused_and_changes_nothing(
    valid: Valid, mutations: list[Mutation]
) -> None:
    content = mutate(valid.sealed, mutations)
    if content == valid.sealed:
        return
    assert valid.outcome(content) != "already_imported"


@FUZZ
@given(mutations=MUTATIONS, tail=st.booleans())
def test_a_changed_archive_is_refused_or_the_same_file_and_changes_nothing(
    valid: Valid, mutations: list[Mutation], tail: bool
) -> None:
    """``tail``: the mutations fall in the archive's last bytes (the central directory, the
    manifest and its signature), where most of the structure checks are; else anywhere."""
    cut = len(valid.archive) - TAIL if tail else 0
    archive = valid.archive[:cut] + mutate(valid.archive[cut:], mutations)
    valid.outcome(bytes(pyrage.encrypt(archive, [valid.capofila.recipient])))


def test_the_fuzz_reaches_past_decryption(valid: Valid) -> None:
    """The archive mutations get past age and the ZIP framing: a flipped byte every few in the
    central directory gives several different refusals, and some change nothing verified."""
    outcomes = set()
    start = valid.archive.rindex(b"PK\x05\x06") - TAIL // 2
    for position in range(start, len(valid.archive), 17):
        archive = bytearray(valid.archive)
        archive[position] ^= 0x55
        outcomes.add(
            valid.outcome(bytes(pyrage.encrypt(bytes(archive), [valid.capofila.recipient])))
        )
    assert "transfer.damaged" not in outcomes
    assert "already_imported" in outcomes  # e.g. a timestamp, which nothing reads
    assert len(outcomes - {"already_imported"}) >= 3, outcomes
