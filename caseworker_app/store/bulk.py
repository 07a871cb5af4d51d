"""Bulk writes shared by the repositories."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from caseworker_app.store.models import Base


def core_table(model: type[Base]) -> Table:
    """The Core table of a model, for bulk executemany inserts (one statement, many rows)."""
    return cast(Table, model.__table__)
