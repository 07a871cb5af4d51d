"""The command speaks Italian also where argparse writes its own texts (issue 10 notes)."""

from __future__ import annotations

from .conftest import Run

ENGLISH = ("usage:", "the following arguments", "positional arguments", "options:",
           "show this help", "invalid choice", "unrecognized arguments")  # fmt: skip


def test_a_missing_argument_is_said_in_italian(run: Run) -> None:
    done = run("check")
    assert done.returncode == 2
    assert done.stderr.startswith("uso: caseworker check")
    assert "mancano questi argomenti: --avviso, ISTANZA.json" in done.stderr
    assert not any(word in done.stderr for word in ENGLISH), done.stderr


def test_help_and_wrong_choices_are_in_italian(run: Run) -> None:
    helped = run("--help")
    assert helped.returncode == 0
    assert "argomenti:" in helped.stdout and "mostra questo aiuto ed esce" in helped.stdout
    wrong = run("nessuno")
    assert wrong.returncode == 2 and "scelta non valida: 'nessuno'" in wrong.stderr
    extra = run("--version", "in-più")
    assert not any(word in helped.stdout + wrong.stderr + extra.stderr for word in ENGLISH)
