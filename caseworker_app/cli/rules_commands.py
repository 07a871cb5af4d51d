"""``caseworker check`` and ``caseworker rank`` (interchange.md §2)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from caseworker_app.cli.common import EXIT_OK, emit
from caseworker_app.services.batch import gc_paused


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"data non valida «{text}»: scrivila come AAAA-MM-GG, ad esempio 2024-01-31"
        ) from None


#: the ``--on`` of the desk's commands too
day_argument = _date


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
    p.add_argument("istanze", metavar="ISTANZE.json|CARTELLA", nargs="?", default=None)
    p.add_argument("--json", action="store_true")
    # at the capofila: rank what was received, and record the run (issue 13)
    p.add_argument(
        "--store",
        metavar="DIR",
        default=None,
        help="archivio del capofila: ordina le istanze ricevute e registra la graduatoria",
    )
    p.add_argument("--operator", metavar="UTENTE", help="operatore (con --store)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="legge la password dalla prima riga dello standard input (con --store)",
    )
    p.add_argument("--note", metavar="TESTO", default=None, help="motivo della graduatoria")
    p.add_argument(
        "--withdrawn",
        action="append",
        default=[],
        metavar="COMUNE/PROTOCOLLO",
        help="(con --store) istanza ritirata dal richiedente: resta non ammessa; ripetibile",
    )
    p.add_argument("--keystore", choices=["file", "keyring"], default=None, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_rank)


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
    from caseworker_app.domain.rules.money import format_eur
    from caseworker_app.services.judging import check_istanza_file
    from caseworker_app.transfer.verdict_json import verdict_payload

    verdict = check_istanza_file(
        avviso_id=args.avviso, path=Path(args.istanza), on=args.on or date.today()
    )
    lines = [
        f"Istanza {verdict.record.id} — avviso {verdict.avviso}: "
        f"{OUTCOME_IT[verdict.outcome.value]}"
    ]
    if verdict.priority_class is not None:
        lines.append(f"Classe di priorità: {verdict.priority_class}")
    lines.append(f"Importo ammissibile: {format_eur(verdict.amount)}")
    lines += [f"  [{STATUS_IT[c.status.value]}] {c.message}" for c in verdict.checks]
    lines += [
        f"  riga {ln.code}: [{STATUS_IT[ln.status.value]}] {ln.message}" for ln in verdict.lines
    ]
    emit(args, verdict_payload(verdict), "\n".join(lines))
    return EXIT_OK


def cmd_rank(args: argparse.Namespace) -> int:
    if (args.store is None) == (args.istanze is None):
        from caseworker_app.domain.errors import UserFacingError

        raise UserFacingError("cli.rank_store_or_files")
    if args.store is not None:
        from caseworker_app.cli.desk_commands import cmd_rank_store

        return cmd_rank_store(args)
    # the payload of thousands of rows is a batch too: keep the collector paused until emitted
    with gc_paused():
        return _rank(args)


def _rank(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from caseworker_app.domain.rules.money import format_eur
    from caseworker_app.services.judging import rank_istanze_file
    from caseworker_app.transfer.verdict_json import allocation_payload

    result = rank_istanze_file(
        avviso_id=args.avviso,
        path=Path(args.istanze),
        on=args.on or date.today(),
        budget=Decimal(args.budget) if args.budget else None,
        provisional=args.provisional,
    )
    payload = allocation_payload(result)
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
    emit(args, payload, "\n".join([head, *body]), compact=len(result.rows) > 100)
    return EXIT_OK
