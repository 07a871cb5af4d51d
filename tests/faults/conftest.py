"""The fault suite: each defect of the store and the command line, reproduced on a real store.

Every test here checks three things: the exit code, an Italian message with no traceback, and
that the store's bytes are unchanged (or its data intact). The whole folder is marked ``faults``
(``pytest -m faults`` runs it alone); CI runs it with the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CASEWORKER = Path(sys.executable).with_name("caseworker")
PASSWORD = "password-guasti-lunga"
OPERATOR = "mrossi"

Run = Callable[..., subprocess.CompletedProcess[str]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run the installed ``caseworker`` command as a user would (clean environment)."""

    def _run(
        *args: str,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
        password: str | None = PASSWORD,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
        full_env["HOME"] = str(tmp_path / "home")
        if password is not None:
            full_env["CASEWORKER_PASSWORD"] = password
        full_env.update(env or {})
        return subprocess.run(
            [str(CASEWORKER), *args],
            env=full_env,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return _run


@pytest.fixture
def store(tmp_path: Path, run: Run) -> tuple[Path, str]:
    """An initialised comune store with the key file beside it: (folder, recovery code)."""
    folder = tmp_path / "store"
    done = run(
        "init", "--store", str(folder), "--role", "comune", "--ambito", "abbiatense",
        "--comune", "A010", "--operator", OPERATOR, "--keystore", "file", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder, json.loads(done.stdout)["recovery_code"]


def snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_refused(
    done: subprocess.CompletedProcess[str], *, code: int, says: str | None = None
) -> None:
    """The command failed the way a user can act on: the exit code, one Italian message on
    stderr, no traceback, no "errore imprevisto", no English library chatter."""
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    err = done.stderr
    assert "Traceback" not in err, err
    assert "errore imprevisto" not in err, err
    assert err.startswith("caseworker: "), err
    assert not re.search(r"\{[a-z_]+\}", err), f"placeholder left in the message: {err}"
    for chatter in ("hmac check failed", "sqlcipher", "ERROR CORE"):
        assert chatter not in err, err
    if says is not None:
        assert says in err, err
