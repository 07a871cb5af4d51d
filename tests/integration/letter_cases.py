"""Istanze the letters are printed from: admitted and moved to an outcome, or failing the
requirements (an ISEE over the ceiling, no disability certification), on a real store."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from caseworker_app.domain.case_sections import Certification, CertificationKind, IseeAttestation
from caseworker_app.domain.ids import CaseId, IstanzaId, new_id
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.istanza_content import (
    Applicant,
    ApplicantRole,
    IstanzaContent,
    RequestedLine,
)
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.gateway import Workspace
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases, istanza_wizard, istanze

AVVISO = "abbiatense-caregiver-2023"
NOW = datetime(2024, 1, 10, 10, 0)
LATER = datetime(2024, 3, 21, 9, 30)
IBAN = "IT60X0542811101000000123456"
#: words that must never be printed in a letter (health data)
HEALTH_WORDS = ("ADL", "IADL", "Barthel", "%", "diagnosi", "invalidità civile almeno")

S = IstanzaState
PATH: dict[IstanzaState, tuple[IstanzaState, ...]] = {
    S.FINANZIATA: (S.AMMISSIBILE, S.FINANZIATA),
    S.FINANZIATA_PARZIALMENTE: (S.AMMISSIBILE, S.FINANZIATA_PARZIALMENTE),
    S.AMMESSA_NON_FINANZIATA: (S.AMMISSIBILE, S.AMMESSA_NON_FINANZIATA),
    S.NON_AMMISSIBILE: (S.NON_AMMISSIBILE,),
    S.PRESENTATA: (),
    S.AMMISSIBILE: (S.AMMISSIBILE,),
}


def letter_case(
    ws: Workspace,
    *,
    state: IstanzaState = S.PRESENTATA,
    isee: Decimal = Decimal("12000.00"),
    disability: bool = True,
    by_daughter: bool = True,
    now: datetime = NOW,
) -> tuple[CaseId, IstanzaId, str]:
    """A case of Ada Prova (Abbiategrasso) with an istanza to the caregiver avviso presented by
    her daughter Bice, requesting 800 € of home care, moved to ``state``: (case, istanza,
    protocol)."""
    actor = ws.actor
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=actor, comune="A010",
        anagrafica=Anagrafica(surname="Prova", given_name="Ada", sex=Sex.F,
                              birth_date=date(1938, 4, 1), residence_comune="A010",
                              residence_address="Via Roma 1", residence_cap="20081"),
        now=now,
    )  # fmt: skip
    istanza = istanze.create_istanza(
        ws.uow_factory(), actor=actor, case_id=case_id, avviso=AVVISO, now=now
    )
    applicant = (
        Applicant(ApplicantRole.FAMILIARE, "Prova", "Bice", "", "figlia")
        if by_daughter
        else Applicant()
    )
    request = RequestedLine("rimborso_domiciliare", "800.00", date(2023, 3, 1), date(2023, 6, 30))
    content = IstanzaContent(applicant=applicant, family_caregiver_only=True,
                             requests=(request,), iban=IBAN, iban_holder="Bice Prova")  # fmt: skip
    records = [(IseeAttestation.KIND, IseeAttestation("sociosanitario", isee,
                                                      "INPS-ISEE-2023-000000001-00",
                                                      date(2023, 2, 1),
                                                      date(2023, 12, 1)).to_data())]  # fmt: skip
    if disability:
        l104 = Certification(CertificationKind.L104_ART3_C3, date(2020, 5, 4), "INPS")
        records.append((Certification.KIND, l104.to_data()))
    uow = ws.uow_factory()
    with uow:
        uow.istanze.save_content(istanza.id, content.to_data(), now=now)
        for kind, data in records:
            uow.records.put(StoredRecord(new_id(), case_id, kind, data, now, actor.username))
        uow.commit()
    moved = istanze.submit_istanza(ws.uow_factory(), actor=actor, istanza_id=istanza.id,
                                   submitted_at=now, now=now)  # fmt: skip
    assert moved.protocol
    for target in PATH[state]:
        istanza_wizard.change_state(ws.uow_factory(), actor=actor, istanza_id=istanza.id,
                                    target=target, reason="esito della graduatoria",
                                    now=now)  # fmt: skip
    return case_id, istanza.id, moved.protocol
