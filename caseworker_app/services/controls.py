"""Use cases of the controls on the self-declarations (seed 003 §8: "un controllo su un
campione non inferiore al 5% dei complessivi beneficiari").

:func:`draw_sample` draws the sample of a run's funded beneficiaries with the reproducible
method of :mod:`caseworker_app.domain.control_sample` (the seed, given or random, is recorded
with the sample and its SHA-256, so anyone with the run can draw it again) and records it; a
run has one sample only, so that a sample is never drawn again until it suits someone.
:func:`record_check` appends the result of a check on a drawn istanza (``conforme``,
``non_conforme`` with its reason, or ``da_verificare`` to reopen it); the latest check is the
current result. A ``non_conforme`` istanza is revoked: :func:`revoked` lists them for the next
run of the avviso (``ranking_runs.rank_received(excluded=…)``).

What to check on each drawn istanza is a fixed list per measure (:data:`CHECKS`; the texts
are ``controls.check.<code>`` in ``messages/controls.py``): the ISEE, the residence and the
self-declarations always, then what the measure's requirements rest on.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.control_sample import (
    DEFAULT_PERCENT,
    CheckResult,
    ControlSample,
    population,
    sample_of,
    valid_percent,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.ranking_run import RankingRun, StoredRun
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.messages import render
from caseworker_app.ports.desk_storage import ControlCheck, SampleEntry
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.ranking_runs import get_run
from caseworker_app.transfer.control_sample_json import SEED_LIMIT, read_sample, sample_json

__all__ = [
    "CHECKS",
    "CHECK_ENTITY",
    "SAMPLE_ENTITY",
    "ControlSampleView",
    "DrawnRow",
    "ToCheck",
    "checks_to_do",
    "draw_sample",
    "record_check",
    "revoked",
    "samples_of",
]

SAMPLE_ENTITY = "control_sample"
CHECK_ENTITY = "control_check"
NOTE_LIMIT = 1000

_COMMON = ("isee", "residenza", "dichiarazioni_sostitutive")
#: what to check on a drawn istanza, by the avviso's measure (others: the common ones + IBAN)
CHECKS: dict[str, tuple[str, ...]] = {
    "caregiver-familiare": (
        *_COMMON, "disabilita", "caregiver", "domicilio", "incompatibilita", "iban",
    ),
    "fna-b2-voucher": (*_COMMON, "disabilita", "domicilio", "incompatibilita"),
    "fna-b2-assegno-autonomia": (
        *_COMMON, "disabilita", "domicilio", "incompatibilita", "iban",
    ),
    "buono-assistenti-familiari": (*_COMMON, "contratto_assistente", "spese", "iban"),
}  # fmt: skip
_OTHER = (*_COMMON, "iban")


@dataclass(frozen=True)
class ToCheck:
    code: str
    label: str  # Italian


@dataclass(frozen=True)
class DrawnRow:
    """A drawn istanza, its row in the run and its checks (the latest is the current one)."""

    comune: str
    protocol: str
    position: int | None
    outcome: Funding
    amount: Decimal
    to_check: tuple[ToCheck, ...]
    checks: tuple[ControlCheck, ...]  # in the order recorded

    @property
    def result(self) -> CheckResult:
        return CheckResult(self.checks[-1].result) if self.checks else CheckResult.DA_VERIFICARE

    @property
    def note(self) -> str:
        return self.checks[-1].note if self.checks else ""


@dataclass(frozen=True)
class ControlSampleView:
    id: str
    avviso: str
    run_number: int
    sample: ControlSample
    content_sha256: str
    drawn_at: datetime
    drawn_by: str
    rows: tuple[DrawnRow, ...]  # by comune and protocol

    @property
    def run(self) -> str:
        return self.sample.run


def checks_to_do(measure: str) -> tuple[ToCheck, ...]:
    """What to check on an istanza of an avviso of ``measure``."""
    return tuple(ToCheck(c, render(f"controls.check.{c}")) for c in CHECKS.get(measure, _OTHER))


def _to_check(run: RankingRun) -> tuple[ToCheck, ...]:
    try:
        measure = get_avviso(run.avviso, run.avviso_version).measure
    except UserFacingError:  # a definition no longer shipped: the list for any measure
        measure = ""
    return checks_to_do(measure)


def _capofila(uow: UnitOfWork) -> None:
    if uow.installation.get().role != "capofila":
        raise UserFacingError("desk.not_capofila")


def _second(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _seed(seed: str | None) -> str:
    if seed is None:
        return secrets.token_hex(8)
    if not seed or len(seed) > SEED_LIMIT or not seed.isprintable() or seed != seed.strip():
        raise UserFacingError("controls.seed_invalid", limit=SEED_LIMIT)
    return seed


# -- the draw -----------------------------------------------------------------------------------


def draw_sample(
    uow: UnitOfWork,
    *,
    actor: Actor,
    run_id: str,
    percent: Decimal = DEFAULT_PERCENT,
    seed: str | None = None,
    per_comune: bool = True,
    now: datetime,
) -> ControlSampleView:
    """Draw and record the control sample of a run (not a provisional one): ``percent`` of
    its funded rows rounded up, at least one per comune with ``per_comune``; ``seed`` None:
    a random one, recorded."""
    actor.require(Permission.RANK)
    if not valid_percent(percent):
        raise UserFacingError("controls.percent_invalid", percent=str(percent))
    chosen = _seed(seed)
    stored = get_run(uow, actor=actor, run_id=run_id)
    run = stored.run
    if run.provisional:
        raise UserFacingError("controls.provisional_run", number=run.number)
    if not population(run.rows):
        raise UserFacingError("controls.nothing_funded", number=run.number)
    sample = sample_of(
        run.id, stored.content_sha256, run.rows, percent=percent, seed=chosen,
        per_comune=per_comune,
    )  # fmt: skip
    raw = sample_json(sample)
    entry = SampleEntry(
        id=new_id(),
        run=run.id,
        drawn_at=_second(now),
        drawn_by=actor.username,
        content=raw,
        content_sha256=hashlib.sha256(raw).hexdigest(),
    )
    with uow:
        _capofila(uow)
        earlier = uow.controls.samples(run.id)
        if earlier:
            first = earlier[0]
            raise UserFacingError(
                "controls.already_drawn",
                number=run.number,
                day=first.drawn_at.strftime("%d/%m/%Y"),
                by=first.drawn_by,
                seed=_read(first).seed,
            )
        uow.controls.add_sample(entry)
        _audit(uow, actor, SAMPLE_ENTITY, entry.id, now)
        uow.commit()
    return _view(stored, entry, sample, ())


def _read(entry: SampleEntry) -> ControlSample:
    if hashlib.sha256(entry.content).hexdigest() != entry.content_sha256:
        raise UserFacingError("controls.sample_damaged", sample=entry.id[:8], field="")
    sample = read_sample(entry.content, source=entry.id[:8])
    if sample.run != entry.run:
        raise UserFacingError("controls.sample_damaged", sample=entry.id[:8], field="run")
    return sample


def _view(
    stored: StoredRun, entry: SampleEntry, sample: ControlSample, checks: Iterable[ControlCheck]
) -> ControlSampleView:
    run = stored.run
    by_row: dict[tuple[str, str], list[ControlCheck]] = {}
    for check in checks:
        by_row.setdefault((check.comune, check.protocol), []).append(check)
    to_check = _to_check(run)
    of_run = {r.ident: r for r in run.rows}
    rows = []
    for comune, protocol in sample.rows:
        row = of_run.get((comune, protocol))
        if row is None:  # the sample names a row its run does not have
            raise UserFacingError("controls.sample_damaged", sample=entry.id[:8], field="rows")
        rows.append(
            DrawnRow(
                comune, protocol, row.position, row.outcome, row.amount, to_check,
                tuple(by_row.get((comune, protocol), ())),
            )
        )  # fmt: skip
    return ControlSampleView(
        id=entry.id,
        avviso=run.avviso,
        run_number=run.number,
        sample=sample,
        content_sha256=entry.content_sha256,
        drawn_at=entry.drawn_at,
        drawn_by=entry.drawn_by,
        rows=tuple(rows),
    )


def samples_of(uow: UnitOfWork, *, actor: Actor, run_id: str) -> list[ControlSampleView]:
    """The samples of a run (at most one: see the module), with the checks recorded."""
    actor.require(Permission.RANK)
    stored = get_run(uow, actor=actor, run_id=run_id)
    with uow:
        _capofila(uow)
        held = [(e, uow.controls.checks(e.id)) for e in uow.controls.samples(stored.run.id)]
    return [_view(stored, e, _read(e), checks) for e, checks in held]


# -- the checks ---------------------------------------------------------------------------------


def record_check(
    uow: UnitOfWork,
    *,
    actor: Actor,
    sample_id: str,
    comune: str,
    protocol: str,
    result: CheckResult,
    note: str,
    now: datetime,
) -> ControlSampleView:
    """Record the result of the check on a drawn istanza (appended: the latest counts); a
    ``non_conforme`` result needs a note, the reason of the revocation. The sample as it is
    now."""
    actor.require(Permission.RANK)
    text = note.strip()
    if len(text) > NOTE_LIMIT:
        raise UserFacingError("controls.note_too_long", limit=NOTE_LIMIT)
    if result is CheckResult.NON_CONFORME and not text:
        raise UserFacingError("controls.note_required")
    with uow:
        _capofila(uow)
        entry = uow.controls.sample(sample_id)
        if entry is None:
            raise UserFacingError("controls.sample_not_found", sample=sample_id)
        sample = _read(entry)
        if (comune, protocol) not in sample.rows:
            raise UserFacingError("controls.not_drawn", comune=comune, protocol=protocol)
        uow.controls.add_check(
            ControlCheck(
                sample=entry.id,
                comune=comune,
                protocol=protocol,
                result=result.value,
                note=text,
                recorded_at=_second(now),
                recorded_by=actor.username,
            )
        )
        _audit(uow, actor, CHECK_ENTITY, f"{entry.id}/{comune}/{protocol}", now)
        uow.commit()
    stored = get_run(uow, actor=actor, run_id=sample.run)
    with uow:
        checks = uow.controls.checks(entry.id)
    return _view(stored, entry, sample, checks)


def revoked(uow: UnitOfWork, *, actor: Actor, avviso_id: str) -> set[tuple[str, str]]:
    """(comune, protocol) of the istanze whose latest check, over the samples of every run of
    the avviso, is ``non_conforme``: they are revoked, and the next run does not admit them."""
    actor.require(Permission.RANK)
    latest: dict[tuple[str, str], tuple[datetime, int, str]] = {}
    with uow:
        _capofila(uow)
        order = 0
        for run in uow.runs.of_avviso(avviso_id, content=False):
            for entry in uow.controls.samples(run.id):
                for check in uow.controls.checks(entry.id):
                    order += 1
                    ident = (check.comune, check.protocol)
                    mark = (check.recorded_at, order, check.result)
                    if ident not in latest or mark[:2] >= latest[ident][:2]:
                        latest[ident] = mark
    return {ident for ident, (_, _, result) in latest.items() if result == CheckResult.NON_CONFORME}


def _audit(uow: UnitOfWork, actor: Actor, entity: str, entity_id: str, at: datetime) -> None:
    audit_log.record(
        uow, actor=actor, action=AuditAction.CREATE, entity_type=entity, entity_id=entity_id,
        at=at,
    )  # fmt: skip
