"""Demo data look like real files: sections, caregivers, contents inside the avviso's window."""

from __future__ import annotations

from datetime import datetime

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.case_sections import DSU_PROTOCOL, IseeAttestation
from caseworker_app.domain.demo_people import submission_window
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.services import demo
from caseworker_app.store.vault import Vault
from caseworker_app.store.workspace import OpenStore

AVVISO = "abbiatense-caregiver-2023"


def test_demo_istanze_are_submitted_in_their_window_with_a_fitting_content(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _vault, ws, _ = created
    made = demo.load_demo(
        ws.uow_factory, actor=ws.actor, n=80, seed=11, comuni=["A010"], avvisi=[AVVISO],
        now=datetime(2024, 3, 1, 9, 0),
    )  # fmt: skip
    avviso = get_avviso(AVVISO)
    _opens, closes = submission_window(avviso)
    assert closes is not None and made > 10
    with ws.uow_factory() as uow:
        rows = uow.istanze.list()
        isee = uow.records.of_kind(IseeAttestation.KIND)
        promised = uow.documents.promised()
        istanze = [uow.istanze.get(r.istanza_id) for r in rows]
        contents = {r.istanza_id: IstanzaContent.from_data(uow.istanze.content(r.istanza_id))
                    for r in rows}  # fmt: skip
        cases = {i.case_id: uow.cases.get(i.case_id) for i in istanze if i is not None}
    assert len(rows) == made
    for istanza in istanze:
        assert istanza is not None
        if istanza.submitted_at is not None:
            assert istanza.submitted_at.date() <= closes
        content = contents[istanza.id]
        assert content.requests and all(r.code in avviso.interventions for r in content.requests)
        assert all(content.declarations.values()) and content.family_caregiver_only
        codes = {d.code for d in content.documents}
        assert {"isee", "documento_identita"} <= codes
        waiting = [d for d in content.documents if d.promised_by is not None]
        assert bool(waiting) == (istanza.state is IstanzaState.DA_INTEGRARE)
        case = cases[istanza.case_id]
        assert case is not None and any(m.is_caregiver for m in case.household)
    assert {d.istanza_id for d in promised} == {
        i.id for i in istanze if i is not None and i.state is IstanzaState.DA_INTEGRARE
    }
    with_isee = {r.case_id for r in isee}
    assert set(cases) <= with_isee
    for record in isee:
        protocol = IseeAttestation.from_data(record.data).dsu_protocol
        assert DSU_PROTOCOL.fullmatch(protocol)
