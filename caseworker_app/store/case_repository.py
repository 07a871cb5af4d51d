"""The repository of case files: the person's anagrafica, the household, search, merging."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Date, String, column, func, insert, select, text, update
from sqlalchemy.orm import Session

from caseworker_app.domain.casefile import (
    CaseClosure,
    CaseFile,
    CaseListRow,
    CaseSort,
    CaseStatusFilter,
    DuplicateGroup,
    HouseholdMember,
)
from caseworker_app.domain.ids import CaseId, MemberId, PersonId
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.text import fold
from caseworker_app.store.bulk import core_table
from caseworker_app.store.case_rows import (
    ANAGRAFICA_FIELDS,
    anagrafica_of,
    apply_anagrafica,
    case_foreign_keys,
    closure_of,
    member_of,
    member_values,
    sort_key,
)
from caseworker_app.store.models import CaseFileRow, HouseholdMemberRow, PersonRow


def fts_query(typed: str) -> str | None:
    """A safe FTS5 prefix query from what the user typed: every word must match a prefix."""
    tokens = fold(typed).split()
    if not tokens:
        return None
    return " AND ".join(f'"{token}"*' for token in tokens)


class SqlCaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, case: CaseFile, *, now: datetime) -> None:
        person = PersonRow(id=case.person_id, created_at=now, updated_at=now)
        apply_anagrafica(person, case.anagrafica)
        self.session.add(person)
        self.session.flush()
        self.session.add(
            CaseFileRow(
                id=case.id,
                person_id=case.person_id,
                comune=case.comune,
                opened_at=case.opened_at,
                opened_by=case.opened_by,
            )
        )
        for member in case.household:
            self.add_member(case.id, member)

    def add_many(self, cases: list[CaseFile], *, now: datetime) -> None:
        """Bulk insert (executemany) for imports and demo data."""
        persons: list[dict[str, object]] = []
        case_rows: list[dict[str, object]] = []
        members: list[dict[str, object]] = []
        for case in cases:
            row = PersonRow(id=case.person_id, created_at=now, updated_at=now)
            apply_anagrafica(row, case.anagrafica)
            persons.append(
                {c.key: getattr(row, c.key) for c in PersonRow.__table__.columns if c.key != "num"}
            )
            case_rows.append(
                {
                    "id": case.id,
                    "person_id": case.person_id,
                    "comune": case.comune,
                    "opened_at": case.opened_at,
                    "opened_by": case.opened_by,
                }
            )
            members.extend(member_values(case.id, m) for m in case.household)
        if persons:
            self.session.execute(insert(core_table(PersonRow)), persons)
            self.session.execute(insert(core_table(CaseFileRow)), case_rows)
        if members:
            self.session.execute(insert(core_table(HouseholdMemberRow)), members)

    def get(self, case_id: CaseId) -> CaseFile | None:
        found = self.session.execute(
            select(CaseFileRow, PersonRow)
            .join(PersonRow, PersonRow.id == CaseFileRow.person_id)
            .where(CaseFileRow.id == case_id)
        ).one_or_none()
        if found is None:
            return None
        case_row, person_row = found[0], found[1]
        members = self.session.scalars(
            select(HouseholdMemberRow)
            .where(HouseholdMemberRow.case_id == case_id)
            .order_by(HouseholdMemberRow.surname, HouseholdMemberRow.given_name)
        )
        household = tuple(member_of(m) for m in members)
        return CaseFile(
            CaseId(case_row.id),
            PersonId(person_row.id),
            case_row.comune,
            case_row.opened_at,
            case_row.opened_by,
            anagrafica_of(person_row),
            household,
            closure_of(case_row),
        )

    def close(self, case_id: CaseId, closure: CaseClosure) -> None:
        row = self.session.get(CaseFileRow, case_id)
        if row is None:
            raise KeyError("case not found")
        row.closed_on = closure.closed_on
        row.closed_reason = closure.reason.value
        row.closed_note = closure.note

    def reopen(self, case_id: CaseId) -> None:
        row = self.session.get(CaseFileRow, case_id)
        if row is None:
            raise KeyError("case not found")
        row.closed_on = None
        row.closed_reason = ""
        row.closed_note = ""

    def holdings(self, case_id: CaseId) -> dict[str, int]:
        """How many rows of each table hang from the case (table name -> count, only those
        with at least one). Found from the metadata: a section added later is counted too."""
        found: dict[str, int] = {}
        for table, column_ in case_foreign_keys():
            count = int(
                self.session.scalar(
                    select(func.count()).select_from(table).where(column_ == case_id)
                )
                or 0
            )
            if count:
                found[table.name] = count
        return found

    def delete(self, case_id: CaseId) -> None:
        """Delete a case file that holds nothing (see ``holdings``) and its person."""
        row = self.session.get(CaseFileRow, case_id)
        if row is None:
            raise KeyError("case not found")
        person = self.session.scalar(select(PersonRow).where(PersonRow.id == row.person_id))
        self.session.delete(row)
        self.session.flush()
        if person is not None:
            self.session.delete(person)
            self.session.flush()

    def person_id_of(self, case_id: CaseId) -> PersonId | None:
        pid = self.session.scalar(select(CaseFileRow.person_id).where(CaseFileRow.id == case_id))
        return PersonId(pid) if pid else None

    def save_anagrafica(self, case_id: CaseId, anagrafica: Anagrafica, *, now: datetime) -> None:
        person_id = self.person_id_of(case_id)
        row = self.session.scalar(select(PersonRow).where(PersonRow.id == person_id))
        if row is None:
            raise KeyError("case not found")
        apply_anagrafica(row, anagrafica)
        row.updated_at = now

    def add_member(self, case_id: CaseId, member: HouseholdMember) -> None:
        self.session.add(HouseholdMemberRow(**member_values(case_id, member)))

    def save_member(self, case_id: CaseId, member: HouseholdMember) -> None:
        """Insert or update one member of the network."""
        row = self.session.get(HouseholdMemberRow, member.id)
        if row is None:
            self.add_member(case_id, member)
            return
        if row.case_id != case_id:
            raise KeyError("member of another case")
        for key, value in member_values(case_id, member).items():
            setattr(row, key, value)

    def remove_member(self, case_id: CaseId, member_id: MemberId) -> None:
        row = self.session.get(HouseholdMemberRow, member_id)
        if row is not None and row.case_id == case_id:
            self.session.delete(row)

    def codice_fiscale_taken(self, codice_fiscale: str, *, except_case: CaseId | None) -> bool:
        stmt = (
            select(func.count())
            .select_from(PersonRow)
            .join(CaseFileRow, CaseFileRow.person_id == PersonRow.id)
            .where(PersonRow.codice_fiscale == codice_fiscale.strip().upper())
        )
        if except_case is not None:
            stmt = stmt.where(CaseFileRow.id != except_case)
        return bool(self.session.scalar(stmt))

    def case_with_codice_fiscale(
        self, codice_fiscale: str, *, except_case: CaseId | None
    ) -> CaseId | None:
        """The oldest other case of the person with this code (``None`` when there is none)."""
        stmt = (
            select(CaseFileRow.id)
            .join(PersonRow, CaseFileRow.person_id == PersonRow.id)
            .where(PersonRow.codice_fiscale == codice_fiscale.strip().upper())
            .order_by(CaseFileRow.opened_at, PersonRow.num)
            .limit(1)
        )
        if except_case is not None:
            stmt = stmt.where(CaseFileRow.id != except_case)
        found = self.session.scalar(stmt)
        return CaseId(found) if found else None

    def summary(self, case_id: CaseId) -> CaseListRow | None:
        found = self.session.execute(
            select(
                CaseFileRow.id,
                PersonRow.surname,
                PersonRow.given_name,
                PersonRow.codice_fiscale,
                PersonRow.birth_date,
                PersonRow.residence_comune,
                CaseFileRow.closed_on,
                CaseFileRow.closed_reason,
            )
            .join(PersonRow, PersonRow.id == CaseFileRow.person_id)
            .where(CaseFileRow.id == case_id)
        ).one_or_none()
        if found is None:
            return None
        return CaseListRow(
            CaseId(found[0]), found[1], found[2], found[3], found[4], found[5], found[6],
            found[7] or "",
        )  # fmt: skip

    def duplicate_groups(self) -> list[DuplicateGroup]:
        """Every codice fiscale held by more than one case file, with those cases."""
        codes = (
            select(PersonRow.codice_fiscale)
            .join(CaseFileRow, CaseFileRow.person_id == PersonRow.id)
            .where(PersonRow.codice_fiscale != "")
            .group_by(PersonRow.codice_fiscale)
            .having(func.count() > 1)
        )
        rows = self.session.execute(
            select(
                CaseFileRow.id,
                PersonRow.surname,
                PersonRow.given_name,
                PersonRow.codice_fiscale,
                PersonRow.birth_date,
                PersonRow.residence_comune,
            )
            .join(PersonRow, PersonRow.id == CaseFileRow.person_id)
            .where(PersonRow.codice_fiscale.in_(codes))
            .order_by(PersonRow.codice_fiscale, CaseFileRow.opened_at, PersonRow.num)
        ).all()
        groups: dict[str, list[CaseListRow]] = {}
        for r in rows:
            groups.setdefault(r[3], []).append(
                CaseListRow(CaseId(r[0]), r[1], r[2], r[3], r[4], r[5])
            )
        return [DuplicateGroup(code, tuple(found)) for code, found in groups.items()]

    def merge_into(self, *, survivor: CaseId, duplicate: CaseId, now: datetime) -> None:
        """Move everything of ``duplicate`` to ``survivor``, fill the survivor's empty
        anagrafica fields from the duplicate's, then delete the duplicate and its person.

        Every table with a foreign key to ``case_files`` is moved (found from the metadata, so
        a section added later is not forgotten). The caller commits (one transaction)."""
        keep = self.session.get(CaseFileRow, survivor)
        gone = self.session.get(CaseFileRow, duplicate)
        if keep is None or gone is None:
            raise KeyError("case not found")
        for table, column_ in case_foreign_keys():
            self.session.execute(
                update(table).where(column_ == duplicate).values({column_.name: survivor})
            )
        kept = self.session.scalar(select(PersonRow).where(PersonRow.id == keep.person_id))
        old = self.session.scalar(select(PersonRow).where(PersonRow.id == gone.person_id))
        assert kept is not None and old is not None  # guaranteed by the foreign key
        for name in (*ANAGRAFICA_FIELDS, "birth_date", "sex"):
            if getattr(kept, name) in ("", None) and getattr(old, name) not in ("", None):
                setattr(kept, name, getattr(old, name))
        kept.sort_key = sort_key(kept.surname, kept.given_name)
        kept.updated_at = now
        self.session.delete(gone)
        self.session.flush()
        self.session.delete(old)
        self.session.flush()

    _ORDER: ClassVar[dict[CaseSort, str]] = {
        CaseSort.NAME: "p.sort_key {d}, p.num {d}",
        CaseSort.CODICE_FISCALE: "p.codice_fiscale {d}, p.num {d}",
        CaseSort.BIRTH_DATE: "p.birth_date {d}, p.sort_key {d}, p.num {d}",
        CaseSort.COMUNE: "p.residence_comune {d}, p.sort_key {d}, p.num {d}",
        # Open cases (no closing date) first when ascending, then by closing date.
        CaseSort.STATUS: "c.closed_on IS NOT NULL {d}, c.closed_on {d}, p.sort_key {d}, p.num {d}",
    }
    # Fixed SQL fragments (never user input) restricting the list to open or closed cases.
    _STATUS_WHERE: ClassVar[dict[CaseStatusFilter, str]] = {
        CaseStatusFilter.ALL: "",
        CaseStatusFilter.OPEN: "c.closed_on IS NULL",
        CaseStatusFilter.CLOSED: "c.closed_on IS NOT NULL",
    }

    def search(
        self,
        text_: str,
        *,
        sort: CaseSort,
        descending: bool,
        offset: int,
        limit: int,
        status: CaseStatusFilter = CaseStatusFilter.ALL,
    ) -> list[CaseListRow]:
        order = self._ORDER[sort].format(d="DESC" if descending else "ASC")
        query = fts_query(text_)
        where = self._STATUS_WHERE[status]
        columns = (
            "SELECT c.id, p.surname, p.given_name, p.codice_fiscale, p.birth_date, "
            "p.residence_comune, c.closed_on, c.closed_reason "
        )
        if query is None:
            sql = (
                columns
                + "FROM persons p JOIN case_files c ON c.person_id = p.id "
                + (f"WHERE {where} " if where else "")
                + f"ORDER BY {order} LIMIT :limit OFFSET :offset"
            )
            params: dict[str, object] = {"limit": limit, "offset": offset}
        else:
            sql = (
                columns + "FROM persons_fts f JOIN persons p ON p.num = f.rowid "
                "JOIN case_files c ON c.person_id = p.id WHERE persons_fts MATCH :q "
                + (f"AND {where} " if where else "")
                + f"ORDER BY {order} LIMIT :limit OFFSET :offset"
            )
            params = {"q": query, "limit": limit, "offset": offset}
        stmt = text(sql).columns(
            column("id", String),
            column("surname", String),
            column("given_name", String),
            column("codice_fiscale", String),
            column("birth_date", Date),
            column("residence_comune", String),
            column("closed_on", Date),
            column("closed_reason", String),
        )
        rows = self.session.execute(stmt, params).all()
        return [
            CaseListRow(CaseId(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "") for r in rows
        ]

    def count(self, text_: str, *, status: CaseStatusFilter = CaseStatusFilter.ALL) -> int:
        query = fts_query(text_)
        if query is None:
            stmt = select(func.count()).select_from(CaseFileRow)
            if status is CaseStatusFilter.OPEN:
                stmt = stmt.where(CaseFileRow.closed_on.is_(None))
            elif status is CaseStatusFilter.CLOSED:
                stmt = stmt.where(CaseFileRow.closed_on.is_not(None))
            return int(self.session.scalar(stmt) or 0)
        where = self._STATUS_WHERE[status]
        sql = (
            "SELECT count(*) FROM persons_fts f JOIN persons p ON p.num = f.rowid "
            "JOIN case_files c ON c.person_id = p.id WHERE persons_fts MATCH :q"
            + (f" AND {where}" if where else "")
        )
        return int(self.session.execute(text(sql), {"q": query}).scalar_one())
