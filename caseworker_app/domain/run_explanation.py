"""Why a row of a ranking run is where it is, with that amount or that outcome, in Italian.

:func:`explain_row` reads only the run (its rows keep the keys that ordered them, their checks
and lines), so an explanation given today is the one the run gave when it was made:

- *perché questa posizione*: the ranking and the position, the priority class, the avviso's
  ordering keys in order with the row's values, the tie-breaks (submission time, then protocol,
  then comune: ``domain.rules.allocation.sort_key``), and which of them separated it from the
  row before and the row after it in the same ranking. The neighbours are named by comune and
  protocol only: their values (an ISEE, a birth date) are their personal data and are not shown.
- *perché questo importo*: the amount the rules grant (each line with its message) and what the
  budget did (fully funded, the residual of the ranking when partly funded, none left).
- *perché non ammessa*: the failed checks (``non_ammissibile``) or the pending ones
  (``da_integrare``).

:func:`reason` is the one line the spreadsheets and the outcomes files carry; :func:`reasons`
gives it for every row of a run in one pass (use it for whole runs).

``labels`` maps codes to the names shown: ``ranking:<id>`` (the ranking's label),
``class:<ranking>:<priority>`` (the class's label), ``line:<code>`` (an intervention's label),
a key code (``isee``, ``extra:ore``…) and ``comune:<code>`` (the comune's name);
:func:`avviso_labels` builds the first three from the avviso.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from caseworker_app.domain.ranking_run import RankingRun, RunKey, RunRow
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.calendar import format_it
from caseworker_app.domain.rules.labels import ISEE
from caseworker_app.domain.rules.money import ZERO, format_eur

__all__ = [
    "Explanation",
    "Section",
    "avviso_labels",
    "explain_row",
    "reason",
    "reasons",
]

POSITION = "Perché questa posizione"
AMOUNT = "Perché questo importo"
REFUSED = "Perché non ammessa"
WAITING = "Perché non ancora ammessa"

_NO_CLASS = 1_000_000  # allocation.sort_key: an istanza without a class goes after every class
_KEY_NAMES = {
    "isee": "ISEE",
    "birth_date": "data di nascita",
    "submitted_at": "data e ora di presentazione",
    "score": "punteggio",
}
_FUNDED = frozenset({Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE})
_RANKED = _FUNDED | {Funding.AMMESSA_NON_FINANZIATA}


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    comune: str
    protocol: str
    reason: str  # the one line (:func:`reason`)
    sections: tuple[Section, ...]

    def text(self) -> str:
        parts = [f"Istanza {self.protocol} (comune {self.comune})", self.reason]
        for section in self.sections:
            parts += ["", f"{section.title}:", *(f"  {line}" for line in section.lines)]
        return "\n".join(parts)


def avviso_labels(avviso: Avviso) -> dict[str, str]:
    """The names of the avviso's rankings and classes, keyed as :func:`explain_row` reads them."""
    found: dict[str, str] = {}
    for ranking in avviso.rankings:
        found[f"ranking:{ranking.id}"] = ranking.label
        for rule in ranking.classes:
            found[f"class:{ranking.id}:{rule.priority}"] = rule.label
    for code, intervention in avviso.interventions.items():
        found[f"line:{code}"] = intervention.label
    return found


# -- the one line -------------------------------------------------------------------------------


def reason(run: RankingRun, row: RunRow) -> str:
    """The outcome of ``row`` in one line, e.g. "Finanziata: 1.200,00 € (richiesti 1.200,00 €)"."""
    left = _left_before(run, row) if row.outcome is Funding.AMMESSA_NON_FINANZIATA else None
    return _reason(row, left)


def reasons(run: RankingRun) -> dict[tuple[str, str], str]:
    """:func:`reason` of every row of ``run``, by (comune, protocol), in one pass."""
    lefts = _lefts(run)
    return {r.ident: _reason(r, lefts.get(r.ident)) for r in run.rows}


def _reason(row: RunRow, left: Decimal | None) -> str:
    if row.outcome is Funding.FINANZIATA:
        return f"Finanziata: {format_eur(row.amount)} (richiesti {format_eur(_requested(row))})"
    if row.outcome is Funding.FINANZIATA_PARZIALMENTE:
        return (
            f"Finanziata parzialmente: {format_eur(row.amount)} su "
            f"{format_eur(row.eligible)} riconoscibili (residuo del budget)"
        )
    if row.outcome is Funding.AMMESSA_NON_FINANZIATA:
        why = "budget esaurito" if left is None or left <= ZERO else "budget insufficiente"
        where = f"posizione {row.position}, " if row.position is not None else ""
        return f"Ammessa non finanziata: {where}{why} (riconoscibili {format_eur(row.eligible)})"
    if row.outcome is Funding.NON_AMMISSIBILE:
        said = _joined(c.message for c in row.checks if c.status == "ko")
        return f"Non ammessa: {said or 'requisiti non soddisfatti'}"
    said = _joined(c.message for c in row.checks if c.status == "pending")
    return f"Da integrare: {said or 'documenti o dati ancora attesi'}"


def _joined(messages: Iterable[str]) -> str:
    return "; ".join(m.strip().rstrip(".") for m in messages if m.strip())


def _requested(row: RunRow) -> Decimal:
    return sum((ln.requested for ln in row.lines), ZERO) if row.lines else row.eligible


# -- the explanation ----------------------------------------------------------------------------


def explain_row(
    run: RankingRun, row: RunRow, *, labels: Mapping[str, str] | None = None
) -> Explanation:
    names = labels or {}
    sections: list[Section] = []
    if row.outcome in _RANKED:
        sections.append(Section(POSITION, tuple(_position(run, row, names))))
        sections.append(Section(AMOUNT, tuple(_amount(run, row, names))))
    elif row.outcome is Funding.NON_AMMISSIBILE:
        sections.append(Section(REFUSED, tuple(_refused(row))))
    else:
        sections.append(Section(WAITING, tuple(_waiting(run, row))))
        if row.lines:
            sections.append(Section(AMOUNT, tuple(_lines(row, names))))
    return Explanation(row.comune, row.protocol, reason(run, row), tuple(sections))


def _ranking_name(row: RunRow, names: Mapping[str, str]) -> str:
    if row.ranking is None:
        return "graduatoria"
    return f"graduatoria «{names.get(f'ranking:{row.ranking}', row.ranking)}»"


def _comune(code: str, names: Mapping[str, str]) -> str:
    name = names.get(f"comune:{code}")
    return f"{name} ({code})" if name else code


def _peers(run: RankingRun, row: RunRow) -> list[RunRow]:
    """The rows of ``row``'s ranking that have a position, by position."""
    same = [r for r in run.rows if r.ranking == row.ranking and r.position is not None]
    return sorted(same, key=lambda r: r.position or 0)


def _position(run: RankingRun, row: RunRow, names: Mapping[str, str]) -> list[str]:
    peers = _peers(run, row)
    graduatoria = bool(row.keys) or any(r.priority_class is not None for r in peers)
    lines = [f"Posizione {row.position} su {len(peers)} nella {_ranking_name(row, names)}."]
    if not graduatoria:
        lines.append(
            "Avviso a sportello: le istanze ammesse sono finanziate in ordine di presentazione."
        )
    if row.priority_class is not None:
        label = names.get(f"class:{row.ranking}:{row.priority_class}")
        shown = f" ({label})" if label else ""
        lines.append(
            f"Classe di priorità {row.priority_class}{shown}: le classi più basse vengono prima, "
            "poi si applicano i criteri dell'avviso."
        )
    if row.keys:
        lines.append("Criteri dell'avviso, in quest'ordine:")
        lines += [
            f"{index}. {_key_name(k, names)} ({_direction(k)}): {_shown(k)}"
            for index, k in enumerate(row.keys, start=1)
        ]
    lines.append(
        f"A parità: data e ora di presentazione ({_moment(row.submitted_at)}), poi numero di "
        f"protocollo ({row.protocol}), poi comune ({row.comune})."
    )
    index = next(i for i, r in enumerate(peers) if r.ident == row.ident)
    if index > 0:
        before = peers[index - 1]
        lines.append(
            f"La precede la posizione {before.position} ({_comune(before.comune, names)}, "
            f"{before.protocol}): {_separation(before, row, names)}."
        )
    if index + 1 < len(peers):
        after = peers[index + 1]
        lines.append(
            f"La segue la posizione {after.position} ({_comune(after.comune, names)}, "
            f"{after.protocol}): {_separation(row, after, names)}."
        )
    return lines


def _key_name(key: RunKey, names: Mapping[str, str]) -> str:
    if key.key in names:
        return names[key.key]
    if key.key in _KEY_NAMES:
        return _KEY_NAMES[key.key]
    kind, _, rest = key.key.partition(":")
    if kind == "isee":
        return ISEE.get(rest, f"ISEE {rest}")
    return rest.replace("_", " ") if kind == "extra" else key.key


def _direction(key: RunKey) -> str:
    if key.key == "birth_date":
        order = "prima i nati più giovani" if key.descending else "prima i più anziani"
    elif key.key == "submitted_at":
        order = "prima le più recenti" if key.descending else "prima le prime presentate"
    else:
        order = "dal più alto" if key.descending else "dal più basso"
    missing = "chi non ce l'ha va in fondo" if key.missing_last else "chi non ce l'ha va in testa"
    return f"{order}; {missing}"


def _shown(key: RunKey) -> str:
    if not key.value:
        return "non indicato"
    if key.key == "isee" or key.key.startswith("isee:"):
        try:
            return format_eur(Decimal(key.value))
        except InvalidOperation:
            return key.value
    if key.key == "birth_date":
        try:
            return format_it(date.fromisoformat(key.value))
        except ValueError:
            return key.value
    if key.key == "submitted_at":
        try:
            return _moment(datetime.fromisoformat(key.value))
        except ValueError:
            return key.value
    return key.value


def _moment(moment: datetime) -> str:
    return f"{format_it(moment.date())} {moment:%H:%M:%S}"


def _comparable(key: RunKey) -> object:
    """The value the allocation compared (``None``: missing), as far as equality goes."""
    if not key.value:
        return None
    if key.key in ("birth_date", "submitted_at"):
        return key.value
    try:
        return Decimal(key.value)
    except InvalidOperation:  # a non-numeric extra: the allocation treats it as missing
        return None


def _separation(first: RunRow, second: RunRow, names: Mapping[str, str]) -> str:
    """Which part of the order put ``first`` before ``second`` (the first that differs)."""
    if (first.priority_class, second.priority_class) != (None, None):
        a = _NO_CLASS if first.priority_class is None else first.priority_class
        b = _NO_CLASS if second.priority_class is None else second.priority_class
        if a != b:
            return "le separa la classe di priorità"
    for ka, kb in zip(first.keys, second.keys, strict=False):
        if _comparable(ka) != _comparable(kb):
            return f"le separa il criterio «{_key_name(ka, names)}»"
    if first.submitted_at != second.submitted_at:
        if any(k.key == "submitted_at" for k in first.keys):
            return "criteri pari; le separa la data e ora di presentazione"
        return "criteri dell'avviso pari; le separa la data e ora di presentazione"
    if first.protocol != second.protocol:
        return "criteri e data di presentazione pari; le separa il numero di protocollo"
    return "criteri, data di presentazione e protocollo pari; le separa il codice del comune"


# -- the amount ---------------------------------------------------------------------------------


def _lines(row: RunRow, names: Mapping[str, str]) -> list[str]:
    out = [f"Importo riconoscibile secondo le regole dell'avviso: {format_eur(row.eligible)}."]
    for ln in row.lines:
        said = f" — {ln.message.strip()}" if ln.message.strip() else ""
        name = names.get(f"line:{ln.code}", ln.code)
        out.append(
            f"• {name}: richiesti {format_eur(ln.requested)}, riconosciuti "
            f"{format_eur(ln.granted)}{said}"
        )
    granted = sum((ln.granted for ln in row.lines), ZERO)
    if row.lines and granted > row.eligible:
        out.append(
            f"Le voci sommano {format_eur(granted)}: il tetto complessivo dell'avviso per "
            f"istanza porta il riconoscibile a {format_eur(row.eligible)}."
        )
    return out


def _amount(run: RankingRun, row: RunRow, names: Mapping[str, str]) -> list[str]:
    out = _lines(row, names)
    totals = next((t for t in run.rankings if t.id == row.ranking), None)
    if totals is None and len(run.rankings) == 1:
        totals = run.rankings[0]
    left = _left_before(run, row)
    name = _ranking_name(row, names)
    if totals is not None:
        available = totals.budget + totals.inflow
        inflow = (
            f" (compresi {format_eur(totals.inflow)} residui di un'altra graduatoria)"
            if totals.inflow > ZERO
            else ""
        )
        out.append(
            f"Budget della {name}: {format_eur(available)}{inflow}; alle posizioni precedenti "
            f"sono andati {format_eur(available - left)}, al suo turno restavano "
            f"{format_eur(left)}."
        )
    if row.outcome is Funding.FINANZIATA:
        out.append(f"Il residuo copriva l'intero importo: finanziata per {format_eur(row.amount)}.")
    elif row.outcome is Funding.FINANZIATA_PARZIALMENTE:
        out.append(
            f"Il residuo non copriva i {format_eur(row.eligible)} riconoscibili: finanziata "
            f"parzialmente per il residuo, {format_eur(row.amount)}; le istanze che seguono "
            "sono ammesse non finanziate."
        )
    elif left <= ZERO:
        out.append("Il budget era esaurito: ammessa ma non finanziata.")
    else:
        stop = next((r for r in _peers(run, row) if r.outcome is not Funding.FINANZIATA), row)
        if stop.ident == row.ident:
            out.append(
                f"Il residuo non copriva i {format_eur(row.eligible)} riconoscibili e l'avviso "
                "non finanzia parzialmente: ammessa ma non finanziata, come le istanze che "
                "seguono."
            )
        else:
            out.append(
                f"Il finanziamento si è fermato alla posizione {stop.position}, la prima che il "
                "budget non copriva: ammessa ma non finanziata."
            )
    return out


def _left_before(run: RankingRun, row: RunRow) -> Decimal:
    """What the ranking's budget had left when ``row``'s turn came."""
    return _lefts(run, ranking=row.ranking, every=False).get(row.ident, ZERO)


def _lefts(
    run: RankingRun, *, ranking: str | None = None, every: bool = True
) -> dict[tuple[str, str], Decimal]:
    """For each ranked row (of every ranking, or only of ``ranking``), the budget left when its
    turn came."""
    available: dict[str | None, Decimal] = {t.id: t.budget + t.inflow for t in run.rankings}
    if len(run.rankings) == 1:
        available.setdefault(None, available[run.rankings[0].id])
    ranked = sorted(
        (r for r in run.rows if r.position is not None and (every or r.ranking == ranking)),
        key=lambda r: (r.ranking or "", r.position or 0),
    )
    found: dict[tuple[str, str], Decimal] = {}
    spent: dict[str | None, Decimal] = {}
    for r in ranked:
        before = spent.get(r.ranking, ZERO)
        found[r.ident] = available.get(r.ranking, ZERO) - before
        spent[r.ranking] = before + r.amount
    return found


# -- not admitted, or not yet -------------------------------------------------------------------


def _refused(row: RunRow) -> list[str]:
    failed = [c for c in row.checks if c.status == "ko"]
    if not failed:
        return ["Le regole dell'avviso non la ammettono (nessun requisito indicato)."]
    return ["Requisiti non soddisfatti:", *(f"• {c.message.strip() or c.code}" for c in failed)]


def _waiting(run: RankingRun, row: RunRow) -> list[str]:
    pending = [c for c in row.checks if c.status == "pending"]
    head = "L'istanza è da integrare: non ha ancora una posizione" + (
        " (graduatoria provvisoria)." if run.provisional else "."
    )
    if not pending:
        return [head]
    return [head, "Manca ancora:", *(f"• {c.message.strip() or c.code}" for c in pending)]
