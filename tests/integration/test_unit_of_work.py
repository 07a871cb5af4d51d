"""The SQLAlchemy unit of work over a real store: every repository of the port, each over the
session of its own ``with`` block, made when first used (a command loads only the repositories,
and the domain modules, it uses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import PASSWORD, USERNAME


def _port_repositories() -> set[str]:
    return {
        name
        for name, value in vars(UnitOfWork).items()
        if isinstance(value, property) and not name.startswith("_") and name != "session"
    }


def test_every_repository_of_the_port_is_served_over_the_block_session(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    uow = workspace.uow_factory()
    names = _port_repositories()
    assert len(names) == 20
    with uow:
        session = uow.session
        for name in sorted(names):
            repository = getattr(uow, name)
            assert getattr(uow, name) is repository  # one per block
            assert repository.session is session, name
        operator = uow.operators.get_by_username(USERNAME)
        assert operator is not None
        first_operators = uow.operators
    with uow:  # a new block: a new session, new repositories
        assert uow.operators is not first_operators
        assert uow.operators.session is uow.session
    with pytest.raises(RuntimeError, match="outside its 'with' block"):
        _ = uow.operators
    with pytest.raises(AttributeError):
        _ = uow.no_such_repository  # type: ignore[attr-defined]
    assert isinstance(uow, SqlUnitOfWork)


def test_logging_in_and_ranking_do_not_load_the_case_file_modules(
    created: tuple[Vault, OpenStore, str],
) -> None:
    """What the command line's ``rank --store`` goes through (login, the ambito, the received
    istanze, the runs, the audit) does not import the case file, PI and signature modules."""
    _, workspace, _ = created
    root = Path(workspace.root)
    workspace.close()
    script = (
        "import sys\n"
        "from caseworker_app.bootstrap.vault import Vault\n"
        "from caseworker_app.security.keys import FAST_TEST_KDF\n"
        f"store = Vault({str(root)!r}, kdf=FAST_TEST_KDF, keystore_preference='file')"
        f".unlock({USERNAME!r}, {PASSWORD!r})\n"
        "uow = store.uow_factory()\n"
        "with uow:\n"
        "    uow.ambito, uow.received.current_records('x')\n"
        "    uow.runs.of_avviso('x', content=False)\n"
        "    uow.controls, uow.audit, uow.settings, uow.installation\n"
        "store.close()\n"
        "print(sorted(m for m in sys.modules if m in (\n"
        "    'caseworker_app.store.sections', 'caseworker_app.store.signatures',\n"
        "    'caseworker_app.store.case_repository', 'caseworker_app.domain.pi',\n"
        "    'caseworker_app.domain.pi_sections', 'caseworker_app.store.assessments')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
