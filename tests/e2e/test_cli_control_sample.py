"""``caseworker sample`` at the capofila (seed 003 §8): the 5% control sample of a run's funded
beneficiaries, drawn with a seed and a method anyone can redo with the run's rows (here: five
lines of hashlib over ``rank``'s own output), at least one per comune, with what to check; a
second draw and bad input exit 2 in Italian."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from .conftest import Run
from .desk_ambito import ok, received_ambito

AVVISO = "abbiatense-caregiver-2023"


def test_sample_draws_five_percent_reproducibly(tmp_path: Path, run: Run) -> None:
    ambito = received_ambito(tmp_path, run, cases=24)
    capofila = str(ambito.capofila)
    ranked = ok(run("rank", "--store", capofila, "--avviso", AVVISO, "--on", "2027-12-31",
                    "--json"))  # fmt: skip
    run_id = ranked["run"]["id"]
    funded = [(r["comune"], r["istanza"]) for r in ranked["rows"]
              if r["outcome"] in ("finanziata", "finanziata_parzialmente")]  # fmt: skip
    assert len({c for c, _ in funded}) == 2

    drawn = ok(run("sample", "--store", capofila, "--run", run_id[:8], "--seed", "seme-2027",
                   "--json"))  # fmt: skip
    assert (drawn["run"], drawn["seed"], drawn["method"], drawn["percent"]) == (
        run_id, "seme-2027", "sha256-rank/1", "5.00",
    )  # fmt: skip
    assert drawn["population"] == len(funded) and drawn["run_sha256"] == ranked["run"]["sha256"]

    # anyone redraws it from the published rows and the seed
    def digest(c: str, p: str) -> str:
        return hashlib.sha256(f"seme-2027|{c}|{p}".encode()).hexdigest()

    comuni = sorted({c for c, _ in funded})
    first = [min((digest(c, p), c, p) for c, p in funded if c == k) for k in comuni]
    rest = sorted(x for x in ((digest(c, p), c, p) for c, p in funded) if x not in first)
    size = max(math.ceil(len(funded) * 5 / 100), len(first))
    expected = sorted((c, p) for _, c, p in [*first, *rest][:size])
    assert [(r["comune"], r["protocol"]) for r in drawn["rows"]] == expected
    for r in drawn["rows"]:
        assert r["result"] == "da_verificare" and r["outcome"] in (
            "finanziata",
            "finanziata_parzialmente",
        )
        codes = [c["code"] for c in r["checks_to_do"]]
        assert codes[0] == "isee" and "residenza" in codes
        assert all(c["label"] for c in r["checks_to_do"])

    again = run("sample", "--store", capofila, "--run", run_id, "--seed", "altro")
    assert again.returncode == 2 and "seme-2027" in again.stderr and again.stdout == ""

    human = run("rank", "--store", capofila, "--avviso", AVVISO, "--on", "2027-12-31",
                "--budget", "5000.00", "--json")  # fmt: skip
    second_id = ok(human)["run"]["id"]
    text = run("sample", "--store", capofila, "--run", second_id, "--percent", "10")
    assert text.returncode == 0, text.stderr
    assert "Campione dei controlli della graduatoria n. 2" in text.stdout
    assert "Da controllare per ciascuna:" in text.stdout and "ISEE" in text.stdout

    for bad in (["--percent", "0"], ["--percent", "101"], ["--percent", "cinque"]):
        done = run("sample", "--store", capofila, "--run", second_id, *bad)
        assert done.returncode == 2 and "percentuale non valida" in done.stderr
    done = run("sample", "--store", capofila, "--run", second_id, "--seed", " a")
    assert done.returncode == 2 and "Seme del sorteggio non valido" in done.stderr
    done = run("sample", "--store", capofila, "--run", "ffffffff-nope")
    assert done.returncode == 2 and "ffffffff-nope" in done.stderr
    done = run("sample", "--store", str(ambito.comuni["A127"]), "--run", run_id)
    assert done.returncode == 2
