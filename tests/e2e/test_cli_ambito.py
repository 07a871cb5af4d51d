"""``caseworker keys export-ambito`` at a capofila and ``caseworker import`` at a comune, as a user
runs them: the fingerprint printed is the one ``keys show`` prints, the first import needs it,
refused files exit 2 with the reason."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from .conftest import Run


def _init(run: Run, folder: Path, role: str, comune: str, operator: str) -> Path:
    done = run(
        "init", "--store", str(folder), "--role", role, "--ambito", "abbiatense",
        "--comune", comune, "--operator", operator, "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def capofila(tmp_path: Path, run: Run) -> Path:
    return _init(run, tmp_path / "capofila", "capofila", "A010", "udp")


@pytest.fixture
def comune(tmp_path: Path, run: Run) -> Path:
    return _init(run, tmp_path / "comune", "comune", "A127", "mrossi")


def test_a_comune_imports_the_ambito_package_once_the_fingerprint_is_confirmed(
    tmp_path: Path, run: Run, capofila: Path, comune: Path
) -> None:
    package = tmp_path / "usb" / "ambito-abbiatense.cwa"
    package.parent.mkdir()
    done = run("keys", "export-ambito", "--store", str(capofila), "--out", str(package), "--json")
    assert done.returncode == 0, done.stderr
    exported = json.loads(done.stdout)
    shown = json.loads(run("keys", "show", "--store", str(capofila), "--json").stdout)
    assert exported["fingerprint"] == shown["fingerprint"]
    assert (exported["ambito"], exported["sequence"], exported["rotation"]) == (
        "abbiatense", 1, False,
    )  # fmt: skip
    assert exported["avvisi"][0]["id"] == "abbiatense-caregiver-2023"
    assert "A127" in exported["comuni"]
    assert package.read_bytes().startswith(b"PK\x03\x04")  # signed, not encrypted: public
    assert stat.S_IMODE(package.stat().st_mode) == 0o600

    # without the fingerprint: refused, naming the fingerprint to read on the phone
    done = run("import", "--store", str(comune), str(package), "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert exported["fingerprint"] in done.stderr and package.name in done.stderr
    # a wrong one: refused
    done = run("import", "--store", str(comune), str(package), "--trust-fingerprint", "1" * 40)
    assert done.returncode == 2 and "impronta" in done.stderr.lower()

    done = run(
        "import", "--store", str(comune), str(package),
        "--trust-fingerprint", exported["fingerprint"], "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = json.loads(done.stdout)
    assert imported["kind"] == "ambito"
    assert imported["fingerprint"] == exported["fingerprint"]
    assert (imported["already_imported"], imported["pinned"]) == (False, True)
    assert imported["sha256"] == exported["sha256"]
    assert imported["avvisi"] == exported["avvisi"]

    done = run("import", "--store", str(comune), str(package), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["already_imported"] is True
    human = run("import", "--store", str(comune), str(package))
    assert human.returncode == 0 and "già importato" in human.stdout

    # the next package: signed by the pinned key, no fingerprint needed
    newer = package.with_name("ambito-abbiatense-2.cwa")
    done = run("keys", "export-ambito", "--store", str(capofila), "--out", str(newer))
    assert done.returncode == 0, done.stderr
    groups = exported["fingerprint"].split()
    assert " ".join(groups[:4]) in done.stdout and " ".join(groups[4:]) in done.stdout
    done = run("import", "--store", str(comune), str(newer), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sequence"] == 2
    done = run("import", "--store", str(comune), str(package), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["already_imported"] is True


def test_refused_files_and_wrong_stores_exit_2(
    tmp_path: Path, run: Run, capofila: Path, comune: Path
) -> None:
    package = tmp_path / "ambito.cwa"
    assert (
        run("keys", "export-ambito", "--store", str(capofila), "--out", str(package)).returncode
        == 0
    )
    fingerprint = json.loads(run("keys", "show", "--store", str(capofila), "--json").stdout)[
        "fingerprint"
    ]
    # the target exists: not overwritten
    done = run("keys", "export-ambito", "--store", str(capofila), "--out", str(package))
    assert done.returncode == 2 and package.name in done.stderr
    # a comune does not issue packages, a capofila does not import them
    done = run("keys", "export-ambito", "--store", str(comune), "--out", str(tmp_path / "x.cwa"))
    assert done.returncode == 2 and not (tmp_path / "x.cwa").exists()
    done = run("import", "--store", str(capofila), str(package), "--trust-fingerprint", fingerprint)
    assert done.returncode == 2 and "comuni" in done.stderr
    # a flipped byte, a missing file, a file that is not ours
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0x20
    flipped = tmp_path / "flipped.cwa"
    flipped.write_bytes(bytes(data))
    not_ours = tmp_path / "note.txt"
    not_ours.write_text("ciao\n", encoding="utf-8")
    for path in (flipped, tmp_path / "missing.cwa", not_ours):
        done = run(
            "import", "--store", str(comune), str(path), "--trust-fingerprint", fingerprint,
            "--json",
        )  # fmt: skip
        assert done.returncode == 2, (path.name, done.stderr)
        assert done.stdout == "" and path.name in done.stderr
    # a fingerprint that is not one
    done = run("import", "--store", str(comune), str(package), "--trust-fingerprint", "12345")
    assert done.returncode == 2 and "40 cifre" in done.stderr
    # after all that, the intact file is still accepted
    done = run(
        "import", "--store", str(comune), str(package), "--trust-fingerprint", fingerprint,
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
