"""Argument parsing and dispatch of the ``caseworker`` command."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable, Sequence

from caseworker_app import __version__
from caseworker_app.cli import (
    desk_commands,
    desk_outcomes_command,
    desk_sample_command,
    keys_commands,
    operator_commands,
    rules_commands,
    score_args,
    transfer_commands,
)
from caseworker_app.cli.argparse_it import install as speak_italian
from caseworker_app.cli.common import EXIT_BAD_INPUT, run_guarded

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"caseworker: argomenti non validi: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _store_args(p: argparse.ArgumentParser, *, unlock: bool = True) -> None:
    p.add_argument("--store", required=True, metavar="DIR", help="cartella dell'archivio")
    if unlock:
        p.add_argument(
            "--operator",
            metavar="UTENTE",
            help="operatore (predefinito: CASEWORKER_OPERATOR o l'unico registrato)",
        )
        p.add_argument(
            "--password-stdin",
            action="store_true",
            help="legge la password dalla prima riga dello standard input",
        )
    p.add_argument("--json", action="store_true", help="risultato in JSON")
    p.add_argument("--keystore", choices=["file", "keyring"], default=None, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    speak_italian()
    parser = _Parser(
        prog="caseworker",
        description="caseworker: cartelle sociali e istruttorie "
        "delle misure regionali, da riga di comando.",
    )
    parser.add_argument("--version", action="version", version=f"caseworker {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("init", help="crea un nuovo archivio cifrato")
    _store_args(p, unlock=False)
    p.add_argument("--role", required=True, choices=["comune", "capofila"])
    p.add_argument("--ambito", required=True)
    p.add_argument("--comune", required=True, metavar="CODICE")
    p.add_argument("--operator", required=True, metavar="UTENTE")
    p.add_argument("--full-name", default="", metavar="NOME")
    p.add_argument(
        "--qualifica",
        default="",
        metavar="QUALIFICA",
        help="per esempio «assistente sociale» (predefinita secondo il ruolo dell'installazione)",
    )
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(handler="caseworker_app.cli.store_commands:cmd_init")

    p = sub.add_parser("demo", help="riempie l'archivio con dati dimostrativi sintetici")
    _store_args(p)
    p.add_argument("--cases", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.set_defaults(handler="caseworker_app.cli.store_commands:cmd_demo")

    p = sub.add_parser("audit", help="registro attività")
    audit_sub = p.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    v = audit_sub.add_parser("verify", help="verifica l'integrità del registro attività")
    _store_args(v)
    v.add_argument(
        "--anchor",
        metavar="N:IMPRONTA",
        help="l'ultimo evento annotato in precedenza (numero e impronta, come stampati): "
        "controlla che il registro lo contenga ancora",
    )
    v.set_defaults(handler="caseworker_app.cli.store_commands:cmd_audit_verify")

    p = sub.add_parser("backup", help="copia cifrata dell'archivio (anche ad app aperta)")
    _store_args(p)
    p.add_argument("--to", required=True, metavar="FILE")
    p.set_defaults(handler="caseworker_app.cli.store_commands:cmd_backup")

    p = sub.add_parser("restore", help="ricostruisce un archivio da un backup")
    p.add_argument("--from", dest="source", required=True, metavar="FILE")
    p.add_argument("--store", required=True, metavar="DIR")
    p.add_argument(
        "--replace",
        action="store_true",
        help="sposta da parte (senza cancellarlo) l'archivio esistente",
    )
    p.add_argument(
        "--recovery-stdin",
        action="store_true",
        help="legge il codice di recupero dallo standard input",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--keystore", choices=["file", "keyring"], default=None, help=argparse.SUPPRESS)
    p.set_defaults(handler="caseworker_app.cli.store_commands:cmd_restore")

    p = sub.add_parser("list", help="elenca le istanze dell'archivio")
    _store_args(p)
    p.set_defaults(handler="caseworker_app.cli.store_commands:cmd_list")

    p = sub.add_parser("print", help="stampa in PDF un documento di un'istanza")
    _store_args(p)
    p.add_argument("--istanza", required=True, metavar="ID", help="protocollo o identificativo")
    p.add_argument(
        "--document",
        required=True,
        choices=[
            "pi",
            "adl",
            "iadl",
            "barthel",
            "istanza",
            "privacy",
            "esito",
            "preavviso_rigetto",
        ],
        help="documento da stampare (esito, preavviso_rigetto: le lettere al richiedente)",
    )
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="file PDF da scrivere")
    p.add_argument(
        "--version",
        type=int,
        default=None,
        metavar="N",
        help="versione del Progetto Individuale (predefinita: l'ultima)",
    )
    p.set_defaults(handler="caseworker_app.cli.print_command:cmd_print")

    operator_commands.add_parsers(sub, _Parser, _store_args)
    keys_commands.add_parsers(sub, _Parser, _store_args)
    transfer_commands.add_parsers(sub, _store_args)
    rules_commands.add_parsers(sub, _Parser)
    desk_commands.add_parsers(sub, _store_args, rules_commands.day_argument)
    desk_outcomes_command.add_parsers(sub, _store_args)
    desk_sample_command.add_parsers(sub, _store_args)
    score_args.add_parsers(sub)

    p = sub.add_parser(
        "self-test",
        help="autodiagnosi: prova in una cartella temporanea archivio cifrato, definizioni, "
        "verifica delle istanze, stampa e trasmissione",
    )
    p.add_argument("--json", action="store_true", help="risultato in JSON")
    p.set_defaults(handler="caseworker_app.cli.store_commands:cmd_self_test")
    return parser


def resolve(handler: Handler | str) -> Handler:
    """Handlers may be named "module:function" so that a command loads only what it uses
    (ranking JSON files must not pay for importing the database stack)."""
    if callable(handler):
        return handler
    module_name, _, attr = handler.partition(":")
    found: Handler = getattr(importlib.import_module(module_name), attr)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return run_guarded(resolve(args.handler), args)


def console() -> int:
    """The ``caseworker`` program: :func:`main`, then the process ends. What a command leaves
    on the heap (the database stack, a ranking's thousands of objects not yet collected)
    would be walked again by the collector's passes at interpreter shutdown, for nothing: a
    fifth of a second after ``rank --store`` over 10,000 istanze. Frozen, they are skipped;
    the exit handlers still run and every file is closed as usual."""
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(console())
