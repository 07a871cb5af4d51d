"""Messages for the transmission of istruttorie to the capofila and the receipts back.

A file is named by its name only ({file}); an istanza by its protocol number ({istanza}); a
fingerprint ({fingerprint}) is the public fingerprint of the sender's keys, to be read on the
phone; comune codes and avvisi are codes, not personal data.
"""

_NOTHING = "Non è stato importato nulla."
_CALL_COMUNE = "Telefona al servizio sociale del comune che l'ha inviato"

MESSAGES: dict[str, str] = {
    # at the wrong installation
    "transmission.not_comune": "Le istruttorie si trasmettono dall'archivio di un comune: questo "
    "è l'archivio del comune capofila, che le riceve (pagina «Ricezione»).",
    "transmission.not_capofila": "Le istruttorie si importano nell'archivio del comune capofila "
    "(Ufficio di Piano): questo è l'archivio di un comune. Al comune torna solo la ricevuta.",
    "transmission.no_capofila_key": "Manca il pacchetto d'ambito del capofila, con le sue chiavi: "
    "senza, le istruttorie non possono essere cifrate per l'Ufficio di Piano. Importalo da "
    "Impostazioni › Chiavi di trasmissione e pacchetto d'ambito (o con «caseworker import») e "
    "riprova.",
    # the export
    "transmission.nothing_ready": "Nessuna istanza è pronta per la trasmissione: la pagina "
    "«Trasmissioni» mostra cosa manca a ciascuna.",
    "transmission.istanza_not_listed": "L'istanza {istanza} non è tra quelle da trasmettere "
    "(non esiste, oppure non è ancora presentata o è già chiusa): controlla il numero.",
    "transmission.not_ready": "L'istanza {istanza} non è pronta per la trasmissione: {missing} "
    "Completala e riprova, oppure trasmetti le altre.",
    "transmission.changed_meanwhile": "L'istanza {istanza} è cambiata mentre si preparava la "
    "trasmissione: non è stato scritto nessun file. Riprova.",
    "transmission.document_damaged": "Un documento dell'istanza non si legge più dall'archivio "
    "(contenuto diverso da quello registrato). Non è stato scritto nessun file: ripristina "
    "l'archivio da un backup o allega di nuovo il documento.",
    "transmission.missing.not_evaluated": "non è ancora valutata (stato «{detail}»).",
    "transmission.missing.document_promised": "il documento «{detail}» è ancora atteso.",
    "transmission.missing.evaluation": "manca la valutazione sociale.",
    "transmission.missing.assessment": "manca la scheda {detail} completa.",
    "transmission.missing.pi_unsigned": "il Progetto Individuale non è firmato (o manca il PDF "
    "firmato).",
    "transmission.missing.already_sent": "è già stata trasmessa e da allora non è cambiato nulla.",
    "transmission.missing.record": "mancano dati dell'istanza (data di nascita, sesso, "
    "residenza o protocollo).",
    # the import at the capofila: who sent it
    "transmission.sender_not_comune": "Il file {file} non è stato inviato da un comune: qui si "
    f"importano le istruttorie dei comuni dell'ambito. {_NOTHING}",
    "transmission.other_ambito": "Il file {file} viene da un comune dell'ambito «{ambito}», non "
    f"di questo. {_NOTHING}",
    "transmission.key_unconfirmed": "Il file {file} è firmato da chiavi di un comune non ancora "
    f"confermate. {_CALL_COMUNE}, fatti leggere l'impronta delle sue chiavi e confrontala con "
    "questa: {fingerprint}. Se coincide, importa di nuovo il file confermando l'impronta "
    f"(«--trust-fingerprint»). {_NOTHING}",
    "transmission.fingerprint_mismatch": "L'impronta confermata non è quella delle chiavi che "
    "hanno firmato il file {file} ({fingerprint}): il file potrebbe non venire dal comune. "
    f"{_CALL_COMUNE} e verificate l'impronta. {_NOTHING}",
    "transmission.key_changed": "Il file {file} è firmato da chiavi diverse da quelle confermate "
    "per quell'installazione (nuova impronta: {fingerprint}). "
    f"{_CALL_COMUNE}: se ha davvero cambiato chiavi, fatti leggere la nuova impronta e importa di "
    "nuovo il file confermandola («--trust-fingerprint»): le vecchie chiavi saranno revocate. "
    f"{_NOTHING}",
    "transmission.key_revoked": "Il file {file} è firmato da chiavi revocate ({fingerprint}): "
    f"non vengono più accettate. {_NOTHING}",
    "transmission.comune_other_key": "Per il comune {comune} l'Ufficio di Piano ha già "
    "confermato le chiavi di un'altra installazione: solo quella può trasmettere per quel "
    f"comune. {_CALL_COMUNE}. {_NOTHING}",
    "transmission.not_for_us": "Il file {file} è indirizzato a un'altra installazione, non a "
    f"questa. {_NOTHING}",
    "transmission.replayed": "Il file {file} ripete l'identificativo di una trasmissione già "
    "importata, ma con un contenuto diverso: è stato rifiutato. Chiedi al comune di preparare "
    f"una nuova trasmissione. {_NOTHING}",
    "transmission.record_invalid": "Nel file {file} l'istanza «{member}» non è valida (campo "
    f"{{field}}: {{what}}). {_NOTHING} Chiedi al comune di correggerla e trasmetterla di nuovo.",
    "transmission.chain_rewritten": "Attenzione: il registro delle operazioni del comune non "
    "contiene più l'operazione n. {seq} dichiarata in una trasmissione precedente (il registro "
    "sembra riscritto). Le istanze sono state importate; segnalalo al comune.",
    "transmission.member_not_found": "Questo documento non è tra quelli ricevuti.",
    # per istanza, in the receipt
    "transmission.reject.stale": "versione superata: l'Ufficio di Piano ha già la versione "
    "{version}.",
    "transmission.reject.conflict": "l'Ufficio di Piano ha già la versione {version} con un "
    "contenuto diverso: ritrasmettila come nuova versione.",
    "transmission.reject.comune_not_sender": "l'istanza è di un comune per cui questa "
    "installazione non trasmette.",
    "transmission.reject.comune_not_in_ambito": "il comune dell'istanza non fa parte dell'ambito.",
    "transmission.reject.avviso_unknown": "l'avviso dell'istanza non è tra quelli dell'ambito.",
    # the receipt at the comune
    "transmission.receipt_not_comune": "Il file {file} è una ricevuta dell'Ufficio di Piano: si "
    "importa nell'archivio del comune che ha inviato le istruttorie, non qui. Non è stato "
    "importato nulla.",
    "transmission.receipt_unknown_sender": "La ricevuta {file} non è firmata dalle chiavi del "
    "capofila confermate in questo archivio ({fingerprint}). Non è stato importato nulla.",
    "transmission.receipt_unknown_transmission": "La ricevuta {file} risponde a una "
    "trasmissione che non è partita da questo archivio. Non è stato importato nulla.",
    "transmission.receipt_other": "Per questa trasmissione è già stata importata un'altra "
    "ricevuta: la ricevuta {file} non è stata importata.",
    "transmission.receipt_inconsistent": "La ricevuta {file} non corrisponde alle istanze della "
    "trasmissione a cui risponde. Non è stato importato nulla: chiedi all'Ufficio di Piano di "
    "inviarla di nuovo.",
}
