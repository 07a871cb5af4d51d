"""``caseworker operator``: operator accounts of a store (admin only)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from caseworker_app.cli.common import EXIT_OK, emit, read_secret
from caseworker_app.domain.operator import default_qualifica
from caseworker_app.domain.roles import Role

if TYPE_CHECKING:
    from caseworker_app.bootstrap.workspace import OpenStore


def unlock(args: argparse.Namespace) -> OpenStore:
    from caseworker_app.cli.store_commands import unlock as unlock_store  # the database stack

    return unlock_store(args)


ROLE_LABELS = {
    Role.ASSISTENTE_SOCIALE: "assistente sociale",
    Role.AMMINISTRATIVO: "amministrativo",
    Role.UFFICIO_DI_PIANO: "ufficio di piano",
    Role.ADMIN: "amministratore",
}


def cmd_operator_list(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        operators = workspace.list_operators()
    finally:
        workspace.close()
    payload = [
        {
            "username": o.username,
            "full_name": o.full_name,
            "qualifica": o.qualifica,
            "roles": sorted(r.value for r in o.roles),
            "active": o.active,
        }
        for o in operators
    ]
    lines = [
        f"{o.username:<20} {o.full_name:<30} {o.qualifica or '—':<26} "
        f"{', '.join(sorted(ROLE_LABELS[r] for r in o.roles)):<45} "
        f"{'attivo' if o.active else 'disattivato'}"
        for o in operators
    ]
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def cmd_operator_add(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        password = read_secret(
            args,
            env="CASEWORKER_NEW_PASSWORD",
            stdin_flag="new_password_stdin",
            what="la password del nuovo operatore",
        )
        roles = frozenset(Role(r) for r in args.role)
        operator = workspace.add_operator(
            username=args.username,
            full_name=args.full_name or args.username,
            roles=roles,
            password=password,
            qualifica=args.qualifica or default_qualifica(roles),
        )
    finally:
        workspace.close()
    emit(
        args,
        {
            "username": operator.username,
            "qualifica": operator.qualifica,
            "roles": sorted(r.value for r in operator.roles),
        },
        f"Operatore {operator.username} creato.",
    )
    return EXIT_OK


def cmd_operator_disable(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        workspace.disable_operator(username=args.username)
    finally:
        workspace.close()
    emit(
        args,
        {"username": args.username, "active": False},
        f"Operatore {args.username} disattivato: resta nel registro attività, ma non può più "
        "aprire l'archivio.",
    )
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    parser_class: type[argparse.ArgumentParser],
    add_store_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``operator list|add|disable`` on the main parser."""
    p = sub.add_parser("operator", help="operatori dell'archivio (amministratore)")
    op_sub = p.add_subparsers(dest="operator_command", required=True, parser_class=parser_class)

    q = op_sub.add_parser("list", help="elenca gli operatori")
    add_store_args(q)
    q.set_defaults(handler=cmd_operator_list)

    q = op_sub.add_parser("add", help="crea un operatore (password da CASEWORKER_NEW_PASSWORD)")
    add_store_args(q)
    q.add_argument("--username", required=True)
    q.add_argument("--full-name", default="")
    q.add_argument(
        "--qualifica", default="", help="per esempio «assistente sociale», «amministrativo»"
    )
    q.add_argument(
        "--role", action="append", required=True, choices=[r.value for r in Role], help="ripetibile"
    )
    q.add_argument(
        "--new-password-stdin",
        action="store_true",
        help="legge la password del nuovo operatore dallo standard input",
    )
    q.set_defaults(handler=cmd_operator_add)

    q = op_sub.add_parser("disable", help="disattiva un operatore")
    add_store_args(q)
    q.add_argument("--username", required=True)
    q.set_defaults(handler=cmd_operator_disable)
