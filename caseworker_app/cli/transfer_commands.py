"""``caseworker import`` (any of our transfer files, its kind read from the file) and
``caseworker export`` (the istruttorie of a comune for the capofila)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from caseworker_app.cli.common import EXIT_OK, emit, store_path
from caseworker_app.cli.keys_commands import fingerprint_lines

if TYPE_CHECKING:
    from caseworker_app.services.ambito_packages import ImportedAmbitoPackage
    from caseworker_app.services.transmissions import ImportedReceipt
    from caseworker_app.services.transmissions_reception import ImportedIstruttorie


def cmd_import(args: argparse.Namespace) -> int:
    """Import the file into the store: the ambito package (at a comune), istruttorie (at the
    capofila, which writes the receipt) or a receipt (at the comune)."""
    from caseworker_app.cli.desk_outcomes_command import emit_imported_outcomes
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import (
        ambito_packages,
        outcomes_import,
        transfer_import,
        transmissions,
    )

    path = store_path(args.file)
    receipt_out = store_path(args.receipt_out) if args.receipt_out else None
    workspace = unlock(args)
    try:
        result = transfer_import.import_transfer_file(
            workspace.uow_factory(),
            actor=workspace.actor,
            path=path,
            options=transfer_import.ImportOptions(
                trust_fingerprint=args.trust_fingerprint, receipt_out=receipt_out
            ),
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    if isinstance(result, ambito_packages.ImportedAmbitoPackage):
        return _emit_ambito(args, result)
    if isinstance(result, transmissions.ImportedReceipt):
        return _emit_receipt(args, result)
    if isinstance(result, outcomes_import.ImportedOutcomes):
        return emit_imported_outcomes(args, result)
    return _emit_istruttorie(args, result)


def _emit_istruttorie(args: argparse.Namespace, result: ImportedIstruttorie) -> int:
    t = result.transmission
    payload = {
        "kind": "istruttorie",
        "file": result.file,
        "transmission": t.id,
        "sender": t.sender,
        "comuni": list(t.comuni),
        "fingerprint": result.fingerprint.display,
        "already_imported": result.already_imported,
        "pinned": result.pinned,
        "receipt": str(result.receipt) if result.receipt is not None else None,
        "chain_warning": t.chain_warning or None,
        "istanze": [
            {
                "comune": line.comune,
                "id": line.protocol,
                "version": line.version,
                "outcome": line.outcome.value,
                "reason": line.reason.value if line.reason is not None else None,
                "detail": line.detail or None,
            }
            for line in result.lines
        ],
    }
    if result.already_imported:
        head = f"Trasmissione {result.file}: già importata, nessuna modifica."
    else:
        head = f"Trasmissione {result.file} importata: {len(result.lines)} istanze."
    lines = [head]
    for line in result.lines:
        why = f" — {line.detail}" if line.detail else ""
        lines.append(f"  {line.comune} {line.protocol} v{line.version}: {line.outcome.value}{why}")
    if t.chain_warning:
        lines.append(t.chain_warning)
    if result.pinned:
        lines += ["Le chiavi del comune sono ora confermate in questo archivio:", ""]
        lines += fingerprint_lines(result.fingerprint)
    if result.receipt is not None:
        lines.append(f"Ricevuta per il comune: {result.receipt}")
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def _emit_receipt(args: argparse.Namespace, result: ImportedReceipt) -> int:
    payload = {
        "kind": "ricevuta",
        "file": result.file,
        "transmission": result.transmission,
        "already_imported": result.already_imported,
        "accepted": result.accepted,
        "rejected": result.rejected,
        "sha256": result.sha256,
    }
    if result.already_imported:
        text = f"Ricevuta {result.file}: già importata, nessuna modifica."
    else:
        text = (
            f"Ricevuta {result.file} importata: {result.accepted} istanze ricevute dal "
            f"capofila, {result.rejected} respinte."
        )
    emit(args, payload, text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the istruttorie ready (or those named) into one sealed file for the capofila."""
    from caseworker_app.cli.store_commands import unlock  # the database stack
    from caseworker_app.services import transmissions

    out = store_path(args.out)
    workspace = unlock(args)
    try:
        result = transmissions.export_istruttorie(
            workspace.uow_factory(),
            actor=workspace.actor,
            target=out,
            istanza_ids=None if args.all_ready else list(args.istanza),
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    t = result.transmission
    payload = {
        "file": str(result.path),
        "transmission": t.id,
        "fingerprint": result.fingerprint.display,
        "recipient_fingerprint": t.recipient_fingerprint,
        "size": t.size,
        "istanze": [
            {"comune": i.comune, "id": i.protocol, "version": i.version} for i in result.istanze
        ],
    }
    lines = [f"Scritto {result.path}: {len(result.istanze)} istanze per il capofila."]
    lines += [f"  {i.comune} {i.protocol} v{i.version}" for i in result.istanze]
    lines += ["Impronta delle chiavi di questo archivio (mittente):", ""]
    lines += fingerprint_lines(result.fingerprint)
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


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
    """Register ``import`` and ``export`` on the main parser."""
    p = sub.add_parser(
        "import",
        help="importa un file di trasmissione di caseworker (pacchetto d'ambito, istruttorie, "
        "ricevuta); il tipo si legge dal file",
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
    p.add_argument(
        "--receipt-out",
        metavar="FILE",
        default=None,
        help="dove scrivere la ricevuta per il comune (istruttorie, al capofila); di norma "
        "accanto al file importato",
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "export",
        help="scrive in un file cifrato le istruttorie da trasmettere al capofila",
    )
    add_store_args(p)
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="il file da scrivere, oppure una cartella (il nome sarà comune-data-contatore.cwt)",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--all-ready", action="store_true", help="tutte le istanze pronte per la trasmissione"
    )
    which.add_argument(
        "--istanza",
        action="append",
        metavar="ID",
        help="protocollo (o identificativo) di un'istanza da trasmettere; si può ripetere",
    )
    p.set_defaults(handler=cmd_export)
