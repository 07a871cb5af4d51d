"""Messages of the case file sections: network, certifications, ISEE, measures, documents, diary.

Each text names the field and says what to do. Codes match the issues of
``caseworker_app.domain.case_sections`` and the errors of ``caseworker_app.services.case_sections``.
"""

MESSAGES: dict[str, str] = {
    # Certifications
    "certification.percent_invalid": (
        "Percentuale di invalidità: scrivi un numero intero da 0 a 100, come indicato nel verbale."
    ),
    "certification.date_missing": (
        "Data del verbale: non indicata. Aggiungila appena hai il verbale (gg/mm/aaaa)."
    ),
    # ISEE
    "isee.type_invalid": (
        "Tipo di ISEE: scegli un tipo dall'elenco, come riportato nell'attestazione."
    ),
    "isee.value_invalid": (
        "Valore ISEE: scrivi l'importo dell'attestazione in euro, ad esempio 12.345,67."
    ),
    "isee.dsu_missing": (
        "Protocollo DSU: non indicato. Ricopialo dall'attestazione "
        "(formato INPS-ISEE-AAAA-NNNNNNNNN-NN)."
    ),
    "isee.dsu_invalid": (
        "Protocollo DSU: il formato non è valido. Deve essere INPS-ISEE-AAAA-NNNNNNNNN-NN "
        "(anno, 9 cifre, 2 cifre): ricopialo dall'attestazione."
    ),
    "isee.omissioni": (
        "Omissioni/difformità: l'attestazione le segnala. Chiedi una DSU corretta o la "
        "documentazione che le chiarisce."
    ),
    "isee.date_missing": "Data dell'attestazione: non indicata. Aggiungila (gg/mm/aaaa).",
    "isee.validity_before_date": (
        "Valida fino al: la data è precedente a quella dell'attestazione. Correggila o lasciala "
        "vuota per usare il 31/12 dell'anno della DSU."
    ),
    # Measures in place
    "measure.code_invalid": "Misura: scegli il servizio o la misura dall'elenco.",
    "measure.end_before_start": (
        "Data di fine: è precedente alla data di inizio. Correggi una delle due date."
    ),
    # Network
    "member.name_missing": "Cognome e nome: indica almeno il cognome o il nome della persona.",
    "member.hours_invalid": (
        "Ore settimanali: scrivi un numero intero da 0 a 168 (le ore di una settimana)."
    ),
    "member.caregiver_hours_missing": (
        "Ore di cura a settimana: indica quante ore il caregiver dedica all'assistenza."
    ),
    "member.decree_missing": (
        "Numero del decreto: indicalo, ricopiandolo dal decreto di nomina del tribunale."
    ),
    "member.court_missing": "Tribunale: indica il tribunale che ha emesso il decreto di nomina.",
    "member.contract_missing": (
        "Tipo di contratto: indica il contratto dell'assistente familiare "
        "(ad esempio convivente, a ore)."
    ),
    "member.contract_end_before_start": (
        "Contratto fino al: la data è precedente all'inizio del contratto. Correggi una delle "
        "due date."
    ),
    "member.not_found": "La persona della rete non esiste più: ricarica la cartella.",
    # Documents
    "document.type_not_allowed": (
        "Il file scelto non è un PDF né un'immagine JPEG, PNG o TIFF. Scansiona il documento "
        "in uno di questi formati e allegalo di nuovo."
    ),
    "document.too_large": (
        "Il file scelto supera {max_mb} MB. Scansionalo a una risoluzione più bassa "
        "(ad esempio 200 dpi) e allegalo di nuovo."
    ),
    "document.empty": "Il file scelto è vuoto. Controlla di aver scelto il file giusto.",
    "document.unreadable": (
        "Il file scelto non si può leggere. Controlla che esista ancora e di avere i permessi "
        "per aprirlo, poi riprova."
    ),
    "document.doc_type_invalid": "Tipo di documento: scegli un tipo dall'elenco o «Altro».",
    "document.not_found": "Il documento non esiste più: ricarica la cartella.",
    "document.no_content": (
        "Il documento è registrato ma il file non è ancora stato allegato: usa «Allega…»."
    ),
    "document.promised_without_date": (
        "Promesso entro il: indica la data entro cui la persona consegnerà il documento."
    ),
    "document.date_format": "Data: scrivila nel formato gg/mm/aaaa, ad esempio 05/03/2026.",
    # Diary
    "diary.text_missing": "Testo: scrivi il contenuto della nota.",
    "diary.datetime_format": (
        "Data e ora: scrivile nel formato gg/mm/aaaa hh:mm, ad esempio 05/03/2026 09:30."
    ),
    "diary.not_found": "La nota del diario non esiste più: ricarica la cartella.",
    "diary.kind_invalid": "Tipo di nota: scegli colloquio, visita domiciliare, "
    "équipe/UVM, telefonata, relazione o nota.",
    "document.signed_pi_kept": "Questo documento è la copia firmata di una versione del "
    "Progetto Individuale: resta nella cartella con quella versione e il suo tipo non si cambia. "
    "Per allegare una copia firmata usa «Firme…» nel Progetto Individuale.",
    # Closing, reopening and deleting case files and draft istanze
    "case.closure_reason_invalid": (
        "Motivo della chiusura: scegli un motivo dall'elenco (deceduto, trasferito, "
        "non più seguito)."
    ),
    "case.closed_on_future": (
        "Data di chiusura: è nel futuro. Indica il giorno in cui la cartella è stata chiusa "
        "(oggi o prima)."
    ),
    "case.closed_on_before_opening": (
        "Data di chiusura: è precedente all'apertura della cartella. Indica una data uguale o "
        "successiva all'apertura."
    ),
    "case.already_closed": "La cartella è già chiusa: ricaricala per vedere la chiusura.",
    "case.not_closed": "La cartella è già aperta: ricaricala.",
    "case.closed": (
        "La cartella è chiusa (archiviata): si può consultare ma non modificare. Per modificarla "
        "usa «Riapri cartella»."
    ),
    "case.delete_has_istanze": (
        "La cartella contiene istanze ({count}): non si può eliminare. Elimina prima le istanze "
        "in bozza, oppure chiudi la cartella con «Chiudi cartella…»."
    ),
    "case.delete_has_assessments": (
        "La cartella contiene valutazioni ({count}): non si può eliminare. Se la persona non è "
        "più seguita, chiudi la cartella con «Chiudi cartella…»."
    ),
    "case.delete_has_records": (
        "La cartella contiene certificazioni, ISEE o servizi in atto ({count}): non si può "
        "eliminare. Se la persona non è più seguita, chiudila con «Chiudi cartella…»."
    ),
    "case.delete_has_documents": (
        "La cartella contiene documenti ({count}): non si può eliminare. Se la persona non è "
        "più seguita, chiudila con «Chiudi cartella…»."
    ),
    "case.delete_has_diary": (
        "La cartella contiene note del diario ({count}): non si può eliminare. Se la persona "
        "non è più seguita, chiudila con «Chiudi cartella…»."
    ),
    "case.delete_has_network": (
        "La cartella contiene persone della rete familiare ({count}): non si può eliminare. "
        "Se la persona non è più seguita, chiudila con «Chiudi cartella…»."
    ),
    "case.delete_not_empty": (
        "La cartella contiene altri dati oltre all'anagrafica: non si può eliminare. "
        "Chiudila invece con «Chiudi cartella…»."
    ),
    "istanza.delete_not_draft": (
        "L'istanza non è più una bozza (stato: {state}): un'istanza presentata non si elimina. "
        "Se la persona rinuncia, registra la rinuncia nel dettaglio dell'istanza."
    ),
    "istanza.delete_has_pi": (
        "L'istanza ha già un Progetto Individuale: non si può eliminare la bozza."
    ),
}
