"""Messages of the letters to applicants (services/letters.py: comunicazione di esito and
preavviso di rigetto). Params: ``ref`` (an istanza protocol or id), ``state`` (an istanza state
in words); never personal data."""

MESSAGES: dict[str, str] = {
    "letters.no_outcome": (
        "L'istanza {ref} non ha ancora un esito (stato: {state}): la comunicazione di esito si "
        "stampa quando l'istanza è finanziata, finanziata parzialmente, ammessa non finanziata "
        "o non ammissibile, di norma dopo l'importazione degli esiti della capofila."
    ),
    "letters.partial_amount_unknown": (
        "L'istanza {ref} è finanziata parzialmente ma l'importo assegnato non è noto: importa il "
        "file degli esiti ricevuto dalla capofila, poi stampa di nuovo la comunicazione."
    ),
    "letters.no_verdict": (
        "Per l'istanza {ref} mancano dati della cartella (data di nascita, sesso o comune di "
        "residenza) per verificare i requisiti: completali prima di stampare la comunicazione."
    ),
    "letters.requirements_met": (
        "La verifica dei requisiti dell'istanza {ref} non ha esito negativo: la comunicazione dei "
        "motivi ostativi (art. 10-bis L. 241/1990) si stampa solo per un'istanza non ammissibile "
        "o con requisiti non posseduti."
    ),
}
