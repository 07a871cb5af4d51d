"""Issue 10, points 5 and 6: every file the application writes is private (0600, folders 0700)
whatever the umask, and temporary entries are removed (by the next run when a process is killed).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.fsutil import (
    atomic_write_bytes,
    make_temp_dir,
    remove_stale_temp,
)
from caseworker_app.store.layout import StoreLayout

from .conftest import OPERATOR, Run, assert_refused, snapshot

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes (Windows: per-user ACL)")

FIXTURE = Path(__file__).parents[1] / "fixtures" / "stores" / "schema-0001"
FIXTURE_PASSWORD = "fixture-password-0001"


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The usual desktop umask (files 0644, folders 0755 unless the application says otherwise);
    the ``caseworker`` subprocesses inherit it."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _open_to_others(*roots: Path) -> list[str]:
    """Every path under (and including) ``roots`` that group or others can access."""
    bad = []
    for root in roots:
        for path in [root, *sorted(root.rglob("*"))] if root.is_dir() else [root]:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                continue
            if mode & 0o077:
                bad.append(f"{path} {stat.filemode(mode)}")
    return bad


def _init(run: Run, folder: Path) -> str:
    done = run(
        "init", "--store", str(folder), "--role", "comune", "--ambito", "abbiatense",
        "--comune", "A010", "--operator", OPERATOR, "--keystore", "file", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["recovery_code"])


def test_init_backup_restore_and_print_write_only_private_files(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "nuova" / "store"  # the parent is created too
    code = _init(run, folder)
    bad = _open_to_others(tmp_path / "nuova")

    demo = run("demo", "--store", str(folder), "--cases", "12")
    assert demo.returncode == 0, demo.stderr
    listed = run("list", "--store", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    istanza = json.loads(listed.stdout)[0]["id"]
    bad += _open_to_others(folder)

    backups = tmp_path / "chiavetta"
    backups.mkdir()
    done = run("backup", "--store", str(folder), "--to", str(backups), "--json")
    assert done.returncode == 0, done.stderr
    archive = Path(json.loads(done.stdout)["backup"])
    assert archive.parent == backups
    # the USB stick's folder is the user's: what caseworker wrote in it is private
    bad += _open_to_others(*backups.iterdir())

    restored = tmp_path / "ripristinato"
    done = run("restore", "--from", str(archive), "--store", str(restored), "--json",
               env={"CASEWORKER_RECOVERY_CODE": code})  # fmt: skip
    assert done.returncode == 0, done.stderr
    bad += _open_to_others(restored)

    out = tmp_path / "stampe"
    out.mkdir()
    done = run("print", "--store", str(folder), "--istanza", istanza, "--document", "istanza",
               "--out", str(out / "istanza.pdf"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [p.name for p in out.iterdir()] == ["istanza.pdf"]
    bad += _open_to_others(*out.iterdir())
    assert not bad, "readable by group or others:\n" + "\n".join(sorted(set(bad)))


def test_schema_upgrade_copy_and_its_folder_are_private(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(FIXTURE, folder)
    # as the application would have left it (the fixture files are checked in 0644)
    folder.chmod(0o700)
    for path in folder.iterdir():
        path.chmod(0o600)
    done = run("list", "--store", str(folder), "--operator", "fixture",
               password=FIXTURE_PASSWORD)  # fmt: skip
    assert done.returncode == 0, done.stderr
    copies = list((folder / "backups").glob("pre-upgrade-0001-*.db"))
    assert len(copies) == 1, sorted(p.name for p in folder.rglob("*"))
    bad = _open_to_others(folder)
    assert not bad, "readable by group or others:\n" + "\n".join(bad)


def test_print_preview_save_as_writes_a_private_file(tmp_path: Path) -> None:
    # ui/print_preview.py saves through fsutil.atomic_write_bytes (no service function)
    target = tmp_path / "salvato.pdf"
    atomic_write_bytes(target, b"%PDF-1.7 prova", mode=0o600)
    assert _open_to_others(target) == []


# -- point 6: temporary files ------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _stale_temp(folder: Path, pid: int) -> Path:
    """A temporary folder as a killed backup of process ``pid`` leaves it: a half copy."""
    stale = folder / f".cw-tmp-{pid}-abc123"
    stale.mkdir(mode=0o700)
    (stale / "caseworker.db").write_bytes(os.urandom(4096))  # encrypted: random bytes
    (stale / "archive.partial").write_bytes(os.urandom(1024))
    return stale


def test_next_backup_removes_what_a_killed_backup_left_and_nothing_else(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "store"
    _init(run, folder)
    target = tmp_path / "chiavetta"
    target.mkdir()
    dead = _stale_temp(target, _dead_pid())
    live = _stale_temp(target, os.getpid())  # this process is alive: its backup is running
    mine = target / "note.txt"
    mine.write_text("dell'utente")
    lookalike = target / ".cw-tmp-appunti"
    lookalike.mkdir()

    done = run("backup", "--store", str(folder), "--to", str(target), "--json")
    assert done.returncode == 0, done.stderr

    archive = Path(json.loads(done.stdout)["backup"])
    names = sorted(p.name for p in target.iterdir())
    assert not dead.exists(), names
    assert live.is_dir() and (live / "caseworker.db").is_file(), names
    assert names == sorted([archive.name, live.name, mine.name, lookalike.name])


def test_remove_stale_temp_keeps_live_and_recent_entries_and_removes_partial_files(
    tmp_path: Path,
) -> None:
    dead_pid = _dead_pid()
    gone_dir = _stale_temp(tmp_path, dead_pid)
    gone_file = tmp_path / f".cw-tmp-{dead_pid}-f00d.partial"
    gone_file.write_bytes(b"x")
    running = make_temp_dir(tmp_path)  # this process: kept
    assert running.name.startswith(f".cw-tmp-{os.getpid()}-")
    assert stat.S_IMODE(running.stat().st_mode) == 0o700
    legacy_recent = tmp_path / ".cw-k3j2h1g0"  # an older version's temp folder, not a day old
    legacy_recent.mkdir()
    legacy_old = tmp_path / ".cw-a1b2c3d4"
    legacy_old.mkdir()
    os.utime(legacy_old, (0, 0))
    other = tmp_path / "caseworker-backup-20260101-000000.cwbak"
    other.write_bytes(b"PK")

    removed = remove_stale_temp(tmp_path)

    assert sorted(p.name for p in removed) == sorted([gone_dir.name, gone_file.name,
                                                      legacy_old.name])  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [running.name, legacy_recent.name, other.name]
    )


# -- point 6: the write probe of init ---------------------------------------------------------


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the fault suite mounts small filesystems: run it as root")
        pytest.skip("mounting a filesystem needs root")
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(mount: Path) -> None:
    with contextlib.suppress(OSError), open(mount / "filler", "wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def test_init_on_a_full_disk_says_so_and_leaves_no_probe(run: Run, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "1m") as mnt:
        (mnt / "esistente").mkdir()
        _fill(mnt)
        before = snapshot(mnt)
        done = run(
            "init", "--store", str(mnt / "esistente"), "--role", "comune", "--ambito",
            "abbiatense", "--comune", "A010", "--operator", OPERATOR, "--keystore", "file",
        )  # fmt: skip
        assert_refused(done, code=1, says="pieno")
        assert str(mnt / "esistente") in done.stderr
        assert "permessi" not in done.stderr
        assert sorted(p.name for p in mnt.rglob("*")) == ["esistente", "filler"]
        assert snapshot(mnt) == before


def test_the_write_probe_is_removed_when_writing_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # in-process: the probe is created and written, then the file system reports the disk full
    # when the data reach it (as network and some USB file systems do, at fsync)
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    folder = tmp_path / "store"
    folder.mkdir()
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UserFacingError) as caught:
        StoreLayout(folder).ensure_writable()
    monkeypatch.undo()
    assert caught.value.code == "store.disk_full_setup"
    assert list(folder.iterdir()) == []


def test_a_killed_atomic_write_leaves_a_file_the_next_open_removes(
    run: Run, store: tuple[Path, str]
) -> None:
    """The metadata files (store.json, state.json, keys.json) are written through a temporary
    file in the store folder; one left by a killed process is removed when the store is next
    opened, and a live writer's is not."""
    folder, _code = store
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from caseworker_app import fsutil\n"
        "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "fsutil.atomic_write_bytes(Path(sys.argv[1]) / 'state.json', b'{}')\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(folder)], check=False)
    assert killed.returncode == -9
    left = [p for p in folder.iterdir() if p.name.startswith(".cw-tmp-")]
    assert len(left) == 1, sorted(p.name for p in folder.iterdir())
    live = folder / f".cw-tmp-{os.getpid()}-abcdef"
    live.write_bytes(b"")
    listed = run("list", "--store", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    assert not left[0].exists() and live.exists()
    live.unlink()
