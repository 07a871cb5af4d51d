"""``caseworker keys``: the transmission keys of a store (its public part and fingerprint), and
the ambito package a capofila hands to its comuni with those keys."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from caseworker_app.cli.common import EXIT_OK, emit, store_path
from caseworker_app.domain.installation_keys import Fingerprint


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
    human = "\n".join(
        [
            f"Chiavi di trasmissione di questa installazione ({bundle.role}, ambito "
            f"{bundle.ambito}, comuni {', '.join(bundle.comuni)}).",
            f"Installazione: {bundle.installation}",
            "",
            "Impronta, da leggere al telefono a chi riceve le chiavi:",
            "",
            *fingerprint_lines(fingerprint),
            "",
            f"Chiave di firma (Ed25519): {bundle.signing_public}",
            f"Destinatario age (cifratura): {bundle.age_recipient}",
            "Le chiavi private restano dentro l'archivio cifrato (e nei suoi backup).",
        ]
    )
    emit(args, payload, human)
    return EXIT_OK


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """Replace the store's key set (administrator); prints the new fingerprint."""
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import installation_keys

    workspace = unlock(args)
    try:
        bundle = installation_keys.rotate_own_keys(
            workspace.uow_factory(),
            actor=workspace.actor,
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    then = (
        "Il prossimo pacchetto d'ambito porterà il cambio di chiavi firmato dalle vecchie: i "
        "comuni lo accettano senza nuova telefonata."
        if bundle.role == "capofila"
        else "Telefona all'Ufficio di Piano e leggi la nuova impronta: il capofila la conferma "
        "all'importazione della prossima trasmissione."
    )
    human = "\n".join(
        [
            "Nuove chiavi di trasmissione create; le vecchie sono ritirate.",
            "",
            "Nuova impronta:",
            "",
            *fingerprint_lines(bundle.fingerprint),
            "",
            then,
        ]
    )
    emit(args, {"fingerprint": bundle.fingerprint.display, "role": bundle.role}, human)
    return EXIT_OK


def fingerprint_lines(fingerprint: Fingerprint) -> list[str]:
    """The fingerprint in two indented lines of four groups, as read on the phone."""
    groups = fingerprint.groups
    half = len(groups) // 2
    return [f"    {' '.join(groups[:half])}", f"    {' '.join(groups[half:])}"]


def cmd_keys_export_ambito(args: argparse.Namespace) -> int:
    """Write the ambito package of a capofila store (its keys, the comuni, the avvisi in force)."""
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import ambito_packages

    out = store_path(args.out)
    workspace = unlock(args)
    try:
        exported = ambito_packages.export_ambito_package(
            workspace.uow_factory(),
            actor=workspace.actor,
            out=out,
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    package = exported.package
    payload = {
        "file": str(exported.path),
        "kind": "ambito",
        "ambito": package.ambito,
        "sequence": package.sequence,
        "issued_at": package.issued_at.isoformat(),
        "fingerprint": exported.fingerprint.display,
        "comuni": [c.code for c in package.comuni],
        "avvisi": [{"id": a.id, "version": a.version, "sha256": a.sha256} for a in package.avvisi],
        "rotation": exported.rotated,
        "sha256": exported.sha256,
    }
    avvisi = ", ".join(f"{a.id} (versione {a.version})" for a in package.avvisi) or "nessuno"
    human = "\n".join(
        [
            f"Pacchetto d'ambito n. {package.sequence} scritto in {exported.path}.",
            f"Ambito {package.ambito}: {len(package.comuni)} comuni; avvisi: {avvisi}.",
            *(
                ["Porta il cambio di chiavi, firmato dalle chiavi precedenti."]
                if exported.rotated
                else []
            ),
            "",
            "Consegnalo ai comuni dell'ambito. Al primo import ogni comune deve confermare al "
            "telefono l'impronta delle chiavi del capofila:",
            "",
            *fingerprint_lines(exported.fingerprint),
        ]
    )
    emit(args, payload, human)
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    parser_class: type[argparse.ArgumentParser],
    add_store_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``keys show``, ``keys rotate`` and ``keys export-ambito`` on the main parser."""
    p = sub.add_parser("keys", help="chiavi di trasmissione dell'archivio")
    keys_sub = p.add_subparsers(dest="keys_command", required=True, parser_class=parser_class)

    q = keys_sub.add_parser(
        "show", help="mostra le chiavi pubbliche e l'impronta (le crea al primo uso)"
    )
    add_store_args(q)
    q.set_defaults(handler=cmd_keys_show)

    q = keys_sub.add_parser(
        "rotate",
        help="(amministratore) sostituisce le chiavi di trasmissione con chiavi nuove; le vecchie "
        "restano ritirate nell'archivio",
    )
    add_store_args(q)
    q.set_defaults(handler=cmd_keys_rotate)

    q = keys_sub.add_parser(
        "export-ambito",
        help="(capofila) scrive il pacchetto d'ambito da consegnare ai comuni: chiavi pubbliche, "
        "comuni e avvisi in vigore, firmato",
    )
    add_store_args(q)
    q.add_argument("--out", required=True, metavar="FILE", help="file da scrivere (nuovo)")
    q.set_defaults(handler=cmd_keys_export_ambito)
