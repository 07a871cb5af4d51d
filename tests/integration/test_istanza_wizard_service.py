"""The wizard's use cases on a real encrypted store: autosave, verdict, submission, refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, new_id
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.istanza_content import DECLARATIONS, IstanzaContent, RequestedLine
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.messages import CATALOG
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases
from caseworker_app.services import istanza_wizard as wizard

AVVISO = "abbiatense-caregiver-2023"
PRESENTED = date(2024, 1, 15)
NOW = datetime(2026, 11, 22, 9, 30)
IBAN = "IT60X0542811101000000123456"
Created = tuple[Vault, OpenStore, str]


def _case(ws: OpenStore) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Verdi", given_name="Ada", sex=Sex.F,
                              birth_date=date(1938, 4, 2), residence_comune="A010"),
        now=NOW,
    )  # fmt: skip
    with ws.uow_factory() as uow:
        cert = Certification(CertificationKind.INDENNITA_ACCOMPAGNAMENTO, date(2021, 2, 3))
        uow.records.put(StoredRecord(new_id(), case_id, Certification.KIND, cert.to_data(), NOW))
        uow.commit()
    return case_id


def _complete() -> IstanzaContent:
    return IstanzaContent(
        declarations=dict.fromkeys(DECLARATIONS, True),
        family_caregiver_only=True,
        requests=(
            RequestedLine("rimborso_domiciliare", "900.00", date(2023, 3, 1), date(2023, 12, 31)),
        ),
        iban=IBAN,
        iban_holder="Ada Verdi",
        presented_on=PRESENTED,
    )


def _start(ws: OpenStore) -> tuple[CaseId, wizard.WizardData]:
    case_id = _case(ws)
    istanza = wizard.start_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                   avviso_id=AVVISO, presented_on=PRESENTED, now=NOW)  # fmt: skip
    return case_id, wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza.id)


def test_autosaved_content_and_a_new_isee_are_read_back_and_judged(created: Created) -> None:
    _, ws, _ = created
    case_id, data = _start(ws)
    assert data.content.presented_on == PRESENTED
    record_id = new_id()
    wizard.save_isee(ws.uow_factory(), actor=ws.actor, case_id=case_id, record_id=record_id,
                     attestation=IseeAttestation("sociosanitario", Decimal("18500.00"),
                                                 received_on=PRESENTED),
                     now=NOW)  # fmt: skip
    wizard.save_content(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                        content=_complete(), now=NOW)  # fmt: skip
    again = wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id)
    assert again.content == _complete()
    assert set(again.facts.isee) == {record_id}
    result = wizard.evaluate(get_avviso(AVVISO), again.istanza, again.facts, again.content,
                             on=NOW.date(), now=NOW)  # fmt: skip
    assert result.outcome == "ammissibile", result.checks
    assert result.amount == Decimal("900.00")
    assert [(ln.code, ln.status) for ln in result.lines] == [("rimborso_domiciliare", "ok")]
    assert result.priority_class == 1


def test_submission_assigns_the_protocol_of_the_presentation_year(created: Created) -> None:
    _, ws, _ = created
    _, data = _start(ws)
    done = wizard.submit(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                         content=_complete(), now=NOW)  # fmt: skip
    assert done.protocol == "A010-2024-000001"
    assert done.state is IstanzaState.PRESENTATA
    assert done.submitted_at is not None and done.submitted_at.date() == PRESENTED
    steps = wizard.history(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id)
    assert [s.to_state for s in steps] == [IstanzaState.BOZZA, IstanzaState.PRESENTATA]
    with pytest.raises(UserFacingError) as err:  # presented: no more autosaves
        wizard.save_content(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                            content=_complete(), now=NOW)  # fmt: skip
    assert err.value.code == "wizard.not_editable"
    moved = wizard.change_state(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                                target=IstanzaState.IN_ISTRUTTORIA, reason="verifica",
                                now=NOW)  # fmt: skip
    assert moved.state is IstanzaState.IN_ISTRUTTORIA
    steps = wizard.history(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id)
    assert (steps[-1].operator, steps[-1].reason) == ("mrossi", "verifica")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"declarations": {}}, "wizard.declarations_missing"),
        ({"requests": ()}, "wizard.no_requests"),
        ({"iban": ""}, "iban.missing"),
        ({"iban": "IT60X0542811101000000123457"}, "iban.invalid_checksum"),
        ({"iban_holder": " "}, "iban.holder_required"),
    ],
)
def test_submission_is_refused_with_what_to_do(
    created: Created, change: dict[str, object], code: str
) -> None:
    _, ws, _ = created
    _, data = _start(ws)
    with pytest.raises(UserFacingError) as err:
        wizard.submit(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                      content=replace(_complete(), **change), now=NOW)  # type: ignore[arg-type]  # fmt: skip
    assert err.value.code == code
    assert code in CATALOG
    still = wizard.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id)
    assert still.istanza.state is IstanzaState.BOZZA and still.istanza.protocol is None


def test_refusals_when_starting_and_moving(created: Created) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    with pytest.raises(UserFacingError) as err:
        wizard.start_istanza(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                             avviso_id=AVVISO, presented_on=date(2024, 6, 1), now=NOW)  # fmt: skip
    assert err.value.code == "wizard.avviso_closed"
    _, data = _start(ws)
    with pytest.raises(UserFacingError) as err:
        wizard.change_state(ws.uow_factory(), actor=ws.actor, istanza_id=data.istanza.id,
                            target=IstanzaState.IN_ISTRUTTORIA, reason="  ", now=NOW)  # fmt: skip
    assert err.value.code == "wizard.reason_required"


def test_avvisi_open_on_a_date_and_the_last_closed() -> None:
    on_time = wizard.avvisi_on("A010", date(2024, 1, 15))
    assert [a.id for a in on_time.open] == [AVVISO]
    late = wizard.avvisi_on("A010", date(2026, 11, 22))
    assert late.open == ()
    assert [(a.id, a.closes) for a in late.closed] == [(AVVISO, date(2024, 1, 22))]
    assert wizard.avvisi_on("M109", date(2024, 1, 15)).open == ()  # Monza: no ambito here
    pavese = wizard.avvisi_on("E265", date(2024, 6, 1))
    assert {a.id for a in pavese.open} == {
        "pavese-b2-2024-voucher", "pavese-b2-2024-assegno-autonomia",
    }  # fmt: skip
    checklist = wizard.document_checklist(get_avviso(AVVISO))
    assert "spese_quietanzate" in [i.code for i in checklist]
