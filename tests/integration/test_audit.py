"""The audit log: one event per action, no field values, append-only, tamper-evident."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import audit_log, cases

NOW = datetime(2026, 11, 22, 11, 0)


def _make_history(workspace: OpenStore) -> str:
    case_id, _ = cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(
            surname="Ghezzi",
            given_name="Ornella",
            sex=Sex.F,
            birth_date=date(1944, 2, 2),
            residence_comune="A010",
        ),
        now=NOW,
    )
    cases.save_anagrafica(
        workspace.uow_factory(),
        actor=workspace.actor,
        case_id=case_id,
        anagrafica=Anagrafica(
            surname="Ghezzi",
            given_name="Ornella Maria",
            sex=Sex.F,
            birth_date=date(1944, 2, 2),
            residence_comune="A010",
        ),
        now=NOW,
    )
    cases.open_case(workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=NOW)
    return case_id


def test_each_action_leaves_one_event_without_field_values(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    case_id = _make_history(workspace)
    events = audit_log.list_audit(
        workspace.uow_factory(), actor=workspace.actor, flt=AuditFilter(entity_type="case_file")
    )
    assert sorted(e.action for e in events) == ["create", "read", "update"]
    assert {e.entity_id for e in events} == {case_id}
    for event in events:
        text = " ".join([event.operator, event.action, event.entity_type, event.entity_id])
        assert "Ghezzi" not in text and "Ornella" not in text


def test_untouched_log_verifies(created: tuple[Vault, OpenStore, str]) -> None:
    _, workspace, _ = created
    _make_history(workspace)
    verdict = audit_log.verify_audit(workspace.uow_factory())
    assert verdict.ok
    assert verdict.events >= 5


def test_database_refuses_to_change_or_delete_events(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    with workspace.engine.connect() as conn:
        with pytest.raises(IntegrityError, match="append-only"):
            conn.exec_driver_sql("UPDATE audit_events SET operator = 'x' WHERE seq = 1")
        conn.rollback()
        with pytest.raises(IntegrityError, match="append-only"):
            conn.exec_driver_sql("DELETE FROM audit_events WHERE seq = 1")
        conn.rollback()


def _tamper(workspace: OpenStore, sql: str) -> None:
    """What an attacker with the key could do: drop the guard, then edit."""
    with workspace.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        conn.exec_driver_sql(sql)


def test_edited_event_is_detected(created: tuple[Vault, OpenStore, str]) -> None:
    _, workspace, _ = created
    _make_history(workspace)
    _tamper(workspace, "UPDATE audit_events SET operator = 'qualcun_altro' WHERE seq = 3")
    verdict = audit_log.verify_audit(workspace.uow_factory())
    assert not verdict.ok
    assert (3, "altered") in {(p.seq, p.kind) for p in verdict.problems}


def test_removed_event_is_detected(created: tuple[Vault, OpenStore, str]) -> None:
    _, workspace, _ = created
    _make_history(workspace)
    _tamper(workspace, "DELETE FROM audit_events WHERE seq = 2")
    verdict = audit_log.verify_audit(workspace.uow_factory())
    assert not verdict.ok
    assert 2 in {p.seq for p in verdict.problems}


def test_rewritten_hash_is_still_detected_by_the_next_link(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    _make_history(workspace)
    _tamper(
        workspace,
        "UPDATE audit_events SET action = 'read', hash = "
        "'0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 3",
    )
    verdict = audit_log.verify_audit(workspace.uow_factory())
    assert {p.kind for p in verdict.problems} >= {"altered", "broken_link"}


def test_amministrativo_cannot_read_the_audit_log(created: tuple[Vault, OpenStore, str]) -> None:
    from caseworker_app.domain.errors import UserFacingError
    from caseworker_app.domain.roles import Role

    vault, workspace, _ = created
    workspace.add_operator(
        username="impiegato",
        full_name="Impiegato",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-impiegato",
    )
    clerk = vault.unlock("impiegato", "password-impiegato")
    with pytest.raises(UserFacingError) as err:
        audit_log.list_audit(clerk.uow_factory(), actor=clerk.actor, flt=AuditFilter())
    assert err.value.code == "auth.not_allowed"
    clerk.close()
