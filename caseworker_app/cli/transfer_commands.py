"""``caseworker import``: any of our transfer files, its kind read from the file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from caseworker_app.cli.common import EXIT_OK, emit, store_path
from caseworker_app.cli.keys_commands import fingerprint_lines

if TYPE_CHECKING:
    from caseworker_app.services.ambito_packages import ImportedAmbitoPackage


def cmd_import(args: argparse.Namespace) -> int:
    """Import the file into the store: today the ambito package (at a comune)."""
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import transfer_import

    path = store_path(args.file)
    workspace = unlock(args)
    try:
        result = transfer_import.import_transfer_file(
            workspace.uow_factory(),
            actor=workspace.actor,
            path=path,
            options=transfer_import.ImportOptions(trust_fingerprint=args.trust_fingerprint),
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    return _emit_ambito(args, result)


def _emit_ambito(args: argparse.Namespace, result: ImportedAmbitoPackage) -> int:
    """The outcome of importing an ambito package (one such function per kind, as kinds are
    added to ``services.transfer_import``)."""
    package = result.package
    payload = {
        "kind": "ambito",
        "file": result.file,
        "ambito": package.ambito,
        "sequence": package.sequence,
        "issued_at": package.issued_at.isoformat(),
        "fingerprint": result.fingerprint.display,
        "already_imported": result.already_imported,
        "pinned": result.pinned,
        "rotated": result.rotated,
        "comuni": [c.code for c in package.comuni],
        "avvisi": [{"id": a.id, "version": a.version, "sha256": a.sha256} for a in package.avvisi],
        "sha256": result.sha256,
    }
    if result.already_imported:
        lines = [
            f"Pacchetto d'ambito n. {package.sequence} ({result.file}): già importato, "
            "nessuna modifica."
        ]
    else:
        avvisi = ", ".join(f"{a.id} (versione {a.version})" for a in package.avvisi) or "nessuno"
        lines = [
            f"Pacchetto d'ambito n. {package.sequence} dell'ambito {package.ambito} importato.",
            f"Comuni dell'ambito: {len(package.comuni)}; avvisi in vigore: {avvisi}.",
        ]
        if result.pinned:
            lines.append("Le chiavi del capofila sono ora confermate in questo archivio:")
        elif result.rotated:
            lines.append(
                "Il capofila ha cambiato chiavi (il cambio è firmato dalle chiavi confermate): "
                "le nuove sono confermate, le vecchie revocate. Nuova impronta:"
            )
        else:
            lines.append("Firmato dalle chiavi del capofila confermate in questo archivio:")
        lines += ["", *fingerprint_lines(result.fingerprint)]
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction[Any],
    add_store_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``import`` on the main parser."""
    p = sub.add_parser(
        "import",
        help="importa un file di trasmissione di caseworker (oggi: il pacchetto d'ambito del "
        "capofila); il tipo si legge dal file",
    )
    add_store_args(p)
    p.add_argument("file", metavar="FILE", help="il file ricevuto")
    p.add_argument(
        "--trust-fingerprint",
        metavar="IMPRONTA",
        default=None,
        help="l'impronta delle chiavi del mittente, confermata al telefono (serve finché le sue "
        "chiavi non sono confermate in questo archivio; spazi e trattini non contano)",
    )
    p.set_defaults(handler=cmd_import)
