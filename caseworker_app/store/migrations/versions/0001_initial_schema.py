"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22

The first released schema. A released revision is immutable: change the schema with a new one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=60), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_operator"), ["operator"], unique=False)

    op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("ambito", sa.String(length=60), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    op.create_table(
        "operators",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        sa.UniqueConstraint("username", name=op.f("uq_operators_username")),
    )
    op.create_table(
        "persons",
        sa.Column("num", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("codice_fiscale", sa.String(length=16), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_place_code", sa.String(length=4), nullable=False),
        sa.Column("citizenship", sa.String(length=2), nullable=False),
        sa.Column("residence_address", sa.String(length=300), nullable=False),
        sa.Column("residence_comune", sa.String(length=4), nullable=False),
        sa.Column("residence_cap", sa.String(length=5), nullable=False),
        sa.Column("domicile_address", sa.String(length=300), nullable=False),
        sa.Column("domicile_comune", sa.String(length=4), nullable=False),
        sa.Column("domicile_cap", sa.String(length=5), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("num", name=op.f("pk_persons")),
        sa.UniqueConstraint("id", name=op.f("uq_persons_id")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_persons_codice_fiscale"), ["codice_fiscale"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_persons_sort_key"), ["sort_key"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "case_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_case_files_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_files")),
        sa.UniqueConstraint("person_id", name=op.f("uq_case_files_person_id")),
    )
    op.create_table(
        "diary_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_files.id"], name=op.f("fk_diary_entries_case_id_case_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entries")),
    )
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_diary_entries_case_id"), ["case_id"], unique=False)

    op.create_table(
        "household_members",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("codice_fiscale", sa.String(length=16), nullable=False),
        sa.Column("relationship", sa.String(length=40), nullable=False),
        sa.Column("cohabiting", sa.Boolean(), nullable=False),
        sa.Column("is_caregiver", sa.Boolean(), nullable=False),
        sa.Column("care_hours_week", sa.Integer(), nullable=False),
        sa.Column("legal_role", sa.String(length=40), nullable=True),
        sa.Column("decree_number", sa.String(length=60), nullable=False),
        sa.Column("court", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_files.id"], name=op.f("fk_household_members_case_id_case_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_members")),
    )
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_members_case_id"), ["case_id"], unique=False)

    op.create_table(
        "istanze",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("comune", sa.String(length=4), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=True),
        sa.Column("avviso", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_files.id"], name=op.f("fk_istanze_case_id_case_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_istanze")),
        sa.UniqueConstraint("comune", "protocol", name=op.f("uq_istanze_comune")),
    )
    with op.batch_alter_table("istanze", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_istanze_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_istanze_state"), ["state"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("istanza_id", sa.String(length=36), nullable=True),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("promised_by", sa.Date(), nullable=True),
        sa.Column("mime", sa.String(length=80), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_files.id"], name=op.f("fk_documents_case_id_case_files")
        ),
        sa.ForeignKeyConstraint(
            ["istanza_id"], ["istanze.id"], name=op.f("fk_documents_istanza_id_istanze")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_case_id"), ["case_id"], unique=False)

    op.create_table(
        "istanza_transitions",
        sa.Column("num", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("istanza_id", sa.String(length=36), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["istanza_id"], ["istanze.id"], name=op.f("fk_istanza_transitions_istanza_id_istanze")
        ),
        sa.PrimaryKeyConstraint("num", name=op.f("pk_istanza_transitions")),
    )
    with op.batch_alter_table("istanza_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_istanza_transitions_istanza_id"), ["istanza_id"], unique=False
        )

    # Accent-insensitive full-text index on names and codice fiscale (external content: the
    # text lives only in persons; triggers keep the index in step, as the FTS5 docs show).
    op.execute(
        "CREATE VIRTUAL TABLE persons_fts USING fts5("
        "surname, given_name, codice_fiscale, content='persons', content_rowid='num', "
        "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    op.execute(
        "CREATE TRIGGER persons_fts_ai AFTER INSERT ON persons BEGIN "
        "INSERT INTO persons_fts(rowid, surname, given_name, codice_fiscale) "
        "VALUES (new.num, new.surname, new.given_name, new.codice_fiscale); END"
    )
    op.execute(
        "CREATE TRIGGER persons_fts_ad AFTER DELETE ON persons BEGIN "
        "INSERT INTO persons_fts(persons_fts, rowid, surname, given_name, codice_fiscale) "
        "VALUES ('delete', old.num, old.surname, old.given_name, old.codice_fiscale); END"
    )
    op.execute(
        "CREATE TRIGGER persons_fts_au AFTER UPDATE OF surname, given_name, codice_fiscale "
        "ON persons BEGIN "
        "INSERT INTO persons_fts(persons_fts, rowid, surname, given_name, codice_fiscale) "
        "VALUES ('delete', old.num, old.surname, old.given_name, old.codice_fiscale); "
        "INSERT INTO persons_fts(rowid, surname, given_name, codice_fiscale) "
        "VALUES (new.num, new.surname, new.given_name, new.codice_fiscale); END"
    )
    # The audit log is append-only: the database itself refuses to change or remove an event.
    op.execute(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN "
        "SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN "
        "SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    op.execute("DROP TRIGGER IF EXISTS persons_fts_au")
    op.execute("DROP TRIGGER IF EXISTS persons_fts_ad")
    op.execute("DROP TRIGGER IF EXISTS persons_fts_ai")
    op.execute("DROP TABLE IF EXISTS persons_fts")
    with op.batch_alter_table("istanza_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_istanza_transitions_istanza_id"))

    op.drop_table("istanza_transitions")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_case_id"))

    op.drop_table("documents")
    with op.batch_alter_table("istanze", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_istanze_state"))
        batch_op.drop_index(batch_op.f("ix_istanze_case_id"))

    op.drop_table("istanze")
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_members_case_id"))

    op.drop_table("household_members")
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diary_entries_case_id"))

    op.drop_table("diary_entries")
    op.drop_table("case_files")
    op.drop_table("settings")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_sort_key"))
        batch_op.drop_index(batch_op.f("ix_persons_codice_fiscale"))

    op.drop_table("persons")
    op.drop_table("operators")
    op.drop_table("installation")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_operator"))
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
