"""``caseworker keys``: the transmission keys of a store (its public part and fingerprint)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from caseworker_app.cli.common import EXIT_OK, emit


def cmd_keys_show(args: argparse.Namespace) -> int:
    """The public keys of the store and their fingerprint; the store gets its key set on first
    use (stores created before the keys existed)."""
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import installation_keys

    workspace = unlock(args)
    try:
        with workspace.uow_factory() as uow:
            bundle = installation_keys.ensure_own_keys(
                uow, now=datetime.now().replace(microsecond=0), actor=workspace.actor
            )
            uow.commit()
    finally:
        workspace.close()
    fingerprint = bundle.fingerprint
    payload = {
        "installation": bundle.installation,
        "role": bundle.role,
        "ambito": bundle.ambito,
        "comuni": list(bundle.comuni),
        "signing_public": bundle.signing_public,
        "age_recipient": bundle.age_recipient,
        "fingerprint": fingerprint.display,
    }
    groups = fingerprint.groups
    half = len(groups) // 2
    human = "\n".join(
        [
            f"Chiavi di trasmissione di questa installazione ({bundle.role}, ambito "
            f"{bundle.ambito}, comuni {', '.join(bundle.comuni)}).",
            f"Installazione: {bundle.installation}",
            "",
            "Impronta, da leggere al telefono a chi riceve le chiavi:",
            "",
            f"    {' '.join(groups[:half])}",
            f"    {' '.join(groups[half:])}",
            "",
            f"Chiave di firma (Ed25519): {bundle.signing_public}",
            f"Destinatario age (cifratura): {bundle.age_recipient}",
            "Le chiavi private restano dentro l'archivio cifrato (e nei suoi backup).",
        ]
    )
    emit(args, payload, human)
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    parser_class: type[argparse.ArgumentParser],
    add_store_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``keys show`` on the main parser."""
    p = sub.add_parser("keys", help="chiavi di trasmissione dell'archivio")
    keys_sub = p.add_subparsers(dest="keys_command", required=True, parser_class=parser_class)

    q = keys_sub.add_parser(
        "show", help="mostra le chiavi pubbliche e l'impronta (le crea al primo uso)"
    )
    add_store_args(q)
    q.set_defaults(handler=cmd_keys_show)
