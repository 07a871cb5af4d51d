"""Alembic migrations of the store (run programmatically, see store/migrate.py)."""
