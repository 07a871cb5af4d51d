"""The changes between two PI versions in Italian ("Cosa è cambiato")."""

from __future__ import annotations

from datetime import date

from caseworker_app.domain.pi import FundingSource
from caseworker_app.domain.pi_diff import Change
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.pi_editor.values import format_money_eur, labels, parse_money, tr

_SECTIONS = {
    "header": "Intestazione", "beneficiary": "Beneficiario", "network": "Rete",
    "evaluation": "Valutazione", "economic": "Situazione economica",
    "services": "Servizi in atto", "objectives": "Obiettivi", "interventions": "Interventi",
    "budget": "Budget", "compatibility": "Compatibilità", "monitoring": "Monitoraggio",
    "signatories": "Firme", "privacy_acknowledged": "Informativa privacy",
    "signed_place": "Luogo della firma", "signed_on": "Data della firma",
}  # fmt: skip
_FIELDS = {
    "drafted_on": "data", "version_kind": "tipo di versione", "dimension": "dimensione",
    "objective": "obiettivo", "indicator": "indicatore", "code": "intervento",
    "description": "descrizione", "provider": "ente", "quantity": "quantità", "start": "dal",
    "end": "al", "monthly": "importo mensile", "total": "totale", "signed": "firma",
    "name": "nome", "place": "luogo", "role": "ruolo", "housing": "situazione abitativa",
    "needs": "bisogni", "risks": "rischi", "summary": "sintesi", "checks": "verifiche",
    "case_manager": "responsabile del caso", "indicators": "indicatori", "outcomes": "esiti",
    "suspending_events": "eventi che sospendono", "note": "note", "value": "valore",
    "target_group": "destinatario", "multidimensional": "multidimensionale",
    "signed_on": "data", "visit_date": "data della visita", "evaluators": "valutatori",
    "network": "rete", "surname": "cognome", "given_name": "nome", "relationship": "relazione",
    "cohabiting": "convivente", "care_hours_week": "ore/settimana", "frequency": "frequenza",
    "funding": "finanziamento", "isee_type": "tipo di ISEE", "dsu_protocol": "protocollo DSU",
    "valid_until": "valida fino al", "ambito": "ambito", "comune": "comune",
}  # fmt: skip
_MONEY = frozenset({"monthly", "total", "value"})
_CODES = {"version_kind": "version_kind", "target_group": "target_group"}


def _value(change: Change, value: object) -> str:
    if value is None or value == "":
        return tr("(vuoto)")
    if isinstance(value, bool):
        return tr("sì") if value else tr("no")
    text = str(value)
    if change.field in _MONEY:
        try:
            return format_money_eur(parse_money(text))
        except ValueError:
            return text
    if change.field in _CODES:
        return labels()[_CODES[change.field]].get(text, text)
    if change.field == "role" and change.section == "signatories":
        return labels()["signatory"].get(text, text)
    if change.field == "source":
        return labels()["funding"].get(text, text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return format_date(date.fromisoformat(text))
        except ValueError:
            return text
    return text if len(text) <= 120 else text[:117] + "…"


def describe(change: Change) -> str:
    """E.g. "Obiettivi, riga 1, indicatore: «ore» → «ore al mese»"."""
    where = tr(_SECTIONS.get(change.section, change.section))
    if change.section == "budget" and change.row is not None:
        sources = list(FundingSource)
        if change.row < len(sources):
            where += ", " + labels()["funding"][sources[change.row].value]
    elif change.row is not None:
        where += ", " + tr("riga %1").replace("%1", str(change.row + 1))
    if len(change.path) > 1:
        where += ", " + tr(_FIELDS.get(change.field, change.field.replace("_", " ")))
    return (
        tr("%1: «%2» → «%3»")
        .replace("%1", where)
        .replace("%2", _value(change, change.old))
        .replace("%3", _value(change, change.new))
    )
