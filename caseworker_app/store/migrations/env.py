"""Alembic environment: always run on a connection handed in by store/migrate.py."""

from __future__ import annotations

from alembic import context

from caseworker_app.store.models import Base

config = context.config


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave the FTS5 shadow tables (managed by raw SQL in the revisions) out of autogenerate."""
    return not (type_ == "table" and name is not None and name.startswith("persons_fts"))


connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode recreates tables
    transaction_per_migration=False,  # the whole upgrade is one transaction
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
