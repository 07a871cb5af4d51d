"""The integrazione documentale on a real encrypted store: a document promised in the istanza is
marked received after presentation, the istanza is judged again and leaves ``da_integrare``; a
promise past its deadline makes it ``non_ammissibile`` in the engine's words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, DocumentId, IstanzaId, new_id
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    DocumentCheck,
    IstanzaContent,
    RequestedLine,
)
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.messages import CATALOG
from caseworker_app.ports.storage import AuditFilter, StoredRecord
from caseworker_app.services import case_sections, cases, integrazione, scadenze
from caseworker_app.services import istanza_wizard as wizard

AVVISO = "abbiatense-caregiver-2023"
PRESENTED = date(2024, 1, 15)
PROMISED = date(2024, 1, 31)
Created = tuple[Vault, OpenStore, str]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=10)


def _eligible_case(ws: OpenStore, anagrafica: Anagrafica, *, isee: str, now: datetime) -> CaseId:
    """A case file that meets the caregiver avviso: disability, ISEE received with it."""
    case_id, _ = cases.create_case(ws.uow_factory(), actor=ws.actor, comune="A010",
                                   anagrafica=anagrafica, now=now)  # fmt: skip
    with ws.uow_factory() as uow:
        cert = Certification(CertificationKind.INDENNITA_ACCOMPAGNAMENTO, date(2021, 2, 3))
        uow.records.put(StoredRecord(new_id(), case_id, Certification.KIND, cert.to_data(), now))
        att = IseeAttestation("sociosanitario", Decimal(isee), received_on=PRESENTED)
        uow.records.put(StoredRecord(new_id(), case_id, IseeAttestation.KIND, att.to_data(), now))
        uow.commit()
    return case_id


def _presented(ws: OpenStore, *, registered: datetime | None = None) -> tuple[CaseId, IstanzaId]:
    """An istanza presented on 15/01/2024 with the invalidity verbale promised by 31/01/2024,
    registered in the store on the day (or on ``registered``, a paper istanza typed later)."""
    now = registered or _at(PRESENTED)
    case_id = _eligible_case(
        ws, Anagrafica(surname="Verdi", given_name="Ada", sex=Sex.F, birth_date=date(1938, 4, 2),
                       residence_comune="A010"),
        isee="18500.00", now=now,
    )  # fmt: skip
    istanza = wizard.start_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                   avviso_id=AVVISO, presented_on=PRESENTED, now=now)  # fmt: skip
    content = IstanzaContent(
        declarations=dict.fromkeys(DECLARATIONS, True),
        family_caregiver_only=True,
        requests=(
            RequestedLine("rimborso_domiciliare", "900.00", date(2023, 3, 1), date(2023, 12, 31)),
        ),
        documents=(
            DocumentCheck("documento_identita", received_on=PRESENTED),
            DocumentCheck("verbale_invalidita", promised_by=PROMISED),
        ),
        iban="IT60X0542811101000000123456",
        iban_holder="Ada Verdi",
        presented_on=PRESENTED,
    )
    wizard.submit(ws.uow_factory(), actor=ws.actor, istanza_id=istanza.id, content=content,
                  now=now)  # fmt: skip
    return case_id, istanza.id


def test_a_promised_document_received_after_presentation_completes_the_istanza(
    created: Created,
) -> None:
    _, ws, _ = created
    case_id, istanza_id = _presented(ws)
    on = _at(date(2024, 1, 20))
    review = integrazione.review_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                         now=on)  # fmt: skip
    assert review.evaluation.outcome == "da_integrare"
    assert review.follow is IstanzaState.DA_INTEGRARE
    verbale = next(ln for ln in review.checklist if ln.code == "verbale_invalidita")
    assert (verbale.status, verbale.promised_by) == ("awaited", PROMISED)
    waiting = integrazione.apply_verdict(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                         now=on)  # fmt: skip
    assert waiting.data.istanza.state is IstanzaState.DA_INTEGRARE

    scan_id = DocumentId(new_id())
    case_sections.attach_document(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                  document_id=scan_id, content=PDF,
                                  details=case_sections.DocumentDetails(
                                      doc_type="verbale_invalidita", title="Verbale INPS"),
                                  now=on)  # fmt: skip
    done = integrazione.receive_document(ws.uow_factory(), actor=ws.actor,
                                         istanza_id=istanza_id, code="verbale_invalidita",
                                         received_on=date(2024, 1, 19), scan_id=scan_id,
                                         now=on)  # fmt: skip
    assert done.evaluation.outcome == "ammissibile", done.evaluation.checks
    assert done.data.istanza.state is IstanzaState.AMMISSIBILE
    assert done.follow is None
    line = next(ln for ln in done.checklist if ln.code == "verbale_invalidita")
    assert (line.status, line.received_on, line.promised_by) == (
        "received", date(2024, 1, 19), PROMISED,
    )  # fmt: skip
    assert (line.scan_id, line.scan_title) == (scan_id, "Verbale INPS")
    steps = wizard.history(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    assert [s.to_state for s in steps] == [
        IstanzaState.BOZZA, IstanzaState.PRESENTATA, IstanzaState.DA_INTEGRARE,
        IstanzaState.AMMISSIBILE,
    ]  # fmt: skip
    assert "verbale di invalidità ricevuto il 19/01/2024" in steps[-1].reason
    assert "ammissibile" in steps[-1].reason
    with ws.uow_factory() as uow:
        events = [e for e in uow.audit.find(AuditFilter(entity_type="istanza"))
                  if e.entity_id == istanza_id]  # fmt: skip
    # presentation, content saves, the move to da_integrare, the receipt and its move
    assert [e.action for e in events].count(AuditAction.UPDATE) >= 5


def test_a_promise_past_its_deadline_makes_the_istanza_non_ammissibile(created: Created) -> None:
    _, ws, _ = created
    _, istanza_id = _presented(ws)
    late = _at(date(2024, 2, 5))
    review = integrazione.review_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                         now=late)  # fmt: skip
    assert review.evaluation.outcome == "non_ammissibile"
    assert review.follow is IstanzaState.NON_AMMISSIBILE
    verbale = next(ln for ln in review.checklist if ln.code == "verbale_invalidita")
    assert verbale.status == "lapsed"
    ko = [c.message for c in review.evaluation.checks if c.status == "ko"]
    assert any("non pervenuti" in m and "promesso entro il 31/01/2024" in m for m in ko), ko
    moved = integrazione.apply_verdict(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                       now=late)  # fmt: skip
    assert moved.data.istanza.state is IstanzaState.NON_AMMISSIBILE
    last = wizard.history(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)[-1]
    assert "non ammissibile" in last.reason and "promesso entro il 31/01/2024" in last.reason
    with pytest.raises(UserFacingError) as err:
        integrazione.receive_document(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                      code="verbale_invalidita", received_on=late.date(),
                                      now=late)  # fmt: skip
    assert err.value.code == "integrazione.not_receivable"


@pytest.mark.parametrize(
    ("received", "scan", "code"),
    [
        (date(2024, 1, 21), "", "integrazione.received_in_future"),
        (date(2024, 1, 10), "", "integrazione.received_before_submission"),
        (date(2024, 1, 19), "no-such-scan", "integrazione.scan_unknown"),
    ],
)
def test_a_receipt_that_cannot_be_true_is_refused_and_nothing_changes(
    created: Created, received: date, scan: str, code: str
) -> None:
    _, ws, _ = created
    _, istanza_id = _presented(ws)
    on = _at(date(2024, 1, 20))
    with pytest.raises(UserFacingError) as err:
        integrazione.receive_document(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                      code="verbale_invalidita", received_on=received,
                                      scan_id=scan, now=on)  # fmt: skip
    assert err.value.code == code and code in CATALOG
    after = integrazione.review_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                        now=on)  # fmt: skip
    assert after.data.istanza.state is IstanzaState.PRESENTATA
    verbale = next(ln for ln in after.checklist if ln.code == "verbale_invalidita")
    assert verbale.status == "awaited"


def test_documents_outside_the_checklist_are_kept_and_shown(created: Created) -> None:
    _, ws, _ = created
    _, istanza_id = _presented(ws)
    on = _at(date(2024, 1, 20))
    done = integrazione.receive_document(ws.uow_factory(), actor=ws.actor,
                                         istanza_id=istanza_id, code="buste_paga_assistente",
                                         received_on=on.date(), now=on)  # fmt: skip
    codes = [ln.code for ln in done.checklist]
    assert "buste_paga_assistente" in codes
    assert done.data.istanza.state is IstanzaState.DA_INTEGRARE  # the verbale is still awaited


def test_a_document_promised_in_the_istanza_is_a_deadline_until_it_arrives(
    created: Created,
) -> None:
    _, ws, _ = created
    case_id, istanza_id = _presented(ws)
    on = _at(date(2024, 1, 20))

    def rows() -> list[scadenze.Scadenza]:
        found = scadenze.list_scadenze(ws.uow_factory(), actor=ws.actor, today=on.date(),
                                       last_backup_at=on, backup_reminder_days=7,
                                       now=on)  # fmt: skip
        return [r for r in found if r.kind is scadenze.ScadenzaKind.ISTANZA_DOCUMENT]

    [row] = rows()
    assert (row.due, row.case_id, row.target_id) == (PROMISED, case_id, istanza_id)
    assert row.params["document"] == "verbale_invalidita"
    assert row.params["person"] == "Verdi Ada" and row.params["protocol"] == "A010-2024-000001"
    integrazione.receive_document(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                  code="verbale_invalidita", received_on=on.date(),
                                  now=on)  # fmt: skip
    assert rows() == []


def test_a_paper_istanza_registered_later_carries_its_day_without_an_invented_time(
    created: Created,
) -> None:
    _, ws, _ = created
    _, istanza_id = _presented(ws, registered=datetime(2024, 1, 17, 16, 45))
    istanza = wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id).istanza
    assert istanza.submitted_at == datetime(2024, 1, 15, 0, 0)
    assert istanza.protocol == "A010-2024-000001"


def test_an_istanza_presented_with_a_promised_document_is_da_integrare(created: Created) -> None:
    _, ws, _ = created
    now = _at(PRESENTED)
    case_id = _eligible_case(
        ws, Anagrafica(surname="Neri", given_name="Bruno", sex=Sex.M, birth_date=date(1941, 5, 6),
                       residence_comune="A010"),
        isee="12000.00", now=now,
    )  # fmt: skip
    draft = wizard.start_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                 avviso_id=AVVISO, presented_on=PRESENTED, now=now)  # fmt: skip
    loaded = wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=draft.id)
    content = IstanzaContent(
        declarations=dict.fromkeys(DECLARATIONS, True),
        family_caregiver_only=True,
        requests=(RequestedLine("rimborso_domiciliare", "900.00", date(2023, 3, 1),
                                date(2023, 12, 31)),),
        documents=(DocumentCheck("verbale_invalidita", promised_by=PROMISED),),
        iban="IT60X0542811101000000123456", iban_holder="Bruno Neri",
        presented_on=PRESENTED,
    )  # fmt: skip
    assert loaded.istanza.state is IstanzaState.BOZZA
    moved = integrazione.present_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=draft.id,
                                         content=content, now=now)  # fmt: skip
    assert moved.state is IstanzaState.DA_INTEGRARE and moved.protocol == "A010-2024-000001"
    steps = wizard.history(ws.uow_factory(), actor=ws.actor, istanza_id=draft.id)
    assert [s.to_state for s in steps][-2:] == [IstanzaState.PRESENTATA, IstanzaState.DA_INTEGRARE]
    assert (
        "Documenti attesi: verbale di invalidità (promesso entro il 31/01/2024)" in steps[-1].reason
    )
    # without a promise, presenting leaves the istanza presentata
    plain = replace(content, documents=())
    other = wizard.start_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                 avviso_id=AVVISO, presented_on=PRESENTED, now=now)  # fmt: skip
    done = integrazione.present_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=other.id,
                                        content=plain, now=now)  # fmt: skip
    assert done.state is IstanzaState.PRESENTATA
