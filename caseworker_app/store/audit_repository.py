"""The repository of the audit log: a hash chain of events."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from caseworker_app.domain.audit import (
    CONTENT_ENTITY_TYPES,
    CONTENT_HASH_VERSION,
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    AuditEvent,
    AuditHead,
    chain,
    row_content_hash,
)
from caseworker_app.ports.storage import AuditFilter, ConcernedPerson
from caseworker_app.store.audit_people import concerned_people
from caseworker_app.store.models import AuditEventRow, CaseFileRow, IstanzaRow, PersonRow

Hashed = InstrumentedAttribute[object]

#: The columns whose content an event on a row records, by version and entity type. A released
#: list is FIXED: a column added by a later migration joins a new version ("v2"), and the hashes
#: already written are recomputed with the list of their own version. Left out on purpose:
#: timestamps of the last save and the derived sort key (they change with every save, which is
#: audited anyway), and ``istanze.case_id``, which a merge of duplicate case files moves without
#: an event per istanza (the merge is audited on both case files).
CONTENT_COLUMNS: dict[str, dict[str, tuple[Hashed, ...]]] = {
    "v1": {
        "case_file": (
            CaseFileRow.person_id, CaseFileRow.comune, CaseFileRow.opened_at,
            CaseFileRow.opened_by, CaseFileRow.closed_on, CaseFileRow.closed_reason,
            CaseFileRow.closed_note, PersonRow.codice_fiscale, PersonRow.surname,
            PersonRow.given_name, PersonRow.birth_date, PersonRow.sex,
            PersonRow.birth_place_code, PersonRow.citizenship, PersonRow.residence_address,
            PersonRow.residence_comune, PersonRow.residence_cap, PersonRow.domicile_address,
            PersonRow.domicile_comune, PersonRow.domicile_cap, PersonRow.phone, PersonRow.email,
            PersonRow.created_at,
        ),
        "istanza": (
            IstanzaRow.comune, IstanzaRow.protocol, IstanzaRow.avviso, IstanzaRow.state,
            IstanzaRow.submitted_at, IstanzaRow.created_at, IstanzaRow.content,
        ),
    },
}  # fmt: skip
#: the entity types whose events carry a content hash
CONTENT_ENTITIES = frozenset(CONTENT_COLUMNS[CONTENT_HASH_VERSION])
assert CONTENT_ENTITIES == CONTENT_ENTITY_TYPES, "the domain and the store name the same entities"
_BATCH = 500  # ids per query (well under SQLite's limit of bound parameters)


def _rows_of(entity_type: str, columns: Sequence[Hashed]) -> tuple[Any, InstrumentedAttribute[str]]:
    """The SELECT of an entity's id and hashed columns, and its id column (to filter on)."""
    if entity_type == "case_file":
        stmt = select(CaseFileRow.id, *columns).join(
            PersonRow, PersonRow.id == CaseFileRow.person_id
        )
        return stmt, CaseFileRow.id
    if entity_type == "istanza":
        return select(IstanzaRow.id, *columns), IstanzaRow.id
    raise KeyError(entity_type)


def _digest(columns: Sequence[Hashed], values: Sequence[object], version: str) -> str:
    named = {f"{c.class_.__tablename__}.{c.key}": v for c, v in zip(columns, values, strict=True)}
    return row_content_hash(named, version=version)


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _to_domain(r: AuditEventRow) -> AuditEvent:
        return AuditEvent(
            r.seq,
            r.at,
            r.operator,
            r.action,
            r.entity_type,
            r.entity_id,
            r.prev_hash,
            r.hash,
            r.content_hash,
        )

    def _content_hash(self, entry: AuditEntry) -> str | None:
        """The content hash of the entry's row as it is now (pending changes flushed first):
        None for a deletion, for an entity not kept in a row, or when the row is gone."""
        if entry.entity_type not in CONTENT_ENTITIES or entry.action is AuditAction.DELETE:
            return None
        found = self.content_hashes([entry.entity_id], entity_type=entry.entity_type)
        return found.get(entry.entity_id)

    def content_hashes(
        self, ids: Collection[str], *, entity_type: str, version: str = CONTENT_HASH_VERSION
    ) -> dict[str, str]:
        """The current content hash of each row of ``entity_type`` among ``ids`` (by id; a row
        that does not exist is left out), with the columns of ``version``: one query per 500."""
        columns = CONTENT_COLUMNS[version][entity_type]
        stmt, id_column = _rows_of(entity_type, columns)
        wanted = list(ids)
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            for row in self.session.execute(stmt.where(id_column.in_(chunk))):
                found[str(row[0])] = _digest(columns, tuple(row)[1:], version)
        return found

    def head(self) -> AuditHead | None:
        """The last event of the chain (its number and hash), None for an empty log."""
        last = self.session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash)
            .order_by(AuditEventRow.seq.desc())
            .limit(1)
        ).first()
        return AuditHead(last[0], last[1]) if last else None

    def at_seq(self, seq: int) -> AuditEvent | None:
        row = self.session.get(AuditEventRow, seq)
        return self._to_domain(row) if row else None

    def append(self, entry: AuditEntry) -> AuditEvent:
        last = self.session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash)
            .order_by(AuditEventRow.seq.desc())
            .limit(1)
        ).first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = chain(entry, seq=seq, prev_hash=prev, content_hash=self._content_hash(entry))
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
                content_hash=event.content_hash,
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
