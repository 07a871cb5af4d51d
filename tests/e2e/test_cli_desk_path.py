"""The capofila's whole path through the ``caseworker`` command on three machines' stores
(issue 13): two comuni export, the capofila imports, ranks, approves, publishes and sends the
esiti; each comune imports its own, and its istanze and the letter to the applicant show the
outcome. Nothing under ``pubblicazione/`` names a beneficiary."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from .conftest import Run
from .desk_ambito import ok, received_ambito

AVVISO = "abbiatense-caregiver-2023"
LABEL = {"finanziata": "finanziata", "finanziata_parzialmente": "finanziata parzialmente",
         "ammessa_non_finanziata": "ammessa", "non_ammissibile": "non"}  # fmt: skip


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_rank_approve_publish_send_outcomes_and_print_the_letters(tmp_path: Path, run: Run) -> None:
    ambito = received_ambito(tmp_path, run)
    capofila = str(ambito.capofila)
    ranked = ok(run("rank", "--store", capofila, "--avviso", AVVISO, "--on", "2027-12-31",
                    "--json"))  # fmt: skip
    run_id = ranked["run"]["id"]
    ok(run("approve", "--store", capofila, "--run", run_id, "--determina", "88/2026",
           "--on", date.today().isoformat(), "--json"))  # fmt: skip

    out = tmp_path / "pubblica"
    out.mkdir()
    published = ok(run("publish", "--store", capofila, "--run", run_id, "--out-dir", str(out),
                       "--json"))  # fmt: skip
    public = [Path(p) for p in published["pubblicazione"]]
    assert sorted(p.name for p in (out / "pubblicazione").iterdir()) == sorted(
        p.name for p in public
    )
    internal = {Path(p).name for p in published["uso-interno"]}
    assert {f"liquidazione-{AVVISO}-n1.csv", f"graduatoria-{AVVISO}-n1.xlsx"} <= internal
    # the codici fiscali of the beneficiaries, as each comune's own list shows them
    sent = {(r["comune"], r["istanza"]) for r in ranked["rows"]}
    fiscal = {
        r["codice_fiscale"]
        for store in ambito.comuni.values()
        for r in ok(run("list", "--store", str(store), "--json"))
        if (r["comune"], r["id"]) in sent
    }
    assert len(fiscal) == len(sent)
    for path in public:
        text = _pdf_text(path) if path.suffix == ".pdf" else path.read_text("utf-8-sig")
        assert not any(cf in text for cf in fiscal), path.name
        assert all(r["istanza"] in text for r in ranked["rows"]), path.name
    payments = list(csv.reader(io.StringIO(
        (out / "uso-interno" / f"liquidazione-{AVVISO}-n1.csv").read_text("utf-8-sig")
    ), delimiter=";"))  # fmt: skip
    funded = [r for r in ranked["rows"] if r["outcome"].startswith("finanziata")]
    assert len(payments) - 1 == len(funded)

    esiti = tmp_path / "esiti"
    esiti.mkdir()
    written = ok(run("outcomes", "--store", capofila, "--avviso", AVVISO, "--out-dir",
                     str(esiti), "--json"))  # fmt: skip
    files = {f["comune"]: f["file"] for f in written["files"]}
    for code, store in ambito.comuni.items():
        ok(run("import", "--store", str(store), files[code], "--json"))
        states = {r["id"]: r for r in ok(run("list", "--store", str(store), "--json"))}
        for row in (r for r in ranked["rows"] if r["comune"] == code):
            assert states[row["istanza"]]["state"] == row["outcome"]
            assert states[row["istanza"]]["transmission"] == "esito_ricevuto"
            letter = tmp_path / f"esito-{row['istanza']}.pdf"
            ok(run("print", "--store", str(store), "--istanza", row["istanza"], "--document",
                   "esito", "--out", str(letter), "--json"))  # fmt: skip
            text = _pdf_text(letter)
            assert row["istanza"] in text and "88/2026" in text
            assert LABEL[row["outcome"]] in text.casefold()
