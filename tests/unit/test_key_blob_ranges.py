"""Issue 10, point 8: a wrapped key blob asks Argon2 only for the costs the application writes.

A blob comes from keys.json, the OS keyring or a backup's manifest; a damaged or edited one must
be refused as ``keys.blob_corrupt`` before any key derivation runs (m=0 crashed Argon2, a huge t
hung the unlock).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.messages import render
from caseworker_app.security.keys import (
    FAST_TEST_KDF,
    KdfParams,
    new_database_key,
    unwrap_key,
    wrap_key,
)

KEY = new_database_key()
SECRET = "segreto-di-prova"
BLOB = wrap_key(KEY, SECRET, store_id="s", slot="operator:a", params=FAST_TEST_KDF)


def _edited(**changes: Any) -> str:
    data = json.loads(BLOB)
    data.update(changes)
    return json.dumps(data)


def _assert_corrupt(blob: str) -> None:
    with pytest.raises(UserFacingError) as err:
        unwrap_key(blob, SECRET, store_id="s", slot="operator:a")
    assert err.value.code == "keys.blob_corrupt"


def _b64(size: int) -> str:
    return base64.b64encode(bytes(size)).decode()


_OUT = {
    "t": st.one_of(st.integers(max_value=0), st.integers(min_value=11)),
    "m": st.one_of(st.integers(max_value=8 * 1024 - 1), st.integers(min_value=1024 * 1024 + 1)),
    "p": st.one_of(st.integers(max_value=0), st.integers(min_value=9)),
}


@settings(max_examples=150, deadline=1000)
@given(field=st.sampled_from(sorted(_OUT)), data=st.data())
def test_kdf_costs_outside_the_written_ranges_are_a_damaged_key(field: str, data: Any) -> None:
    value = data.draw(_OUT[field])
    _assert_corrupt(_edited(**{field: value}))


@settings(max_examples=60, deadline=1000)
@given(
    field=st.sampled_from(["t", "m", "p"]),
    value=st.one_of(
        st.booleans(),
        st.floats(allow_nan=True),
        st.text(max_size=5),
        st.none(),
        st.lists(st.integers(), max_size=2),
    ),
)
def test_kdf_costs_must_be_plain_integers(field: str, value: object) -> None:
    _assert_corrupt(_edited(**{field: value}))


@settings(max_examples=25, deadline=None)
@given(
    t=st.integers(min_value=1, max_value=10),
    m=st.integers(min_value=8 * 1024, max_value=12 * 1024),
    p=st.integers(min_value=1, max_value=8),
)
def test_costs_inside_the_ranges_unwrap(t: int, m: int, p: int) -> None:
    params = KdfParams(time_cost=t, memory_kib=m, parallelism=p)
    blob = wrap_key(KEY, SECRET, store_id="s", slot="r", params=params)
    assert unwrap_key(blob, SECRET, store_id="s", slot="r") == KEY
    assert unwrap_key(blob, "altro-segreto", store_id="s", slot="r") is None


def test_the_defaults_are_inside_the_ranges() -> None:
    blob = wrap_key(KEY, SECRET, store_id="s", slot="r", params=KdfParams())
    assert unwrap_key(blob, SECRET, store_id="s", slot="r") == KEY


@settings(max_examples=60, deadline=1000)
@given(
    field=st.sampled_from(["salt", "nonce", "ct"]),
    size=st.integers(min_value=0, max_value=80),
)
def test_salt_nonce_and_ciphertext_have_their_exact_sizes(field: str, size: int) -> None:
    right = {"salt": 16, "nonce": 12, "ct": 48}[field]
    if size == right:
        return
    _assert_corrupt(_edited(**{field: _b64(size)}))


@pytest.mark.parametrize(
    "blob",
    [
        "[]",
        "1",
        '"testo"',
        "null",
        "true",
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 3000 + "1" + "}" * 3000,
        json.dumps({"v": 1, "kdf": "argon2id"}),
        json.dumps({"v": True, "kdf": "argon2id", "t": 1, "m": 8192, "p": 1}),
        _edited(salt=""),
        _edited(salt=12345),
        _edited(nonce="non base64!"),
        _edited(pad="x" * 10_000),
        "",
    ],
    ids=lambda b: b[:20],
)
def test_blobs_that_are_not_a_key_object_are_a_damaged_key(blob: str) -> None:
    _assert_corrupt(blob)


def test_the_message_says_what_is_damaged_and_what_to_do() -> None:
    text = render("keys.blob_corrupt")
    assert "danneggiat" in text and "codice di recupero" in text and "backup" in text


def test_wrap_refuses_costs_that_unwrap_would_refuse() -> None:
    with pytest.raises(ValueError):
        wrap_key(KEY, SECRET, store_id="s", slot="r", params=KdfParams(time_cost=0))
