"""protocol counters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Local protocol sequence per comune and year, for numbering istanze on submission.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "protocol_counters",
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("comune", "year", name=op.f("pk_protocol_counters")),
    )


def downgrade() -> None:
    op.drop_table("protocol_counters")
