"""ORM models of the capofila's desk (since 0012): ranking runs and their approvals, control
samples and checks, the avviso editions the capofila writes. Runs, approvals, samples and
checks are append-only in the database itself (triggers of 0012)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from caseworker_app.store.models import Base


class RankingRunRow(Base):
    __tablename__ = "ranking_runs"
    __table_args__ = (UniqueConstraint("avviso", "number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    avviso: Mapped[str] = mapped_column(String(80))
    number: Mapped[int] = mapped_column(Integer)
    on_date: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean)
    follows: Mapped[str | None] = mapped_column(ForeignKey("ranking_runs.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # caseworker.ranking-run/2 (or /1)
    content_sha256: Mapped[str] = mapped_column(String(64))


class RankingRunApprovalRow(Base):
    __tablename__ = "ranking_run_approvals"
    run_id: Mapped[str] = mapped_column(ForeignKey("ranking_runs.id"), primary_key=True)
    determina: Mapped[str] = mapped_column(String(40))
    determina_date: Mapped[date] = mapped_column(Date)
    approved_by: Mapped[str] = mapped_column(String(60))
    approved_at: Mapped[datetime] = mapped_column(DateTime)


class ControlSampleRow(Base):
    __tablename__ = "control_samples"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("ranking_runs.id"))
    drawn_at: Mapped[datetime] = mapped_column(DateTime)
    drawn_by: Mapped[str] = mapped_column(String(60))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # caseworker.control-sample/1
    content_sha256: Mapped[str] = mapped_column(String(64))


class ControlCheckRow(Base):
    __tablename__ = "control_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sample_id: Mapped[str] = mapped_column(ForeignKey("control_samples.id"), index=True)
    comune: Mapped[str] = mapped_column(String(4))
    protocol: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))


class AvvisoEditionRow(Base):
    __tablename__ = "avviso_editions"
    __table_args__ = (UniqueConstraint("avviso", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    avviso: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    based_on: Mapped[str] = mapped_column(String(130))  # "<avviso>@<version>" copied from
    file_name: Mapped[str] = mapped_column(String(140))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # the definition file (TOML)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    released_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    released_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
