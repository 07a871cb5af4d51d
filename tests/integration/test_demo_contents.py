"""Demo data look like real files: sections, caregivers, contents inside the avviso's window,
and a year's work: evaluated istanze with their home visit and a signed PI, funded ones paid."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.assessment import ADULT_AGE, SheetStatus
from caseworker_app.domain.case_sections import DSU_PROTOCOL, IseeAttestation, SocialEvaluation
from caseworker_app.domain.casefile import CaseFile
from caseworker_app.domain.demo_casework import submission_window
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.istanza import ALLOWED, Istanza, IstanzaState
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.domain.pi import PiContent, PiStatus, missing_signatures
from caseworker_app.domain.roles import Role
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.services import audit_log, demo
from caseworker_app.services import istanze as istanze_service
from caseworker_app.services.assessments import summarize

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


# -- a year's work: evaluated istanze have their home visit and a signed PI ---------------------

EVALUATED_OR_BEYOND = {
    IstanzaState.VALUTATA, IstanzaState.TRASMESSA, IstanzaState.FINANZIATA,
    IstanzaState.FINANZIATA_PARZIALMENTE, IstanzaState.AMMESSA_NON_FINANZIATA,
    IstanzaState.IN_EROGAZIONE, IstanzaState.SOSPESA, IstanzaState.CESSATA, IstanzaState.CHIUSA,
}  # fmt: skip
#: states only reached through the evaluation (chiusa may also follow non_ammissibile)
ONLY_AFTER_EVALUATION = EVALUATED_OR_BEYOND - {IstanzaState.CHIUSA}
FUNDED = {IstanzaState.FINANZIATA, IstanzaState.FINANZIATA_PARZIALMENTE}
PAID = {IstanzaState.IN_EROGAZIONE, IstanzaState.SOSPESA, IstanzaState.CESSATA,
        IstanzaState.CHIUSA}  # fmt: skip
NOW = datetime(2025, 6, 1, 9, 0)


def _window(avviso_id: str) -> tuple[date, date]:
    """The days istanze to the avviso may be submitted on: its submission window, or (a
    sportello without one) the period of the measure."""
    avviso = get_avviso(avviso_id)
    opens, closes = submission_window(avviso)
    if opens is None and closes is None:
        assert avviso.window is not None
        return avviso.window.start, avviso.window.end
    return opens or date.min, closes or date.max


def _check_a_years_work(ws: OpenStore) -> tuple[list[Istanza], dict[CaseId, CaseFile]]:
    """Everything the issue lists, for every istanza of the store; the istanze and cases."""
    with ws.uow_factory() as uow:
        istanze = [uow.istanze.get(r.istanza_id) for r in uow.istanze.list()]
        found = [i for i in istanze if i is not None]
        cases = {i.case_id: uow.cases.get(i.case_id) for i in found}
        history = {i.id: uow.istanze.transitions(i.id) for i in found}
        sheets = {c: uow.assessments.of_case(c) for c in cases}
        evaluations = {c: uow.records.of_case(c, SocialEvaluation.KIND) for c in cases}
        versions = {i.id: uow.pi.of_istanza(i.id) for i in found}
        drawn = {v.id: {s.role for s in uow.signatures.graphic_of_version(v.id)}
                 for vs in versions.values() for v in vs}  # fmt: skip
    evaluated = 0
    for istanza in found:
        case = cases[istanza.case_id]
        assert case is not None
        steps = [t.to_state for t in history[istanza.id]]
        assert steps[-1] is istanza.state
        for a, b in itertools.pairwise(steps):
            assert b in ALLOWED[a], (a, b)
        if istanza.submitted_at is not None:
            opens, closes = _window(istanza.avviso)
            assert opens <= istanza.submitted_at.date() <= closes, istanza.avviso
        # funded ones are paid out, after their funding outcome
        assert istanza.state not in FUNDED
        outcome = [s for s in steps if s in FUNDED]
        if outcome:
            assert istanza.state in PAID
            assert steps.index(IstanzaState.IN_EROGAZIONE) > steps.index(outcome[0])
        if istanza.state in ONLY_AFTER_EVALUATION:
            assert IstanzaState.VALUTATA in steps, steps
        if IstanzaState.VALUTATA not in steps:
            assert not versions[istanza.id]
            continue
        evaluated += 1
        evaluated_at = next(t.at for t in history[istanza.id]
                            if t.to_state is IstanzaState.VALUTATA)  # fmt: skip
        born = case.anagrafica.birth_date
        assert born is not None
        closed = {s.scale: s for s in sheets[istanza.case_id] if s.status is SheetStatus.COMPLETA}
        assert "adl-katz" in closed
        visit = closed["adl-katz"].visit_date
        adult = age_on(born, visit) >= ADULT_AGE
        assert ("iadl-lawton" in closed) == adult
        for sheet in closed.values():
            assert summarize(sheet, case.anagrafica.sex).result.complete
            assert istanza.submitted_at is not None
            assert istanza.submitted_at.date() <= sheet.visit_date <= evaluated_at.date()
        [evaluation] = evaluations[istanza.case_id]
        assert SocialEvaluation.from_data(evaluation.data).visit_date == visit
        [version] = versions[istanza.id]
        assert version.status is PiStatus.FIRMATA and version.signed_at is not None
        assert evaluated_at <= version.signed_at <= NOW
        content = PiContent.from_data(version.content)
        assert not missing_signatures(content) and content.signed_place
        assert content.header.protocol == istanza.protocol
        assert {s.role.value for s in content.signatories} == drawn[version.id]
        assert {line.scale for line in content.evaluation.scales} == set(closed)
    assert evaluated > 0
    return found, {k: v for k, v in cases.items() if v is not None}


def test_a_comune_demo_is_a_years_work_of_its_own_residents(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _vault, ws, _ = created
    ambito = get_ambito("abbiatense")
    # even when told about the whole ambito, the comune's istanze are its own
    demo.load_demo(ws.uow_factory, actor=ws.actor, n=160, seed=5,
                   comuni=[c.code for c in ambito.comuni], avvisi=ambito.avvisi,
                   now=NOW)  # fmt: skip
    istanze, cases = _check_a_years_work(ws)
    assert {i.comune for i in istanze} == {"A010"}
    assert all(i.protocol is None or i.protocol.startswith("A010-") for i in istanze)
    assert {c.comune for c in cases.values()} == {"A010"}
    assert {c.anagrafica.residence_comune for c in cases.values()} == {"A010"}
    assert audit_log.verify_audit(ws.uow_factory()).ok


def test_a_capofila_demo_spreads_over_the_ambito_inside_the_avvisi_windows(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    vault = make_vault(tmp_path / "capofila")
    admin, _code = vault.create(
        SetupRequest("capofila", "alto-basso-pavese", "E265", "mrossi", "Maria Rossi", "x" * 12)
    )
    admin.add_operator(username="lbianchi", full_name="Lucia Bianchi",
                       roles=frozenset({Role.ASSISTENTE_SOCIALE}), password="y" * 12)  # fmt: skip
    admin.close()
    ws = vault.unlock("lbianchi", "y" * 12)  # the ufficio di piano's social worker
    try:
        ambito = get_ambito("alto-basso-pavese")
        demo.load_demo(ws.uow_factory, actor=ws.actor, n=160, seed=9,
                       comuni=[c.code for c in ambito.comuni], avvisi=ambito.avvisi,
                       now=NOW)  # fmt: skip
        istanze, cases = _check_a_years_work(ws)
        assert len({i.comune for i in istanze}) > 5
        assert {i.comune for i in istanze} <= {c.code for c in ambito.comuni}
        assert {i.avviso for i in istanze} == set(ambito.avvisi)
        assert all(cases[i.case_id].anagrafica.residence_comune == i.comune for i in istanze)
    finally:
        ws.close()


def test_a_second_demo_adds_other_people_and_continues_the_protocols(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _vault, ws, _ = created
    for _ in range(2):
        demo.load_demo(ws.uow_factory, actor=ws.actor, n=60, seed=1, comuni=["A010"],
                       avvisi=[AVVISO], now=NOW)  # fmt: skip
    rows = istanze_service.list_istanze(ws.uow_factory(), actor=ws.actor)
    protocols = [r.protocol for r in rows if r.protocol]
    assert len(protocols) == len(set(protocols))
    codes = [r.codice_fiscale for r in rows]
    assert len(codes) == len(set(codes))
    assert len(rows) > 30
