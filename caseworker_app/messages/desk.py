"""Messages of the capofila's desk: ranking runs, approval, publication.

Runs are named by their number ("graduatoria n. 2") and avvisi by their id: no personal data.
"""

MESSAGES: dict[str, str] = {
    "cli.rank_store_or_files": "Indica le istanze da ordinare: un file o una cartella di "
    "istanze (ISTANZE.json|CARTELLA), oppure --store con l'archivio del capofila per ordinare "
    "le istanze ricevute; non entrambi.",
    "desk.not_capofila": "Le graduatorie si fanno nell'installazione del comune capofila "
    "(Ufficio di Piano): questo archivio è di un comune.",
    "desk.nothing_received": "Per l'avviso {avviso} non è stata ricevuta nessuna istanza: "
    "importa prima i file delle istruttorie inviati dai comuni (pagina Ricezione o "
    "«caseworker import»).",
    "desk.run_not_found": "Non c'è nessuna graduatoria con identificativo «{run}»: elencale con "
    "«caseworker runs --avviso ID» e copia l'identificativo (bastano i primi 8 caratteri).",
    "desk.no_run": "Per l'avviso {avviso} non è ancora stata fatta nessuna graduatoria.",
    "desk.no_approved_run": "Per l'avviso {avviso} nessuna graduatoria è stata approvata: "
    "approvala con la determina («caseworker approve») oppure usa l'ultima con --latest.",
    "desk.run_damaged": "La graduatoria {run} nell'archivio è danneggiata (campo «{field}»): "
    "non può essere usata. Ripristina l'archivio dall'ultimo backup.",
    "desk.received_damaged": "L'istanza {protocol} del comune {comune} ricevuta nell'archivio "
    "non corrisponde al suo contenuto: l'archivio è danneggiato. Ripristinalo dall'ultimo "
    "backup.",
    "desk.withdrawn_unknown": "L'istanza {protocol} del comune {comune} indicata come ritirata "
    "non è tra le istanze ricevute per questo avviso: controlla comune e protocollo.",
    "desk.withdrawn_format": "Istanza ritirata non valida «{value}»: scrivila come "
    "COMUNE/PROTOCOLLO, ad esempio A127/A127-2023-000001.",
    "desk.determina_invalid": "Numero della determina non valido «{determina}»: scrivilo come "
    "«N/AAAA», ad esempio «123/2024» (al massimo 40 caratteri).",
    "desk.determina_in_future": "La data della determina ({day}) è nel futuro: scrivi la data "
    "in cui è stata adottata.",
    "desk.provisional_not_approvable": "La graduatoria n. {number} è provvisoria (ci sono "
    "istanze da integrare) e non può essere approvata: quando le istanze sono complete o i "
    "termini sono scaduti, fai una nuova graduatoria e approva quella.",
    "desk.already_approved": "La graduatoria n. {number} è già stata approvata con la "
    "determina {determina}: una graduatoria si approva una volta sola. Per cambiarla fai una "
    "nuova graduatoria (scorrimento).",
    "desk.publish_no_folder": "La cartella «{folder}» dove pubblicare non esiste: creala o "
    "scegline un'altra.",
    "desk.publish_target_exists": "Nella cartella scelta c'è già un file «{file}» diverso da "
    "quello che si sta scrivendo: non è stato scritto nulla. Scegli un'altra cartella o sposta "
    "quel file.",
    "desk.publish_write_failed": "Non è stato possibile scrivere «{file}» ({reason}): non è "
    "stato lasciato nessun file a metà. Controlla lo spazio libero e i permessi della cartella "
    "e riprova.",
}
