"""The explanation of a row of a ranking run, in Italian: why this position (class, the
avviso's keys in order, the tie-breaks, what separated it from its neighbours), why this amount
(the lines, the budget left at its turn), why not admitted; and the one-line reason."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.ranking_run import RunRow
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.domain.rules.money import format_eur
from caseworker_app.domain.run_explanation import (
    AMOUNT,
    POSITION,
    REFUSED,
    WAITING,
    avviso_labels,
    explain_row,
    reason,
    reasons,
)

from .desk_runs import row, run_of

F = Funding
LABELS = {"ranking:graduatoria": "Graduatoria d'ambito", "class:graduatoria:1": "prioritaria"}


def keys(isee: str, born: str) -> tuple[tuple[str, str], ...]:
    return (("isee", isee), ("birth_date", born))


ROWS = [
    row("A127", "A127-2023-000001", F.FINANZIATA, position=1, priority_class=1,
        amount="1200.00", keys=keys("8000.00", "1940-01-02"),
        lines=[("rimborso", "1500.00", "1200.00", "limitato al massimo di 1.200,00 €")]),
    row("A127", "A127-2023-000002", F.FINANZIATA, position=2, priority_class=2,
        amount="1200.00", keys=keys("3000.00", "1940-01-02")),
    row("B448", "B448-2023-000003", F.FINANZIATA_PARZIALMENTE, position=3, priority_class=2,
        amount="600.00", keys=keys("3000.00", "1941-05-06")),
    row("B448", "B448-2023-000004", F.AMMESSA_NON_FINANZIATA, position=4, priority_class=2,
        keys=keys("3000.00", "1941-05-06"), minutes=5),
    row("A127", "A127-2023-000005", F.NON_AMMISSIBILE, ranking=None, eligible="0.00",
        checks=[("isee", "ko", "ISEE superiore alla soglia di 30.000,00 €."),
                ("residenza", "ok", "Residente nell'ambito.")]),
    row("B448", "B448-2023-000006", F.DA_INTEGRARE,
        checks=[("documenti", "pending", "Verbale di invalidità atteso entro il 15/12/2023.")]),
]  # fmt: skip
RUN = run_of(ROWS)


def section(row_: RunRow, title: str) -> list[str]:
    found = {s.title: s.lines for s in explain_row(RUN, row_, labels=LABELS).sections}
    return list(found[title])


def test_why_this_position_names_class_keys_tie_breaks_and_neighbours() -> None:
    lines = section(ROWS[1], POSITION)
    assert lines[0] == "Posizione 2 su 4 nella graduatoria «Graduatoria d'ambito»."
    assert lines[1].startswith("Classe di priorità 2:")
    assert lines[3] == "1. ISEE (dal più basso; chi non ce l'ha va in fondo): 3.000,00 €"
    assert (
        lines[4].startswith("2. data di nascita (prima i più anziani") and "02/01/1940" in lines[4]
    )
    assert "data e ora di presentazione (13/11/2023 09:00:00), poi numero di protocollo" in lines[5]
    assert lines[6] == (
        "La precede la posizione 1 (A127, A127-2023-000001): le separa la classe di priorità."
    )
    assert lines[7].endswith("le separa il criterio «data di nascita».")
    # the neighbours' own values are not shown (their personal data)
    assert "1941" not in lines[7] and "8.000" not in lines[6]
    assert section(ROWS[0], POSITION)[1].startswith("Classe di priorità 1 (prioritaria)")
    assert section(ROWS[3], POSITION)[-1].endswith(
        "criteri dell'avviso pari; le separa la data e ora di presentazione."
    )


def test_why_this_amount_follows_the_budget() -> None:
    funded = section(ROWS[0], AMOUNT)
    assert funded[0] == "Importo riconoscibile secondo le regole dell'avviso: 1.200,00 €."
    assert funded[1] == (
        "• rimborso: richiesti 1.500,00 €, riconosciuti 1.200,00 € — limitato al massimo di "
        "1.200,00 €"
    )
    assert "restavano 3.000,00 €" in funded[2]
    assert funded[3] == "Il residuo copriva l'intero importo: finanziata per 1.200,00 €."
    partial = section(ROWS[2], AMOUNT)
    assert "sono andati 2.400,00 €, al suo turno restavano 600,00 €" in partial[1]
    assert "finanziata parzialmente per il residuo, 600,00 €" in partial[2]
    assert section(ROWS[3], AMOUNT)[-1] == "Il budget era esaurito: ammessa ma non finanziata."


def test_why_not_admitted_lists_the_failed_or_pending_checks() -> None:
    assert section(ROWS[4], REFUSED) == [
        "Requisiti non soddisfatti:",
        "• ISEE superiore alla soglia di 30.000,00 €.",
    ]
    waiting = section(ROWS[5], WAITING)
    assert waiting[-1] == "• Verbale di invalidità atteso entro il 15/12/2023."
    titles = [s.title for s in explain_row(RUN, ROWS[4]).sections]
    assert titles == [REFUSED]


def test_the_one_line_reasons() -> None:
    assert [reason(RUN, r) for r in ROWS] == [
        "Finanziata: 1.200,00 € (richiesti 1.500,00 €)",
        "Finanziata: 1.200,00 € (richiesti 1.200,00 €)",
        "Finanziata parzialmente: 600,00 € su 1.200,00 € riconoscibili (residuo del budget)",
        "Ammessa non finanziata: posizione 4, budget esaurito (riconoscibili 1.200,00 €)",
        "Non ammessa: ISEE superiore alla soglia di 30.000,00 €",
        "Da integrare: Verbale di invalidità atteso entro il 15/12/2023",
    ]
    assert reasons(RUN) == {r.ident: reason(RUN, r) for r in ROWS}


def test_the_text_has_the_reason_and_every_section() -> None:
    text = explain_row(RUN, ROWS[2], labels=LABELS).text()
    assert text.startswith("Istanza B448-2023-000003 (comune B448)\nFinanziata parzialmente")
    assert f"\n\n{POSITION}:\n  Posizione 3 su 4" in text and f"\n\n{AMOUNT}:\n" in text


def test_a_skip_residual_says_the_funding_stopped() -> None:
    rows = [
        row("A127", "P-1", F.FINANZIATA, position=1, amount="1000.00", eligible="1000.00"),
        row("A127", "P-2", F.AMMESSA_NON_FINANZIATA, position=2, eligible="800.00"),
        row("A127", "P-3", F.AMMESSA_NON_FINANZIATA, position=3, eligible="100.00"),
    ]
    run = run_of(rows, budget="1500.00")
    assert "l'avviso non finanzia parzialmente" in explain_row(run, rows[1]).text()
    third = explain_row(run, rows[2]).text()
    assert "si è fermato alla posizione 2" in third
    assert "Avviso a sportello" in third  # no keys, no classes: in order of presentation
    assert reason(run, rows[2]).endswith("budget insufficiente (riconoscibili 100,00 €)")


def test_the_avviso_labels_name_rankings_classes_and_lines() -> None:
    avviso = get_avviso("abbiatense-caregiver-2023")
    labels = avviso_labels(avviso)
    ranking = avviso.rankings[0]
    assert labels[f"ranking:{ranking.id}"] == ranking.label
    for rule in ranking.classes:
        assert labels[f"class:{ranking.id}:{rule.priority}"] == rule.label
    assert {k for k in labels if k.startswith("line:")} == {
        f"line:{c}" for c in avviso.interventions
    }


@st.composite
def ranked_runs(draw: st.DrawFn) -> tuple[list[RunRow], Decimal]:
    """One ranking funded in order with the partial residual, as the allocation does."""
    count = draw(st.integers(min_value=1, max_value=12))
    budget = Decimal(draw(st.integers(min_value=0, max_value=6000)))
    left, stopped, rows = budget, False, []
    for n in range(count):
        eligible = Decimal(draw(st.integers(min_value=1, max_value=1500)))
        if not stopped and eligible <= left:
            outcome, amount = F.FINANZIATA, eligible
        elif not stopped and left > 0:
            outcome, amount, stopped = F.FINANZIATA_PARZIALMENTE, left, True
        else:
            outcome, amount, stopped = F.AMMESSA_NON_FINANZIATA, Decimal(0), True
        left -= amount
        isee = draw(st.sampled_from(["", "1000.00", "2000.00"]))
        rows.append(row("A127", f"P-{n:03d}", outcome, position=n + 1, amount=f"{amount:.2f}",
                        eligible=f"{eligible:.2f}", keys=(("isee", isee),)))  # fmt: skip
    return rows, budget


@settings(max_examples=120, deadline=None)
@given(case=ranked_runs())
def test_every_ranked_row_is_explained_with_the_budget_left_at_its_turn(
    case: tuple[list[RunRow], Decimal],
) -> None:
    rows, budget = case
    run = run_of(rows, budget=f"{budget:.2f}")
    spent = Decimal(0)
    every = reasons(run)
    for r in rows:
        explanation = explain_row(run, r)
        assert explanation.reason == every[r.ident] == reason(run, r)
        amount = {s.title: s.lines for s in explanation.sections}[AMOUNT]
        assert any(f"restavano {format_eur(budget - spent)}." in line for line in amount)
        assert f"Posizione {r.position} su {len(rows)}" in explanation.text()
        spent += r.amount
