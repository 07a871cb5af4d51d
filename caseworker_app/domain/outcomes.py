"""The outcomes (*esiti*) the capofila sends back to each comune, and what the comune keeps of
them (issue 13, docs/transfer-format.md §12).

Once a graduatoria is approved, the Ufficio di Piano tells each comune the outcome of each of its
istanze in one sealed file of kind ``esiti`` (signed by the capofila, encrypted to that comune's
installation): the run's identity (avviso, run id and number, the SHA-256 of its content, the
determina) and per istanza its position, outcome, amount and the reason in Italian. The comune
imports it: each istanza moves to its outcome state and its transmission state to
``esito_ricevuto``. A later run's outcomes supersede an earlier one's; an older one is stale.

Outcomes of a run not approved yet (``--latest``) travel with ``approved: false``: the comune
records them as *non definitivi* and moves no state. A provisional run's outcomes (istanze still
to complete) are never written.

Values and rules only: the JSON is ``transfer/outcomes_json.py``, the use cases
``services/outcomes.py`` (capofila) and ``services/outcomes_import.py`` (comune).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.rules.allocation import Funding

#: the kind of the transfer file capofila -> comune, the version of its payload and member
KIND = "esiti"
FORMAT = "caseworker.esiti/1"
MEMBER = "esiti.json"
FILE_SUFFIX = ".cwt"

#: the outcomes that fund an istanza (an amount above zero); the others carry zero
FUNDED = frozenset({Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE})

#: the state an istanza takes at the comune for each definitive outcome (``da_integrare`` is
#: never definitive: it only appears in a provisional run, whose outcomes are not written)
STATE_OF: dict[Funding, IstanzaState] = {
    Funding.FINANZIATA: IstanzaState.FINANZIATA,
    Funding.FINANZIATA_PARZIALMENTE: IstanzaState.FINANZIATA_PARZIALMENTE,
    Funding.AMMESSA_NON_FINANZIATA: IstanzaState.AMMESSA_NON_FINANZIATA,
    Funding.NON_AMMISSIBILE: IstanzaState.NON_AMMISSIBILE,
}


@dataclass(frozen=True)
class OutcomeLine:
    """One istanza's outcome, as the run gave it."""

    comune: str  # codice catastale
    protocol: str  # the istanza's protocol number at its comune
    version: int  # the version the capofila judged
    position: int | None  # in its ranking (None: not ranked, e.g. not admitted)
    priority_class: int | None
    ranking: str | None
    outcome: Funding
    amount: Decimal  # granted; zero unless funded
    reason: str  # the reason in Italian (the run's explanation, one line)

    @property
    def ident(self) -> tuple[str, str]:
        return (self.comune, self.protocol)


@dataclass(frozen=True)
class Outcomes:
    """``esiti.json``: the outcomes of one run for the istanze of one comune."""

    comune: str  # the comune the file is for (every line is of this comune)
    avviso: str
    avviso_version: str
    run_id: str  # the run's UUID
    run_number: int  # 1, 2, … per avviso ("graduatoria n. 2")
    run_sha256: str  # of the run's canonical content at the capofila
    determina: str | None  # "N/AAAA", when approved
    determina_date: date | None
    approved: bool  # False: outcomes of a run not approved yet ("non definitivi")
    provisional: bool  # always False in a file written by caseworker (refused when True)
    created_at: datetime  # with its UTC offset
    lines: tuple[OutcomeLine, ...]


# -- at the capofila: what it sent ---------------------------------------------------------------


@dataclass(frozen=True)
class IssuedOutcomes:
    """A file of outcomes written at the capofila, kept to give the same file again."""

    id: str  # the manifest's transmission UUID
    run_id: str
    comune: str
    recipient_fingerprint: str  # the comune installation's key it is encrypted to (40 digits)
    approved: bool  # the run was approved when the file was written
    file_name: str
    manifest_sha256: str
    content: bytes  # the sealed file as written
    created_at: datetime
    created_by: str


# -- at the comune: what it received ----------------------------------------------------------


@dataclass(frozen=True)
class IstanzaOutcome:
    """One istanza's outcome as the comune keeps it (what its letters print)."""

    outcomes_id: str  # the file's transmission UUID
    istanza_id: str
    line: OutcomeLine
    avviso: str
    run_id: str
    run_number: int
    approved: bool
    determina: str | None
    determina_date: date | None
    imported_at: datetime


@dataclass(frozen=True)
class ReceivedOutcomes:
    """A file of outcomes imported at the comune."""

    id: str  # the manifest's transmission UUID
    file_name: str
    manifest_sha256: str
    capofila: str  # the capofila's installation id
    outcomes: Outcomes
    imported_at: datetime
    imported_by: str
    #: (istanza id, its line) for every line of the file
    istanze: tuple[tuple[str, OutcomeLine], ...] = ()


_NAME_PART = re.compile(r"[^a-z0-9-]+")


def file_name(capofila: str, avviso: str, run_number: int, comune: str) -> str:
    """``A010-esiti-abbiatense-caregiver-2023-n2-A127.cwt``: the capofila's comune code, the
    avviso, the run's number and the comune the file is for; never personal data."""
    short = _NAME_PART.sub("-", avviso.lower()).strip("-")[:60] or "avviso"
    return f"{capofila}-esiti-{short}-n{run_number}-{comune}{FILE_SUFFIX}"


class Standing(enum.StrEnum):
    """How a file of outcomes stands to those held for the same avviso and comune."""

    NEW = "new"  # to be recorded (and, approved, applied)
    SAME = "same"  # the same run again, with no newer approval: nothing changes
    STALE = "stale"  # an older run than one held
    CONFLICT = "conflict"  # the same run with other lines, or another run with the same number


def standing(new: Outcomes, held: list[Outcomes]) -> Standing:
    """Whether ``new`` is recorded: the same run again is :attr:`Standing.SAME` unless it now
    comes approved (then it is applied); an older run than an approved one held, or a run not
    approved older than any held, is stale; a later run supersedes."""
    for old in held:
        if old.run_id == new.run_id:
            if _substance(old) != _substance(new):
                return Standing.CONFLICT
            return Standing.NEW if new.approved and not old.approved else Standing.SAME
        if old.run_number == new.run_number:
            return Standing.CONFLICT
    for old in held:
        if old.run_number > new.run_number and (old.approved or not new.approved):
            return Standing.STALE
    return Standing.NEW


def _substance(outcomes: Outcomes) -> dict[tuple[str, str], tuple[object, ...]]:
    """What a run decided of each istanza (the reason's wording may differ between copies)."""
    return {ln.ident: (ln.version, ln.position, ln.outcome, ln.amount) for ln in outcomes.lines}
