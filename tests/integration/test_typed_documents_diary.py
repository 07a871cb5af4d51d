"""Documenti and Diario on a real encrypted store: a date that cannot be read is kept as typed
(in a side case record) until it is corrected, and forgotten with its document."""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.casefile import DiaryKind
from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, new_id
from caseworker_app.services import case_sections as sections

from .test_case_sections import NOW, _case


def _kept(ws: OpenStore, case_id: CaseId) -> list[dict[str, object]]:
    uow = ws.uow_factory()
    with uow:
        return [r.data for r in uow.records.of_case(case_id, sections.SECTION_TYPED_KIND)]


def test_an_unreadable_document_date_is_kept_as_typed_until_corrected(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    doc_id = DocumentId(new_id())
    details = sections.DocumentDetails(doc_type="isee", title="Attestazione",
                                       promised_by=date(2026, 12, 10))  # fmt: skip
    doc, issues = sections.save_document_details(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, details=details,
        typed={"doc_date": "31/02/2024", "expiry": "  "}, now=NOW,
    )  # fmt: skip
    assert doc.doc_date is None and dict(doc.typed) == {"doc_date": "31/02/2024"}
    assert ("doc_date", "value.kept_as_typed") in {(i.field, i.code) for i in issues}
    [listed] = sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert dict(listed.typed) == {"doc_date": "31/02/2024"} and listed.doc_date is None
    [data] = _kept(ws, case_id)
    assert data["format"] == "caseworker.section-typed/1"
    assert data["entity"] == "document" and data["entity_id"] == doc_id

    # Saved again with the same text: still one side record, same id.
    sections.save_document_details(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, details=details,
        typed={"doc_date": "31/02/2024"}, now=NOW,
    )  # fmt: skip
    assert len(_kept(ws, case_id)) == 1

    # Corrected: the date is read and nothing stays kept as typed.
    fixed = sections.DocumentDetails(doc_type="isee", title="Attestazione",
                                     doc_date=date(2024, 2, 28))  # fmt: skip
    doc, issues = sections.save_document_details(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, details=fixed,
        now=NOW,
    )  # fmt: skip
    assert dict(doc.typed) == {} and "value.kept_as_typed" not in {i.code for i in issues}
    [listed] = sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert listed.doc_date == date(2024, 2, 28) and dict(listed.typed) == {}
    assert _kept(ws, case_id) == []


def test_a_deleted_document_takes_its_typed_dates_with_it(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    doc_id = DocumentId(new_id())
    sections.save_document_details(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id,
        details=sections.DocumentDetails(), typed={"received_on": "ieri"}, now=NOW,
    )  # fmt: skip
    assert len(_kept(ws, case_id)) == 1
    sections.delete_document(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                             document_id=doc_id, now=NOW)  # fmt: skip
    assert _kept(ws, case_id) == []
    assert sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id) == []


def test_an_unreadable_diary_moment_is_kept_as_typed_until_corrected(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    entry_id = DiaryEntryId(new_id())
    at = datetime(2026, 11, 20, 9, 30)
    entry, issues = sections.save_diary_entry(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, entry_id=entry_id,
        kind=DiaryKind.TELEFONATA, at=at, text="Telefonata con la figlia.",
        typed={"at": "31/11/2026 9.30"}, now=NOW,
    )  # fmt: skip
    assert dict(entry.typed) == {"at": "31/11/2026 9.30"}
    assert ("at", "value.kept_as_typed") in {(i.field, i.code) for i in issues}
    [listed] = sections.list_diary(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert dict(listed.typed) == {"at": "31/11/2026 9.30"} and listed.at == at
    [data] = _kept(ws, case_id)
    assert data["entity"] == "diary_entry" and data["entity_id"] == entry_id

    sections.save_diary_entry(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, entry_id=entry_id,
        kind=DiaryKind.TELEFONATA, at=datetime(2026, 11, 30, 9, 30),
        text="Telefonata con la figlia.", now=NOW,
    )  # fmt: skip
    [listed] = sections.list_diary(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert dict(listed.typed) == {} and listed.at == datetime(2026, 11, 30, 9, 30)
    assert _kept(ws, case_id) == []


def test_a_promised_document_keeps_its_typed_date_when_its_file_arrives(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    doc_id = DocumentId(new_id())
    sections.save_document_details(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id,
        details=sections.DocumentDetails(promised_by=date(2026, 12, 1)),
        typed={"doc_date": "30/02/2026"}, now=NOW,
    )  # fmt: skip
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    doc = sections.attach_document(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                   document_id=doc_id, content=png, now=NOW)  # fmt: skip
    assert dict(doc.typed) == {"doc_date": "30/02/2026"} and doc.has_content
