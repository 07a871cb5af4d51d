"""Presenting an istanza: the comune's local protocol sequence, per year, in one transaction."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases, istanze

from .conftest import PASSWORD, USERNAME

NOW = datetime(2024, 1, 15, 10, 30)
AVVISO = "abbiatense-caregiver-2023"


def _case(ws: OpenStore, comune: str = "A010") -> CaseId:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune=comune,
        anagrafica=Anagrafica(surname="Richiedente", given_name="Ugo", sex=Sex.M,
                              birth_date=date(1940, 1, 1), residence_comune=comune),
        now=NOW,
    )  # fmt: skip
    return case_id


def _submit(ws: OpenStore, case_id: CaseId, when: datetime = NOW) -> str:
    draft = istanze.create_istanza(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, avviso=AVVISO, now=when
    )
    done = istanze.submit_istanza(
        ws.uow_factory(), actor=ws.actor, istanza_id=draft.id, submitted_at=when, now=when
    )
    assert done.state is IstanzaState.PRESENTATA and done.submitted_at == when
    assert done.protocol is not None
    return done.protocol


def test_protocols_follow_the_comune_sequence_of_the_year(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    abbiategrasso, albairate = _case(ws, "A010"), _case(ws, "A127")
    assert _submit(ws, abbiategrasso) == "A010-2024-000001"
    assert _submit(ws, abbiategrasso) == "A010-2024-000002"
    assert _submit(ws, albairate) == "A127-2024-000001"
    assert _submit(ws, abbiategrasso, datetime(2025, 1, 2, 9, 0)) == "A010-2025-000001"


def test_submission_is_recorded_with_who_when_why(created: tuple[Vault, OpenStore, str]) -> None:
    _, ws, _ = created
    draft = istanze.create_istanza(
        ws.uow_factory(), actor=ws.actor, case_id=_case(ws), avviso=AVVISO, now=NOW
    )
    istanze.submit_istanza(
        ws.uow_factory(),
        actor=ws.actor,
        istanza_id=draft.id,
        submitted_at=NOW,
        reason="consegnata allo sportello",
        now=NOW,
    )
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT from_state, to_state, operator, reason FROM istanza_transitions "
            "WHERE istanza_id = ? ORDER BY num",
            (draft.id,),
        ).all()
    assert [tuple(r) for r in rows] == [
        (None, "bozza", USERNAME, ""),
        ("bozza", "presentata", USERNAME, "consegnata allo sportello"),
    ]
    with pytest.raises(UserFacingError) as err:  # a second submission would skip a number
        istanze.submit_istanza(
            ws.uow_factory(), actor=ws.actor, istanza_id=draft.id, submitted_at=NOW, now=NOW
        )
    assert err.value.code == "istanza.transition_not_allowed"


def test_the_protocol_format_is_a_setting(created: tuple[Vault, OpenStore, str]) -> None:
    _, ws, _ = created
    istanze.set_protocol_format(
        ws.uow_factory(), actor=ws.actor, template="ABB/{anno}/{numero:04d}", now=NOW
    )
    assert _submit(ws, _case(ws)) == "ABB/2024/0001"
    for bad in ("{comune}-{anno}", "{nome}-{numero}", "{numero:zz}", "{numero"):
        with pytest.raises(UserFacingError) as err:
            istanze.set_protocol_format(ws.uow_factory(), actor=ws.actor, template=bad, now=NOW)
        assert err.value.code == "istanza.protocol_format_invalid"
    assert istanze.protocol_format(ws.uow_factory()) == "ABB/{anno}/{numero:04d}"


def test_two_operators_submitting_at_once_never_share_a_number(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    other = vault.unlock(USERNAME, PASSWORD)  # a second window on the same store
    case_id = _case(ws)
    got: list[str] = []
    lock = threading.Lock()

    def submit_many(workspace: OpenStore) -> None:
        for _ in range(10):
            protocol = _submit(workspace, case_id)
            with lock:
                got.append(protocol)

    threads = [threading.Thread(target=submit_many, args=(w,)) for w in (ws, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert sorted(got) == [f"A010-2024-{n:06d}" for n in range(1, 21)]


def test_submissions_after_demo_data_continue_its_numbering(
    created: tuple[Vault, OpenStore, str],
) -> None:
    from caseworker_app.services import demo

    _, ws, _ = created
    demo.load_demo(
        ws.uow_factory,
        actor=ws.actor,
        n=300,
        seed=3,
        comuni=["A010"],
        avvisi=[AVVISO],
        now=datetime(2024, 3, 1, 9, 0),
    )
    used = {r.protocol for r in istanze.list_istanze(ws.uow_factory(), actor=ws.actor)}
    new = _submit(ws, _case(ws), datetime(2024, 3, 1, 10, 0))
    assert new not in used


def test_a_format_without_the_year_continues_the_numbers_of_last_year(
    created: tuple[Vault, OpenStore, str],
) -> None:
    """Issue 10, point 9: the per-year counter restarted at 1 and the second year's first
    submission hit the unique protocol constraint ("errore imprevisto (IntegrityError)")."""
    _, ws, _ = created
    istanze.set_protocol_format(
        ws.uow_factory(), actor=ws.actor, template="{comune}-{numero}", now=NOW
    )
    case_id = _case(ws)
    first = [_submit(ws, case_id), _submit(ws, case_id)]
    next_year = _submit(ws, case_id, datetime(2025, 1, 2, 9, 0))
    assert first == ["A010-1", "A010-2"]
    assert next_year not in first and next_year.startswith("A010-")


def test_protocols_already_taken_are_skipped_when_the_counter_is_behind(
    created: tuple[Vault, OpenStore, str],
) -> None:
    """A store whose istanze were numbered before the counter existed (or whose counter row is
    behind): the next submission takes the next free number instead of failing."""
    _, ws, _ = created
    case_id = _case(ws)
    taken = [_submit(ws, case_id) for _ in range(3)]
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM protocol_counters")
    assert _submit(ws, case_id) == "A010-2024-000004"
    assert taken == ["A010-2024-000001", "A010-2024-000002", "A010-2024-000003"]
