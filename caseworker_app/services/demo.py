"""Fill a store with synthetic data so a newcomer can try the application at once.

People come from the pure generator in domain/demo_people.py (valid codici fiscali, plausible
households), what is recorded about them from domain/demo_casework.py; here they become case files,
and a share of them get istanze in every state with the transitions that led there. Cases with an
istanza (and a share of the others) get certifications, ISEE attestations with well-formed DSU
protocols and measures in place; their network has a caregiver. Each istanza gets a content that
fits its avviso (requests, declarations, document checklist) and is submitted inside the avviso's
window; those waiting for documents (``da_integrare``) have the ISEE promised by a date, also as a
promised document of the case. Evaluated istanze (``valutata`` and beyond) get the home visit and
the PI through the same use cases a social worker goes through (scale sheets, evaluation, PI,
graphic signatures), batched in one transaction per chunk of people (services/demo_evaluations.py).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import Certification, IseeAttestation, MeasureInPlace
from caseworker_app.domain.casefile import CaseFile, Document, HouseholdMember, LegalRole
from caseworker_app.domain.codice_fiscale import omocodic_variants
from caseworker_app.domain.comuni import comune_by_code
from caseworker_app.domain.demo_casework import (
    DemoSections,
    demo_iban,
    demo_istanza_content,
    demo_sections,
    demo_signature_png,
    demo_submission_date,
)
from caseworker_app.domain.demo_people import (
    FEMALE_NAMES,
    DemoMember,
    DemoPerson,
    demo_cap,
    generate_demo_people,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DocumentId, IstanzaId, MemberId, PersonId, new_id
from caseworker_app.domain.istanza import (
    ALLOWED,
    DEFAULT_PROTOCOL_FORMAT,
    Istanza,
    IstanzaState,
    Transition,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import (
    StoredRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from caseworker_app.services import audit_log
from caseworker_app.services.demo_evaluations import SIGNATURE_POOL, evaluate_istanze, is_evaluated
from caseworker_app.services.istanze import PROTOCOL_FORMAT_KEY, next_free_protocol
from caseworker_app.services.progress import NoProgress, Progress, step

BATCH = 2000
ISTANZA_SHARE = 0.4
#: cases without istanze that also get certifications, ISEE and measures
SECTIONS_SHARE = 0.3

S = IstanzaState
_EVALUATED = (S.BOZZA, S.PRESENTATA, S.IN_ISTRUTTORIA, S.AMMISSIBILE, S.VALUTATA, S.TRASMESSA)
_PAID = (*_EVALUATED, S.FINANZIATA, S.IN_EROGAZIONE)
_STORIES: dict[IstanzaState, tuple[IstanzaState, ...]] = {
    S.VALUTATA: _EVALUATED[:-1],
    S.TRASMESSA: _EVALUATED,
    S.AMMESSA_NON_FINANZIATA: (*_EVALUATED, S.AMMESSA_NON_FINANZIATA),
    S.FINANZIATA: _PAID,
    S.FINANZIATA_PARZIALMENTE: (*_EVALUATED, S.FINANZIATA_PARZIALMENTE, S.IN_EROGAZIONE),
    S.IN_EROGAZIONE: _PAID,
    S.SOSPESA: (*_PAID, S.SOSPESA),
    S.CESSATA: (*_PAID, S.CESSATA),
    S.CHIUSA: (*_PAID, S.CESSATA, S.CHIUSA),
}
#: the state each new demo istanza is headed for, in turn: evaluated ones early, so that even a
#: demo of a few cases has one (funded targets end in_erogazione: see demo_path)
TARGETS: tuple[IstanzaState, ...] = (
    S.BOZZA, S.VALUTATA, S.PRESENTATA, S.FINANZIATA, S.IN_ISTRUTTORIA, S.TRASMESSA,
    S.DA_INTEGRARE, S.FINANZIATA_PARZIALMENTE, S.NON_AMMISSIBILE, S.SOSPESA, S.AMMISSIBILE,
    S.AMMESSA_NON_FINANZIATA, S.CESSATA, S.IN_EROGAZIONE, S.CHIUSA,
)  # fmt: skip
#: why each step happened, as the transition records it
_REASONS: dict[IstanzaState, str] = {
    S.BOZZA: "istanza registrata allo sportello",
    S.PRESENTATA: "istanza presentata",
    S.IN_ISTRUTTORIA: "avvio dell'istruttoria",
    S.DA_INTEGRARE: "richiesta di integrazione documentale",
    S.NON_AMMISSIBILE: "requisiti non posseduti",
    S.AMMISSIBILE: "istruttoria conclusa: requisiti posseduti",
    S.VALUTATA: "valutazione sociale e Progetto Individuale firmato",
    S.TRASMESSA: "trasmessa all'Ufficio di Piano",
    S.FINANZIATA: "esito: finanziata",
    S.FINANZIATA_PARZIALMENTE: "esito: finanziata parzialmente",
    S.AMMESSA_NON_FINANZIATA: "esito: ammessa, non finanziata per esaurimento delle risorse",
    S.IN_EROGAZIONE: "avvio dell'erogazione",
    S.SOSPESA: "ricovero temporaneo",
    S.CESSATA: "rinuncia",
    S.CHIUSA: "pratica archiviata",
}


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


def demo_path(target: IstanzaState) -> list[IstanzaState]:
    """The history the demo gives an istanza that ends in ``target`` (bozza first).

    Istanze at ``valutata`` or beyond went through the istruttoria and the evaluation; those
    past ``trasmessa`` through their funding outcome, and funded ones are paid out
    (``in_erogazione``, then possibly ``sospesa``, ``cessata``, ``chiusa``): none is left
    at ``finanziata``. The other states are reached by their shortest path."""
    story = _STORIES.get(target)
    return list(story) if story is not None else path_to(target)


@dataclass(frozen=True)
class _Setting:
    """What the demo needs to know of the store it fills."""

    own_comune: str | None  # a comune installation: its istanze and case files are its own
    residences: tuple[str, ...]
    manager: str  # the operator's full name: the case manager of every PI
    existing: int  # case files already in the store (a second run draws other people)
    istanze: int  # istanze already in the store (a second run goes on with the targets)


def _setting(
    uow_factory: UnitOfWorkFactory, actor: Actor, comuni: Sequence[str] | None, today: date
) -> _Setting:
    with uow_factory() as uow:
        installation = uow.installation.get()
        operator = uow.operators.get_by_username(actor.username)
        existing = uow.cases.count("")
        istanze = len(uow.istanze.list()) if existing else 0
    own = installation.comune if installation.role == "comune" else None
    if comuni is None:
        if own is not None:
            comuni = [own]
        else:
            members = get_ambito(installation.ambito).comuni
            comuni = [c.code for c in members if comune_by_code(c.code, on=today) is not None]
    manager = operator.signature_name if operator is not None else actor.username
    return _Setting(own, tuple(comuni), manager, existing, istanze)


def _resident_of(person: DemoPerson, comune: str) -> DemoPerson:
    """The person living in ``comune`` (the codice fiscale does not depend on residence)."""
    a = person.anagrafica
    if a.residence_comune == comune:
        return person
    place = comune_by_code(comune)
    cap = demo_cap(place) if place is not None else a.residence_cap
    moved = replace(a, residence_comune=comune, residence_cap=cap)
    if a.domicile_comune == comune:
        moved = replace(moved, domicile_address="", domicile_comune="", domicile_cap="")
    return replace(person, anagrafica=moved)


def _not_taken(uow: UnitOfWork, person: DemoPerson, used: set[str]) -> DemoPerson:
    """The person with a codice fiscale no case of the store has (omocodia on a collision)."""
    code = person.anagrafica.codice_fiscale
    for candidate in (code, *omocodic_variants(code)):
        if candidate not in used and not uow.cases.codice_fiscale_taken(
            candidate, except_case=None
        ):
            used.add(candidate)
            if candidate == code:
                return person
            return replace(person, anagrafica=replace(person.anagrafica, codice_fiscale=candidate))
    return person  # every variant taken: cannot happen with the generator's people


def load_demo(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    n: int,
    seed: int,
    avvisi: Sequence[str],
    now: datetime,
    comuni: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> int:
    """Create ``n`` synthetic case files; return how many istanze were created.

    ``comuni``: where the people live (default: the installation's comune, or every comune
    of a capofila's ambito). On a comune installation every case file and istanza is that
    comune's, and the people with an istanza are its residents. Istanze at ``valutata`` or
    beyond get, through the same use cases a social worker goes through, the closed ADL (and,
    for adults, IADL) sheets of the home visit, the social evaluation, and a PI prefilled from
    the case and signed with graphic signatures. Running it again on the same store adds other
    people (and continues the protocol numbering)."""
    if not (actor.can(Permission.EDIT_CASES) and actor.can(Permission.READ_HEALTH)):
        # a capofila's first operator (the Ufficio di Piano) does not handle case files
        raise UserFacingError("auth.demo_needs_case_operator", operator=actor.username)
    progress = progress or NoProgress()
    setting = _setting(uow_factory, actor, comuni, now.date())
    # a second run on the same store draws other people
    run_seed = seed if not setting.existing else seed * 1_000_003 + setting.existing
    people = generate_demo_people(n, seed=run_seed, comuni=setting.residences, today=now.date())
    rng = random.Random(run_seed)
    extra = random.Random(run_seed * 7919 + 17)  # sections and contents: people stay the same
    visits = random.Random(run_seed * 104_729 + 3)  # answers, evaluations, signatures
    pad = [demo_signature_png(visits) for _ in range(SIGNATURE_POOL)]
    manager_png = demo_signature_png(random.Random(setting.manager))
    definitions = {avviso_id: get_avviso(avviso_id) for avviso_id in avvisi}
    istanze_made = 0
    used: set[str] = set()
    for start in range(0, len(people), BATCH):
        step(progress, start, len(people))
        chunk = people[start : start + BATCH]
        cases: list[CaseFile] = []
        istanze: list[tuple[Istanza, list[Transition]]] = []
        records: list[StoredRecord] = []
        contents: list[tuple[IstanzaId, dict[str, object]]] = []
        promised: list[Document] = []
        evaluated: list[tuple[Istanza, CaseFile, list[Transition]]] = []
        with uow_factory() as uow:
            for person in chunk:
                if setting.existing:
                    person = _not_taken(uow, person, used)
                opened = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 600))
                avviso = definitions[rng.choice(list(avvisi))] if avvisi else None
                wanted = avviso is not None and rng.random() < ISTANZA_SHARE
                target = TARGETS[(setting.istanze + istanze_made) % len(TARGETS)]
                path = demo_path(target)
                gaps = [extra.randint(2, 20) for _ in path[2:]]
                latest = (now - timedelta(days=sum(gaps) + 1)).date()
                day = None
                if wanted and avviso is not None:
                    fallback = (opened + timedelta(days=2)).date()
                    day = demo_submission_date(extra, avviso, latest=latest, fallback=fallback)
                if avviso is None or day is None:
                    comune = setting.own_comune or person.anagrafica.residence_comune
                    case = _case_of(person, comune=comune, at=opened, operator=actor.username)
                    cases.append(case)
                    if extra.random() < SECTIONS_SHARE:
                        born = person.anagrafica.birth_date or now.date()
                        sections = demo_sections(extra, born, today=opened.date())
                        records += _records(case.id, sections, at=opened, operator=actor.username)
                    continue
                submitted = datetime.combine(day, time(9)) + timedelta(
                    minutes=extra.randint(0, 480)
                )
                opened = min(opened, submitted - timedelta(days=extra.randint(5, 400)))
                person = _with_caregiver(person, extra)
                if setting.own_comune is not None:
                    person = _resident_of(person, setting.own_comune)
                comune = setting.own_comune or person.anagrafica.residence_comune
                case = _case_of(person, comune=comune, at=opened, operator=actor.username)
                cases.append(case)
                born = person.anagrafica.birth_date or day
                sections = demo_sections(extra, born, today=day)
                records += _records(case.id, sections, at=opened, operator=actor.username)
                istanza, transitions = _istanza_for(
                    case, avviso.id, path, submitted, gaps, actor.username, uow
                )
                istanze.append((istanza, transitions))
                if is_evaluated(path):
                    evaluated.append((istanza, case, transitions))
                waiting = target is IstanzaState.DA_INTEGRARE
                content = demo_istanza_content(extra, avviso, submitted=day, promise_isee=waiting)
                # a draft is a paper istanza being registered: it bears the day it was received;
                # the contribution is paid to the beneficiary's own (synthetic) account
                a = person.anagrafica
                content = replace(
                    content,
                    presented_on=day,
                    iban=demo_iban(a.codice_fiscale),
                    iban_holder=f"{a.given_name} {a.surname}".strip(),
                )
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
            uow.cases.add_many(cases, now=now)
            uow.istanze.add_many(istanze, now=now)
            uow.istanze.save_contents(contents, now=now)
            uow.records.put_many(records)
            for doc in promised:
                uow.documents.save(doc)
            evaluate_istanze(uow, actor=actor, evaluated=evaluated, rng=visits,
                             manager=setting.manager, pad=pad, manager_png=manager_png)  # fmt: skip
            uow.commit()
    with uow_factory() as uow:
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
    gaps: Sequence[int],
    operator: str,
    uow: UnitOfWork,
) -> tuple[Istanza, list[Transition]]:
    """The istanza and its history: drafted three days before ``submitted_at``, submitted
    then with the next protocol of the comune's sequence for that year (as a real submission
    takes it), each later step ``gaps`` days after the one before."""
    istanza_id = IstanzaId(new_id())
    protocol: str | None = None
    submitted: datetime | None = None
    transitions: list[Transition] = []
    previous: IstanzaState | None = None
    at = submitted_at - timedelta(days=3)
    later = iter(gaps)
    template = uow.settings.get(PROTOCOL_FORMAT_KEY) or DEFAULT_PROTOCOL_FORMAT
    for state in path:
        if state is IstanzaState.PRESENTATA:
            at = submitted_at
            protocol = next_free_protocol(uow, comune=case.comune, year=at.year, template=template)
            submitted = at
        elif previous is not None:
            at = at + timedelta(days=next(later, 1), minutes=(len(transitions) * 37) % 120)
        transitions.append(Transition(istanza_id, previous, state, at, operator,
                                      _REASONS.get(state, "dati dimostrativi")))  # fmt: skip
        previous = state
    target = path[-1]
    istanza = Istanza(istanza_id, case.id, case.comune, avviso, target, protocol, submitted)
    return istanza, transitions
