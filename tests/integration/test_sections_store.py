"""The repositories of revision 0004 on a real encrypted store: JSON section records, document
content kept apart from listings, istanza content, and signed PI versions that stay frozen."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.ids import CaseId, DocumentId, IstanzaId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.pi import PiStatus, PiVersion
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases, istanze

NOW = datetime(2026, 11, 22, 15, 0)


def _case(ws: OpenStore) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Sezioni", given_name="Ida", sex=Sex.F,
                              birth_date=date(1940, 2, 3), residence_comune="A010"),
        now=NOW,
    )  # fmt: skip
    return case_id


def test_section_records_round_trip_and_are_found_by_kind(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    record = StoredRecord(new_id(), case_id, "isee", {"value": "18500.00", "nested": [1, "è"]},
                          NOW, ws.actor.username)  # fmt: skip
    with ws.uow_factory() as uow:
        uow.records.put(record)
        uow.commit()
    with ws.uow_factory() as uow:
        assert uow.records.get(record.id) == record
        assert [r.id for r in uow.records.of_case(case_id, "isee")] == [record.id]
        assert uow.records.of_case(case_id, "measure") == []
        assert [r.id for r in uow.records.of_kind("isee")] == [record.id]
        uow.records.delete(case_id, record.id)
        uow.commit()
    with ws.uow_factory() as uow:
        assert uow.records.get(record.id) is None


def test_document_listing_does_not_carry_the_content(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    doc = Document(DocumentId(new_id()), case_id, "isee", title="Attestazione",
                   promised_by=date(2026, 12, 31), created_at=NOW)  # fmt: skip
    with ws.uow_factory() as uow:
        uow.documents.save(doc)
        uow.commit()
    with ws.uow_factory() as uow:
        assert [d.id for d in uow.documents.promised()] == [doc.id]
        received = Document(doc.id, case_id, "isee", title="Attestazione",
                            received_on=date(2026, 12, 1), mime="application/pdf", size=4,
                            created_at=NOW)  # fmt: skip
        uow.documents.save(received, content=b"%PDF")
        uow.commit()
    with ws.uow_factory() as uow:
        assert uow.documents.promised() == []
        assert uow.documents.content(doc.id) == b"%PDF"
        listed = uow.documents.of_case(case_id)
        assert listed == [received] and listed[0].has_content


def test_a_signed_pi_version_is_never_written_again(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    istanza = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                     avviso="abbiatense-caregiver-2023", now=NOW)  # fmt: skip
    with ws.uow_factory() as uow:
        assert uow.istanze.content(istanza.id) == {}
        uow.istanze.save_content(istanza.id, {"iban": "IT60X0542811101000000123456"}, now=NOW)
        uow.commit()
    draft = PiVersion(new_id(), IstanzaId(istanza.id), 1, PiStatus.BOZZA, {"objectives": []},
                      NOW, NOW, ws.actor.username)  # fmt: skip
    signed = PiVersion(draft.id, draft.istanza_id, 1, PiStatus.FIRMATA, {"objectives": ["x"]},
                       NOW, NOW, ws.actor.username, NOW, ws.actor.username)  # fmt: skip
    with ws.uow_factory() as uow:
        assert uow.istanze.content(istanza.id)["iban"] == "IT60X0542811101000000123456"
        assert [i.id for i in uow.istanze.of_case(case_id)] == [istanza.id]
        uow.pi.save(draft)
        uow.pi.save(signed)
        uow.commit()
    with ws.uow_factory() as uow:
        assert uow.pi.get(draft.id) == signed
        assert uow.pi.latest_all() == [signed]
        with pytest.raises(PermissionError):
            uow.pi.save(draft)
