"""The tables of a ranking run: the internal spreadsheet of the Ufficio di Piano (full rows and
reasons), the public table (nothing personal) and the elenco di liquidazione per comune."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from caseworker_app.documents.graduatoria_tables import (
    CAUSALE_MAX,
    INTERNAL_COLUMNS,
    causale,
    internal_sheets,
    liquidazione_csv_sheet,
    liquidazione_sheets,
    public_sheet,
)
from caseworker_app.documents.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.domain.rules.allocation import Funding
from tests.documents.calc import expected_rows, libreoffice_csv, parse_csv, typed_rows
from tests.documents.run_factory import (
    AVVISO_TITLE,
    COMUNI,
    CONTENT_SHA,
    INPUTS_SHA,
    LABELS,
    RUN_ID,
    beneficiaries,
    make_run,
)

CREATED = datetime(2024, 2, 5, 12, 0)


def _reasons(stored: StoredRun) -> dict[tuple[str, str], str]:
    return {r.ident: f"Motivo di {r.protocol}" for r in stored.run.rows}


def _internal(stored: StoredRun) -> list[Sheet]:
    return internal_sheets(stored, beneficiaries=beneficiaries(stored), comuni=COMUNI,
                           reasons=_reasons(stored), labels=LABELS,
                           avviso_title=AVVISO_TITLE)  # fmt: skip


def _columns(sheet: Sheet) -> list[str]:
    return [c.title for c in sheet.columns]


def test_internal_sheets_have_summary_one_sheet_per_ranking_and_the_identity() -> None:
    stored = make_run(30, rankings=("b1", "b2"))
    sheets = _internal(stored)
    assert [s.title for s in sheets] == ["Riepilogo", "Misura B1", "Misura B2",
                                         "Non collocate", "Graduatoria n. 2"]  # fmt: skip
    summary = {row[0]: row for row in sheets[0].rows}
    b1 = summary["Misura B1"]
    totals = {t.id: t for t in stored.run.rankings}
    assert b1[1:5] == [Decimal("50000.00"), Decimal("0.00"), totals["b1"].assigned,
                       Decimal("50000.00") - totals["b1"].assigned]  # fmt: skip
    assert summary["Misura B2"][2] == Decimal("1000.00")  # the residual it received
    total = summary["Totale"]
    assert total[1] == stored.run.budget and total[3] == stored.run.assigned
    assert total[4] == stored.run.residual and total[5] == 30
    identity = dict((str(k), str(v)) for k, v in sheets[-1].rows)
    assert identity["Identificativo"] == RUN_ID
    assert identity["Impronta del contenuto (SHA-256)"] == CONTENT_SHA
    assert identity["Impronta degli ingressi (SHA-256)"] == INPUTS_SHA
    assert identity["Determina"] == "123/2024"
    assert identity["Data della determina"] == "05/02/2024"
    assert identity["Graduatoria n."] == "2" and identity["Stato"] == "approvata"


def test_internal_rows_carry_the_person_the_amounts_and_the_reason() -> None:
    stored = make_run(10)
    sheets = _internal(stored)
    assert [s.title for s in sheets] == ["Riepilogo", "Graduatoria", "Graduatoria n. 2"]
    ranking = sheets[1]
    assert ranking.columns == INTERNAL_COLUMNS
    assert _columns(ranking) == [
        "Posizione", "Comune", "Protocollo", "Versione", "Cognome", "Nome", "Codice fiscale",
        "Classe", "ISEE", "Data presentazione", "Importo ammissibile", "Importo assegnato",
        "Esito", "Motivazione",
    ]  # fmt: skip
    assert len(ranking.rows) == 10
    first = ranking.rows[0]
    row = stored.run.rows[0]
    assert first == [
        1, "Abbiategrasso", row.protocol, 1, "D'Àngelo0", "Nicolò0", "DNGNCL80A01F000X",
        row.priority_class, Decimal("8123.45"), row.submitted_at, row.eligible, row.amount,
        "Finanziata", f"Motivo di {row.protocol}",
    ]  # fmt: skip
    positions = [r[0] for r in ranking.rows]
    ranked = [p for p in positions if p is not None]
    assert ranked == sorted(ranked) and positions[-len(positions) + len(ranked) :] == [None] * 2
    outcomes = {"Finanziata", "Finanziata parzialmente", "Ammessa non finanziata",
                "Non ammissibile"}  # fmt: skip
    assert {r[12] for r in ranking.rows} == outcomes


def test_public_sheet_has_nothing_personal() -> None:
    stored = make_run(12, rankings=("b1", "b2"))
    sheet = public_sheet(stored, comuni=COMUNI, labels=LABELS)
    assert _columns(sheet) == ["Graduatoria", "Posizione", "Comune", "Protocollo", "Esito",
                               "Importo"]  # fmt: skip
    content = csv_bytes(sheet).decode("utf-8-sig")
    for who in beneficiaries(stored).values():
        for secret in (who.surname, who.given_name, who.codice_fiscale.upper(),
                       f"{who.isee:.2f}".replace(".", ","), "IT60"):  # fmt: skip
            assert secret not in content
    assert all(r.protocol in content for r in stored.run.rows)
    single = public_sheet(make_run(5), comuni=COMUNI)
    assert _columns(single) == ["Posizione", "Comune", "Protocollo", "Esito", "Importo"]


def test_liquidazione_lists_the_funded_rows_per_comune_and_flags_bad_ibans() -> None:
    stored = make_run(40)
    people = beneficiaries(stored)
    sheets = liquidazione_sheets(stored, beneficiaries=people, comuni=COMUNI,
                                 avviso_title=AVVISO_TITLE)  # fmt: skip
    assert [s.title for s in sheets] == ["Abbiategrasso", "Albairate", "Cassinetta di Lugagnano"]
    funded = [r for r in stored.run.rows
              if r.outcome in (Funding.FINANZIATA, Funding.FINANZIATA_PARZIALMENTE)]  # fmt: skip
    lines = [line for s in sheets for line in s.rows]
    assert len(lines) == len(funded) == 24
    assert all(line[7] == s.rows[0][7] for s in sheets for line in s.rows)  # one comune each
    by_protocol = {str(line[8]): line for line in lines}
    for row in funded:
        who = people[row.ident]
        line = by_protocol[row.protocol]
        assert line[0] == f"{who.surname} {who.given_name}"
        assert line[1] == who.codice_fiscale.upper() and line[4] == row.amount
        assert line[5] == (f"Avviso {AVVISO_TITLE} — graduatoria n. 2 — istanza {row.protocol}")
        if who.iban.startswith("IT60"):
            assert line[2] == "IT60X0542811101000000123456" and line[9:] == ["", ""]
        else:  # kept, to be checked, with the reason in Italian
            assert line[9] == "sì"
            assert "IBAN" in str(line[10])
    flagged = {str(line[10]) for line in lines if line[9] == "sì"}
    assert any("caratteri di controllo" in f for f in flagged)  # wrong check digits
    assert any("Indica l'IBAN" in f for f in flagged)  # missing
    flat = liquidazione_csv_sheet(stored, beneficiaries=people, comuni=COMUNI,
                                  avviso_title=AVVISO_TITLE)  # fmt: skip
    assert flat.columns == sheets[0].columns
    assert flat.rows == [line for s in sheets for line in s.rows]


def test_a_beneficiary_missing_from_the_store_is_kept_and_flagged() -> None:
    stored = make_run(3)
    sheet = liquidazione_csv_sheet(stored, beneficiaries={}, comuni=COMUNI, avviso_title="X")
    assert len(sheet.rows) == 3 and all(line[9] == "sì" for line in sheet.rows)


def test_causale_never_exceeds_the_sepa_length_and_keeps_the_protocol() -> None:
    long = causale("Contributo " * 30, 12, "A010-2023-000123")
    assert len(long) <= CAUSALE_MAX and long.endswith(
        "— graduatoria n. 12 — istanza A010-2023-000123"
    )
    assert causale("Breve", 1, "P1") == "Avviso Breve — graduatoria n. 1 — istanza P1"


def test_libreoffice_converts_the_xlsx_to_the_same_rows_as_our_csv(tmp_path: Path) -> None:
    stored = make_run(25, rankings=("b1", "b2"))
    sheets = _internal(stored) + liquidazione_sheets(
        stored, beneficiaries=beneficiaries(stored), comuni=COMUNI, avviso_title=AVVISO_TITLE
    )
    target = tmp_path / "interno.xlsx"
    target.write_bytes(xlsx_bytes(sheets, created=CREATED))
    wb = load_workbook(target)
    ws = wb["Misura B1"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:N")
    assert ws.cell(2, 9).data_type == "n" and ws.cell(2, 9).number_format.endswith('"€"')
    assert isinstance(ws.cell(2, 10).value, datetime)
    converted = libreoffice_csv(target, tmp_path)
    assert sorted(converted) == sorted(s.title for s in sheets)
    for sheet in sheets:
        ours = typed_rows(sheet, parse_csv(csv_bytes(sheet).decode("utf-8")))
        assert typed_rows(sheet, converted[sheet.title]) == ours == expected_rows(sheet), (
            sheet.title
        )
