"""Run the installed ``caseworker`` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CASEWORKER = Path(sys.executable).with_name("caseworker")
PASSWORD = "password-e2e-lunga"

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    def _run(
        *args: str,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
        password: str | None = PASSWORD,
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
            timeout=120,
            check=False,
        )

    return _run


@pytest.fixture
def store(tmp_path: Path, run: Run) -> tuple[Path, str]:
    """An initialised store: (folder, recovery code)."""
    import json

    folder = tmp_path / "store"
    done = run(
        "init",
        "--store",
        str(folder),
        "--role",
        "comune",
        "--ambito",
        "abbiatense",
        "--comune",
        "A010",
        "--operator",
        "mrossi",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    return folder, json.loads(done.stdout)["recovery_code"]
