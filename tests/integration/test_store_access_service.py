"""The one way into a store (services/store_access.py): fake key slots and attempt counter over
a real encrypted store, so that what the use case asks of each port is seen."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import OpenedEngine, Vault, VaultStoreFiles
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.security.keys import FAST_TEST_KDF, new_recovery_code, unwrap_key
from caseworker_app.services import store_access
from caseworker_app.services.store_access import (
    PasswordCredential,
    RecoveryCredential,
    StoreSession,
)
from caseworker_app.store.layout import StoreMeta

from .conftest import PASSWORD, USERNAME, FakeClock

NEW_PASSWORD = "nuova-password-lunga"


@dataclass(frozen=True)
class Failure:
    at: datetime
    operator: str


@dataclass
class FakeAttempts:
    failures: list[Failure] = field(default_factory=list)
    wait: int = 0
    cleared: int = 0

    def read(self) -> list[Failure]:
        return list(self.failures)

    def record_failure(self, operator: str, at: datetime) -> None:
        self.failures.append(Failure(at, operator))

    def wait_seconds(self, now: datetime) -> int:
        return self.wait

    def clear(self) -> None:
        self.cleared += 1
        self.failures.clear()


class FakeKeySlots:
    """The store's wrapped blobs, copied; every call is remembered."""

    def __init__(self, blobs: dict[str, str]) -> None:
        self.blobs = dict(blobs)
        self.calls: list[tuple[str, str]] = []

    def get(self, slot: str) -> str | None:
        self.calls.append(("get", slot))
        return self.blobs.get(slot)

    def put(self, slot: str, blob: str) -> None:
        self.calls.append(("put", slot))
        self.blobs[slot] = blob

    def delete(self, slot: str) -> None:
        self.calls.append(("delete", slot))
        self.blobs.pop(slot, None)

    def slots(self) -> dict[str, str]:
        self.calls.append(("slots", ""))
        return dict(self.blobs)


class Files:
    """The real store files, with the fake key slots, remembering what was opened."""

    def __init__(self, real: VaultStoreFiles, keys: FakeKeySlots) -> None:
        self.real = real
        self.keys = keys
        self.opened: list[OpenedEngine] = []
        self.disposed = 0

    def read_meta(self) -> StoreMeta:
        return self.real.read_meta()

    def check_usable(self) -> None:
        self.real.check_usable()

    def keystore(self, meta: StoreMeta) -> FakeKeySlots:
        return self.keys

    def open_database(self, meta: StoreMeta, key: bytes) -> OpenedEngine:
        opened = self.real.open_database(meta, key)
        self.opened.append(opened)
        real_dispose = opened.dispose

        def dispose() -> None:
            self.disposed += 1
            real_dispose()

        opened.dispose = dispose  # type: ignore[method-assign]
        return opened


Created = tuple[Vault, OpenStore, str]


def _files(vault: Vault) -> Files:
    meta = vault.layout.read_meta()
    return Files(vault.store_files(), FakeKeySlots(vault.keystore(meta).slots()))


def _digest(vault: Vault) -> dict[str, str]:
    paths = [vault.layout.db, vault.layout.wal, vault.layout.state]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def _open(
    files: Files,
    attempts: FakeAttempts,
    credential: PasswordCredential | RecoveryCredential,
    clock: FakeClock,
) -> StoreSession[StoreMeta, OpenedEngine]:
    return store_access.open_session(
        store=files, attempts=attempts, credential=credential, kdf=FAST_TEST_KDF, now=clock()
    )


def test_wrong_password_counts_one_failure_and_opens_nothing(
    created: Created, clock: FakeClock
) -> None:
    vault, workspace, _ = created
    workspace.close()
    files, attempts = _files(vault), FakeAttempts()
    before = _digest(vault)
    with pytest.raises(UserFacingError) as err:
        _open(files, attempts, PasswordCredential(USERNAME, "password-sbagliata"), clock)
    assert err.value.code == "auth.wrong_credentials"
    assert attempts.failures == [Failure(clock(), USERNAME)]
    assert files.opened == [] and attempts.cleared == 0
    assert _digest(vault) == before


def test_wrong_recovery_code_counts_one_failure_and_opens_nothing(
    created: Created, clock: FakeClock
) -> None:
    vault, workspace, code = created
    workspace.close()
    files, attempts = _files(vault), FakeAttempts()
    other_code = new_recovery_code()
    assert other_code != code
    before = _digest(vault)
    with pytest.raises(UserFacingError) as err:
        _open(files, attempts, RecoveryCredential(other_code, USERNAME, NEW_PASSWORD), clock)
    assert err.value.code == "keys.recovery_code_wrong"
    assert attempts.failures == [Failure(clock(), USERNAME)]
    assert files.opened == []
    assert ("put", f"operator:{USERNAME}") not in files.keys.calls
    assert _digest(vault) == before


def test_too_short_new_password_is_refused_before_any_key_work(
    created: Created, clock: FakeClock
) -> None:
    vault, workspace, code = created
    workspace.close()
    files, attempts = _files(vault), FakeAttempts()
    with pytest.raises(UserFacingError) as err:
        _open(files, attempts, RecoveryCredential(code, USERNAME, "corta"), clock)
    assert err.value.code == "auth.password_too_short"
    assert files.keys.calls == []  # not even a get
    assert attempts.failures == [] and files.opened == []


def test_throttled_attempt_does_no_key_work(created: Created, clock: FakeClock) -> None:
    vault, workspace, code = created
    workspace.close()
    files, attempts = _files(vault), FakeAttempts(wait=8)
    for credential in (
        PasswordCredential(USERNAME, PASSWORD),
        RecoveryCredential(code, USERNAME, NEW_PASSWORD),
    ):
        with pytest.raises(UserFacingError) as err:
            _open(files, attempts, credential, clock)
        assert err.value.code == "auth.throttled"
        assert err.value.params["seconds"] == 8
    assert files.keys.calls == [] and files.opened == [] and attempts.failures == []


def test_disabled_operator_is_refused_even_with_a_copy_of_the_old_key_slot(
    created: Created, clock: FakeClock
) -> None:
    vault, admin, _ = created
    admin.add_operator(
        username="impiegata",
        full_name="Carla Impiegata",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="prima-password-1",
    )
    files = _files(vault)  # the slot is copied while it still exists
    admin.disable_operator(username="impiegata")
    admin.close()
    attempts = FakeAttempts()
    with pytest.raises(UserFacingError) as err:
        _open(files, attempts, PasswordCredential("impiegata", "prima-password-1"), clock)
    assert err.value.code == "auth.wrong_credentials"
    assert attempts.failures == [Failure(clock(), "impiegata")]
    assert len(files.opened) == 1 and files.disposed == 1  # opened, then let go
    reopened = vault.unlock(USERNAME, PASSWORD)
    with reopened.uow_factory() as uow:
        logins = uow.audit.find(AuditFilter(action=AuditAction.LOGIN.value))
    reopened.close()
    assert [e.operator for e in logins] == [USERNAME]


def test_success_audits_the_counted_failures_then_the_login(
    created: Created, clock: FakeClock
) -> None:
    vault, workspace, _ = created
    workspace.close()
    earlier = clock()
    clock.advance(30)
    files = _files(vault)
    attempts = FakeAttempts([Failure(earlier, USERNAME), Failure(earlier, "nessuno")])
    session = _open(files, attempts, PasswordCredential(USERNAME, PASSWORD), clock)
    try:
        assert session.operator.username == USERNAME
        assert session.actor.username == USERNAME
        assert attempts.failures == [] and attempts.cleared == 1
        with session.database.uow_factory() as uow:
            latest = uow.audit.find(AuditFilter(entity_type="operator", limit=3))
        assert [(e.action, e.entity_id, e.at) for e in reversed(latest)] == [
            (AuditAction.LOGIN_FAILED.value, USERNAME, earlier),
            (AuditAction.LOGIN_FAILED.value, "nessuno", earlier),
            (AuditAction.LOGIN.value, USERNAME, clock()),
        ]
    finally:
        session.database.dispose()


def test_recovery_sets_the_new_password_and_wraps_the_key_again(
    created: Created, clock: FakeClock
) -> None:
    vault, workspace, code = created
    workspace.close()
    files = _files(vault)
    attempts = FakeAttempts([Failure(clock(), USERNAME)])
    session = _open(
        files, attempts, RecoveryCredential(code.lower(), USERNAME, NEW_PASSWORD), clock
    )
    try:
        slot = f"operator:{USERNAME}"
        assert ("put", slot) in files.keys.calls
        blob = files.keys.blobs[slot]
        assert unwrap_key(blob, NEW_PASSWORD, store_id=session.meta.store_id, slot=slot) == (
            session.key
        )
        with session.database.uow_factory() as uow:
            latest = uow.audit.find(AuditFilter(entity_type="operator", limit=2))
        assert [e.action for e in reversed(latest)] == [
            AuditAction.LOGIN_FAILED.value,
            AuditAction.RECOVERY.value,
        ]
        assert attempts.failures == []
    finally:
        session.database.dispose()


def test_recovery_for_an_unknown_operator_lets_the_database_go(
    created: Created, clock: FakeClock
) -> None:
    vault, workspace, code = created
    workspace.close()
    files, attempts = _files(vault), FakeAttempts()
    with pytest.raises(UserFacingError) as err:
        _open(files, attempts, RecoveryCredential(code, "nessuno", NEW_PASSWORD), clock)
    assert err.value.code == "auth.unknown_operator"
    assert attempts.failures == []  # the code was right: nothing to slow down
    assert files.disposed == 1
    assert not any(call[0] == "put" for call in files.keys.calls)


def test_a_damaged_database_is_not_a_wrong_password(created: Created, clock: FakeClock) -> None:
    vault, workspace, code = created
    workspace.close()
    data = bytearray(vault.layout.db.read_bytes())
    data[4096:8192] = bytes(4096)  # a page of zeros in the middle of the encrypted file
    vault.layout.db.write_bytes(bytes(data))
    files, attempts = _files(vault), FakeAttempts()
    for credential in (
        PasswordCredential(USERNAME, PASSWORD),
        RecoveryCredential(code, USERNAME, NEW_PASSWORD),
    ):
        with pytest.raises(UserFacingError) as err:
            _open(files, attempts, credential, clock)
        assert err.value.code.startswith("store.")
    assert attempts.failures == []


def test_the_vault_adapter_counts_a_wrong_recovery_code_beside_the_database(
    created: Created, tmp_path: Path
) -> None:
    vault, workspace, _ = created
    workspace.close()
    with pytest.raises(UserFacingError) as err:
        vault.recover(new_recovery_code(), USERNAME, NEW_PASSWORD)
    assert err.value.code == "keys.recovery_code_wrong"
    assert [f.operator for f in vault.attempts.read()] == [USERNAME]
    vault.unlock(USERNAME, PASSWORD).close()  # the next success clears the count
    assert vault.attempts.read() == []


def test_the_recovery_code_does_not_reopen_a_disabled_account(
    created: Created, clock: FakeClock
) -> None:
    """A disabled operator stays out: the code does not set a password for the account nor
    open the store as it (before, it did both and left the account disabled)."""
    vault, workspace, code = created
    workspace.add_operator(
        username="gverdi", full_name="Giulia Verdi", roles=frozenset({Role.ASSISTENTE_SOCIALE}),
        password="password-di-giulia",
    )  # fmt: skip
    workspace.disable_operator(username="gverdi")
    workspace.close()
    files, attempts = _files(vault), FakeAttempts()
    with pytest.raises(UserFacingError) as err:
        _open(files, attempts, RecoveryCredential(code, "gverdi", NEW_PASSWORD), clock)
    assert err.value.code == "auth.operator_disabled"
    assert files.disposed == 1
    assert not any(call[0] == "put" for call in files.keys.calls)
