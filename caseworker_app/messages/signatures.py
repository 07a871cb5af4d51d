"""Messages of the signatures of the Progetto Individuale (services/signatures.py, pades.py).

Params: ``count`` and ``roles`` (signatory role codes); never personal data (token and key
labels are not repeated either: on some cards they carry the holder's name).
"""

MESSAGES: dict[str, str] = {
    "signature.method_unknown": (
        "Modo di acquisizione della firma non riconosciuto: usa la penna, il dito o il mouse."
    ),
    "signature.png_invalid": (
        "La firma acquisita non è un'immagine valida: cancellala e falla ripetere."
    ),
    "signature.role_unknown": (
        "Questo firmatario non è previsto dal Progetto Individuale: aggiungilo tra i firmatari "
        "prima di acquisire la sua firma."
    ),
    "signature.signatories_incomplete": (
        "Mancano {count} firmatari obbligatori o i loro nomi ({roles}): completa l'elenco dei "
        "firmatari nel Progetto Individuale, poi allega di nuovo la copia firmata."
    ),
    "signature.pdf_unreadable": (
        "Il file scelto non è un PDF leggibile (danneggiato o protetto da password). Scegli il "
        "PDF firmato così come l'hai ricevuto."
    ),
    "signature.pdf_unsigned": (
        "Il PDF scelto non contiene nessuna firma digitale. Per una copia firmata a mano usa "
        "«Allega scansione firmata…»."
    ),
    "signature.pdf_altered": (
        "Il PDF è stato modificato dopo la firma: la firma digitale non è più integra. Fatti "
        "mandare di nuovo il file firmato originale."
    ),
    "signature.pdf_changed_after_signing_content": (
        "Il PDF è stato modificato dopo la firma di uno dei firmatari (firma {position} di "
        "{count}): è stato cambiato il contenuto del documento (testo, immagini o pagine "
        "aggiunti sopra quelli firmati). Quello che il PDF mostra ora non è ciò che è stato "
        "firmato: il file non è stato allegato. Fatti mandare di nuovo il file firmato originale."
    ),
    "signature.pdf_changed_after_signing_annotations": (
        "Il PDF è stato modificato dopo la firma di uno dei firmatari (firma {position} di "
        "{count}): sono state aggiunte o cambiate annotazioni (commenti, evidenziazioni, disegni "
        "o timbri) sulle pagine firmate. Il file non è stato allegato. Fatti mandare di nuovo "
        "il file firmato originale, senza annotazioni aggiunte dopo la firma."
    ),
    "signature.pdf_changed_after_signing_not_permitted": (
        "Il PDF è stato modificato dopo la firma di uno dei firmatari (firma {position} di "
        "{count}): sono state aggiunte firme o compilati campi che chi ha firmato non "
        "consentiva (documento certificato come non modificabile). Il file non è stato "
        "allegato. Fatti mandare di nuovo il file firmato originale."
    ),
    "signature.pdf_changed_after_signing_unverifiable": (
        "Il PDF è stato modificato dopo la firma di uno dei firmatari (firma {position} di "
        "{count}): sono stati aggiunti dati che non è possibile verificare, e la firma non "
        "copre più tutto il file. Il file non è stato allegato. Fatti mandare di nuovo il file "
        "firmato originale."
    ),
    "signature.pdf_invalid": (
        "La firma digitale del PDF non è valida. Fatti mandare di nuovo il file firmato o "
        "chiedi a chi ha firmato di ripetere la firma."
    ),
    "signature.pkcs12_unreadable": (
        "Impossibile aprire il certificato di firma: controlla la password del file .p12/.pfx "
        "e di aver scelto il file giusto."
    ),
    "signature.pkcs11_module_not_found": (
        "Il modulo PKCS#11 della smart card non è stato trovato: controlla il percorso del file "
        "(.dll su Windows, .so su Linux) installato dal software della tua carta o del tuo token."
    ),
    "signature.pkcs11_module_unusable": (
        "Il file indicato non è un modulo PKCS#11 utilizzabile: scegli la libreria PKCS#11 del "
        "software della carta (a 64 bit), non il programma di gestione."
    ),
    "signature.pkcs11_no_token": (
        "Nessuna smart card o token trovato: inserisci la carta nel lettore (o il token nella "
        "porta USB), attendi qualche secondo e riprova."
    ),
    "signature.pkcs11_token_not_found": (
        "Nessuna smart card o token con l'etichetta indicata: controlla l'etichetta, oppure "
        "lasciala vuota se hai un solo dispositivo collegato."
    ),
    "signature.pkcs11_several_tokens": (
        "Sono collegati {count} smart card o token: scrivi l'etichetta di quello con cui firmare "
        "(la mostra il software della carta), oppure lascia collegato solo quello."
    ),
    "signature.pkcs11_pin_missing": "Scrivi il PIN della smart card o del token per firmare.",
    "signature.pkcs11_wrong_pin": (
        "PIN errato. Attenzione: dopo alcuni tentativi sbagliati la carta si blocca; controlla "
        "il PIN prima di riprovare."
    ),
    "signature.pkcs11_pin_locked": (
        "Il PIN della smart card è bloccato per troppi tentativi sbagliati: sbloccalo con il PUK "
        "usando il software della carta, poi riprova."
    ),
    "signature.pkcs11_pin_expired": (
        "Il PIN della smart card è scaduto: cambialo con il software della carta, poi riprova."
    ),
    "signature.pkcs11_no_key": (
        "Sulla smart card o sul token non c'è una chiave di firma con il suo certificato (o non "
        "con l'etichetta indicata): controlla di aver inserito la carta di firma giusta."
    ),
    "signature.pkcs11_several_keys": (
        "La smart card contiene {count} chiavi di firma: indica l'etichetta della chiave da usare "
        "(la mostra il software della carta)."
    ),
    "signature.pkcs11_failed": (
        "La smart card o il token ha rifiutato la firma. Scollega e ricollega il dispositivo e "
        "riprova; se succede ancora, verifica la carta con il software del suo fornitore."
    ),
    "signature.trust_root_unreadable": (
        "Uno dei certificati di fiducia configurati non è leggibile: controlla le impostazioni "
        "della firma digitale."
    ),
    "signature.final_pdf_needs_signed_version": (
        "La versione {number} non è ancora firmata: firma prima la versione (firme dei "
        "firmatari o copia firmata), poi firma digitalmente il suo PDF."
    ),
}
