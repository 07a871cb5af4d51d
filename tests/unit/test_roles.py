"""Need to know: who may see what."""

from __future__ import annotations

import pytest

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor, validate_username
from caseworker_app.domain.roles import Permission, Role, format_roles, parse_roles


def test_amministrativo_does_not_see_health_data() -> None:
    clerk = Actor("impiegato", frozenset({Role.AMMINISTRATIVO}))
    assert clerk.can(Permission.READ_CASES)
    assert not clerk.can(Permission.READ_HEALTH)
    with pytest.raises(UserFacingError):
        clerk.require(Permission.READ_HEALTH)


def test_first_operator_of_a_comune_is_admin_and_social_worker() -> None:
    first = Actor("mrossi", frozenset({Role.ADMIN, Role.ASSISTENTE_SOCIALE}))
    assert first.can(Permission.READ_HEALTH) and first.can(Permission.READ_AUDIT)


def test_roles_round_trip_as_stored() -> None:
    roles = frozenset({Role.ADMIN, Role.UFFICIO_DI_PIANO})
    assert parse_roles(format_roles(roles)) == roles


@pytest.mark.parametrize("name", ["m.rossi", "anna_b", "op-1"])
def test_plain_usernames_are_accepted(name: str) -> None:
    validate_username(name)


@pytest.mark.parametrize("name", ["", "x", "nicolò", "con spazio", "a" * 61])
def test_unusual_usernames_are_refused(name: str) -> None:
    with pytest.raises(UserFacingError):
        validate_username(name)
