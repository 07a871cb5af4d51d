"""The repository of the audit log: a hash chain of events."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.audit import GENESIS_HASH, AuditEntry, AuditEvent, chain
from caseworker_app.services.ports import AuditFilter, ConcernedPerson
from caseworker_app.store.audit_people import concerned_people
from caseworker_app.store.models import AuditEventRow


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_domain(r: AuditEventRow) -> AuditEvent:
        return AuditEvent(
            r.seq, r.at, r.operator, r.action, r.entity_type, r.entity_id, r.prev_hash, r.hash
        )

    def append(self, entry: AuditEntry) -> AuditEvent:
        last = self.session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash)
            .order_by(AuditEventRow.seq.desc())
            .limit(1)
        ).first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = chain(entry, seq=seq, prev_hash=prev)
        self.session.add(
            AuditEventRow(
                seq=event.seq,
                at=event.at,
                operator=event.operator,
                action=event.action,
                entity_type=event.entity_type,
                entity_id=event.entity_id,
                prev_hash=event.prev_hash,
                hash=event.hash,
            )
        )
        self.session.flush()
        return event

    def iterate(self) -> Iterator[AuditEvent]:
        stmt = select(AuditEventRow).order_by(AuditEventRow.seq).execution_options(yield_per=2000)
        for row in self.session.scalars(stmt):
            yield self._to_domain(row)

    def find(self, flt: AuditFilter) -> list[AuditEvent]:
        stmt = select(AuditEventRow)
        if flt.operator:
            stmt = stmt.where(AuditEventRow.operator == flt.operator)
        if flt.action:
            stmt = stmt.where(AuditEventRow.action == flt.action)
        if flt.entity_type:
            stmt = stmt.where(AuditEventRow.entity_type == flt.entity_type)
        if flt.since:
            stmt = stmt.where(AuditEventRow.at >= datetime.combine(flt.since, time.min))
        if flt.until:
            stmt = stmt.where(AuditEventRow.at <= datetime.combine(flt.until, time.max))
        stmt = stmt.order_by(AuditEventRow.seq.desc()).limit(flt.limit)
        return [self._to_domain(r) for r in self.session.scalars(stmt)]

    def last_of(self, *actions: str) -> AuditEvent | None:
        row = self.session.scalar(
            select(AuditEventRow)
            .where(AuditEventRow.action.in_(actions))
            .order_by(AuditEventRow.seq.desc())
            .limit(1)
        )
        return self._to_domain(row) if row else None

    def concerned(
        self, refs: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], ConcernedPerson]:
        """The person behind each ``(entity type, entity id)``, batched (store/audit_people)."""
        return concerned_people(self.session, refs)
