"""Closing, reopening and deleting case files and draft istanze, on a real encrypted store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.casefile import CaseStatusFilter, ClosureReason, DiaryKind
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DiaryEntryId, new_id
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.person import Anagrafica, AnagraficaConfirmation
from caseworker_app.messages import CATALOG
from caseworker_app.ports.storage import AuditFilter, StoredRecord
from caseworker_app.services import audit_log, cases, istanze
from caseworker_app.services import case_sections as sections

OPENED = datetime(2026, 3, 2, 9, 0)
NOW = datetime(2026, 11, 22, 10, 0)
AVVISO = "abbiatense-caregiver-2023"

Created = tuple[Vault, OpenStore, str]


def _create(ws: OpenStore, surname: str = "Rossi", *, at: datetime = OPENED) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname=surname, given_name="Maria"), now=at,
    )  # fmt: skip
    return case_id


def _events(ws: OpenStore, entity_id: str) -> list[str]:
    found = audit_log.list_audit(ws.uow_factory(), actor=ws.actor, flt=AuditFilter())
    return [e.action for e in reversed(found) if e.entity_id == entity_id]


def test_social_worker_closes_a_case_of_a_deceased_person_and_reopens_it(
    created: Created,
) -> None:
    _, ws, _ = created
    case_id = _create(ws)
    closure = cases.close_case(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, closed_on=date(2026, 11, 20),
        reason="deceduto", note="  comunicato dal figlio  ", now=NOW,
    )  # fmt: skip
    assert closure.reason is ClosureReason.DECEDUTO
    assert closure.note == "comunicato dal figlio"

    # Still readable, with its closing date and reason.
    case = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    assert case.is_closed
    assert case.closure is not None
    assert (case.closure.closed_on, case.closure.reason) == (date(2026, 11, 20), "deceduto")
    row = cases.case_summary(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert (row.closed_on, row.closed_reason) == (date(2026, 11, 20), "deceduto")

    # Editing a closed case is refused, as is a new istanza.
    with pytest.raises(UserFacingError) as err:
        cases.save_anagrafica(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                              anagrafica=Anagrafica(surname="Bianchi"), now=NOW)  # fmt: skip
    assert err.value.code == "case.closed"
    with pytest.raises(UserFacingError) as err:
        istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                               avviso=AVVISO, now=NOW)  # fmt: skip
    assert err.value.code == "case.closed"
    with pytest.raises(UserFacingError) as err:
        cases.close_case(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                         closed_on=date(2026, 11, 21), reason="trasferito", note="",
                         now=NOW)  # fmt: skip
    assert err.value.code == "case.already_closed"

    cases.reopen_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    reopened = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    assert reopened.closure is None
    cases.save_anagrafica(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                          anagrafica=Anagrafica(surname="Bianchi"), now=NOW)  # fmt: skip
    with pytest.raises(UserFacingError) as err:
        cases.reopen_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    assert err.value.code == "case.not_closed"

    # create, (read), close, read, reopen, read, update: each recorded, no field values.
    assert _events(ws, case_id) == [
        "create", "update", "read", "update", "read", "update",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("closed_on", "reason", "code"),
    [
        (date(2026, 11, 23), "deceduto", "case.closed_on_future"),
        (date(2026, 3, 1), "trasferito", "case.closed_on_before_opening"),
        (date(2026, 11, 1), "scomparso", "case.closure_reason_invalid"),
    ],
)
def test_closing_with_a_wrong_date_or_reason_is_refused_with_a_message(
    created: Created, closed_on: date, reason: str, code: str
) -> None:
    _, ws, _ = created
    case_id = _create(ws)
    with pytest.raises(UserFacingError) as err:
        cases.close_case(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                         closed_on=closed_on, reason=reason, note="", now=NOW)  # fmt: skip
    assert err.value.code == code
    assert code in CATALOG
    case = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    assert case.closure is None
    # The opening day itself and today are allowed.
    cases.close_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, closed_on=OPENED.date(),
                     reason="non_seguito", note="", now=NOW)  # fmt: skip


def test_the_case_list_filters_open_and_closed_cases(created: Created) -> None:
    _, ws, _ = created
    open_id = _create(ws, "Aperti")
    closed_id = _create(ws, "Chiusi")
    cases.close_case(ws.uow_factory(), actor=ws.actor, case_id=closed_id,
                     closed_on=date(2026, 10, 1), reason="trasferito", note="",
                     now=NOW)  # fmt: skip

    def found(status: CaseStatusFilter, text: str = "") -> list[str]:
        rows = cases.search_cases(ws.uow_factory(), actor=ws.actor, text=text, status=status)
        count = cases.count_cases(ws.uow_factory(), actor=ws.actor, text=text, status=status)
        assert count == len(rows)
        return [r.case_id for r in rows]

    assert found(CaseStatusFilter.ALL) == [open_id, closed_id]
    assert found(CaseStatusFilter.OPEN) == [open_id]
    assert found(CaseStatusFilter.CLOSED) == [closed_id]
    assert found(CaseStatusFilter.OPEN, "chius") == []
    assert found(CaseStatusFilter.CLOSED, "chius") == [closed_id]
    assert found(CaseStatusFilter.ALL, "maria") == [open_id, closed_id]
    [row] = cases.search_cases(ws.uow_factory(), actor=ws.actor, text="chiusi",
                               status=CaseStatusFilter.CLOSED)  # fmt: skip
    assert (row.closed_on, row.closed_reason) == (date(2026, 10, 1), "trasferito")


def test_an_empty_case_opened_by_mistake_is_deleted_and_the_audit_keeps_it(
    created: Created,
) -> None:
    _, ws, _ = created
    keep = _create(ws, "Verdi")
    case_id = _create(ws, "Sbagliato")
    assert cases.is_empty_case(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    cases.delete_draft_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)

    with pytest.raises(UserFacingError) as err:
        cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    assert err.value.code == "case.not_found"
    # Gone from the list and from the search index too.
    assert cases.count_cases(ws.uow_factory(), actor=ws.actor, text="sbagl") == 0
    rows = cases.search_cases(ws.uow_factory(), actor=ws.actor, text="")
    assert [r.case_id for r in rows] == [keep]
    assert _events(ws, case_id) == ["create", "delete"]
    assert audit_log.verify_audit(ws.uow_factory()).ok


def test_a_case_that_holds_something_is_not_deleted_and_the_message_says_what(
    created: Created,
) -> None:
    _, ws, _ = created
    with_istanza = _create(ws, "Istanza")
    istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=with_istanza,
                           avviso=AVVISO, now=NOW)  # fmt: skip
    with_diary = _create(ws, "Diario")
    sections.save_diary_entry(
        ws.uow_factory(), actor=ws.actor, case_id=with_diary, entry_id=DiaryEntryId(new_id()),
        kind=DiaryKind.TELEFONATA, at=NOW, text="Chiamata la figlia", now=NOW,
    )  # fmt: skip
    for case_id, code in (
        (with_istanza, "case.delete_has_istanze"),
        (with_diary, "case.delete_has_diary"),
    ):
        assert not cases.is_empty_case(ws.uow_factory(), actor=ws.actor, case_id=case_id)
        with pytest.raises(UserFacingError) as err:
            cases.delete_draft_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
        assert err.value.code == code
        assert err.value.params == {"count": 1}
        assert code in CATALOG
        assert cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
        assert "delete" not in _events(ws, case_id)


def test_a_draft_istanza_is_deleted_with_its_history_and_a_presented_one_is_not(
    created: Created,
) -> None:
    _, ws, _ = created
    case_id = _create(ws)
    draft = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                   avviso=AVVISO, now=NOW)  # fmt: skip
    presented = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                       avviso=AVVISO, now=NOW)  # fmt: skip
    istanze.submit_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=presented.id,
                           submitted_at=NOW, now=NOW)  # fmt: skip

    istanze.delete_draft_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=draft.id, now=NOW)
    left = istanze.istanze_of_case(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert [i.id for i in left] == [presented.id]
    uow = ws.uow_factory()
    with uow:
        assert uow.istanze.get(draft.id) is None
        assert uow.istanze.transitions(draft.id) == []
    assert _events(ws, draft.id) == ["create", "delete"]

    with pytest.raises(UserFacingError) as err:
        istanze.delete_draft_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=presented.id,
                                     now=NOW)  # fmt: skip
    assert err.value.code == "istanza.delete_not_draft"
    assert err.value.params == {"state": IstanzaState.PRESENTATA.value}
    assert "delete" not in _events(ws, presented.id)
    with pytest.raises(UserFacingError) as err:
        istanze.delete_draft_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=draft.id,
                                     now=NOW)  # fmt: skip
    assert err.value.code == "istanza.not_found"
    assert audit_log.verify_audit(ws.uow_factory()).ok


def test_the_istanze_list_names_who_registered_each_istanza(created: Created) -> None:
    _, ws, _ = created
    case_id = _create(ws)
    istanza = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                     avviso=AVVISO, now=NOW)  # fmt: skip
    istanze.submit_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza.id,
                           submitted_at=NOW, now=NOW)  # fmt: skip
    [row] = istanze.list_istanze(ws.uow_factory(), actor=ws.actor)
    assert (row.operator, row.operator_name) == ("mrossi", "Maria Rossi")
    assert row.avviso == AVVISO


def test_confirmed_warnings_of_the_anagrafica_do_not_keep_an_empty_case(
    created: Created,
) -> None:
    _, ws, _ = created
    case_id = _create(ws, "Confermata")
    confirmed = AnagraficaConfirmation("birth_date", "cf.birth_date_mismatch", "k")
    with ws.uow_factory() as uow:
        uow.records.put(StoredRecord(new_id(), case_id, AnagraficaConfirmation.KIND,
                                     confirmed.to_data(), NOW))  # fmt: skip
        uow.commit()
    assert cases.is_empty_case(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    with ws.uow_factory() as uow:
        uow.records.put(StoredRecord(new_id(), case_id, "isee", {}, NOW))
        uow.commit()
    with pytest.raises(UserFacingError) as err:
        cases.delete_draft_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    assert (err.value.code, err.value.params) == ("case.delete_has_records", {"count": 1})

    other = _create(ws, "Solo conferme")
    with ws.uow_factory() as uow:
        uow.records.put(StoredRecord(new_id(), other, AnagraficaConfirmation.KIND,
                                     confirmed.to_data(), NOW))  # fmt: skip
        uow.commit()
    cases.delete_draft_case(ws.uow_factory(), actor=ws.actor, case_id=other, now=NOW)
    with ws.uow_factory() as uow:
        assert uow.records.of_case(other) == []
        assert uow.cases.get(other) is None


def test_a_closed_cartella_refuses_every_change_to_its_sections_until_reopened(
    created: Created,
) -> None:
    """Not only the editor: the services hold any caller (the CLI too) off a closed case."""
    from caseworker_app.domain.case_sections import Certification, CertificationKind
    from caseworker_app.domain.casefile import HouseholdMember
    from caseworker_app.domain.ids import DocumentId, MemberId

    _, ws, _ = created
    case_id = _create(ws)
    uow, actor = ws.uow_factory, ws.actor
    member = HouseholdMember(MemberId(new_id()), "Rossi", "Luca", "figlio")
    sections.save_member(uow(), actor=actor, case_id=case_id, member=member, now=NOW)
    record_id = new_id()
    cert = Certification(CertificationKind.L104_ART3_C3, date(2025, 5, 2), "INPS")
    sections.put_record(uow(), actor=actor, case_id=case_id, record_id=record_id, value=cert,
                        now=NOW)  # fmt: skip
    doc_id = DocumentId(new_id())
    details = sections.DocumentDetails(title="Verbale", promised_by=date(2026, 12, 1))
    sections.save_document_details(uow(), actor=actor, case_id=case_id, document_id=doc_id,
                                   details=details, now=NOW)  # fmt: skip
    entry_id = DiaryEntryId(new_id())
    sections.save_diary_entry(uow(), actor=actor, case_id=case_id, entry_id=entry_id,
                              kind=DiaryKind.TELEFONATA, at=NOW, text="Chiamata",
                              now=NOW)  # fmt: skip
    cases.close_case(uow(), actor=actor, case_id=case_id, closed_on=date(2026, 11, 20),
                     reason="trasferito", note="", now=NOW)  # fmt: skip
    confirmation = AnagraficaConfirmation("birth_date", "cf.birth_date_mismatch", "k")
    pdf = b"%PDF-1.4\n%%EOF\n"

    writes = {
        "save_member": lambda: sections.save_member(
            uow(), actor=actor, case_id=case_id,
            member=HouseholdMember(MemberId(new_id()), "Bianchi", "Anna", "vicina"), now=NOW),
        "remove_member": lambda: sections.remove_member(
            uow(), actor=actor, case_id=case_id, member_id=member.id, now=NOW),
        "put_record": lambda: sections.put_record(
            uow(), actor=actor, case_id=case_id, record_id=new_id(), value=cert, now=NOW),
        "delete_record": lambda: sections.delete_record(
            uow(), actor=actor, case_id=case_id, record_id=record_id, now=NOW),
        "save_document_details": lambda: sections.save_document_details(
            uow(), actor=actor, case_id=case_id, document_id=doc_id,
            details=sections.DocumentDetails(title="Altro titolo"), now=NOW),
        "attach_document": lambda: sections.attach_document(
            uow(), actor=actor, case_id=case_id, document_id=doc_id, content=pdf, now=NOW),
        "delete_document": lambda: sections.delete_document(
            uow(), actor=actor, case_id=case_id, document_id=doc_id, now=NOW),
        "save_diary_entry": lambda: sections.save_diary_entry(
            uow(), actor=actor, case_id=case_id, entry_id=entry_id, kind=DiaryKind.NOTA,
            at=NOW, text="Modificata", now=NOW),
        "set_anagrafica_confirmation": lambda: cases.set_anagrafica_confirmation(
            uow(), actor=actor, case_id=case_id, confirmation=confirmation, confirmed=True,
            now=NOW),
    }  # fmt: skip
    before = len(audit_log.list_audit(uow(), actor=actor, flt=AuditFilter()))
    refused = {}
    for name, write in writes.items():
        with pytest.raises(UserFacingError) as err:
            write()
        refused[name] = err.value.code
    assert refused == dict.fromkeys(writes, "case.closed")
    assert "Riapri cartella" in CATALOG["case.closed"]

    # Nothing changed, nothing was recorded as changed.
    assert [m.id for m in sections.list_members(uow(), actor=actor, case_id=case_id)] == [member.id]
    found = sections.list_records(uow(), actor=actor, case_id=case_id, record_type=Certification)
    assert [e.id for e in found] == [record_id]
    [doc] = sections.list_documents(uow(), actor=actor, case_id=case_id)
    assert (doc.title, doc.has_content) == ("Verbale", False)
    [entry] = sections.list_diary(uow(), actor=actor, case_id=case_id)
    assert (entry.text, entry.kind) == ("Chiamata", DiaryKind.TELEFONATA)
    assert cases.anagrafica_confirmations(uow(), actor=actor, case_id=case_id) == []
    assert len(audit_log.list_audit(uow(), actor=actor, flt=AuditFilter())) == before

    # Reopened: every section is writable again.
    cases.reopen_case(uow(), actor=actor, case_id=case_id, now=NOW)
    for write in writes.values():
        write()
    assert sections.list_documents(uow(), actor=actor, case_id=case_id) == []
    [entry] = sections.list_diary(uow(), actor=actor, case_id=case_id)
    assert entry.text == "Modificata"


def test_a_closed_cartella_takes_no_new_sheet_and_keeps_its_draft_istanze(created: Created) -> None:
    from caseworker_app.services import assessments

    _, ws, _ = created
    case_id = _create(ws)
    uow, actor = ws.uow_factory, ws.actor
    draft = istanze.create_istanza(uow(), actor=actor, case_id=case_id,
                                   avviso="abbiatense-caregiver-2023", now=NOW)  # fmt: skip
    cases.save_anagrafica(uow(), actor=actor, case_id=case_id,
                          anagrafica=Anagrafica(surname="Rossi", given_name="Maria",
                                                birth_date=date(1940, 1, 1)), now=NOW)  # fmt: skip
    sheet = assessments.start_assessment(uow(), actor=actor, case_id=case_id, scale="barthel",
                                         visit_date=date(2026, 11, 19), now=NOW)  # fmt: skip
    cases.close_case(uow(), actor=actor, case_id=case_id, closed_on=date(2026, 11, 20),
                     reason="deceduto", note="", now=NOW)  # fmt: skip
    with pytest.raises(UserFacingError) as err:
        assessments.start_assessment(uow(), actor=actor, case_id=case_id, scale="adl-katz",
                                     visit_date=date(2026, 11, 20), now=NOW)  # fmt: skip
    assert err.value.code == "case.closed"
    with pytest.raises(UserFacingError) as err:
        istanze.delete_draft_istanza(uow(), actor=actor, istanza_id=draft.id, now=NOW)
    assert err.value.code == "case.closed"
    with pytest.raises(UserFacingError) as err:  # a draft begun stays, and can be finished
        assessments.discard_draft(uow(), actor=actor, sheet_id=sheet.id, now=NOW)
    assert err.value.code == "case.closed"
    assessments.save_answers(uow(), actor=actor, sheet_id=sheet.id, answers={}, now=NOW)
    assert [i.id for i in istanze.istanze_of_case(uow(), actor=actor, case_id=case_id)] == [
        draft.id
    ]
