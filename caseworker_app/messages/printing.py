"""Messages of printing (services/printing.py, ``caseworker print`` and the print preview).

Params: ``ref`` (an istanza protocol or id), ``number``/``last`` (PI version numbers), ``scale``
(a sheet's short name: ADL, IADL, Barthel); never personal data.
"""

MESSAGES: dict[str, str] = {
    "print.istanza_not_found": (
        "Nessuna istanza con protocollo o identificativo «{ref}»: controlla il riferimento "
        "(l'elenco delle istanze si ottiene con «caseworker list»)."
    ),
    "print.no_pi": (
        "L'istanza {ref} non ha ancora un Progetto Individuale: aprilo dalla scheda «Istanze» "
        "della cartella per crearne la prima bozza."
    ),
    "print.pi_version_missing": (
        "Il Progetto Individuale dell'istanza {ref} non ha la versione {number}: le versioni "
        "vanno da 1 a {last}."
    ),
    "print.no_sheet": (
        "Per la persona dell'istanza {ref} non c'è una scheda {scale} chiusa: completa la "
        "valutazione a domicilio prima di stamparla."
    ),
    "print.sheet_not_found": (
        "Questa scheda di valutazione non si trova più: aggiorna lo storico delle valutazioni."
    ),
    "print.sheet_not_completed": (
        "Si stampano solo le schede chiuse: completa la scheda prima di stamparla."
    ),
    "print.save_failed": (
        "Non è stato possibile salvare il PDF: controlla che la cartella esista, sia scrivibile "
        "e che il disco non sia pieno, poi riprova."
    ),
    "print.printer_failed": (
        "La stampante non ha accettato il documento: controlla che sia accesa e collegata, "
        "oppure salva il documento come PDF e stampalo più tardi."
    ),
    "cli.print_version_only_pi": (
        "--version vale solo con --document pi (la versione del Progetto Individuale)."
    ),
    "cli.print_bad_version": "--version deve essere un numero intero da 1 in su.",
    "cli.print_out_folder_missing": (
        "--out: la cartella indicata non esiste; creala o scegli un'altra cartella."
    ),
    "cli.print_out_is_folder": "--out indica una cartella: serve il nome di un file PDF.",
    # The comune's office in the letterhead (services/settings.py OFFICE_SETTINGS, logo)
    "settings.office_name": "Ufficio",
    "settings.office_address": "Indirizzo dell'ufficio",
    "settings.office_phone": "Telefono dell'ufficio",
    "settings.office_pec": "PEC dell'ufficio",
    "settings.office_name_invalid": (
        "Ufficio: scrivi il nome dell'ufficio su una riga (per esempio «Servizi Sociali»), "
        "al massimo {maximum} caratteri."
    ),
    "settings.office_address_invalid": (
        "Indirizzo dell'ufficio: scrivilo su una riga (per esempio «Piazza Marconi 1, 20081 "
        "Abbiategrasso»), al massimo {maximum} caratteri."
    ),
    "settings.office_phone_invalid": (
        "Telefono dell'ufficio: scrivi il numero con sole cifre (da 6 a 15), spazi e al più un "
        "«+» iniziale, per esempio «02 9469 2201»; lascialo vuoto se non va stampato."
    ),
    "settings.office_pec_invalid": (
        "PEC dell'ufficio: l'indirizzo non è valido; scrivilo per intero come nome@dominio, per "
        "esempio «protocollo@pec.comune.abbiategrasso.mi.it», o lascialo vuoto."
    ),
    "settings.logo_empty": "Logo: il file scelto è vuoto; scegli un'immagine PNG o JPEG.",
    "settings.logo_too_large": (
        "Logo: il file è più grande di {max_kb} KB; riducilo (per esempio salvandolo a una "
        "risoluzione minore) e sceglilo di nuovo."
    ),
    "settings.logo_not_image": (
        "Logo: il file non è un'immagine PNG o JPEG leggibile; scegli un file .png o .jpg."
    ),
    "settings.logo_unreadable": (
        "Logo: non è stato possibile leggere il file; controlla che esista e di poterlo aprire, "
        "poi riprova."
    ),
}
