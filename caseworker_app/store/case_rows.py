"""Persons, case files and household members: their rows mapped to domain objects and back."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Column, Table

from caseworker_app.domain.casefile import (
    CaseClosure,
    ClosureReason,
    HouseholdMember,
    LegalRole,
    MemberKind,
)
from caseworker_app.domain.ids import MemberId
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.text import fold
from caseworker_app.store.models import Base, CaseFileRow, HouseholdMemberRow, PersonRow

ANAGRAFICA_FIELDS = (
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


def sort_key(surname: str, given_name: str) -> str:
    return f"{fold(surname)}\x1f{fold(given_name)}"


def apply_anagrafica(row: PersonRow, a: Anagrafica) -> None:
    for name in ANAGRAFICA_FIELDS:
        setattr(row, name, getattr(a, name))
    row.codice_fiscale = a.codice_fiscale.strip().upper()
    row.birth_date = a.birth_date
    row.sex = a.sex.value if a.sex else None
    row.sort_key = sort_key(a.surname, a.given_name)


def anagrafica_of(row: PersonRow) -> Anagrafica:
    values = {name: getattr(row, name) for name in ANAGRAFICA_FIELDS}
    return Anagrafica(birth_date=row.birth_date, sex=Sex(row.sex) if row.sex else None, **values)


def closure_of(row: CaseFileRow) -> CaseClosure | None:
    if row.closed_on is None:
        return None
    try:
        reason = ClosureReason(row.closed_reason)
    except ValueError:  # a reason this version does not know: still closed
        reason = ClosureReason.NON_SEGUITO
    return CaseClosure(row.closed_on, reason, row.closed_note or "")


def case_foreign_keys() -> list[tuple[Table, Column[object]]]:
    """Every (table, column) with a foreign key to ``case_files`` (but case_files itself)."""
    found: list[tuple[Table, Column[object]]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == CaseFileRow.__tablename__ and table.name != "case_files":
                found.append((table, cast("Column[object]", fk.parent)))
    return found


def member_values(case_id: str, member: HouseholdMember) -> dict[str, object]:
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


def member_of(m: HouseholdMemberRow) -> HouseholdMember:
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
