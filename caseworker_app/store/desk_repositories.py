"""The capofila desk's repositories (ports/desk_storage.py) over the tables of 0012."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker_app.domain.ranking_run import RunApproval
from caseworker_app.ports.desk_storage import (
    AvvisoEdition,
    ControlCheck,
    RunEntry,
    SampleEntry,
)
from caseworker_app.store.desk_models import (
    AvvisoEditionRow,
    ControlCheckRow,
    ControlSampleRow,
    RankingRunApprovalRow,
    RankingRunRow,
)


class SqlRunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: RunEntry) -> None:
        self.session.add(
            RankingRunRow(
                id=entry.id,
                avviso=entry.avviso,
                number=entry.number,
                on_date=entry.on,
                provisional=entry.provisional,
                follows=entry.follows,
                created_at=entry.created_at,
                created_by=entry.created_by,
                inputs_sha256=entry.inputs_sha256,
                content=entry.content,
                content_sha256=entry.content_sha256,
            )
        )
        self.session.flush()

    def get(self, run_id: str) -> RunEntry | None:
        row = self.session.get(RankingRunRow, run_id)
        return None if row is None else self._entries([row])[0]

    def of_avviso(self, avviso: str, *, content: bool = True) -> list[RunEntry]:
        if not content:  # a run's bytes are megabytes: not read to list or count the runs
            heads_found = self.session.execute(
                select(*_RUN_HEAD)
                .where(RankingRunRow.avviso == avviso)
                .order_by(RankingRunRow.number)
            )
            heads = [RunEntry(*row[:9], b"", row[9]) for row in heads_found]
            approvals = self._approvals([e.id for e in heads])
            return [replace(e, approval=approvals.get(e.id)) for e in heads]
        rows = self.session.scalars(
            select(RankingRunRow)
            .where(RankingRunRow.avviso == avviso)
            .order_by(RankingRunRow.number)
        )
        return self._entries(list(rows))

    def avvisi(self) -> list[str]:
        return list(
            self.session.scalars(
                select(RankingRunRow.avviso).distinct().order_by(RankingRunRow.avviso)
            )
        )

    def next_number(self, avviso: str) -> int:
        last = self.session.scalar(
            select(func.max(RankingRunRow.number)).where(RankingRunRow.avviso == avviso)
        )
        return (last or 0) + 1

    def approve(self, approval: RunApproval) -> None:
        if self.session.get(RankingRunRow, approval.run) is None:
            raise KeyError("ranking run not found")
        if self.session.get(RankingRunApprovalRow, approval.run) is not None:
            raise ValueError("the run is already approved")
        self.session.add(
            RankingRunApprovalRow(
                run_id=approval.run,
                determina=approval.determina,
                determina_date=approval.on,
                approved_by=approval.by,
                approved_at=approval.at,
            )
        )
        self.session.flush()

    def _approvals(self, ids: list[str]) -> dict[str, RunApproval]:
        if not ids:
            return {}
        return {
            a.run_id: RunApproval(
                a.run_id, a.determina, a.determina_date, a.approved_by, a.approved_at
            )
            for a in self.session.scalars(
                select(RankingRunApprovalRow).where(RankingRunApprovalRow.run_id.in_(ids))
            )
        }

    def _entries(self, rows: list[RankingRunRow]) -> list[RunEntry]:
        approvals = self._approvals([row.id for row in rows])
        return [
            RunEntry(
                id=row.id,
                avviso=row.avviso,
                number=row.number,
                on=row.on_date,
                provisional=row.provisional,
                follows=row.follows,
                created_at=row.created_at,
                created_by=row.created_by,
                inputs_sha256=row.inputs_sha256,
                content=row.content,
                content_sha256=row.content_sha256,
                approval=approvals.get(row.id),
            )
            for row in rows
        ]


#: a run's columns but its content, in RunEntry's order (content_sha256 last)
_RUN_HEAD = (
    RankingRunRow.id,
    RankingRunRow.avviso,
    RankingRunRow.number,
    RankingRunRow.on_date,
    RankingRunRow.provisional,
    RankingRunRow.follows,
    RankingRunRow.created_at,
    RankingRunRow.created_by,
    RankingRunRow.inputs_sha256,
    RankingRunRow.content_sha256,
)


class SqlControlRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_sample(self, entry: SampleEntry) -> None:
        self.session.add(
            ControlSampleRow(
                id=entry.id,
                run_id=entry.run,
                drawn_at=entry.drawn_at,
                drawn_by=entry.drawn_by,
                content=entry.content,
                content_sha256=entry.content_sha256,
            )
        )
        self.session.flush()

    def sample(self, sample_id: str) -> SampleEntry | None:
        row = self.session.get(ControlSampleRow, sample_id)
        return None if row is None else _sample(row)

    def samples(self, run_id: str) -> list[SampleEntry]:
        rows = self.session.scalars(
            select(ControlSampleRow)
            .where(ControlSampleRow.run_id == run_id)
            .order_by(ControlSampleRow.drawn_at, ControlSampleRow.id)
        )
        return [_sample(row) for row in rows]

    def add_check(self, check: ControlCheck) -> None:
        self.session.add(
            ControlCheckRow(
                sample_id=check.sample,
                comune=check.comune,
                protocol=check.protocol,
                result=check.result,
                note=check.note,
                recorded_at=check.recorded_at,
                recorded_by=check.recorded_by,
            )
        )
        self.session.flush()

    def checks(self, sample_id: str) -> list[ControlCheck]:
        rows = self.session.scalars(
            select(ControlCheckRow)
            .where(ControlCheckRow.sample_id == sample_id)
            .order_by(ControlCheckRow.id)
        )
        return [
            ControlCheck(
                row.sample_id,
                row.comune,
                row.protocol,
                row.result,
                row.note,
                row.recorded_at,
                row.recorded_by,
            )
            for row in rows
        ]


def _sample(row: ControlSampleRow) -> SampleEntry:
    return SampleEntry(
        row.id, row.run_id, row.drawn_at, row.drawn_by, row.content, row.content_sha256
    )


class SqlEditionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, edition: AvvisoEdition) -> None:
        self.session.add(_edition_row(edition))
        self.session.flush()

    def replace_draft(self, edition: AvvisoEdition) -> None:
        row = self.session.get(AvvisoEditionRow, edition.id)
        if row is None:
            raise KeyError("avviso edition not found")
        if row.released_at is not None:
            raise ValueError("a released avviso edition is immutable")
        row.avviso, row.version, row.based_on = edition.avviso, edition.version, edition.based_on
        row.file_name, row.content, row.sha256 = edition.file_name, edition.content, edition.sha256
        self.session.flush()

    def delete_draft(self, edition_id: str) -> None:
        row = self.session.get(AvvisoEditionRow, edition_id)
        if row is None:
            raise KeyError("avviso edition not found")
        if row.released_at is not None:
            raise ValueError("a released avviso edition is immutable")
        self.session.delete(row)
        self.session.flush()

    def get(self, edition_id: str) -> AvvisoEdition | None:
        row = self.session.get(AvvisoEditionRow, edition_id)
        return None if row is None else _edition(row)

    def all(self) -> list[AvvisoEdition]:
        rows = self.session.scalars(
            select(AvvisoEditionRow).order_by(AvvisoEditionRow.avviso, AvvisoEditionRow.version)
        )
        return [_edition(row) for row in rows]

    def release(self, edition_id: str, *, at: datetime, by: str) -> None:
        row = self.session.get(AvvisoEditionRow, edition_id)
        if row is None:
            raise KeyError("avviso edition not found")
        if row.released_at is not None:
            raise ValueError("the avviso edition is already released")
        row.released_at, row.released_by = at, by
        self.session.flush()


def _edition_row(e: AvvisoEdition) -> AvvisoEditionRow:
    return AvvisoEditionRow(
        id=e.id,
        avviso=e.avviso,
        version=e.version,
        based_on=e.based_on,
        file_name=e.file_name,
        content=e.content,
        sha256=e.sha256,
        created_at=e.created_at,
        created_by=e.created_by,
        released_at=e.released_at,
        released_by=e.released_by,
    )


def _edition(row: AvvisoEditionRow) -> AvvisoEdition:
    return AvvisoEdition(
        id=row.id,
        avviso=row.avviso,
        version=row.version,
        based_on=row.based_on,
        file_name=row.file_name,
        content=row.content,
        sha256=row.sha256,
        created_at=row.created_at,
        created_by=row.created_by,
        released_at=row.released_at,
        released_by=row.released_by,
    )
