"""Wrapping the database key; the recovery code; the attempt throttle."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.security.attempts import AttemptLog, delay_after
from caseworker_app.security.keys import (
    FAST_TEST_KDF,
    new_database_key,
    new_recovery_code,
    normalize_recovery_code,
    unwrap_key,
    wrap_key,
)


def test_wrapped_key_unwraps_only_with_the_right_secret_store_and_slot() -> None:
    key = new_database_key()
    blob = wrap_key(key, "segreto giusto", store_id="s1", slot="operator:a", params=FAST_TEST_KDF)
    assert unwrap_key(blob, "segreto giusto", store_id="s1", slot="operator:a") == key
    assert unwrap_key(blob, "segreto sbagliato", store_id="s1", slot="operator:a") is None
    assert unwrap_key(blob, "segreto giusto", store_id="s2", slot="operator:a") is None
    assert unwrap_key(blob, "segreto giusto", store_id="s1", slot="operator:b") is None
    assert key.hex() not in blob


def test_each_wrap_uses_fresh_salt_and_nonce() -> None:
    key = new_database_key()
    a = wrap_key(key, "x" * 12, store_id="s", slot="r", params=FAST_TEST_KDF)
    b = wrap_key(key, "x" * 12, store_id="s", slot="r", params=FAST_TEST_KDF)
    assert a != b


def test_damaged_blob_is_a_clear_error() -> None:
    with pytest.raises(UserFacingError) as err:
        unwrap_key("{not json", "x", store_id="s", slot="r")
    assert err.value.code == "keys.blob_corrupt"


def test_recovery_code_shape() -> None:
    code = new_recovery_code()
    groups = code.split("-")
    assert len(groups) == 6 and all(len(g) == 5 for g in groups)
    assert not set(code) & set("ILOU")


@settings(max_examples=200)
@given(st.randoms(use_true_random=False))
def test_recovery_code_survives_how_people_retype_it(rnd: object) -> None:
    code = new_recovery_code()
    sloppy = code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    assert normalize_recovery_code(sloppy) == code
    assert normalize_recovery_code(f"  {code.replace('-', '')}  ") == code


@pytest.mark.parametrize("typed", ["", "ABCDE", "ABCDE-ABCDE-ABCDE-ABCDE-ABCDE-ABCD!", "U" * 30])
def test_malformed_recovery_code_is_explained(typed: str) -> None:
    with pytest.raises(UserFacingError) as err:
        normalize_recovery_code(typed)
    assert err.value.code == "keys.recovery_code_format"


@given(st.integers(min_value=0, max_value=40))
def test_delay_never_shrinks_as_failures_grow(n: int) -> None:
    assert delay_after(n + 1) >= delay_after(n)
    assert delay_after(n) <= 300


def test_first_failures_are_free_then_the_wait_grows(tmp_path: Path) -> None:
    log = AttemptLog(tmp_path / "attempts.json")
    t0 = datetime(2026, 1, 1, 9, 0)
    for i in range(3):
        log.record_failure("mrossi", t0 + timedelta(seconds=i))
    assert log.wait_seconds(t0 + timedelta(seconds=2)) > 0
    assert log.wait_seconds(t0 + timedelta(seconds=400)) == 0
    log.clear()
    assert log.read() == []


def test_damaged_attempt_file_does_not_lock_anyone_out(tmp_path: Path) -> None:
    path = tmp_path / "attempts.json"
    path.write_text("{garbage")
    assert AttemptLog(path).wait_seconds(datetime(2026, 1, 1)) == 0
