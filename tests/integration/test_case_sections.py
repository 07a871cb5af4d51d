"""Case file sections on a real encrypted store: network, records, documents, diary."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
    MeasureInPlace,
)
from caseworker_app.domain.casefile import DiaryKind, HouseholdMember, LegalRole, MemberKind
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, MemberId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import case_sections as sections
from caseworker_app.services import cases

NOW = datetime(2026, 11, 22, 10, 0)
MARKER = b"MARCATORE-RISERVATO-Q7Z9K4"


def minimal_pdf(marker: bytes = MARKER) -> bytes:
    """A one-page PDF whose content stream carries ``marker`` in clear (no compression)."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + marker + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


def _case(ws: OpenStore) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Sezioni", given_name="Ada"), now=NOW,
    )  # fmt: skip
    return case_id


def _actions(ws: OpenStore, entity_type: str) -> list[str]:
    uow = ws.uow_factory()
    with uow:
        events = uow.audit.find(AuditFilter(entity_type=entity_type))
    return [e.action for e in sorted(events, key=lambda e: e.seq)]


def test_attached_pdf_is_stored_encrypted_and_read_back(
    created: tuple[Vault, OpenStore, str], tmp_path: Path
) -> None:
    vault, ws, _ = created
    case_id = _case(ws)
    content = minimal_pdf()
    doc_id = DocumentId(new_id())
    doc = sections.attach_document(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, content=content,
        details=sections.DocumentDetails(doc_type="verbale_invalidita", title="Verbale"), now=NOW,
    )  # fmt: skip
    assert doc.mime == "application/pdf" and doc.size == len(content)
    assert doc.received_on == NOW.date()
    ws.close()
    ws = vault.unlock("mrossi", "una-password-lunga")
    [listed] = sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert listed.title == "Verbale" and listed.has_content
    read, back = sections.read_document(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, now=NOW
    )
    assert back == content and read.sha256 == listed.sha256
    assert _actions(ws, "document") == [AuditAction.CREATE, AuditAction.READ]
    ws.close()
    files = [p for p in (tmp_path / "store").rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert MARKER not in path.read_bytes(), path.name


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "document.empty"),
        (b"MZ\x90\x00 an executable", "document.type_not_allowed"),
        (b"%PDF-" + b"0" * (sections.MAX_DOCUMENT_BYTES), "document.too_large"),
    ],
)
def test_only_pdf_and_images_up_to_25_mb_are_accepted(
    created: tuple[Vault, OpenStore, str], content: bytes, code: str
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    with pytest.raises(UserFacingError) as err:
        sections.attach_document(
            ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=DocumentId(new_id()),
            content=content, now=NOW,
        )  # fmt: skip
    assert err.value.code == code
    assert sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id) == []


def test_promised_document_receives_its_file_later(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    doc_id = DocumentId(new_id())
    details = sections.DocumentDetails(doc_type="isee", promised_by=date(2026, 12, 10))
    doc, issues = sections.save_document_details(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, details=details,
        now=NOW,
    )  # fmt: skip
    assert not doc.has_content and issues == []
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    doc = sections.attach_document(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, content=png,
        now=NOW,
    )  # fmt: skip
    assert doc.mime == "image/png" and doc.doc_type == "isee" and doc.received_on == NOW.date()
    assert doc.promised_by == date(2026, 12, 10)
    sections.delete_document(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, document_id=doc_id, now=NOW
    )
    assert sections.list_documents(ws.uow_factory(), actor=ws.actor, case_id=case_id) == []
    actions = _actions(ws, "document")
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]


def test_records_network_and_diary_round_trip_with_findings(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws)
    isee = IseeAttestation("ordinario", Decimal("12345.67"), "INPS-ISEE-2026-12345678-01")
    issues = sections.put_record(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, record_id="isee-1", value=isee,
        now=NOW,
    )  # fmt: skip
    assert "isee.dsu_invalid" in {i.code for i in issues}  # stored anyway
    fixed = IseeAttestation("ordinario", Decimal("12345.67"), "INPS-ISEE-2026-123456789-01",
                            issued_on=date(2026, 3, 1))  # fmt: skip
    assert sections.put_record(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, record_id="isee-1", value=fixed,
        now=NOW,
    ) == []  # fmt: skip
    cert = Certification(CertificationKind.INVALIDITA_CIVILE, date(2025, 5, 2), "INPS", 100)
    sections.put_record(ws.uow_factory(), actor=ws.actor, case_id=case_id, record_id="c-1",
                        value=cert, now=NOW)  # fmt: skip
    measure = MeasureInPlace("sad", date(2026, 1, 1), None, "Cooperativa", "2 volte/settimana")
    sections.put_record(ws.uow_factory(), actor=ws.actor, case_id=case_id, record_id="m-1",
                        value=measure, now=NOW)  # fmt: skip
    caregiver = HouseholdMember(
        MemberId(new_id()), "Sezioni", "Bruno", "figlio", cohabiting=True, is_caregiver=True,
        care_hours_week=30, legal_role=LegalRole.AMMINISTRATORE_DI_SOSTEGNO,
        decree_number="123/2025", court="Milano",
    )  # fmt: skip
    assert sections.save_member(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                member=caregiver, now=NOW) == []  # fmt: skip
    badante = HouseholdMember(MemberId(new_id()), "Popescu", "Ana", "assistente familiare",
                              member_kind=MemberKind.ASSISTENTE_FAMILIARE, weekly_hours=54,
                              contract_type="convivente", contract_from=date(2026, 2, 1),
                              contract_to=date(2026, 1, 1), ccnl_level="CS",
                              registered_lr15=True)  # fmt: skip
    found = sections.save_member(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                 member=badante, now=NOW)  # fmt: skip
    assert [i.code for i in found] == ["member.contract_end_before_start"]
    entry_id = DiaryEntryId(new_id())
    sections.save_diary_entry(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, entry_id=entry_id,
        kind=DiaryKind.TELEFONATA, at=datetime(2026, 11, 20, 9, 30), text="Chiamata la figlia",
        now=NOW,
    )  # fmt: skip
    sections.save_diary_entry(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, entry_id=entry_id,
        kind=DiaryKind.TELEFONATA, at=datetime(2026, 11, 20, 9, 30),
        text="Chiamata la figlia: verrà lunedì", now=NOW,
    )  # fmt: skip
    ws.close()
    ws = vault.unlock("mrossi", "una-password-lunga")
    factory, actor = ws.uow_factory(), ws.actor
    [isee_back] = sections.list_records(factory, actor=actor, case_id=case_id,
                                        record_type=IseeAttestation)  # fmt: skip
    assert isee_back.value == fixed and isee_back.id == "isee-1"
    [cert_back] = sections.list_records(ws.uow_factory(), actor=actor, case_id=case_id,
                                        record_type=Certification)  # fmt: skip
    assert cert_back.value == cert
    [m_back] = sections.list_records(ws.uow_factory(), actor=actor, case_id=case_id,
                                     record_type=MeasureInPlace)  # fmt: skip
    assert m_back.value == measure
    members = sections.list_members(ws.uow_factory(), actor=actor, case_id=case_id)
    assert {m.surname for m in members} == {"Sezioni", "Popescu"}
    assert next(m for m in members if m.surname == "Popescu") == badante
    [note] = sections.list_diary(ws.uow_factory(), actor=actor, case_id=case_id)
    assert note.text.endswith("lunedì") and note.updated_at == NOW and note.operator == "mrossi"
    assert _actions(ws, "case_record") == ["create", "update", "create", "create"]
    assert _actions(ws, "diary_entry") == ["create", "update"]
    assert _actions(ws, "household_member") == ["create", "create"]
    sections.remove_member(ws.uow_factory(), actor=actor, case_id=case_id,
                           member_id=badante.id, now=NOW)  # fmt: skip
    sections.delete_record(ws.uow_factory(), actor=actor, case_id=case_id, record_id="m-1",
                           now=NOW)  # fmt: skip
    assert len(sections.list_members(ws.uow_factory(), actor=actor, case_id=case_id)) == 1
    assert sections.list_records(ws.uow_factory(), actor=actor, case_id=case_id,
                                 record_type=MeasureInPlace) == []  # fmt: skip


def test_an_operator_without_edit_rights_can_read_but_not_write(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    planner = Actor("ufficio", frozenset({Role.UFFICIO_DI_PIANO}))
    factory = ws.uow_factory()
    writes = [
        lambda: sections.put_record(factory, actor=planner, case_id=case_id, record_id="x",
                                    value=MeasureInPlace("sad"), now=NOW),
        lambda: sections.attach_document(factory, actor=planner, case_id=case_id,
                                         document_id=DocumentId(new_id()),
                                         content=minimal_pdf(), now=NOW),
        lambda: sections.save_diary_entry(factory, actor=planner, case_id=case_id,
                                          entry_id=DiaryEntryId(new_id()), kind=DiaryKind.NOTA,
                                          at=NOW, text="x", now=NOW),
        lambda: sections.save_member(factory, actor=planner, case_id=case_id,
                                     member=HouseholdMember(MemberId("m"), "A", "B", "figlio"),
                                     now=NOW),
    ]  # fmt: skip
    for write in writes:
        with pytest.raises(UserFacingError) as err:
            write()
        assert err.value.code == "auth.not_allowed"
    assert sections.list_diary(factory, actor=planner, case_id=case_id) == []
    assert _actions(ws, "case_record") == []
