"""Messages of the outcomes (*esiti*) from the capofila to the comuni (issue 13).

A file is named by its name only ({file}); an istanza by its protocol number ({istanza}); runs
by their number ({number}); comuni by their code ({comune}): no personal data.
"""

_NOTHING = "Non è stato importato nulla."
_ASK_UDP = "Chiedi all'Ufficio di Piano di inviare di nuovo il file degli esiti."

MESSAGES: dict[str, str] = {
    # writing them, at the capofila
    "outcomes.not_capofila": "Gli esiti si inviano dall'archivio del comune capofila (Ufficio "
    "di Piano): questo archivio è di un comune, che li riceve.",
    "outcomes.provisional_run": "La graduatoria n. {number} è provvisoria (ci sono istanze da "
    "integrare): i suoi esiti non si inviano ai comuni. Fai una graduatoria definitiva e "
    "approvala con la determina.",
    "outcomes.no_comune_key": "Per il comune {comune} non ci sono chiavi confermate in questo "
    "archivio: gli esiti non possono essere cifrati per il suo servizio sociale. Importa prima "
    "le istruttorie di quel comune (pagina Ricezione o «caseworker import»), confermando "
    "l'impronta delle sue chiavi al telefono. Non è stato scritto nessun file.",
    # the file's content
    "outcomes.invalid": "Il file degli esiti {file} non è valido (campo «{field}»). "
    f"{_NOTHING} {_ASK_UDP}",
    "outcomes.unreadable": "Il file degli esiti {file} non si legge: {what}. "
    f"{_NOTHING} {_ASK_UDP}",
    "outcomes.format_unknown": "Il file {file} non contiene esiti in un formato che questa "
    f"versione di caseworker conosce. {_NOTHING}",
    "outcomes.format_newer": "Il file degli esiti {file} è stato scritto da una versione più "
    f"recente di caseworker: aggiorna caseworker e importalo di nuovo. {_NOTHING}",
    # importing them, at a comune
    "outcomes.not_comune": "Il file {file} contiene gli esiti dell'Ufficio di Piano per un "
    "comune: si importa nell'archivio di quel comune, non qui. Non è stato importato nulla.",
    "outcomes.unknown_sender": "Il file degli esiti {file} non è firmato dalle chiavi del "
    f"capofila confermate in questo archivio ({{fingerprint}}). {_NOTHING}",
    "outcomes.not_for_us": "Il file degli esiti {file} è indirizzato a un'altra installazione, "
    f"non a questa. {_NOTHING}",
    "outcomes.other_comune": "Il file degli esiti {file} è per il comune {comune}, per cui "
    f"questo archivio non trasmette. {_NOTHING}",
    "outcomes.inconsistent": "Il file degli esiti {file} nomina l'istanza {istanza}, che questo "
    "comune non ha trasmesso in quella versione (o che l'Ufficio di Piano aveva respinto). "
    f"{_NOTHING} {_ASK_UDP}",
    "outcomes.stale": "Il file {file} contiene gli esiti della graduatoria n. {number}, ma "
    "questo archivio ha già gli esiti della graduatoria n. {held}, più recente: il file è "
    f"superato. {_NOTHING}",
    "outcomes.conflict": "Il file {file} contiene esiti della graduatoria n. {number} diversi "
    f"da quelli già importati per la stessa graduatoria. {_NOTHING} {_ASK_UDP}",
    "outcomes.provisional_refused": "Il file {file} contiene gli esiti di una graduatoria "
    f"provvisoria, che non si importano. {_NOTHING}",
    # the history of the istanza
    "outcomes.transition_reason": "Esito della graduatoria n. {number} (determina {determina} "
    "del {day}): {reason}",
    # the outcome's name, when the capofila gives no reason of its own
    "outcomes.label.finanziata": "Finanziata",
    "outcomes.label.finanziata_parzialmente": "Finanziata parzialmente",
    "outcomes.label.ammessa_non_finanziata": "Ammessa non finanziata",
    "outcomes.label.non_ammissibile": "Non ammissibile",
    "outcomes.label.da_integrare": "Da integrare",
}
