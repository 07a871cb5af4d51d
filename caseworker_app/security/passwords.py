"""Operator password hashes (Argon2id, PHC string format) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.security.keys import KdfParams

MIN_PASSWORD_LENGTH = 10


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserFacingError("auth.password_too_short", min=MIN_PASSWORD_LENGTH)
    if password.strip() != password:
        raise UserFacingError("auth.password_spaces")


def _hasher(params: KdfParams) -> PasswordHasher:
    return PasswordHasher(
        time_cost=params.time_cost, memory_cost=params.memory_kib, parallelism=params.parallelism
    )


def hash_password(password: str, params: KdfParams) -> str:
    return _hasher(params).hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
