"""ambito packages issued by a capofila or accepted by a comune

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10

``ambito_packages``: each package the capofila issued (``esportato``) or the comune accepted
(``importato``), with its sequence, the SHA-256 of its signed manifest, the key that signed it,
and the manifest, signature and payload as they travelled (so that it can be verified again);
one package per sequence and direction. ``ambito_package_files``: the avvisi definition files it
carried, so that a comune judges with exactly the capofila's definition.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "ambito_packages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("ambito", sa.String(length=60), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signing_public", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ambito_packages")),
        sa.UniqueConstraint("sha256", "direction", name=op.f("uq_ambito_packages_sha256")),
        sa.UniqueConstraint(
            "direction", "ambito", "sequence", name=op.f("uq_ambito_packages_direction")
        ),
    )
    op.create_table(
        "ambito_package_files",
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["ambito_packages.id"],
            name=op.f("fk_ambito_package_files_package_id_ambito_packages"),
        ),
        sa.PrimaryKeyConstraint("package_id", "name", name=op.f("pk_ambito_package_files")),
    )


def downgrade() -> None:
    op.drop_table("ambito_package_files")
    op.drop_table("ambito_packages")
