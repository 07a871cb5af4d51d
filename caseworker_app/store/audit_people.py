"""Who an audit event concerns: from the entity's id to its case file and person, in batches.

The audit log keeps ids only; the Registro attività shows the person at display time. A page of
events is resolved with one query per kind of entity (per chunk of ids), never one per event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from caseworker_app.ports.storage import ConcernedPerson
from caseworker_app.store.models import (
    AssessmentRow,
    CaseFileRow,
    CaseRecordRow,
    DiaryEntryRow,
    DocumentRow,
    HouseholdMemberRow,
    IstanzaRow,
    PersonRow,
    PiSignatureRow,
    PiVersionRow,
)

#: ids per IN (…) list: well below SQLite's limit on bound parameters
CHUNK = 500

#: entity types whose id is the case file's own id
_CASE_TYPES = frozenset({"case_file", "evaluation", "assessments"})
#: entity types whose id is an istanza's id
_ISTANZA_TYPES = frozenset({"istanza", "privacy_notice"})
#: entity types kept in a table with a ``case_id`` column
_CHILD_TABLES: dict[str, Any] = {
    "assessment": AssessmentRow,
    "case_record": CaseRecordRow,
    "isee": CaseRecordRow,
    "document": DocumentRow,
    "diary_entry": DiaryEntryRow,
    "household_member": HouseholdMemberRow,
}


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _case_query(entity_type: str, ids: Sequence[str]) -> Select[str, str] | None:
    """``(entity id, case id)`` rows for the ids of one entity type, None for other types."""
    if entity_type in _ISTANZA_TYPES:
        return select(IstanzaRow.id, IstanzaRow.case_id).where(IstanzaRow.id.in_(ids))
    if entity_type == "pi_version":
        return (
            select(PiVersionRow.id, IstanzaRow.case_id)
            .join(IstanzaRow, IstanzaRow.id == PiVersionRow.istanza_id)
            .where(PiVersionRow.id.in_(ids))
        )
    if entity_type == "pi_signature":
        return (
            select(PiSignatureRow.id, IstanzaRow.case_id)
            .join(PiVersionRow, PiVersionRow.id == PiSignatureRow.pi_version_id)
            .join(IstanzaRow, IstanzaRow.id == PiVersionRow.istanza_id)
            .where(PiSignatureRow.id.in_(ids))
        )
    table = _CHILD_TABLES.get(entity_type)
    if table is None:
        return None
    return select(table.id, table.case_id).where(table.id.in_(ids))


def _case_ids(session: Session, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The case file of each ``(entity type, entity id)`` that belongs to one."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for entity_type, entity_id in refs:
        by_type[entity_type].add(entity_id)
    found: dict[tuple[str, str], str] = {}
    for entity_type, id_set in by_type.items():
        ids = sorted(id_set)
        if entity_type in _CASE_TYPES:
            found.update(((entity_type, i), i) for i in ids)
            continue
        for chunk in _chunks(ids):
            query = _case_query(entity_type, chunk)
            if query is None:
                break
            found.update(((entity_type, eid), cid) for eid, cid in session.execute(query))
    return found


def concerned_people(
    session: Session, refs: Collection[tuple[str, str]]
) -> dict[tuple[str, str], ConcernedPerson]:
    """The person each ``(entity type, entity id)`` concerns; refs of nobody are left out."""
    case_of = _case_ids(session, refs)
    case_ids = sorted(set(case_of.values()))
    people: dict[str, ConcernedPerson] = {}
    for chunk in _chunks(case_ids):
        rows = session.execute(
            select(CaseFileRow.id, PersonRow.surname, PersonRow.given_name,
                   PersonRow.codice_fiscale)
            .join(PersonRow, PersonRow.id == CaseFileRow.person_id)
            .where(CaseFileRow.id.in_(chunk))
        )  # fmt: skip
        for case_id, surname, given_name, codice_fiscale in rows:
            people[case_id] = ConcernedPerson(case_id, surname, given_name, codice_fiscale)
    return {ref: people[cid] for ref, cid in case_of.items() if cid in people}
