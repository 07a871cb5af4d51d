"""``caseworker init --qualifica`` and ``operator add --qualifica``, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run


def _init(run: Run, folder: Path, *extra: str) -> None:
    done = run("init", "--store", str(folder), "--role", "comune", "--ambito", "abbiatense",
               "--comune", "A010", "--operator", "mrossi", "--full-name", "Maria Rossi",
               *extra, "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr


def _listed(run: Run, folder: Path) -> dict[str, dict[str, object]]:
    done = run("operator", "list", "--store", str(folder), "--operator", "mrossi", "--json")
    assert done.returncode == 0, done.stderr
    return {o["username"]: o for o in json.loads(done.stdout)}


def test_init_and_operator_add_take_a_qualifica(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "store"
    _init(run, folder, "--qualifica", "coordinatrice")
    done = run("operator", "add", "--store", str(folder), "--operator", "mrossi",
               "--username", "lbianchi", "--full-name", "Lucia Bianchi", "--role",
               "amministrativo", "--qualifica", "istruttore amministrativo", "--json",
               env={"CASEWORKER_NEW_PASSWORD": "password-di-lucia"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["qualifica"] == "istruttore amministrativo"
    done = run("operator", "add", "--store", str(folder), "--operator", "mrossi",
               "--username", "gverdi", "--full-name", "Giulia Verdi", "--role",
               "assistente_sociale",
               env={"CASEWORKER_NEW_PASSWORD": "password-di-giulia"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = _listed(run, folder)
    assert listed["mrossi"]["qualifica"] == "coordinatrice"
    assert listed["lbianchi"]["qualifica"] == "istruttore amministrativo"
    assert listed["gverdi"]["qualifica"] == "assistente sociale"  # proposed by the role
    text = run("operator", "list", "--store", str(folder), "--operator", "mrossi").stdout
    assert "istruttore amministrativo" in text and "coordinatrice" in text


def test_init_without_qualifica_gets_the_one_of_the_role(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "store"
    _init(run, folder)
    assert _listed(run, folder)["mrossi"]["qualifica"] == "assistente sociale"


def test_too_long_a_qualifica_is_bad_input_with_a_clear_message(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "store"
    done = run("init", "--store", str(folder), "--role", "comune", "--ambito", "abbiatense",
               "--comune", "A010", "--operator", "mrossi", "--qualifica", "x" * 61)  # fmt: skip
    assert done.returncode == 2
    assert "Qualifica: al massimo 60 caratteri" in done.stderr
    assert not (folder / "store.json").exists()
