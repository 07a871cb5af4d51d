"""``caseworker sample --store CAPOFILA --run RUN [--percent 5] [--seed S]``: draw and record
the control sample of a run's funded beneficiaries (seed 003 §8), printed with what to check on
each drawn istanza."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from caseworker_app.cli.common import EXIT_OK, emit

if TYPE_CHECKING:
    from caseworker_app.services.controls import ControlSampleView


def _percent(text: str) -> Decimal:
    from caseworker_app.domain.control_sample import valid_percent

    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not valid_percent(value):
        raise argparse.ArgumentTypeError(
            f"percentuale non valida «{text}»: scrivi un numero maggiore di 0 e al massimo 100, "
            "con al più due decimali (per esempio 5)"
        )
    return value


def sample_payload(view: ControlSampleView) -> dict[str, Any]:
    s = view.sample
    return {
        "sample": view.id,
        "sha256": view.content_sha256,
        "avviso": view.avviso,
        "run": s.run,
        "run_number": view.run_number,
        "run_sha256": s.run_sha256,
        "seed": s.seed,
        "method": s.method,
        "percent": f"{s.percent:.2f}",
        "per_comune": s.per_comune,
        "population": s.population,
        "drawn_at": view.drawn_at.isoformat(),
        "drawn_by": view.drawn_by,
        "rows": [
            {
                "comune": r.comune,
                "protocol": r.protocol,
                "position": r.position,
                "outcome": r.outcome.value,
                "amount": f"{r.amount:.2f}",
                "result": r.result.value,
                "checks_to_do": [{"code": c.code, "label": c.label} for c in r.to_check],
            }
            for r in view.rows
        ],
    }


def _human(view: ControlSampleView) -> str:
    from caseworker_app.domain.rules.money import format_eur

    s = view.sample
    each = ", almeno una per comune" if s.per_comune else ""
    lines = [
        f"Campione dei controlli della graduatoria n. {view.run_number} (avviso {view.avviso}): "
        f"{len(s.rows)} istanze su {s.population} finanziate ({s.percent.normalize():f}%{each}).",
        f"Seme «{s.seed}», metodo {s.method}: con la graduatoria e il seme chiunque può ripetere "
        "il sorteggio.",
    ]
    lines += [
        f"  {r.comune}  {r.protocol:<20} {r.outcome.value:<24} {format_eur(r.amount):>14}"
        for r in view.rows
    ]
    if view.rows:
        lines.append("Da controllare per ciascuna:")
        lines += [f"  - {c.label}" for c in view.rows[0].to_check]
    return "\n".join(lines)


def cmd_sample(args: argparse.Namespace) -> int:
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import controls

    workspace = unlock(args)
    try:
        view = controls.draw_sample(
            workspace.uow_factory(),
            actor=workspace.actor,
            run_id=args.run,
            percent=args.percent,
            seed=args.seed,
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    emit(args, sample_payload(view), _human(view))
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    add_store_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``sample`` on the main parser."""
    p = sub.add_parser(
        "sample",
        help="estrae e registra il campione dei controlli sui beneficiari finanziati di una "
        "graduatoria (capofila)",
    )
    add_store_args(p)
    p.add_argument("--run", required=True, metavar="RUN", help="identificativo della graduatoria")
    p.add_argument(
        "--percent",
        type=_percent,
        default=Decimal(5),
        metavar="P",
        help="percentuale dei finanziati da controllare, arrotondata per eccesso (predefinita 5)",
    )
    p.add_argument(
        "--seed",
        default=None,
        metavar="S",
        help="seme del sorteggio (predefinito: uno casuale, registrato con il campione)",
    )
    p.set_defaults(handler="caseworker_app.cli.desk_sample_command:cmd_sample")
