"""Messages of the Progetto Individuale (services/pi.py and the PI editor).

Params: ``number`` (version number), ``count`` and ``roles`` (signatory role codes),
``resources``, ``costs`` and ``missing`` (amounts already written in Italian); never personal
data.
"""

MESSAGES: dict[str, str] = {
    "pi.not_found": "Questa versione del Progetto Individuale non esiste più: riapri l'istanza.",
    "pi.signed_frozen": (
        "La versione {number} del Progetto Individuale è firmata e non si può più modificare. "
        "Per cambiarla crea una nuova versione."
    ),
    "pi.not_signed": (
        "La versione {number} non è ancora firmata: continua a modificarla, non serve una "
        "nuova versione."
    ),
    "pi.not_latest": (
        "Esiste già una versione più recente (la {number}): la nuova versione si crea dall'ultima."
    ),
    "pi.sign_place_missing": "Indica il luogo della firma.",
    "pi.signatures_missing": (
        "Mancano {count} firme obbligatorie ({roles}): segna come firmato ogni firmatario, con "
        "il nome, prima di chiudere la versione."
    ),
    "pi.budget_not_covered": (
        "Le risorse del budget ({resources}) non coprono il costo degli interventi ({costs}): "
        "mancano {missing}. Firmare comunque questa versione? Dopo la firma non si potrà più "
        "modificare il budget."
    ),
    # Signing a version with values kept as typed (domain/pi.py kept_as_typed): the service says
    # how many and names the first (its ``reason``, one of the pi.typed.* below); the editor lists
    # them all ({fields}: the pi.typed.* texts, each followed by what was typed).
    "pi.kept_as_typed": (
        "Non si può firmare: {count} valori scritti nel progetto non sono stati riconosciuti e "
        "sono conservati come scritti, segnati in rosso. Correggili prima di firmare. Il primo "
        "da correggere:"
    ),
    "pi.kept_as_typed_list": (
        "Non si può ancora firmare: questi valori non sono stati riconosciuti e sono conservati "
        "come scritti, segnati in rosso. Correggili, poi firma.\n{fields}"
    ),
    "pi.typed.header.drafted_on": "1. Intestazione: Data del progetto.",
    "pi.typed.evaluation.visit_date": "4. Valutazione: Data della visita.",
    "pi.typed.economic.value": "5. Situazione economica: Valore ISEE (€).",
    "pi.typed.economic.valid_until": "5. Situazione economica: Valida fino al.",
    "pi.typed.services.start": "6. Servizi e misure già in atto, riga {row}: Dal.",
    "pi.typed.services.end": "6. Servizi e misure già in atto, riga {row}: Al.",
    "pi.typed.interventions.start": "8. Interventi, riga {row}: Dal.",
    "pi.typed.interventions.end": "8. Interventi, riga {row}: Al.",
    "pi.typed.interventions.monthly": "8. Interventi, riga {row}: Mensile €.",
    "pi.typed.interventions.total": "8. Interventi, riga {row}: Totale €.",
    "pi.typed.budget.monthly": "9. Budget di progetto, riga {row}: Mensile €.",
    "pi.typed.budget.total": "9. Budget di progetto, riga {row}: Totale €.",
    "pi.typed.monitoring.checks": "11. Monitoraggio: Date delle verifiche.",
    "pi.typed.signatories.signed_on": "12. Firme, riga {row}: Data.",
    "pi.intervention_empty": "Riga vuota: indica il codice dell'intervento e l'importo.",
    "pi.intervention_unknown_code": (
        "Codice non previsto dall'avviso: scegli uno degli interventi dell'avviso."
    ),
    "pi.intervention_incomplete": (
        "Da completare: servono l'importo (mensile o totale) e il periodo dal/al per "
        "verificare i massimali."
    ),
}
