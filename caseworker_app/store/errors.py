"""Translate database driver failures into user-facing errors (codes, no personal data)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from caseworker_app.domain.errors import UserFacingError


def translate(exc: BaseException) -> UserFacingError | None:
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "disk is full" in text or "disk full" in text:
        return UserFacingError("store.disk_full")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return UserFacingError("store.write_refused")
    if "locked" in text or "busy" in text:
        return UserFacingError("store.busy")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return UserFacingError("store.corrupt")
    return None
