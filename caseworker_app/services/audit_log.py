"""Use cases on the audit log: record, verify, browse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from caseworker_app.domain.audit import (
    CONTENT_ENTITY_TYPES,
    AuditAction,
    AuditEntry,
    AuditEvent,
    AuditHead,
    ChainProblem,
    anchor_problem,
    content_hash_version,
    verify_chain,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import AuditFilter, ConcernedPerson, UnitOfWork


def record(
    uow: UnitOfWork,
    *,
    actor: Actor | str,
    action: AuditAction,
    entity_type: str,
    entity_id: str,
    at: datetime,
) -> AuditEvent:
    """Append one event inside the caller's transaction (the caller commits)."""
    who = actor if isinstance(actor, str) else actor.username
    return uow.audit.append(AuditEntry(at, who, action, entity_type, entity_id))


@dataclass(frozen=True)
class AuditVerdict:
    events: int
    problems: tuple[ChainProblem, ...]
    #: the last event (to be written down and checked later); None for an empty log
    head: AuditHead | None = None
    #: the head written down that was checked (None: none given)
    anchor: AuditHead | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def anchor_holds(self) -> bool | None:
        """Whether the chain still holds the anchor; None when no anchor was given."""
        if self.anchor is None:
            return None
        return not any(p.kind == "anchor_missing" for p in self.problems)


@dataclass
class _Walk:
    """What one pass over the chain keeps: the count, the last event, and the latest content
    hash of each entity kept in a row (by type, then id; None when the latest event has none)."""

    count: int = 0
    last: AuditEvent | None = None
    latest: dict[str, dict[str, tuple[int, str | None]]] = field(default_factory=dict)

    def over(
        self, events: Iterable[AuditEvent], entity_types: frozenset[str]
    ) -> Iterator[AuditEvent]:
        for event in events:
            self.count += 1
            self.last = event
            if event.entity_type in entity_types:
                of_type = self.latest.setdefault(event.entity_type, {})
                of_type[event.entity_id] = (event.seq, event.content_hash)
            yield event


def _content_problems(uow: UnitOfWork, walk: _Walk) -> list[ChainProblem]:
    """A ``content_changed`` problem (with the seq of the entity's latest event) for each row
    that no longer matches the content hash of its latest event: one batched query per type
    and version."""
    problems: list[ChainProblem] = []
    for entity_type, latest in walk.latest.items():
        by_version: dict[str, dict[str, tuple[int, str]]] = {}
        for entity_id, (seq, digest) in latest.items():
            if digest is not None:
                version = content_hash_version(digest)
                by_version.setdefault(version, {})[entity_id] = (seq, digest)
        for version, wanted in by_version.items():
            try:
                current = uow.audit.content_hashes(
                    list(wanted), entity_type=entity_type, version=version
                )
            except KeyError:  # a version this application does not know: cannot be checked
                continue
            problems.extend(
                ChainProblem(seq, "content_changed")
                for entity_id, (seq, digest) in wanted.items()
                if current.get(entity_id) != digest
            )
    return problems


def verify_audit(uow: UnitOfWork, anchor: AuditHead | None = None) -> AuditVerdict:
    """Walk the chain once: its links and hashes, the rows whose content changed outside the
    application since their latest event, and (``anchor``) whether the head written down
    earlier is still in the chain with the same hash."""
    with uow:
        walk = _Walk()
        problems = verify_chain(walk.over(uow.audit.iterate(), CONTENT_ENTITY_TYPES))
        problems.extend(_content_problems(uow, walk))
        problems.sort(key=lambda p: p.seq)
        if anchor is not None:
            missing = anchor_problem(uow.audit.at_seq, anchor)
            if missing is not None:
                problems.append(missing)
        head = AuditHead(walk.last.seq, walk.last.hash) if walk.last is not None else None
        return AuditVerdict(walk.count, tuple(problems), head, anchor)


def audit_head(uow: UnitOfWork) -> AuditHead | None:
    """The head of the chain now (to print on the recovery sheet, to write in a backup)."""
    with uow:
        return uow.audit.head()


def list_audit(uow: UnitOfWork, *, actor: Actor, flt: AuditFilter) -> list[AuditEvent]:
    actor.require(Permission.READ_AUDIT)
    with uow:
        return uow.audit.find(flt)


@dataclass(frozen=True)
class AuditLine:
    """One event of the Registro attività as shown: who acted, and the person concerned.

    The names are read from the store when the page is shown; the log itself keeps ids only.
    """

    event: AuditEvent
    operator_name: str  # the operator's full name; the username when the account is unknown
    person: ConcernedPerson | None  # None: no person behind it, or the actor may not see names
    #: for an event on an operator account: that operator's full name ("" otherwise)
    operator_concerned: str = ""


def list_audit_lines(uow: UnitOfWork, *, actor: Actor, flt: AuditFilter) -> list[AuditLine]:
    """The events, newest first, each with the operator's name and the person it concerns.

    The people are looked up in batches (one query per kind of entity for the whole page). Only an
    operator who may read the case files (``READ_CASES``) is shown their names.
    """
    actor.require(Permission.READ_AUDIT)
    with uow:
        events = uow.audit.find(flt)
        names = {o.username.casefold(): o.full_name for o in uow.operators.list()}
        people: dict[tuple[str, str], ConcernedPerson] = {}
        if actor.can(Permission.READ_CASES):
            people = uow.audit.concerned({(e.entity_type, e.entity_id) for e in events})
    return [
        AuditLine(
            event,
            names.get(event.operator.casefold()) or event.operator,
            people.get((event.entity_type, event.entity_id)),
            names.get(event.entity_id.casefold(), "") if event.entity_type == "operator" else "",
        )
        for event in events
    ]
