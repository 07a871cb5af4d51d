"""Three stores set up through the ``caseworker`` command as three machines would be: the
capofila A010 and the comuni A127 and B448, each comune with demo data; every comune exports its
ready istruttorie and the capofila imports them (fingerprints confirmed). For the desk's tests."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
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


#: the ambito built once per test session and number of cases, copied into each test's folder
#: (the stores are self-contained folders: a copy is the same three machines)
_BUILT: dict[int, DeskAmbito] = {}
_ROOT: list[Path] = []


def received_ambito(tmp_path: Path, run: Run, *, cases: int = 12) -> DeskAmbito:
    """The three stores with the istruttorie received at the capofila, in ``tmp_path``."""
    if cases not in _BUILT:
        if not _ROOT:
            _ROOT.append(Path(tempfile.mkdtemp(prefix="desk-ambito-")))
            atexit.register(shutil.rmtree, _ROOT[0], ignore_errors=True)
        _BUILT[cases] = _build(_ROOT[0] / f"cases-{cases}", run, cases=cases)
    built = _BUILT[cases]
    base = built.usb.parent
    for folder in base.iterdir():
        shutil.copytree(folder, tmp_path / folder.name, symlinks=False)

    def moved(path: Path) -> Path:
        return tmp_path / path.relative_to(base)

    exported = {
        code: {**out, "file": str(moved(Path(out["file"])))} for code, out in built.exported.items()
    }
    return DeskAmbito(
        moved(built.capofila),
        {code: moved(store) for code, store in built.comuni.items()},
        moved(built.usb),
        exported,
    )


def _build(tmp_path: Path, run: Run, *, cases: int) -> DeskAmbito:
    tmp_path.mkdir(parents=True)
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
