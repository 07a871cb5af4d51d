"""The istruttorie round trip through the ``caseworker`` command, as users run it on three
machines (issue 11): the capofila issues the ambito package, each comune imports it confirming
the fingerprint, works (``demo``), exports its ready istruttorie; the capofila imports them
(first refused without the comune's fingerprint, exit 2 naming it), writes the receipts, which go
back to the comuni. Every refused file exits 2 with the reason; nothing else changes."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from .conftest import Run


def _ok(done: Any) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _init(run: Run, folder: Path, role: str, comune: str, operator: str) -> Path:
    _ok(run("init", "--store", str(folder), "--role", role, "--ambito", "abbiatense",
            "--comune", comune, "--operator", operator, "--json"))  # fmt: skip
    return folder


def _listed(run: Run, store: Path) -> list[dict[str, Any]]:
    rows = _ok(run("list", "--store", str(store), "--json"))
    assert isinstance(rows, list)
    return rows


def _refused(run: Run, *args: str) -> str:
    """The command exits 2 with a message on stderr and nothing on stdout."""
    done = run(*args)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == "" and done.stderr.startswith("caseworker: ")
    return done.stderr


def test_istruttorie_go_to_the_capofila_and_the_receipts_come_back(
    tmp_path: Path, run: Run
) -> None:
    capofila = _init(run, tmp_path / "capofila", "capofila", "A010", "udp")
    comuni = {
        "A127": _init(run, tmp_path / "a127", "comune", "A127", "mrossi"),
        "B448": _init(run, tmp_path / "b448", "comune", "B448", "lbianchi"),
    }
    usb = tmp_path / "usb"
    usb.mkdir()
    package = usb / "ambito.cwa"
    issued = _ok(run("keys", "export-ambito", "--store", str(capofila), "--out", str(package),
                     "--json"))  # fmt: skip
    fingerprints: dict[str, str] = {}
    for seed, (code, store) in enumerate(comuni.items(), start=1):
        _ok(run("import", "--store", str(store), str(package),
                "--trust-fingerprint", issued["fingerprint"], "--json"))  # fmt: skip
        _ok(run("demo", "--store", str(store), "--cases", "12", "--seed", str(seed), "--json"))
        fingerprints[code] = _ok(run("keys", "show", "--store", str(store), "--json"))[
            "fingerprint"
        ]

    # nothing sent yet
    a127 = comuni["A127"]
    rows = _listed(run, a127)
    assert {r["transmission"] for r in rows} == {"da_inviare"}

    exported: dict[str, dict[str, Any]] = {}
    for code, store in comuni.items():
        out = _ok(run("export", "--store", str(store), "--out", str(usb), "--all-ready",
                      "--json"))  # fmt: skip
        path = Path(out["file"])
        assert path.parent == usb and path.name.startswith(f"{code}-") and path.suffix == ".cwt"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert out["fingerprint"] == fingerprints[code]
        assert out["istanze"] and {i["comune"] for i in out["istanze"]} == {code}
        sent = {i["id"] for i in out["istanze"]}
        states = {r["id"]: r["transmission"] for r in _listed(run, store)}
        assert {states[i] for i in sent} == {"inviata"}
        exported[code] = out

    # an istanza that is not ready (or already sent) is refused in Italian, naming it
    ready_or_sent = {i["id"] for i in exported["A127"]["istanze"]}
    waiting = [r for r in _listed(run, a127) if r["id"] not in ready_or_sent
               and r["state"] in ("presentata", "in_istruttoria", "da_integrare")]  # fmt: skip
    for istanza in [*sorted(ready_or_sent)[:1], *[r["id"] for r in waiting[:1]]]:
        message = _refused(run, "export", "--store", str(a127), "--out", str(usb / "no.cwt"),
                           "--istanza", istanza)  # fmt: skip
        assert istanza in message and "non è pronta per la trasmissione" in message
        assert not (usb / "no.cwt").exists()
    message = _refused(run, "export", "--store", str(a127), "--out", str(usb / "no.cwt"),
                       "--istanza", "A127-1999-000001")  # fmt: skip
    assert "A127-1999-000001" in message

    # the capofila: the first file of a comune needs its fingerprint, read on the phone
    for code, out in exported.items():
        message = _refused(run, "import", "--store", str(capofila), out["file"], "--json")
        assert fingerprints[code] in message and Path(out["file"]).name in message
        _refused(run, "import", "--store", str(capofila), out["file"],
                 "--trust-fingerprint", "1" * 40)  # fmt: skip
    receipts: dict[str, Path] = {}
    for code, out in exported.items():
        imported = _ok(run("import", "--store", str(capofila), out["file"],
                           "--trust-fingerprint", fingerprints[code], "--json"))  # fmt: skip
        assert (imported["kind"], imported["pinned"], imported["already_imported"]) == (
            "istruttorie", True, False,
        )  # fmt: skip
        assert imported["fingerprint"] == fingerprints[code]
        assert [i["outcome"] for i in imported["istanze"]] == ["accettata"] * len(out["istanze"])
        receipts[code] = Path(imported["receipt"])
        assert receipts[code].exists() and receipts[code].parent == usb
        assert stat.S_IMODE(receipts[code].stat().st_mode) == 0o600
    received = _listed(run, capofila)
    assert sorted((r["comune"], r["id"]) for r in received) == sorted(
        (i["comune"], i["id"]) for out in exported.values() for i in out["istanze"]
    )
    assert {r["state"] for r in received} == {"ricevuta"}
    # the same file again: nothing changes, exit 0
    again = _ok(run("import", "--store", str(capofila), exported["A127"]["file"], "--json"))
    assert again["already_imported"] is True and again["receipt"] == str(receipts["A127"])

    # refused files exit 2: damaged, for another installation, at the wrong store
    damaged = usb / "damaged.cwt"
    damaged.write_bytes(Path(exported["A127"]["file"]).read_bytes()[:-100])
    assert "danneggiat" in _refused(run, "import", "--store", str(capofila), str(damaged)).lower()
    not_ours = "non è destinato a questa installazione"
    # the receipt is encrypted to the capofila too (it opens what it sent), not for it to import
    _refused(run, "import", "--store", str(capofila), str(receipts["A127"]))
    assert not_ours in _refused(run, "import", "--store", str(a127), exported["B448"]["file"])
    assert not_ours in _refused(
        run, "import", "--store", str(comuni["B448"]), str(receipts["A127"])
    )
    # a comune can open its own file (encrypted to itself too), but not import it
    assert "capofila" in _refused(run, "import", "--store", str(a127), exported["A127"]["file"])

    # the receipts back at the comuni
    for code, store in comuni.items():
        got = _ok(run("import", "--store", str(store), str(receipts[code]), "--json"))
        assert got["kind"] == "ricevuta"
        assert (got["accepted"], got["rejected"]) == (len(exported[code]["istanze"]), 0)
        states = {r["id"]: r["transmission"] for r in _listed(run, store)}
        assert {states[i["id"]] for i in exported[code]["istanze"]} == {"ricevuta"}
        twice = _ok(run("import", "--store", str(store), str(receipts[code]), "--json"))
        assert twice["already_imported"] is True
