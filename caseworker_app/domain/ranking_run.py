"""A ranking run of the capofila: one judgement and allocation of the istanze received for an
avviso, on a date and a budget, kept as it was made and never changed (issue 13).

A run holds everything needed to defend it: the definition it judged with (id, version and the
SHA-256 of the definition file), the date and budget, who made it and when, the SHA-256 of its
inputs (:func:`inputs_digest`: the received versions it judged, the definition, date and
budget), and every row with the keys that ordered it, the checks and the lines that made its
amount. A later run (*scorrimento*: a new budget, a late correction, a withdrawal) is a new run
that names the one it follows; a run is approved by a separate record (the *determina*), so the
run itself stays byte-identical.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from caseworker_app.domain.rules.allocation import Funding, RankingTotals
from caseworker_app.domain.rules.verdict import Check, Status

#: the stored run's format (transfer/ranking_run_json.py reads and writes it)
RUN_FORMAT = "caseworker.ranking-run/2"


#: the checks a run adds to an istanza withdrawn or revoked (not admitted, whatever the rules)
WITHDRAWN = Check(
    "rinuncia",
    Status.KO,
    "Ritirata: il richiedente ha rinunciato all'istanza (comunicazione del comune).",
)
REVOKED = Check(
    "controllo_dichiarazioni",
    Status.KO,
    "Revocata: il controllo sulle dichiarazioni sostitutive ha avuto esito non conforme.",
)


class RunStatus(enum.StrEnum):
    PROVVISORIA = "provvisoria"  # istanze still da_integrare: may not be approved
    DEFINITIVA = "definitiva"
    APPROVATA = "approvata"  # a determina approved it: the outcomes come from it


STATUS_LABELS = {
    RunStatus.PROVVISORIA: "provvisoria",
    RunStatus.DEFINITIVA: "definitiva",
    RunStatus.APPROVATA: "approvata",
}


class RunCheck(NamedTuple):
    code: str
    status: str  # ok, ko, warning, pending (domain.rules.verdict.Status values)
    message: str  # "" for a requirement met (its code says it)


class RunLine(NamedTuple):
    code: str
    requested: Decimal
    granted: Decimal
    status: str
    message: str


class RunKey(NamedTuple):
    """One ordering key of the avviso as it applied to a row: ``value`` as shown ("" when the
    istanza has none: then ``missing`` says where the avviso puts it)."""

    key: str  # "isee", "isee:ordinario", "birth_date", "submitted_at", "score", "extra:…"
    value: str
    descending: bool
    missing_last: bool


class RunRow(NamedTuple):
    """One row of a run (a tuple: a run has tens of thousands of them, built and read whole)."""

    comune: str
    protocol: str  # the istanza's id at its comune
    received_id: str  # the capofila's id of the received version judged
    version: int
    submitted_at: datetime
    position: int | None
    priority_class: int | None
    ranking: str | None
    outcome: Funding
    amount: Decimal  # granted by the allocation
    eligible: Decimal  # what the rules grant before the budget (the verdict's amount)
    keys: tuple[RunKey, ...]
    checks: tuple[RunCheck, ...]
    lines: tuple[RunLine, ...]

    @property
    def ident(self) -> tuple[str, str]:
        return (self.comune, self.protocol)


class RunInput(NamedTuple):
    """One received version a run judged (what its inputs digest covers)."""

    comune: str
    protocol: str
    version: int
    record_sha256: str


@dataclass(frozen=True)
class RankingRun:
    id: str  # UUID
    number: int  # 1, 2, … per avviso: "graduatoria n. 2"
    avviso: str
    avviso_version: str
    definition_sha256: str
    on: date  # the date the istanze were judged on
    budget_override: Decimal | None  # the budget given for the run (None: the avviso's)
    budget: Decimal  # the total of the rankings' budgets used
    assigned: Decimal
    provisional: bool
    rankings: tuple[RankingTotals, ...]
    rows: tuple[RunRow, ...]
    inputs: tuple[RunInput, ...]
    inputs_sha256: str
    follows: str | None  # the run this one follows (scorrimento), if any
    created_at: datetime
    created_by: str  # username
    note: str = ""  # why this run (a new budget, a correction, a revocation)

    @property
    def residual(self) -> Decimal:
        return self.budget - self.assigned

    def row(self, comune: str, protocol: str) -> RunRow | None:
        return next((r for r in self.rows if r.ident == (comune, protocol)), None)

    @property
    def withdrawn(self) -> frozenset[tuple[str, str]]:
        """(comune, protocol) of the istanze this run kept out as withdrawn by the applicant
        (a run that follows it keeps them out only if told so again)."""
        code = WITHDRAWN.code
        return frozenset(r.ident for r in self.rows if any(c.code == code for c in r.checks))


@dataclass(frozen=True)
class RunApproval:
    run: str
    determina: str  # "N/AAAA"
    on: date  # the determina's date
    by: str  # username
    at: datetime


@dataclass(frozen=True)
class StoredRun:
    """A run as the store keeps it: its canonical bytes and their digest, with its approval."""

    run: RankingRun
    content_sha256: str
    approval: RunApproval | None = None

    @property
    def status(self) -> RunStatus:
        if self.approval is not None:
            return RunStatus.APPROVATA
        return RunStatus.PROVVISORIA if self.run.provisional else RunStatus.DEFINITIVA


def inputs_digest(
    *,
    definition_sha256: str,
    on: date,
    budget_override: Decimal | None,
    inputs: Iterable[RunInput],
) -> str:
    """The SHA-256 of what a run judged: the same received versions, definition, date and budget
    give the same digest whatever their order; a superseded version changes it."""
    lines = sorted([i.comune, i.protocol, i.version, i.record_sha256] for i in inputs)
    canonical = json.dumps(
        {
            "definition_sha256": definition_sha256,
            "on": on.isoformat(),
            "budget": None if budget_override is None else f"{budget_override:.2f}",
            "istanze": lines,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RowChange:
    """How a row differs from the run it follows (scorrimento): ``before`` None = new row."""

    comune: str
    protocol: str
    before: RunRow | None
    after: RunRow | None


def changes(previous: RankingRun, current: RankingRun) -> list[RowChange]:
    """The rows whose position, outcome or amount changed, were added or left, by comune and
    protocol."""
    old = {r.ident: r for r in previous.rows}
    new = {r.ident: r for r in current.rows}
    out: list[RowChange] = []
    for ident in sorted(set(old) | set(new)):
        a, b = old.get(ident), new.get(ident)
        if (
            a is None
            or b is None
            or (a.position, a.outcome, a.amount, a.version)
            != (b.position, b.outcome, b.amount, b.version)
        ):
            out.append(RowChange(ident[0], ident[1], a, b))
    return out
