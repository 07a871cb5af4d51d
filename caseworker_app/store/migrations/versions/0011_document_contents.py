"""document contents in a table of their own

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

The bytes of a scan (a PDF or an image of some hundred KB) sat in ``documents.content``, before
the columns added by later migrations (title, size, sha256, received_on, …). SQLite stores a
row's columns in order, so reading those later columns walked, and SQLCipher decrypted, every
overflow page of the scan: listing a case's documents cost ~2 ms per case instead of ~0.04 ms,
and the export of 500 istruttorie spent a third of its time there. The content now lives in
``document_contents`` (one row per document that has a file), read only when asked for.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "document_contents",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_contents_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_contents")),
    )
    op.execute(
        "INSERT INTO document_contents (document_id, content) "
        "SELECT id, content FROM documents WHERE content IS NOT NULL"
    )
    # SQLite >= 3.35 drops the column in place and rewrites each row without it
    op.execute("ALTER TABLE documents DROP COLUMN content")


def downgrade() -> None:
    op.execute("ALTER TABLE documents ADD COLUMN content BLOB")
    op.execute(
        "UPDATE documents SET content = "
        "(SELECT content FROM document_contents WHERE document_id = documents.id)"
    )
    op.drop_table("document_contents")
