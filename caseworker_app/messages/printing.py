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
}
