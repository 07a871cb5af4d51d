"""Messages for the assessment scales (definitions, scoring and ``caseworker score``).

``scales.*`` are raised by ``caseworker_app.domain.scales.score`` (params: ``scale``, ``item``,
``options``, ``variant``, ``variants``; never an answer). ``cli.score.*`` are fragments the command
line puts in the ``{what}`` of ``cli.score_input``, after the file and the field path.
"""

MESSAGES: dict[str, str] = {
    "definitions.unknown_scale": (
        "Scala «{scale}» sconosciuta: scegli una delle scale disponibili ({scales})."
    ),
    "definitions.unknown_scale_version": (
        "La scala «{scale}» non ha la versione {version}: scegli una delle versioni "
        "disponibili ({versions})."
    ),
    "scales.unknown_item": (
        "La scala {scale} non ha l'item «{item}»: controlla il nome dell'item."
    ),
    "scales.option_out_of_range": (
        "Item «{item}» della scala {scale}: l'opzione scelta non esiste. Scegli un'opzione "
        "da 1 a {options}."
    ),
    "scales.not_applicable_refused": (
        "Item «{item}» della scala {scale}: non si può segnare «non applicabile». Scegli "
        "un'opzione, oppure lascia l'item senza risposta (la scheda resta in bozza)."
    ),
    "scales.unknown_variant": (
        "La scala {scale} non ha la variante di punteggio «{variant}». Varianti "
        "disponibili: {variants}."
    ),
    "scales.sex_required": (
        "La variante «{variant}» della scala {scale} sceglie gli item in base al sesso: "
        "indica il sesso della persona (M o F)."
    ),
    "assessment.nothing_scored": (
        "Scheda {scale}: nessuna voce è stata valutata, tutte sono segnate «non applicabile». "
        "Per chiudere la scheda scegli un'opzione in almeno una voce; altrimenti lasciala in "
        "bozza."
    ),
    "assessment.place_too_long": (
        "Luogo della visita: al massimo {maximum} caratteri. Abbrevialo (per esempio "
        "«domicilio, Rosate»)."
    ),
    "assessment.completed_not_discarded": (
        "La scheda è chiusa e non si elimina: una scheda chiusa resta com'è. Si eliminano solo "
        "le bozze; per una nuova valutazione apri una nuova scheda."
    ),
    # caseworker score
    "cli.score_input": "File {file}, campo «{field}»: {what}",
    # {what} of both: a json.* fragment of the shared JSON reader (messages/rules.py) or cli.score.*
    "cli.score_unreadable": "Il file {file} non si può leggere: {what}",
    "cli.score.not_object": (
        'deve contenere un oggetto JSON, per esempio {{"scale": "adl-katz", "answers": {{}}}}.'
    ),
    "cli.score.unknown_field": (
        "campo sconosciuto. Toglilo o correggilo: i campi ammessi sono {allowed} (dati "
        "aggiuntivi vanno sotto «extra»)."
    ),
    "cli.score.missing": "manca. Aggiungilo ({hint}).",
    "cli.score.type": "deve essere {expected}. Correggi il valore.",
    "cli.score.scale_mismatch": (
        "il file è una scheda «{found}» ma il comando chiede --scale {expected}. Usa la scala "
        "giusta o il file giusto."
    ),
    "cli.score.unknown_item": ("la scala {scale} non ha questo item. Gli item sono: {items}."),
    "cli.score.option_out_of_range": (
        "l'opzione non esiste. Scrivi un numero da 1 a {options}{null_hint}, oppure togli la "
        "riga per lasciare l'item senza risposta."
    ),
    "cli.score.not_applicable_refused": (
        "questo item non ammette «non applicabile» (null). Scrivi un numero da 1 a {options}, "
        "oppure togli la riga per lasciare l'item senza risposta."
    ),
    "cli.score.unknown_variant": (
        "variante di punteggio sconosciuta. Per la scala {scale} scegli tra: {variants}."
    ),
    "cli.score.no_variants": "la scala {scale} non ha varianti di punteggio. Togli il campo.",
    "cli.score.sex_required": (
        'la variante «{variant}» assegna gli item in base al sesso. Aggiungi "sex": "M" o "F".'
    ),
}
