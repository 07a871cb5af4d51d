"""``caseworker check`` and ``caseworker rank`` (interchange.md §2)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from caseworker_app.cli.common import EXIT_OK, emit, gc_paused


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"data non valida «{text}»: scrivila come AAAA-MM-GG, ad esempio 2024-01-31"
        ) from None


def _euros(text: str) -> str:
    from caseworker_app.domain.rules.money import MAX_MONEY, format_eur, parse_money, too_large

    if too_large(text) and not text.startswith("-"):
        raise argparse.ArgumentTypeError(
            f"importo troppo grande: il massimo è {format_eur(MAX_MONEY)}; controlla il valore"
        )
    if parse_money(text) is None or text.startswith("-"):
        raise argparse.ArgumentTypeError(
            f"importo non valido «{text}»: scrivilo con il punto e due decimali, ad esempio "
            "19453.77"
        )
    return text


def add_parsers(sub: argparse._SubParsersAction[Any], parser_class: type[Any]) -> None:
    p = sub.add_parser("check", help="verifica i requisiti di un'istanza")
    p.add_argument("--avviso", required=True, metavar="ID")
    p.add_argument(
        "--on",
        type=_date,
        default=None,
        metavar="AAAA-MM-GG",
        help="data della valutazione (predefinita: oggi)",
    )
    p.add_argument("istanza", metavar="ISTANZA.json")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("rank", help="graduatoria o ordine di sportello e assegnazione del budget")
    p.add_argument("--avviso", required=True, metavar="ID")
    p.add_argument("--on", type=_date, default=None, metavar="AAAA-MM-GG")
    p.add_argument("--budget", type=_euros, default=None, metavar="EUR")
    p.add_argument(
        "--provisional",
        action="store_true",
        help="graduatoria provvisoria anche con istanze da integrare",
    )
    p.add_argument("istanze", metavar="ISTANZE.json|CARTELLA")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rank)


def _verdict_json(v: Any) -> dict[str, Any]:
    from caseworker_app.domain.rules.money import to_json

    return {
        "istanza": v.record.id,
        "avviso": v.avviso,
        "outcome": v.outcome.value,
        "priority_class": v.priority_class,
        "amount": to_json(v.amount),
        "checks": [
            {"code": c.code, "status": c.status.value, "message": c.message} for c in v.checks
        ],
        "lines": [
            {
                "code": ln.code,
                "requested": to_json(ln.requested),
                "granted": to_json(ln.granted),
                "status": ln.status.value,
                "message": ln.message,
            }
            for ln in v.lines
        ],
    }


OUTCOME_IT = {
    "ammissibile": "AMMISSIBILE",
    "da_integrare": "DA INTEGRARE",
    "non_ammissibile": "NON AMMISSIBILE",
    "finanziata": "finanziata",
    "finanziata_parzialmente": "finanziata parzialmente",
    "ammessa_non_finanziata": "ammessa non finanziata",
}
STATUS_IT = {"ok": "ok", "ko": "NO", "warning": "attenzione", "pending": "in attesa"}


def cmd_check(args: argparse.Namespace) -> int:
    from caseworker_app.definitions.avvisi import get_avviso
    from caseworker_app.domain.rules.eligibility import judge
    from caseworker_app.domain.rules.money import format_eur
    from caseworker_app.transfer.istanza_record import load_istanza

    avviso = get_avviso(args.avviso)
    record = load_istanza(Path(args.istanza), avviso=avviso)
    verdict = judge(avviso, record, on=args.on or date.today())
    lines = [f"Istanza {record.id} — avviso {avviso.id}: {OUTCOME_IT[verdict.outcome.value]}"]
    if verdict.priority_class is not None:
        lines.append(f"Classe di priorità: {verdict.priority_class}")
    lines.append(f"Importo ammissibile: {format_eur(verdict.amount)}")
    lines += [f"  [{STATUS_IT[c.status.value]}] {c.message}" for c in verdict.checks]
    lines += [
        f"  riga {ln.code}: [{STATUS_IT[ln.status.value]}] {ln.message}" for ln in verdict.lines
    ]
    emit(args, _verdict_json(verdict), "\n".join(lines))
    return EXIT_OK


def cmd_rank(args: argparse.Namespace) -> int:
    with gc_paused():  # a batch of thousands of acyclic objects: see gc_paused
        return _rank(args)


def _rank(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from caseworker_app.definitions.avvisi import get_avviso
    from caseworker_app.domain.rules.allocation import allocate
    from caseworker_app.domain.rules.eligibility import judge
    from caseworker_app.domain.rules.money import format_eur, to_json
    from caseworker_app.transfer.istanza_record import load_istanze

    avviso = get_avviso(args.avviso)
    on = args.on or date.today()
    records = load_istanze(Path(args.istanze), avviso=avviso)
    verdicts = [judge(avviso, r, on=on) for r in records]
    result = allocate(
        avviso,
        verdicts,
        on=on,
        budget=Decimal(args.budget) if args.budget else None,
        provisional=args.provisional,
    )
    payload: dict[str, Any] = {
        "avviso": result.avviso,
        "budget": to_json(result.budget),
        "assigned": to_json(result.assigned),
        "residual": to_json(result.residual),
    }
    if result.provisional:
        payload["provisional"] = True
    if len(result.rankings) > 1:
        payload["rankings"] = [
            {
                "id": t.id,
                "budget": to_json(t.budget),
                "inflow": to_json(t.inflow),
                "assigned": to_json(t.assigned),
            }
            for t in result.rankings
        ]
    rows = []
    for row in result.rows:
        item: dict[str, Any] = {
            "istanza": row.istanza,
            "comune": row.comune,
            "position": row.position,
            "priority_class": row.priority_class,
            "outcome": row.outcome.value,
            "amount": to_json(row.amount),
        }
        if row.ranking is not None:
            item["ranking"] = row.ranking
        rows.append(item)
    payload["rows"] = rows
    head = (
        f"Avviso {result.avviso}: budget {format_eur(result.budget)}, assegnati "
        f"{format_eur(result.assigned)}, residuo {format_eur(result.residual)}"
        + (" — GRADUATORIA PROVVISORIA" if result.provisional else "")
    )
    body = [
        f"{(str(r.position) if r.position else '-'):>5}  {r.comune}  {r.istanza:<20} "
        f"{OUTCOME_IT.get(r.outcome.value, r.outcome.value):<26} {format_eur(r.amount):>14}"
        for r in result.rows
    ]
    emit(args, payload, "\n".join([head, *body]), compact=len(rows) > 100)
    return EXIT_OK
