"""The tables of a ranking run (issue 13, *Publication*): the internal spreadsheet of the Ufficio
di Piano, the public table and the *elenco di liquidazione* for the ragioneria.

Pure functions from a :class:`~caseworker_app.domain.ranking_run.StoredRun` (the run, the digest
of its content and its approval) and what the store knows besides: each istanza's
:class:`Beneficiary` by (comune, protocol), the comuni's names by codice catastale, the reason of
each outcome in Italian (``domain.run_explanation.reasons``) and the avviso's labels
(``domain.run_explanation.avviso_labels``: ``ranking:<id>`` names a ranking). The sheets are
written by ``documents/spreadsheets.py``.

- :func:`internal_sheets`: *Riepilogo* (budget, assigned and residual per ranking, counts by
  outcome), one sheet per ranking with the full rows and the reason of each outcome, and
  *Graduatoria n. N* (the run's identity: id, hashes, date, determina).
- :func:`public_sheet`: position, comune, protocol, outcome and amount: **no personal data**.
- :func:`liquidazione_sheets` (one sheet per comune) and :func:`liquidazione_csv_sheet` (one flat
  sheet with the comune on each row): the funded rows with the payee, codice fiscale, IBAN and the
  causale. A missing or invalid IBAN does not drop the row: it is marked *IBAN da verificare*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from caseworker_app.documents.formats import format_date, format_datetime, format_money
from caseworker_app.documents.spreadsheets import Column, Kind, Sheet, Value
from caseworker_app.domain.iban import check_iban, compact_iban
from caseworker_app.domain.ranking_run import STATUS_LABELS, RunRow, StoredRun
from caseworker_app.domain.rules.allocation import Funding, RankingTotals
from caseworker_app.messages import render

__all__ = [
    "CAUSALE_MAX",
    "OUTCOME_LABELS",
    "Beneficiary",
    "causale",
    "identity_lines",
    "internal_sheets",
    "liquidazione_csv_sheet",
    "liquidazione_sheets",
    "public_sheet",
    "ranked_rows",
    "ranking_name",
]

Ident = tuple[str, str]  # (comune, protocol)

OUTCOME_LABELS: dict[Funding, str] = {
    Funding.FINANZIATA: "Finanziata",
    Funding.FINANZIATA_PARZIALMENTE: "Finanziata parzialmente",
    Funding.AMMESSA_NON_FINANZIATA: "Ammessa non finanziata",
    Funding.NON_AMMISSIBILE: "Non ammissibile",
    Funding.DA_INTEGRARE: "Da integrare",
}
FUNDED = frozenset({Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE})
#: the SEPA remittance information holds 140 characters: the causale never goes beyond
CAUSALE_MAX = 140
SINGLE_TITLE = "Graduatoria"
UNRANKED_TITLE = "Non collocate"  # rows without a ranking when the avviso has several
YES = "sì"
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Beneficiary:
    """Who an istanza is for and where the contribution is paid (from the received record)."""

    surname: str
    given_name: str
    codice_fiscale: str
    isee: Decimal | None
    iban: str
    iban_holder: str

    @property
    def full_name(self) -> str:
        """ "Cognome Nome", as payment lists sort them."""
        return " ".join(p for p in (self.surname.strip(), self.given_name.strip()) if p)


_NOBODY = Beneficiary("", "", "", None, "", "")


def ranking_name(ranking: str | None, labels: Mapping[str, str]) -> str:
    if ranking is None:
        return ""
    return labels.get(f"ranking:{ranking}", ranking)


def _order(row: RunRow) -> tuple[bool, int, str, str]:
    return (row.position is None, row.position or 0, row.comune, row.protocol)


def ranked_rows(stored: StoredRun) -> list[tuple[str | None, list[RunRow]]]:
    """The run's rows by ranking, in the avviso's order of rankings, each by position (rows
    without a position last, by comune and protocol). With one ranking every row is in it; with
    several, a row without a ranking goes in a last group keyed None."""
    run = stored.run
    ids = [r.id for r in run.rankings]
    groups: dict[str | None, list[RunRow]] = {i: [] for i in ids}
    for row in run.rows:
        key = row.ranking if row.ranking in groups else None
        if len(ids) == 1:
            key = ids[0]
        groups.setdefault(key, []).append(row)
    ordered: list[tuple[str | None, list[RunRow]]] = [
        (i, sorted(groups[i], key=_order)) for i in ids
    ]
    if groups.get(None):
        ordered.append((None, sorted(groups[None], key=_order)))
    return ordered


def _sheet_name(ranking: str | None, stored: StoredRun, labels: Mapping[str, str]) -> str:
    if ranking is None:
        return UNRANKED_TITLE
    if len(stored.run.rankings) == 1:
        return SINGLE_TITLE
    return ranking_name(ranking, labels)


# -- internal ----------------------------------------------------------------------------------

INTERNAL_COLUMNS = (
    Column("Posizione", Kind.INTEGER, 10),
    Column("Comune", Kind.TEXT, 18),
    Column("Protocollo", Kind.TEXT, 20),
    Column("Versione", Kind.INTEGER, 9),
    Column("Cognome", Kind.TEXT, 18),
    Column("Nome", Kind.TEXT, 16),
    Column("Codice fiscale", Kind.TEXT, 19),
    Column("Classe", Kind.INTEGER, 8),
    Column("ISEE", Kind.MONEY, 13),
    Column("Data presentazione", Kind.DATETIME, 17),
    Column("Importo ammissibile", Kind.MONEY, 14),
    Column("Importo assegnato", Kind.MONEY, 14),
    Column("Esito", Kind.TEXT, 22),
    Column("Motivazione", Kind.TEXT, 60),
)

SUMMARY_COLUMNS = (
    Column("Graduatoria", Kind.TEXT, 28),
    Column("Budget", Kind.MONEY, 15),
    Column("Residuo ricevuto", Kind.MONEY, 15),
    Column("Assegnato", Kind.MONEY, 15),
    Column("Residuo", Kind.MONEY, 15),
    Column("Istanze", Kind.INTEGER, 9),
    *(Column(OUTCOME_LABELS[f], Kind.INTEGER, 13) for f in Funding),
)

IDENTITY_COLUMNS = (Column("Voce", Kind.TEXT, 30), Column("Valore", Kind.TEXT, 70))


def _comune(code: str, comuni: Mapping[str, str]) -> str:
    return comuni.get(code, code)


def _internal_row(
    row: RunRow, who: Beneficiary, comuni: Mapping[str, str], reason: str
) -> list[Value]:
    return [
        row.position, _comune(row.comune, comuni), row.protocol, row.version, who.surname,
        who.given_name, who.codice_fiscale.upper(), row.priority_class, who.isee,
        row.submitted_at, row.eligible, row.amount, OUTCOME_LABELS[row.outcome], reason,
    ]  # fmt: skip


def _summary_row(name: str, totals: RankingTotals | None, rows: Sequence[RunRow]) -> list[Value]:
    budget = totals.budget if totals else _ZERO
    inflow = totals.inflow if totals else _ZERO
    assigned = totals.assigned if totals else sum((r.amount for r in rows), _ZERO)
    counts = [sum(1 for r in rows if r.outcome is f) for f in Funding]
    residual = budget + inflow - assigned if totals else None
    return [name, budget if totals else None, inflow if totals else None, assigned, residual,
            len(rows), *counts]  # fmt: skip


def _summary(stored: StoredRun, labels: Mapping[str, str]) -> Sheet:
    totals = {t.id: t for t in stored.run.rankings}
    rows: list[Sequence[Value]] = []
    for ranking, members in ranked_rows(stored):
        name = _sheet_name(ranking, stored, labels)
        if ranking is not None and len(totals) == 1:
            name = ranking_name(ranking, labels)
        rows.append(_summary_row(name, totals.get(ranking) if ranking else None, members))
    run = stored.run
    counts = [sum(1 for r in run.rows if r.outcome is f) for f in Funding]
    # no total of "Residuo ricevuto": a residual moving between rankings is not new money
    rows.append(["Totale", run.budget, None, run.assigned, run.residual, len(run.rows), *counts])
    return Sheet("Riepilogo", SUMMARY_COLUMNS, rows)


def identity_lines(stored: StoredRun, *, avviso_title: str = "") -> list[tuple[str, str]]:
    """The run's identity as (label, value) lines, in Italian (the spreadsheet and the PDF)."""
    run, approval = stored.run, stored.approval
    lines = [
        ("Avviso", f"{avviso_title} ({run.avviso})" if avviso_title else run.avviso),
        ("Versione dell'avviso", run.avviso_version),
        ("Graduatoria n.", str(run.number)),
        ("Stato", STATUS_LABELS[stored.status]),
        ("Identificativo", run.id),
        ("Impronta del contenuto (SHA-256)", stored.content_sha256),
        ("Impronta degli ingressi (SHA-256)", run.inputs_sha256),
        ("Impronta della definizione (SHA-256)", run.definition_sha256),
        ("Istanze valutate alla data del", format_date(run.on)),
        ("Budget", format_money(run.budget)),
        ("Eseguita il", f"{format_datetime(run.created_at)} da {run.created_by}"),
        ("Segue la graduatoria", run.follows or "—"),
        ("Nota", run.note or "—"),
        ("Determina", approval.determina if approval else "non ancora approvata"),
        ("Data della determina", format_date(approval.on) if approval else "—"),
    ]
    return lines


def internal_sheets(
    stored: StoredRun,
    *,
    beneficiaries: Mapping[Ident, Beneficiary],
    comuni: Mapping[str, str],
    reasons: Mapping[Ident, str],
    labels: Mapping[str, str] = {},
    avviso_title: str = "",
) -> list[Sheet]:
    """*Riepilogo*, one sheet per ranking with the full rows, and the run's identity."""
    sheets = [_summary(stored, labels)]
    for ranking, members in ranked_rows(stored):
        rows = [
            _internal_row(r, beneficiaries.get(r.ident, _NOBODY), comuni, reasons.get(r.ident, ""))
            for r in members
        ]
        sheets.append(Sheet(_sheet_name(ranking, stored, labels), INTERNAL_COLUMNS, rows))
    identity = [list(line) for line in identity_lines(stored, avviso_title=avviso_title)]
    sheets.append(Sheet(f"Graduatoria n. {stored.run.number}", IDENTITY_COLUMNS, identity))
    return sheets


# -- public ------------------------------------------------------------------------------------


def public_sheet(
    stored: StoredRun,
    *,
    comuni: Mapping[str, str],
    labels: Mapping[str, str] = {},
) -> Sheet:
    """What may be published: position, comune, protocol, outcome and amount of every row (the
    ranking too when the avviso has several). No name, codice fiscale, ISEE, IBAN or reason."""
    several = len(stored.run.rankings) > 1
    columns = [
        Column("Posizione", Kind.INTEGER, 10),
        Column("Comune", Kind.TEXT, 20),
        Column("Protocollo", Kind.TEXT, 22),
        Column("Esito", Kind.TEXT, 24),
        Column("Importo", Kind.MONEY, 14),
    ]
    if several:
        columns.insert(0, Column("Graduatoria", Kind.TEXT, 26))
    rows: list[Sequence[Value]] = []
    for ranking, members in ranked_rows(stored):
        name = _sheet_name(ranking, stored, labels)
        for r in members:
            line: list[Value] = [r.position, _comune(r.comune, comuni), r.protocol,
                                 OUTCOME_LABELS[r.outcome], r.amount]  # fmt: skip
            rows.append([name, *line] if several else line)
    return Sheet(f"Graduatoria n. {stored.run.number}", tuple(columns), rows)


# -- liquidazione ------------------------------------------------------------------------------

LIQUIDAZIONE_COLUMNS = (
    Column("Beneficiario", Kind.TEXT, 28),
    Column("Codice fiscale", Kind.TEXT, 19),
    Column("IBAN", Kind.TEXT, 30),
    Column("Intestatario", Kind.TEXT, 26),
    Column("Importo", Kind.MONEY, 13),
    Column("Causale", Kind.TEXT, 70),
    Column("Comune", Kind.TEXT, 18),
    Column("Codice catastale", Kind.TEXT, 10),
    Column("Protocollo", Kind.TEXT, 20),
    Column("IBAN da verificare", Kind.TEXT, 10),
    Column("Motivo", Kind.TEXT, 50),
)


def causale(avviso_title: str, number: int, protocol: str) -> str:
    """``Avviso <titolo> — graduatoria n. N — istanza <protocollo>``, at most 140 characters
    (the title is shortened, never the protocol)."""
    tail = f" — graduatoria n. {number} — istanza {protocol}"
    title = " ".join(avviso_title.split())
    room = CAUSALE_MAX - len(tail) - len("Avviso ")
    if len(title) > room:
        title = title[: max(room - 1, 0)].rstrip() + "…"
    return f"Avviso {title}{tail}"[:CAUSALE_MAX]


def _iban_check(who: Beneficiary) -> tuple[str, str]:
    """("sì", the reasons) when the payment details need a look, else ("", "")."""
    issues = check_iban(who.iban, who.iban_holder, required=True)
    if not issues:
        return "", ""
    return YES, " ".join(render(i.code) for i in issues)


def _funded(stored: StoredRun) -> list[RunRow]:
    return [r for _, rows in ranked_rows(stored) for r in rows
            if r.outcome in FUNDED and r.amount > 0]  # fmt: skip


def _payment_row(
    row: RunRow, who: Beneficiary, comuni: Mapping[str, str], avviso_title: str, number: int
) -> list[Value]:
    check, why = _iban_check(who)
    iban = compact_iban(who.iban) if not check else who.iban.strip()
    return [
        who.full_name, who.codice_fiscale.upper(), iban, who.iban_holder.strip(), row.amount,
        causale(avviso_title, number, row.protocol), _comune(row.comune, comuni), row.comune,
        row.protocol, check, why,
    ]  # fmt: skip


def _payments(
    stored: StoredRun,
    beneficiaries: Mapping[Ident, Beneficiary],
    comuni: Mapping[str, str],
    avviso_title: str,
) -> list[list[Value]]:
    number = stored.run.number
    return [
        _payment_row(r, beneficiaries.get(r.ident, _NOBODY), comuni, avviso_title, number)
        for r in _funded(stored)
    ]


def liquidazione_sheets(
    stored: StoredRun,
    *,
    beneficiaries: Mapping[Ident, Beneficiary],
    comuni: Mapping[str, str],
    avviso_title: str,
) -> list[Sheet]:
    """One sheet per comune (by name) with its funded rows, in the order of the graduatoria."""
    by_comune: dict[str, list[list[Value]]] = {}
    for line in _payments(stored, beneficiaries, comuni, avviso_title):
        by_comune.setdefault(str(line[7]), []).append(line)
    names = sorted(by_comune, key=lambda code: (_comune(code, comuni).casefold(), code))
    return [Sheet(_comune(code, comuni), LIQUIDAZIONE_COLUMNS, by_comune[code]) for code in names]


def liquidazione_csv_sheet(
    stored: StoredRun,
    *,
    beneficiaries: Mapping[Ident, Beneficiary],
    comuni: Mapping[str, str],
    avviso_title: str,
) -> Sheet:
    """The funded rows of every comune in one sheet (by comune, then the graduatoria's order)."""
    lines = _payments(stored, beneficiaries, comuni, avviso_title)
    lines.sort(key=lambda line: (str(line[6]).casefold(), str(line[7])))  # stable: keeps order
    return Sheet("Liquidazione", LIQUIDAZIONE_COLUMNS, lines)
