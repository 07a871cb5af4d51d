"""Putting a restored store in place of another, without ever leaving the folder without one.

The restored store is built and verified in a staging folder *inside* the store folder (same file
system, so the swap is made of renames, and a killed restore leaves its staging folder where the
next restore removes it). The swap is two renames of whole folders:

1. ``<store>`` becomes ``<store>.sostituito-<time>`` (a complete store, with the staging folder
   inside it);
2. the staging folder becomes ``<store>``.

A process killed between the two leaves no ``<store>``: the next start finds the replaced folder
with a complete staging folder in it and finishes the swap (``finish_interrupted_restore``). When
the store folder itself cannot be renamed (a drive root, a folder held open on Windows), its files
are moved into ``<store>/sostituito-<time>/`` instead, then the staged ones into place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from caseworker_app.fsutil import fsync_dir

log = logging.getLogger(__name__)

STAGE_PREFIX = ".cw-restore-"
READY_MARK = ".ready"  # written into the staging folder once everything in it is verified
REPLACED_INFIX = ".sostituito-"


def new_stage(root: Path) -> Path:
    """A private staging folder inside ``root`` (which exists), after removing stale ones."""
    remove_stale_stages(root)
    return Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=root))


def remove_stale_stages(root: Path) -> None:
    """Staging folders of restores that did not finish (killed, or failed before the swap)."""
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if entry.name.startswith(STAGE_PREFIX) and entry.is_dir():
                if _alive(entry) and not (entry / READY_MARK).exists():
                    continue  # another restore is running right now
                shutil.rmtree(entry, ignore_errors=True)


def mark_ready(stage: Path) -> None:
    with open(stage / READY_MARK, "wb") as handle:
        os.fsync(handle.fileno())
    fsync_dir(stage)


def swap_in(root: Path, stage: Path, now: datetime) -> Path:
    """Put the verified ``stage`` (inside ``root``) in place of ``root``'s store; return where the
    replaced store now is, whole."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    aside = _free_name(root.parent / f"{root.name}{REPLACED_INFIX}{stamp}")
    try:
        os.rename(root, aside)
    except OSError:
        return _swap_files(root, stage, stamp)
    os.rename(aside / stage.name, root)
    (root / READY_MARK).unlink(missing_ok=True)
    fsync_dir(root.parent)
    return aside


def move_into_empty(root: Path, stage: Path, *, last: str) -> None:
    """A restore into a folder with no store: move the staged files up, ``last`` at the end
    (store.json: until it is there the folder is not a store)."""
    entries = sorted(p for p in stage.iterdir() if p.name not in (READY_MARK, last))
    for entry in entries:
        os.replace(entry, root / entry.name)
    os.replace(stage / last, root / last)
    fsync_dir(root)
    shutil.rmtree(stage, ignore_errors=True)


def finish_interrupted_restore(root: Path) -> None:
    """A restore killed between its two renames left no ``root``: finish it."""
    if root.exists():
        return
    with contextlib.suppress(OSError):
        for aside in sorted(root.parent.glob(f"{root.name}{REPLACED_INFIX}*"), reverse=True):
            for stage in aside.glob(f"{STAGE_PREFIX}*"):
                if (stage / READY_MARK).exists():
                    os.rename(stage, root)
                    (root / READY_MARK).unlink(missing_ok=True)
                    log.warning("an interrupted restore was completed")
                    return


def _swap_files(root: Path, stage: Path, stamp: str) -> Path:
    aside = _free_name(root / f"sostituito-{stamp}")
    aside.mkdir(mode=0o700)
    for entry in list(root.iterdir()):
        if entry in (aside, stage) or entry.name.startswith(("sostituito-", "replaced-")):
            continue
        if entry.name.startswith(STAGE_PREFIX):
            continue
        shutil.move(str(entry), aside / entry.name)
    move_into_empty(root, stage, last="store.json")
    return aside


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _alive(entry: Path) -> bool:
    """Whether the process that made a staging folder (its pid is in the name) still runs."""
    name = entry.name
    try:
        pid = int(name[len(STAGE_PREFIX) :].split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    if os.name == "nt":  # no cheap liveness test: a day-old staging folder is stale
        with contextlib.suppress(OSError):
            return time.time() - entry.stat().st_mtime < 86_400
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
