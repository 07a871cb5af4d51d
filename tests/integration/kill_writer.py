"""Writer process for test_durability_kill.py: commits case files until it is killed.

Usage: python kill_writer.py STORE_DIR USERNAME ROUND  (password in ``CASEWORKER_PASSWORD``)

Once its imports are loaded it prints ``loaded`` and waits for the line ``go`` on stdin (end
of input instead: exit without touching the store). Then it unlocks the store through the real
vault (the key unwrapped from the file key store), prints ``ready``, and creates case files one
by one through the service layer and the unit of work. After each ``create_case`` has returned
(its transaction committed) one line is written and flushed to stdout::

    <case id> <surname>

A complete line is therefore a promise that the record is durable: the test kills this process
with SIGKILL at a random moment and then checks that every promised record is in the store.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services.cases import check_anagrafica, create_case


def surname_for(round_no: int, seq: int) -> str:
    """The unique surname of record ``seq`` written in round ``round_no``."""
    return f"Kill R{round_no:03d} N{seq:07d}"


def _anagrafica(round_no: int, seq: int) -> Anagrafica:
    return Anagrafica(
        surname=surname_for(round_no, seq),
        given_name="Durevole",
        sex=Sex.F,
        residence_comune="A010",
        phone=f"{seq}",
    )


def main(argv: list[str]) -> int:
    root, username, round_no = Path(argv[1]), argv[2], int(argv[3])
    # The test starts the next writer while the current one runs, so that Python and the
    # imports load meanwhile; the store is touched only after "go" arrives on stdin.
    sys.stdout.write("loaded\n")
    sys.stdout.flush()
    if sys.stdin.readline() != "go\n":
        return 0
    vault = Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")
    store = vault.unlock(username, os.environ["CASEWORKER_PASSWORD"])
    # Warm up what the first create_case would load lazily (validation tables), so that the
    # test's kill delays, counted from "ready", fall among commits.
    check_anagrafica(
        store.uow_factory(),
        actor=store.actor,
        case_id=None,
        anagrafica=_anagrafica(round_no, 0),
        now=datetime.now(),
    )
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    seq = 0
    while True:
        seq += 1
        anagrafica = _anagrafica(round_no, seq)
        case_id, _issues = create_case(
            store.uow_factory(),
            actor=store.actor,
            comune="A010",
            anagrafica=anagrafica,
            now=datetime.now().replace(microsecond=0),
        )
        out.write(f"{case_id} {anagrafica.surname}\n")
        out.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
