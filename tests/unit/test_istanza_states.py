"""Istanza states: every state is reachable from bozza, and only allowed moves happen."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import ALLOWED, Istanza, IstanzaState, transition
from caseworker_app.services.demo import path_to

AT = datetime(2024, 1, 15, 10, 30)


def _istanza(state: IstanzaState, protocol: str | None = None) -> Istanza:
    return Istanza(
        IstanzaId("i"), CaseId("c"), "A010", "abbiatense-caregiver-2023", state, protocol, None
    )


@pytest.mark.parametrize("target", list(IstanzaState))
def test_every_state_is_reachable_from_bozza(target: IstanzaState) -> None:
    path = path_to(target)
    assert path[0] is IstanzaState.BOZZA and path[-1] is target
    for a, b in itertools.pairwise(path):
        assert b in ALLOWED[a]


def test_submission_needs_a_protocol_and_records_who_when_why() -> None:
    with pytest.raises(UserFacingError) as err:
        transition(
            _istanza(IstanzaState.BOZZA),
            IstanzaState.PRESENTATA,
            operator="mrossi",
            reason="consegnata allo sportello",
            at=AT,
        )
    assert err.value.code == "istanza.protocol_required"
    moved, change = transition(
        _istanza(IstanzaState.BOZZA, "A010-2024-000001"),
        IstanzaState.PRESENTATA,
        operator="mrossi",
        reason="consegnata allo sportello",
        at=AT,
    )
    assert moved.state is IstanzaState.PRESENTATA and moved.submitted_at == AT
    assert (change.operator, change.at, change.reason) == (
        "mrossi",
        AT,
        "consegnata allo sportello",
    )
    assert change.from_state is IstanzaState.BOZZA


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (IstanzaState.BOZZA, IstanzaState.FINANZIATA),
        (IstanzaState.NON_AMMISSIBILE, IstanzaState.FINANZIATA),
        (IstanzaState.CHIUSA, IstanzaState.BOZZA),
        (IstanzaState.TRASMESSA, IstanzaState.BOZZA),
    ],
)
def test_moves_that_skip_the_procedure_are_refused(
    current: IstanzaState,
    target: IstanzaState,
) -> None:
    with pytest.raises(UserFacingError) as err:
        transition(_istanza(current, "P-1"), target, operator="x", reason="", at=AT)
    assert err.value.code == "istanza.transition_not_allowed"


def test_closed_is_final() -> None:
    assert ALLOWED[IstanzaState.CHIUSA] == frozenset()
