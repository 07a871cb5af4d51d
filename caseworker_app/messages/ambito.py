"""Messages for the ambito package: issued by the capofila, imported by the comuni.

Every message names the file by its name only ({file}); a fingerprint ({fingerprint}) is the
public fingerprint of the capofila's keys, to be read on the phone; ambito ids and comune codes
are codes, not personal data.
"""

_CALL = "Telefona all'Ufficio di Piano del comune capofila"
_NOTHING = "Non è stato importato nulla."

MESSAGES: dict[str, str] = {
    # at the wrong installation
    "ambito.export_not_capofila": "Il pacchetto d'ambito lo prepara solo l'installazione del "
    "comune capofila (Ufficio di Piano): questo archivio è di un comune. Il comune lo riceve "
    "dal capofila e lo importa con «caseworker import».",
    "ambito.import_not_comune": "Questo archivio è dell'installazione del comune capofila: il "
    "pacchetto d'ambito si importa negli archivi dei comuni dell'ambito, non in quello che lo "
    "prepara.",
    "ambito.previous_key_missing": "Le chiavi con cui è stato firmato l'ultimo pacchetto "
    "d'ambito non sono più in questo archivio, quindi il nuovo pacchetto non può attestare il "
    "cambio di chiavi e i comuni lo rifiuterebbero. Ripristina l'archivio dall'ultimo backup "
    "che ha quelle chiavi, oppure contatta l'assistenza.",
    # who sent it, and for whom
    "ambito.sender_not_capofila": "Il file {file} non è stato preparato da un comune capofila: "
    f"un pacchetto d'ambito viene solo dal capofila. {_NOTHING}",
    "ambito.other_ambito": "Il file {file} è il pacchetto dell'ambito «{found}», ma questo "
    f"archivio è dell'ambito «{{ambito}}». Controlla di aver scelto il file giusto. {_NOTHING}",
    "ambito.comune_not_listed": "Il pacchetto d'ambito {file} non elenca il comune {comune} di "
    f"questo archivio tra i comuni dell'ambito. {_CALL} e chiedi un pacchetto aggiornato. "
    f"{_NOTHING}",
    # the capofila's keys
    "ambito.key_unconfirmed": "Le chiavi del capofila che hanno firmato {file} non sono ancora "
    f"state confermate in questo archivio. {_CALL} e confronta l'impronta delle sue chiavi, "
    "cifra per cifra:\n\n    {fingerprint}\n\nSe coincide, importa di nuovo il file "
    "confermando l'impronta (da riga di comando: --trust-fingerprint seguito dalle cifre). Se "
    f"non coincide, non importarlo. {_NOTHING}",
    "ambito.fingerprint_mismatch": "L'impronta indicata non è quella delle chiavi che hanno "
    "firmato {file} ({fingerprint}). Ricontrolla le cifre lette al telefono; se sono giuste, il "
    f"file non viene dal tuo capofila: non importarlo. {_NOTHING}",
    "ambito.key_changed": "Il file {file} è firmato con chiavi diverse da quelle del capofila "
    "confermate in questo archivio, e non porta un cambio di chiavi firmato dalle chiavi "
    f"confermate. Può essere un file falso. {_CALL} e verifica l'impronta {{fingerprint}}. "
    f"{_NOTHING}",
    "ambito.key_revoked": "Il file {file} è firmato con chiavi del capofila che questo archivio "
    f"ha già sostituito ({{fingerprint}}): non sono più valide. {_CALL} e chiedi il pacchetto "
    f"più recente. {_NOTHING}",
    # which package
    "ambito.stale": "Il pacchetto d'ambito {file} (numero {sequence}) è superato: questo "
    "archivio ha già il pacchetto numero {held}. Importa il pacchetto più recente del capofila. "
    f"{_NOTHING}",
    # its content
    "ambito.payload_missing": "Il file {file} non contiene la descrizione dell'ambito "
    f"(ambito.json). {_NOTHING} Chiedi al capofila di prepararlo di nuovo.",
    "ambito.payload_unreadable": "La descrizione dell'ambito (ambito.json) nel file {file} non è "
    f"leggibile: {{what}}. {_NOTHING} Chiedi al capofila di prepararlo di nuovo.",
    "ambito.payload_invalid": "La descrizione dell'ambito (ambito.json) nel file {file} non è "
    f"valida (campo «{{field}}»). {_NOTHING} Chiedi al capofila di prepararlo di nuovo.",
    "ambito.format_unknown": "Il file {file} non contiene un pacchetto d'ambito in un formato "
    f"di caseworker. {_NOTHING}",
    "ambito.format_newer": "Il pacchetto d'ambito {file} è stato preparato da una versione più "
    f"recente di caseworker: aggiorna caseworker e importalo di nuovo. {_NOTHING}",
    "ambito.package_inconsistent": "Il contenuto del pacchetto d'ambito {file} non corrisponde "
    "a quanto dichiara (chiavi del mittente o definizioni degli avvisi elencate). "
    f"{_NOTHING} Chiedi al capofila di prepararlo di nuovo.",
    "ambito.definition_invalid": "Nel pacchetto d'ambito {file} la definizione {definition} non "
    "è un file di avviso valido o non corrisponde all'avviso e alla versione dichiarati. "
    f"{_NOTHING} Chiedi al capofila di prepararlo di nuovo.",
}
