"""SQLAlchemy repositories: map rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime, time
from typing import ClassVar, cast

from sqlalchemy import (
    Column,
    Date,
    String,
    Table,
    column,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from caseworker_app.domain.audit import GENESIS_HASH, AuditEntry, AuditEvent, chain
from caseworker_app.domain.casefile import (
    CaseClosure,
    CaseFile,
    CaseListRow,
    CaseSort,
    CaseStatusFilter,
    ClosureReason,
    DuplicateGroup,
    HouseholdMember,
    LegalRole,
    MemberKind,
)
from caseworker_app.domain.ids import CaseId, MemberId, OperatorId, PersonId
from caseworker_app.domain.operator import Operator
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import format_roles, parse_roles
from caseworker_app.domain.text import fold
from caseworker_app.services.ports import AuditFilter, ConcernedPerson, Installation
from caseworker_app.store.audit_people import concerned_people
from caseworker_app.store.models import (
    AuditEventRow,
    Base,
    CaseFileRow,
    HouseholdMemberRow,
    InstallationRow,
    OperatorRow,
    PersonRow,
    SettingRow,
)

_ANAGRAFICA_FIELDS = (
    "codice_fiscale",
    "surname",
    "given_name",
    "birth_place_code",
    "citizenship",
    "residence_address",
    "residence_comune",
    "residence_cap",
    "domicile_address",
    "domicile_comune",
    "domicile_cap",
    "phone",
    "email",
)


def core_table(model: type[Base]) -> Table:
    """The Core table of a model, for bulk executemany inserts (one statement, many rows)."""
    return cast(Table, model.__table__)


def _sort_key(surname: str, given_name: str) -> str:
    return f"{fold(surname)}\x1f{fold(given_name)}"


def fts_query(typed: str) -> str | None:
    """A safe FTS5 prefix query from what the user typed: every word must match a prefix."""
    tokens = fold(typed).split()
    if not tokens:
        return None
    return " AND ".join(f'"{token}"*' for token in tokens)


def _apply_anagrafica(row: PersonRow, a: Anagrafica) -> None:
    for name in _ANAGRAFICA_FIELDS:
        setattr(row, name, getattr(a, name))
    row.codice_fiscale = a.codice_fiscale.strip().upper()
    row.birth_date = a.birth_date
    row.sex = a.sex.value if a.sex else None
    row.sort_key = _sort_key(a.surname, a.given_name)


def _anagrafica_of(row: PersonRow) -> Anagrafica:
    values = {name: getattr(row, name) for name in _ANAGRAFICA_FIELDS}
    return Anagrafica(birth_date=row.birth_date, sex=Sex(row.sex) if row.sex else None, **values)


def _closure_of(row: CaseFileRow) -> CaseClosure | None:
    if row.closed_on is None:
        return None
    try:
        reason = ClosureReason(row.closed_reason)
    except ValueError:  # a reason this version does not know: still closed
        reason = ClosureReason.NON_SEGUITO
    return CaseClosure(row.closed_on, reason, row.closed_note or "")


def _case_foreign_keys() -> list[tuple[Table, Column[object]]]:
    """Every (table, column) with a foreign key to ``case_files`` (but case_files itself)."""
    found: list[tuple[Table, Column[object]]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == CaseFileRow.__tablename__ and table.name != "case_files":
                found.append((table, cast("Column[object]", fk.parent)))
    return found


def _member_values(case_id: str, member: HouseholdMember) -> dict[str, object]:
    return {
        "id": member.id,
        "case_id": case_id,
        "surname": member.surname,
        "given_name": member.given_name,
        "codice_fiscale": member.codice_fiscale,
        "relationship": member.relationship,
        "cohabiting": member.cohabiting,
        "is_caregiver": member.is_caregiver,
        "care_hours_week": member.care_hours_week,
        "legal_role": member.legal_role.value if member.legal_role else None,
        "decree_number": member.decree_number,
        "court": member.court,
        "member_kind": member.member_kind.value,
        "phone": member.phone,
        "contract_type": member.contract_type,
        "contract_from": member.contract_from,
        "contract_to": member.contract_to,
        "weekly_hours": member.weekly_hours,
        "ccnl_level": member.ccnl_level,
        "registered_lr15": member.registered_lr15,
    }


def _member_of(m: HouseholdMemberRow) -> HouseholdMember:
    return HouseholdMember(
        id=MemberId(m.id), surname=m.surname, given_name=m.given_name,
        relationship=m.relationship, codice_fiscale=m.codice_fiscale, cohabiting=m.cohabiting,
        is_caregiver=m.is_caregiver, care_hours_week=m.care_hours_week,
        legal_role=LegalRole(m.legal_role) if m.legal_role else None,
        decree_number=m.decree_number, court=m.court, member_kind=MemberKind(m.member_kind),
        phone=m.phone, contract_type=m.contract_type, contract_from=m.contract_from,
        contract_to=m.contract_to, weekly_hours=m.weekly_hours, ccnl_level=m.ccnl_level,
        registered_lr15=m.registered_lr15,
    )  # fmt: skip


class SqlOperatorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, operator: Operator, password_hash: str) -> None:
        self.session.add(
            OperatorRow(
                id=operator.id,
                username=operator.username,
                full_name=operator.full_name,
                qualifica=operator.qualifica,
                roles=format_roles(operator.roles),
                password_hash=password_hash,
                active=operator.active,
                created_at=operator.created_at,
            )
        )

    def _row(self, username: str) -> OperatorRow | None:
        return self.session.scalar(
            select(OperatorRow).where(func.lower(OperatorRow.username) == username.casefold())
        )

    @staticmethod
    def _to_domain(row: OperatorRow) -> Operator:
        return Operator(
            OperatorId(row.id),
            row.username,
            row.full_name,
            parse_roles(row.roles),
            row.active,
            row.created_at,
            row.qualifica or "",
        )

    def get_by_username(self, username: str) -> Operator | None:
        row = self._row(username)
        return self._to_domain(row) if row else None

    def password_hash(self, username: str) -> str | None:
        row = self._row(username)
        return row.password_hash if row else None

    def set_password_hash(self, username: str, password_hash: str) -> None:
        row = self._row(username)
        if row is not None:
            row.password_hash = password_hash

    def set_active(self, username: str, active: bool) -> None:
        row = self._row(username)
        if row is not None:
            row.active = active

    def set_details(self, username: str, *, full_name: str, qualifica: str) -> None:
        row = self._row(username)
        if row is not None:
            row.full_name = full_name
            row.qualifica = qualifica

    def list(self) -> list[Operator]:
        rows = self.session.scalars(select(OperatorRow).order_by(OperatorRow.username))
        return [self._to_domain(r) for r in rows]


class SqlCaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, case: CaseFile, *, now: datetime) -> None:
        person = PersonRow(id=case.person_id, created_at=now, updated_at=now)
        _apply_anagrafica(person, case.anagrafica)
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
            _apply_anagrafica(row, case.anagrafica)
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
            members.extend(_member_values(case.id, m) for m in case.household)
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
        household = tuple(_member_of(m) for m in members)
        return CaseFile(
            CaseId(case_row.id),
            PersonId(person_row.id),
            case_row.comune,
            case_row.opened_at,
            case_row.opened_by,
            _anagrafica_of(person_row),
            household,
            _closure_of(case_row),
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
        for table, column_ in _case_foreign_keys():
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
        _apply_anagrafica(row, anagrafica)
        row.updated_at = now

    def add_member(self, case_id: CaseId, member: HouseholdMember) -> None:
        self.session.add(HouseholdMemberRow(**_member_values(case_id, member)))

    def save_member(self, case_id: CaseId, member: HouseholdMember) -> None:
        """Insert or update one member of the network."""
        row = self.session.get(HouseholdMemberRow, member.id)
        if row is None:
            self.add_member(case_id, member)
            return
        if row.case_id != case_id:
            raise KeyError("member of another case")
        for key, value in _member_values(case_id, member).items():
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
        for table, column_ in _case_foreign_keys():
            self.session.execute(
                update(table).where(column_ == duplicate).values({column_.name: survivor})
            )
        kept = self.session.scalar(select(PersonRow).where(PersonRow.id == keep.person_id))
        old = self.session.scalar(select(PersonRow).where(PersonRow.id == gone.person_id))
        assert kept is not None and old is not None  # guaranteed by the foreign key
        for name in (*_ANAGRAFICA_FIELDS, "birth_date", "sex"):
            if getattr(kept, name) in ("", None) and getattr(old, name) not in ("", None):
                setattr(kept, name, getattr(old, name))
        kept.sort_key = _sort_key(kept.surname, kept.given_name)
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


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(SettingRow, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        row = self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=value))
        else:
            row.value = value


class SqlInstallationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self) -> Installation:
        row = self.session.get(InstallationRow, 1)
        if row is None:
            raise LookupError("installation not initialised")
        return Installation(row.store_id, row.role, row.ambito, row.comune, row.created_at)

    def create(self, installation: Installation) -> None:
        self.session.add(
            InstallationRow(
                id=1,
                store_id=installation.store_id,
                role=installation.role,
                ambito=installation.ambito,
                comune=installation.comune,
                created_at=installation.created_at,
            )
        )
