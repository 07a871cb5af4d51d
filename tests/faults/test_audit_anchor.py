"""The audit log checked against a head written down outside the database, and row contents.

Whoever knows a password can unwrap the key, open the database with SQLCipher, drop the
append-only triggers and rewrite or empty the chain: the chain alone then still verifies. The
head written down earlier (``--anchor``) and the content hash of each audited row catch it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.audit import AuditAction, AuditEntry, chain
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.security.keys import unwrap_key
from caseworker_app.services import cases

from .conftest import OPERATOR, PASSWORD, Run, assert_refused, snapshot

DROP_TRIGGERS = (
    "DROP TRIGGER IF EXISTS audit_events_no_update",
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
)


def _key(folder: Path) -> bytes:
    """The database key, as an insider gets it: the operator's slot unwrapped with the password."""
    store_id = json.loads((folder / "store.json").read_text())["store_id"]
    slot = f"operator:{OPERATOR}"
    blob = json.loads((folder / "keys.json").read_text())["slots"][slot]
    key = unwrap_key(blob, PASSWORD, store_id=store_id, slot=slot)
    assert key is not None
    return key


def _sql(folder: Path, *statements: str | tuple[str, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Run statements on the encrypted database with the key, outside the application; the
    rows of the last one."""
    conn = sqlcipher.connect(str(folder / "caseworker.db"))
    try:
        conn.execute(f"PRAGMA key = \"x'{_key(folder).hex()}'\"")
        rows: list[tuple[Any, ...]] = []
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, ())
            rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def _head(run: Run, folder: Path) -> str:
    """The head as written down after a clean ``audit verify`` (the compact SEQ:HASH form)."""
    done = run("audit", "verify", "--store", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    head = json.loads(done.stdout)["head"]
    return f"{head['seq']}:{head['hash']}"


def _with_a_case(folder: Path) -> str:
    """A case file created through the application (audited with its content hash)."""
    workspace = Vault(folder, keystore_preference="file").unlock(OPERATOR, PASSWORD)
    try:
        case_id, _issues = cases.create_case(
            workspace.uow_factory(),
            actor=workspace.actor,
            comune="A010",
            anagrafica=Anagrafica(surname="Bianchi", given_name="Anna", sex=Sex.F),
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    return case_id


def test_json_prints_the_head_of_the_chain(run: Run, store: tuple[Path, str]) -> None:
    folder, _code = store
    done = run("audit", "verify", "--store", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True and result["problems"] == []
    head = result["head"]
    last = _sql(folder, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")[0]
    assert (head["seq"], head["hash"]) == last
    assert head["seq"] == result["events"]
    human = run("audit", "verify", "--store", str(folder))  # (its own unlock is one more event)
    assert human.returncode == 0, human.stderr
    seq, digest = _sql(folder, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")[0]
    # the head to be written down, in groups of four hexadecimal digits
    grouped = " ".join(digest[i : i + 4] for i in range(0, 64, 4))
    assert f"n. {seq} · {grouped}" in human.stdout


def test_an_emptied_log_no_longer_holds_the_head_written_down(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    _with_a_case(folder)
    anchor = _head(run, folder)
    seq = anchor.split(":")[0]
    _sql(folder, *DROP_TRIGGERS, "DELETE FROM audit_events")
    assert _sql(folder, "SELECT count(*) FROM audit_events") == [(0,)]
    # without the anchor the emptied log looks whole (the unlock appends a fresh event 1)
    done = run("audit", "verify", "--store", str(folder), "--anchor", anchor)
    assert_refused(done, code=1, says=f"n. {seq}")
    assert "riscritto" in done.stderr and "tolti" in done.stderr


def test_a_forged_chain_recomputed_after_an_edit_fails_the_anchor(
    run: Run, store: tuple[Path, str]
) -> None:
    folder, _code = store
    _with_a_case(folder)
    anchor = _head(run, folder)
    rows = _sql(
        folder,
        "SELECT seq, at, operator, action, entity_type, entity_id, content_hash "
        "FROM audit_events ORDER BY seq",
    )
    # the insider rewrites who did the first event and recomputes every hash after it
    forged, prev = [], "0" * 64
    for seq, at, operator, action, entity_type, entity_id, content in rows:
        entry = AuditEntry(
            datetime.fromisoformat(at), operator, AuditAction(action), entity_type, entity_id
        )
        if seq == 1:
            entry = replace(entry, operator="qualcunaltro")
        event = chain(entry, seq=seq, prev_hash=prev, content_hash=content)
        forged.append((event.operator, event.prev_hash, event.hash, seq))
        prev = event.hash
    _sql(
        folder,
        *DROP_TRIGGERS,
        *(
            ("UPDATE audit_events SET operator = ?, prev_hash = ?, hash = ? WHERE seq = ?", f)
            for f in forged
        ),
    )
    plain = run("audit", "verify", "--store", str(folder))
    assert plain.returncode == 0, plain.stderr  # the chain alone cannot tell
    done = run("audit", "verify", "--store", str(folder), "--anchor", anchor, "--json")
    assert_refused(done, code=1, says=f"n. {anchor.split(':')[0]}")
    result = json.loads(done.stdout)
    assert result["ok"] is False and result["anchor"]["holds"] is False
    assert {"seq": int(anchor.split(":")[0]), "kind": "anchor_missing"} in result["problems"]


def test_a_surname_changed_with_plain_sql_is_reported(run: Run, store: tuple[Path, str]) -> None:
    folder, _code = store
    case_id = _with_a_case(folder)
    _head(run, folder)
    _sql(
        folder,
        (
            "UPDATE persons SET surname = 'Verdi' WHERE id = "
            "(SELECT person_id FROM case_files WHERE id = ?)",
            (case_id,),
        ),
    )
    done = run("audit", "verify", "--store", str(folder), "--json")
    assert_refused(done, code=1, says="non è integro")
    result = json.loads(done.stdout)
    assert [p["kind"] for p in result["problems"]] == ["content_changed"]
    created = _sql(
        folder,
        ("SELECT max(seq) FROM audit_events WHERE entity_id = ?", (case_id,)),
    )[0][0]
    assert result["problems"][0]["seq"] == created
    # no personal data in what is printed: ids and numbers only
    assert "Verdi" not in done.stdout + done.stderr and "Bianchi" not in done.stdout + done.stderr


def test_a_malformed_anchor_is_refused_before_opening(run: Run, store: tuple[Path, str]) -> None:
    folder, _code = store
    before = snapshot(folder)
    for wrong, says in (
        ("3f2a9c01", "numero dell'evento"),
        ("12:3f2a 9c01", "64 cifre"),
        ("dodici:" + "a" * 64, "numero dell'evento"),
        ("12:" + "g" * 64, "64 cifre"),
    ):
        done = run("audit", "verify", "--store", str(folder), "--anchor", wrong)
        assert_refused(done, code=2, says=says)
        assert "--anchor" in done.stderr
    assert snapshot(folder) == before


def test_the_head_is_accepted_as_copied_in_groups(run: Run, store: tuple[Path, str]) -> None:
    folder, _code = store
    seq, digest = _head(run, folder).split(":")
    grouped = "-".join(digest[i : i + 4] for i in range(0, 64, 4)).upper()
    done = run("audit", "verify", "--store", str(folder), "--anchor", f"n. {seq} : {grouped}")
    assert done.returncode == 0, done.stderr
    assert "ancora nel registro" in done.stdout
