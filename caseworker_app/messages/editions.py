"""Messages of the avviso editions the capofila writes ("Nuova edizione da…") and of the
definitions held in a store (released editions, the files of the ambito packages).

Avvisi are named by their id and version: no personal data.
"""

from __future__ import annotations

#: the fields of an edition, as the form names them (``definitions/avviso_edition.py``); a
#: field with a parameter is ``<name>:<value>`` (``budget:graduatoria``)
_FIELD_LABELS: dict[str, str] = {
    "id": "Identificativo",
    "version": "Versione",
    "title": "Titolo",
    "legal_basis": "Atti di riferimento",
    "ambito": "Ambito",
    "allocation": "Modalità di assegnazione",
    "submission.opens": "Presentazione: dal",
    "submission.closes": "Presentazione: entro il",
    "isee.deadline": "Termine per l'attestazione ISEE",
    "transmission_until": "Trasmissione al capofila entro il",
    "window.start": "Periodo degli interventi: dal",
    "window.end": "Periodo degli interventi: al",
    "window.policy": "Interventi fuori periodo",
    "total_cap": "Massimo per istanza",
    "documents": "Documenti richiesti",
    "incompatible": "Misure incompatibili",
    "budget": "Budget della graduatoria «{0}»",
    "isee_max": "Soglia ISEE ({0})",
    "amount": "Importo massimo dell'intervento «{0}»",
    "max_days": "Giorni massimi dell'intervento «{0}»",
    "classes": "Classi di priorità della graduatoria «{0}»",
    "order": "Criteri di ordinamento della graduatoria «{0}»",
}
_AGE_GROUPS = {"adult": "maggiorenni", "minor": "minorenni", "any": "tutte le età"}


def field_label(field: str) -> str:
    """The Italian name of an edition's field (the id itself when unknown)."""
    name, _, value = field.partition(":")
    label = _FIELD_LABELS.get(name)
    if label is None:
        return field
    if name == "isee_max":
        value = _AGE_GROUPS.get(value, value)
    return label.replace("{0}", value)


MESSAGES: dict[str, str] = {
    "editions.field_invalid": "«{field}»: {what}.",
    "editions.file_invalid": "La nuova edizione non si legge come definizione (chiave "
    "«{key}»): {what}.",
    "editions.not_capofila": "Le nuove edizioni degli avvisi si scrivono nell'installazione del "
    "comune capofila (Ufficio di Piano): questo archivio è di un comune, che riceve gli avvisi "
    "nel pacchetto d'ambito.",
    "editions.exists": "L'avviso {avviso} versione {version} esiste già: scegli un altro "
    "identificativo o la versione successiva.",
    "editions.not_found": "Non c'è nessuna edizione «{edition}» nell'archivio.",
    "editions.released": "L'edizione {avviso} versione {version} è già stata rilasciata e non "
    "si può più cambiare né eliminare: per cambiarla scrivi una nuova edizione da questa.",
    "editions.incomplete": "L'edizione {avviso} versione {version} è ancora un modello da "
    "completare («{field}»: {what}): completala prima di rilasciarla.",
    "editions.other_ambito": "L'avviso {avviso} è dell'ambito «{found}»: il capofila scrive "
    "solo gli avvisi del suo ambito ({ambito}).",
    "editions.source_unknown": "L'avviso di partenza {avviso} versione {version} non è tra le "
    "definizioni in vigore.",
    "definitions.held_altered": "La definizione {file} conservata nell'archivio non corrisponde "
    "all'impronta (SHA-256) registrata al rilascio: non viene usata. Ripristina l'archivio "
    "dall'ultimo backup o chiedi al capofila un nuovo pacchetto d'ambito.",
    "definitions.held_conflict": "La definizione {file} conservata nell'archivio è diversa dal "
    "file con lo stesso nome distribuito con il programma: una versione rilasciata non cambia "
    "mai. Chiedi al capofila di rilasciarla con una nuova versione.",
}
