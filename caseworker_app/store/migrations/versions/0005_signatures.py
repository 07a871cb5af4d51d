"""signatures of the Progetto Individuale

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

Graphic signatures drawn on the signature pad (one per signatory role and PI version, the PNG
kept only inside the encrypted store), and documents tied to the exact PI version they sign (a
signed scan or a digitally signed PDF) with the result of the PAdES verification.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "pi_signatures",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pi_version_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("captured_at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("captured_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["pi_version_id"],
            ["pi_versions.id"],
            name=op.f("fk_pi_signatures_pi_version_id_pi_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pi_signatures")),
        sa.UniqueConstraint("pi_version_id", "role", name=op.f("uq_pi_signatures_pi_version_id")),
    )
    with op.batch_alter_table("pi_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pi_signatures_pi_version_id"), ["pi_version_id"],
                              unique=False)  # fmt: skip
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pi_version_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("signature_check", sa.Text(), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.create_foreign_key(batch_op.f("fk_documents_pi_version_id_pi_versions"),
                                    "pi_versions", ["pi_version_id"], ["id"])  # fmt: skip
        batch_op.create_index(batch_op.f("ix_documents_pi_version_id"), ["pi_version_id"],
                              unique=False)  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_pi_version_id"))
        batch_op.drop_constraint(batch_op.f("fk_documents_pi_version_id_pi_versions"),
                                 type_="foreignkey")  # fmt: skip
        batch_op.drop_column("signature_check")
        batch_op.drop_column("pi_version_id")
    with op.batch_alter_table("pi_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pi_signatures_pi_version_id"))
    op.drop_table("pi_signatures")
