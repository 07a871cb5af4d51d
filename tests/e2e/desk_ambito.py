"""Three stores set up through the ``caseworker`` command as three machines would be: the
capofila A010 and the comuni A127 and B448, each comune with demo data; every comune exports its
ready istruttorie and the capofila imports them (fingerprints confirmed). For the desk's tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conftest import Run


def ok(done: Any) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@dataclass(frozen=True)
class DeskAmbito:
    capofila: Path
    comuni: dict[str, Path]
    usb: Path
    exported: dict[str, dict[str, Any]]  # the export's JSON by comune


def _init(run: Run, folder: Path, role: str, comune: str, operator: str) -> Path:
    ok(run("init", "--store", str(folder), "--role", role, "--ambito", "abbiatense",
           "--comune", comune, "--operator", operator, "--json"))  # fmt: skip
    return folder


def received_ambito(tmp_path: Path, run: Run, *, cases: int = 12) -> DeskAmbito:
    capofila = _init(run, tmp_path / "capofila", "capofila", "A010", "udp")
    comuni = {
        "A127": _init(run, tmp_path / "a127", "comune", "A127", "mrossi"),
        "B448": _init(run, tmp_path / "b448", "comune", "B448", "lbianchi"),
    }
    usb = tmp_path / "usb"
    usb.mkdir()
    package = usb / "ambito.cwa"
    issued = ok(run("keys", "export-ambito", "--store", str(capofila), "--out", str(package),
                    "--json"))  # fmt: skip
    exported: dict[str, dict[str, Any]] = {}
    for seed, (code, store) in enumerate(comuni.items(), start=1):
        ok(run("import", "--store", str(store), str(package),
               "--trust-fingerprint", issued["fingerprint"], "--json"))  # fmt: skip
        ok(run("demo", "--store", str(store), "--cases", str(cases), "--seed", str(seed),
               "--json"))  # fmt: skip
        fingerprint = ok(run("keys", "show", "--store", str(store), "--json"))["fingerprint"]
        out = ok(run("export", "--store", str(store), "--out", str(usb), "--all-ready",
                     "--json"))  # fmt: skip
        ok(run("import", "--store", str(capofila), out["file"],
               "--trust-fingerprint", fingerprint, "--json"))  # fmt: skip
        exported[code] = out
    return DeskAmbito(capofila, comuni, usb, exported)
