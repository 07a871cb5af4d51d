"""Messages for the definition files under forms/ (avvisi).

``definitions.invalid`` and ``definitions.unknown_ambito`` live in ``store.py``; the loader of
``forms/avvisi`` adds the codes below.
"""

MESSAGES: dict[str, str] = {
    "definitions.unknown_avviso": (
        "Avviso «{avviso}» sconosciuto: controlla il codice dell'avviso (è il nome del file in "
        "forms/avvisi, senza .toml) oppure installa il file di definizione che lo descrive."
    ),
}
