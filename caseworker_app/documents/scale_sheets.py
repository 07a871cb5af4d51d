"""The printed assessment sheets of the home visit: scheda ADL (Katz), IADL (Lawton), Barthel.

A sheet prints every item with all its options in the wording of the definition version it was
answered with: the chosen option is marked "■" and set in bold, the others "□"; "non
applicabile" shows where the item accepts it. Then the totals (Katz: functions kept and lost,
class; Lawton: points n/N; Barthel: total and band) and one signature line per evaluator.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from caseworker_app.definitions.scales import get_scale
from caseworker_app.documents.base import (
    FONT,
    DocumentSpec,
    Letterhead,
    Stamp,
    content_hash,
    render,
)
from caseworker_app.documents.formats import format_date
from caseworker_app.documents.styles import (
    CELL,
    CELL_BOLD,
    HEADER_FILL,
    HEADING,
    NOTE,
    RULE,
    SMALL,
    TABLE_FONT,
    TITLE,
    text,
)
from caseworker_app.domain.assessment import Assessment, SheetStatus
from caseworker_app.domain.person import Sex
from caseworker_app.domain.scales import (
    ScaleDefinition,
    ScaleItem,
    ScaleOption,
    ScaleResult,
    ValueKind,
    score,
)

__all__ = ["CHOSEN", "NOT_CHOSEN", "render_scale_sheet", "sheet_kind", "sheet_title"]

CHOSEN = "■"
NOT_CHOSEN = "□"

_KINDS = {"adl-katz": "adl", "iadl-lawton": "iadl", "barthel": "barthel"}
_TITLES = {"adl": "Scheda ADL", "iadl": "Scheda IADL", "barthel": "Scheda Barthel"}
_WIDTHS = (9 * mm, 128 * mm, 37 * mm)  # mark, wording, value: 174 mm = A4 minus margins


def sheet_kind(scale_id: str) -> str:
    """The document kind of the QR stamp: ``adl``, ``iadl`` or ``barthel``."""
    return _KINDS.get(scale_id, scale_id.split("-")[0])


def sheet_title(scale_id: str) -> str:
    kind = sheet_kind(scale_id)
    return _TITLES.get(kind, f"Scheda {kind.upper()}")


def _heading(title: str, definition: ScaleDefinition) -> str:
    """ "Scheda ADL – Indice di Katz" rather than "Scheda ADL – ADL – Indice di Katz"."""
    short = title.removeprefix("Scheda ")
    if definition.title.upper().startswith(short.upper()):
        return f"Scheda {definition.title}"
    return f"{title} – {definition.title}"


def _value_label(definition: ScaleDefinition, option: ScaleOption) -> str:
    if definition.values is ValueKind.AUTONOMY:
        return "A – autonomo" if option.credit else "D – dipendente"
    return "1 punto" if option.value == 1 else f"{option.value} punti"


def _info_table(rows: Sequence[tuple[str, str]]) -> Table:
    data = [[text(label, CELL_BOLD), text(value or "—", CELL)] for label, value in rows]
    result = Table(data, colWidths=[52 * mm, 122 * mm], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return result


def _item_block(
    definition: ScaleDefinition, number: int, item: ScaleItem, answer: int | None, *,
    answered: bool, scored: bool,
) -> Flowable:  # fmt: skip
    """One item: its wording as a header row, then every option with its mark and value."""
    status = ""
    if not scored:
        status = " (non valutato con questa variante)"
    elif not answered:
        status = " (senza risposta)"
    header = Paragraph(
        f"<b>{number}. {escape(item.text)}</b><font size=7.5 color='#57606a'>"
        f"{escape(status)}</font>",
        CELL,
    )
    rows: list[list[Flowable | str]] = [[header, "", ""]]
    bold_rows: list[int] = []
    for option in item.options:
        chosen = answered and answer == option.number
        style = CELL_BOLD if chosen else CELL
        rows.append([
            text(CHOSEN if chosen else NOT_CHOSEN, style),
            text(f"{option.number}. {option.text}", style),
            text(_value_label(definition, option), style),
        ])  # fmt: skip
        if chosen:
            bold_rows.append(len(rows) - 1)
    if item.accepts_not_applicable:
        chosen = answered and answer is None
        style = CELL_BOLD if chosen else CELL
        label = definition.not_applicable_label or "non applicabile"
        rows.append([
            text(CHOSEN if chosen else NOT_CHOSEN, style),
            text(f"N/A – {label}", style),
            text("escluso dal totale", style),
        ])  # fmt: skip
        if chosen:
            bold_rows.append(len(rows) - 1)
    table = Table(rows, colWidths=list(_WIDTHS), hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.2, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row in bold_rows:
        commands.append(("BACKGROUND", (0, row), (-1, row), "#f3f6f9"))
    table.setStyle(TableStyle([TABLE_FONT, *commands]))  # type: ignore[list-item]
    return KeepTogether([table, Spacer(1, 2.5 * mm)])


def _result_rows(definition: ScaleDefinition, result: ScaleResult) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if not result.complete and result.applicable == 0:
        rows.append(("Stato", "scheda incompleta: nessun item valutato (tutti non applicabili)"))
    elif not result.complete:
        missing = result.applicable - result.answered
        rows.append((
            "Stato", f"scheda incompleta: {missing} item senza risposta; totali parziali",
        ))  # fmt: skip
    excluded = len(definition.items) - result.applicable
    if definition.values is ValueKind.AUTONOMY:
        rows.append(("Funzioni conservate (A)", f"{result.conserved} su {result.max}"))
        rows.append(("Funzioni perse (D)", f"{result.lost} su {result.max}"))
        rows.append(("Classe di Katz", result.katz_class or "—"))
        if result.sina_level is not None:
            rows.append((
                "Autonomia (SIUSS/SINA)",
                f"{result.sina_level.level} – {result.sina_level.label}",
            ))  # fmt: skip
    elif result.band is not None or definition.bands:
        total = result.total if result.total is not None else result.conserved
        rows.append(("Punteggio totale", f"{total}/{result.max}"))
        rows.append(("Fascia (Shah 1989)", result.band.label if result.band else "—"))
    else:
        total = result.total if result.total is not None else result.conserved
        rows.append(("Punteggio", f"{total}/{result.max}"))
        rows.append(("Funzioni perse", f"{result.lost}/{result.max}"))
        if excluded:
            rows.append(("Item esclusi dal totale", str(excluded)))
    return rows


def _signatures(sheet: Assessment) -> Table:
    names = list(sheet.evaluators) or [""]
    rows = [[text("Luogo e data", CELL_BOLD),
             text(f"{sheet.place or '____________________'}, {format_date(sheet.visit_date)}",
                  CELL)]]  # fmt: skip
    for name in names:
        label = f"Firma del valutatore – {name}" if name else "Firma del valutatore"
        rows.append([text(label, CELL_BOLD), text("", CELL)])
    table = Table(rows, colWidths=[70 * mm, 104 * mm], rowHeights=[8 * mm] + [14 * mm] * len(names))
    table.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 1), (1, -1), 0.6, RULE),
            ]
        )
    )
    return table


def _sheet_data(sheet: Assessment, person: str) -> dict[str, object]:
    """What the sheet shows, for its content hash (answers by item id, as stored)."""
    return {
        "id": sheet.id, "scale": sheet.scale, "version": sheet.version, "variant": sheet.variant,
        "visit_date": sheet.visit_date.isoformat(), "place": sheet.place,
        "evaluators": list(sheet.evaluators), "multidimensional": sheet.multidimensional,
        "answers": {k: sheet.answers[k] for k in sorted(sheet.answers)},
        "status": sheet.status.value, "person": person,
    }  # fmt: skip


def render_scale_sheet(
    *, letterhead: Letterhead, sheet: Assessment, person: str, istanza_ref: str,
    sex: Sex | None = None,
) -> bytes:  # fmt: skip
    """The PDF of an ADL, IADL or Barthel sheet, scored with the version it was answered with.

    ``person`` is the name printed as the person assessed (it never reaches the metadata);
    ``sex`` is needed only by a variant that scores by sex (Lawton 1969 original), and a
    ``UserFacingError("scales.sex_required")`` is raised without it. Created = the sheet's
    last update (deterministic output).
    """
    definition = get_scale(sheet.scale, sheet.version)
    result = score(definition, sheet.answers, sex=sex, variant=sheet.variant)
    variant = definition.variant(result.variant) if result.variant is not None else None
    scored_ids = variant.scored_items(sex) if variant is not None else None
    title = sheet_title(sheet.scale)
    story: list[Flowable] = [
        text(_heading(title, definition), TITLE),
        _info_table(
            [
                ("Persona valutata", person),
                ("Riferimento istanza", istanza_ref),
                ("Data della visita", format_date(sheet.visit_date)),
                ("Luogo della visita", sheet.place),
                ("Valutatori", ", ".join(sheet.evaluators)),
                (
                    "Valutazione multidimensionale",
                    "sì, con l'ASST" if sheet.multidimensional else "no, valutazione sociale",
                ),
                ("Variante di punteggio", variant.title if variant is not None else "unica"),
                ("Versione della definizione", f"{definition.id} versione {definition.version}"),
                (
                    "Stato della scheda",
                    "completa" if sheet.status is SheetStatus.COMPLETA else "bozza",
                ),
            ]
        ),
        text("Item e opzioni", HEADING),
        text(
            f"{CHOSEN} opzione scelta (in grassetto) · {NOT_CHOSEN} opzione non scelta. Si "
            "indica ciò che la persona effettivamente fa, non ciò che potrebbe fare.",
            NOTE,
        ),
        Spacer(1, 2 * mm),
    ]
    for number, item in enumerate(definition.items, start=1):
        story.append(
            _item_block(
                definition,
                number,
                item,
                sheet.answers.get(item.id),
                answered=item.id in sheet.answers,
                scored=scored_ids is None or item.id in scored_ids,
            )
        )
    # The result and the signatures stay on one page: a signature never stands without totals.
    story.append(
        KeepTogether([
            text("Risultato", HEADING),
            _info_table(_result_rows(definition, result)),
            Spacer(1, 3 * mm),
            text("I totali sono calcolati dalle opzioni scelte secondo la versione della "
                 "definizione indicata sopra.", SMALL),
            text("Firme", HEADING),
            _signatures(sheet),
        ])
    )  # fmt: skip
    spec = DocumentSpec(
        title=title,
        letterhead=letterhead,
        stamp=Stamp(
            istanza_ref, sheet_kind(sheet.scale), None, content_hash(_sheet_data(sheet, person))
        ),
        created=sheet.updated_at,
        subject=definition.title,
    )
    return render(spec, story)
