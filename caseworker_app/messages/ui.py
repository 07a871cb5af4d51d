"""Messages for findings produced by the desktop interface itself and for setting labels.

The interface parses what is typed (dates, comuni chosen from a list) before the domain sees
it; those findings are issues with the codes below. Setting labels are the
``label`` codes declared in ``caseworker_app.services.settings``.
"""

MESSAGES: dict[str, str] = {
    "ui.date_format": (
        "Data: usa il formato gg/mm/aaaa (per esempio 05/03/1941) e controlla giorno e mese."
    ),
    # What was typed could not be read (caseworker_app/domain/values.py); {label} names the field
    "value.amount_invalid": (
        "{label}: non è un importo. Scrivilo in euro come 1.234,56 "
        "(punto per le migliaia, virgola per i decimali)."
    ),
    "value.amount_ambiguous": (
        "{label}: importo ambiguo (un punto seguito da tre cifre può indicare le migliaia o i "
        "decimali). Scrivilo come 1.234,56: punto per le migliaia, virgola per i decimali."
    ),
    "value.amount_negative": "{label}: l'importo non può essere negativo; togli il segno meno.",
    "value.amount_decimals": (
        "{label}: al massimo due decimali (i centesimi), per esempio 1.234,56."
    ),
    "value.amount_too_large": (
        "{label}: importo troppo grande (al massimo 999.999.999,99 euro); controlla le cifre."
    ),
    "value.date_invalid": (
        "{label}: non è una data. Scrivila come gg/mm/aaaa, per esempio 05/03/2024 "
        "(vanno bene anche 5/3/24, 05-03-2024, 05.03.2024 e 05032024)."
    ),
    "value.date_not_a_day": (
        "{label}: questo giorno non esiste nel calendario; controlla giorno e mese."
    ),
    "value.date_ambiguous_year": (
        "{label}: con l'anno a due cifre la data è ambigua (per esempio 1924 o 2024); "
        "scrivi l'anno per intero."
    ),
    "value.kept_as_typed": (
        "Il valore scritto non è stato riconosciuto ed è conservato com'è: correggilo."
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
