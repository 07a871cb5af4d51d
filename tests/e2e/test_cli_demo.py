"""``caseworker demo`` as a newcomer runs it: twice on one store, then every evaluated istanza
prints its Progetto Individuale and its ADL sheet."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run

#: the states an istanza reaches only through the evaluation (in the demo, chiusa too)
EVALUATED_OR_BEYOND = {
    "valutata", "trasmessa", "finanziata", "finanziata_parzialmente", "ammessa_non_finanziata",
    "in_erogazione", "sospesa", "cessata", "chiusa",
}  # fmt: skip


def test_demo_twice_then_pi_and_adl_print_for_every_evaluated_istanza(
    store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    for seed in ("1", "1"):  # the same command twice, as a newcomer would retry it
        done = run("demo", "--store", str(folder), "--cases", "8", "--seed", seed, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["cases"] == 8
    listed = run("list", "--store", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    codes = [r["codice_fiscale"] for r in rows]
    assert len(codes) == len(set(codes))  # the second run added other people
    assert {r["comune"] for r in rows} == {"A010"}  # a comune installation's own istanze
    evaluated = [r["id"] for r in rows if r["state"] in EVALUATED_OR_BEYOND]
    assert len(evaluated) >= 2
    assert not {"finanziata", "finanziata_parzialmente"} & {r["state"] for r in rows}
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for n, ref in enumerate(evaluated):
        for document in ("pi", "adl"):
            out = out_dir / f"{n}-{document}.pdf"
            done = run("print", "--store", str(folder), "--istanza", ref, "--document",
                       document, "--out", str(out), "--json")  # fmt: skip
            assert done.returncode == 0, (ref, document, done.stderr)
            assert json.loads(done.stdout)["pages"] >= 1
            assert out.read_bytes().startswith(b"%PDF")
    verified = run("audit", "verify", "--store", str(folder), "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"] is True


def test_at_a_capofila_the_demo_asks_for_an_operator_who_handles_cases(
    run: Run, tmp_path: Path
) -> None:
    """The capofila's first operator is the Ufficio di Piano, who does not handle case files:
    the demo says what to do (exit 2), and made by a social worker it fills the ambito."""
    folder = tmp_path / "capofila"
    done = run("init", "--store", str(folder), "--role", "capofila", "--ambito", "abbiatense",
               "--comune", "A010", "--operator", "udp", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    refused = run("demo", "--store", str(folder), "--cases", "6")
    assert refused.returncode == 2
    assert "udp" in refused.stderr and "operator add --role assistente_sociale" in refused.stderr
    added = run("operator", "add", "--store", str(folder), "--username", "asociale",
                "--role", "assistente_sociale", "--full-name", "Anna Sociale",
                env={"CASEWORKER_NEW_PASSWORD": "password-sociale-lunga"})  # fmt: skip
    assert added.returncode == 0, added.stderr
    made = run("demo", "--store", str(folder), "--cases", "6", "--operator", "asociale",
               "--json", password="password-sociale-lunga")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["cases"] == 6
