"""Content hashes in the audit chain on a real store: normal flows verify, outside edits don't."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import audit_log, cases, printing
from caseworker_app.services import istanza_wizard as wizard
from caseworker_app.store.backup import BackupManifest, read_manifest, write_backup

from .test_istanza_wizard_service import NOW, _complete, _start

Created = tuple[Vault, OpenStore, str]
FIXTURE = Path(__file__).parents[1] / "fixtures" / "stores" / "schema-0001"


def _content_kinds(ws: OpenStore) -> list[str]:
    return [p.kind for p in audit_log.verify_audit(ws.uow_factory()).problems]


def test_a_full_normal_flow_verifies(created: Created) -> None:
    _, ws, _ = created
    case_id, data = _start(ws)  # create case, start the istanza wizard
    later = NOW + timedelta(minutes=5)
    cases.save_anagrafica(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                          anagrafica=Anagrafica(surname="Verdi", given_name="Ada Maria",
                                                sex=Sex.F, birth_date=date(1938, 4, 2),
                                                residence_comune="A010", phone="0290000000"),
                          now=later)  # fmt: skip
    wizard.submit(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                  content=_complete(), now=later)  # fmt: skip
    cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=later)
    cases.close_case(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                     closed_on=later.date(), reason="trasferito", note="", now=later)  # fmt: skip
    cases.reopen_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=later)
    verdict = audit_log.verify_audit(ws.uow_factory())
    assert verdict.ok, verdict.problems
    assert verdict.head is not None and verdict.head.seq == verdict.events
    # the events on the case file and the istanza carry a content hash; deleting one does not
    with ws.uow_factory() as uow:
        events = [e for e in uow.audit.iterate() if e.entity_id in (case_id, data.istanza.id)]
    assert events and all(e.content_hash and e.content_hash.startswith("v1:") for e in events)


def test_an_outside_edit_of_an_istanza_is_reported_with_its_latest_event(
    created: Created,
) -> None:
    _, ws, _ = created
    _case_id, data = _start(ws)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE istanze SET avviso = 'altro' WHERE id = ?", (data.istanza.id,))
    verdict = audit_log.verify_audit(ws.uow_factory())
    with ws.uow_factory() as uow:
        latest = max(e.seq for e in uow.audit.iterate() if e.entity_id == data.istanza.id)
    assert [(p.seq, p.kind) for p in verdict.problems] == [(latest, "content_changed")]


def test_a_deleted_case_carries_no_content_hash_and_verifies(created: Created) -> None:
    _, ws, _ = created
    case_id, _ = cases.create_case(ws.uow_factory(), actor=ws.actor, comune="A010",
                                   anagrafica=Anagrafica(surname="Errore"), now=NOW)  # fmt: skip
    cases.delete_draft_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    with ws.uow_factory() as uow:
        last = uow.audit.at_seq(uow.audit.head().seq)  # type: ignore[union-attr]
    assert last is not None and last.action == "delete" and last.content_hash is None
    assert _content_kinds(ws) == []


def test_an_existing_chain_of_the_first_schema_still_verifies(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    target = tmp_path / "store"
    shutil.copytree(FIXTURE, target)
    ws = make_vault(target).unlock("fixture", "fixture-password-0001")
    try:
        with ws.uow_factory() as uow:
            old = [e for e in uow.audit.iterate() if e.content_hash is None]
        assert len(old) > 1  # the events written before 0007 hash exactly as they did
        assert audit_log.verify_audit(ws.uow_factory()).ok
    finally:
        ws.close()


def test_backup_manifest_keeps_the_head(created: Created, tmp_path: Path) -> None:
    _, ws, _ = created
    head = audit_log.audit_head(ws.uow_factory())
    assert head is not None
    manifest = BackupManifest("s", datetime(2026, 12, 1), "0007", "1", {}, audit_head=head)
    target = tmp_path / "b.cwbak"
    write_backup(ws.engine, ws._key, target, manifest=manifest)
    assert read_manifest(target).audit_head == head
    older = BackupManifest("s", datetime(2026, 12, 1), "0007", "1", {})
    write_backup(ws.engine, ws._key, tmp_path / "c.cwbak", manifest=older)
    assert read_manifest(tmp_path / "c.cwbak").audit_head is None


def test_recovery_sheet_shows_the_head_but_not_in_the_qr(created: Created) -> None:
    _, ws, code = created
    head = audit_log.audit_head(ws.uow_factory())
    assert isinstance(head, AuditHead)
    doc = printing.print_recovery(ws.uow_factory(), actor=ws.actor, recovery_code=code, now=NOW)
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=doc.pdf, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    assert f"n. {head.seq}, impronta {' '.join(head.groups()[:4])}" in " ".join(text.split())


def test_every_backup_carries_the_chain_head_it_was_taken_at(
    created: tuple[Vault, OpenStore, str], tmp_path: Path
) -> None:
    _vault, ws, _code = created
    head = audit_log.audit_head(ws.uow_factory())
    report = ws.backup(tmp_path / "taken.cwbak")
    assert head is not None
    assert read_manifest(report.path).audit_head == head
