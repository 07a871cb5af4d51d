"""Italian wording shared by several windows (light: imported before the first window)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from caseworker_app.domain.roles import Role


def keystore_description(kind: str) -> str:
    """Where the wrapped keys are kept, as a noun phrase: "portachiavi di sistema"."""
    if kind == "keyring":
        return QCoreApplication.translate("Keystore", "portachiavi di sistema")
    return QCoreApplication.translate("Keystore", "file delle chiavi accanto all'archivio")


# Roles in the order they are listed; the domain keeps the technical names.
_ROLE_NAMES: dict[Role, str] = {
    Role.ASSISTENTE_SOCIALE: str(QT_TRANSLATE_NOOP("Role", "Assistente sociale")),
    Role.AMMINISTRATIVO: str(QT_TRANSLATE_NOOP("Role", "Amministrativo")),
    Role.UFFICIO_DI_PIANO: str(QT_TRANSLATE_NOOP("Role", "Ufficio di Piano")),
    Role.ADMIN: str(QT_TRANSLATE_NOOP("Role", "Amministratore")),
}
# One line each: they are shown under the role check boxes.
_ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ASSISTENTE_SOCIALE: str(
        QT_TRANSLATE_NOOP(
            "Role", "Cartelle complete: anagrafica, istanze, scale, valutazioni, progetto."
        )
    ),
    Role.AMMINISTRATIVO: str(
        QT_TRANSLATE_NOOP(
            "Role", "Anagrafica, ISEE, IBAN, stato e documenti; non scale, valutazioni, progetto."
        )
    ),
    Role.UFFICIO_DI_PIANO: str(
        QT_TRANSLATE_NOOP(
            "Role", "Consulta le istruttorie e forma la graduatoria; non modifica le cartelle."
        )
    ),
    Role.ADMIN: str(
        QT_TRANSLATE_NOOP(
            "Role", "Gestisce operatori e registro attività; da solo non apre le cartelle."
        )
    ),
}
ROLES_IN_ORDER: tuple[Role, ...] = tuple(_ROLE_NAMES)


def role_name(role: Role) -> str:
    return QCoreApplication.translate("Role", _ROLE_NAMES[role])


def role_description(role: Role) -> str:
    return QCoreApplication.translate("Role", _ROLE_DESCRIPTIONS[role])


def roles_text(roles: frozenset[Role]) -> str:
    """ "Assistente sociale, Amministratore", in the usual order."""
    return ", ".join(role_name(role) for role in ROLES_IN_ORDER if role in roles)
