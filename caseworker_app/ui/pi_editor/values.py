"""Italian text for PI values: amounts 1.234,56 €, dates gg/mm/aaaa, and labels of codes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from caseworker_app.domain import values
from caseworker_app.domain.rules.money import format_eur
from caseworker_app.ui.formats import format_date, parse_date

CONTEXT = "PiEditorView"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def format_money(value: Decimal | None) -> str:
    """1.234,56 (without the euro sign: the column header says €)."""
    return "" if value is None else format_eur(value).removesuffix(" €")


def format_money_eur(value: Decimal | None) -> str:
    return "" if value is None else format_eur(value)


def parse_money(text: str) -> Decimal | None:
    """Read 1.234,56 / 1234,5 / 1234.56 / "1.234,56 €" (the domain's one parser,
    ``values.parse_amount``); empty gives None, anything else ``UnreadableValueError``."""
    return values.parse_amount(text)


def parse_day(text: str) -> date | None:
    """A date as typed (``values.parse_day``); ``UnreadableValueError`` when it is not one."""
    return parse_date(text)


def show_day(day: date | None) -> str:
    return format_date(day)


def labels() -> dict[str, dict[str, str]]:
    """Italian labels of the codes stored in the PI, per kind."""
    return {
        "version_kind": {"prima_stesura": tr("prima stesura"),
                         "aggiornamento": tr("aggiornamento"),
                         "rivalutazione": tr("rivalutazione")},
        "target_group": {"anziano": tr("anziano"), "adulto": tr("adulto"),
                         "minore": tr("minore")},
        "network_role": {"caregiver": tr("caregiver familiare"), "familiare": tr("familiare"),
                         "assistente_familiare": tr("assistente familiare"),
                         "rappresentante_legale": tr("rappresentante legale")},
        "funding": {"fna": tr("FNA"), "comune": tr("Comune"), "asst_fsr": tr("ASST / FSR"),
                    "famiglia": tr("Famiglia"), "altre_misure": tr("Altre misure")},
        "signatory": {"beneficiario": tr("Beneficiario"),
                      "rappresentante_legale": tr("Rappresentante legale"),
                      "familiare": tr("Familiare"), "case_manager": tr("Responsabile del caso"),
                      "asst": tr("Rappresentante ASST")},
        "certification": {"l104_art3_c3": tr("L. 104/1992 art. 3 c. 3"),
                          "invalidita_civile": tr("Invalidità civile"),
                          "indennita_accompagnamento": tr("Indennità di accompagnamento"),
                          "indennita_frequenza": tr("Indennità di frequenza")},
        "scale": {"adl-katz": tr("ADL (Katz)"), "iadl-lawton": tr("IADL (Lawton)"),
                  "barthel": tr("Barthel")},
    }  # fmt: skip
