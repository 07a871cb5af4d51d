"""Messages of the controls on the self-declarations (seed 003 §8): the sample of the funded
beneficiaries of a run, what to check on each and the result.

Runs are named by their number, istanze by comune code and protocol number: no personal data.
``controls.check.<code>`` are the things to check on a drawn istanza (services/controls.py
says which apply to which measure).
"""

_BACKUP = "Ripristina l'archivio dall'ultimo backup."

MESSAGES: dict[str, str] = {
    "controls.provisional_run": "La graduatoria n. {number} è provvisoria (ci sono istanze da "
    "integrare): il campione dei controlli si estrae da una graduatoria definitiva o approvata.",
    "controls.nothing_funded": "La graduatoria n. {number} non finanzia nessuna istanza: non "
    "c'è nessun beneficiario da controllare.",
    "controls.already_drawn": "Il campione della graduatoria n. {number} è già stato estratto "
    "il {day} da {by} (seme «{seed}»): non se ne estrae un secondo, perché il campione non si "
    "sceglie. Registra i controlli delle istanze di quel campione.",
    "controls.percent_invalid": "Percentuale del campione non valida «{percent}»: scrivi un "
    "numero maggiore di 0 e al massimo 100, con al più due decimali (per esempio 5).",
    "controls.seed_invalid": "Seme del sorteggio non valido: scrivi da 1 a {limit} caratteri "
    "stampabili, senza spazi all'inizio o alla fine (oppure non indicarlo: ne viene scelto uno "
    "a caso e registrato).",
    "controls.sample_not_found": "Non c'è nessun campione dei controlli con identificativo "
    "«{sample}».",
    "controls.not_drawn": "L'istanza {protocol} del comune {comune} non è nel campione "
    "estratto: si registrano solo i controlli delle istanze sorteggiate.",
    "controls.note_required": "Per un controllo non conforme scrivi nella nota che cosa non "
    "corrisponde a quanto dichiarato: è la motivazione della revoca.",
    "controls.note_too_long": "La nota del controllo è troppo lunga: al massimo {limit} caratteri.",
    "controls.sample_damaged": "Il campione dei controlli {sample} nell'archivio è danneggiato "
    f"(campo «{{field}}»): non può essere usato. {_BACKUP}",
    # what to check on a drawn istanza
    "controls.check.isee": "ISEE: attestazione valida e valore dichiarato, riscontrati sulla "
    "banca dati INPS",
    "controls.check.residenza": "Residenza nel comune dell'ambito alla data dell'istanza "
    "(anagrafe comunale)",
    "controls.check.dichiarazioni_sostitutive": "Dichiarazioni sostitutive (DPR 445/2000, "
    "artt. 46-47 e 71): veridicità di quanto dichiarato nell'istanza",
    "controls.check.disabilita": "Disabilità grave (L. 104/1992 art. 3 c. 3) o indennità di "
    "accompagnamento: verbale agli atti",
    "controls.check.domicilio": "Permanenza al domicilio: nessun ricovero definitivo in "
    "struttura residenziale",
    "controls.check.incompatibilita": "Assenza di misure incompatibili (Misura B1, ricovero "
    "definitivo, altri contributi per lo stesso bisogno)",
    "controls.check.caregiver": "Caregiver familiare: rapporto di parentela o convivenza e cura "
    "prestata come dichiarato nel Progetto Individuale",
    "controls.check.contratto_assistente": "Assistente familiare: contratto di lavoro regolare, "
    "buste paga e contributi versati",
    "controls.check.spese": "Spese sostenute: fatture quietanzate o estratti conto per gli "
    "importi rimborsati",
    "controls.check.iban": "IBAN intestato o cointestato al beneficiario (per i minori, a un "
    "genitore)",
}
