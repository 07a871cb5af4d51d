"""``caseworker rank --store``, ``runs`` and ``approve`` at the capofila (issue 13): the run is
recorded and printed with interchange.md §2's keys plus ``run``; a second run follows the first;
approval by determina; bad input exits 2 in Italian."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .conftest import Run
from .desk_ambito import ok, received_ambito


def test_rank_store_records_runs_and_approve_marks_one(tmp_path: Path, run: Run) -> None:
    ambito = received_ambito(tmp_path, run)
    capofila = str(ambito.capofila)
    sent = {(i["comune"], i["id"]) for out in ambito.exported.values() for i in out["istanze"]}

    first = ok(run("rank", "--store", capofila, "--avviso", "abbiatense-caregiver-2023",
                   "--on", "2027-12-31", "--json"))  # fmt: skip
    assert set(first) >= {"avviso", "budget", "assigned", "residual", "rows", "run"}
    assert {(r["comune"], r["istanza"]) for r in first["rows"]} == sent
    positions = [r["position"] for r in first["rows"] if r["position"] is not None]
    assert positions == list(range(1, len(positions) + 1))
    identity = first["run"]
    assert identity["number"] == 1 and identity["status"] == "definitiva"
    assert len(identity["sha256"]) == 64 and len(identity["inputs_sha256"]) == 64

    second = ok(run("rank", "--store", capofila, "--avviso", "abbiatense-caregiver-2023",
                    "--on", "2027-12-31", "--budget", "1000.00", "--note", "nuovo budget",
                    "--json"))  # fmt: skip
    assert second["run"]["follows"] == identity["id"] and second["budget"] == "1000.00"

    listed = ok(run("runs", "--store", capofila, "--avviso", "abbiatense-caregiver-2023",
                    "--json"))  # fmt: skip
    assert [r["id"] for r in listed["runs"]] == [identity["id"], second["run"]["id"]]
    assert listed["runs"][0]["sha256"] == identity["sha256"]  # unchanged by the second run

    today = date.today().isoformat()
    approved = ok(run("approve", "--store", capofila, "--run", identity["id"],
                      "--determina", "123/2027", "--on", today, "--json"))  # fmt: skip
    assert approved["status"] == "approvata"
    assert approved["determina"] == {"number": "123/2027", "date": today}

    again = run("approve", "--store", capofila, "--run", identity["id"],
                "--determina", "124/2027", "--on", today)  # fmt: skip
    assert again.returncode == 2 and "già stata approvata" in again.stderr
    unknown = run("approve", "--store", capofila, "--run", "ffffffff-nope",
                  "--determina", "1/2027", "--on", today)  # fmt: skip
    assert unknown.returncode == 2 and "ffffffff-nope" in unknown.stderr
    both = run("rank", "--store", capofila, "--avviso", "abbiatense-caregiver-2023",
               str(tmp_path))  # fmt: skip
    assert both.returncode == 2 and "non entrambi" in both.stderr
    at_comune = run("rank", "--store", str(ambito.comuni["A127"]), "--avviso",
                    "abbiatense-caregiver-2023")  # fmt: skip
    assert at_comune.returncode == 2
