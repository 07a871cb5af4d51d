"""Messages for the store, keys, operators, backup, audit and definitions."""

MESSAGES: dict[str, str] = {
    # store
    "store.missing": "Nella cartella {path} non c'è un archivio caseworker. Controlla il percorso "
    "oppure crea un nuovo archivio con «caseworker init».",
    "store.already_exists": "Nella cartella {path} esiste già un archivio caseworker: non viene "
    "sovrascritto. Scegli un'altra cartella.",
    "store.not_writable": "Non è possibile scrivere nella cartella {path}. Scegli una cartella "
    "in cui hai i permessi di scrittura (ad esempio nella tua cartella personale).",
    "store.disk_full_setup": "Il disco della cartella {path} è pieno: l'archivio non è stato "
    "creato né modificato. Libera spazio sul disco, o scegli una cartella su un altro disco, e "
    "riprova.",
    "store.db_missing": "Il file dell'archivio ({file}) non c'è più. Ripristina l'archivio da un "
    "backup con il codice di recupero.",
    "store.corrupt": "Il file dell'archivio ({file}) è danneggiato e non può essere aperto. Il "
    "file non è stato modificato. Ripristina l'archivio da un backup con il codice di recupero: "
    "il file danneggiato verrà conservato a parte.",
    "store.cannot_decrypt": "Il file non può essere decifrato con questa chiave: non è un "
    "archivio caseworker oppure è danneggiato.",
    "store.newer_version": "Questo archivio è stato scritto da una versione più recente di "
    "caseworker. Installa la versione più recente per aprirlo; l'archivio non è stato modificato.",
    "store.meta_corrupt": "Il file di descrizione dell'archivio ({file}) è danneggiato. "
    "Ripristina l'archivio da un backup con il codice di recupero.",
    "store.disk_full": "Il disco è pieno: l'ultima modifica non è stata salvata, tutto ciò che "
    "era già salvato è intatto. Libera spazio sul disco e riprova.",
    "store.busy": "L'archivio è occupato da un'altra operazione. Riprova tra qualche secondo.",
    "store.read_only": "L'archivio in {path} è su un disco o in una cartella in sola lettura "
    "(per esempio una chiavetta protetta da scrittura): caseworker non lo apre senza poter "
    "salvare. I dati non sono stati toccati. Copia la cartella dell'archivio su un disco "
    "scrivibile, o togli la protezione, e riprova.",
    "store.permission_denied": "Non hai il permesso di scrivere nell'archivio in {path}: "
    "caseworker non lo apre senza poter salvare. I dati non sono stati toccati. Accedi con il "
    "tuo utente di Windows o chiedi a chi gestisce il computer i permessi di scrittura sulla "
    "cartella.",
    "store.disk_full_at": "Il disco che contiene l'archivio ({path}) è pieno: caseworker non lo "
    "apre senza poter salvare. I dati già salvati sono intatti. Libera spazio sul disco e "
    "riprova.",
    "store.write_refused": "L'archivio non può essere scritto: la cartella o il disco sono in "
    "sola lettura, oppure mancano i permessi di scrittura. L'ultima modifica non è stata "
    "salvata, tutto ciò che era già salvato è intatto.",
    "store.db_empty": "Il file dell'archivio {file} in {path} è vuoto o non contiene un "
    "archivio (forse una copia interrotta): non è stato modificato. Se hai l'archivio originale "
    "ricopia la cartella intera; altrimenti ripristina l'ultimo backup con il codice di recupero "
    "(«Ripristina da backup…», o «caseworker restore --replace»).",
    "store.db_plain": "Il file {file} non è un archivio caseworker (è un database non cifrato): "
    "non è stato modificato. Rimetti il file originale dell'archivio, oppure ripristina "
    "l'ultimo backup con il codice di recupero.",
    "store.db_foreign": "Il file {file} è il database di un altro archivio caseworker, non di "
    "questo: non è stato modificato. Rimetti il file originale di questo archivio, oppure "
    "ripristina l'ultimo backup con il codice di recupero.",
    "store.db_not_ours": "Il file {file} non si apre con la chiave di questo archivio: è "
    "danneggiato, oppure è stato sostituito con il file di un altro archivio. Non è stato "
    "modificato. Ripristina l'ultimo backup con il codice di recupero: l'archivio attuale "
    "viene conservato a parte.",
    "store.transactions_missing": "Nel file {file} mancano le ultime {missing} modifiche "
    "salvate: il file {file}-wal che le conteneva è stato cancellato o è danneggiato, oppure è "
    "stata rimessa una copia più vecchia di {file}. L'archivio non è stato aperto né "
    "modificato. Se hai ancora il file {file}-wal originale, rimettilo accanto a {file} e "
    "riprova; altrimenti ripristina l'ultimo backup con il codice di recupero (l'archivio "
    "attuale viene conservato a parte).",
    # the JSON blobs of the store (domain/stored_formats.py): {kind} is a format name, {row}
    # the id of the row, never the content
    "store.blob_damaged": "Un dato dell'archivio è danneggiato e non può essere letto (formato "
    "{kind}, riga {row}): non è stato modificato. Ripristina l'ultimo backup con il codice di "
    "recupero, oppure segnala all'assistenza il formato e la riga indicati.",
    "store.blob_newer_version": "Un dato dell'archivio (formato {kind}, riga {row}) è stato "
    "scritto da una versione più recente di caseworker (versione {version} del formato; questa "
    "versione legge fino alla {current}). Installa la versione più recente per leggerlo; "
    "l'archivio non è stato modificato.",
    # keys
    "keys.keyfile_missing": "Il file delle chiavi ({file}) manca. Senza di esso l'archivio si "
    "apre solo con il codice di recupero: usa «Password dimenticata» o ripristina da un backup.",
    "keys.keyfile_corrupt": "Il file delle chiavi ({file}) è danneggiato. L'archivio si apre "
    "solo con il codice di recupero: ripristina da un backup con il codice di recupero.",
    "keys.keyring_unavailable": "Il portachiavi di sistema non è disponibile. Accedi a Windows "
    "con il tuo utente e riprova; in alternativa usa il codice di recupero.",
    "keys.blob_unsupported": "Le chiavi dell'archivio sono in un formato di una versione più "
    "recente di caseworker. Aggiorna il programma.",
    "keys.blob_corrupt": "Le chiavi dell'archivio (nel file delle chiavi, nel portachiavi o "
    "nel backup) sono danneggiate: non sono state usate e nulla è stato modificato. Accedi con "
    "il codice di recupero («Password dimenticata») oppure ripristina da un backup con il codice "
    "di recupero; se è il backup a essere danneggiato, usane un altro.",
    "keys.recovery_code_format": "Codice di recupero: deve avere 30 caratteri (6 gruppi da 5, "
    "lettere e cifre). Ricontrolla il foglio su cui l'hai annotato.",
    "keys.recovery_code_wrong": "Il codice di recupero non corrisponde a questo archivio. "
    "Ricontrolla il foglio su cui l'hai annotato.",
    "keys.recovery_slot_missing": "Questo archivio non ha un codice di recupero registrato: "
    "serve un backup per ripristinarlo.",
    # authentication and operators
    "auth.wrong_credentials": "Nome utente o password errati. Riprova; dopo tre tentativi "
    "sbagliati l'accesso rallenta.",
    "auth.throttled": "Troppi tentativi sbagliati: riprova tra {seconds} secondi.",
    "auth.password_too_short": "Password: servono almeno {min} caratteri. Una frase di più "
    "parole è facile da ricordare e difficile da indovinare.",
    "auth.password_spaces": "Password: non può iniziare o finire con uno spazio.",
    "auth.password_mismatch": "Le due password non coincidono: riscrivile.",
    "auth.username_format": "Nome utente: da 2 a 60 caratteri tra lettere senza accenti, cifre, "
    "punto, trattino e trattino basso (ad esempio «m.rossi»).",
    "auth.username_taken": "Nome utente già in uso: scegline un altro.",
    "auth.cannot_disable_self": "Non puoi disattivare il tuo stesso account: chiedilo a un "
    "altro amministratore.",
    "auth.roles_required": "Ruoli: scegli almeno un ruolo per il nuovo operatore.",
    "auth.qualifica_too_long": "Qualifica: al massimo {max} caratteri; scrivila più breve "
    "(per esempio «assistente sociale»).",
    "auth.full_name_missing": "Nome e cognome: scrivi il nome e il cognome dell'operatore.",
    "auth.unknown_operator": "Non esiste un operatore con questo nome utente.",
    "auth.operator_disabled": (
        "L'operatore «{username}» è disattivato: il codice di recupero non lo riattiva. Entra "
        "con un altro operatore amministratore, oppure usa il codice di recupero per un "
        "operatore attivo."
    ),
    "auth.not_allowed": "Il tuo profilo non consente questa operazione.",
    "auth.demo_needs_case_operator": "I casi dimostrativi si creano come li crea un assistente "
    "sociale, e l'operatore {operator} non gestisce i casi (il primo operatore di una capofila è "
    "l'Ufficio di Piano). Aggiungi un operatore con il ruolo assistente_sociale («caseworker "
    "operator add --role assistente_sociale …», o dalla pagina Operatori) e indicalo con "
    "--operator.",
    "setup.role_invalid": "Ruolo dell'installazione: scegli «comune» o «capofila».",
    "setup.comune_not_in_ambito": "Il comune {comune} non fa parte dell'ambito {ambito}.",
    # cases and istanze
    "case.not_found": "La cartella richiesta non esiste più.",
    "merge.same_case": (
        "Unione di cartelle: la cartella da unire e quella da conservare sono la stessa. "
        "Scegli come cartella da conservare un'altra cartella dello stesso codice fiscale."
    ),
    "merge.not_duplicates": (
        "Unione di cartelle: le due cartelle non hanno lo stesso codice fiscale, quindi non "
        "sono della stessa persona. Si possono unire solo cartelle con lo stesso codice fiscale."
    ),
    "istanza.transition_not_allowed": "L'istanza è nello stato «{from_state}» e non può passare "
    "a «{to_state}».",
    "istanza.protocol_required": "Per presentare l'istanza serve il numero di protocollo.",
    # backup
    "backup.folder_missing": "La cartella di destinazione {path} non esiste. Collega la "
    "chiavetta USB o scegli un'altra cartella.",
    "backup.disk_full": "Spazio esaurito in {path}: il backup non è stato scritto. Libera "
    "spazio o usa un'altra chiavetta; l'archivio non è stato toccato.",
    "backup.write_failed": "Il backup non può essere scritto in {path}. Controlla che la "
    "chiavetta sia collegata e non protetta da scrittura.",
    "backup.missing": "Il file di backup {file} non esiste. Controlla il percorso.",
    "backup.corrupt": "Il file di backup {file} è danneggiato o incompleto e non può essere "
    "ripristinato. Prova con un backup precedente.",
    "backup.newer_version": "Il backup {file} è stato creato da una versione più recente di "
    "caseworker. Aggiorna il programma per ripristinarlo.",
    # settings and definitions
    "settings.out_of_range": "Valore fuori intervallo: inserisci un numero tra {minimum} e "
    "{maximum}.",
    "definitions.invalid": "File di definizione {file}, chiave «{key}»: {what}.",
    "definitions.unknown_ambito": "Ambito «{ambito}» sconosciuto: controlla i file in "
    "forms/ambiti.",
    # command line
    "cli.secret_missing": "Manca {what}: impostala nella variabile d'ambiente {env} oppure "
    "passala sullo standard input (mai come argomento).",
    "cli.operator_required": "Nell'archivio ci sono più operatori: indica quale con "
    "--operator UTENTE (o la variabile CASEWORKER_OPERATOR).",
    "cli.bad_number": "Opzione {option}: serve un numero intero non negativo.",
    # audit: the head of the chain written down (--anchor, the recovery sheet, the GUI)
    "audit.anchor_format": "Impronta del registro: scrivi il numero dell'evento, i due punti e "
    "le 64 cifre dell'impronta, per esempio 1234:3f2a9c01… (come stampata sul foglio di "
    "recupero o mostrata nel Registro attività).",
    "audit.anchor_seq": "Impronta del registro: prima dei due punti va il numero dell'evento "
    "(un numero intero da 1 in su), per esempio 1234:3f2a9c01….",
    "audit.anchor_hash": "Impronta del registro: dopo il numero vanno le 64 cifre "
    "esadecimali dell'impronta (0-9 e a-f; spazi e trattini tra i gruppi sono ammessi), ma ne "
    "sono state lette {count}. Ricopiala per intero.",
    "audit.anchor_missing": "Il registro attività non contiene più l'evento n. {seq} con "
    "l'impronta annotata: da quando è stata annotata il registro è stato riscritto o ne sono "
    "stati tolti degli eventi. Conserva una copia dell'archivio così com'è e avvisa il "
    "responsabile della protezione dei dati.",
    "audit.not_intact": "Il registro attività non è integro ({count} anomalie: {listed}). "
    "Conserva una copia dell'archivio così com'è e avvisa il responsabile della protezione dei "
    "dati.",
}
