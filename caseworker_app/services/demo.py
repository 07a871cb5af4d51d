"""Fill a store with synthetic data so a newcomer can try the application at once.

People come from the pure generator in domain/demo_people.py (valid codici fiscali, plausible
households); here they become case files, and a share of them get istanze in every state with the
transitions that led there. Cases with an istanza (and a share of the others) get certifications,
ISEE attestations with well-formed DSU protocols and measures in place; their network has a
caregiver. Each istanza gets a content that fits its avviso (requests, declarations, document
checklist) and is submitted inside the avviso's window; those waiting for documents
(``da_integrare``) have the ISEE promised by a date, also as a promised document of the case.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import Certification, IseeAttestation, MeasureInPlace
from caseworker_app.domain.casefile import CaseFile, Document, HouseholdMember, LegalRole
from caseworker_app.domain.demo_people import (
    FEMALE_NAMES,
    DemoMember,
    DemoPerson,
    DemoSections,
    demo_istanza_content,
    demo_sections,
    demo_submission_date,
    generate_demo_people,
)
from caseworker_app.domain.ids import CaseId, DocumentId, IstanzaId, MemberId, PersonId, new_id
from caseworker_app.domain.istanza import (
    ALLOWED,
    DEFAULT_PROTOCOL_FORMAT,
    Istanza,
    IstanzaState,
    Transition,
    format_protocol,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.services import audit_log
from caseworker_app.services.ports import StoredRecord, UnitOfWorkFactory
from caseworker_app.services.progress import NoProgress, Progress, step

BATCH = 2000
ISTANZA_SHARE = 0.4
#: cases without istanze that also get certifications, ISEE and measures
SECTIONS_SHARE = 0.3


def path_to(target: IstanzaState) -> list[IstanzaState]:
    """The shortest sequence of states from bozza to ``target`` (inclusive)."""
    start = IstanzaState.BOZZA
    previous: dict[IstanzaState, IstanzaState | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state is target:
            break
        for nxt in sorted(ALLOWED[state], key=lambda s: s.value):
            if nxt not in previous:
                previous[nxt] = state
                queue.append(nxt)
    path: list[IstanzaState] = []
    node: IstanzaState | None = target
    while node is not None:
        path.append(node)
        node = previous[node]
    return list(reversed(path))


def _with_caregiver(person: DemoPerson, rng: random.Random) -> DemoPerson:
    """The person with a caregiver in the network: a member already there, or a daughter."""
    members = list(person.household)
    if any(m.is_caregiver for m in members):
        return person
    if members:
        m = members[0]
        hours = rng.randint(20, 60) if m.cohabiting else rng.randint(6, 25)
        members[0] = replace(m, is_caregiver=True, care_hours_week=hours)
    else:
        members.append(DemoMember(person.anagrafica.surname, rng.choice(FEMALE_NAMES), "figlia",
                                  False, True, rng.randint(6, 25), None))  # fmt: skip
    return replace(person, household=tuple(members))


def _records(
    case_id: CaseId, sections: DemoSections, *, at: datetime, operator: str
) -> list[StoredRecord]:
    items: list[Certification | IseeAttestation | MeasureInPlace] = [
        *sections.certifications,
        *sections.isee,
        *sections.measures,
    ]
    return [
        StoredRecord(new_id(), case_id, item.KIND, item.to_data(), at, operator) for item in items
    ]


def _case_of(person: DemoPerson, *, comune: str, at: datetime, operator: str) -> CaseFile:
    members = tuple(
        HouseholdMember(
            id=MemberId(new_id()),
            surname=m.surname,
            given_name=m.given_name,
            relationship=m.relationship,
            cohabiting=m.cohabiting,
            is_caregiver=m.is_caregiver,
            care_hours_week=m.care_hours_week,
            legal_role=LegalRole(m.legal_role) if m.legal_role else None,
        )
        for m in person.household
    )
    return CaseFile(
        CaseId(new_id()), PersonId(new_id()), comune, at, operator, person.anagrafica, members
    )


def load_demo(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    n: int,
    seed: int,
    comuni: Sequence[str],
    avvisi: Sequence[str],
    now: datetime,
    progress: Progress | None = None,
) -> int:
    """Create ``n`` synthetic case files; return how many istanze were created."""
    actor.require(Permission.EDIT_CASES)
    progress = progress or NoProgress()
    people = generate_demo_people(n, seed=seed, comuni=comuni, today=now.date())
    rng = random.Random(seed)
    extra = random.Random(seed * 7919 + 17)  # sections and contents: people stay the same
    definitions = {avviso_id: get_avviso(avviso_id) for avviso_id in avvisi}
    states = list(IstanzaState)
    istanze_made = 0
    sequence: dict[tuple[str, int], int] = {}
    for start in range(0, len(people), BATCH):
        step(progress, start, len(people))
        chunk = people[start : start + BATCH]
        cases: list[CaseFile] = []
        istanze: list[tuple[Istanza, list[Transition]]] = []
        records: list[StoredRecord] = []
        contents: list[tuple[IstanzaId, dict[str, object]]] = []
        promised: list[Document] = []
        for person in chunk:
            comune = person.anagrafica.residence_comune
            opened = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 600))
            if not (avvisi and rng.random() < ISTANZA_SHARE):
                case = _case_of(person, comune=comune, at=opened, operator=actor.username)
                cases.append(case)
                if extra.random() < SECTIONS_SHARE:
                    born = person.anagrafica.birth_date or now.date()
                    sections = demo_sections(extra, born, today=opened.date())
                    records += _records(case.id, sections, at=opened, operator=actor.username)
                continue
            avviso = definitions[rng.choice(list(avvisi))]
            target = states[istanze_made % len(states)]
            path = path_to(target)
            latest = (now - timedelta(days=len(path) + 1)).date()
            day = demo_submission_date(extra, avviso, latest=latest,
                                       fallback=(opened + timedelta(days=2)).date())  # fmt: skip
            submitted = datetime.combine(day, time(9)) + timedelta(minutes=extra.randint(0, 480))
            opened = min(opened, submitted - timedelta(days=extra.randint(5, 400)))
            person = _with_caregiver(person, extra)
            case = _case_of(person, comune=comune, at=opened, operator=actor.username)
            cases.append(case)
            born = person.anagrafica.birth_date or day
            sections = demo_sections(extra, born, today=day)
            records += _records(case.id, sections, at=opened, operator=actor.username)
            istanza, transitions = _istanza_for(
                case, avviso.id, path, submitted, actor.username, sequence
            )
            istanze.append((istanza, transitions))
            waiting = target is IstanzaState.DA_INTEGRARE
            content = demo_istanza_content(extra, avviso, submitted=day, promise_isee=waiting)
            # a draft is a paper istanza being registered: it bears the day it was received
            content = replace(content, presented_on=day)
            contents.append((istanza.id, content.to_data()))
            promised += [
                Document(
                    DocumentId(new_id()),
                    case.id,
                    check.code,
                    promised_by=check.promised_by,
                    istanza_id=istanza.id,
                    created_at=submitted,
                    created_by=actor.username,
                )
                for check in content.documents
                if check.promised_by is not None
            ]
            istanze_made += 1
        with uow_factory() as uow:
            uow.cases.add_many(cases, now=now)
            uow.istanze.add_many(istanze, now=now)
            uow.istanze.save_contents(contents, now=now)
            uow.records.put_many(records)
            for doc in promised:
                uow.documents.save(doc)
            uow.commit()
    with uow_factory() as uow:
        # the numbers used here are taken: real submissions continue the sequence after them
        for (comune, year), last in sorted(sequence.items()):
            uow.istanze.reserve_protocols(comune, year, last)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.IMPORT,
            entity_type="demo_data",
            entity_id=f"{n}",
            at=now,
        )
        uow.commit()
    step(progress, len(people), len(people))
    return istanze_made


def _istanza_for(
    case: CaseFile,
    avviso: str,
    path: list[IstanzaState],
    submitted_at: datetime,
    operator: str,
    sequence: dict[tuple[str, int], int],
) -> tuple[Istanza, list[Transition]]:
    """The istanza and its history: drafted three days before ``submitted_at``, submitted
    then (protocol of that year), one step a day after."""
    istanza_id = IstanzaId(new_id())
    protocol: str | None = None
    submitted: datetime | None = None
    transitions: list[Transition] = []
    previous: IstanzaState | None = None
    at = submitted_at - timedelta(days=3)
    for state in path:
        if state is IstanzaState.PRESENTATA:
            at = submitted_at
            key = (case.comune, at.year)
            sequence[key] = sequence.get(key, 0) + 1
            protocol = format_protocol(
                DEFAULT_PROTOCOL_FORMAT, comune=case.comune, year=at.year, number=sequence[key]
            )
            submitted = at
        elif previous is not None:
            at = at + timedelta(days=1)
        transitions.append(
            Transition(istanza_id, previous, state, at, operator, "dati dimostrativi")
        )
        previous = state
    target = path[-1]
    istanza = Istanza(istanza_id, case.id, case.comune, avviso, target, protocol, submitted)
    return istanza, transitions
