"""Sections 9–11 of the printed PI: budget di progetto, compatibility, monitoring."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from caseworker_app.documents.formats import format_money
from caseworker_app.documents.pi_parts import (
    FUNDING,
    amount,
    day,
    empty,
    fields,
    gap,
    grid,
    heading,
    name_of,
    narrative,
    subheading,
)
from caseworker_app.documents.styles import SMALL, text
from caseworker_app.domain.pi import FundingSource, PiContent, fund_label
from caseworker_app.domain.rules.labels import IN_PLACE, label

__all__ = ["budget_section", "compatibility_section", "monitoring_section", "source_name"]


def source_name(content: PiContent, source: FundingSource) -> str:
    """The funding source as the budget names it: the avviso's own fund after the avviso."""
    if source is FundingSource.FNA:
        return fund_label(content.header.avviso_title)
    return name_of(FUNDING, source.value)


def budget_section(content: PiContent) -> list[Flowable]:
    totals = content.totals()
    rows = [[source_name(content, b.source), amount(b.monthly), amount(b.total)]
            for b in content.budget]  # fmt: skip
    out: list[Flowable] = [
        heading(9, "Budget di progetto"),
        text("Risorse per fonte di finanziamento, mensili e per l'intera durata.", SMALL),
        gap(1.5),
        grid(
            ["Fonte di finanziamento", "Mensile", "Totale"],
            rows,
            [90, 40, 40],
            amounts=(1, 2),
            totals=["Totale risorse", format_money(totals.monthly), format_money(totals.total)],
        ),
        gap(1.5),
    ]
    interventions = format_money(totals.interventions_total)
    if totals.balanced:
        note = f"Le risorse coprono il costo degli interventi ({interventions})."
    elif totals.shortfall:
        note = (
            f"Costo degli interventi: {interventions}. Le risorse non coprono il costo degli "
            f"interventi: mancano {format_money(totals.shortfall)}."
        )
    else:
        note = (
            f"Costo degli interventi: {interventions}. Le risorse superano il costo degli "
            f"interventi di {format_money(totals.total - totals.interventions_total)}."
        )
    out.append(text(note, SMALL))
    return [KeepTogether(out)]  # a short table: never split, nor parted from its heading


def compatibility_section(content: PiContent) -> list[Flowable]:
    c = content.compatibility
    out: list[Flowable] = [heading(10, "Compatibilità con altre misure")]
    if c.checked_on is None:
        out.append(empty("Controllo di compatibilità non ancora eseguito."))
    else:
        if c.compatible:
            result = "nessuna misura in atto è incompatibile con l'avviso."
        else:
            names = ", ".join(label(IN_PLACE, code) for code in c.incompatible)
            result = f"misure incompatibili con l'avviso in atto: {names}."
        in_place = ", ".join(label(IN_PLACE, code) for code in c.in_place)
        out.append(
            fields(
                [
                    ("Data del controllo", day(c.checked_on)),
                    ("Misure in atto", in_place or "nessuna"),
                    ("Esito", result[0].upper() + result[1:]),
                ]
            )
        )
    if c.note.strip():
        out += [subheading("Note"), narrative(c.note)]
    return out


def monitoring_section(content: PiContent) -> list[Flowable]:
    m = content.monitoring
    checks = ", ".join(day(d) for d in m.checks)
    return [
        heading(11, "Monitoraggio"),
        fields(
            [
                ("Responsabile del caso", m.case_manager),
                ("Date delle verifiche", checks or "Nessuna verifica programmata"),
                ("Indicatori", m.indicators),
                ("Esiti delle verifiche precedenti", m.outcomes),
                ("Eventi che sospendono il beneficio", m.suspending_events),
            ]
        ),
    ]
