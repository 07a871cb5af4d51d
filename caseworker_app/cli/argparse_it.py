"""Italian for the messages argparse writes itself (usage, help headings, its errors).

argparse looks its texts up through the module-level ``_`` (gettext) at the moment it prints
them; :func:`install` points it at this table, so ``caseworker`` speaks Italian from the usage
line to "mancano questi argomenti". A text not in the table stays as argparse has it.
"""

from __future__ import annotations

import argparse

ITALIAN: dict[str, str] = {
    "usage: ": "uso: ",
    "positional arguments": "argomenti",
    "options": "opzioni",
    "optional arguments": "opzioni",
    "show this help message and exit": "mostra questo aiuto ed esce",
    "show program's version number and exit": "mostra la versione del programma ed esce",
    "the following arguments are required: %s": "mancano questi argomenti: %s",
    "unrecognized arguments: %s": "argomenti non riconosciuti: %s",
    "argument %(argument_name)s: %(message)s": "argomento %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "scelta non valida: %(value)r (scegli tra %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valore non valido: %(value)r",
    "expected one argument": "serve un valore",
    "expected at most one argument": "serve al massimo un valore",
    "expected at least one argument": "serve almeno un valore",
    "not allowed with argument %s": "non si può usare insieme a %s",
    "one of the arguments %s is required": "serve uno di questi argomenti: %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opzione ambigua: %(option)s può voler dire %(matches)s"
    ),
    "ignored explicit argument %r": "valore %r ignorato",
}


def translate(message: str) -> str:
    return ITALIAN.get(message, message)


def install() -> None:
    """Make argparse print its own texts in Italian (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
