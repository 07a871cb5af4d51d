"""Use cases of judging istanze against an avviso: the eligibility of one istanza (``check``)
and the ranking with the budget allocation of many (``rank``), interchange.md §2.

The ``*_file`` functions read istanza records (``caseworker.istanza/1``) from disk, as the
command line does; :func:`check_record` and :func:`rank_records` work on records already read,
as the capofila's desk does with the istanze it received. Nothing here touches the store: the
avviso definition and the records are all a verdict depends on. Problems are raised as
:class:`~caseworker_app.domain.errors.UserFacingError` (``definitions.*`` for an unknown
avviso, ``rules.*`` for a template or an incomplete batch) or
:class:`~caseworker_app.transfer.istanza_record.RecordError` (a file naming the field to fix).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.rules.allocation import RankResult, allocate
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.eligibility import judge
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.rules.verdict import Verdict
from caseworker_app.services.batch import gc_paused
from caseworker_app.transfer.istanza_record import load_istanza, load_istanze

__all__ = ["check_istanza_file", "check_record", "rank_istanze_file", "rank_records"]


def check_record(*, avviso: Avviso, record: IstanzaRecord, on: date) -> Verdict:
    """The verdict on one istanza on the date ``on`` (before any budget allocation)."""
    return judge(avviso, record, on=on)


def rank_records(
    *,
    avviso: Avviso,
    records: Iterable[IstanzaRecord],
    on: date,
    budget: Decimal | None = None,
    provisional: bool = False,
) -> RankResult:
    """Judge every istanza and allocate the budget (the avviso's, or ``budget`` for an avviso
    with a single ranking). Refuses a batch with istanze still ``da_integrare`` on ``on``
    (``rules.incomplete_istanze``) unless ``provisional``."""
    with gc_paused():  # a batch of thousands of acyclic objects: see gc_paused
        verdicts = [judge(avviso, record, on=on) for record in records]
        return allocate(avviso, verdicts, on=on, budget=budget, provisional=provisional)


def check_istanza_file(*, avviso_id: str, path: Path, on: date) -> Verdict:
    """The verdict on the one istanza in the file ``path`` (not a folder, not an array)."""
    avviso = get_avviso(avviso_id)
    record = load_istanza(path, avviso=avviso)
    return check_record(avviso=avviso, record=record, on=on)


def rank_istanze_file(
    *,
    avviso_id: str,
    path: Path,
    on: date,
    budget: Decimal | None = None,
    provisional: bool = False,
) -> RankResult:
    """The ranking of the istanze in ``path``: a file with one istanza or an array of them, or
    a folder of such ``*.json`` files; a (comune, id) pair may appear only once."""
    with gc_paused():
        avviso = get_avviso(avviso_id)
        records = load_istanze(path, avviso=avviso)
        return rank_records(
            avviso=avviso, records=records, on=on, budget=budget, provisional=provisional
        )
