"""The control sample of a ranking run (seed 003 §8: checks on at least 5% of the funded).

The draw is reproducible by anyone who has the run's rows and the seed, without this program.
The method, ``sha256-rank/1``:

1. the *population* is the rows funded by the run (``finanziata`` and
   ``finanziata_parzialmente``), each named by its comune code and protocol number;
2. the *size* is ``ceil(population × percent / 100)`` (5% rounded up: 1 to 20 funded → 1,
   21 to 40 → 2, …), at least 1 when anyone is funded;
3. each candidate's *digest* is the SHA-256, in lowercase hexadecimal, of the UTF-8 text
   ``seed|comune|protocol`` (for example ``4f2a9c01d3e8b7a6|A127|A127-2023-000012``);
4. with *at least one per comune*, the candidate with the smallest digest of each comune is
   drawn first; then the candidates with the smallest digests among those left are drawn until
   the sample has ``size`` rows (with one per comune, it has at least as many rows as comuni);
5. the drawn rows are listed by comune and protocol.

In a spreadsheet: one row per funded istanza, a column with ``=seed&"|"&comune&"|"&protocol``,
its SHA-256 (any tool), sort by it and take the first ones. In Python (with one per comune;
without it, ``first`` is empty)::

    digest = lambda c, p: hashlib.sha256(f"{seed}|{c}|{p}".encode()).hexdigest()
    first = {min((digest(c, p), c, p) for c, p in funded if c == k) for k in comuni}
    rest = sorted((digest(c, p), c, p) for c, p in funded if (digest(c, p), c, p) not in first)
    drawn = sorted((c, p) for _, c, p in [*first, *rest][: max(size, len(first))])

The order of the input does not matter, and a different seed draws (almost always) other rows.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise

from caseworker_app.domain.ranking_run import RunRow
from caseworker_app.domain.rules.allocation import Funding

__all__ = [
    "DEFAULT_PERCENT",
    "FUNDED",
    "METHOD",
    "RESULT_LABELS",
    "SAMPLE_FORMAT",
    "CheckResult",
    "ControlSample",
    "digest",
    "draw",
    "population",
    "sample_of",
    "sample_size",
    "valid_percent",
]

METHOD = "sha256-rank/1"
SAMPLE_FORMAT = "caseworker.control-sample/1"
FUNDED = frozenset({Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE})
DEFAULT_PERCENT = Decimal(5)


class CheckResult(enum.StrEnum):
    DA_VERIFICARE = "da_verificare"
    CONFORME = "conforme"
    NON_CONFORME = "non_conforme"


RESULT_LABELS = {
    CheckResult.DA_VERIFICARE: "da verificare",
    CheckResult.CONFORME: "conforme",
    CheckResult.NON_CONFORME: "non conforme",
}


@dataclass(frozen=True)
class ControlSample:
    """A drawn sample as its file (``caseworker.control-sample/1``) keeps it: enough for anyone
    with the run to draw it again (:func:`draw` with the same seed, percent and flag)."""

    run: str  # the run's id
    run_sha256: str  # the SHA-256 of the run's canonical bytes
    seed: str
    percent: Decimal
    method: str
    per_comune: bool
    population: int  # how many funded rows it was drawn from
    rows: tuple[tuple[str, str], ...]  # (comune, protocol), by comune and protocol


def valid_percent(percent: Decimal) -> bool:
    """More than 0, at most 100, with at most two decimals."""
    return (
        percent.is_finite()
        and Decimal(0) < percent <= Decimal(100)
        and percent == percent.quantize(Decimal("0.01"))
    )


def population(rows: Sequence[RunRow]) -> list[RunRow]:
    """The funded rows, by comune and protocol (``ValueError``: a row given twice)."""
    funded = sorted((r for r in rows if r.outcome in FUNDED), key=lambda r: r.ident)
    for a, b in pairwise(funded):
        if a.ident == b.ident:
            raise ValueError("the same row twice in a run")
    return funded


def sample_size(count: int, percent: Decimal = DEFAULT_PERCENT) -> int:
    """``ceil(count × percent / 100)``, at least 1 when ``count`` > 0."""
    if count <= 0:
        return 0
    exact = Decimal(count) * percent / Decimal(100)
    return max(1, int(exact.to_integral_value(rounding=ROUND_CEILING)))


def digest(seed: str, comune: str, protocol: str) -> str:
    return hashlib.sha256(f"{seed}|{comune}|{protocol}".encode()).hexdigest()


def draw(
    rows: Sequence[RunRow],
    *,
    percent: Decimal = DEFAULT_PERCENT,
    seed: str,
    at_least_one_per_comune: bool,
) -> tuple[RunRow, ...]:
    """The rows drawn from the funded ones among ``rows`` (the method above), by comune and
    protocol."""
    if not valid_percent(percent):
        raise ValueError(f"percent out of range: {percent}")
    funded = population(rows)
    size = sample_size(len(funded), percent)
    ranked = sorted(funded, key=lambda r: (digest(seed, r.comune, r.protocol), r.ident))
    drawn: list[RunRow] = []
    if at_least_one_per_comune:
        seen: set[str] = set()
        for r in ranked:  # the smallest digest of each comune comes first in ``ranked``
            if r.comune not in seen:
                seen.add(r.comune)
                drawn.append(r)
    taken = {r.ident for r in drawn}
    for r in ranked:
        if len(drawn) >= size:
            break
        if r.ident not in taken:
            drawn.append(r)
            taken.add(r.ident)
    return tuple(sorted(drawn, key=lambda r: r.ident))


def sample_of(
    run_id: str,
    run_sha256: str,
    rows: Sequence[RunRow],
    *,
    percent: Decimal = DEFAULT_PERCENT,
    seed: str,
    per_comune: bool,
) -> ControlSample:
    """The sample of a run's rows, as it is recorded."""
    drawn = draw(rows, percent=percent, seed=seed, at_least_one_per_comune=per_comune)
    return ControlSample(
        run=run_id,
        run_sha256=run_sha256,
        seed=seed,
        percent=percent,
        method=METHOD,
        per_comune=per_comune,
        population=len(population(rows)),
        rows=tuple(r.ident for r in drawn),
    )
