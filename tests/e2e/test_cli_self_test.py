"""``caseworker self-test``: the installed command proves it has everything (issue 12).

The same command runs in the frozen build in CI; here it runs from the virtual environment."""

from __future__ import annotations

import json
from pathlib import Path

from caseworker_app.bootstrap.self_test import STEPS

from .conftest import Run

NAMES = [step.name for step in STEPS]


def test_self_test_json_reports_every_step_ok_with_its_time(tmp_path: Path, run: Run) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    done = run("self-test", "--json", password=None, env={"TMPDIR": str(temp)})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert [s["name"] for s in report["steps"]] == NAMES
    assert all(s["ok"] is True and "error" not in s for s in report["steps"])
    assert all(isinstance(s["seconds"], float) and s["seconds"] >= 0 for s in report["steps"])
    assert sum(s["seconds"] for s in report["steps"]) <= report["seconds"] + 0.01
    assert report["seconds"] < 60  # a few seconds on a laptop; generous on a shared runner
    # the temporary stores, the sealed file and the receipt are gone
    assert list(temp.iterdir()) == []
    assert done.stderr == ""


def test_self_test_names_each_step_in_italian_as_it_goes(tmp_path: Path, run: Run) -> None:
    done = run("self-test", password=None, env={"TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(NAMES) + 1
    for n, (line, name) in enumerate(zip(lines, NAMES, strict=False), start=1):
        assert line.startswith("ok ") and f"{n}/{len(NAMES)} {name} (" in line, line
        assert line.endswith(" s)"), line
    assert lines[-1].startswith(f"Autodiagnosi completata: {len(NAMES)} passi in ")
