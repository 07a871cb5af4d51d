"""Committed data do not live only in the write-ahead log for long (issue 10, point 2)."""

from __future__ import annotations

from datetime import datetime

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases


def test_checkpoint_folds_the_wal_and_the_counter_is_recorded(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, workspace, _ = created
    before = vault.layout.read_commits()
    cases.create_case(
        workspace.uow_factory(), actor=workspace.actor, comune="A010",
        anagrafica=Anagrafica(surname="Pieghe", given_name="Wal", sex=Sex.F,
                              residence_comune="A010"),
        now=datetime(2026, 11, 22, 10, 0),
    )  # fmt: skip
    after = vault.layout.read_commits()
    assert before is not None and after is not None and after > before
    assert vault.layout.wal.stat().st_size > 0
    workspace.checkpoint()
    assert vault.layout.wal.stat().st_size == 0
    # a unit of work that only reads is not counted
    cases.search_cases(workspace.uow_factory(), actor=workspace.actor, text="pieghe")
    assert vault.layout.read_commits() == after
