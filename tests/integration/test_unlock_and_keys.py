"""Unlocking: passwords, throttling, key files and the OS keyring."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.ports.storage import AuditFilter

from .conftest import PASSWORD, USERNAME, FakeClock


def _digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def _db_files(vault: Vault) -> list[Path]:
    db = vault.layout.db
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def test_right_password_unlocks_and_is_audited(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    workspace.close()
    reopened = vault.unlock(USERNAME, PASSWORD)
    with reopened.uow_factory() as uow:
        logins = uow.audit.find(AuditFilter(action=AuditAction.LOGIN.value))
    assert [e.operator for e in logins] == [USERNAME]
    reopened.close()


def test_wrong_password_changes_nothing_in_the_database(
    created: tuple[Vault, OpenStore, str],
    clock: FakeClock,
) -> None:
    vault, workspace, _ = created
    workspace.close()
    before = _digest(_db_files(vault))
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, "password-sbagliata")
    assert err.value.code == "auth.wrong_credentials"
    assert _digest(_db_files(vault)) == before
    # the failure was counted outside the database ...
    failures = json.loads(vault.layout.attempts.read_text())["failures"]
    assert [f["operator"] for f in failures] == [USERNAME]
    # ... and reaches the audit log at the next successful unlock
    clock.advance(5)
    reopened = vault.unlock(USERNAME, PASSWORD)
    with reopened.uow_factory() as uow:
        failed = uow.audit.find(AuditFilter(action=AuditAction.LOGIN_FAILED.value))
    assert len(failed) == 1
    assert not vault.layout.attempts.exists()
    reopened.close()


def test_unknown_operator_gets_the_same_answer_as_a_wrong_password(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, _, _ = created
    with pytest.raises(UserFacingError) as err:
        vault.unlock("nessuno", PASSWORD)
    assert err.value.code == "auth.wrong_credentials"


def test_repeated_wrong_passwords_slow_down(
    created: tuple[Vault, OpenStore, str],
    clock: FakeClock,
) -> None:
    vault, _, _ = created
    for _ in range(3):
        with pytest.raises(UserFacingError):
            vault.unlock(USERNAME, "sbagliata-123")
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)  # even the right password must wait now
    assert err.value.code == "auth.throttled"
    first_wait = int(err.value.params["seconds"])
    assert first_wait > 0
    clock.advance(first_wait)
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, "sbagliata-123")
    assert err.value.code == "auth.wrong_credentials"
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    assert err.value.code == "auth.throttled"
    assert int(err.value.params["seconds"]) > first_wait
    clock.advance(600)
    vault.unlock(USERNAME, PASSWORD).close()


def test_missing_key_file_is_explained(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    workspace.close()
    vault.layout.keyfile.unlink()
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    assert err.value.code == "keys.keyfile_missing"


def test_corrupt_key_file_is_explained(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    workspace.close()
    vault.layout.keyfile.write_text('{"format": "caseworker.keys/1", "slo')
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    assert err.value.code == "keys.keyfile_corrupt"


def test_tampered_key_blob_does_not_unlock(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    workspace.close()
    data = json.loads(vault.layout.keyfile.read_text())
    blob = json.loads(data["slots"][f"operator:{USERNAME}"])
    blob["ct"] = blob["ct"][:-4] + ("AAAA" if blob["ct"][-4:] != "AAAA" else "BBBB")
    data["slots"][f"operator:{USERNAME}"] = json.dumps(blob)
    vault.layout.keyfile.write_text(json.dumps(data))
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    assert err.value.code in {"auth.wrong_credentials", "keys.blob_corrupt"}


class MemoryKeyring(KeyringBackend):
    """Stands in for Windows Credential Manager: an OS service, not our database."""

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


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _auto_vault(root: Path, clock: FakeClock) -> Vault:
    from caseworker_app.security.keys import FAST_TEST_KDF

    return Vault(root, kdf=FAST_TEST_KDF, clock=clock)  # no preference: the app decides


REQUEST = SetupRequest("comune", "abbiatense", "A010", USERNAME, "Maria Rossi", PASSWORD)


def test_with_an_os_keyring_the_wrapped_keys_live_there(
    tmp_path: Path,
    clock: FakeClock,
    os_keyring: MemoryKeyring,
) -> None:
    vault = _auto_vault(tmp_path / "store", clock)
    workspace, _ = vault.create(REQUEST)
    assert workspace.keystore_kind == "keyring"
    assert not vault.layout.keyfile.exists()
    stored = [v for (_, name), v in os_keyring.entries.items() if name.startswith("operator:")]
    assert stored and all(workspace._key.hex() not in v for v in stored)
    workspace.close()
    vault.unlock(USERNAME, PASSWORD).close()


def test_without_an_os_keyring_a_key_file_is_used_and_said(
    tmp_path: Path,
    clock: FakeClock,
    no_keyring: None,
) -> None:
    vault = _auto_vault(tmp_path / "store", clock)
    workspace, _ = vault.create(REQUEST)
    assert workspace.keystore_kind == "file"
    assert vault.keystore_kind() == "file"
    assert vault.layout.keyfile.exists()
    workspace.close()


def test_keyring_that_disappeared_is_explained(
    tmp_path: Path,
    clock: FakeClock,
    os_keyring: MemoryKeyring,
) -> None:
    vault = _auto_vault(tmp_path / "store", clock)
    workspace, _ = vault.create(REQUEST)
    workspace.close()
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(UserFacingError) as err:
        vault.unlock(USERNAME, PASSWORD)
    assert err.value.code == "keys.keyring_unavailable"


def test_second_operator_unlocks_with_own_password(
    created: tuple[Vault, OpenStore, str],
) -> None:
    from caseworker_app.domain.roles import Role

    vault, workspace, _ = created
    workspace.add_operator(
        username="a.bianchi",
        full_name="Anna Bianchi",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="altra-password-1",
    )
    workspace.close()
    other = vault.unlock("a.bianchi", "altra-password-1")
    assert other.actor.roles == frozenset({Role.AMMINISTRATIVO})
    other.close()
    with pytest.raises(UserFacingError):
        vault.unlock("a.bianchi", PASSWORD)


def test_weak_password_refused_at_setup(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    vault = make_vault(tmp_path / "store")
    with pytest.raises(UserFacingError) as err:
        vault.create(SetupRequest("comune", "abbiatense", "A010", USERNAME, "M", "corta"))
    assert err.value.code == "auth.password_too_short"
    assert not vault.exists()


def test_lock_screen_uses_the_same_rules_as_login(
    created: tuple[Vault, OpenStore, str],
    clock: FakeClock,
) -> None:
    _, workspace, _ = created
    data_files = _db_files(created[0])[:2]  # the -shm index changes on any read
    before = _digest(data_files)
    assert workspace.verify_password("sbagliata-1") is False
    assert _digest(data_files) == before  # nothing written on a wrong password
    for _ in range(2):
        assert workspace.verify_password("sbagliata-1") is False
    with pytest.raises(UserFacingError) as err:
        workspace.verify_password(PASSWORD)
    assert err.value.code == "auth.throttled"
    clock.advance(600)
    assert workspace.verify_password(PASSWORD) is True
    with workspace.uow_factory() as uow:
        failed = uow.audit.find(AuditFilter(action=AuditAction.LOGIN_FAILED.value))
        unlocked = uow.audit.find(AuditFilter(action=AuditAction.UNLOCK.value))
    assert len(failed) == 3 and len(unlocked) == 1


def test_admin_manages_operator_accounts(created: tuple[Vault, OpenStore, str]) -> None:
    from caseworker_app.domain.roles import Role

    vault, admin, _ = created
    admin.add_operator(
        username="impiegata",
        full_name="Carla Impiegata",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="prima-password-1",
    )
    assert [o.username for o in admin.list_operators()] == ["impiegata", USERNAME]
    # forgotten password: the admin sets a new one
    admin.set_operator_password(username="impiegata", password="seconda-password-2")
    vault.unlock("impiegata", "seconda-password-2").close()
    with pytest.raises(UserFacingError):
        vault.unlock("impiegata", "prima-password-1")
    # she leaves: the account stays for the audit trail, but nothing opens the store for her
    admin.disable_operator(username="impiegata")
    assert "operator:impiegata" not in vault.keystore(vault.layout.read_meta()).slots()
    with pytest.raises(UserFacingError):
        vault.unlock("impiegata", "seconda-password-2")
    with pytest.raises(UserFacingError) as err:
        admin.disable_operator(username=USERNAME)
    assert err.value.code == "auth.cannot_disable_self"


def test_operator_changes_own_password(created: tuple[Vault, OpenStore, str]) -> None:
    vault, workspace, _ = created
    with pytest.raises(UserFacingError):
        workspace.change_own_password(old_password="non-lei", new_password="nuova-password-9")
    workspace.change_own_password(old_password=PASSWORD, new_password="nuova-password-9")
    workspace.close()
    vault.unlock(USERNAME, "nuova-password-9").close()


def test_only_an_admin_manages_operators(created: tuple[Vault, OpenStore, str]) -> None:
    from caseworker_app.domain.roles import Role

    vault, admin, _ = created
    admin.add_operator(
        username="assistente2",
        full_name="Seconda AS",
        roles=frozenset({Role.ASSISTENTE_SOCIALE}),
        password="password-as-lunga",
    )
    other = vault.unlock("assistente2", "password-as-lunga")
    with pytest.raises(UserFacingError) as err:
        other.add_operator(
            username="x1", full_name="X", roles=frozenset({Role.ADMIN}), password="p" * 12
        )
    assert err.value.code == "auth.not_allowed"
    other.close()


def test_guessing_the_old_password_when_changing_it_is_slowed_down(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    for _ in range(3):
        with pytest.raises(UserFacingError) as err:
            workspace.change_own_password(old_password="tentativo-x", new_password="n" * 12)
        assert err.value.code == "auth.wrong_credentials"
    with pytest.raises(UserFacingError) as err:
        workspace.change_own_password(old_password=PASSWORD, new_password="n" * 12)
    assert err.value.code == "auth.throttled"
