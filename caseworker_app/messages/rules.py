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
