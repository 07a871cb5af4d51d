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


def validate_username(username: str) -> None:
    """Usernames are short technical names: letters, digits, dot, dash, underscore."""
    ok = 2 <= len(username) <= 60 and all(c.isalnum() or c in "._-" for c in username)
    if not ok or not username.isascii():
        raise UserFacingError("auth.username_format")
