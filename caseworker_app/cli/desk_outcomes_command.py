"""``caseworker outcomes`` (the capofila writes one file of outcomes per comune, issue 13) and
what ``caseworker import`` prints of an outcomes file imported at a comune."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from caseworker_app.cli.common import EXIT_OK, emit, store_path

if TYPE_CHECKING:
    from caseworker_app.services.outcomes_import import ImportedOutcomes

_STATE_IT = {
    "trasmessa": "trasmessa",
    "finanziata": "finanziata",
    "finanziata_parzialmente": "finanziata parzialmente",
    "ammessa_non_finanziata": "ammessa non finanziata",
    "non_ammissibile": "non ammissibile",
}


def cmd_outcomes(args: argparse.Namespace) -> int:
    """The outcomes of the approved run of the avviso (or the latest run with ``--latest``),
    one sealed file per comune into ``--out-dir``."""
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.domain.run_explanation import reasons
    from caseworker_app.services import outcomes, ranking_runs

    out_dir = store_path(args.out_dir)
    now = datetime.now().replace(microsecond=0)
    workspace = unlock(args)
    try:
        stored = ranking_runs.outcome_run(
            workspace.uow_factory(),
            actor=workspace.actor,
            avviso_id=args.avviso,
            latest=args.latest,
        )
        files = outcomes.write_outcomes(
            workspace.uow_factory(),
            actor=workspace.actor,
            stored=stored,
            out_dir=out_dir,
            now=now,
            reasons=reasons(stored.run),
        )
    finally:
        workspace.close()
    run = stored.run
    approval = stored.approval
    payload = {
        "avviso": run.avviso,
        "run": {
            "id": run.id,
            "number": run.number,
            "sha256": stored.content_sha256,
            "status": stored.status.value,
            "determina": None
            if approval is None
            else {"number": approval.determina, "date": approval.on.isoformat()},
        },
        "approved": approval is not None,
        "files": [
            {
                "comune": f.comune,
                "file": str(f.path),
                "transmission": f.transmission,
                "istanze": f.lines,
                "recipient_fingerprint": f.fingerprint,
                "again": f.again,
            }
            for f in files
        ],
    }
    if approval is None:
        head = (
            f"Esiti della graduatoria n. {run.number} dell'avviso {run.avviso} (NON approvata: "
            "i comuni li registrano come non definitivi)"
        )
    else:
        head = (
            f"Esiti della graduatoria n. {run.number} dell'avviso {run.avviso}, approvata con "
            f"la determina {approval.determina} del {approval.on:%d/%m/%Y}"
        )
    lines = [head + f": {len(files)} file"]
    for f in files:
        again = " (lo stesso file scritto prima)" if f.again else ""
        lines.append(f"  {f.comune}: {f.lines} istanze — {f.path}{again}")
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def emit_imported_outcomes(args: argparse.Namespace, result: ImportedOutcomes) -> int:
    """What ``caseworker import`` prints of an outcomes file imported at a comune."""
    payload = {
        "kind": "esiti",
        "file": result.file,
        "transmission": result.transmission,
        "avviso": result.avviso,
        "comune": result.comune,
        "run": {"id": result.run_id, "number": result.run_number},
        "approved": result.approved,
        "determina": result.determina,
        "already_imported": result.already_imported,
        "moved": result.moved,
        "istanze": [
            {
                "id": i.protocol,
                "comune": i.comune,
                "outcome": i.outcome.value,
                "amount": f"{i.amount:.2f}",
                "reason": i.reason or None,
                "state": i.state.value,
                "moved": i.moved,
            }
            for i in result.istanze
        ],
    }
    if result.already_imported:
        head = f"Esiti {result.file}: già importati, nessuna modifica."
    elif result.approved:
        head = (
            f"Esiti {result.file} della graduatoria n. {result.run_number} (determina "
            f"{result.determina}) importati: {len(result.istanze)} istanze, {result.moved} "
            "cambiano stato."
        )
    else:
        head = (
            f"Esiti {result.file} della graduatoria n. {result.run_number} importati come NON "
            "definitivi (graduatoria non ancora approvata): lo stato delle istanze non cambia."
        )
    body = [
        f"  {i.protocol}: {i.outcome.value} {i.amount:.2f} € — "
        f"{_STATE_IT.get(i.state.value, i.state.value)}"
        for i in result.istanze
    ]
    emit(args, payload, "\n".join([head, *body]), compact=len(body) > 100)
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    add_store_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    p = sub.add_parser(
        "outcomes",
        help="scrive gli esiti della graduatoria approvata, un file per comune (capofila)",
    )
    add_store_args(p)
    p.add_argument("--avviso", required=True, metavar="ID")
    p.add_argument("--out-dir", required=True, metavar="DIR", help="cartella dei file degli esiti")
    p.add_argument(
        "--latest",
        action="store_true",
        help="dall'ultima graduatoria anche se non approvata (esiti non definitivi)",
    )
    p.set_defaults(handler=cmd_outcomes)
