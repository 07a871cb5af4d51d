"""``ambito.json`` (the ambito package's payload): the writer's output always reads back the same,
the reader refuses every field out of shape, and the domain rules on sequences and rotations."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.ambito_package import (
    AmbitoPackage,
    Freshness,
    KeyRotation,
    PackageAvviso,
    PackageComune,
    freshness,
    rotation_message,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import PublicKeyBundle
from caseworker_app.security import transfer_keys
from caseworker_app.transfer.ambito_json import ambito_json, read_ambito_json

KEYS = transfer_keys.generate_key_set()
BUNDLE = PublicKeyBundle(
    installation="0b6f1f4e-5a55-4d1c-9b1e-1b2c3d4e5f60",
    role="capofila",
    ambito="abbiatense",
    comuni=("A010",),
    signing_public=KEYS.signing_public,
    age_recipient=KEYS.age_recipient,
)
PACKAGE = AmbitoPackage(
    ambito="abbiatense",
    ambito_name="Ambito territoriale dell'Abbiatense",
    capofila=BUNDLE,
    comuni=(PackageComune("A010", "Abbiategrasso"), PackageComune("A127", "Albairate")),
    avvisi=(
        PackageAvviso(
            "abbiatense-caregiver-2023", "1", "abbiatense-caregiver-2023.toml", "ab" * 32
        ),
    ),
    sequence=3,
    issued_at=datetime(2026, 12, 10, 9, 30, tzinfo=timezone(timedelta(hours=1))),
)


def _read(value: object) -> AmbitoPackage:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return read_ambito_json(raw, file="ambito-1.cwa")


def _valid() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(ambito_json(PACKAGE))
    return value


def test_the_writer_gives_canonical_json_that_reads_back_the_same() -> None:
    raw = ambito_json(PACKAGE)
    assert json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode() == raw  # fmt: skip
    assert _read(raw) == PACKAGE
    rotated = replace(
        PACKAGE, rotation=KeyRotation(KEYS.signing_public, base64.b64encode(b"s" * 64).decode())
    )
    assert _read(ambito_json(rotated)) == rotated


# names for people: letters, digits, punctuation and plain spaces (other spaces are not printable)
_NAME_CHARACTERS = st.characters(codec="utf-8", categories=("L", "N", "P"), include_characters=" ")
_NAMES = st.text(_NAME_CHARACTERS, min_size=1, max_size=60).map(str.strip).filter(bool)
_CODES = st.from_regex(r"[A-Z][0-9]{3}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    comuni=st.dictionaries(_CODES, _NAMES, min_size=1, max_size=20),
    sequence=st.integers(min_value=1, max_value=10**9),
    minutes=st.integers(min_value=-12 * 60, max_value=14 * 60),
    name=_NAMES,
)
def test_any_package_the_capofila_can_write_reads_back_the_same(
    comuni: dict[str, str], sequence: int, minutes: int, name: str
) -> None:
    package = replace(
        PACKAGE,
        ambito_name=name,
        comuni=tuple(PackageComune(c, n) for c, n in comuni.items()),
        sequence=sequence,
        issued_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(minutes=minutes))),
    )
    assert _read(ambito_json(package)) == package


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda v: v.pop("sequence"), "sequence"),
        (lambda v: v.update(surprise=1), "surprise"),
        (lambda v: v.update(sequence=0), "sequence"),
        (lambda v: v.update(sequence=True), "sequence"),
        (lambda v: v.update(sequence="3"), "sequence"),
        (lambda v: v.update(issued_at="2026-12-10T09:30:00"), "issued_at"),
        (lambda v: v.update(comuni=[]), "comuni"),
        (lambda v: v["comuni"].append(v["comuni"][0]), "comuni"),
        (lambda v: v["comuni"][1].update(code="a127"), "comuni[1].code"),
        (lambda v: v["comuni"][1].update(name=" Albairate"), "comuni[1].name"),
        (lambda v: v["avvisi"][0].update(file="../../etc/passwd.toml"), "avvisi[0].file"),
        (lambda v: v["avvisi"][0].update(sha256="AB" * 32), "avvisi[0].sha256"),
        (lambda v: v["avvisi"][0].update(version="01"), "avvisi[0].version"),
        (lambda v: v["avvisi"].append(dict(v["avvisi"][0])), "avvisi"),
        (lambda v: v["capofila"].update(role="comune"), "capofila.role"),
        (lambda v: v["capofila"].update(ambito="altro"), "capofila.ambito"),
        (lambda v: v["capofila"].update(signing_public="AAAA"), "capofila.signing_public"),
        (lambda v: v["capofila"].pop("age_recipient"), "capofila.age_recipient"),
        (lambda v: v["ambito"].update(id="../x"), "ambito.id"),
        (
            lambda v: v.update(rotation={"previous_signing_public": KEYS.signing_public}),
            "rotation.signature",
        ),
        (
            lambda v: v.update(
                rotation={"previous_signing_public": KEYS.signing_public, "signature": "c2hvcnQ="}
            ),
            "rotation.signature",
        ),
    ],
)
def test_a_field_out_of_shape_is_refused_by_name(change: Any, field: str) -> None:
    value = _valid()
    change(value)
    with pytest.raises(UserFacingError) as caught:
        _read(value)
    assert caught.value.code == "ambito.payload_invalid"
    assert caught.value.params == {"file": "ambito-1.cwa", "field": field}


def test_versions_and_unreadable_json() -> None:
    for found, code in [
        ("caseworker.ambito_package/2", "ambito.format_newer"),
        ("caseworker.ambito_package/x", "ambito.format_unknown"),
        ("caseworker.istanza/1", "ambito.format_unknown"),
    ]:
        value = {**_valid(), "format": found}
        with pytest.raises(UserFacingError) as caught:
            _read(value)
        assert caught.value.code == code
    with pytest.raises(UserFacingError) as caught:
        _read(b'{"format": "caseworker.ambito_package/1", "format": "x"}')
    assert caught.value.code == "ambito.payload_unreadable"


def test_the_writer_refuses_a_package_the_reader_would_refuse() -> None:
    with pytest.raises(ValueError, match="comuni"):
        ambito_json(replace(PACKAGE, comuni=()))
    with pytest.raises(ValueError, match="time zone"):
        ambito_json(replace(PACKAGE, issued_at=datetime(2026, 12, 10, 9, 30)))


held_strategy = st.lists(
    st.tuples(st.integers(1, 50), st.from_regex(r"[0-9a-f]{4}", fullmatch=True)), max_size=8
)


DIGESTS = st.from_regex(r"[0-9a-f]{4}", fullmatch=True)


@given(held=held_strategy, sequence=st.integers(1, 60), digest=DIGESTS)
def test_freshness_accepts_only_later_packages_and_knows_the_same_one(
    held: list[tuple[int, str]], sequence: int, digest: str
) -> None:
    verdict = freshness(digest, sequence, held)
    if any(d == digest for _, d in held):
        assert verdict is Freshness.SAME
    elif all(sequence > n for n, _ in held):
        assert verdict is Freshness.NEW
    else:
        assert verdict is Freshness.STALE


def test_the_rotation_message_covers_every_field_of_the_new_bundle() -> None:
    base = rotation_message(BUNDLE)
    assert base.startswith(b"caseworker.ambito-rotation/1\x00")
    other = transfer_keys.generate_key_set()
    for changed in (
        replace(BUNDLE, installation="another"),
        replace(BUNDLE, ambito="alto-basso-pavese"),
        replace(BUNDLE, comuni=("A010", "A127")),
        replace(BUNDLE, signing_public=other.signing_public),
        replace(BUNDLE, age_recipient=other.age_recipient),
    ):
        assert rotation_message(changed) != base
    # a signature by the old key over it verifies with plain Ed25519
    signature = transfer_keys.sign(KEYS, base)
    assert transfer_keys.is_valid_signature(KEYS.signing_public, base, signature)
    other_message = rotation_message(replace(BUNDLE, installation="another"))
    assert not transfer_keys.is_valid_signature(KEYS.signing_public, other_message, signature)


def test_issued_at_keeps_its_offset() -> None:
    utc = replace(PACKAGE, issued_at=datetime(2026, 12, 10, 8, 30, tzinfo=UTC))
    assert _read(ambito_json(utc)).issued_at.utcoffset() == timedelta(0)
