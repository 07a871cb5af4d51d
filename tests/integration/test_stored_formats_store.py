"""The store's JSON blobs on a real store: a store of last month (bare JSON, format version 0)
reads through the services as it is, is never rewritten by reading, and a row saved again is
stored in the current format; the audit chain verifies all along. A signed PI of 2026 prints the
same as the same content in the current format."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import MeasureInPlace
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.pi import PiContent, PiStatus
from caseworker_app.domain.stored_formats import BlobKind, encode, format_of
from caseworker_app.messages import render
from caseworker_app.services import assessments, audit_log, case_sections, pi, printing
from caseworker_app.services import istanza_wizard as wizard
from tests.integration.pi_typist import NOW, seed_case

Created = tuple[Vault, OpenStore, str]
FIXTURE = Path(__file__).parents[1] / "fixtures" / "stored_blobs_v0.json"
LATER = NOW + timedelta(minutes=10)
SIGNED_AT = datetime(2026, 3, 2, 10, 0)


def _v0(kind: BlobKind) -> list[str]:
    blobs: dict[str, list[str]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["blobs"]
    return blobs[kind.value]


def _old_dumps(payload: object) -> str:
    """How store/sections.py and store/istanze_repository.py wrote a blob before versions."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def _raw(ws: OpenStore, sql: str, *params: object) -> str:
    with ws.engine.connect() as conn:
        value = conn.exec_driver_sql(sql, params).scalar_one()
    assert isinstance(value, str)
    return value


def _write(ws: OpenStore, sql: str, *params: object) -> None:
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(sql, params)


def _in_current_format(text: str, kind: BlobKind) -> object:
    envelope = json.loads(text)
    assert isinstance(envelope, dict) and envelope.keys() == {"format", "data"}
    assert envelope["format"] == format_of(kind)
    return envelope["data"]


def _save_istanza_the_old_way(ws: OpenStore, istanza_id: IstanzaId, text: str) -> None:
    """What the application of last month did: the bare JSON, then the audited event (whose
    content hash covers the stored text)."""
    _write(ws, "UPDATE istanze SET content = ? WHERE id = ?", text, istanza_id)
    uow = ws.uow_factory()
    with uow:
        audit_log.record(uow, actor=ws.actor, action=AuditAction.UPDATE, entity_type="istanza",
                         entity_id=istanza_id, at=NOW)  # fmt: skip
        uow.commit()


def _seeded(ws: OpenStore) -> tuple[CaseId, IstanzaId]:
    """The worked case, with the audited event that ``seed_case`` (which saves the istanza
    content straight through the repository) leaves out, so that the chain verifies."""
    case_id, istanza_id = seed_case(ws)
    uow = ws.uow_factory()
    with uow:
        audit_log.record(uow, actor=ws.actor, action=AuditAction.UPDATE, entity_type="istanza",
                         entity_id=istanza_id, at=NOW)  # fmt: skip
        uow.commit()
    _verifies(ws)
    return case_id, istanza_id


def _verifies(ws: OpenStore) -> None:
    verdict = audit_log.verify_audit(ws.uow_factory())
    assert verdict.ok, verdict.problems


def test_an_istanza_of_last_month_reads_as_it_is_and_is_saved_in_the_new_format(
    created: Created,
) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    [old] = _v0(BlobKind.ISTANZA_CONTENT)
    _save_istanza_the_old_way(ws, istanza_id, old)
    _verifies(ws)

    data = wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    assert data.content.to_data() == json.loads(old)
    assert data.content.family_caregiver_only and data.content.requests[0].amount == "800.00"
    # reading never rewrites the row (its hash is anchored in the audit chain)
    assert _raw(ws, "SELECT content FROM istanze WHERE id = ?", istanza_id) == old
    _verifies(ws)

    edited = replace(data.content, iban_holder="Prova Bice")
    wizard.save_content(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                        content=edited, now=LATER)  # fmt: skip
    stored = _raw(ws, "SELECT content FROM istanze WHERE id = ?", istanza_id)
    assert _in_current_format(stored, BlobKind.ISTANZA_CONTENT) == edited.to_data()
    _verifies(ws)
    again = wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    assert again.content == edited


def test_records_sheets_and_pi_drafts_of_last_month_read_and_save_in_the_new_format(
    created: Created,
) -> None:
    _, ws, _ = created
    case_id, istanza_id = _seeded(ws)
    # the case records as last month's store has them
    with ws.uow_factory() as uow:
        records = uow.records.of_case(case_id)
    for record in records:
        _write(ws, "UPDATE case_records SET data = ? WHERE id = ?", _old_dumps(record.data),
               record.id)  # fmt: skip
    [measure] = case_sections.list_records(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                           record_type=MeasureInPlace)  # fmt: skip
    assert measure.value.provider == "Comune"
    moved = replace(measure.value, provider="ASST")
    case_sections.put_record(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                             record_id=measure.id, value=moved, now=LATER)  # fmt: skip
    stored = _raw(ws, "SELECT data FROM case_records WHERE id = ?", measure.id)
    assert _in_current_format(stored, BlobKind.SECTION_RECORD) == moved.to_data()
    untouched = [r for r in records if r.id != measure.id]
    for record in untouched:  # the others stay as they were
        text = _raw(ws, "SELECT data FROM case_records WHERE id = ?", record.id)
        assert text == _old_dumps(record.data)

    # a draft scale sheet: answers and evaluators as the old code wrote them
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz",
        visit_date=date(2023, 11, 10), place="domicilio", evaluators=("Maria Rossi",), now=NOW,
    )  # fmt: skip
    [answers] = _v0(BlobKind.SCALE_ANSWERS)
    [evaluators] = _v0(BlobKind.SCALE_EVALUATORS)
    _write(ws, "UPDATE assessments SET answers = ?, evaluators = ? WHERE id = ?", answers,
           evaluators, sheet.id)  # fmt: skip
    summary = assessments.open_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id,
                                     now=NOW)  # fmt: skip
    assert summary.sheet.answers == json.loads(answers)
    assert summary.sheet.evaluators == ("Maria Rossi",)
    changed = {**json.loads(answers), "lavarsi": 1}
    assessments.save_answers(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id,
                             answers=changed, now=LATER)  # fmt: skip
    stored_answers = _raw(ws, "SELECT answers FROM assessments WHERE id = ?", sheet.id)
    assert _in_current_format(stored_answers, BlobKind.SCALE_ANSWERS) == changed
    stored_names = _raw(ws, "SELECT evaluators FROM assessments WHERE id = ?", sheet.id)
    assert _in_current_format(stored_names, BlobKind.SCALE_EVALUATORS) == ["Maria Rossi"]

    # a PI draft
    draft = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    _write(ws, "UPDATE pi_versions SET content = ? WHERE id = ?", _old_dumps(draft.content),
           draft.id)  # fmt: skip
    [read] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    assert read.content == draft.content
    content = PiContent.from_data(read.content)
    pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=draft.id,
                     content=replace(content, signed_on=date(2023, 11, 21)), now=LATER)  # fmt: skip
    stored = _raw(ws, "SELECT content FROM pi_versions WHERE id = ?", draft.id)
    data = _in_current_format(stored, BlobKind.PI_CONTENT)
    assert PiContent.from_data(data).signed_on == date(2023, 11, 21)  # type: ignore[arg-type]
    _verifies(ws)


def _print_text(ws: OpenStore, istanza_id: IstanzaId) -> str:
    document = printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=NOW)
    reader = PdfReader(io.BytesIO(document.pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_a_signed_pi_of_2026_still_reads_and_prints_the_same(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    [signed_2026] = _v0(BlobKind.PI_CONTENT)
    _write(ws, "UPDATE pi_versions SET content = ?, status = ?, signed_at = ?, signed_by = ? "
           "WHERE id = ?", signed_2026, PiStatus.FIRMATA.value, SIGNED_AT.isoformat(" "),
           "mrossi", version.id)  # fmt: skip
    [read] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    assert read.status is PiStatus.FIRMATA and read.content == json.loads(signed_2026)
    content = PiContent.from_data(read.content)
    assert all(s.signed for s in content.signatories) and content.signed_on == date(2023, 11, 21)
    old_text = _print_text(ws, istanza_id)
    assert "Prova" in old_text and "Casa al primo piano" in old_text
    # a signed version is frozen: the application never writes it again, so it stays in the
    # format of 2026; the same content in the current format prints the same
    with pytest.raises(UserFacingError) as frozen:
        pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                         content=content, now=LATER)  # fmt: skip
    assert frozen.value.code == "pi.signed_frozen"
    assert _raw(ws, "SELECT content FROM pi_versions WHERE id = ?", version.id) == signed_2026
    current = encode(BlobKind.PI_CONTENT, json.loads(signed_2026))
    _write(ws, "UPDATE pi_versions SET content = ? WHERE id = ?", current, version.id)
    assert _print_text(ws, istanza_id) == old_text


def test_a_damaged_blob_is_refused_with_its_row_and_never_its_content(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    _write(ws, "UPDATE istanze SET content = ? WHERE id = ?",
           '{"iban_holder": "Prova Ada", "iban_holder": "Prova Bice"}', istanza_id)  # fmt: skip
    with pytest.raises(UserFacingError) as damaged:
        wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    assert damaged.value.code == "store.blob_damaged"
    assert damaged.value.params == {"kind": "caseworker.istanza-content", "row": istanza_id}
    assert "Prova" not in render(damaged.value.code, damaged.value.params)
    _write(ws, "UPDATE istanze SET content = ? WHERE id = ?",
           '{"data": {}, "format": "caseworker.istanza-content/9"}', istanza_id)  # fmt: skip
    with pytest.raises(UserFacingError) as newer:
        wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    assert newer.value.code == "store.blob_newer_version"
    assert "versione più recente" in render(newer.value.code, newer.value.params)
