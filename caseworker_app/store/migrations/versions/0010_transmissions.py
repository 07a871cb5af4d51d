"""transmissions of istruttorie: the files written at a comune, those imported at the capofila

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-15

At a comune: ``transmissions``, each file of istruttorie written (its name, the counter of the
day, the capofila's fingerprint, the SHA-256 of its manifest, the attestazione printed with it,
the audit head it carries, and the receipt once imported), and ``transmission_items``, each
istanza in it with the version sent and what the capofila said (one row per istanza version).

At the capofila: ``received_transmissions``, each file imported (its sender, the receipt written
for it and its lines as a ``caseworker.receipt-lines`` blob; one row per manifest), and
``received_istanze`` with their ``received_members``: every version of an istanza received,
read-only, with the bytes of each member (one row per comune, protocol and version).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "transmissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("recipient_fingerprint", sa.String(length=40), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("attestazione", sa.LargeBinary(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("audit_hash", sa.String(length=64), nullable=True),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=False),
        sa.Column("receipt_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transmissions")),
        sa.UniqueConstraint("comune", "day", "counter", name=op.f("uq_transmissions_comune")),
    )
    op.create_table(
        "transmission_items",
        sa.Column("transmission_id", sa.String(length=36), nullable=False),
        sa.Column("istanza_id", sa.String(length=36), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["istanza_id"],
            ["istanze.id"],
            name=op.f("fk_transmission_items_istanza_id_istanze"),
        ),
        sa.ForeignKeyConstraint(
            ["transmission_id"],
            ["transmissions.id"],
            name=op.f("fk_transmission_items_transmission_id_transmissions"),
        ),
        sa.PrimaryKeyConstraint(
            "transmission_id", "istanza_id", name=op.f("pk_transmission_items")
        ),
        sa.UniqueConstraint("istanza_id", "version", name=op.f("uq_transmission_items_istanza_id")),
    )
    op.create_table(
        "received_transmissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("sender_fingerprint", sa.String(length=40), nullable=False),
        sa.Column("comuni", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=60), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("audit_hash", sa.String(length=64), nullable=True),
        sa.Column("chain_warning", sa.Text(), nullable=False),
        sa.Column("receipt", sa.LargeBinary(), nullable=False),
        sa.Column("receipt_lines", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_transmissions")),
        sa.UniqueConstraint(
            "manifest_sha256", name=op.f("uq_received_transmissions_manifest_sha256")
        ),
    )
    op.create_table(
        "received_istanze",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("avviso", sa.String(length=80), nullable=False),
        sa.Column("avviso_version", sa.String(length=40), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("transmission_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("evaluation_included", sa.Boolean(), nullable=False),
        sa.Column("record", sa.LargeBinary(), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("superseded_by", sa.String(length=36), nullable=True),
        # deferred: the import stores the istanze before the transmission (one transaction)
        sa.ForeignKeyConstraint(
            ["transmission_id"],
            ["received_transmissions.id"],
            name=op.f("fk_received_istanze_transmission_id_received_transmissions"),
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_istanze")),
        sa.UniqueConstraint(
            "comune", "protocol", "version", name=op.f("uq_received_istanze_comune")
        ),
    )
    op.create_table(
        "received_members",
        sa.Column("received_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_istanze.id"],
            name=op.f("fk_received_members_received_id_received_istanze"),
        ),
        sa.PrimaryKeyConstraint("received_id", "name", name=op.f("pk_received_members")),
    )


def downgrade() -> None:
    op.drop_table("received_members")
    op.drop_table("received_istanze")
    op.drop_table("received_transmissions")
    op.drop_table("transmission_items")
    op.drop_table("transmissions")
