"""Who is working and where: what the windows need to know right after login."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.domain.operator import Actor
from caseworker_app.services.ports import Installation, UnitOfWork


@dataclass(frozen=True)
class OperatorProfile:
    username: str
    full_name: str
    installation: Installation


def load_profile(uow: UnitOfWork, *, actor: Actor) -> OperatorProfile:
    """The installation (role, ambito, comune) and the operator's full name."""
    with uow:
        installation = uow.installation.get()
        operator = uow.operators.get_by_username(actor.username)
    full_name = operator.full_name if operator is not None and operator.full_name else ""
    return OperatorProfile(actor.username, full_name or actor.username, installation)
