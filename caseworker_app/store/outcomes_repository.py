"""The repository of the outcomes (*esiti*, since 0013): the files written at the capofila, the
files imported at a comune with each istanza's outcome.

Datetimes are naive local time, as everywhere in the store (a file's ``created_at`` comes back
with the local offset); amounts are kept as their two-decimal text.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.outcomes import (
    IssuedOutcomes,
    IstanzaOutcome,
    OutcomeLine,
    Outcomes,
    ReceivedOutcomes,
)
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.store.outcomes_models import (
    IstanzaOutcomeRow,
    OutcomeFileRow,
    ReceivedOutcomesRow,
)


class SqlOutcomeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- at the capofila ----------------------------------------------------------------------

    def add_issued(self, issued: IssuedOutcomes) -> None:
        i = issued
        self.session.add(
            OutcomeFileRow(
                id=i.id,
                run_id=i.run_id,
                comune=i.comune,
                recipient_fingerprint=i.recipient_fingerprint,
                approved=i.approved,
                file_name=i.file_name,
                manifest_sha256=i.manifest_sha256,
                content=i.content,
                created_at=i.created_at,
                created_by=i.created_by,
            )
        )
        self.session.flush()  # the unique constraint refuses a second file for the same key

    def issued(
        self, run_id: str, comune: str, fingerprint: str, *, approved: bool
    ) -> IssuedOutcomes | None:
        row = self.session.scalars(
            select(OutcomeFileRow).where(
                OutcomeFileRow.run_id == run_id,
                OutcomeFileRow.comune == comune,
                OutcomeFileRow.recipient_fingerprint == fingerprint,
                OutcomeFileRow.approved == approved,
            )
        ).first()
        if row is None:
            return None
        return IssuedOutcomes(
            id=row.id,
            run_id=row.run_id,
            comune=row.comune,
            recipient_fingerprint=row.recipient_fingerprint,
            approved=row.approved,
            file_name=row.file_name,
            manifest_sha256=row.manifest_sha256,
            content=row.content,
            created_at=row.created_at,
            created_by=row.created_by,
        )

    # -- at a comune --------------------------------------------------------------------------

    def add_received(self, received: ReceivedOutcomes) -> None:
        r = received
        o = r.outcomes
        created = o.created_at
        if created.tzinfo is not None:
            created = created.astimezone().replace(tzinfo=None)
        self.session.add(
            ReceivedOutcomesRow(
                id=r.id,
                file_name=r.file_name,
                manifest_sha256=r.manifest_sha256,
                capofila=r.capofila,
                comune=o.comune,
                avviso=o.avviso,
                avviso_version=o.avviso_version,
                run_id=o.run_id,
                run_number=o.run_number,
                run_sha256=o.run_sha256,
                determina=o.determina,
                determina_date=o.determina_date,
                approved=o.approved,
                provisional=o.provisional,
                created_at=created,
                imported_at=r.imported_at,
                imported_by=r.imported_by,
            )
        )
        self.session.flush()  # the file first: its istanze refer to it
        for istanza_id, line in r.istanze:
            self.session.add(
                IstanzaOutcomeRow(
                    outcomes_id=r.id,
                    istanza_id=istanza_id,
                    comune=line.comune,
                    protocol=line.protocol,
                    version=line.version,
                    position=line.position,
                    priority_class=line.priority_class,
                    ranking=line.ranking,
                    outcome=line.outcome.value,
                    amount=f"{line.amount:.2f}",
                    reason=line.reason,
                )
            )
        self.session.flush()

    def received_by_manifest(self, sha256: str) -> ReceivedOutcomes | None:
        row = self.session.scalars(
            select(ReceivedOutcomesRow).where(ReceivedOutcomesRow.manifest_sha256 == sha256)
        ).first()
        return None if row is None else self._received([row])[0]

    def received_of(self, avviso: str, comune: str) -> list[ReceivedOutcomes]:
        rows = self.session.scalars(
            select(ReceivedOutcomesRow)
            .where(ReceivedOutcomesRow.avviso == avviso, ReceivedOutcomesRow.comune == comune)
            .order_by(ReceivedOutcomesRow.run_number, ReceivedOutcomesRow.imported_at)
        )
        return self._received(list(rows))

    def of_istanza(self, istanza_id: str) -> list[IstanzaOutcome]:
        found = self.session.execute(
            select(IstanzaOutcomeRow, ReceivedOutcomesRow)
            .join(ReceivedOutcomesRow, ReceivedOutcomesRow.id == IstanzaOutcomeRow.outcomes_id)
            .where(IstanzaOutcomeRow.istanza_id == istanza_id)
            .order_by(ReceivedOutcomesRow.run_number, ReceivedOutcomesRow.imported_at)
        )
        return [
            IstanzaOutcome(
                outcomes_id=head.id,
                istanza_id=line.istanza_id,
                line=_line(line),
                avviso=head.avviso,
                run_id=head.run_id,
                run_number=head.run_number,
                approved=head.approved,
                determina=head.determina,
                determina_date=head.determina_date,
                imported_at=head.imported_at,
            )
            for line, head in found
        ]

    def _received(self, rows: Sequence[ReceivedOutcomesRow]) -> list[ReceivedOutcomes]:
        lines: dict[str, list[IstanzaOutcomeRow]] = {}
        ids = [row.id for row in rows]
        if ids:
            query = (
                select(IstanzaOutcomeRow)
                .where(IstanzaOutcomeRow.outcomes_id.in_(ids))
                .order_by(IstanzaOutcomeRow.comune, IstanzaOutcomeRow.protocol)
            )
            for item in self.session.scalars(query):
                lines.setdefault(item.outcomes_id, []).append(item)
        return [_received(row, lines.get(row.id, [])) for row in rows]


def _line(row: IstanzaOutcomeRow) -> OutcomeLine:
    return OutcomeLine(
        comune=row.comune,
        protocol=row.protocol,
        version=row.version,
        position=row.position,
        priority_class=row.priority_class,
        ranking=row.ranking,
        outcome=Funding(row.outcome),
        amount=Decimal(row.amount),
        reason=row.reason,
    )


def _received(row: ReceivedOutcomesRow, items: Sequence[IstanzaOutcomeRow]) -> ReceivedOutcomes:
    pairs = tuple((item.istanza_id, _line(item)) for item in items)
    outcomes = Outcomes(
        comune=row.comune,
        avviso=row.avviso,
        avviso_version=row.avviso_version,
        run_id=row.run_id,
        run_number=row.run_number,
        run_sha256=row.run_sha256,
        determina=row.determina,
        determina_date=row.determina_date,
        approved=row.approved,
        provisional=row.provisional,
        created_at=row.created_at.astimezone(),
        lines=tuple(line for _, line in pairs),
    )
    return ReceivedOutcomes(
        id=row.id,
        file_name=row.file_name,
        manifest_sha256=row.manifest_sha256,
        capofila=row.capofila,
        outcomes=outcomes,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        istanze=pairs,
    )
