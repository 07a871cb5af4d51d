"""the capofila's desk: ranking runs, their approvals, control samples, avviso editions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

``ranking_runs``: each judgement and allocation of the istanze received for an avviso, kept as
a canonical ``caseworker.ranking-run/1`` blob with its SHA-256, the SHA-256 of its inputs and
the run it follows; append-only (the database refuses to change or remove a run).
``ranking_run_approvals``: the determina that approved a run (at most one per run; append-only,
so the run's bytes never change when it is approved).

``control_samples``: the draw of the beneficiaries whose self-declarations are checked (the
seed, the method and the drawn rows as a ``caseworker.control-sample/1`` blob), append-only;
``control_checks``: each check's result as recorded (a later result is a new row).

``avviso_editions``: the definition files the capofila writes ("Nuova edizione da…"): a draft
may be edited; once released its bytes are fixed (a trigger refuses to change them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("ranking_runs", "ranking_run_approvals", "control_samples", "control_checks")


def upgrade() -> None:
    op.create_table(
        "ranking_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("avviso", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("follows", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["follows"], ["ranking_runs.id"], name=op.f("fk_ranking_runs_follows_ranking_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_runs")),
        sa.UniqueConstraint("avviso", "number", name=op.f("uq_ranking_runs_avviso")),
    )
    op.create_table(
        "ranking_run_approvals",
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("determina", sa.String(length=40), nullable=False),
        sa.Column("determina_date", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=60), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["ranking_runs.id"],
            name=op.f("fk_ranking_run_approvals_run_id_ranking_runs"),
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_ranking_run_approvals")),
    )
    op.create_table(
        "control_samples",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.Column("drawn_by", sa.String(length=60), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ranking_runs.id"], name=op.f("fk_control_samples_run_id_ranking_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_samples")),
    )
    op.create_table(
        "control_checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sample_id", sa.String(length=36), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["control_samples.id"],
            name=op.f("fk_control_checks_sample_id_control_samples"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_checks")),
    )
    op.create_index(
        op.f("ix_control_checks_sample_id"), "control_checks", ["sample_id"], unique=False
    )
    op.create_table(
        "avviso_editions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("avviso", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("based_on", sa.String(length=130), nullable=False),
        sa.Column("file_name", sa.String(length=140), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("released_by", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_avviso_editions")),
        sa.UniqueConstraint("avviso", "version", name=op.f("uq_avviso_editions_avviso")),
    )
    for table in _APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
    # a released edition is a definition in force: its bytes and release never change again
    op.execute(
        "CREATE TRIGGER avviso_editions_released BEFORE UPDATE ON avviso_editions "
        "WHEN OLD.released_at IS NOT NULL BEGIN "
        "SELECT RAISE(ABORT, 'a released avviso edition is immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER avviso_editions_no_delete BEFORE DELETE ON avviso_editions "
        "WHEN OLD.released_at IS NOT NULL BEGIN "
        "SELECT RAISE(ABORT, 'a released avviso edition is immutable'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS avviso_editions_no_delete")
    op.execute("DROP TRIGGER IF EXISTS avviso_editions_released")
    for table in reversed(_APPEND_ONLY):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    op.drop_table("avviso_editions")
    op.drop_index(op.f("ix_control_checks_sample_id"), table_name="control_checks")
    op.drop_table("control_checks")
    op.drop_table("control_samples")
    op.drop_table("ranking_run_approvals")
    op.drop_table("ranking_runs")
