"""A commit that has returned survives the process being killed (SIGKILL) at any moment.

A separate writer process (kill_writer.py) unlocks a real store and creates case files in a loop,
printing one line after each commit has returned. The test kills it at a random moment, many
times over the same store (so SQLite's WAL recovery runs again and again, sometimes in this
process, sometimes in the next writer), and checks that the database is intact and that every
record whose line was printed is there.

Reproduce a failure with the seed it prints: ``CASEWORKER_KILL_SEED=<seed> pytest -k sigkill``.
"""

from __future__ import annotations

import os
import queue
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services import audit_log
from caseworker_app.services.cases import count_cases
from caseworker_app.store.engine import connect_raw

WRITER = Path(__file__).with_name("kill_writer.py")
USERNAME = "durability"
PASSWORD = "Durevole-Kill-2024!"
ROUNDS = 24
MAX_COMMITS_BEFORE_KILL = 40
COMMIT_JITTER_S = 0.01  # a commit takes ~3-5 ms on an idle SSD
# Some rounds are killed at a delay counted from "go" instead, which often lands while the
# writer unlocks the store (quick_check, migrations check, the login audit commit).
EARLY_KILL_SHARE = 0.2
EARLY_MAX_DELAY_S = 0.8
READY_TIMEOUT_S = 30.0
LOOKAHEAD = 2


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    for line in iter(stream.readline, b""):
        lines.put(line)
    lines.put(None)


@dataclass
class _Writer:
    round_no: int
    proc: subprocess.Popen[bytes]
    lines: queue.Queue[bytes | None]
    reader: threading.Thread

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


def _spawn(root: Path, round_no: int, env: dict[str, str], log: Path) -> _Writer:
    """Start a writer; it loads Python and its imports, then waits for "go"."""
    with open(log, "ab") as err:
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(root), USERNAME, str(round_no)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
        )
    assert proc.stdout is not None
    lines: queue.Queue[bytes | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
    reader.start()
    return _Writer(round_no, proc, lines, reader)


def _expect(writer: _Writer, wanted: bytes, log: Path) -> None:
    line = writer.lines.get(timeout=READY_TIMEOUT_S)
    if line != wanted:
        writer.stop()
        raise AssertionError(
            f"writer (round {writer.round_no}) said {line!r}, not {wanted!r}\n"
            + log.read_text(errors="replace")
        )


def _run_round(
    writer: _Writer, rng: random.Random, log: Path, start_next: Callable[[], None]
) -> tuple[dict[str, str], str]:
    """Let the writer go, kill it at a random moment; return the promised records, a summary.

    Most rounds wait for a random number of commits, then a random fraction of a commit's
    time, so that the kill falls at any phase of a commit (in the write, in the fsync, between
    the commit and the print) whatever the load on the machine. Some rounds kill at a random
    delay after "go", which lands while the writer unlocks or starts writing.
    """
    early = rng.random() < EARLY_KILL_SHARE
    commits = 0 if early else rng.randint(0, MAX_COMMITS_BEFORE_KILL)
    delay = rng.uniform(0, EARLY_MAX_DELAY_S if early else COMMIT_JITTER_S)
    proc = writer.proc
    assert proc.stdin is not None
    _expect(writer, b"loaded\n", log)
    proc.stdin.write(b"go\n")
    proc.stdin.flush()
    start_next()  # a later writer loads Python while this one works
    received: list[bytes] = []
    if not early:
        _expect(writer, b"ready\n", log)
        while len(received) < commits:
            line = writer.lines.get(timeout=READY_TIMEOUT_S)
            if line is None:  # the writer is gone: put the end mark back for the drain below
                writer.lines.put(None)
                break
            received.append(line)
    time.sleep(delay)
    if proc.poll() is not None:
        raise AssertionError(
            f"writer exited by itself with {proc.returncode} (round {writer.round_no})\n"
            + log.read_text(errors="replace")
        )
    proc.kill()  # SIGKILL on POSIX: no handler, no atexit, nothing flushed or closed
    writer.stop()
    while (line := writer.lines.get_nowait()) is not None:
        received.append(line)
    promised: dict[str, str] = {}
    for line in received:
        # A line cut short by the kill promises nothing: only complete lines count.
        if not line.endswith(b"\n") or line in (b"loaded\n", b"ready\n"):
            continue
        case_id, surname = line.decode().rstrip("\n").split(" ", 1)
        promised[case_id] = surname
    when = f"{delay:.3f}s after go" if early else f"{commits} commits + {delay * 1000:.1f}ms"
    return promised, f"round {writer.round_no}: killed {when}, {len(promised)} promised"


def _check_store(db: Path, key: bytes, promised: dict[str, str], context: str) -> None:
    conn = connect_raw(db, key)  # recovers the WAL left by the killed writer
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        assert result == [("ok",)], f"integrity_check: {result} ({context})"
        # The full-text index must still match its content table.
        conn.execute("INSERT INTO persons_fts(persons_fts) VALUES ('integrity-check')")
        found = dict(
            conn.execute(
                "SELECT c.id, p.surname FROM case_files c JOIN persons p ON p.id = c.person_id"
            ).fetchall()
        )
    finally:
        conn.close()
    missing = [(k, v) for k, v in promised.items() if found.get(k) != v]
    assert not missing, f"{len(missing)} committed records lost, e.g. {missing[:5]} ({context})"


def test_committed_records_survive_sigkill(tmp_path: Path) -> None:
    seed = int(os.environ.get("CASEWORKER_KILL_SEED", random.randrange(2**32)))
    print(f"CASEWORKER_KILL_SEED={seed}")
    rng = random.Random(seed)
    root = tmp_path / "store"
    vault = Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")
    store, recovery_code = vault.create(
        SetupRequest("comune", "abbiatense", "A010", USERNAME, "Prova Durabilità", PASSWORD)
    )
    store.close()
    _meta, key = vault.unlock_key_with_recovery(recovery_code)
    env = {**os.environ, "CASEWORKER_PASSWORD": PASSWORD}
    log = tmp_path / "writer-stderr.log"

    promised: dict[str, str] = {}
    history: list[str] = []
    # Writers are started LOOKAHEAD rounds ahead so that Python's start-up overlaps the rounds.
    writers = [_spawn(root, n, env, log) for n in range(min(LOOKAHEAD, ROUNDS))]
    try:
        for round_no in range(ROUNDS):

            def start_next(n: int = round_no + LOOKAHEAD) -> None:
                if n < ROUNDS:
                    writers.append(_spawn(root, n, env, log))

            new, summary = _run_round(writers[round_no], rng, log, start_next)
            promised.update(new)
            history.append(summary)
            # Check in this process only every other round: on the other rounds the next
            # writer itself opens the hot WAL left by the killed one and appends to it
            # (opening and closing it here recovers and checkpoints it).
            if round_no % 2 == 1 or round_no == ROUNDS - 1:
                _check_store(root / "caseworker.db", key, promised, f"seed {seed}, {summary}")
    finally:
        for writer in writers:
            writer.stop()
    print("\n".join(history))
    assert len(promised) >= ROUNDS, f"too few commits to mean anything: {history}"

    # Finally through the application's own path: unlock (quick_check, migrations, login),
    # search, and verify the audit hash chain that every create_case extended.
    store = vault.unlock(USERNAME, PASSWORD)
    try:
        assert count_cases(store.uow_factory(), actor=store.actor, text="kill") >= len(promised)
        verdict = audit_log.verify_audit(store.uow_factory())
        assert verdict.ok, f"audit chain broken: {verdict.problems[:5]} (seed {seed})"
    finally:
        store.close()
