"""Messages for the transmission keys of an installation: ours, our peers', their fingerprints."""

MESSAGES: dict[str, str] = {
    "keys.damaged": "Le chiavi di trasmissione di questo archivio sono danneggiate e non possono "
    "essere usate: nessun file è stato firmato, cifrato o aperto. Ripristina l'archivio "
    "dall'ultimo backup con il codice di recupero (le chiavi sono nel backup), oppure contatta "
    "l'assistenza.",
    "keys.missing": "Questo archivio non ha ancora le chiavi di trasmissione. Vengono create la "
    "prima volta che le mostri con «caseworker keys show --store …»: fallo e riprova.",
    "keys.public_invalid": "La {what} ricevuta non è valida: il file è danneggiato oppure non è "
    "stato prodotto da caseworker. Chiedi all'altra installazione di esportarlo di nuovo.",
    "keys.signature_invalid": "La firma non corrisponde alla chiave attesa: il file è stato "
    "modificato dopo la firma, oppure è stato firmato da un'altra installazione. Chiedi al "
    "mittente di inviarlo di nuovo.",
    "keys.fingerprint_format": "Impronta non valida: deve avere 40 cifre (8 gruppi da 5; spazi "
    "e trattini non contano), ne sono state trovate {found}. Ricontrolla le cifre lette al "
    "telefono.",
    "keys.decrypt_failed": "Il file non può essere aperto con le chiavi di questo archivio: è "
    "destinato a un'altra installazione oppure è danneggiato. Chiedi al mittente di inviarlo "
    "di nuovo, cifrato per questa installazione.",
}
