"""The repository of istanze: their state, content, history and protocol sequence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import (
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza, IstanzaState, Transition
from caseworker_app.domain.stored_formats import BlobKind, decode_object, encode
from caseworker_app.ports.storage import IstanzaListRow
from caseworker_app.store.bulk import core_table
from caseworker_app.store.models import (
    CaseFileRow,
    DocumentRow,
    IstanzaRow,
    IstanzaTransitionRow,
    OperatorRow,
    PersonRow,
    ProtocolCounterRow,
)

#: the content of a new istanza (an empty object, in the current format)
_NO_CONTENT = encode(BlobKind.ISTANZA_CONTENT, {})


def _istanza_values(istanza: Istanza, now: datetime) -> dict[str, object]:
    return {
        "id": istanza.id,
        "case_id": istanza.case_id,
        "comune": istanza.comune,
        "protocol": istanza.protocol,
        "avviso": istanza.avviso,
        "state": istanza.state.value,
        "submitted_at": istanza.submitted_at,
        "created_at": now,
        "content": _NO_CONTENT,
    }


def _transition_values(transition: Transition) -> dict[str, object]:
    return {
        "istanza_id": transition.istanza_id,
        "from_state": transition.from_state.value if transition.from_state else None,
        "to_state": transition.to_state.value,
        "at": transition.at,
        "operator": transition.operator,
        "reason": transition.reason,
    }


class SqlIstanzaRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, istanza: Istanza, *, now: datetime) -> None:
        self.session.add(IstanzaRow(**_istanza_values(istanza, now)))

    def add_many(self, items: list[tuple[Istanza, list[Transition]]], *, now: datetime) -> None:
        """Bulk insert istanze with the history of transitions that led to their state."""
        rows = [_istanza_values(i, now) for i, _ in items]
        changes = [_transition_values(t) for _, ts in items for t in ts]
        if rows:
            self.session.execute(insert(core_table(IstanzaRow)), rows)
        if changes:
            self.session.execute(insert(core_table(IstanzaTransitionRow)), changes)

    @staticmethod
    def _to_domain(row: IstanzaRow) -> Istanza:
        return Istanza(IstanzaId(row.id), CaseId(row.case_id), row.comune, row.avviso,
                       IstanzaState(row.state), row.protocol, row.submitted_at)  # fmt: skip

    def get(self, istanza_id: IstanzaId) -> Istanza | None:
        row = self.session.get(IstanzaRow, istanza_id)
        return None if row is None else self._to_domain(row)

    def of_case(self, case_id: CaseId) -> list[Istanza]:
        rows = self.session.scalars(
            select(IstanzaRow)
            .where(IstanzaRow.case_id == case_id)
            .order_by(IstanzaRow.created_at, IstanzaRow.id)
        )
        return [self._to_domain(r) for r in rows]

    def content(self, istanza_id: IstanzaId) -> dict[str, object]:
        """What the istanza declares and requests (an empty object for a new one)."""
        raw = self.session.scalar(select(IstanzaRow.content).where(IstanzaRow.id == istanza_id))
        if raw is None:
            raise KeyError("istanza not found")
        return decode_object(BlobKind.ISTANZA_CONTENT, raw, row=istanza_id)

    def save_content(
        self, istanza_id: IstanzaId, content: Mapping[str, object], *, now: datetime
    ) -> None:
        row = self.session.get(IstanzaRow, istanza_id)
        if row is None:
            raise KeyError("istanza not found")
        row.content = encode(BlobKind.ISTANZA_CONTENT, content)
        row.updated_at = now

    def save_contents(
        self, contents: Sequence[tuple[IstanzaId, Mapping[str, object]]], *, now: datetime
    ) -> None:
        """Bulk update of istanza contents (demo data): one executemany."""
        table = core_table(IstanzaRow)
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(content=bindparam("b_content"), updated_at=bindparam("b_now"))
        )
        params = [
            {"b_id": i, "b_content": encode(BlobKind.ISTANZA_CONTENT, c), "b_now": now}
            for i, c in contents
        ]  # fmt: skip
        if params:
            self.session.connection().execute(stmt, params)

    def transitions(self, istanza_id: IstanzaId) -> list[Transition]:
        rows = self.session.scalars(
            select(IstanzaTransitionRow)
            .where(IstanzaTransitionRow.istanza_id == istanza_id)
            .order_by(IstanzaTransitionRow.num)
        )
        return [
            Transition(
                IstanzaId(r.istanza_id),
                IstanzaState(r.from_state) if r.from_state else None,
                IstanzaState(r.to_state),
                r.at,
                r.operator,
                r.reason,
            )
            for r in rows
        ]

    def next_protocol(self, comune: str, year: int) -> int:
        """The next number of the comune's local sequence for the year, inside the caller's
        transaction (BEGIN IMMEDIATE: two submissions never get the same number)."""
        row = self.session.get(ProtocolCounterRow, (comune, year))
        if row is None:
            row = ProtocolCounterRow(comune=comune, year=year, last=0)
            self.session.add(row)
        row.last += 1
        self.session.flush()
        return row.last

    def protocol_taken(self, comune: str, protocol: str) -> bool:
        """Whether an istanza of the comune already holds this protocol (unique index)."""
        found = self.session.execute(
            select(IstanzaRow.id).where(IstanzaRow.comune == comune,
                                        IstanzaRow.protocol == protocol).limit(1)
        ).first()  # fmt: skip
        return found is not None

    def record_transition(self, istanza: Istanza, transition: Transition) -> None:
        row = self.session.get(IstanzaRow, istanza.id)
        if row is None:
            raise KeyError("istanza not found")
        row.state = istanza.state.value
        row.protocol = istanza.protocol
        row.submitted_at = istanza.submitted_at
        self.session.add(IstanzaTransitionRow(**_transition_values(transition)))

    def list(self) -> list[IstanzaListRow]:
        # Who registered the istanza: the operator of its first transition (to bozza).
        first = (
            select(IstanzaTransitionRow.operator)
            .where(IstanzaTransitionRow.istanza_id == IstanzaRow.id)
            .order_by(IstanzaTransitionRow.num)
            .limit(1)
            .correlate(IstanzaRow)
            .scalar_subquery()
        )
        stmt = (
            select(
                IstanzaRow, PersonRow.codice_fiscale, PersonRow.surname, PersonRow.given_name, first
            )
            .join(CaseFileRow, CaseFileRow.id == IstanzaRow.case_id)
            .join(PersonRow, PersonRow.id == CaseFileRow.person_id)
            .order_by(IstanzaRow.comune, IstanzaRow.protocol, IstanzaRow.id)
        )
        names = dict(
            self.session.execute(select(OperatorRow.username, OperatorRow.full_name)).all()
        )
        return [
            IstanzaListRow(
                IstanzaId(i.id),
                i.comune,
                i.protocol,
                i.avviso,
                i.state,
                cf,
                sn,
                gn,
                i.submitted_at,
                op or "",
                names.get(op, "") if op else "",
            )
            for i, cf, sn, gn, op in self.session.execute(stmt).all()
        ]

    def delete_draft(self, istanza_id: IstanzaId) -> None:
        """Delete an istanza with its content and transitions. Documents registered for it
        stay in the case file, no longer tied to it. The caller checks that it is a draft
        without a Progetto Individuale."""
        row = self.session.get(IstanzaRow, istanza_id)
        if row is None:
            raise KeyError("istanza not found")
        self.session.execute(
            update(DocumentRow).where(DocumentRow.istanza_id == istanza_id).values(istanza_id=None)
        )
        self.session.execute(
            delete(IstanzaTransitionRow).where(IstanzaTransitionRow.istanza_id == istanza_id)
        )
        self.session.delete(row)
        self.session.flush()
