"""ORM models of the outcomes (*esiti*, since 0013): at the capofila the files written for the
comuni (kept to give the same file again), at a comune the files imported and each istanza's
outcome as they gave it (what the letters print)."""

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


class OutcomeFileRow(Base):
    """At the capofila: a file of outcomes written for a comune, one per run, comune, key and
    approval (a run sent before its determina is sent again once approved)."""

    __tablename__ = "outcome_files"
    __table_args__ = (UniqueConstraint("run_id", "comune", "recipient_fingerprint", "approved"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the manifest's UUID
    run_id: Mapped[str] = mapped_column(ForeignKey("ranking_runs.id"))
    comune: Mapped[str] = mapped_column(String(4))
    recipient_fingerprint: Mapped[str] = mapped_column(String(40))
    approved: Mapped[bool] = mapped_column(Boolean)  # False: a run not approved yet
    file_name: Mapped[str] = mapped_column(String(140))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # the sealed file as written
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))


class ReceivedOutcomesRow(Base):
    """At a comune: a file of outcomes imported (its run's identity and approval)."""

    __tablename__ = "received_outcomes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the manifest's UUID
    file_name: Mapped[str] = mapped_column(String(255))
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    capofila: Mapped[str] = mapped_column(String(64))  # the capofila's installation id
    comune: Mapped[str] = mapped_column(String(4))
    avviso: Mapped[str] = mapped_column(String(100), index=True)
    avviso_version: Mapped[str] = mapped_column(String(10))
    run_id: Mapped[str] = mapped_column(String(36))
    run_number: Mapped[int] = mapped_column(Integer)
    run_sha256: Mapped[str] = mapped_column(String(64))
    determina: Mapped[str | None] = mapped_column(String(40), nullable=True)
    determina_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    approved: Mapped[bool] = mapped_column(Boolean)
    provisional: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # by the capofila (local time)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(60))


class IstanzaOutcomeRow(Base):
    """At a comune: one istanza's outcome in a file imported (one row per file and istanza)."""

    __tablename__ = "istanza_outcomes"
    outcomes_id: Mapped[str] = mapped_column(ForeignKey("received_outcomes.id"), primary_key=True)
    istanza_id: Mapped[str] = mapped_column(ForeignKey("istanze.id"), primary_key=True, index=True)
    comune: Mapped[str] = mapped_column(String(4))
    protocol: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    priority_class: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ranking: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str] = mapped_column(String(30))  # domain.rules.allocation.Funding
    amount: Mapped[str] = mapped_column(String(20))  # "1200.00"
    reason: Mapped[str] = mapped_column(Text, default="")
