"""The fields of the anagrafica form: where each sits (group, row, column, span) and its
caption, the group titles, the fields' titles out of their group, which fields are narrow, take a
comune or may ask for a confirmation, and which findings wait until the field is left."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# (field, label, group, row, column, span) in tab order; a group's grid has two field columns.
LAYOUT: tuple[tuple[str, str, str, int, int, int], ...] = (
    (
        "codice_fiscale",
        str(QT_TRANSLATE_NOOP("AnagraficaForm", "Codice fiscale")),
        "person",
        0,
        0,
        1,
    ),
    (
        "citizenship",
        str(QT_TRANSLATE_NOOP("AnagraficaForm", "Cittadinanza")),
        "person",
        0,
        1,
        1,
    ),
    ("surname", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Cognome")), "person", 1, 0, 1),
    ("given_name", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Nome")), "person", 1, 1, 1),
    ("birth_date", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Data di nascita")), "person", 2, 0, 1),
    ("sex", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Sesso")), "person", 2, 1, 1),
    (
        "birth_place_code",
        str(QT_TRANSLATE_NOOP("AnagraficaForm", "Luogo di nascita")),
        "person",
        3,
        0,
        1,
    ),
    (
        "residence_address",
        str(QT_TRANSLATE_NOOP("AnagraficaForm", "Indirizzo")),
        "residence",
        0,
        0,
        3,
    ),
    ("residence_comune", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Comune")), "residence", 1, 0, 1),
    ("residence_cap", str(QT_TRANSLATE_NOOP("AnagraficaForm", "CAP")), "residence", 1, 1, 1),
    (
        "domicile_address",
        str(QT_TRANSLATE_NOOP("AnagraficaForm", "Indirizzo")),
        "domicile",
        0,
        0,
        3,
    ),
    ("domicile_comune", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Comune")), "domicile", 1, 0, 1),
    ("domicile_cap", str(QT_TRANSLATE_NOOP("AnagraficaForm", "CAP")), "domicile", 1, 1, 1),
    ("phone", str(QT_TRANSLATE_NOOP("AnagraficaForm", "Telefono")), "contacts", 0, 0, 1),
    ("email", str(QT_TRANSLATE_NOOP("AnagraficaForm", "E-mail")), "contacts", 0, 1, 1),
)
# Findings that only mean "not finished yet" wait until the operator leaves the field.
WAIT_WHILE_TYPING = frozenset(
    {
        "required",
        "cf.length",
        "ui.date_format",
        "ui.comune_not_chosen",
        "cap.format",
        "email.format",
        "phone.format",
        "citizenship.format",
        "ui.citizenship_not_chosen",
    }
)
NARROW = {
    "citizenship": 240,
    "residence_cap": 90,
    "domicile_cap": 90,
    "birth_date": 130,
    "sex": 160,
}
GROUPS = {
    "person": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Dati anagrafici")),
    "residence": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Residenza")),
    "domicile": str(
        QT_TRANSLATE_NOOP("AnagraficaForm", "Domicilio (solo se diverso dalla residenza)")
    ),
    "contacts": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Recapiti")),
}
COMUNE_FIELDS = ("birth_place_code", "residence_comune", "domicile_comune")
# Where a field's label alone is ambiguous out of its group ("Comune"), e.g. in "Mancano...".
TITLES = {
    "residence_address": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Indirizzo di residenza")),
    "residence_comune": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Comune di residenza")),
    "residence_cap": str(QT_TRANSLATE_NOOP("AnagraficaForm", "CAP di residenza")),
    "domicile_address": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Indirizzo di domicilio")),
    "domicile_comune": str(QT_TRANSLATE_NOOP("AnagraficaForm", "Comune di domicilio")),
    "domicile_cap": str(QT_TRANSLATE_NOOP("AnagraficaForm", "CAP di domicilio")),
}
# Fields whose warnings may ask the operator to confirm the typed value (a checkbox below).
CONFIRMABLE_FIELDS = ("birth_date", "sex", "birth_place_code")
FIELD_NAMES = tuple(entry[0] for entry in LAYOUT)


def title_of(field: str) -> str:
    """The field's name out of its group ("Comune di residenza"), translated."""
    for name, label, *_rest in LAYOUT:
        if name == field:
            return QCoreApplication.translate("AnagraficaForm", TITLES.get(field, label))
    return field
