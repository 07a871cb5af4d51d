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
    "pi.intervention_empty": "Riga vuota: indica il codice dell'intervento e l'importo.",
    "pi.intervention_unknown_code": (
        "Codice non previsto dall'avviso: scegli uno degli interventi dell'avviso."
    ),
    "pi.intervention_incomplete": (
        "Da completare: servono l'importo (mensile o totale) e il periodo dal/al per "
        "verificare i massimali."
    ),
}
