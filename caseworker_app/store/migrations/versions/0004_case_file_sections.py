"""case file sections, istanza content, PI versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The rest of the case file: the paid assistant in the network, document and diary details,
section entries kept as JSON objects (certifications, ISEE, measures in place, social
evaluations), what an istanza declares and requests, and the versions of the Progetto
Individuale.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_kind", sa.String(length=30), nullable=False,
                                      server_default="familiare"))  # fmt: skip
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.add_column(sa.Column("contract_type", sa.String(length=60), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.add_column(sa.Column("contract_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contract_to", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("weekly_hours", sa.Integer(), nullable=False,
                                      server_default="0"))  # fmt: skip
        batch_op.add_column(sa.Column("ccnl_level", sa.String(length=10), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.add_column(sa.Column("registered_lr15", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))  # fmt: skip
    with op.batch_alter_table("istanze", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.Text(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=60), nullable=False,
                                      server_default=""))  # fmt: skip
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=False,
                                      server_default="nota"))  # fmt: skip
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.create_table(
        "case_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_files.id"], name=op.f("fk_case_records_case_id_case_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_records")),
    )
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_records_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_records_kind"), ["kind"], unique=False)
    op.create_table(
        "pi_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("istanza_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["istanza_id"], ["istanze.id"], name=op.f("fk_pi_versions_istanza_id_istanze")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pi_versions")),
        sa.UniqueConstraint("istanza_id", "number", name=op.f("uq_pi_versions_istanza_id")),
    )
    with op.batch_alter_table("pi_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pi_versions_istanza_id"), ["istanza_id"],
                              unique=False)  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("pi_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pi_versions_istanza_id"))
    op.drop_table("pi_versions")
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_records_kind"))
        batch_op.drop_index(batch_op.f("ix_case_records_case_id"))
    op.drop_table("case_records")
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("kind")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        for name in ("created_by", "received_on", "sha256", "size", "title"):
            batch_op.drop_column(name)
    with op.batch_alter_table("istanze", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("content")
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        for name in ("registered_lr15", "ccnl_level", "weekly_hours", "contract_to",
                     "contract_from", "contract_type", "phone", "member_kind"):  # fmt: skip
            batch_op.drop_column(name)
