"""The operator-account use cases (services/operator_accounts.py) over fake ports.

The key slots, the key wrapper and the failed-attempt counter are in-memory fakes; the unit of
work is a real encrypted store's (no mocked database), so the audit log and the operators table
are the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction, AuditEvent
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Role
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.ports.storage import AuditFilter, UnitOfWorkFactory
from caseworker_app.security import passwords
from caseworker_app.security.attempts import delay_after
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services import operator_accounts

from .conftest import PASSWORD, USERNAME, FakeClock

NOW = datetime(2026, 11, 22, 9, 0, 0)
OTHER = "impiegata"
OTHER_PASSWORD = "prima-password-1"


class FakeKeySlots:
    def __init__(self, slots: dict[str, str] | None = None) -> None:
        self.blobs: dict[str, str] = dict(slots or {})

    def get(self, slot: str) -> str | None:
        return self.blobs.get(slot)

    def put(self, slot: str, blob: str) -> None:
        self.blobs[slot] = blob

    def delete(self, slot: str) -> None:
        self.blobs.pop(slot, None)

    def slots(self) -> dict[str, str]:
        return dict(self.blobs)


@dataclass(frozen=True)
class Failure:
    at: datetime
    operator: str


@dataclass
class FakeAttempts:
    failures: list[Failure] = field(default_factory=list)

    def read(self) -> list[Failure]:
        return list(self.failures)

    def record_failure(self, operator: str, at: datetime) -> None:
        self.failures.append(Failure(at, operator))

    def wait_seconds(self, now: datetime) -> int:
        if not self.failures:
            return 0
        ready = self.failures[-1].at + timedelta(seconds=delay_after(len(self.failures)))
        return max(0, int((ready - now).total_seconds() + 0.999))

    def clear(self) -> None:
        self.failures.clear()


@dataclass
class FakeWrapper:
    calls: list[str] = field(default_factory=list)

    def wrap(self, slot: str, secret: str) -> str:
        self.calls.append(slot)
        return f"blob-{len(self.calls)}-{slot}"


@pytest.fixture
def store(created: tuple[Vault, OpenStore, str]) -> tuple[UnitOfWorkFactory, Actor]:
    """The real store's units of work and its first operator (admin + assistente sociale)."""
    _, workspace, _ = created
    return workspace.uow_factory, workspace.actor


def _events(uow_factory: UnitOfWorkFactory, action: AuditAction) -> list[AuditEvent]:
    with uow_factory() as uow:
        return uow.audit.find(AuditFilter(action=action.value))


def _add_other(uow_factory: UnitOfWorkFactory, admin: Actor, keys: FakeKeySlots) -> None:
    operator_accounts.add_operator(
        uow_factory,
        actor=admin,
        keys=keys,
        wrap=FakeWrapper(),
        kdf=FAST_TEST_KDF,
        username=OTHER,
        full_name="  Carla   Impiegata ",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password=OTHER_PASSWORD,
        qualifica="amministrativo",
        now=NOW,
    )


def test_admin_adds_an_operator_with_a_wrapped_slot_and_an_audit_event(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, admin = store
    keys, wrap = FakeKeySlots(), FakeWrapper()
    created_before = len(_events(uow_factory, AuditAction.CREATE))
    operator = operator_accounts.add_operator(
        uow_factory,
        actor=admin,
        keys=keys,
        wrap=wrap,
        kdf=FAST_TEST_KDF,
        username=OTHER,
        full_name="  Carla   Impiegata ",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password=OTHER_PASSWORD,
        now=NOW,
    )
    assert operator.full_name == "Carla Impiegata"
    assert wrap.calls == ["operator:impiegata"]
    assert keys.blobs == {"operator:impiegata": "blob-1-operator:impiegata"}
    with uow_factory() as uow:
        stored = uow.operators.password_hash(OTHER)
    assert stored is not None and passwords.verify_password(stored, OTHER_PASSWORD)
    created_events = _events(uow_factory, AuditAction.CREATE)
    assert len(created_events) == created_before + 1
    assert any(e.entity_id == OTHER and e.operator == admin.username for e in created_events)


def test_add_operator_by_a_non_admin_is_refused_and_touches_no_slot(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, _ = store
    keys, wrap = FakeKeySlots({"operator:mrossi": "blob"}), FakeWrapper()
    worker = Actor("assistente2", frozenset({Role.ASSISTENTE_SOCIALE}))
    with pytest.raises(UserFacingError) as err:
        operator_accounts.add_operator(
            uow_factory,
            actor=worker,
            keys=keys,
            wrap=wrap,
            kdf=FAST_TEST_KDF,
            username="x1",
            full_name="X",
            roles=frozenset({Role.ADMIN}),
            password="p" * 12,
            now=NOW,
        )
    assert err.value.code == "auth.not_allowed"
    assert keys.blobs == {"operator:mrossi": "blob"} and wrap.calls == []
    with uow_factory() as uow:
        assert uow.operators.get_by_username("x1") is None


@pytest.mark.parametrize(
    ("username", "roles", "password", "code"),
    [
        ("impiegata", frozenset(), OTHER_PASSWORD, "auth.roles_required"),
        ("impiegata", frozenset({Role.AMMINISTRATIVO}), "corta", "auth.password_too_short"),
        (USERNAME, frozenset({Role.AMMINISTRATIVO}), OTHER_PASSWORD, "auth.username_taken"),
    ],
)
def test_a_refused_new_operator_leaves_slots_and_log_as_they_were(
    store: tuple[UnitOfWorkFactory, Actor],
    username: str,
    roles: frozenset[Role],
    password: str,
    code: str,
) -> None:
    uow_factory, admin = store
    keys, wrap = FakeKeySlots(), FakeWrapper()
    with uow_factory() as uow:
        events_before = len(list(uow.audit.iterate()))
    with pytest.raises(UserFacingError) as err:
        operator_accounts.add_operator(
            uow_factory,
            actor=admin,
            keys=keys,
            wrap=wrap,
            kdf=FAST_TEST_KDF,
            username=username,
            full_name="Carla Impiegata",
            roles=roles,
            password=password,
            now=NOW,
        )
    assert err.value.code == code
    assert keys.blobs == {} and wrap.calls == []
    with uow_factory() as uow:
        assert len(list(uow.audit.iterate())) == events_before


def test_a_wrong_old_password_is_counted_and_changes_no_slot(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, actor = store
    keys, wrap, attempts = FakeKeySlots({"operator:mrossi": "old"}), FakeWrapper(), FakeAttempts()
    with uow_factory() as uow:
        hash_before = uow.operators.password_hash(USERNAME)
    with pytest.raises(UserFacingError) as err:
        operator_accounts.change_own_password(
            uow_factory,
            actor=actor,
            keys=keys,
            wrap=wrap,
            attempts=attempts,
            kdf=FAST_TEST_KDF,
            old_password="non-la-mia-password",
            new_password="nuova-password-9",
            now=NOW,
        )
    assert err.value.code == "auth.wrong_credentials"
    assert attempts.failures == [Failure(NOW, USERNAME)]
    assert keys.blobs == {"operator:mrossi": "old"} and wrap.calls == []
    with uow_factory() as uow:
        assert uow.operators.password_hash(USERNAME) == hash_before
    assert _events(uow_factory, AuditAction.LOGIN_FAILED) == []  # counted outside the database


def test_changing_own_password_rewraps_the_slot_and_logs_the_earlier_failures(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, actor = store
    keys, wrap = FakeKeySlots({"operator:mrossi": "old"}), FakeWrapper()
    attempts = FakeAttempts([Failure(NOW - timedelta(minutes=5), USERNAME)])
    operator_accounts.change_own_password(
        uow_factory,
        actor=actor,
        keys=keys,
        wrap=wrap,
        attempts=attempts,
        kdf=FAST_TEST_KDF,
        old_password=PASSWORD,
        new_password="nuova-password-9",
        now=NOW,
    )
    assert keys.blobs == {"operator:mrossi": "blob-1-operator:mrossi"}
    assert attempts.failures == []
    failed = _events(uow_factory, AuditAction.LOGIN_FAILED)
    assert [(e.operator, e.at) for e in failed] == [(USERNAME, NOW - timedelta(minutes=5))]
    with uow_factory() as uow:
        stored = uow.operators.password_hash(USERNAME)
    assert stored is not None and passwords.verify_password(stored, "nuova-password-9")


def test_after_three_failures_the_own_password_is_throttled(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, actor = store
    attempts = FakeAttempts([Failure(NOW, USERNAME)] * 3)
    with pytest.raises(UserFacingError) as err:
        operator_accounts.verify_password(
            uow_factory, actor=actor, attempts=attempts, password=PASSWORD, now=NOW
        )
    assert err.value.code == "auth.throttled"
    assert len(attempts.failures) == 3  # the refused try is not counted again
    assert _events(uow_factory, AuditAction.UNLOCK) == []


def test_the_lock_screen_counts_failures_and_logs_them_with_the_unlock(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, actor = store
    attempts = FakeAttempts()
    assert not operator_accounts.verify_password(
        uow_factory, actor=actor, attempts=attempts, password="sbagliata-1", now=NOW
    )
    assert attempts.failures == [Failure(NOW, USERNAME)]
    assert _events(uow_factory, AuditAction.LOGIN_FAILED) == []
    assert operator_accounts.verify_password(
        uow_factory, actor=actor, attempts=attempts, password=PASSWORD, now=NOW
    )
    assert attempts.failures == []
    assert len(_events(uow_factory, AuditAction.LOGIN_FAILED)) == 1
    assert len(_events(uow_factory, AuditAction.UNLOCK)) == 1


def test_disabling_an_operator_deletes_the_slot_and_keeps_the_account(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, admin = store
    keys = FakeKeySlots()
    _add_other(uow_factory, admin, keys)
    assert "operator:impiegata" in keys.blobs
    operator_accounts.disable_operator(uow_factory, actor=admin, keys=keys, username=OTHER, now=NOW)
    assert "operator:impiegata" not in keys.blobs
    with uow_factory() as uow:
        operator = uow.operators.get_by_username(OTHER)
    assert operator is not None and not operator.active
    # a new password from the admin re-enables her with a new slot
    wrap = FakeWrapper()
    operator_accounts.set_operator_password(
        uow_factory,
        actor=admin,
        keys=keys,
        wrap=wrap,
        kdf=FAST_TEST_KDF,
        username=OTHER,
        password="seconda-password-2",
        now=NOW,
    )
    assert keys.blobs["operator:impiegata"] == "blob-1-operator:impiegata"
    with uow_factory() as uow:
        operator = uow.operators.get_by_username(OTHER)
    assert operator is not None and operator.active


@pytest.mark.parametrize(
    ("actor", "username", "code"),
    [
        (None, USERNAME, "auth.cannot_disable_self"),
        (None, "nessuno", "auth.unknown_operator"),
        (Actor("x", frozenset({Role.ASSISTENTE_SOCIALE})), OTHER, "auth.not_allowed"),
    ],
)
def test_a_refused_disable_keeps_every_slot(
    store: tuple[UnitOfWorkFactory, Actor], actor: Actor | None, username: str, code: str
) -> None:
    uow_factory, admin = store
    keys = FakeKeySlots()
    _add_other(uow_factory, admin, keys)
    keys.put("operator:mrossi", "mine")
    before = keys.slots()
    with pytest.raises(UserFacingError) as err:
        operator_accounts.disable_operator(
            uow_factory, actor=actor or admin, keys=keys, username=username, now=NOW
        )
    assert err.value.code == code
    assert keys.slots() == before


def test_update_operator_needs_a_full_name_and_logs_the_change(
    store: tuple[UnitOfWorkFactory, Actor],
) -> None:
    uow_factory, admin = store
    _add_other(uow_factory, admin, FakeKeySlots())
    with pytest.raises(UserFacingError) as err:
        operator_accounts.update_operator(
            uow_factory, actor=admin, username=OTHER, full_name="   ", qualifica="", now=NOW
        )
    assert err.value.code == "auth.full_name_missing"
    updated = operator_accounts.update_operator(
        uow_factory,
        actor=admin,
        username=OTHER,
        full_name=" Carla  Bianchi ",
        qualifica="",
        now=NOW,
    )
    assert updated.full_name == "Carla Bianchi"
    assert [o.full_name for o in operator_accounts.list_operators(uow_factory, actor=admin)] == [
        "Carla Bianchi",
        "Maria Rossi",
    ]
    assert [e.entity_id for e in _events(uow_factory, AuditAction.UPDATE)] == [OTHER]


class _MemoryKeyring(KeyringBackend):
    """Stands in for the OS credential store."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def test_the_store_reaches_its_key_store_only_when_the_use_case_needs_it(
    tmp_path: Path, clock: FakeClock
) -> None:
    """OpenStore opens the key store lazily, as before the move: a refused request is refused
    for its own reason even when the OS keyring has gone away meanwhile."""
    previous = keyring.get_keyring()
    keyring.set_keyring(_MemoryKeyring())
    try:
        vault = Vault(tmp_path / "store", kdf=FAST_TEST_KDF, clock=clock)
        workspace, _ = vault.create(
            SetupRequest("comune", "abbiatense", "A010", USERNAME, "Maria Rossi", PASSWORD)
        )
        assert workspace.keystore_kind == "keyring"
        keyring.set_keyring(fail.Keyring())
        with pytest.raises(UserFacingError) as err:
            workspace.disable_operator(username="nessuno")
        assert err.value.code == "auth.unknown_operator"
        with pytest.raises(UserFacingError) as err:
            workspace.add_operator(
                username=OTHER, full_name="C", roles=frozenset({Role.ADMIN}), password="corta"
            )
        assert err.value.code == "auth.password_too_short"
        with pytest.raises(UserFacingError) as err:
            workspace.set_operator_password(username=OTHER, password=OTHER_PASSWORD)
        assert err.value.code == "auth.unknown_operator"
        workspace.close()
    finally:
        keyring.set_keyring(previous)
