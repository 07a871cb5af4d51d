"""Messages for anagrafica, codice fiscale and comuni validation.

Placeholders match the ``params`` of the issues raised in ``caseworker_app.domain.person`` and
``caseworker_app.domain.codice_fiscale``. ``cf.invalid`` carries ``reason`` (one of the ``cf.*``
error codes): show ``render(reason)`` for the details.
"""

MESSAGES: dict[str, str] = {
    "required": (
        "Campo obbligatorio: compilalo per completare la cartella (intanto la bozza è salvata)."
    ),
    # Codice fiscale
    "cf.length": (
        "Codice fiscale: ha {length} caratteri invece di 16. "
        "Ricontrolla il codice sul tesserino sanitario."
    ),
    "cf.format": (
        "Codice fiscale: la struttura non è valida (lettere e cifre al posto sbagliato, "
        "oppure data di nascita impossibile). Ricontrolla il codice sul tesserino sanitario."
    ),
    "cf.check_letter": (
        "Codice fiscale: la lettera di controllo non corrisponde. "
        "Ricontrolla il codice sul tesserino sanitario."
    ),
    "cf.invalid": ("Codice fiscale non valido: correggilo ricopiandolo dal tesserino sanitario."),
    "cf.temporary": (
        "Codice fiscale: è un codice provvisorio di 11 cifre. Va bene per ora; sostituiscilo "
        "con il codice definitivo appena la persona lo riceve."
    ),
    "cf.birthplace_unknown": (
        "Codice fiscale: il luogo di nascita {code} non è nell'elenco dei comuni e degli Stati "
        "esteri. Verifica il codice con la persona o con l'anagrafe."
    ),
    "cf.birth_date_mismatch": (
        "Data di nascita: il codice fiscale indica il {decoded}, diverso dalla data inserita. "
        "Controlla la data su un documento d'identità; se è corretta, conferma."
    ),
    "cf.sex_mismatch": (
        "Sesso: il codice fiscale indica il sesso {decoded}, diverso da quello inserito. "
        "Controlla il dato su un documento d'identità; se è corretto, conferma."
    ),
    "cf.birthplace_mismatch": (
        "Luogo di nascita: il codice fiscale indica {decoded_name} ({decoded}), diverso dal "
        "luogo inserito. Controlla su un documento d'identità; se il luogo inserito è "
        "corretto (per esempio un comune poi rinominato), conferma."
    ),
    # {coded}: the three letters of the code; a warning, for relatives and caregivers.
    "cf.surname_mismatch": (
        "Cognome: non corrisponde al codice fiscale (che ha «{coded}» per il cognome). "
        "Controlla il cognome e il codice su un documento; se sono corretti, lascia così."
    ),
    "cf.given_name_mismatch": (
        "Nome: non corrisponde al codice fiscale (che ha «{coded}» per il nome). "
        "Controlla il nome e il codice su un documento; se sono corretti, lascia così."
    ),
    "cf.already_registered": (
        "Codice fiscale: è già registrato in un'altra cartella, quindi questa non viene salvata. "
        "Apri la cartella esistente, oppure correggi il codice fiscale se è sbagliato."
    ),
    # {surname} {given_name} {comune}: the existing cartella (shown only in the interface).
    "cf.already_registered_in": (
        "Codice fiscale già registrato: è di {surname} {given_name} ({comune}), che ha già una "
        "cartella. Questa nuova cartella non viene salvata: apri la cartella esistente, oppure "
        "correggi il codice fiscale se è sbagliato."
    ),
    # Dates
    "birth_date.future": ("Data di nascita: è nel futuro. Correggi la data (formato gg/mm/aaaa)."),
    "birth_date.too_old": (
        "Data di nascita: indica un'età superiore a {max_years} anni. Correggi l'anno di nascita."
    ),
    # Comuni and addresses
    "comune.unknown": (
        "Comune: il codice {code} non corrisponde ad alcun comune italiano (anche soppresso) né "
        "ad alcuno Stato estero. Scegli il comune dall'elenco cercandolo per nome."
    ),
    "comune.not_valid_on_date": (
        "Comune: {name} ({code}) oggi non esiste più (soppresso o fuso con altri comuni). "
        "Scegli dall'elenco il comune attuale in cui si trova l'indirizzo."
    ),
    "cap.format": "CAP: deve essere composto da 5 cifre (per esempio 20081). Correggilo.",
    "email.format": (
        "E-mail: l'indirizzo non è valido (esempio: nome.cognome@esempio.it). Correggilo o "
        "lascia il campo vuoto."
    ),
    "phone.format": (
        "Telefono: usa solo cifre, spazi e i segni + / - (da 6 a 20 cifre). Correggilo o "
        "lascia il campo vuoto."
    ),
    "citizenship.format": (
        "Cittadinanza: scegli lo Stato dall'elenco scrivendone il nome (per esempio Italia), "
        "oppure «Apolide»."
    ),
    # {code}: the two letters stored, which name no state
    "citizenship.unknown": (
        "Cittadinanza: il codice {code} non corrisponde ad alcuno Stato. Scegli lo Stato "
        "dall'elenco scrivendone il nome (per esempio Italia)."
    ),
    # The citizenship typed in the form matches no state of the list.
    "ui.citizenship_not_chosen": (
        "Cittadinanza: scegli lo Stato dall'elenco che compare mentre scrivi il nome "
        "(per esempio Italia, Marocco, Romania), oppure «Apolide»."
    ),
    "anagrafica.kept_as_typed": (
        "Il valore «{text}» non si riesce a leggere: è conservato come l'hai scritto. "
        "Correggilo (una data gg/mm/aaaa, oppure scegli dall'elenco)."
    ),
}
