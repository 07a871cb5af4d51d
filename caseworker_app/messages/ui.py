"""Messages for findings produced by the desktop interface itself and for setting labels.

The interface parses what is typed (dates, comuni chosen from a list) before the domain sees
it; those findings are issues with the codes below. Setting labels are the
``label`` codes declared in ``caseworker_app.services.settings``.
"""

MESSAGES: dict[str, str] = {
    "ui.date_format": (
        "Data: usa il formato gg/mm/aaaa (per esempio 05/03/1941) e controlla giorno e mese."
    ),
    "ui.comune_not_chosen": (
        "Comune: scegli il comune dall'elenco che compare mentre scrivi il nome "
        "(oppure scrivi il codice catastale, per esempio A010)."
    ),
    "ui.unknown_error_code": (
        "Operazione non riuscita (codice {code}). Riprova; se il problema si ripete, "
        "comunica il codice all'assistenza."
    ),
    # Labels of the settings declared in services/settings.py
    "settings.idle_lock_minutes": "Blocco automatico dopo (minuti di inattività)",
    "settings.backup_reminder_days": "Promemoria del backup ogni (giorni)",
}
