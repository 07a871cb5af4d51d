"""closed case files and the operators' qualifica

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

A case file can be closed (archived) with the date and the reason (deceased, moved, no longer
followed) and a note, and reopened: while ``closed_on`` is null it is open. Each operator has a
*qualifica* (assistente sociale, amministrativo, ...) printed with the full name in the PI, the
signatures and the prints.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=40), nullable=False,
                                      server_default=""))  # fmt: skip
        batch_op.add_column(sa.Column("closed_note", sa.Text(), nullable=False,
                                      server_default=""))  # fmt: skip
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qualifica", sa.String(length=60), nullable=False,
                                      server_default=""))  # fmt: skip


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35, which SQLCipher 4.5 bundles): a batch
    # "move and copy" would drop case_files, which other tables reference.
    dropped = (("operators", "qualifica"), ("case_files", "closed_note"),
               ("case_files", "closed_reason"), ("case_files", "closed_on"))  # fmt: skip
    for table, column in dropped:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
