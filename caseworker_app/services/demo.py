"""Fill a store with synthetic data so a newcomer can try the application at once.

People come from the pure generator in domain/demo_people.py (valid codici fiscali, plausible
households); here they become case files, and a share of them get istanze in every state with the
transitions that led there.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.casefile import CaseFile, HouseholdMember, LegalRole
from caseworker_app.domain.demo_people import DemoPerson, generate_demo_people
from caseworker_app.domain.ids import CaseId, IstanzaId, MemberId, PersonId, new_id
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
from caseworker_app.services.ports import UnitOfWorkFactory
from caseworker_app.services.progress import NoProgress, Progress, step

BATCH = 2000
ISTANZA_SHARE = 0.4


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
    states = list(IstanzaState)
    istanze_made = 0
    sequence: dict[tuple[str, int], int] = {}
    for start in range(0, len(people), BATCH):
        step(progress, start, len(people))
        chunk = people[start : start + BATCH]
        cases: list[CaseFile] = []
        istanze: list[tuple[Istanza, list[Transition]]] = []
        for person in chunk:
            comune = person.anagrafica.residence_comune
            opened = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 600))
            case = _case_of(person, comune=comune, at=opened, operator=actor.username)
            cases.append(case)
            if avvisi and rng.random() < ISTANZA_SHARE:
                target = states[istanze_made % len(states)]
                istanze.append(
                    _istanza_for(
                        case, rng.choice(list(avvisi)), target, opened, actor.username, sequence
                    )
                )
                istanze_made += 1
        with uow_factory() as uow:
            uow.cases.add_many(cases, now=now)
            uow.istanze.add_many(istanze, now=now)
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
    target: IstanzaState,
    opened: datetime,
    operator: str,
    sequence: dict[tuple[str, int], int],
) -> tuple[Istanza, list[Transition]]:
    istanza_id = IstanzaId(new_id())
    path = path_to(target)
    at = opened
    protocol: str | None = None
    submitted: datetime | None = None
    transitions: list[Transition] = []
    previous: IstanzaState | None = None
    for state in path:
        at = at + timedelta(days=1)
        if state is IstanzaState.PRESENTATA:
            key = (case.comune, at.year)
            sequence[key] = sequence.get(key, 0) + 1
            protocol = format_protocol(
                DEFAULT_PROTOCOL_FORMAT, comune=case.comune, year=at.year, number=sequence[key]
            )
            submitted = at
        transitions.append(
            Transition(istanza_id, previous, state, at, operator, "dati dimostrativi")
        )
        previous = state
    istanza = Istanza(istanza_id, case.id, case.comune, avviso, target, protocol, submitted)
    return istanza, transitions
