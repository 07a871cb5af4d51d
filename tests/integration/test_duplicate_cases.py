"""Duplicate case files by codice fiscale, on a real encrypted store: refusal and merge."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.case_sections import Certification, CertificationKind
from caseworker_app.domain.casefile import CaseFile, DiaryKind, HouseholdMember
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DiaryEntryId, DocumentId, MemberId, PersonId, new_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import assessments, audit_log, cases, istanze
from caseworker_app.services import case_sections as sections

NOW = datetime(2026, 11, 22, 10, 0)
LATER = datetime(2026, 11, 23, 11, 0)
CF = "RSSMRA38D04D845Y"
ROSSI = Anagrafica(
    codice_fiscale=CF,
    surname="Rossi",
    given_name="Mario",
    birth_date=date(1938, 4, 4),
    sex=Sex.M,
    residence_comune="A010",
)


def _create(ws: OpenStore, anagrafica: Anagrafica) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010", anagrafica=anagrafica, now=NOW
    )
    return case_id


def test_a_new_case_with_a_codice_fiscale_already_registered_is_refused(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    existing = _create(ws, ROSSI)

    # What the autosave sends after the code alone has been typed: nothing else yet.
    with pytest.raises(UserFacingError) as err:
        _create(ws, Anagrafica(codice_fiscale=CF.lower()))
    assert err.value.code == "cf.already_registered"
    assert err.value.params == {"case_id": existing}  # an id, never personal data
    assert cases.count_cases(ws.uow_factory(), actor=ws.actor, text="") == 1


def test_changing_a_case_to_a_codice_fiscale_of_another_case_is_refused(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    existing = _create(ws, ROSSI)
    other = _create(ws, Anagrafica(surname="Bianchi", given_name="Anna"))
    with pytest.raises(UserFacingError) as err:
        cases.save_anagrafica(
            ws.uow_factory(),
            actor=ws.actor,
            case_id=other,
            anagrafica=Anagrafica(codice_fiscale=CF, surname="Bianchi", given_name="Anna"),
            now=NOW,
        )
    assert err.value.code == "cf.already_registered"
    assert err.value.params == {"case_id": existing}
    stored = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=other, now=NOW)
    assert stored.anagrafica.codice_fiscale == ""  # nothing saved under the code
    # The case itself keeps its own code when it is saved again.
    cases.save_anagrafica(
        ws.uow_factory(),
        actor=ws.actor,
        case_id=existing,
        anagrafica=ROSSI,
        now=NOW,
    )


def test_the_existing_case_is_described_for_the_message(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    existing = _create(ws, ROSSI)
    row = cases.case_summary(ws.uow_factory(), actor=ws.actor, case_id=existing)
    assert (row.case_id, row.surname, row.given_name, row.residence_comune) == (
        existing,
        "Rossi",
        "Mario",
        "A010",
    )


# -- merging the duplicates made before the refusal existed ------------------------------------

ADMIN_ONLY = Actor("admin", frozenset({Role.ADMIN}))
WORKER_ONLY = Actor("as", frozenset({Role.ASSISTENTE_SOCIALE}))


def _legacy_duplicate(ws: OpenStore, anagrafica: Anagrafica) -> CaseId:
    """A duplicate as the old autosave left it (written below the service, which now refuses)."""
    case = CaseFile(CaseId(new_id()), PersonId(new_id()), "A010", NOW, "mrossi", anagrafica)
    uow = ws.uow_factory()
    with uow:
        uow.cases.add_many([case], now=NOW)
        uow.commit()
    return case.id


def _fill_duplicate(ws: OpenStore, case_id: CaseId) -> dict[str, str]:
    """Something in every section of the duplicate."""
    member = MemberId(new_id())
    sections.save_member(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW,
                         member=HouseholdMember(member, "Rossi", "Lucia", "figlia"))  # fmt: skip
    record = new_id()
    sections.put_record(ws.uow_factory(), actor=ws.actor, case_id=case_id, record_id=record,
                        value=Certification(CertificationKind.L104_ART3_C3,
                                            issued_on=date(2024, 1, 10)), now=NOW)  # fmt: skip
    diary = DiaryEntryId(new_id())
    sections.save_diary_entry(ws.uow_factory(), actor=ws.actor, case_id=case_id, entry_id=diary,
                              kind=DiaryKind.TELEFONATA, at=NOW, text="Chiamata la figlia",
                              now=NOW)  # fmt: skip
    document = DocumentId(new_id())
    sections.save_document_details(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                   document_id=document, now=NOW,
                                   details=sections.DocumentDetails(doc_type="isee"))  # fmt: skip
    istanza = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                     avviso="abbiatense-caregiver-2023", now=NOW)  # fmt: skip
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz",
        visit_date=NOW.date(), place="domicilio", evaluators=("Maria Rossi",), now=NOW,
    )  # fmt: skip
    return {"member": member, "record": record, "diary": diary, "document": document,
            "istanza": istanza.id, "assessment": sheet.id}  # fmt: skip


def _contents(ws: OpenStore, case_id: CaseId) -> dict[str, list[str]]:
    f, a = ws.uow_factory, ws.actor
    return {
        "member": [m.id for m in sections.list_members(f(), actor=a, case_id=case_id)],
        "record": [r.id for r in sections.list_records(f(), actor=a, case_id=case_id,
                                                       record_type=Certification)],
        "diary": [d.id for d in sections.list_diary(f(), actor=a, case_id=case_id)],
        "document": [d.id for d in sections.list_documents(f(), actor=a, case_id=case_id)],
        "istanza": [i.id for i in istanze.istanze_of_case(f(), actor=a, case_id=case_id)],
        "assessment": [s.sheet.id for s in assessments.assessment_history(
            f(), actor=a, case_id=case_id, now=NOW)],
    }  # fmt: skip


def test_admin_finds_duplicates_and_merges_one_into_the_cartella_she_chooses(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    survivor = _create(ws, ROSSI)
    nameless = _legacy_duplicate(
        ws, Anagrafica(codice_fiscale=CF, birth_date=ROSSI.birth_date, phone="02 555 1234")
    )
    _create(ws, Anagrafica(surname="Bianchi", given_name="Anna"))  # not a duplicate
    moved = _fill_duplicate(ws, nameless)

    [group] = cases.find_duplicates(ws.uow_factory(), actor=ws.actor)
    assert group.codice_fiscale == CF
    assert [row.case_id for row in group.cases] == [survivor, nameless]  # oldest first
    assert group.cases[0].surname == "Rossi" and group.cases[1].surname == ""

    cases.merge_cases(
        ws.uow_factory(), actor=ws.actor, survivor=survivor, duplicate=nameless, now=LATER
    )

    assert cases.find_duplicates(ws.uow_factory(), actor=ws.actor) == []
    assert cases.count_cases(ws.uow_factory(), actor=ws.actor, text="") == 2
    with pytest.raises(UserFacingError) as err:
        cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=nameless, now=LATER)
    assert err.value.code == "case.not_found"
    merged = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=survivor, now=LATER)
    # The survivor keeps its data and takes from the duplicate only what it lacked.
    assert merged.anagrafica == replace(ROSSI, phone="02 555 1234")
    # Every section entry of the duplicate now belongs to the survivor.
    assert _contents(ws, survivor) == {kind: [value] for kind, value in moved.items()}
    # Audited: who merged which into which, when (ids only).
    uow = ws.uow_factory()
    with uow:
        events = [e for e in uow.audit.find(AuditFilter(since=LATER.date())) if e.at == LATER]
    assert {(e.operator, e.action, e.entity_type, e.entity_id) for e in events} >= {
        ("mrossi", "merge", "case_file", nameless),
        ("mrossi", "update", "case_file", survivor),
    }
    assert audit_log.verify_audit(ws.uow_factory()).ok
    found = cases.search_cases(ws.uow_factory(), actor=ws.actor, text=CF)
    assert [row.case_id for row in found] == [survivor]  # the search index followed


def test_merge_is_for_the_admin_and_only_between_cartelle_of_the_same_code(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    survivor = _create(ws, ROSSI)
    nameless = _legacy_duplicate(ws, Anagrafica(codice_fiscale=CF))
    other = _create(ws, Anagrafica(surname="Bianchi", given_name="Anna"))
    with pytest.raises(UserFacingError) as err:
        cases.find_duplicates(ws.uow_factory(), actor=WORKER_ONLY)
    assert err.value.code == "auth.not_allowed"
    with pytest.raises(UserFacingError) as err:
        cases.merge_cases(ws.uow_factory(), actor=WORKER_ONLY, survivor=survivor,
                          duplicate=nameless, now=LATER)  # fmt: skip
    assert err.value.code == "auth.not_allowed"
    for dup, code in ((other, "merge.not_duplicates"), (survivor, "merge.same_case"),
                      (CaseId("sparita"), "case.not_found")):  # fmt: skip
        with pytest.raises(UserFacingError) as err:
            cases.merge_cases(ws.uow_factory(), actor=ADMIN_ONLY, survivor=survivor,
                              duplicate=dup, now=LATER)  # fmt: skip
        assert err.value.code == code
    assert cases.count_cases(ws.uow_factory(), actor=ws.actor, text="") == 3
    # An admin who is not a social worker may merge (she never reads the case contents).
    cases.merge_cases(ws.uow_factory(), actor=ADMIN_ONLY, survivor=nameless, duplicate=survivor,
                      now=LATER)  # fmt: skip
    kept = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=nameless, now=LATER)
    assert kept.anagrafica == ROSSI  # the nameless survivor took every field it lacked
