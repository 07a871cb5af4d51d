"""``caseworker keys show``: the public keys of a store and the fingerprint to read by phone."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from caseworker_app.domain.installation_keys import fingerprint_of, parse_fingerprint

from .conftest import Run


def test_keys_show_prints_the_public_keys_and_their_fingerprint(
    store: tuple[Path, str], run: Run
) -> None:
    folder, _ = store
    done = run("keys", "show", "--store", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert set(shown) == {"installation", "role", "ambito", "comuni", "signing_public",
                          "age_recipient", "fingerprint"}  # fmt: skip
    meta = json.loads((folder / "store.json").read_text(encoding="utf-8"))
    assert shown["installation"] == meta["store_id"]
    assert (shown["role"], shown["ambito"], shown["comuni"]) == ("comune", "abbiatense", ["A010"])
    assert len(base64.b64decode(shown["signing_public"], validate=True)) == 32
    assert re.fullmatch(r"age1[0-9a-z]{58}", shown["age_recipient"])
    assert re.fullmatch(r"\d{5}( \d{5}){7}", shown["fingerprint"])
    assert parse_fingerprint(shown["fingerprint"]) == fingerprint_of(
        shown["signing_public"], shown["age_recipient"]
    )
    assert "SECRET" not in done.stdout.upper() and "private" not in done.stdout
    # the keys were made once: shown again, they are the same
    again = run("keys", "show", "--store", str(folder), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == shown
    # in Italian, the fingerprint in two lines of four groups
    human = run("keys", "show", "--store", str(folder))
    assert human.returncode == 0, human.stderr
    groups = shown["fingerprint"].split()
    assert " ".join(groups[:4]) in human.stdout and " ".join(groups[4:]) in human.stdout
    assert "Impronta" in human.stdout and shown["age_recipient"] in human.stdout
    assert "AGE-SECRET-KEY" not in human.stdout


def test_keys_show_without_the_password_or_on_a_missing_store_fails_clearly(
    tmp_path: Path, store: tuple[Path, str], run: Run
) -> None:
    folder, _ = store
    done = run("keys", "show", "--store", str(folder), "--json", password="sbagliata-del-tutto")
    assert done.returncode == 2 and done.stdout == ""
    done = run("keys", "show", "--store", str(tmp_path / "nessuno"), "--json")
    assert done.returncode == 2 and "caseworker init" in done.stderr
