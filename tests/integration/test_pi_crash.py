"""The PI narrative survives a crash: at most the last second of typing is lost.

A child process (pi_typist.py) opens the real PI editor offscreen on a real encrypted store and
types into the evaluation summary one character every 50 ms with autosave on, printing a line
with a monotonic timestamp after each character. The test kills it with SIGKILL in the middle
of typing, reopens the store and checks that everything typed until one second before the kill
is in the saved version.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.pi import PiContent
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services import pi
from tests.integration.pi_typist import NOW, TEXT, seed_case

TYPIST = Path(__file__).with_name("pi_typist.py")
USERNAME = "typist"
PASSWORD = "Digita-Piano-2024!"
MAX_LOSS_S = 1.0
ROUNDS = 2


def _typed_before(lines: list[tuple[int, float]], cutoff: float) -> int:
    return max((count for count, at in lines if at <= cutoff), default=0)


def test_narrative_typed_until_a_second_before_a_kill_is_saved(tmp_path: Path) -> None:
    seed = int(os.environ.get("CASEWORKER_KILL_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    root = tmp_path / "store"
    vault = Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")
    store, _code = vault.create(
        SetupRequest("comune", "abbiatense", "A010", USERNAME, "Prova Digitazione", PASSWORD)
    )
    _case_id, istanza_id = seed_case(store)
    first = pi.start_pi(store.uow_factory(), actor=store.actor, istanza_id=istanza_id, now=NOW)
    before = PiContent.from_data(first.content).evaluation.summary
    store.close()
    env = {**os.environ, "CASEWORKER_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    log = tmp_path / "typist-stderr.log"
    expected = before
    for round_no in range(ROUNDS):
        typing_for = rng.uniform(2.0, 4.0)
        with open(log, "ab") as err:
            proc = subprocess.Popen(
                [sys.executable, str(TYPIST), str(root), USERNAME, istanza_id],
                stdout=subprocess.PIPE, stderr=err, env=env, cwd=Path.cwd(),
            )  # fmt: skip
        assert proc.stdout is not None
        lines: list[tuple[int, float]] = []
        started: float | None = None
        try:
            for raw in proc.stdout:
                text = raw.decode()
                if text == "ready\n":
                    continue
                _word, count, at = text.split()
                lines.append((int(count), float(at)))
                started = started or time.monotonic()
                if time.monotonic() - started >= typing_for:
                    break
            else:
                raise AssertionError("the typist stopped by itself\n" + log.read_text())
            proc.kill()  # SIGKILL: nothing is flushed, closed or saved on the way out
            killed_at = time.monotonic()
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        promised = _typed_before(lines, killed_at - MAX_LOSS_S)
        assert promised > 10, f"too little typed to mean anything: {len(lines)} lines"
        expected_prefix = expected + "".join(TEXT[i % len(TEXT)] for i in range(promised))
        reopened = vault.unlock(USERNAME, PASSWORD)
        try:
            [version] = pi.versions(
                reopened.uow_factory(), actor=reopened.actor, istanza_id=istanza_id, now=NOW
            )
        finally:
            reopened.close()
        saved = PiContent.from_data(version.content).evaluation.summary
        assert saved.startswith(expected_prefix), (
            f"seed {seed}, round {round_no}: {len(saved) - len(expected)} characters saved, "
            f"{promised} typed more than {MAX_LOSS_S} s before the kill"
        )
        expected = saved  # the next typist appends to what was saved
