"""Use cases of the capofila's graduatoria: ranking runs over the istanze received, kept
immutable, and their approval (issue 13).

:func:`rank_received` judges the current version of every istanza received for an avviso with
the rules engine (the same :func:`~caseworker_app.services.judging.rank_records` the ``rank``
command runs on files) and records the run: the definition and its SHA-256, the date, the budget,
the operator, the SHA-256 of its inputs and every row with its keys, checks and lines. A run is
never changed: a new budget, a late correction or a revocation is a new run that follows the
latest one (*scorrimento*). :func:`approve_run` records the determina that approves a run (not a
provisional one); the outcomes to the comuni come from the approved run.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.definitions.avviso_files import definition_file
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.ranking_run import (
    REVOKED,
    WITHDRAWN,
    RankingRun,
    RunApproval,
    RunCheck,
    RunInput,
    RunKey,
    RunLine,
    RunRow,
    StoredRun,
    inputs_digest,
)
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.allocation import RankResult, Row, allocate
from caseworker_app.domain.rules.avviso import Allocation, Avviso, Missing
from caseworker_app.domain.rules.eligibility import judge
from caseworker_app.domain.rules.money import ZERO
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.rules.verdict import Check, Outcome, Status, Verdict
from caseworker_app.domain.transmission import MemberRole, ReceivedIstanza, ReceivedRecord
from caseworker_app.ports.desk_storage import RunEntry
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.batch import gc_paused
from caseworker_app.transfer.istanza_record import read_stored_istanze
from caseworker_app.transfer.json_fields import RecordError
from caseworker_app.transfer.ranking_run_json import read_run, run_json

__all__ = [
    "RUN_ENTITY",
    "Definition",
    "ReceivedVerdict",
    "approve_run",
    "desk_avvisi",
    "get_run",
    "judge_received",
    "outcome_run",
    "rank_received",
    "received_records",
    "runs_of",
]

RUN_ENTITY = "ranking_run"
APPROVAL_ENTITY = "ranking_run_approval"
_DETERMINA_MAX = 40


@dataclass(frozen=True)
class Definition:
    """The avviso a run judges with, and the SHA-256 of its definition file."""

    avviso: Avviso
    sha256: str


def definition_of(avviso_id: str) -> Definition:
    """The avviso in force (its newest version, shipped or an edition the capofila released)
    with the digest of its file."""
    avviso = get_avviso(avviso_id)
    return Definition(avviso, definition_file(avviso.id, avviso.version).sha256)


def _capofila(uow: UnitOfWork) -> None:
    if uow.installation.get().role != "capofila":
        raise UserFacingError("desk.not_capofila")


# -- the run --------------------------------------------------------------------------------------


def rank_received(
    uow: UnitOfWork,
    *,
    actor: Actor,
    avviso_id: str,
    on: date,
    budget: Decimal | None = None,
    provisional: bool = False,
    note: str = "",
    now: datetime,
    withdrawn: Iterable[tuple[str, str]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> StoredRun:
    """Judge the current version of every istanza received for ``avviso_id`` on ``on``,
    allocate the budget (the avviso's, or ``budget``) and record the run. ``withdrawn``:
    (comune, protocol) of istanze the applicant withdrew; they, and those a control of the
    self-declarations found ``non_conforme`` (revoked), stay in the run as not admitted, with
    the reason among their checks. ``rules.incomplete_istanze`` while istanze are still to
    complete, unless ``provisional``; ``desk.nothing_received`` when none was received."""
    from caseworker_app.services.controls import revoked  # controls reads runs through us

    actor.require(Permission.RANK)
    definition = definition_of(avviso_id)
    avviso = definition.avviso
    closed = dict.fromkeys(revoked(uow, actor=actor, avviso_id=avviso.id), REVOKED)
    closed.update(dict.fromkeys(withdrawn, WITHDRAWN))
    with uow, gc_paused():
        _capofila(uow)
        received = uow.received.current_records(avviso.id)
        if not received:
            raise UserFacingError("desk.nothing_received", avviso=avviso.id)
        unknown = set(closed) - {(r.comune, r.protocol) for r in received}
        if unknown & set(withdrawn):
            comune, protocol = min(unknown & set(withdrawn))
            raise UserFacingError("desk.withdrawn_unknown", comune=comune, protocol=protocol)
        pairs = received_records(received)
        total = len(pairs)
        verdicts: list[Verdict] = []
        for index, (_, record) in enumerate(pairs, start=1):
            verdict = judge(avviso, record, on=on)
            why = closed.get((record.comune, record.id))
            verdicts.append(verdict if why is None else _closed(verdict, why))
            if progress is not None and (index % 250 == 0 or index == total):
                progress(index, total)
        result = allocate(avviso, verdicts, on=on, budget=budget, provisional=provisional)
        previous = uow.runs.of_avviso(avviso.id, content=False)
        run = _run(
            definition,
            result,
            verdicts,
            {(r.comune, r.protocol): r for r, _ in pairs},
            on=on,
            budget=budget,
            number=uow.runs.next_number(avviso.id),
            follows=previous[-1].id if previous else None,
            created_at=_second(now),
            created_by=actor.username,
            note=note,
        )
        raw = run_json(run)
        digest = hashlib.sha256(raw).hexdigest()
        uow.runs.add(
            RunEntry(
                id=run.id,
                avviso=run.avviso,
                number=run.number,
                on=run.on,
                provisional=run.provisional,
                follows=run.follows,
                created_at=run.created_at,
                created_by=run.created_by,
                inputs_sha256=run.inputs_sha256,
                content=raw,
                content_sha256=digest,
            )
        )
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type=RUN_ENTITY,
            entity_id=run.id,
            at=now,
        )
        uow.commit()
    return StoredRun(run, digest)


def _closed(verdict: Verdict, why: Check) -> Verdict:
    return verdict._replace(
        outcome=Outcome.NON_AMMISSIBILE, amount=ZERO, checks=(*verdict.checks, why)
    )


def _second(moment: datetime) -> datetime:
    """A run's moments are local time to the second (as its format writes them)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0) if moment.microsecond else moment


_Received = TypeVar("_Received", ReceivedRecord, ReceivedIstanza)


def received_records(received: list[_Received]) -> list[tuple[_Received, IstanzaRecord]]:
    """Each received version with its record, read by the parser of istanza records in one
    batch, as ``rank`` reads a file of them. The capofila checked each with the strict reader
    on import and kept its SHA-256: a record that no longer has it is damaged."""
    for r in received:
        if hashlib.sha256(r.record).hexdigest() != r.record_sha256:
            raise UserFacingError("desk.received_damaged", comune=r.comune, protocol=r.protocol)
    try:
        records = read_stored_istanze(
            b"[" + b",".join(r.record for r in received) + b"]", source="istanze ricevute"
        )
    except RecordError as exc:  # read on import, refused now: name the record
        index = re.match(r"\[([0-9]+)\]", exc.field)
        bad = received[int(index.group(1)) if index else 0]
        raise UserFacingError(
            "desk.received_damaged", comune=bad.comune, protocol=bad.protocol
        ) from None
    pairs = list(zip(received, records, strict=True))
    for r, record in pairs:
        if (record.comune, record.id) != (r.comune, r.protocol):
            raise UserFacingError("desk.received_damaged", comune=r.comune, protocol=r.protocol)
    return pairs


def _run(
    definition: Definition,
    result: RankResult,
    verdicts: list[Verdict],
    received: Mapping[tuple[str, str], ReceivedRecord],
    *,
    on: date,
    budget: Decimal | None,
    number: int,
    follows: str | None,
    created_at: datetime,
    created_by: str,
    note: str,
) -> RankingRun:
    avviso = definition.avviso
    by_ident = {(v.record.comune, v.record.id): v for v in verdicts}
    orders = _orders(avviso)
    inputs = tuple(
        RunInput(r.comune, r.protocol, r.version, r.record_sha256)
        for r in sorted(received.values(), key=lambda r: (r.comune, r.protocol))
    )
    rows = tuple(
        _row(
            row,
            by_ident[(row.comune, row.istanza)],
            received[(row.comune, row.istanza)],
            orders,
        )
        for row in result.rows
    )
    return RankingRun(
        id=new_id(),
        number=number,
        avviso=avviso.id,
        avviso_version=avviso.version,
        definition_sha256=definition.sha256,
        on=on,
        budget_override=budget,
        budget=result.budget,
        assigned=result.assigned,
        provisional=result.provisional,
        rankings=result.rankings,
        rows=rows,
        inputs=inputs,
        inputs_sha256=inputs_digest(
            definition_sha256=definition.sha256, on=on, budget_override=budget, inputs=inputs
        ),
        follows=follows,
        created_at=created_at,
        created_by=created_by,
        note=note,
    )


_OK = Status.OK
_STATUS = {s: s.value for s in Status}  # an enum's .value costs a descriptor call


#: per ranking: its ordering keys as a run records them (key, descending, missing last)
_Orders = dict[str, tuple[tuple[str, bool, bool], ...]]


def _orders(avviso: Avviso) -> _Orders:
    if avviso.allocation is not Allocation.GRADUATORIA:
        return {}
    return {
        r.id: tuple((o.key, o.descending, o.missing is Missing.LAST) for o in r.order)
        for r in avviso.rankings
    }


def _row(row: Row, verdict: Verdict, received: ReceivedRecord, orders: _Orders) -> RunRow:
    return RunRow(
        row.comune,
        row.istanza,
        received.id,
        received.version,
        _second(verdict.record.submitted_at),
        row.position,
        row.priority_class,
        row.ranking if row.ranking is not None else verdict.ranking,
        row.outcome,
        row.amount,
        verdict.amount,
        _keys(row, verdict, orders),
        # a requirement met is kept as its code (its message would say only that it is met)
        tuple(
            [
                _met(c.code) if c.status is _OK else RunCheck(c.code, _STATUS[c.status], c.message)
                for c in verdict.checks
            ]
        ),
        tuple(
            [
                RunLine(ln.code, ln.requested, ln.granted, _STATUS[ln.status], ln.message)
                for ln in verdict.lines
            ]
        ),
    )


_MET: dict[str, RunCheck] = {}


def _met(code: str) -> RunCheck:
    """The check of a requirement met (one tuple per code: most of a run's checks)."""
    check = _MET.get(code)
    if check is None:
        check = _MET[code] = RunCheck(code, "ok", "")
    return check


def _keys(row: Row, verdict: Verdict, orders: _Orders) -> tuple[RunKey, ...]:
    """The avviso's ordering keys of the istanza's ranking, with the values the allocation
    ordered it by (the ISEE usable on the date, not any ISEE of the record)."""
    order = orders.get(verdict.ranking or "") if row.keys else None
    if order is None:
        return ()
    return tuple(
        [
            RunKey(key, _shown(key, value, verdict), descending, last)
            for (key, descending, last), value in zip(order, row.keys, strict=True)
        ]
    )


def _shown(key: str, value: object, verdict: Verdict) -> str:
    if value is None:
        return ""
    if key == "birth_date":
        return verdict.record.beneficiary.birth_date.isoformat()
    if key == "submitted_at":
        return _second(verdict.record.submitted_at).isoformat()
    if isinstance(value, Decimal) and (key == "isee" or key.startswith("isee:")):
        return f"{value:.2f}"
    return str(value)


# -- reading and approving ----------------------------------------------------------------------


#: runs read, by the SHA-256 of their bytes: a run never changes, and reading one of 10,000
#: rows costs a second or two (the Graduatorie page and the publication read it again)
_READ: OrderedDict[str, RankingRun] = OrderedDict()
_READ_KEEP = 4


def _stored(entry: RunEntry) -> StoredRun:
    digest = hashlib.sha256(entry.content).hexdigest()
    if digest != entry.content_sha256:
        raise UserFacingError("desk.run_damaged", run=str(entry.number), field="")
    run = _READ.get(digest)
    if run is None:
        run = read_run(entry.content, source=f"graduatoria n. {entry.number}", sha256=digest)
        _READ[digest] = run
        while len(_READ) > _READ_KEEP:
            _READ.popitem(last=False)
    else:
        _READ.move_to_end(digest)
    if run.id != entry.id:
        raise UserFacingError("desk.run_damaged", run=str(entry.number), field="id")
    return StoredRun(run, entry.content_sha256, entry.approval)


def runs_of(uow: UnitOfWork, *, actor: Actor, avviso_id: str) -> list[StoredRun]:
    """The runs of an avviso, the first first."""
    actor.require(Permission.RANK)
    with uow:
        _capofila(uow)
        entries = uow.runs.of_avviso(avviso_id)
    return [_stored(e) for e in entries]


def get_run(uow: UnitOfWork, *, actor: Actor, run_id: str) -> StoredRun:
    """One run by its id (or an unambiguous beginning of it, at least 8 characters)."""
    actor.require(Permission.RANK)
    with uow:
        _capofila(uow)
        entry = uow.runs.get(run_id) or _by_prefix(uow, run_id)
    if entry is None:
        raise UserFacingError("desk.run_not_found", run=run_id)
    return _stored(entry)


def _by_prefix(uow: UnitOfWork, prefix: str) -> RunEntry | None:
    if len(prefix) < 8:
        return None
    found = [
        e for avviso in uow.runs.avvisi() for e in uow.runs.of_avviso(avviso, content=False)
        if e.id.startswith(prefix)
    ]  # fmt: skip
    return uow.runs.get(found[0].id) if len(found) == 1 else None


def approve_run(
    uow: UnitOfWork, *, actor: Actor, run_id: str, determina: str, on: date, now: datetime
) -> StoredRun:
    """Record the determina (``"N/AAAA"``) that approves a run: from then on the outcomes come
    from it. A provisional run cannot be approved; a run is approved once."""
    actor.require(Permission.RANK)
    text = determina.strip()
    if not text or len(text) > _DETERMINA_MAX or not text.isprintable():
        raise UserFacingError("desk.determina_invalid", determina=determina[:_DETERMINA_MAX])
    stored = get_run(uow, actor=actor, run_id=run_id)
    if stored.run.provisional:
        raise UserFacingError("desk.provisional_not_approvable", number=stored.run.number)
    if stored.approval is not None:
        raise UserFacingError(
            "desk.already_approved",
            number=stored.run.number,
            determina=stored.approval.determina,
        )
    if on > now.date():
        raise UserFacingError("desk.determina_in_future", day=on.strftime("%d/%m/%Y"))
    approval = RunApproval(stored.run.id, text, on, actor.username, _second(now))
    with uow:
        uow.runs.approve(approval)
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.CREATE,
            entity_type=APPROVAL_ENTITY,
            entity_id=stored.run.id,
            at=now,
        )
        uow.commit()
    return StoredRun(stored.run, stored.content_sha256, approval)


def outcome_run(
    uow: UnitOfWork, *, actor: Actor, avviso_id: str, latest: bool = False
) -> StoredRun:
    """The run the outcomes come from: the latest approved one, or with ``latest`` the latest
    run whatever its status."""
    runs = runs_of(uow, actor=actor, avviso_id=avviso_id)
    if latest:
        if not runs:
            raise UserFacingError("desk.no_run", avviso=avviso_id)
        return runs[-1]
    approved = [r for r in runs if r.approval is not None]
    if not approved:
        raise UserFacingError("desk.no_approved_run", avviso=avviso_id)
    return approved[-1]


def desk_avvisi(uow: UnitOfWork, *, actor: Actor) -> list[str]:
    """The avvisi the desk works on: those with istanze received or with runs."""
    actor.require(Permission.RANK)
    with uow:
        _capofila(uow)
        received = {r.avviso for r in uow.received.istanze()}
        ranked = set(uow.runs.avvisi())
    return sorted(received | ranked)


@dataclass(frozen=True)
class ReceivedVerdict:
    """A received istanza as the desk lists it before a run: its version and documents, and
    what the rules say of it on the date asked."""

    comune: str
    protocol: str
    version: int
    received_at: datetime
    evaluation_included: bool
    documents: int  # members of the istruttoria that are attached documents
    outcome: str  # ammissibile, da_integrare, non_ammissibile
    amount: Decimal  # granted before the budget
    failed: tuple[str, ...]  # the messages of the requirements not met (or still pending)


def judge_received(
    uow: UnitOfWork, *, actor: Actor, avviso_id: str, on: date
) -> list[ReceivedVerdict]:
    """The received istanze of an avviso by comune and protocol, each judged on ``on``: their
    completeness and the engine's verdict (nothing is recorded)."""
    actor.require(Permission.RANK)
    avviso = definition_of(avviso_id).avviso
    with uow:
        _capofila(uow)
        received = uow.received.istanze(avviso=avviso.id)
    if not received:
        return []
    out: list[ReceivedVerdict] = []
    with gc_paused():
        for r, record in received_records(received):
            verdict = judge(avviso, record, on=on)
            out.append(
                ReceivedVerdict(
                    comune=r.comune,
                    protocol=r.protocol,
                    version=r.version,
                    received_at=r.received_at,
                    evaluation_included=r.evaluation_included,
                    documents=sum(m.role is MemberRole.DOCUMENT for m in r.members),
                    outcome=verdict.outcome.value,
                    amount=verdict.amount,
                    failed=tuple(c.message for c in verdict.checks if c.status is not _OK),
                )
            )
    return out
