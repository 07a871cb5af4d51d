"""``caseworker outcomes`` at the capofila and ``caseworker import`` of the outcomes at each
comune (issue 13): one file per comune, the states moved, "già importato" the second time, no
approved run and another comune's file exit 2 in Italian."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .conftest import Run
from .desk_ambito import ok, received_ambito

AVVISO = "abbiatense-caregiver-2023"


def test_outcomes_from_the_approved_run_move_the_states_at_each_comune(
    tmp_path: Path, run: Run
) -> None:
    ambito = received_ambito(tmp_path, run)
    capofila = str(ambito.capofila)
    out = tmp_path / "esiti"
    out.mkdir()

    none = run("outcomes", "--store", capofila, "--avviso", AVVISO, "--out-dir", str(out))
    assert none.returncode == 2 and "--latest" in none.stderr  # no run approved yet

    ranked = ok(run("rank", "--store", capofila, "--avviso", AVVISO, "--on", "2027-12-31",
                    "--json"))  # fmt: skip
    today = date.today().isoformat()
    ok(run("approve", "--store", capofila, "--run", ranked["run"]["id"],
           "--determina", "7/2027", "--on", today, "--json"))  # fmt: skip
    written = ok(run("outcomes", "--store", capofila, "--avviso", AVVISO, "--out-dir",
                     str(out), "--json"))  # fmt: skip
    assert written["approved"] and written["run"]["id"] == ranked["run"]["id"]
    files = {f["comune"]: Path(f["file"]) for f in written["files"]}
    assert set(files) == {"A127", "B448"}
    assert all(p.name == f"A010-esiti-{AVVISO}-n1-{c}.cwt" for c, p in files.items())
    outcome = {(r["comune"], r["istanza"]): r["outcome"] for r in ranked["rows"]}

    for code, store in ambito.comuni.items():
        done = ok(run("import", "--store", str(store), str(files[code]), "--json"))
        assert done["kind"] == "esiti" and done["approved"] and not done["already_imported"]
        assert done["determina"] == "7/2027"
        assert {(i["comune"], i["id"]) for i in done["istanze"]} == {
            k for k in outcome if k[0] == code
        }
        for item in done["istanze"]:
            assert item["state"] == outcome[(code, item["id"])]
            assert item["moved"] and item["reason"]
        listed = ok(run("list", "--store", str(store), "--json"))
        text = str(listed)
        assert all(item["state"] in text for item in done["istanze"])
        again = ok(run("import", "--store", str(store), str(files[code]), "--json"))
        assert again["already_imported"] and again["moved"] == 0
        human = run("import", "--store", str(store), str(files[code]))
        assert human.returncode == 0 and "già importati" in human.stdout

    other = run("import", "--store", str(ambito.comuni["A127"]), str(files["B448"]))
    assert other.returncode == 2 and other.stderr.strip()
