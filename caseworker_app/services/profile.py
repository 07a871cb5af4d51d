"""Who is working and where: what the windows need to know right after login."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.domain.operator import Actor, signature_name
from caseworker_app.ports.storage import Installation, UnitOfWork


@dataclass(frozen=True)
class OperatorProfile:
    username: str
    full_name: str
    installation: Installation
    qualifica: str = ""

    @property
    def signature_name(self) -> str:
        """ "Full Name, qualifica", as the PI and the prints name the operator."""
        return signature_name(self.full_name, self.qualifica, self.username)


def load_profile(uow: UnitOfWork, *, actor: Actor) -> OperatorProfile:
    """The installation (role, ambito, comune) and the operator's full name."""
    with uow:
        installation = uow.installation.get()
        operator = uow.operators.get_by_username(actor.username)
    full_name = operator.full_name if operator is not None and operator.full_name else ""
    qualifica = operator.qualifica if operator is not None else ""
    return OperatorProfile(actor.username, full_name or actor.username, installation, qualifica)
