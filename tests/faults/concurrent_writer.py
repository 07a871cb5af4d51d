"""Writer process for test_concurrent_writers.py: submits istanze, each taking a protocol number.

Usage: python concurrent_writer.py STORE_DIR TAG COUNT  (password in ``CASEWORKER_PASSWORD``)

It prints ``loaded`` once its imports are loaded and waits for ``go`` on stdin, so that the test
starts every writer at the same moment. Then, COUNT times, through the service layer and the unit
of work: a case file, an istanza, its submission (the protocol number), each its own transaction.
Refusals are printed as ``refused <code>`` and end the process with 3; anything else is a crash.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services.cases import create_case
from caseworker_app.services.istanze import create_istanza, submit_istanza

AVVISO = "abbiatense-caregiver-2023"


def main(argv: list[str]) -> int:
    root, tag, count = Path(argv[1]), argv[2], int(argv[3])
    sys.stdout.write("loaded\n")
    sys.stdout.flush()
    if sys.stdin.readline() != "go\n":
        return 0
    try:
        vault = Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")
        store = vault.unlock("mrossi", os.environ["CASEWORKER_PASSWORD"])
        try:
            for seq in range(count):
                now = datetime.now().replace(microsecond=0)
                anagrafica = Anagrafica(surname=f"Concorrente {tag} {seq:04d}",
                                        given_name="Prova", sex=Sex.F,
                                        residence_comune="A010")  # fmt: skip
                case_id, _ = create_case(store.uow_factory(), actor=store.actor, comune="A010",
                                         anagrafica=anagrafica, now=now)  # fmt: skip
                istanza = create_istanza(store.uow_factory(), actor=store.actor, case_id=case_id,
                                         avviso=AVVISO, now=now)  # fmt: skip
                submitted = submit_istanza(store.uow_factory(), actor=store.actor,
                                           istanza_id=istanza.id, submitted_at=now,
                                           now=now)  # fmt: skip
                sys.stdout.write(f"{submitted.protocol}\n")
                sys.stdout.flush()
        finally:
            store.close()
    except UserFacingError as exc:
        sys.stdout.write(f"refused {exc.code}\n")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
