"""Home-visit assessment sheets on a real encrypted store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.messages import render
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import assessments, audit_log, cases

NOW = datetime(2026, 11, 22, 15, 0)
VISIT = date(2026, 11, 22)
KATZ_C = {"lavarsi": 3, "vestirsi": 1, "uso_servizi": 1, "trasferimenti": 1, "continenza": 3,
          "alimentazione": 1}  # fmt: skip


def _case(ws: OpenStore, born: date, sex: Sex = Sex.F) -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Valutata", given_name="Ada", sex=sex, birth_date=born,
                              residence_comune="A010"),
        now=NOW,
    )  # fmt: skip
    return case_id


def test_social_worker_scores_adl_at_home_with_drafts_saved_on_the_way(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws, date(1938, 4, 1))
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", visit_date=VISIT,
        place="domicilio", evaluators=("Maria Rossi",), now=NOW,
    )  # fmt: skip
    draft = assessments.save_answers(
        ws.uow_factory(),
        actor=ws.actor,
        sheet_id=sheet.id,
        answers={"lavarsi": 3, "vestirsi": 1},
        now=NOW,
    )
    assert not draft.result.complete and draft.sheet.status is SheetStatus.BOZZA
    with pytest.raises(UserFacingError) as err:
        assessments.complete_assessment(
            ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW
        )
    assert err.value.code == "assessment.incomplete"
    ws.close()  # the laptop is closed between two answers: nothing is lost
    ws = vault.unlock("mrossi", "una-password-lunga")
    [reopened] = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert dict(reopened.sheet.answers) == {"lavarsi": 3, "vestirsi": 1}
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=KATZ_C, now=NOW
    )
    done = assessments.complete_assessment(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW
    )
    assert (done.result.lost, done.result.katz_class) == (2, "C")
    assert done.sheet.version == "2"  # new sheets use the newest Katz (corrected "lavarsi")
    assert done.sheet.place == "domicilio"
    with pytest.raises(UserFacingError) as err:
        assessments.save_answers(
            ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers={}, now=NOW
        )
    assert err.value.code == "assessment.completed"
    ws.close()


def test_iadl_is_not_offered_for_a_minor(created: tuple[Vault, OpenStore, str]) -> None:
    _, ws, _ = created
    child = _case(ws, date(2015, 6, 1))
    with pytest.raises(UserFacingError) as err:
        assessments.start_assessment(
            ws.uow_factory(),
            actor=ws.actor,
            case_id=child,
            scale="iadl-lawton",
            visit_date=VISIT,
            now=NOW,
        )
    assert err.value.code == "assessment.not_for_minors"
    assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=child, scale="adl-katz", visit_date=VISIT, now=NOW
    )


def test_administrative_staff_cannot_see_or_write_assessments(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, admin, _ = created
    case_id = _case(admin, date(1940, 1, 1))
    admin.add_operator(
        username="impiegata",
        full_name="Carla",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-impiegata",
    )
    clerk = vault.unlock("impiegata", "password-impiegata")
    for call in (
        lambda: assessments.start_assessment(
            clerk.uow_factory(),
            actor=clerk.actor,
            case_id=case_id,
            scale="adl-katz",
            visit_date=VISIT,
            now=NOW,
        ),
        lambda: assessments.assessment_history(
            clerk.uow_factory(), actor=clerk.actor, case_id=case_id, now=NOW
        ),
    ):
        with pytest.raises(UserFacingError) as err:
            call()
        assert err.value.code == "auth.not_allowed"
    clerk.close()


def test_a_sheet_is_always_scored_with_the_version_it_was_answered_with(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws, date(1941, 2, 2))
    # version 2 of IADL (Italian protocol): option 4 of governo_casa scores 0, not 1
    sheet = assessments.start_assessment(
        ws.uow_factory(),
        actor=ws.actor,
        case_id=case_id,
        scale="iadl-lawton",
        visit_date=VISIT,
        now=NOW,
    )
    answers = {"telefono": 1, "spesa": 1, "cucina": 1, "governo_casa": 4, "biancheria": 1,
               "trasporti": 1, "farmaci": 1, "denaro": 1}  # fmt: skip
    v1 = assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=answers, now=NOW
    )
    assert (v1.sheet.version, v1.result.conserved) == ("1", 8)
    [again] = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert (again.sheet.version, again.result.conserved) == ("1", 8)


def test_unknown_items_and_options_are_refused_without_losing_the_draft(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws, date(1939, 3, 3))
    sheet = assessments.start_assessment(
        ws.uow_factory(),
        actor=ws.actor,
        case_id=case_id,
        scale="barthel",
        visit_date=VISIT,
        now=NOW,
    )
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers={"alimentazione": 3}, now=NOW
    )
    with pytest.raises(UserFacingError):
        assessments.save_answers(
            ws.uow_factory(),
            actor=ws.actor,
            sheet_id=sheet.id,
            answers={"alimentazione": 9},
            now=NOW,
        )
    [kept] = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert dict(kept.sheet.answers) == {"alimentazione": 3}


def test_an_iadl_sheet_with_no_item_scored_cannot_be_closed(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws, date(1940, 5, 5), sex=Sex.M)
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="iadl-lawton", visit_date=VISIT,
        now=NOW,
    )  # fmt: skip
    items = ("telefono", "spesa", "cucina", "governo_casa", "biancheria", "trasporti",
             "farmaci", "denaro")  # fmt: skip
    draft = assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=dict.fromkeys(items), now=NOW
    )
    assert (draft.result.complete, draft.result.applicable) == (False, 0)
    with pytest.raises(UserFacingError) as err:
        assessments.complete_assessment(
            ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW
        )
    assert err.value.code == "assessment.nothing_scored"
    text = render(err.value.code, err.value.params)
    assert "IADL" in text and "non applicabile" in text and "almeno una voce" in text
    ws.close()
    ws = vault.unlock("mrossi", "una-password-lunga")
    [kept] = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert kept.sheet.status is SheetStatus.BOZZA  # still a draft, still editable
    one = dict.fromkeys(items) | {"telefono": 1}
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=one, now=NOW
    )
    done = assessments.complete_assessment(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW
    )
    assert (done.result.complete, done.result.conserved, done.result.max) == (True, 1, 1)
    ws.close()


def test_the_place_of_the_visit_is_kept_and_a_too_long_one_is_refused(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws, date(1940, 5, 5))
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="barthel", visit_date=VISIT,
        place="  Rosate,\n domicilio  ", now=NOW,
    )  # fmt: skip
    assert sheet.place == "Rosate, domicilio"
    with pytest.raises(UserFacingError) as err:
        assessments.start_assessment(
            ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="barthel",
            visit_date=VISIT, place="x" * 201, now=NOW,
        )  # fmt: skip
    assert err.value.code == "assessment.place_too_long"
    assert render(err.value.code, err.value.params).startswith("Luogo della visita: al massimo 200")
    ws.close()
    ws = vault.unlock("mrossi", "una-password-lunga")
    [kept] = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert kept.sheet.place == "Rosate, domicilio"
    ws.close()


def _events(ws: OpenStore, sheet_id: str) -> list[str]:
    events = audit_log.list_audit(
        ws.uow_factory(), actor=ws.actor, flt=AuditFilter(entity_type="assessment")
    )
    return [e.action for e in sorted(events, key=lambda e: e.seq) if e.entity_id == sheet_id]


def test_a_draft_is_found_resumed_and_discarded_with_an_audit_trail(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws, date(1938, 4, 1))
    assert (
        assessments.draft_of_scale(
            ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", now=NOW
        )
        is None
    )
    older = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz",
        visit_date=date(2026, 10, 1), now=NOW,
    )  # fmt: skip
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", visit_date=VISIT,
        now=NOW,
    )  # fmt: skip
    assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="barthel", visit_date=VISIT,
        now=NOW,
    )  # fmt: skip
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers={"lavarsi": 3}, now=NOW
    )
    found = assessments.draft_of_scale(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", now=NOW
    )
    assert found is not None and found.id == sheet.id  # the newest draft of that scale
    ws.close()  # the laptop is closed: the draft is resumed another day
    ws = vault.unlock("mrossi", "una-password-lunga")
    resumed = assessments.open_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    assert dict(resumed.sheet.answers) == {"lavarsi": 3}
    assert (resumed.result.answered, resumed.result.complete) == (1, False)

    assessments.discard_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    left = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert sheet.id not in [s.sheet.id for s in left] and len(left) == 2
    again = assessments.draft_of_scale(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", now=NOW
    )
    assert again is not None and again.id == older.id
    assert _events(ws, sheet.id) == ["create", "update", "read", "delete"]
    with pytest.raises(UserFacingError) as err:
        assessments.open_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    assert err.value.code == "assessment.not_found"
    with pytest.raises(UserFacingError) as err:
        assessments.discard_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    assert err.value.code == "assessment.not_found"
    ws.close()


def test_a_closed_sheet_is_frozen_it_is_neither_resumed_nor_discarded(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws, date(1938, 4, 1))
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", visit_date=VISIT,
        now=NOW,
    )  # fmt: skip
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=KATZ_C, now=NOW
    )
    assessments.complete_assessment(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    with pytest.raises(UserFacingError) as err:
        assessments.discard_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    assert err.value.code == "assessment.completed_not_discarded"
    text = render(err.value.code, err.value.params)
    assert "chiusa" in text and "solo le bozze" in text
    with pytest.raises(UserFacingError) as err:
        assessments.open_draft(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)
    assert err.value.code == "assessment.completed"
    assert (
        assessments.draft_of_scale(
            ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", now=NOW
        )
        is None
    )
    [kept] = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert kept.sheet.status is SheetStatus.COMPLETA and dict(kept.sheet.answers) == KATZ_C
    assert "delete" not in _events(ws, sheet.id)


def test_administrative_staff_cannot_resume_or_discard_a_draft(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, admin, _ = created
    case_id = _case(admin, date(1940, 1, 1))
    sheet = assessments.start_assessment(
        admin.uow_factory(), actor=admin.actor, case_id=case_id, scale="adl-katz",
        visit_date=VISIT, now=NOW,
    )  # fmt: skip
    admin.add_operator(
        username="impiegata",
        full_name="Carla",
        roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-impiegata",
    )
    clerk = vault.unlock("impiegata", "password-impiegata")
    for call in (
        lambda: assessments.open_draft(
            clerk.uow_factory(), actor=clerk.actor, sheet_id=sheet.id, now=NOW
        ),
        lambda: assessments.discard_draft(
            clerk.uow_factory(), actor=clerk.actor, sheet_id=sheet.id, now=NOW
        ),
        lambda: assessments.draft_of_scale(
            clerk.uow_factory(), actor=clerk.actor, case_id=case_id, scale="adl-katz", now=NOW
        ),
    ):
        with pytest.raises(UserFacingError) as err:
            call()
        assert err.value.code == "auth.not_allowed"
    clerk.close()
    [kept] = assessments.assessment_history(
        admin.uow_factory(), actor=admin.actor, case_id=case_id, now=NOW
    )
    assert kept.sheet.id == sheet.id
