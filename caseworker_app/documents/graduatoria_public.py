"""The public graduatoria (issue 13, *Publication*): the PDF the capofila publishes at its albo.

It names each istanza by its protocol number and comune only, with its position, outcome and
amount: its input (:class:`PublicGraduatoria`) has no field for a name, a codice fiscale, an
ISEE value, a reason or any health datum, so none can reach the page. Above the rows: the avviso,
the run's identity (number, id, the SHA-256 of its content and of its inputs, the date the
istanze were judged on), the determina that approved it — or, without one, a title that says the
graduatoria is provisional or not approved yet — and the budget, assigned amount and residual of
each ranking. Every page carries the QR stamp of the run (its id and content hash).

Deterministic like every document (``documents/base.py``). The rows are one paged table per
ranking (``documents/paged_table.py``) with the header repeated on each page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from caseworker_app.documents.base import DocumentSpec, Letterhead, Stamp, render
from caseworker_app.documents.formats import format_date, format_datetime, format_money
from caseworker_app.documents.graduatoria_tables import (
    OUTCOME_LABELS,
    ranked_rows,
    ranking_name,
)
from caseworker_app.documents.paged_table import PagedTable
from caseworker_app.documents.styles import (
    BODY,
    HEADING,
    NOTE,
    SMALL,
    TITLE,
    field_table,
    table,
    text,
)
from caseworker_app.domain.ranking_run import StoredRun

__all__ = [
    "STAMP_KIND",
    "PublicGraduatoria",
    "PublicRanking",
    "PublicRow",
    "public_graduatoria",
    "public_title",
    "render_public_graduatoria",
]

STAMP_KIND = "graduatoria"
PRIVACY_NOTE = (
    "Le istanze sono indicate solo con il numero di protocollo assegnato dal Comune che le ha "
    "ricevute: il documento non contiene dati personali dei richiedenti né dei beneficiari."
)
NOT_APPROVED_NOTE = (
    "La graduatoria non è ancora approvata con determina: gli esiti e gli importi indicati non "
    "sono definitivi."
)
PROVISIONAL_NOTE = (
    "Graduatoria provvisoria: alcune istanze attendono ancora documenti o dati; non può essere "
    "approvata e gli esiti possono cambiare."
)
_FULL = 174 * mm  # A4 minus the margins
_WIDTHS = tuple(w * mm for w in (16, 42, 46, 42, 28))  # pos., comune, protocollo, esito, importo
_HEADING_ROOM = 30 * mm  # the heading, the table's header and a few rows
_BUDGET_WIDTHS = tuple(w * mm for w in (54, 30, 30, 30, 30))


@dataclass(frozen=True)
class PublicRanking:
    """One ranking's money: its budget, the residual it received from another, what it gave."""

    name: str
    budget: Decimal
    inflow: Decimal
    assigned: Decimal

    @property
    def residual(self) -> Decimal:
        return self.budget + self.inflow - self.assigned


@dataclass(frozen=True)
class PublicRow:
    """One istanza as it may be published. No field may hold a beneficiary's personal data."""

    ranking: str  # the ranking's name ("" when the avviso has one)
    position: int | None
    comune: str  # the comune's name
    protocol: str
    outcome: str  # the outcome's Italian label ("Finanziata", …)
    amount: Decimal


@dataclass(frozen=True)
class PublicGraduatoria:
    """What the public graduatoria shows."""

    letterhead: Letterhead  # the capofila's (its Ufficio di Piano)
    avviso_id: str
    avviso_title: str
    avviso_version: str
    run_number: int
    run_id: str
    content_sha256: str
    inputs_sha256: str
    on: date  # the date the istanze were judged on
    created_at: datetime  # when the run was made: the PDF's date
    provisional: bool
    determina: str | None  # "N/AAAA"; None: not approved
    determina_on: date | None
    rankings: tuple[PublicRanking, ...]
    rows: tuple[PublicRow, ...]


def public_title(data: PublicGraduatoria) -> str:
    """The heading: approved, not approved yet, or provisional and not approved."""
    if data.determina is not None:
        return f"Graduatoria n. {data.run_number} — approvata"
    if data.provisional:
        return f"Graduatoria provvisoria n. {data.run_number} — non approvata"
    return f"Graduatoria n. {data.run_number} — non ancora approvata"


def public_graduatoria(
    stored: StoredRun,
    *,
    letterhead: Letterhead,
    avviso_title: str,
    comuni: Mapping[str, str],
    labels: Mapping[str, str] = {},
) -> PublicGraduatoria:
    """The public graduatoria of a stored run (its approval, if any, gives the determina)."""
    run, approval = stored.run, stored.approval
    several = len(run.rankings) > 1
    rows = tuple(
        PublicRow(
            ranking=(ranking_name(ranking, labels) or "Non collocate") if several else "",
            position=r.position,
            comune=comuni.get(r.comune, r.comune),
            protocol=r.protocol,
            outcome=OUTCOME_LABELS[r.outcome],
            amount=r.amount,
        )
        for ranking, members in ranked_rows(stored)
        for r in members
    )
    rankings = tuple(
        PublicRanking(ranking_name(t.id, labels), t.budget, t.inflow, t.assigned)
        for t in run.rankings
    )
    return PublicGraduatoria(
        letterhead=letterhead,
        avviso_id=run.avviso,
        avviso_title=avviso_title,
        avviso_version=run.avviso_version,
        run_number=run.number,
        run_id=run.id,
        content_sha256=stored.content_sha256,
        inputs_sha256=run.inputs_sha256,
        on=run.on,
        created_at=run.created_at,
        provisional=run.provisional,
        determina=approval.determina if approval else None,
        determina_on=approval.on if approval else None,
        rankings=rankings,
        rows=rows,
    )


def _fields(rows: Sequence[tuple[str, str]], label: float = 56 * mm) -> Table:
    return field_table(rows, label=label, width=_FULL)


def _identity(data: PublicGraduatoria) -> Table:
    if data.determina is not None:
        approved = f"n. {data.determina} del {format_date(data.determina_on)}"
    else:
        approved = "non ancora approvata"
    return _fields(
        [
            ("Avviso", f"{data.avviso_title} ({data.avviso_id}, versione {data.avviso_version})"),
            ("Graduatoria n.", str(data.run_number)),
            ("Determina di approvazione", approved),
            ("Istanze valutate alla data del", format_date(data.on)),
            ("Elaborata il", format_datetime(data.created_at)),
            ("Identificativo", data.run_id),
            ("Impronta (SHA-256)", data.content_sha256),
            ("Impronta degli ingressi (SHA-256)", data.inputs_sha256),
        ]
    )


def _budget(data: PublicGraduatoria) -> Flowable:
    header = ["Graduatoria", "Budget", "Residuo ricevuto", "Assegnato", "Residuo"]
    rows: list[list[str | Flowable]] = [
        [r.name or "Graduatoria", format_money(r.budget), format_money(r.inflow),
         format_money(r.assigned), format_money(r.residual)]
        for r in data.rankings
    ]  # fmt: skip
    if len(data.rankings) > 1:
        rows.append(
            ["Totale", format_money(sum((r.budget for r in data.rankings), Decimal(0))), "",
             format_money(sum((r.assigned for r in data.rankings), Decimal(0))),
             format_money(sum((r.budget - r.assigned for r in data.rankings), Decimal(0)))]
        )  # fmt: skip
    return table(header, rows, _BUDGET_WIDTHS, align_right=(1, 2, 3, 4),
                 bold_last_row=len(data.rankings) > 1)  # fmt: skip


def _count(n: int, one: str, many: str) -> str:
    """``1 istanza``, ``10.000 istanze`` (Italian thousands separator)."""
    return f"{n:,} {one if n == 1 else many}".replace(",", ".")


def _rows_table(rows: Sequence[PublicRow]) -> Flowable:
    header = ["Pos.", "Comune", "Protocollo", "Esito", "Importo"]
    body = [
        ("" if r.position is None else str(r.position), r.comune, r.protocol, r.outcome,
         format_money(r.amount))
        for r in rows
    ]  # fmt: skip
    total = sum((r.amount for r in rows), Decimal(0))
    last = ("", _count(len(rows), "istanza", "istanze"), "", "Totale", format_money(total))
    return PagedTable(header, body, _WIDTHS, right=(0, 4), total=last)


def _groups(rows: Sequence[PublicRow]) -> list[tuple[str, list[PublicRow]]]:
    groups: dict[str, list[PublicRow]] = {}
    for row in rows:
        groups.setdefault(row.ranking, []).append(row)
    return list(groups.items())


def _outcomes(rows: Sequence[PublicRow]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    ordered = [label for label in OUTCOME_LABELS.values() if label in counts]
    ordered += sorted(set(counts) - set(ordered))
    return "Esiti: " + ", ".join(f"{label.lower()} {counts[label]}" for label in ordered) + "."


def render_public_graduatoria(data: PublicGraduatoria) -> bytes:
    """The PDF of the public graduatoria (deterministic for the same input)."""
    heading = public_title(data)
    story: list[Flowable] = [text(heading, TITLE), _identity(data), Spacer(1, 2 * mm)]
    if data.determina is None:
        story.append(text(PROVISIONAL_NOTE if data.provisional else NOT_APPROVED_NOTE, NOTE))
    story += [
        KeepTogether([text("Budget e importi assegnati", HEADING), _budget(data)]),
        Spacer(1, 2 * mm),
        text(PRIVACY_NOTE, SMALL),
    ]
    groups = _groups(data.rows)
    if not groups:
        story += [text("Istanze", HEADING), text("Nessuna istanza.", NOTE)]
    for name, rows in groups:
        story += [
            CondPageBreak(_HEADING_ROOM),  # a heading never ends a page without its rows
            text(f"Graduatoria «{name}»" if name else "Istanze in ordine di graduatoria", HEADING),
            _rows_table(rows),
            Spacer(1, 1.5 * mm),
            text(_outcomes(rows), BODY),
        ]
    spec = DocumentSpec(
        title=heading.split(" — ")[0],
        letterhead=data.letterhead,
        # the run's id and the SHA-256 of its content: a printed page finds its run
        stamp=Stamp(data.run_id, STAMP_KIND, None, data.content_sha256),
        created=data.created_at,
        subject=f"Graduatoria n. {data.run_number} dell'avviso {data.avviso_id}",
    )
    return render(spec, story)
