"""Operator roles and what each may see (need to know, standards.md)."""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Role(enum.StrEnum):
    ASSISTENTE_SOCIALE = "assistente_sociale"
    AMMINISTRATIVO = "amministrativo"
    UFFICIO_DI_PIANO = "ufficio_di_piano"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    READ_CASES = "read_cases"
    EDIT_CASES = "edit_cases"
    READ_HEALTH = "read_health"  # scales, evaluations, PI narrative
    MANAGE_OPERATORS = "manage_operators"
    READ_AUDIT = "read_audit"
    BACKUP = "backup"
    RANK = "rank"
    #: send istruttorie to the capofila and import receipts (comune); import them (capofila)
    TRANSMIT = "transmit"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ASSISTENTE_SOCIALE: frozenset(
        {
            Permission.READ_CASES,
            Permission.EDIT_CASES,
            Permission.READ_HEALTH,
            Permission.BACKUP,
            Permission.TRANSMIT,
        }
    ),
    Role.AMMINISTRATIVO: frozenset(
        {Permission.READ_CASES, Permission.EDIT_CASES, Permission.BACKUP}
    ),
    Role.UFFICIO_DI_PIANO: frozenset(
        {
            Permission.READ_CASES,
            Permission.READ_HEALTH,
            Permission.RANK,
            Permission.BACKUP,
            Permission.TRANSMIT,
        }
    ),
    Role.ADMIN: frozenset({Permission.MANAGE_OPERATORS, Permission.READ_AUDIT, Permission.BACKUP}),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= _GRANTS[role]
    return frozenset(granted)


def parse_roles(text: str) -> frozenset[Role]:
    """Parse a comma-separated role list as stored; unknown names raise ValueError."""
    return frozenset(Role(part.strip()) for part in text.split(",") if part.strip())


def format_roles(roles: Iterable[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))
