"""Point 4: a read-only mount or a full disk is said as such, never as a damaged archive."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import OPERATOR, Run, assert_refused, snapshot


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small filesystem of its own (root: CI runs the suite as root in its container)."""
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


def _init(run: Run, folder: Path) -> None:
    done = run(
        "init", "--store", str(folder), "--role", "comune", "--ambito", "abbiatense",
        "--comune", "A010", "--operator", OPERATOR, "--keystore", "file",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _remount_ro(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


def test_read_only_mount_is_said_and_the_password_still_checked(run: Run, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "16m") as mnt:
        folder = mnt / "store"
        _init(run, folder)
        before = snapshot(folder)
        _remount_ro(mnt)
        done = run("list", "--store", str(folder))
        assert_refused(done, code=1, says="sola lettura")
        assert "danneggiato" not in done.stderr and "backup" not in done.stderr
        wrong = run("list", "--store", str(folder), password="password-sbagliata-lunga")
        assert_refused(wrong, code=1, says="sola lettura")
        assert snapshot(folder) == before


def test_full_disk_at_login_is_said_and_nothing_is_lost(run: Run, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "4m") as mnt:
        folder = mnt / "store"
        _init(run, folder)
        assert run("list", "--store", str(folder)).returncode == 0
        before = snapshot(folder)
        filler = mnt / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        done = run("list", "--store", str(folder))
        assert_refused(done, code=1, says="pieno")
        assert "danneggiato" not in done.stderr
        wrong = run("list", "--store", str(folder), password="password-sbagliata-lunga")
        assert wrong.returncode in (1, 2)
        assert "errore imprevisto" not in wrong.stderr and "Traceback" not in wrong.stderr
        filler.unlink()
        after = snapshot(folder)
        assert {k: v for k, v in after.items() if k != "attempts.json"} == {
            k: v for k, v in before.items() if k != "attempts.json"
        }
        assert run("list", "--store", str(folder)).returncode == 0


def test_init_on_a_full_disk_leaves_nothing(run: Run, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "1m") as mnt:
        filler = mnt / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        folder = mnt / "store"
        done = run(
            "init", "--store", str(folder), "--role", "comune", "--ambito", "abbiatense",
            "--comune", "A010", "--operator", OPERATOR, "--keystore", "file",
        )  # fmt: skip
        assert_refused(done, code=1, says="pieno")
        leftovers = sorted(p.name for p in folder.rglob("*")) if folder.exists() else []
        assert leftovers == [], leftovers
