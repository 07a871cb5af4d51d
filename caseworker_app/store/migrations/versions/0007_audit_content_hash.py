"""content hashes in the audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

An event on a case file or an istanza records the hash of that row's content as it was after
the event (``v1:`` + SHA-256 of a fixed list of columns, see store/audit_repository.py), and the
event hash covers it: an edit of the row made outside the application is found by ``audit
verify``. Events written before (and events on other entities) have none and hash as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # A plain ALTER TABLE ... ADD COLUMN, not a batch "move and copy": recreating audit_events
    # would drop its append-only triggers.
    op.add_column("audit_events", sa.Column("content_hash", sa.String(length=80), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE audit_events DROP COLUMN content_hash")
