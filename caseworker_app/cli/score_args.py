"""The arguments of ``caseworker score``, kept apart from its implementation so that every
other command starts without importing the scales and the codice fiscale library."""

from __future__ import annotations

import argparse
from typing import Any


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``score`` on the main parser."""
    p = sub.add_parser(
        "score", help="calcola il punteggio di una scheda di valutazione (ADL, IADL, Barthel)"
    )
    p.add_argument(
        "--scale", required=True, metavar="ID", help="adl-katz, iadl-lawton oppure barthel"
    )
    p.add_argument(
        "--version",
        dest="scale_version",
        metavar="V",
        default=None,
        help="versione della definizione (predefinita: la versione corrente della scala)",
    )
    p.add_argument("answers", metavar="ANSWERS.json", help="file JSON con le risposte")
    p.add_argument("--json", action="store_true", help="risultato in JSON")
    p.set_defaults(handler="caseworker_app.cli.score_command:cmd_score")
