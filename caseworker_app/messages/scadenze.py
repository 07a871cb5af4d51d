"""Messages of the scadenze area and of the social evaluation (``scadenze.*``, ``evaluation.*``)."""

MESSAGES: dict[str, str] = {
    "evaluation.not_found": (
        "La valutazione sociale non esiste più in questa cartella: chiudi e riapri la "
        "valutazione a domicilio."
    ),
}
