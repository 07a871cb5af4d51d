"""Messages for the rule engines (eligibility and allocation)."""

MESSAGES: dict[str, str] = {
    "rules.definition_incomplete": "L'avviso «{avviso}» è un modello: prima di usarlo l'ambito "
    "deve compilare questi parametri: {parameters}.",
    "rules.incomplete_istanze": "La graduatoria non può essere pubblicata: {count} istanze sono "
    "ancora da integrare (documenti attesi entro un termine non ancora scaduto): {istanze}. "
    "Attendi il termine oppure usa --provisional per una graduatoria provvisoria.",
    "rules.budget_needs_single_ranking": "L'avviso «{avviso}» ha più graduatorie, ciascuna con "
    "il proprio budget: --budget vale solo per un avviso con una sola graduatoria.",
    # {file}: file name (or "<stdin>"); {field}: JSON path; {what}: the problem and what to do,
    # already in Italian (it may end with "?", so no final full stop).
    "istanza.invalid": "{file}, campo «{field}»: {what}",
    "istanza.invalid_file": "{file}: {what}",
    # json.*: fragments (the {what} above, or of cli.score_*) from the one reader of JSON input
    # files (transfer/json_input.py); {key} is a field name, never a value.
    "json.not_found": "file non trovato: controlla il nome e la cartella",
    "json.is_folder": "è una cartella, non un file",
    "json.not_regular": "non è un file normale (è una pipe, un dispositivo o simile): "
    "salva i dati in un file .json e indica quel file",
    "json.too_large": "il file è più grande di {limit} MiB, il massimo per un file JSON: "
    "dividi le istanze in più file in una cartella",
    "json.no_permission": "non hai il permesso di leggere il file",
    "json.unreadable": "il file non può essere letto: riprova o copialo in un'altra cartella",
    "json.not_utf8": "il file non è in UTF-8 (il primo carattere non valido è alla riga {line}): "
    "salvalo con la codifica UTF-8",
    "json.empty": "il file è vuoto",
    "json.syntax": "JSON non valido alla riga {line}, colonna {column}: {reason}",
    "json.reason.value": "manca un valore (o c'è una virgola di troppo)",
    "json.reason.comma": "manca una virgola",
    "json.reason.colon": "mancano i due punti dopo il nome del campo",
    "json.reason.name": "atteso il nome di un campo tra virgolette doppie (o c'è una virgola "
    "di troppo)",
    "json.reason.string": "un testo non ha le virgolette di chiusura",
    "json.reason.control": "un testo contiene un a capo o un carattere di controllo",
    "json.reason.escape": "una barra rovesciata \\ non valida in un testo",
    "json.reason.extra": "c'è altro testo dopo la fine del JSON",
    "json.reason.other": "controlla virgole, virgolette e parentesi",
    "json.constant": "valore non ammesso «{name}»: non è un numero JSON valido",
    "json.too_deep": "JSON annidato troppo in profondità (più di {limit} livelli di elenchi e "
    "oggetti): non è un file di questo formato",
    "json.huge_integer": "numero intero di più di {limit} cifre: nessun campo ne ammette "
    "tanti, correggi il valore",
    "json.duplicate_key": "compare due volte nello stesso oggetto: tieni una sola riga",
    "assessment.not_for_minors": "La scheda {scale} non si somministra ai minorenni (avviso "
    "caregiver, art. 5 a): scegli un'altra scala.",
    "assessment.birth_date_needed": "Per la valutazione serve la data di nascita: completala "
    "nell'anagrafica della cartella.",
    "assessment.not_found": "La scheda di valutazione non esiste più.",
    "assessment.completed": "La scheda è già completata e non si modifica: per una nuova "
    "valutazione apri una nuova scheda.",
    "assessment.incomplete": "Mancano ancora {missing} risposte: completa tutte le voci "
    "(o segna «non applicabile» dove è previsto) prima di chiudere la scheda.",
    "istanza.not_found": "L'istanza richiesta non esiste più.",
    "istanza.protocol_format_invalid": "Formato del protocollo «{template}» non valido: usa "
    "solo {{comune}}, {{anno}} e {{numero}} (obbligatorio), ad esempio "
    "{{comune}}-{{anno}}-{{numero:06d}}.",
}
