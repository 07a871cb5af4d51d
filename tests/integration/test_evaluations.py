"""The social evaluation narrative of the home visit on a real encrypted store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import cases, evaluations

NOW = datetime(2026, 11, 22, 15, 0)


def _case(ws: OpenStore) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Valutata", given_name="Ada", sex=Sex.F,
                              birth_date=date(1938, 4, 1), residence_comune="A010"),
        now=NOW,
    )  # fmt: skip
    return case_id


def test_social_worker_writes_the_evaluation_as_a_draft_and_edits_it(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _vault, ws, _ = created
    case_id = _case(ws)
    assert (
        evaluations.latest_evaluation(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
        is None
    )
    first = evaluations.save_evaluation(
        ws.uow_factory(), actor=ws.actor, case_id=case_id,
        evaluation=SocialEvaluation(visit_date=date(2026, 11, 20), place="domicilio",
                                    housing="Appartamento al secondo piano senza ascensore"),
        now=NOW,
    )  # fmt: skip
    edited = SocialEvaluation(
        visit_date=date(2026, 11, 20), place="domicilio",
        housing="Appartamento al secondo piano senza ascensore",
        network="Figlia convivente, caregiver 40 ore settimanali", needs="Igiene personale",
        risks="Cadute", summary="Serve un sostegno domiciliare", multidimensional=True,
        asst_evaluators=(" Anna Bianchi ", "", "Marco Verdi"),
    )  # fmt: skip
    second = evaluations.save_evaluation(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, evaluation=edited,
        record_id=first.record_id, now=NOW,
    )  # fmt: skip
    assert second.record_id == first.record_id
    latest = evaluations.latest_evaluation(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert latest is not None
    assert latest.evaluation.asst_evaluators == ("Anna Bianchi", "Marco Verdi")
    assert latest.evaluation.multidimensional and latest.evaluation.risks == "Cadute"
    assert latest.updated_by == ws.actor.username
    # a later visit becomes the latest
    evaluations.save_evaluation(
        ws.uow_factory(), actor=ws.actor, case_id=case_id,
        evaluation=SocialEvaluation(visit_date=date(2027, 3, 1), summary="Rivalutazione"),
        now=NOW,
    )  # fmt: skip
    latest = evaluations.latest_evaluation(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert latest is not None and latest.evaluation.summary == "Rivalutazione"
    every = evaluations.evaluations_of_case(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert len(every) == 2
    with ws.uow_factory() as uow:
        events = uow.audit.find(AuditFilter(entity_type="evaluation"))
    actions = {e.action for e in events}
    assert {AuditAction.CREATE, AuditAction.UPDATE, AuditAction.READ} <= actions


def test_an_evaluation_of_another_case_is_not_overwritten(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _vault, ws, _ = created
    one, other = _case(ws), _case(ws)
    saved = evaluations.save_evaluation(
        ws.uow_factory(), actor=ws.actor, case_id=one, evaluation=SocialEvaluation(), now=NOW
    )
    with pytest.raises(UserFacingError) as err:
        evaluations.save_evaluation(
            ws.uow_factory(), actor=ws.actor, case_id=other, evaluation=SocialEvaluation(),
            record_id=saved.record_id, now=NOW,
        )  # fmt: skip
    assert err.value.code == "evaluation.not_found"


def test_amministrativo_neither_reads_nor_writes_the_evaluation(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws)
    ws.add_operator(
        username="impiegata", full_name="Carla", roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-impiegata",
    )  # fmt: skip
    clerk = vault.unlock("impiegata", "password-impiegata")
    try:
        with pytest.raises(UserFacingError) as err:
            evaluations.latest_evaluation(
                clerk.uow_factory(), actor=clerk.actor, case_id=case_id, now=NOW
            )
        assert err.value.code == "auth.not_allowed"
        with pytest.raises(UserFacingError):
            evaluations.save_evaluation(
                clerk.uow_factory(), actor=clerk.actor, case_id=case_id,
                evaluation=SocialEvaluation(summary="x"), now=NOW,
            )  # fmt: skip
    finally:
        clerk.close()
