"""``caseworker print`` as a user runs it: exit codes, the PDF written atomically, --json."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.services import istanze, pi
from tests.integration.pi_typist import NOW, seed_case
from tests.tools import assert_fonts_embedded, require

from .conftest import PASSWORD, Run


def _check_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    checked = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True,
                             text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert_fonts_embedded(path)


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def seeded(store: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The store with a case, a closed ADL, a submitted istanza and a PI in two versions; the
    istanza's protocol. Seeded in process; everything else goes through the command."""
    folder, _code = store
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the key file where the command put it
    workspace = Vault(folder, keystore_preference="file").unlock("mrossi", PASSWORD)
    try:
        _case_id, istanza_id = seed_case(workspace)
        moved = istanze.submit_istanza(workspace.uow_factory(), actor=workspace.actor,
                                       istanza_id=IstanzaId(istanza_id), submitted_at=NOW,
                                       now=NOW)  # fmt: skip
        pi.start_pi(workspace.uow_factory(), actor=workspace.actor, istanza_id=istanza_id,
                    now=NOW)  # fmt: skip
    finally:
        workspace.close()
    assert moved.protocol
    return moved.protocol


def test_istanza_and_privacy_notice_of_a_demo_istanza(
    store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    assert run("demo", "--store", str(folder), "--cases", "4", "--seed", "3").returncode == 0
    listed = json.loads(run("list", "--store", str(folder), "--json").stdout)
    ref = next(row["id"] for row in listed)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for document in ("istanza", "privacy"):
        out = out_dir / f"{document}.pdf"
        done = run("print", "--store", str(folder), "--istanza", ref, "--document", document,
                   "--out", str(out), "--json")  # fmt: skip
        assert done.returncode == 0, done.stderr
        payload = json.loads(done.stdout)
        assert payload["document"] == document
        assert payload["out"] == str(out)
        assert payload["pages"] >= 1
        assert payload["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        _check_pdf(out)
    assert _only(out_dir) == ["istanza.pdf", "privacy.pdf"]  # no temporary file left


def test_pi_versions_and_adl_by_protocol(seeded: str, store: tuple[Path, str], run: Run,
                                         tmp_path: Path) -> None:  # fmt: skip
    folder, _ = store
    out = tmp_path / "pi.pdf"
    done = run("print", "--store", str(folder), "--istanza", seeded, "--document", "pi",
               "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Progetto Individuale scritto in" in done.stdout
    _check_pdf(out)
    first = run("print", "--store", str(folder), "--istanza", seeded, "--document", "pi",
                "--version", "1", "--out", str(tmp_path / "pi1.pdf"), "--json")  # fmt: skip
    assert first.returncode == 0, first.stderr
    adl = run("print", "--store", str(folder), "--istanza", seeded, "--document", "adl",
              "--out", str(tmp_path / "adl.pdf"), "--json")  # fmt: skip
    assert adl.returncode == 0, adl.stderr
    _check_pdf(tmp_path / "adl.pdf")


def test_missing_version_or_sheet_is_bad_input_naming_the_option(
    seeded: str, store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    out = tmp_path / "x.pdf"
    missing = run("print", "--store", str(folder), "--istanza", seeded, "--document", "pi",
                  "--version", "7", "--out", str(out))  # fmt: skip
    assert missing.returncode == 2
    assert "--version" in missing.stderr and "1" in missing.stderr
    no_iadl = run("print", "--store", str(folder), "--istanza", seeded, "--document", "iadl",
                  "--out", str(out))  # fmt: skip
    assert no_iadl.returncode == 2
    assert "--document" in no_iadl.stderr and "IADL" in no_iadl.stderr
    assert "Prova" not in no_iadl.stderr + missing.stderr
    assert _only(tmp_path) == sorted(p.name for p in tmp_path.iterdir() if p.name != "x.pdf")
    assert not out.exists()


def test_unknown_istanza_is_bad_input_and_writes_nothing(
    store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    done = run("print", "--store", str(folder), "--istanza", "A010-2099-000042", "--document",
               "istanza", "--out", str(out_dir / "x.pdf"))  # fmt: skip
    assert done.returncode == 2
    assert "--istanza" in done.stderr and "A010-2099-000042" in done.stderr
    assert done.stdout == ""
    assert _only(out_dir) == []


def test_pi_without_a_pi_yet_is_bad_input(
    store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    assert run("demo", "--store", str(folder), "--cases", "2").returncode == 0
    ref = json.loads(run("list", "--store", str(folder), "--json").stdout)[0]["id"]
    done = run("print", "--store", str(folder), "--istanza", ref, "--document", "pi",
               "--out", str(tmp_path / "pi.pdf"))  # fmt: skip
    assert done.returncode == 2
    assert "--document" in done.stderr and "Progetto Individuale" in done.stderr
    assert not (tmp_path / "pi.pdf").exists()


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--document", "istanza", "--version", "2"], "--version"),
        (["--document", "pi", "--version", "0"], "--version"),
        (["--document", "pi", "--version", "due"], "--version"),
        (["--document", "ricevuta"], "--document"),
    ],
)
def test_bad_options_are_bad_input(
    store: tuple[Path, str], run: Run, tmp_path: Path, extra: list[str], named: str
) -> None:
    folder, _ = store
    done = run("print", "--store", str(folder), "--istanza", "X", "--out",
               str(tmp_path / "x.pdf"), *extra)  # fmt: skip
    assert done.returncode == 2
    assert named in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_out_in_a_missing_folder_or_a_folder_is_bad_input(
    store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    for out in (tmp_path / "manca" / "x.pdf", tmp_path):
        done = run("print", "--store", str(folder), "--istanza", "X", "--document", "istanza",
                   "--out", str(out))  # fmt: skip
        assert done.returncode == 2
        assert "--out" in done.stderr


def test_wrong_password_writes_nothing(store: tuple[Path, str], run: Run, tmp_path: Path) -> None:
    folder, _ = store
    out = tmp_path / "x.pdf"
    done = run("print", "--store", str(folder), "--istanza", "X", "--document", "privacy",
               "--out", str(out), password="sbagliata-del-tutto")  # fmt: skip
    assert done.returncode == 2
    assert not out.exists()


def test_password_from_stdin_and_overwrite_in_place(
    seeded: str, store: tuple[Path, str], run: Run, tmp_path: Path
) -> None:
    folder, _ = store
    out = tmp_path / "istanza.pdf"
    out.write_bytes(b"vecchio contenuto")
    os.chmod(out, 0o644)
    done = run("print", "--store", str(folder), "--istanza", seeded, "--document", "istanza",
               "--out", str(out), "--password-stdin", stdin=PASSWORD + "\n",
               password=None)  # fmt: skip
    assert done.returncode == 0, done.stderr
    _check_pdf(out)
