"""``caseworker print``: one document of an istanza as a PDF file.

The file is written atomically (a temporary file in the same folder, permissions 0600 before
the first byte, ``os.replace``): on any failure nothing, not even a partial file, is left at
``--out``. Bad input (unknown istanza, no PI yet, no closed sheet, a version that does not
exist) exits 2 with a message naming the option.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from caseworker_app.cli.common import EXIT_BAD_INPUT, EXIT_OK, emit
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import atomic_write_bytes
from caseworker_app.messages import render
from caseworker_app.services import printing

#: which option a printing problem is about (the message names it)
_OPTION_OF = {
    "print.istanza_not_found": "--istanza",
    "print.no_pi": "--document",
    "print.no_sheet": "--document",
    "print.pi_version_missing": "--version",
}

KIND_LABELS = {
    printing.DocumentKind.PI: "Progetto Individuale",
    printing.DocumentKind.ADL: "Scheda ADL",
    printing.DocumentKind.IADL: "Scheda IADL",
    printing.DocumentKind.BARTHEL: "Scheda Barthel",
    printing.DocumentKind.ISTANZA: "Istanza",
    printing.DocumentKind.PRIVACY: "Informativa privacy",
    printing.DocumentKind.ESITO: "Comunicazione di esito",
    printing.DocumentKind.PREAVVISO_RIGETTO: "Preavviso di rigetto",
}


#: the letters to the applicant (services/letters.py), printed from the istanza too
LETTERS = (printing.DocumentKind.ESITO, printing.DocumentKind.PREAVVISO_RIGETTO)


def _letter(
    workspace: Any, kind: printing.DocumentKind, reference: str, now: datetime
) -> printing.PrintedDocument:
    from caseworker_app.services import letters

    uow, actor = workspace.uow_factory, workspace.actor
    istanza_id = printing.resolve_istanza(uow(), actor=actor, reference=reference)
    if kind is printing.DocumentKind.ESITO:
        return letters.outcome_letter(uow(), actor=actor, istanza_id=istanza_id, now=now)
    return letters.negative_verification_letter(
        uow(), actor=actor, istanza_id=istanza_id, on=now.date(), now=now
    )


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _out_path(raw: str) -> Path:
    out = Path(raw).expanduser()
    if out.is_dir():
        raise UserFacingError("cli.print_out_is_folder")
    if not out.parent.is_dir():
        raise UserFacingError("cli.print_out_folder_missing")
    return out


def cmd_print(args: argparse.Namespace) -> int:
    kind = printing.DocumentKind(args.document)
    if args.version is not None:
        if kind is not printing.DocumentKind.PI:
            raise UserFacingError("cli.print_version_only_pi")
        if args.version < 1:
            raise UserFacingError("cli.print_bad_version")
    out = _out_path(args.out)  # checked before asking for the password
    from caseworker_app.cli.store_commands import unlock

    workspace = unlock(args)
    now = datetime.now().replace(microsecond=0)
    try:
        if kind in LETTERS:
            document = _letter(workspace, kind, args.istanza, now)
        else:
            document = printing.print_for_istanza(
                workspace.uow_factory(),
                actor=workspace.actor,
                istanza=args.istanza,
                kind=kind,
                version=args.version,
                now=now,
            )
    except UserFacingError as exc:
        option = _OPTION_OF.get(exc.code)
        if option is None:
            raise
        sys.stderr.write(f"caseworker: {option}: {render(exc.code, exc.params)}\n")
        return EXIT_BAD_INPUT
    finally:
        workspace.close()
    pages = page_count(document.pdf)
    atomic_write_bytes(out, document.pdf, mode=0o600)
    emit(
        args,
        {
            "document": kind.value,
            "out": str(out),
            "pages": pages,
            "sha256": document.sha256,
        },
        f"{KIND_LABELS[kind]} scritto in {out} "
        f"({pages} {'pagina' if pages == 1 else 'pagine'}, SHA-256 {document.sha256}).",
    )
    return EXIT_OK
