"""Operators (accounts of the people using this installation) and the acting operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import OperatorId
from caseworker_app.domain.roles import Permission, Role, permissions_of


@dataclass(frozen=True)
class Operator:
    id: OperatorId
    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool
    created_at: datetime
    #: what the operator is by profession ("assistente sociale", "amministrativo"…), "" if unset
    qualifica: str = ""

    @property
    def signature_name(self) -> str:
        """How the operator is named on the PI, its signatures and the prints."""
        return signature_name(self.full_name, self.qualifica, self.username)


@dataclass(frozen=True)
class Actor:
    """Who is doing something now: every use case receives one and checks its permissions."""

    username: str
    roles: frozenset[Role]

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise UserFacingError("auth.not_allowed", permission=permission.value)


SYSTEM = Actor(username="sistema", roles=frozenset({Role.ADMIN}))


#: the qualifiche offered in the setup wizard and in Operatori (another one may be typed)
QUALIFICHE: tuple[str, ...] = (
    "assistente sociale",
    "amministrativo",
    "responsabile del servizio",
    "educatore",
)
QUALIFICA_MAX = 60


def first_operator_roles(installation_role: str) -> frozenset[Role]:
    """The roles of the operator who creates the store: administrator and the installation's."""
    if installation_role == "capofila":
        return frozenset({Role.ADMIN, Role.UFFICIO_DI_PIANO})
    return frozenset({Role.ADMIN, Role.ASSISTENTE_SOCIALE})


def default_qualifica(roles: frozenset[Role]) -> str:
    """The qualifica proposed for an operator with these roles ("" when none fits)."""
    if Role.ASSISTENTE_SOCIALE in roles:
        return "assistente sociale"
    if Role.AMMINISTRATIVO in roles:
        return "amministrativo"
    if Role.UFFICIO_DI_PIANO in roles:
        return "responsabile del servizio"
    return ""


def clean_qualifica(qualifica: str) -> str:
    """The qualifica as stored: trimmed, single spaces; too long a one is refused."""
    cleaned = " ".join(qualifica.split())
    if len(cleaned) > QUALIFICA_MAX:
        raise UserFacingError("auth.qualifica_too_long", max=str(QUALIFICA_MAX))
    return cleaned


def signature_name(full_name: str, qualifica: str, username: str = "") -> str:
    """ "Full Name, qualifica"; the full name alone without a qualifica; the username last."""
    name = full_name.strip() or username.strip()
    qualifica = qualifica.strip()
    return f"{name}, {qualifica}" if name and qualifica else name


def validate_username(username: str) -> None:
    """Usernames are short technical names: letters, digits, dot, dash, underscore."""
    ok = 2 <= len(username) <= 60 and all(c.isalnum() or c in "._-" for c in username)
    if not ok or not username.isascii():
        raise UserFacingError("auth.username_format")
