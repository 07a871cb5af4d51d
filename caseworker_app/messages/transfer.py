"""Messages for the sealed transfer files (caseworker_app/transfer/sealed*.py).

Every message names the file by its name only ({file}) and says what to do; none repeats a value
read from the file, except a member's name ({member}: names built by caseworker from ids, checked
to be short ASCII before they are shown).
"""

_RESEND = "Chiedi a chi l'ha inviato di prepararlo e mandarlo di nuovo."
_NOTHING = "Non è stato importato nulla."
_REFUSED = f"Il file è stato rifiutato e non è stato importato nulla. {_RESEND}"

MESSAGES: dict[str, str] = {
    # opening the file
    "transfer.not_found": "Il file {file} non esiste più: controlla il nome e la cartella "
    "(o che la chiavetta sia ancora inserita).",
    "transfer.not_regular": "{file} non è un file normale (è una cartella, una pipe o un "
    "dispositivo): scegli il file di trasmissione.",
    "transfer.no_permission": "Non hai il permesso di leggere il file {file}: copialo in una "
    "cartella tua e riprova.",
    "transfer.unreadable": "Il file {file} non può essere letto: ricollega la chiavetta o "
    "copia il file in un'altra cartella e riprova.",
    "transfer.too_large": "Il file {file} è più grande di {limit} MiB, il massimo per un file "
    f"di trasmissione: non è un file di caseworker oppure è stato alterato. {_NOTHING}",
    "transfer.empty": f"Il file {{file}} è vuoto: forse la copia non è terminata. {_RESEND}",
    # decryption
    "transfer.not_age": "{file} non è un file di trasmissione di caseworker (non è né cifrato "
    "nel formato age né un archivio firmato): controlla di aver scelto il file giusto.",
    "transfer.not_encrypted": "Il file {file} non è cifrato, ma il suo contenuto deve viaggiare "
    "cifrato (solo il pacchetto d'ambito può viaggiare soltanto firmato): qualcuno l'ha "
    f"decifrato o preparato fuori da caseworker. {_REFUSED}",
    "transfer.not_canonical": "Il file {file} è stato modificato dopo la firma (l'archivio non è "
    f"più quello scritto da caseworker). {_REFUSED}",
    "transfer.damaged": "Il file {file} è danneggiato o incompleto (forse la copia si è "
    f"interrotta, o è stato modificato). {_NOTHING} {_RESEND}",
    "transfer.not_for_this_installation": "Il file {file} non è destinato a questa "
    "installazione: è cifrato per le chiavi di un'altra. Controlla di aver scelto il file "
    "giusto; se lo è, chiedi al mittente di prepararlo per questa installazione (l'impronta "
    "delle chiavi è in Impostazioni).",
    # the archive inside
    "transfer.archive_invalid": f"Il contenuto del file {{file}} non è un archivio valido. "
    f"{_REFUSED}",
    "transfer.member_name_unsafe": "Il file {file} contiene un elemento con un nome non "
    "ammesso (un percorso che esce dall'archivio, assoluto, con barre rovesciate, lettere di "
    f"unità o caratteri non permessi). {_REFUSED}",
    "transfer.member_not_regular": "Il file {file} contiene una cartella, un collegamento o un "
    f"altro elemento che non è un file normale. {_REFUSED}",
    "transfer.member_duplicate": "Il file {file} contiene due elementi con lo stesso nome. "
    f"{_REFUSED}",
    "transfer.member_unsupported": "Il file {file} contiene un elemento cifrato o compresso in "
    f"un modo che caseworker non usa. {_REFUSED}",
    "transfer.too_many_members": "Il file {file} contiene più di {limit} elementi, il massimo "
    f"ammesso. {_REFUSED}",
    "transfer.member_too_large": "Il file {file} contiene un elemento di più di {limit} MiB, il "
    f"massimo ammesso. {_REFUSED}",
    "transfer.content_too_large": "Il contenuto del file {file} supera in tutto {limit} MiB, il "
    f"massimo ammesso. {_REFUSED}",
    "transfer.compression_ratio": "Il file {file} contiene un elemento che si espande più di "
    f"{{limit}} volte (un archivio costruito per riempire il disco o la memoria). {_REFUSED}",
    # the manifest and its signature
    "transfer.manifest_missing": "Il file {file} non contiene il manifesto (manifest.json) "
    f"che elenca il contenuto. {_REFUSED}",
    "transfer.manifest_unreadable": "Il manifesto (manifest.json) del file {file} non è "
    f"leggibile: {{what}}. {_REFUSED}",
    "transfer.manifest_invalid": "Il manifesto (manifest.json) del file {file} non è valido "
    f"(campo «{{field}}»). {_REFUSED}",
    "transfer.manifest_shape": "Il manifesto (manifest.json) del file {file} non ha la forma "
    f"prevista (non è un oggetto JSON, o è troppo grande). {_REFUSED}",
    "transfer.format_unknown": "Il file {file} non è in un formato di trasmissione di "
    "caseworker: controlla di aver scelto il file giusto.",
    "transfer.format_newer": "Il file {file} è stato preparato da una versione più recente di "
    f"caseworker: aggiorna caseworker e importalo di nuovo. {_NOTHING}",
    "transfer.signature_missing": "Il file {file} non contiene la firma del mittente. "
    f"{_REFUSED}",
    "transfer.signature_invalid": "La firma del file {file} non corrisponde alla chiave del "
    "mittente: il file potrebbe essere stato alterato, o firmato con un'altra chiave. "
    f"{_REFUSED}",
    "transfer.kind_unexpected": "Il file {file} è un file di trasmissione di un altro tipo, "
    "non quello atteso qui: controlla di aver scelto il file giusto.",
    "transfer.kind_unknown": "Il file {file} è un file di trasmissione di un tipo che questa "
    "versione di caseworker non sa importare: controlla di aver scelto il file giusto, o "
    "aggiorna caseworker.",
    # the members
    "transfer.member_unlisted": "Il file {file} contiene un elemento ({member}) che il "
    f"manifesto non elenca. {_REFUSED}",
    "transfer.member_missing": "Nel file {file} manca un elemento ({member}) elencato nel "
    f"manifesto. {_REFUSED}",
    "transfer.member_mismatch": "Nel file {file} l'elemento {member} non corrisponde al "
    f"manifesto (dimensione o impronta SHA-256 diverse). {_REFUSED}",
    # writing a file
    "transfer.target_exists": "Esiste già un file {file} nella cartella scelta: non viene "
    "sovrascritto. Scegli un'altra cartella o un altro nome.",
    "transfer.disk_full": "Il disco della cartella scelta è pieno: il file {file} non è stato "
    "scritto (non è rimasto nulla a metà). Libera spazio o scegli un'altra chiavetta e riprova.",
    "transfer.folder_not_writable": "Non è possibile scrivere il file {file} nella cartella "
    "scelta (sola lettura o permessi mancanti; una chiavetta protetta da scrittura?). Scegli "
    "un'altra cartella e riprova.",
    "transfer.write_failed": "Il file {file} non è stato scritto (non è rimasto nulla a metà): "
    "controlla che la cartella o la chiavetta sia ancora collegata e riprova.",
    "transfer.too_large_to_send": "Il file {file} supererebbe {limit} MiB, il massimo per un "
    "file di trasmissione: invia le istanze in più trasmissioni.",
    "transfer.too_many_members_to_send": "Il file {file} conterrebbe più di {limit} elementi, "
    "il massimo per un file di trasmissione: invia le istanze in più trasmissioni.",
    "transfer.member_too_large_to_send": "Un documento da includere nel file {file} supera "
    "{limit} MiB, il massimo per un elemento: riducilo (per esempio scansionandolo a una "
    "risoluzione più bassa) e riprova.",
    # the istruttorie files and their receipts (transfer/istruttorie_json.py)
    "transfer.istruttorie_invalid": "Il file «{file}» non è valido (campo {field} del "
    "manifesto): chiedi al comune di inviarlo di nuovo. Non è stato importato nulla.",
    "transfer.istruttoria_invalid": "Il file «{file}» non è valido (elemento {member}, campo "
    "{field}): chiedi al comune di inviarlo di nuovo. Non è stato importato nulla.",
    "transfer.istruttoria_unreadable": "Il file «{file}» non è valido (elemento {member}: "
    "{what}): chiedi al comune di inviarlo di nuovo. Non è stato importato nulla.",
    "transfer.ricevuta_invalid": "La ricevuta «{file}» non è valida (campo {field}): chiedi "
    "all'Ufficio di Piano del comune capofila di inviarla di nuovo. Non è stato importato nulla.",
    "transfer.ricevuta_unreadable": "La ricevuta «{file}» non è valida ({what}): chiedi "
    "all'Ufficio di Piano del comune capofila di inviarla di nuovo. Non è stato importato nulla.",
    "transfer.istruttorie_format_unknown": "Il file «{file}» non contiene istruttorie né una "
    "ricevuta in un formato che caseworker conosce: controlla di aver scelto il file giusto. "
    "Non è stato importato nulla.",
    "transfer.istruttorie_format_newer": "Il file «{file}» è stato preparato da una versione "
    "più recente di caseworker: aggiorna caseworker e importalo di nuovo. Non è stato "
    "importato nulla.",
}
