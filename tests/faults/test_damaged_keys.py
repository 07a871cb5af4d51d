"""Issue 10, point 8: a key blob with out-of-range KDF settings is a damaged key, refused fast.

The blobs live in keys.json beside the database, in the OS keyring and in each backup's manifest;
m=0 or an empty salt crashed Argon2 ("errore imprevisto"), a huge t hung the unlock for hours.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from .conftest import OPERATOR, Run, assert_refused, snapshot

SAYS = "Le chiavi dell'archivio"
_QUICK = 30  # seconds: a refused blob never reaches Argon2


def _edit_slot(keys_file: Path, slot: str, **changes: Any) -> None:
    keys = json.loads(keys_file.read_text(encoding="utf-8"))
    blob = json.loads(keys["slots"][slot])
    blob.update(changes)
    keys["slots"][slot] = json.dumps(blob, sort_keys=True)
    keys_file.write_text(json.dumps(keys), encoding="utf-8")


def _without_attempts(snap: dict[str, str]) -> dict[str, str]:
    return {name: digest for name, digest in snap.items() if name != "attempts.json"}


@pytest.mark.parametrize(
    "changes",
    [{"m": 0}, {"salt": ""}, {"t": 10**9}, {"p": 10**6}, {"t": 3.0}, {"m": True}],
    ids=["m=0", "salt-empty", "t-huge", "p-huge", "t-float", "m-bool"],
)
def test_operator_slot_with_bad_kdf_settings_is_refused_as_damaged(
    run: Run, store: tuple[Path, str], changes: dict[str, Any]
) -> None:
    folder, _code = store
    _edit_slot(folder / "keys.json", f"operator:{OPERATOR}", **changes)
    before = snapshot(folder)
    done = run("list", "--store", str(folder), timeout=_QUICK)
    assert_refused(done, code=1, says=SAYS)
    assert "codice di recupero" in done.stderr
    assert _without_attempts(snapshot(folder)) == _without_attempts(before)


def test_slot_that_is_not_a_json_object_is_refused_as_damaged(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    keys_file = folder / "keys.json"
    keys = json.loads(keys_file.read_text(encoding="utf-8"))
    keys["slots"][f"operator:{OPERATOR}"] = "[" * 50_000 + "]" * 50_000
    keys_file.write_text(json.dumps(keys), encoding="utf-8")
    before = snapshot(folder)
    done = run("list", "--store", str(folder), timeout=_QUICK)
    assert_refused(done, code=1, says=SAYS)
    assert _without_attempts(snapshot(folder)) == _without_attempts(before)


def test_backup_whose_recovery_slot_asks_a_huge_cost_is_refused_quickly(
    run: Run, store: tuple[Path, str], tmp_path: Path
) -> None:
    folder, code = store
    done = run("backup", "--store", str(folder), "--to", str(tmp_path), "--json")
    assert done.returncode == 0, done.stderr
    archive = Path(json.loads(done.stdout)["backup"])
    damaged = tmp_path / "huge-t.cwbak"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            payload = src.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(payload)
                blob = json.loads(manifest["slots"]["recovery"])
                blob["t"] = 10**9
                manifest["slots"]["recovery"] = json.dumps(blob, sort_keys=True)
                payload = json.dumps(manifest).encode()
            dst.writestr(item, payload)

    # Into a new folder: nothing is written.
    target = tmp_path / "restored"
    done = run(
        "restore", "--from", str(damaged), "--store", str(target), "--json",
        env={"CASEWORKER_RECOVERY_CODE": code}, timeout=_QUICK,
    )  # fmt: skip
    assert_refused(done, code=1, says=SAYS)
    assert not target.exists() or not any(target.iterdir())

    # Over the existing store: it stays exactly as it was.
    before = snapshot(folder)
    done = run(
        "restore", "--from", str(damaged), "--store", str(folder), "--replace", "--json",
        env={"CASEWORKER_RECOVERY_CODE": code}, timeout=_QUICK,
    )  # fmt: skip
    assert_refused(done, code=1, says=SAYS)
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store"]
    assert run("list", "--store", str(folder)).returncode == 0
