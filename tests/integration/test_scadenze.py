"""The deadlines across the case files, on a real encrypted store."""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.ids import CaseId, DocumentId, IstanzaId, new_id
from caseworker_app.domain.istanza import Istanza, IstanzaState
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.pi import Monitoring, PiContent, PiStatus, PiVersion
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases, scadenze
from caseworker_app.services.scadenze import ScadenzaKind, Urgency

NOW = datetime(2024, 1, 25, 9, 0)
TODAY = NOW.date()
AVVISO = "abbiatense-caregiver-2023"  # transmission_until 2024-02-20


def _case(ws: OpenStore, surname: str) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname=surname, given_name="Ada", sex=Sex.F,
                              birth_date=date(1938, 4, 1), residence_comune="A010",
                              codice_fiscale="", phone="02 1234567"),
        now=NOW,
    )  # fmt: skip
    return case_id


def _isee(case_id: CaseId, protocol: str, valid_until: date | None = None) -> StoredRecord:
    att = IseeAttestation("sociosanitario", None, protocol, valid_until=valid_until)
    return StoredRecord(new_id(), case_id, IseeAttestation.KIND, att.to_data(), NOW)


def test_the_deadlines_of_every_case_in_one_list(created: tuple[Vault, OpenStore, str]) -> None:
    _vault, ws, _ = created
    brambilla, colombo, sala = _case(ws, "Brambilla"), _case(ws, "Colombo"), _case(ws, "Sala")
    to_send = IstanzaId(new_id())
    sent = IstanzaId(new_id())
    with ws.uow_factory() as uow:
        uow.documents.save(Document(DocumentId(new_id()), brambilla, "isee",
                                    promised_by=date(2024, 1, 31), created_at=NOW))  # fmt: skip
        uow.documents.save(Document(DocumentId(new_id()), colombo, "documento_identita",
                                    promised_by=date(2024, 1, 10), received_on=date(2024, 1, 9),
                                    created_at=NOW))  # fmt: skip
        uow.istanze.add(Istanza(to_send, colombo, "A010", AVVISO, IstanzaState.VALUTATA,
                                "A010/2024/000001", NOW), now=NOW)  # fmt: skip
        uow.istanze.add(Istanza(sent, sala, "A010", AVVISO, IstanzaState.TRASMESSA,
                                "A010/2024/000002", NOW), now=NOW)  # fmt: skip
        # an expired ISEE replaced by a newer one is no deadline; Sala's expires soon
        uow.records.put(_isee(brambilla, "INPS-ISEE-2023-000000001-00"))
        uow.records.put(_isee(brambilla, "INPS-ISEE-2024-000000002-00"))
        uow.records.put(_isee(sala, "", valid_until=date(2024, 3, 1)))
        # the PI's monitoring section as the editor writes it (domain/pi.py)
        planned = Monitoring(case_manager="Maria Rossi",
                             checks=(date(2024, 7, 20), date(2024, 1, 20)))  # fmt: skip
        content = PiContent(monitoring=planned).to_data()
        uow.pi.save(PiVersion(new_id(), to_send, 1, PiStatus.FIRMATA, content, NOW, NOW, "mrossi"))
        uow.pi.save(PiVersion(new_id(), sent, 1, PiStatus.BOZZA, {"monitoring": "?"}, NOW, NOW,
                              "mrossi"))  # fmt: skip
        uow.commit()

    rows = scadenze.list_scadenze(
        ws.uow_factory(), actor=ws.actor, today=TODAY, last_backup_at=datetime(2024, 1, 1),
        backup_reminder_days=7, now=NOW,
    )  # fmt: skip
    got = [(r.due, r.kind, r.urgency, r.case_id, r.params.get("person")) for r in rows]
    assert got == [
        (date(2024, 1, 8), ScadenzaKind.BACKUP, Urgency.OVERDUE, "", None),
        (date(2024, 1, 20), ScadenzaKind.VERIFICA, Urgency.OVERDUE, colombo, "Colombo Ada"),
        (date(2024, 1, 31), ScadenzaKind.DOCUMENT, Urgency.SOON, brambilla, "Brambilla Ada"),
        (date(2024, 2, 20), ScadenzaKind.TRANSMISSION, Urgency.SOON, colombo, "Colombo Ada"),
        (date(2024, 3, 1), ScadenzaKind.ISEE, Urgency.LATER, sala, "Sala Ada"),
        (date(2024, 7, 20), ScadenzaKind.VERIFICA, Urgency.LATER, colombo, "Colombo Ada"),
    ]
    transmission = rows[3]
    assert transmission.target_id == to_send
    assert transmission.params["protocol"] == "A010/2024/000001"
    assert rows[1].target_id == to_send  # the PI opens from its istanza
    for row in rows:  # no personal data beyond surname and name
        assert "02 1234567" not in str(row.params)


def test_a_recent_backup_is_no_deadline(created: tuple[Vault, OpenStore, str]) -> None:
    _vault, ws, _ = created
    rows = scadenze.list_scadenze(
        ws.uow_factory(), actor=ws.actor, today=TODAY, last_backup_at=datetime(2024, 1, 24),
        backup_reminder_days=90, now=NOW,
    )  # fmt: skip
    assert rows == []
    rows = scadenze.list_scadenze(
        ws.uow_factory(), actor=ws.actor, today=TODAY, last_backup_at=None,
        backup_reminder_days=7, now=NOW,
    )  # fmt: skip
    assert [(r.kind, r.due, r.urgency) for r in rows] == [
        (ScadenzaKind.BACKUP, TODAY, Urgency.OVERDUE)
    ]
