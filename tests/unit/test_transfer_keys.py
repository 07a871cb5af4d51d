"""The transmission keys: Ed25519 signatures and age encryption (security/transfer_keys.py)."""

from __future__ import annotations

import base64
from dataclasses import replace

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st
from pyrage import x25519

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import KeyMaterial
from caseworker_app.security import transfer_keys

KEYS = transfer_keys.generate_key_set()
OTHER = transfer_keys.generate_key_set()


def _secrets(material: KeyMaterial) -> list[str]:
    return [material.signing_private, material.age_identity, material.age_identity.lower()]


def _nothing_chained(error: BaseException) -> bool:
    """No library exception (whose text might quote a key) travels with the error."""
    return error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_a_new_key_set_has_the_documented_text_forms() -> None:
    assert len(base64.b64decode(KEYS.signing_private, validate=True)) == 32
    assert len(base64.b64decode(KEYS.signing_public, validate=True)) == 32
    assert KEYS.age_identity.startswith("AGE-SECRET-KEY-1")
    assert KEYS.age_recipient.startswith("age1") and len(KEYS.age_recipient) == 62
    transfer_keys.check_key_set(KEYS)
    assert KEYS.signing_public != OTHER.signing_public
    assert KEYS.age_recipient != OTHER.age_recipient


@settings(max_examples=50)
@given(st.binary(max_size=2000))
def test_what_is_signed_verifies_with_the_public_key_only(data: bytes) -> None:
    signature = transfer_keys.sign(KEYS, data)
    assert len(signature) == 64
    transfer_keys.verify(KEYS.signing_public, data, signature)
    # and with plain cryptography, as a recipient following the documentation would
    raw = base64.b64decode(KEYS.signing_public)
    Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)


@settings(max_examples=50)
@given(st.binary(min_size=1, max_size=500), st.data())
def test_a_changed_byte_or_another_key_is_refused(data: bytes, draw: st.DataObject) -> None:
    signature = transfer_keys.sign(KEYS, data)
    i = draw.draw(st.integers(0, len(data) - 1))
    flipped = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]
    assert not transfer_keys.is_valid_signature(KEYS.signing_public, flipped, signature)
    assert not transfer_keys.is_valid_signature(OTHER.signing_public, data, signature)
    j = draw.draw(st.integers(0, 63))
    bad_signature = signature[:j] + bytes([signature[j] ^ 0x80]) + signature[j + 1 :]
    assert not transfer_keys.is_valid_signature(KEYS.signing_public, data, bad_signature)


def test_a_wrong_signature_is_refused_with_a_code() -> None:
    signature = transfer_keys.sign(KEYS, b"manifesto")
    for public, sig in ((OTHER.signing_public, signature), (KEYS.signing_public, signature[:63]),
                        (KEYS.signing_public, b"")):  # fmt: skip
        with pytest.raises(UserFacingError) as err:
            transfer_keys.verify(public, b"manifesto", sig)
        assert err.value.code == "keys.signature_invalid"


@pytest.mark.parametrize(
    "damage",
    [
        {"signing_private": "non è base64"},
        {"signing_private": base64.b64encode(bytes(31)).decode()},
        {"signing_private": OTHER.signing_private},  # does not give back the public key
        {"age_identity": "AGE-SECRET-KEY-1" + "Q" * 58},  # bad checksum
        {"age_identity": ""},
        {"age_identity": OTHER.age_identity},  # another identity than the recipient's
        {"age_recipient": "age1corrotto"},
    ],
)
def test_a_damaged_key_set_is_refused_without_showing_a_key(damage: dict[str, str]) -> None:
    damaged = replace(KEYS, **damage)
    with pytest.raises(UserFacingError) as err:
        transfer_keys.check_key_set(damaged)
    assert err.value.code == "keys.damaged"
    assert _nothing_chained(err.value)
    shown = str(err.value) + repr(err.value.params)
    assert not any(s in shown for s in _secrets(KEYS) + _secrets(OTHER))


def test_damaged_private_keys_cannot_sign_or_decrypt() -> None:
    with pytest.raises(UserFacingError) as err:
        transfer_keys.sign(replace(KEYS, signing_private="AAAA"), b"x")
    assert err.value.code == "keys.damaged"
    with pytest.raises(UserFacingError) as err:
        transfer_keys.decrypt(b"x", "AGE-SECRET-KEY-1ROTTA")
    assert err.value.code == "keys.damaged"


@pytest.mark.parametrize(
    ("public", "what"),
    [
        ("AAAA", "chiave di firma"),
        ("age1" + "q" * 58, "chiave di firma"),
    ],
)
def test_a_peer_signing_key_that_is_not_one_is_refused(public: str, what: str) -> None:
    with pytest.raises(UserFacingError) as err:
        transfer_keys.verify(public, b"x", bytes(64))
    assert err.value.code == "keys.public_invalid"
    assert err.value.params["what"] == what


@pytest.mark.parametrize("recipient", ["age1" + "q" * 58, "age1xyz", KEYS.signing_public, ""])
def test_a_peer_recipient_that_is_not_one_is_refused(recipient: str) -> None:
    with pytest.raises(UserFacingError) as err:
        transfer_keys.encrypt(b"x", [recipient])
    assert err.value.code == "keys.public_invalid"
    assert err.value.params["what"] == "chiave di cifratura (age)"


def test_the_stored_identity_opens_what_pyrage_encrypts_to_the_recipient() -> None:
    recipient = x25519.Recipient.from_str(KEYS.age_recipient)
    sealed = pyrage.encrypt(b"contenuto della trasmissione", [recipient])
    assert transfer_keys.decrypt(sealed, KEYS.age_identity) == b"contenuto della trasmissione"
    # and the other way: what we encrypt, pyrage opens with the identity
    ours = transfer_keys.encrypt(b"ricevuta", [KEYS.age_recipient.upper()])
    identity = x25519.Identity.from_str(KEYS.age_identity)
    assert pyrage.decrypt(ours, [identity]) == b"ricevuta"
    # a file encrypted to two recipients opens with either identity
    both = transfer_keys.encrypt(b"a entrambi", [KEYS.age_recipient, OTHER.age_recipient])
    assert transfer_keys.decrypt(both, OTHER.age_identity) == b"a entrambi"


def test_a_file_for_someone_else_or_damaged_is_refused() -> None:
    sealed = transfer_keys.encrypt(b"per OTHER", [OTHER.age_recipient])
    flipped = sealed[:-5] + bytes([sealed[-5] ^ 0x01]) + sealed[-4:]
    for data in (sealed, flipped, sealed[: len(sealed) // 2], b"", b"non cifrato"):
        with pytest.raises(UserFacingError) as err:
            transfer_keys.decrypt(data, KEYS.age_identity if data is sealed else OTHER.age_identity)
        assert err.value.code == "keys.decrypt_failed"
        assert _nothing_chained(err.value)


def test_encrypting_to_nobody_is_a_bug() -> None:
    with pytest.raises(ValueError):
        transfer_keys.encrypt(b"x", [])
