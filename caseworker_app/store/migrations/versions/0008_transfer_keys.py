"""transmission keys of the installation and of its peers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08

``own_keys``: this installation's Ed25519 signing pair and age identity, inside the encrypted
store only (never in a clear file), so they go into every backup and survive a restore; one
current set (``retired_at`` null, enforced by a partial unique index), earlier sets kept retired.
``peer_keys``: the public keys other installations sent, with their fingerprint and whether it
was confirmed by phone; one row per installation and signing key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "own_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("signing_private", sa.String(length=64), nullable=False),
        sa.Column("signing_public", sa.String(length=64), nullable=False),
        sa.Column("age_identity", sa.String(length=100), nullable=False),
        sa.Column("age_recipient", sa.String(length=100), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_keys")),
    )
    op.create_index("uq_own_keys_current", "own_keys", [sa.text("(retired_at IS NULL)")],
                    unique=True, sqlite_where=sa.text("retired_at IS NULL"))  # fmt: skip
    op.create_table(
        "peer_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("installation_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("ambito", sa.String(length=60), nullable=False),
        sa.Column("comuni", sa.Text(), nullable=False),
        sa.Column("signing_public", sa.String(length=64), nullable=False),
        sa.Column("age_recipient", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_keys")),
        sa.UniqueConstraint(
            "installation_id", "signing_public", name=op.f("uq_peer_keys_installation_id")
        ),
    )
    with op.batch_alter_table("peer_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_peer_keys_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("peer_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peer_keys_status"))
    op.drop_table("peer_keys")
    op.drop_index("uq_own_keys_current", table_name="own_keys")
    op.drop_table("own_keys")
