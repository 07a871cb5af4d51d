"""The capofila's desk on the command line: ``rank --store`` (a recorded run over the istanze
received), ``runs``, ``approve`` and ``publish`` (issue 13)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from caseworker_app.cli.common import EXIT_OK, emit
from caseworker_app.cli.rules_commands import OUTCOME_IT

if TYPE_CHECKING:
    from caseworker_app.domain.ranking_run import RankingRun, StoredRun


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def run_identity(stored: StoredRun) -> dict[str, Any]:
    run = stored.run
    approval = stored.approval
    return {
        "id": run.id,
        "number": run.number,
        "sha256": stored.content_sha256,
        "inputs_sha256": run.inputs_sha256,
        "definition_sha256": run.definition_sha256,
        "avviso_version": run.avviso_version,
        "on": run.on.isoformat(),
        "status": stored.status.value,
        "follows": run.follows,
        "created_at": run.created_at.isoformat(),
        "created_by": run.created_by,
        "note": run.note or None,
        "determina": None
        if approval is None
        else {"number": approval.determina, "date": approval.on.isoformat()},
    }


def rank_payload(run: RankingRun) -> dict[str, Any]:
    """interchange.md §2's ``rank`` output, from a recorded run (the same keys and rows)."""
    payload: dict[str, Any] = {
        "avviso": run.avviso,
        "budget": f"{run.budget:.2f}",
        "assigned": f"{run.assigned:.2f}",
        "residual": f"{run.residual:.2f}",
    }
    if run.provisional:
        payload["provisional"] = True
    several = len(run.rankings) > 1
    if several:
        payload["rankings"] = [
            {
                "id": t.id,
                "budget": f"{t.budget:.2f}",
                "inflow": f"{t.inflow:.2f}",
                "assigned": f"{t.assigned:.2f}",
            }
            for t in run.rankings
        ]
    rows = []
    for r in run.rows:
        item: dict[str, Any] = {
            "istanza": r.protocol,
            "comune": r.comune,
            "position": r.position,
            "priority_class": r.priority_class,
            "outcome": r.outcome.value,
            "amount": f"{r.amount:.2f}",
        }
        if several and r.ranking is not None and r.outcome.value != "non_ammissibile":
            item["ranking"] = r.ranking
        rows.append(item)
    payload["rows"] = rows
    return payload


def _with_store(args: argparse.Namespace, work: Callable[[Any], int]) -> int:
    from caseworker_app.cli.store_commands import unlock  # the database stack

    workspace = unlock(args)
    try:
        return work(workspace)
    finally:
        workspace.close()


def _pair(text: str) -> tuple[str, str]:
    from caseworker_app.domain.errors import UserFacingError

    comune, sep, protocol = text.strip().partition("/")
    if not sep or len(comune) != 4 or not protocol:
        raise UserFacingError("desk.withdrawn_format", value=text[:60])
    return comune.upper(), protocol


def cmd_rank_store(args: argparse.Namespace) -> int:
    """``rank --store``: rank what the capofila received, record the run, print it."""
    from caseworker_app.services.batch import gc_paused

    def work(workspace: Any) -> int:
        with gc_paused():  # the run and its payload of thousands of rows: see gc_paused
            return _rank_store(args, workspace)

    return _with_store(args, work)


def _rank_store(args: argparse.Namespace, workspace: Any) -> int:
    from caseworker_app.domain.rules.money import format_eur
    from caseworker_app.services import ranking_runs

    stored = ranking_runs.rank_received(
        workspace.uow_factory(),
        actor=workspace.actor,
        avviso_id=args.avviso,
        on=args.on or _now().date(),
        budget=Decimal(args.budget) if args.budget else None,
        provisional=args.provisional,
        note=args.note or "",
        now=_now(),
        withdrawn=[_pair(text) for text in args.withdrawn],
    )
    run = stored.run
    payload = rank_payload(run)
    payload["run"] = run_identity(stored)
    head = (
        f"Graduatoria n. {run.number} dell'avviso {run.avviso} registrata "
        f"({stored.status.value}): budget {format_eur(run.budget)}, assegnati "
        f"{format_eur(run.assigned)}, residuo {format_eur(run.residual)}\n"
        f"Identificativo {run.id} — impronta {stored.content_sha256}"
    )
    body = [
        f"{(str(r.position) if r.position else '-'):>5}  {r.comune}  {r.protocol:<20} "
        f"{OUTCOME_IT.get(r.outcome.value, r.outcome.value):<26} {format_eur(r.amount):>14}"
        for r in run.rows
    ]
    emit(args, payload, "\n".join([head, *body]), compact=len(run.rows) > 100)
    return EXIT_OK


def cmd_runs(args: argparse.Namespace) -> int:
    from caseworker_app.domain.rules.money import format_eur
    from caseworker_app.services import ranking_runs

    def work(workspace: Any) -> int:
        runs = ranking_runs.runs_of(
            workspace.uow_factory(), actor=workspace.actor, avviso_id=args.avviso
        )
        payload = {
            "avviso": args.avviso,
            "runs": [
                {
                    **run_identity(s),
                    "budget": f"{s.run.budget:.2f}",
                    "assigned": f"{s.run.assigned:.2f}",
                    "residual": f"{s.run.residual:.2f}",
                    "rows": len(s.run.rows),
                    "funded": sum(r.amount > 0 for r in s.run.rows),
                }
                for s in runs
            ],
        }
        lines = [f"Graduatorie dell'avviso {args.avviso}: {len(runs)}"]
        for s in runs:
            det = f", determina {s.approval.determina}" if s.approval else ""
            lines.append(
                f"  n. {s.run.number} del {s.run.created_at:%d/%m/%Y %H:%M} ({s.status.value}"
                f"{det}): assegnati {format_eur(s.run.assigned)} su "
                f"{format_eur(s.run.budget)} — {s.run.id}"
            )
        emit(args, payload, "\n".join(lines))
        return EXIT_OK

    return _with_store(args, work)


def cmd_approve(args: argparse.Namespace) -> int:
    from caseworker_app.services import ranking_runs

    def work(workspace: Any) -> int:
        stored = ranking_runs.approve_run(
            workspace.uow_factory(),
            actor=workspace.actor,
            run_id=args.run,
            determina=args.determina,
            on=args.on,
            now=_now(),
        )
        emit(
            args,
            run_identity(stored),
            f"Graduatoria n. {stored.run.number} approvata con la determina "
            f"{args.determina} del {args.on:%d/%m/%Y}.",
        )
        return EXIT_OK

    return _with_store(args, work)


def cmd_publish(args: argparse.Namespace) -> int:
    from caseworker_app.cli.common import store_path
    from caseworker_app.services import publication

    def work(workspace: Any) -> int:
        done = publication.publish_run(
            workspace.uow_factory(),
            actor=workspace.actor,
            run_id=args.run,
            out_dir=store_path(args.out_dir),
            now=_now(),
        )
        payload = {
            "run": done.run_id,
            "number": done.number,
            publication.PUBLIC_DIR: [str(p) for p in done.public],
            publication.INTERNAL_DIR: [str(p) for p in done.internal],
            "unchanged": [str(p) for p in done.unchanged],
        }
        lines = [f"Graduatoria n. {done.number} pubblicata."]
        lines += [f"  da pubblicare: {p}" for p in done.public]
        lines += [f"  uso interno:   {p}" for p in done.internal]
        emit(args, payload, "\n".join(lines))
        return EXIT_OK

    return _with_store(args, work)


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    add_store_args: Callable[[argparse.ArgumentParser], None],
    day: Callable[[str], Any],
) -> None:
    """Register ``runs`` and ``approve`` (``rank --store`` is an option of ``rank``)."""
    p = sub.add_parser("runs", help="elenca le graduatorie registrate di un avviso (capofila)")
    add_store_args(p)
    p.add_argument("--avviso", required=True, metavar="ID")
    p.set_defaults(handler=cmd_runs)

    p = sub.add_parser("approve", help="approva una graduatoria con la determina (capofila)")
    add_store_args(p)
    p.add_argument("--run", required=True, metavar="RUN", help="identificativo della graduatoria")
    p.add_argument("--determina", required=True, metavar="N/AAAA", help="numero della determina")
    p.add_argument(
        "--on", required=True, type=day, metavar="AAAA-MM-GG", help="data della determina"
    )
    p.set_defaults(handler=cmd_approve)

    p = sub.add_parser(
        "publish",
        help="scrive la graduatoria da pubblicare (PDF e CSV senza dati personali) e i file ad "
        "uso interno (XLSX, CSV, elenco di liquidazione)",
    )
    add_store_args(p)
    p.add_argument("--run", required=True, metavar="RUN", help="identificativo della graduatoria")
    p.add_argument(
        "--out-dir",
        required=True,
        metavar="CARTELLA",
        help="dove creare pubblicazione/ e uso-interno/",
    )
    p.set_defaults(handler=cmd_publish)
