"""The fingerprint of an installation's public keys: read aloud by phone, typed back, compared."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import (
    Fingerprint,
    KeyMaterial,
    PublicKeyBundle,
    decode_signing_public,
    fingerprint_of,
    normalize_age_recipient,
    parse_fingerprint,
)

BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
SIGNING = base64.b64encode(bytes(range(32))).decode()
RECIPIENT = "age1" + "q" * 58

signing_keys = st.binary(min_size=32, max_size=32).map(lambda b: base64.b64encode(b).decode())
recipients = st.text(alphabet=BECH32, min_size=58, max_size=58).map(lambda t: "age1" + t)


def _by_the_documented_derivation(signing_public: str, age_recipient: str) -> str:
    """The module docstring's recipe, written again independently of the code."""
    material = b"caseworker.fingerprint/1\x00" + base64.b64decode(signing_public)
    digest = hashlib.sha256(material + age_recipient.lower().encode()).digest()
    return " ".join(
        f"{int.from_bytes(digest[i : i + 4], 'big') % 100000:05d}" for i in range(0, 32, 4)
    )


def test_the_fingerprint_is_eight_groups_of_five_digits_as_documented() -> None:
    fp = fingerprint_of(SIGNING, RECIPIENT)
    assert fp.display == _by_the_documented_derivation(SIGNING, RECIPIENT)
    assert len(fp.groups) == 8 and all(len(g) == 5 and g.isdigit() for g in fp.groups)
    assert str(fp) == fp.display and fp.digits == fp.display.replace(" ", "")


def test_the_fingerprint_of_fixed_keys_never_changes() -> None:
    """Pinned: a later version computing another fingerprint for the same keys would make every
    installation's confirmed keys look different."""
    assert fingerprint_of(SIGNING, RECIPIENT).display == (
        "05174 48065 46783 29914 26408 40679 52284 30264"
    )


@given(signing_keys, recipients)
def test_the_fingerprint_is_stable_and_ignores_the_case_of_the_recipient(
    signing: str, recipient: str
) -> None:
    fp = fingerprint_of(signing, recipient)
    assert fingerprint_of(signing, recipient) == fp
    assert fingerprint_of(signing, recipient.upper()) == fp
    assert fp.display == _by_the_documented_derivation(signing, recipient)


@given(signing_keys, signing_keys, recipients, recipients)
def test_different_keys_have_different_fingerprints(
    signing_a: str, signing_b: str, recipient_a: str, recipient_b: str
) -> None:
    a = fingerprint_of(signing_a, recipient_a)
    if signing_a != signing_b:
        assert fingerprint_of(signing_b, recipient_a) != a
    if recipient_a != recipient_b:
        assert fingerprint_of(signing_a, recipient_b) != a


separators = st.lists(st.sampled_from(["", " ", "-", "  ", " - ", "\t", "\u2013"]), min_size=41,
                      max_size=41)  # fmt: skip


@given(signing_keys, recipients, separators)
def test_a_fingerprint_typed_back_with_spaces_or_dashes_reads_as_the_same(
    signing: str, recipient: str, seps: list[str]
) -> None:
    fp = fingerprint_of(signing, recipient)
    typed = "".join(sep + digit for sep, digit in zip(seps, fp.digits, strict=False)) + seps[40]
    parsed = parse_fingerprint(typed)
    assert parsed == fp and parsed.matches(fp)
    assert parse_fingerprint(fp.display) == fp
    assert parse_fingerprint("-".join(fp.groups)) == fp


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("", 0),
        ("12345 67890", 10),
        ("12345 " * 8 + "1", 41),
        ("12345 67890 12345 67890 12345 67890 12345 6789O", 39),  # a letter O for a zero
        ("12345.67890.12345.67890.12345.67890.12345.67890", 40),  # dots are not separators
        ("١٢٣٤٥ " * 8, 0),  # Arabic-Indic digits are not ours
    ],
)
def test_a_mistyped_fingerprint_is_refused_with_the_digits_found(typed: str, found: int) -> None:
    with pytest.raises(UserFacingError) as err:
        parse_fingerprint(typed)
    assert err.value.code == "keys.fingerprint_format"
    assert err.value.params["found"] == found


def test_fingerprints_compare_by_their_digits() -> None:
    a = fingerprint_of(SIGNING, RECIPIENT)
    other = fingerprint_of(SIGNING, "age1" + "p" * 58)
    assert a.matches(Fingerprint(a.digits)) and not a.matches(other)
    with pytest.raises(ValueError):
        Fingerprint("1234")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not base64!",
        base64.b64encode(bytes(31)).decode(),  # 31 bytes
        base64.b64encode(bytes(33)).decode(),
        base64.b64encode(bytes(32)).decode().rstrip("="),  # padding missing
        base64.b64encode(bytes(32)).decode()[:-2] + "B=",  # non-canonical trailing bits
        "é" * 44,
    ],
)
def test_a_signing_key_that_is_not_32_bytes_of_canonical_base64_is_refused(text: str) -> None:
    with pytest.raises(UserFacingError) as err:
        decode_signing_public(text)
    assert err.value.code == "keys.public_invalid"


@pytest.mark.parametrize(
    "text", ["", "age1", "age1" + "q" * 57, "age1" + "b" * 58, "age2" + "q" * 58, RECIPIENT + "q"]
)
def test_a_recipient_that_is_not_shaped_like_age_is_refused(text: str) -> None:
    with pytest.raises(UserFacingError) as err:
        normalize_age_recipient(text)
    assert err.value.code == "keys.public_invalid"


def test_the_bundle_and_the_key_material_carry_the_fingerprint_and_hide_private_keys() -> None:
    bundle = PublicKeyBundle("store-id", "comune", "abbiatense", ("A010", "B123"), SIGNING,
                             RECIPIENT)  # fmt: skip
    material = KeyMaterial("PRIVATE-SIGNING", SIGNING, "AGE-SECRET-KEY-1SECRET", RECIPIENT)
    assert bundle.fingerprint == material.fingerprint == fingerprint_of(SIGNING, RECIPIENT)
    shown = repr(material)
    assert "PRIVATE-SIGNING" not in shown and "AGE-SECRET-KEY" not in shown
    assert SIGNING in shown
