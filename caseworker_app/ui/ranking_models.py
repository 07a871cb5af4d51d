"""What the Graduatorie page (capofila) shows, read on the worker, and its Italian labels.

No widgets here: the labels of a run's status and of a row's outcome, the data of one avviso
(its received istanze judged on a date and its runs) and of one run (with the run it follows,
what changed and the names the explanations use), and a table model with amounts aligned right.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ranking_run import RowChange, RunRow, RunStatus, StoredRun, changes
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.services import ranking_runs
from caseworker_app.services.ranking_runs import ReceivedVerdict
from caseworker_app.ui.case_sections.labels import format_money
from caseworker_app.ui.formats import format_date, format_datetime
from caseworker_app.ui.session import Session
from caseworker_app.ui.text_table_model import Index, TextTableModel
from caseworker_app.ui.transmission_models import comune_name

_CONTEXT = "Rankings"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


STATUS_LABELS: dict[RunStatus, str] = {
    RunStatus.PROVVISORIA: str(QT_TRANSLATE_NOOP("Rankings", "Provvisoria")),
    RunStatus.DEFINITIVA: str(QT_TRANSLATE_NOOP("Rankings", "Definitiva")),
    RunStatus.APPROVATA: str(QT_TRANSLATE_NOOP("Rankings", "Approvata")),
}

OUTCOME_LABELS: dict[Funding, str] = {
    Funding.FINANZIATA: str(QT_TRANSLATE_NOOP("Rankings", "Finanziata")),
    Funding.FINANZIATA_PARZIALMENTE: str(QT_TRANSLATE_NOOP("Rankings", "Finanziata in parte")),
    Funding.AMMESSA_NON_FINANZIATA: str(QT_TRANSLATE_NOOP("Rankings", "Ammessa, non finanziata")),
    Funding.NON_AMMISSIBILE: str(QT_TRANSLATE_NOOP("Rankings", "Non ammissibile")),
    Funding.DA_INTEGRARE: str(QT_TRANSLATE_NOOP("Rankings", "Da integrare")),
}

VERDICT_LABELS: dict[str, str] = {
    "ammissibile": str(QT_TRANSLATE_NOOP("Rankings", "Ammissibile")),
    "da_integrare": str(QT_TRANSLATE_NOOP("Rankings", "Da integrare")),
    "non_ammissibile": str(QT_TRANSLATE_NOOP("Rankings", "Non ammissibile")),
}


def status_label(status: RunStatus) -> str:
    return _tr(STATUS_LABELS[status])


def outcome_label(outcome: Funding) -> str:
    return _tr(OUTCOME_LABELS[outcome])


def verdict_label(outcome: str) -> str:
    label = VERDICT_LABELS.get(outcome)
    return _tr(label) if label else outcome


def money(value: Decimal) -> str:
    return format_money(value)


# -- the avviso ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AvvisoData:
    """One avviso at the desk: its received istanze judged on ``on`` and its runs."""

    avviso: str
    on: date
    received: list[ReceivedVerdict]  # by comune name and protocol
    runs: list[StoredRun]  # the first first


def load_avvisi(session: Session) -> list[str]:
    """Worker only."""
    workspace = session.workspace
    return ranking_runs.desk_avvisi(workspace.uow_factory(), actor=workspace.actor)


def load_avviso(session: Session, avviso: str, on: date) -> AvvisoData:
    """Worker only."""
    uow, actor = session.workspace.uow_factory, session.workspace.actor
    received = ranking_runs.judge_received(uow(), actor=actor, avviso_id=avviso, on=on)
    received.sort(key=lambda v: (comune_name(v.comune).casefold(), v.protocol))
    return AvvisoData(avviso, on, received, ranking_runs.runs_of(uow(), actor=actor,
                                                                 avviso_id=avviso))  # fmt: skip


def received_cells(v: ReceivedVerdict) -> tuple[str, ...]:
    return (
        comune_name(v.comune),
        v.protocol,
        str(v.version),
        str(v.documents),
        _tr("sì") if v.evaluation_included else _tr("no"),
        verdict_label(v.outcome),
        money(v.amount),
        "; ".join(m.strip().rstrip(".") for m in v.failed if m.strip()) or "—",
    )


def run_cells(stored: StoredRun) -> tuple[str, ...]:
    run = stored.run
    status = status_label(stored.status)
    if stored.approval is not None:
        status = (
            _tr("%1 (determina %2 del %3)")
            .replace("%1", status)
            .replace("%2", stored.approval.determina)
            .replace("%3", format_date(stored.approval.on))
        )
    return (
        str(run.number),
        status,
        format_date(run.on),
        format_datetime(run.created_at),
        run.created_by,
        money(run.budget),
        money(run.assigned),
        money(run.residual),
        run.note,
    )


# -- one run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunDetail:
    """A run as its pane shows it, with the run it follows and what changed since."""

    stored: StoredRun
    previous: StoredRun | None
    changes: list[RowChange]
    labels: dict[str, str]  # for run_explanation (rankings, classes, lines, comuni)

    def ranking_name(self, ranking: str | None) -> str:
        if ranking is None:
            return ""
        return self.labels.get(f"ranking:{ranking}", ranking)


def load_run_detail(session: Session, stored: StoredRun, runs: Sequence[StoredRun]) -> RunDetail:
    """Worker only: the run it follows is among ``runs`` (the avviso's)."""
    from caseworker_app.domain.run_explanation import avviso_labels

    run = stored.run
    previous = next((r for r in runs if r.run.id == run.follows), None)
    labels: dict[str, str] = {}
    with contextlib.suppress(UserFacingError):  # a definition no longer shipped: codes
        labels = avviso_labels(get_avviso(run.avviso, run.avviso_version))
    for code in {r.comune for r in run.rows}:
        labels[f"comune:{code}"] = comune_name(code)
    found = changes(previous.run, run) if previous is not None else []
    return RunDetail(stored, previous, found, labels)


def row_cells(detail: RunDetail, row: RunRow) -> tuple[str, ...]:
    return (
        "" if row.position is None else str(row.position),
        comune_name(row.comune),
        row.protocol,
        detail.ranking_name(row.ranking),
        "" if row.priority_class is None else str(row.priority_class),
        outcome_label(row.outcome),
        money(row.amount),
        money(row.eligible),
    )


def _described(row: RunRow | None) -> str:
    if row is None:
        return _tr("assente")
    where = _tr("pos. %1, ").replace("%1", str(row.position)) if row.position is not None else ""
    return f"{where}{outcome_label(row.outcome)}, {money(row.amount)}"


def change_cells(change: RowChange) -> tuple[str, ...]:
    if change.before is None:
        what = _tr("Nuova istanza")
    elif change.after is None:
        what = _tr("Non più in graduatoria")
    elif change.before.version != change.after.version:
        what = _tr("Nuova versione ricevuta")
    else:
        what = _tr("Cambiata")
    return (
        comune_name(change.comune),
        change.protocol,
        what,
        _described(change.before),
        _described(change.after),
    )


class AlignedTableModel(TextTableModel):
    """A table of strings whose amount columns are aligned to the right."""

    def __init__(
        self, headers: Sequence[str], right: Sequence[int], parent: QObject | None = None
    ) -> None:
        super().__init__(headers, parent)
        self.right = frozenset(right)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)
