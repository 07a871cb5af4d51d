"""Creation, backup and restore as use cases (services/store_lifecycle.py): fakes for the
store-files ports show what the use case asks of each and in which order, and what a failure
leaves; real stores show the same use case at work through the vault."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import OpenedEngine, Vault, VaultNewStoreFiles
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction, AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.security.keys import (
    FAST_TEST_KDF,
    RECOVERY_SLOT,
    new_database_key,
    new_recovery_code,
    normalize_recovery_code,
    wrap_key,
)
from caseworker_app.services import store_lifecycle

from .conftest import PASSWORD, USERNAME, FakeClock

NOW = datetime(2026, 11, 22, 9, 0)
REQUEST = SetupRequest("comune", "abbiatense", "A010", USERNAME, "Maria Rossi", PASSWORD)


class RefusedError(Exception):
    pass


class RecordingKeySlots:
    def __init__(self) -> None:
        self.blobs: dict[str, str] = {}

    def get(self, slot: str) -> str | None:
        return self.blobs.get(slot)

    def put(self, slot: str, blob: str) -> None:
        self.blobs[slot] = blob

    def delete(self, slot: str) -> None:
        self.blobs.pop(slot, None)

    def slots(self) -> dict[str, str]:
        return dict(self.blobs)


class NewStoreOnDisk(VaultNewStoreFiles):
    """The real folder, with the key slots kept in memory and each step remembered."""

    def __init__(self, vault: Vault, *, fail_at: str = "") -> None:
        super().__init__(vault)
        self.keys = RecordingKeySlots()
        self.steps: list[str] = []
        self.fail_at = fail_at

    def _step(self, name: str) -> None:
        self.steps.append(name)
        if name == self.fail_at:
            raise RefusedError(name)

    def begin(self, now: datetime):  # type: ignore[no-untyped-def]
        meta = super().begin(now)
        self._step("begin")
        return meta

    def keystore(self, meta):  # type: ignore[no-untyped-def]
        return self.keys

    def create_database(self, meta, key, now):  # type: ignore[no-untyped-def]
        database = super().create_database(meta, key, now)
        self._step("create_database")
        return database

    def finish(self, meta, database) -> None:  # type: ignore[no-untyped-def]
        self._step("finish")
        super().finish(meta, database)

    def abandon(self, meta) -> None:  # type: ignore[no-untyped-def]
        self.steps.append("abandon")
        super().abandon(meta)


def _vault(root: Path) -> Vault:
    return Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file", clock=FakeClock(NOW))


@pytest.mark.parametrize(
    ("field_name", "value", "code"),
    [
        ("password", "corta", "auth.password_too_short"),
        ("role", "regione", "setup.role_invalid"),
    ],
)
def test_bad_setup_input_is_refused_before_the_folder_is_touched(
    tmp_path: Path, field_name: str, value: str, code: str
) -> None:
    files = NewStoreOnDisk(_vault(tmp_path / "archivio"))
    request = SetupRequest(**{**REQUEST.__dict__, field_name: value})
    with pytest.raises(UserFacingError) as err:
        store_lifecycle.create_store(store=files, request=request, kdf=FAST_TEST_KDF, now=NOW)
    assert err.value.code == code
    assert files.steps == [] and files.keys.blobs == {}
    assert not (tmp_path / "archivio").exists() or not any((tmp_path / "archivio").iterdir())


def test_creation_wraps_the_key_for_the_code_and_the_operator_then_writes_the_store_last(
    tmp_path: Path,
) -> None:
    files = NewStoreOnDisk(_vault(tmp_path / "archivio"))
    created = store_lifecycle.create_store(store=files, request=REQUEST, kdf=FAST_TEST_KDF, now=NOW)
    try:
        assert files.steps == ["begin", "create_database", "finish"]
        assert set(files.keys.blobs) == {RECOVERY_SLOT, f"operator:{USERNAME}"}
        assert created.session.operator.username == USERNAME
        with created.session.database.uow_factory() as uow:
            events = uow.audit.find(AuditFilter())
        assert sorted((str(e.action), e.entity_type) for e in events) == [
            ("create", "chiavi"),
            ("create", "operator"),
            ("create", "store"),
        ]
        assert (tmp_path / "archivio" / "store.json").exists()
    finally:
        created.session.database.dispose()


@pytest.mark.parametrize("fail_at", ["create_database", "finish"])
def test_a_failed_creation_leaves_a_folder_setup_can_retry(tmp_path: Path, fail_at: str) -> None:
    root = tmp_path / "archivio"
    files = NewStoreOnDisk(_vault(root), fail_at=fail_at)
    with pytest.raises(RefusedError):
        store_lifecycle.create_store(store=files, request=REQUEST, kdf=FAST_TEST_KDF, now=NOW)
    assert files.steps[-1] == "abandon"
    assert not (root / "store.json").exists() and not (root / "caseworker.db").exists()
    vault = _vault(root)
    workspace, _code = vault.create(REQUEST)  # the retry works
    workspace.close()


@dataclass
class FakeBackup:
    store_id: str
    slots: Mapping[str, str]


@dataclass
class FakeStage:
    steps: list[str]
    fail_seal: bool = False

    def extract(self, archive: Path, key: bytes) -> None:
        self.steps.append("extract")

    def open_database(self, key: bytes, now: datetime) -> OpenedEngine:
        raise RefusedError("open_database")

    def seal(self, backup: object, database: object) -> None:
        self.steps.append("seal")

    def discard(self) -> None:
        self.steps.append("discard")


@dataclass
class FakeRestoreFiles:
    backup: FakeBackup
    root: Path = Path("/archivio")
    steps: list[str] = field(default_factory=list)
    keyring: dict[str, str] = field(default_factory=lambda: {"operator:old": "blob"})

    def prepare(self, *, replace_existing: bool) -> bool:
        self.steps.append("prepare")
        return True

    def read_backup(self, archive: Path) -> FakeBackup:
        self.steps.append("read_backup")
        return self.backup

    def stage(self) -> FakeStage:
        self.steps.append("stage")
        return FakeStage(self.steps)

    def put_key_slots(
        self, store_id: str, slots: Mapping[str, str], *, replace_all: bool = False
    ) -> Mapping[str, str] | None:
        self.steps.append("put_key_slots")
        previous = dict(self.keyring)
        self.keyring = dict(slots) if replace_all else {**self.keyring, **slots}
        return previous

    def swap_in(self, stage: FakeStage, *, existing: bool, now: datetime) -> Path | None:
        self.steps.append("swap_in")
        raise RefusedError("swap_in")


def _backup_for(code: str) -> FakeBackup:
    key = new_database_key()
    code = normalize_recovery_code(code)
    blob = wrap_key(key, code, store_id="s1", slot=RECOVERY_SLOT, params=FAST_TEST_KDF)
    return FakeBackup("s1", {RECOVERY_SLOT: blob})


CODE = new_recovery_code()


def test_a_wrong_recovery_code_is_refused_before_any_stage_exists() -> None:
    files = FakeRestoreFiles(_backup_for(CODE))
    with pytest.raises(UserFacingError) as err:
        store_lifecycle.restore_store(
            store=files, archive=Path("copia.cwbak"), recovery_code=new_recovery_code(),
            replace_existing=True, now=NOW,
        )  # fmt: skip
    assert err.value.code == "keys.recovery_code_wrong"
    assert files.steps == ["prepare", "read_backup"]


def test_a_backup_without_its_recovery_slot_is_a_damaged_backup() -> None:
    files = FakeRestoreFiles(FakeBackup("s1", {}))
    with pytest.raises(UserFacingError) as err:
        store_lifecycle.restore_store(
            store=files, archive=Path("copia.cwbak"), recovery_code=CODE,
            replace_existing=True, now=NOW,
        )  # fmt: skip
    assert err.value.code == "backup.corrupt" and err.value.params["file"] == "copia.cwbak"


def test_a_failure_in_the_stage_discards_it_and_never_swaps() -> None:
    files = FakeRestoreFiles(_backup_for(CODE))
    with pytest.raises(RefusedError):
        store_lifecycle.restore_store(
            store=files, archive=Path("copia.cwbak"), recovery_code=CODE,
            replace_existing=True, now=NOW,
        )  # fmt: skip
    assert files.steps == ["prepare", "read_backup", "stage", "extract", "discard"]
    assert files.keyring == {"operator:old": "blob"}


def test_a_failed_swap_puts_the_previous_key_slots_back(
    monkeypatch: pytest.MonkeyPatch, created: tuple[Vault, OpenStore, str]
) -> None:
    """The stage's database is a real store's (the RESTORE event is written into it)."""
    files = FakeRestoreFiles(_backup_for(CODE))
    store = created[1]

    class Database:
        def __init__(self, store: OpenStore) -> None:
            self.uow_factory = store.uow_factory

        def dispose(self) -> None:
            files.steps.append("dispose")

    def opened(self: FakeStage, key: bytes, now: datetime) -> object:
        return Database(store)

    monkeypatch.setattr(FakeStage, "open_database", opened)
    with pytest.raises(RefusedError):
        store_lifecycle.restore_store(
            store=files, archive=Path("copia.cwbak"), recovery_code=CODE,
            replace_existing=True, now=NOW,
        )  # fmt: skip
    assert files.steps[-4:] == ["put_key_slots", "swap_in", "put_key_slots", "discard"]
    assert files.keyring == {"operator:old": "blob"}


@dataclass
class FakeWriter:
    written: list[AuditHead | None] = field(default_factory=list)
    fail: bool = False

    def write(self, target: Path, *, now: datetime, audit_head: AuditHead | None) -> Path:
        if self.fail:
            raise RefusedError("write")
        self.written.append(audit_head)
        return target / "copia.cwbak"


def _backups(store: OpenStore) -> int:
    with store.uow_factory() as uow:
        return len(uow.audit.find(AuditFilter(action=AuditAction.BACKUP.value)))


def test_a_backup_carries_the_chain_head_and_is_audited_only_when_written(
    created: tuple[Vault, OpenStore, str], tmp_path: Path
) -> None:
    _, store, _ = created
    with store.uow_factory() as uow:
        head = uow.audit.head()
    writer = FakeWriter()
    report = store_lifecycle.backup_store(
        uow_factory=store.uow_factory, writer=writer, actor=store.actor,
        store_id=store.meta.store_id, target=tmp_path, now=NOW,
    )  # fmt: skip
    assert writer.written == [head] and report.path == tmp_path / "copia.cwbak"
    assert _backups(store) == 1
    with pytest.raises(RefusedError):
        store_lifecycle.backup_store(
            uow_factory=store.uow_factory, writer=FakeWriter(fail=True), actor=store.actor,
            store_id=store.meta.store_id, target=tmp_path, now=NOW,
        )  # fmt: skip
    assert _backups(store) == 1
