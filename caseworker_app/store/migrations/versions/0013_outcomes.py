"""the outcomes (esiti) from the capofila to the comuni

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04

``outcome_files`` (at the capofila): each sealed file of outcomes written for a comune, one per
run, comune, key it is encrypted to and approval, kept whole so that writing it again gives the
same file.
``received_outcomes`` (at a comune): each file of outcomes imported, with its run's identity
(avviso, run id, number and SHA-256) and its approval (the determina, or not approved yet).
``istanza_outcomes`` (at a comune): each istanza's position, outcome, amount and reason in a
file imported: what the comune's letters print.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("recipient_fingerprint", sa.String(length=40), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(length=140), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ranking_runs.id"], name=op.f("fk_outcome_files_run_id_ranking_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_files")),
        sa.UniqueConstraint(
            "run_id",
            "comune",
            "recipient_fingerprint",
            "approved",
            name=op.f("uq_outcome_files_run_id"),
        ),
    )
    op.create_table(
        "received_outcomes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("capofila", sa.String(length=64), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("avviso", sa.String(length=100), nullable=False),
        sa.Column("avviso_version", sa.String(length=10), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("run_number", sa.Integer(), nullable=False),
        sa.Column("run_sha256", sa.String(length=64), nullable=False),
        sa.Column("determina", sa.String(length=40), nullable=True),
        sa.Column("determina_date", sa.Date(), nullable=True),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_outcomes")),
        sa.UniqueConstraint("manifest_sha256", name=op.f("uq_received_outcomes_manifest_sha256")),
    )
    op.create_index(
        op.f("ix_received_outcomes_avviso"), "received_outcomes", ["avviso"], unique=False
    )
    op.create_table(
        "istanza_outcomes",
        sa.Column("outcomes_id", sa.String(length=36), nullable=False),
        sa.Column("istanza_id", sa.String(length=36), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("protocol", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("priority_class", sa.Integer(), nullable=True),
        sa.Column("ranking", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcomes_id"],
            ["received_outcomes.id"],
            name=op.f("fk_istanza_outcomes_outcomes_id_received_outcomes"),
        ),
        sa.ForeignKeyConstraint(
            ["istanza_id"], ["istanze.id"], name=op.f("fk_istanza_outcomes_istanza_id_istanze")
        ),
        sa.PrimaryKeyConstraint("outcomes_id", "istanza_id", name=op.f("pk_istanza_outcomes")),
    )
    op.create_index(
        op.f("ix_istanza_outcomes_istanza_id"), "istanza_outcomes", ["istanza_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_istanza_outcomes_istanza_id"), table_name="istanza_outcomes")
    op.drop_table("istanza_outcomes")
    op.drop_index(op.f("ix_received_outcomes_avviso"), table_name="received_outcomes")
    op.drop_table("received_outcomes")
    op.drop_table("outcome_files")
