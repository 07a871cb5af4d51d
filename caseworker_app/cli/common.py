"""Shared plumbing of the command line: secrets, output, error triage, exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from caseworker_app.domain.errors import Cancelled, UserFacingError
from caseworker_app.messages import render

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

# Error codes that mean "the input was wrong" (exit 2) rather than "something failed" (exit 1).
_INPUT_PREFIXES = (
    "auth.", "setup.", "definitions.", "settings.", "cli.", "cf.", "istanza.",
    # a transfer file refused (interchange.md: exit 2 with the reason), an ambito package too;
    # istruttorie or a receipt refused, an istanza not ready to send, the wrong store for a file
    "transfer.", "ambito.", "transmission.",
    # the capofila's desk: a run unknown, not approvable, a determina mistyped, a comune store
    "desk.",
    # the controls: a provisional run, a percent or seed mistyped, an istanza not drawn
    "controls.",
    # the outcomes (esiti): stale, not for this comune, inconsistent; a comune without keys
    "outcomes.",
)  # fmt: skip
_INPUT_CODES = {
    "store.missing",
    "store.already_exists",
    "store.not_writable",
    "keys.recovery_code_format",
    "keys.recovery_code_wrong",
    "backup.missing",
    "backup.corrupt",
    "backup.newer_version",
    "backup.folder_missing",
    "store.newer_version",
    # the avviso named cannot judge anything (a template with parameters to fill in)
    "rules.definition_incomplete",
    "rules.budget_needs_single_ranking",
    # a fingerprint typed wrong, a key or signature in a file that is not valid
    "keys.fingerprint_format",
    "keys.public_invalid",
    "keys.signature_invalid",
}
# Codes under an input prefix that are failures all the same (the disk, not the input).
_FAILURE_CODES = {
    "desk.run_damaged",
    "desk.received_damaged",
    "desk.publish_write_failed",
    "controls.sample_damaged",
    "transfer.unreadable",
    "transfer.disk_full",
    "transfer.write_failed",
    "transfer.too_large_to_send",
    "transfer.too_many_members_to_send",
    "ambito.previous_key_missing",
    # the store is not ready (no ambito package), changed meanwhile, or damaged: not the input
    "transmission.no_capofila_key",
    "transmission.changed_meanwhile",
    "transmission.document_damaged",
}

log = logging.getLogger("caseworker.cli")


def is_input_error(error: UserFacingError) -> bool:
    if error.code in _FAILURE_CODES:
        return False
    return error.code in _INPUT_CODES or error.code.startswith(_INPUT_PREFIXES)


def read_secret(args: argparse.Namespace, *, env: str, stdin_flag: str, what: str) -> str:
    """A secret from ``env`` or, with the flag (or when ``env`` is unset), the first stdin line."""
    if getattr(args, stdin_flag, False):
        line = sys.stdin.readline()
        value = line.rstrip("\r\n")
    else:
        value = os.environ.get(env, "")
        if not value and not sys.stdin.isatty():
            value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise UserFacingError("cli.secret_missing", what=what, env=env)
    return value


def emit(args: argparse.Namespace, payload: Any, human: str, *, compact: bool = False) -> None:
    """JSON with ``--json`` (indented; ``compact`` on one line, for large outputs such as a
    ranking of thousands of rows: the indenting encoder is pure Python and slow), else Italian
    text."""
    if getattr(args, "json", False):
        indent = None if compact else 2
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=indent, default=str) + "\n")
    else:
        sys.stdout.write(human.rstrip("\n") + "\n")
    sys.stdout.flush()


def fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"caseworker: {message}\n")
    raise SystemExit(code)


def run_guarded(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a subcommand and triage errors in one place (style rule 5)."""
    try:
        return handler(args)
    except Cancelled:
        return EXIT_FAILURE
    except UserFacingError as exc:
        sys.stderr.write(f"caseworker: {render(exc.code, exc.params)}\n")
        return EXIT_BAD_INPUT if is_input_error(exc) else EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except Exception as exc:  # a bug: report its kind and place, never its data
        frames = traceback.extract_tb(exc.__traceback__)
        where = "; ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-5:])
        sys.stderr.write(
            f"caseworker: errore imprevisto ({type(exc).__name__}) in {where}. "
            "Nessun dato è stato modificato in modo parziale; segnala questo messaggio "
            "all'assistenza.\n"
        )
        return EXIT_FAILURE


def store_path(raw: str) -> Path:
    return Path(raw).expanduser()
