"""``caseworker score``: score one assessment sheet read from a JSON file (interchange.md §2).

Input: ``{"scale": "adl-katz", "answers": {"lavarsi": 3, ...}, "sex": "F", "variant": "..."}``;
``answers`` maps item id to option number (1..n) or null ("non applicabile", where the item
accepts it); an item left out is unanswered and the sheet is scored as a draft (exit 0,
``"complete": false``); so is a sheet on which no item is scored (every answer null). ``sex`` may
always be given and is used only by variants that score by
sex; ``variant`` only for scales that have variants. Other top-level fields are refused, except
``extra``.

Output keys, stable for each scale: ``scale``, ``version``, (``variant`` for scales with variants:
IADL), ``complete``, ``conserved``, ``lost``, ``max``; plus ``class`` for Katz (null until
complete) and ``total`` and ``band`` for Barthel (``band`` null until complete). ``conserved`` and
``lost`` count functions for Katz, items scoring 1 and 0 for IADL, points for Barthel
(``conserved`` = ``total``, ``lost`` = points short of the best options); see
``caseworker_app.domain.scales``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseworker_app.cli.common import EXIT_OK, emit
from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.scales import ScaleDefinition, ScaleResult, ValueKind, score
from caseworker_app.transfer.scale_answers_json import input_error, read_answers


def restate_scoring_error(
    exc: UserFacingError, file: str, definition: ScaleDefinition
) -> UserFacingError:
    """Restate a ``scales.*`` error of the engine with the file and the field path."""
    params = dict(exc.params)
    kind = exc.code.removeprefix("scales.")
    if "item" in params:
        field = f"answers.{params['item']}"
        item = definition.item(str(params["item"]))
        null_ok = item is not None and item.accepts_not_applicable
        params["null_hint"] = " (o null per «non applicabile»)" if null_ok else ""
        params["options"] = len(item.options) if item is not None else 0
        params["items"] = ", ".join(i.id for i in definition.items)
    elif kind == "sex_required":
        field = "sex"
    else:
        field = "variant"
        if not definition.variants:
            kind = "no_variants"
    return input_error(file, field, f"cli.score.{kind}", **params)


def payload(definition: ScaleDefinition, result: ScaleResult) -> dict[str, Any]:
    """The JSON output: the same keys for every sheet of a given scale."""
    out: dict[str, Any] = {"scale": result.scale, "version": result.version}
    if definition.variants:
        out["variant"] = result.variant
    out.update(
        complete=result.complete, conserved=result.conserved, lost=result.lost, max=result.max
    )
    if definition.hierarchy is not None:
        out["class"] = result.katz_class
    if definition.bands:
        out["total"] = result.total
        out["band"] = result.band.code if result.band is not None else None
    return out


def human(definition: ScaleDefinition, result: ScaleResult) -> str:
    """The Italian summary printed without ``--json``."""
    title = f"{definition.title}, versione {definition.version}"
    if result.variant is not None:
        variant = definition.variant(result.variant)
        title += f" – variante: {variant.title if variant else result.variant}"
    lines = [title]
    excluded = len(definition.items) - result.applicable
    counted = f"{result.answered} item su {result.applicable}"
    if excluded:
        counted += f"; item esclusi perché non applicabili o fuori dalla variante: {excluded}"
    if result.complete:
        lines.append(f"Scheda completa ({counted}).")
    elif result.applicable == 0:
        lines.append(f"Scheda incompleta, resta in bozza: nessun item valutato ({counted}).")
    else:
        lines.append(f"Scheda incompleta, resta in bozza: risposte a {counted}.")
    if definition.values is ValueKind.POINTS and definition.bands:
        lines.append(f"Punteggio totale: {result.total} su {result.max}")
        if result.band is not None:
            lines.append(f"Fascia: {result.band.label}")
        else:
            lines.append("Fascia: si calcola a scheda completa.")
    else:
        lines.append(f"Funzioni conservate: {result.conserved} su {result.max}")
        lines.append(f"Funzioni perse: {result.lost} su {result.max}")
    if definition.hierarchy is not None:
        shown = result.katz_class or "si calcola a scheda completa."
        lines.append(f"Classe di Katz: {shown}")
    if result.sina_level is not None:
        level = result.sina_level
        lines.append(f"Livello SINA di autonomia: {level.level} ({level.label})")
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    path = Path(args.answers)
    file = str(args.answers)
    sheet = read_answers(path, expected_scale=args.scale, file=file)
    definition = get_scale(args.scale, args.scale_version)
    try:
        result = score(definition, sheet.answers, sex=sheet.sex, variant=sheet.variant)
    except UserFacingError as exc:
        if not exc.code.startswith("scales."):
            raise
        raise restate_scoring_error(exc, file, definition) from exc
    emit(args, payload(definition, result), human(definition, result))
    return EXIT_OK
