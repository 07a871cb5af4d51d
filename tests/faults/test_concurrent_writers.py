"""Issue 10, point 9: two or three processes writing the same store at once.

Each either finishes with all its rows and unique protocol numbers, or refuses with the Italian
"store busy" message; never "errore imprevisto" (an IntegrityError on the protocol numbers).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import PASSWORD, Run, assert_refused

WRITER = Path(__file__).with_name("concurrent_writer.py")
PROTOCOL = re.compile(r"^A010-\d{4}-\d{6}$")


def _writers(folder: Path, home: Path, count: int, each: int) -> list[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    env.update(HOME=str(home), CASEWORKER_PASSWORD=PASSWORD)
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(folder), str(n), str(each)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]
    for proc in procs:  # every writer has loaded Python and its imports
        assert proc.stdout is not None and proc.stdout.readline() == "loaded\n"
    for proc in procs:  # then all start at once
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    return procs


def test_three_processes_submitting_at_once_get_unique_protocol_numbers(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _code = store
    each = 15
    procs = _writers(folder, tmp_path / "home", count=3, each=each)
    outcomes = [proc.communicate(timeout=300) for proc in procs]
    promised: list[str] = []
    for proc, (out, err) in zip(procs, outcomes, strict=True):
        assert "Traceback" not in err and "IntegrityError" not in err, err
        lines = out.splitlines()
        if proc.returncode == 3:  # allowed: refused as busy, with nothing half-written
            assert lines[-1] == "refused store.busy", (out, err)
            lines = lines[:-1]
        else:
            assert proc.returncode == 0, (proc.returncode, out, err)
            assert len(lines) == each, out
        assert all(PROTOCOL.match(line) for line in lines), out
        promised += lines
    assert len(promised) == len(set(promised)), "a protocol number was given twice"

    listed = run("list", "--store", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    stored = [row["id"] for row in json.loads(listed.stdout)]
    assert len(stored) == len(set(stored))
    assert set(promised) <= set(stored)
    # the numbers of the year are one sequence, without holes or repeats
    numbers = sorted(int(p.rsplit("-", 1)[1]) for p in stored if PROTOCOL.match(p))
    assert numbers == list(range(1, len(numbers) + 1))


def test_two_demo_runs_at_once_both_finish_or_one_says_busy(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    env.update(HOME=str(folder.parent / "home"), CASEWORKER_PASSWORD=PASSWORD)
    args = [str(Path(sys.executable).with_name("caseworker")), "demo", "--store", str(folder)]
    procs = [
        subprocess.Popen(
            [*args, "--cases", "40", "--seed", str(seed)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        if proc.returncode != 0:
            assert_refused(done, code=proc.returncode, says="occupato")
    listed = run("list", "--store", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    ids = [row["id"] for row in json.loads(listed.stdout)]
    assert len(ids) == len(set(ids))
