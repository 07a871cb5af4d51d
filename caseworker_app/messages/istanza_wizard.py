"""Messages of the istanza wizard area."""

MESSAGES: dict[str, str] = {
    # facts the eligibility engine needs that the case file does not have yet
    "eligibility.birth_date_missing": "Manca la data di nascita del beneficiario: completala "
    "nell'anagrafica della cartella per verificare i requisiti.",
    "eligibility.sex_missing": "Manca il sesso del beneficiario: completalo nell'anagrafica "
    "della cartella.",
    "eligibility.residence_missing": "Manca il comune di residenza del beneficiario: "
    "completalo nell'anagrafica della cartella.",
    "eligibility.request_incomplete": "Una riga degli interventi richiesti è incompleta: "
    "indica l'importo (ad esempio 900,00) e il periodo dal… al… (la fine non prima "
    "dell'inizio). Finché è incompleta non viene valutata.",
    # IBAN
    "iban.missing": "Indica l'IBAN su cui versare il contributo.",
    "iban.invalid_country": "L'IBAN non inizia con un codice di paese valido (per l'Italia "
    "«IT»): controlla i primi due caratteri.",
    "iban.invalid_length": "L'IBAN non ha il numero di caratteri giusto (per l'Italia 27): "
    "controlla di averlo copiato per intero.",
    "iban.invalid_checksum": "L'IBAN non è valido: i caratteri di controllo non tornano. "
    "Probabilmente c'è un errore di battitura: ricopialo dal documento della banca.",
    "iban.invalid_bank": "Il codice della banca nell'IBAN non è valido: ricopialo dal "
    "documento della banca.",
    "iban.invalid_structure": "L'IBAN contiene caratteri non ammessi o non ha la forma "
    "prevista: usa solo lettere e cifre, ad esempio IT60 X054 2811 1010 0000 0123 456.",
    "iban.holder_required": "Indica l'intestatario del conto (nome e cognome) insieme all'IBAN.",
    # wizard use cases
    "wizard.not_editable": "L'istanza è nello stato «{state}» e non può più essere "
    "modificata: per correggerla cambiane prima lo stato (ad esempio «da integrare»).",
    "wizard.declarations_missing": "Per presentare l'istanza servono tutte le "
    "autodichiarazioni: ne mancano {count}. Spuntale nella pagina «Autodichiarazioni».",
    "wizard.applicant_missing": "Indica cognome e nome del richiedente nella pagina «Richiedente».",
    "wizard.applicant_title_missing": "Indica a che titolo presenta il richiedente (ad "
    "esempio «figlia» o «amministratore di sostegno»).",
    "wizard.document_date_invalid": "Pagina «Documenti»: {count} date non sono valide e sono "
    "rimaste come le hai scritte, segnate in rosso. Correggile (gg/mm/aaaa) prima di presentare.",
    "wizard.no_requests": "Indica almeno un intervento o una spesa richiesti nella pagina "
    "«Interventi».",
    "wizard.requests_incomplete": "Una o più righe degli interventi richiesti sono incomplete "
    "(importo o periodo): completale o eliminale prima di presentare.",
    "wizard.avviso_unknown": "L'avviso «{avviso}» non è tra quelli installati.",
    "wizard.avviso_closed": "L'avviso non accetta istanze presentate il {date}: controlla la "
    "data di presentazione.",
    "wizard.avviso_not_in_ambito": "Il comune della cartella non fa parte dell'ambito dell'avviso.",
    "wizard.reason_required": "Indica il motivo del cambio di stato: resta nello storico "
    "dell'istanza.",
    "wizard.presented_in_future": "La data di presentazione non può essere successiva a oggi.",
    "wizard.isee_invalid": "L'attestazione ISEE non è completa: indica il tipo e il valore "
    "(ad esempio 18.500,00).",
    # integrazione documentale (services/integrazione.py)
    "integrazione.document_required": "Scegli il documento ricevuto dall'elenco.",
    "integrazione.received_in_future": "Data di ricevimento: non può essere successiva a oggi. "
    "Indica il giorno in cui il documento è arrivato (gg/mm/aaaa).",
    "integrazione.received_before_submission": "Data di ricevimento: è precedente alla "
    "presentazione dell'istanza ({date}). Indica il giorno in cui il documento è arrivato.",
    "integrazione.not_receivable": "L'istanza è nello stato «{state}»: un documento si può "
    "registrare come ricevuto solo mentre l'istanza è presentata, in istruttoria o da integrare.",
    "integrazione.scan_unknown": "La scansione scelta non è più tra i documenti della "
    "cartella: scegline un'altra o registra il documento senza scansione.",
    "integrazione.reason_received": "Integrazione documentale: {document} ricevuto il {date}.",
    "integrazione.outcome.ammissibile": "Esito della verifica: ammissibile.",
    "integrazione.outcome.da_integrare": "Esito della verifica: da integrare.",
    "integrazione.outcome.non_ammissibile": "Esito della verifica: non ammissibile.",
    "integrazione.outcome.None": "Esito della verifica: mancano dati della cartella.",
}
