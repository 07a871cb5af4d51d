"""The printed ADL / IADL / Barthel sheets: every item with every option, the chosen one marked,
totals and class, signature line; valid PDF, deterministic, no personal data in the metadata."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app.definitions.scales import get_scale
from caseworker_app.documents.base import Letterhead
from caseworker_app.documents.scale_sheets import CHOSEN, NOT_CHOSEN, render_scale_sheet
from caseworker_app.domain.assessment import Assessment, SheetStatus
from caseworker_app.domain.ids import CaseId
from tests.tools import require

LETTERHEAD = Letterhead("Ambito territoriale dell'Abbiatense", "Comune di Rosate")
PERSON = "Cantù Nicolò"
REF = "H560-2024-000012"


def _sheet(scale: str, answers: Mapping[str, int | None], **changes: object) -> Assessment:
    values: dict[str, object] = {
        "id": "sheet-1", "case_id": CaseId("case-1"), "scale": scale, "version": "1",
        "variant": None, "visit_date": date(2024, 1, 18), "place": "Rosate, domicilio",
        "evaluators": ("Giulia Rossi (AS)", "Marco Bianchi (ASST)"), "multidimensional": True,
        "answers": answers, "status": SheetStatus.COMPLETA, "created_by": "op-1",
        "updated_at": datetime(2024, 1, 18, 11, 40),
    }  # fmt: skip
    values.update(changes)
    return Assessment(**values)  # type: ignore[arg-type]


KATZ = {"lavarsi": 3, "vestirsi": 1, "uso_servizi": 1, "trasferimenti": 2, "continenza": 1,
        "alimentazione": 2}  # fmt: skip


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _flat(value: str) -> str:
    return " ".join(value.split())


def test_katz_sheet_prints_every_item_and_option_with_the_choice_marked() -> None:
    pdf = render_scale_sheet(letterhead=LETTERHEAD, sheet=_sheet("adl-katz", KATZ),
                             person=PERSON, istanza_ref=REF)  # fmt: skip
    content = _flat(_text(pdf))
    definition = get_scale("adl-katz", "1")
    for item in definition.items:
        assert _flat(item.text) in content
        for option in item.options:
            assert _flat(f"{option.number}. {option.text}") in content
            mark = CHOSEN if KATZ[item.id] == option.number else NOT_CHOSEN
            assert _flat(f"{mark} {option.number}. {option.text}")[:60] in content
    assert content.count(CHOSEN) == 6 + 1  # six answers and the legend
    assert PERSON in content and REF in content
    assert "18/01/2024" in content and "Rosate, domicilio" in content
    assert "Giulia Rossi (AS)" in content and "sì, con l'ASST" in content
    assert "adl-katz versione 1" in content
    # lavarsi and trasferimenti lost: two lost, one of them lavarsi -> class C
    assert "Funzioni conservate (A) 4 su 6" in content
    assert "Funzioni perse (D) 2 su 6" in content
    assert "Classe di Katz C" in content
    assert "Firma del valutatore – Giulia Rossi (AS)" in content


def test_iadl_sheet_shows_not_applicable_and_the_shrunk_maximum() -> None:
    answers: dict[str, int | None] = {"telefono": 1, "spesa": 2, "cucina": None,
                                      "governo_casa": None, "biancheria": None, "trasporti": 3,
                                      "farmaci": 2, "denaro": 1}  # fmt: skip
    pdf = render_scale_sheet(letterhead=LETTERHEAD, sheet=_sheet("iadl-lawton", answers),
                             person=PERSON, istanza_ref=REF)  # fmt: skip
    content = _flat(_text(pdf))
    assert content.count(f"{CHOSEN} N/A – mai svolto / non applicabile") == 3
    assert "Punteggio 3/5" in content
    assert "Item esclusi dal totale 3" in content


def test_barthel_sheet_shows_total_and_band() -> None:
    definition = get_scale("barthel", "1")
    answers: dict[str, int | None] = {item.id: 2 for item in definition.items}
    pdf = render_scale_sheet(letterhead=LETTERHEAD, sheet=_sheet("barthel", answers),
                             person=PERSON, istanza_ref=REF)  # fmt: skip
    content = _flat(_text(pdf))
    assert "Scheda Barthel" in content
    assert "Punteggio totale 50/100" in content
    assert "Fascia (Shah 1989) dipendenza grave" in content


def test_draft_sheet_says_what_is_missing() -> None:
    answers = {k: v for k, v in KATZ.items() if k != "continenza"}
    sheet = _sheet("adl-katz", answers, status=SheetStatus.BOZZA)
    content = _flat(_text(render_scale_sheet(letterhead=LETTERHEAD, sheet=sheet, person=PERSON,
                                             istanza_ref=REF)))  # fmt: skip
    assert "scheda incompleta: 1 item senza risposta" in content
    assert "Continenza (urine e feci) (senza risposta)" in content
    assert "Classe di Katz —" in content


def test_draft_with_no_item_scored_says_so() -> None:
    items = [item.id for item in get_scale("iadl-lawton", "1").items]
    sheet = _sheet("iadl-lawton", dict.fromkeys(items), status=SheetStatus.BOZZA)
    content = _flat(_text(render_scale_sheet(letterhead=LETTERHEAD, sheet=sheet, person=PERSON,
                                             istanza_ref=REF)))  # fmt: skip
    assert "scheda incompleta: nessun item valutato (tutti non applicabili)" in content
    assert "0 item senza risposta" not in content


def test_sheet_is_deterministic_and_keeps_people_out_of_metadata() -> None:
    sheet = _sheet("adl-katz", KATZ)
    first = render_scale_sheet(letterhead=LETTERHEAD, sheet=sheet, person=PERSON, istanza_ref=REF)
    again = render_scale_sheet(letterhead=LETTERHEAD, sheet=sheet, person=PERSON, istanza_ref=REF)
    assert first == again
    info = PdfReader(BytesIO(first)).metadata
    assert info is not None and info.title == "Scheda ADL" and info.author == "Comune di Rosate"
    dumped = json.dumps({k: str(v) for k, v in info.items()}, ensure_ascii=False)
    assert "Cantù" not in dumped and "Rossi" not in dumped
    assert str(info["/CreationDate"]).startswith("D:20240118114000")


def test_stamp_names_the_kind_and_changes_with_the_answers() -> None:
    one = _text(render_scale_sheet(letterhead=LETTERHEAD, sheet=_sheet("adl-katz", KATZ),
                                   person=PERSON, istanza_ref=REF))  # fmt: skip
    two = _text(render_scale_sheet(letterhead=LETTERHEAD,
                                   sheet=_sheet("adl-katz", {**KATZ, "lavarsi": 1}),
                                   person=PERSON, istanza_ref=REF))  # fmt: skip
    assert f"Rif. {REF} · adl" in one
    imprint = [line for line in one.splitlines() if line.startswith("Impronta")]
    assert imprint and imprint[0] not in two


@pytest.mark.parametrize("scale", ["adl-katz", "iadl-lawton", "barthel"])
def test_qpdf_check_passes(scale: str, tmp_path: Path) -> None:
    answers: dict[str, int | None] = {i.id: 1 for i in get_scale(scale, "1").items}
    path = tmp_path / "sheet.pdf"
    path.write_bytes(render_scale_sheet(letterhead=LETTERHEAD, sheet=_sheet(scale, answers),
                                        person=PERSON, istanza_ref=REF))  # fmt: skip
    done = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_sex_specific_iadl_marks_the_items_not_scored_for_men() -> None:
    from caseworker_app.domain.person import Sex

    answers: dict[str, int | None] = {"telefono": 1, "spesa": 2, "trasporti": 3, "farmaci": 1,
                                      "denaro": 2}  # fmt: skip
    sheet = _sheet("iadl-lawton", answers, variant="sex_specific")
    content = _flat(_text(render_scale_sheet(letterhead=LETTERHEAD, sheet=sheet, person=PERSON,
                                             istanza_ref=REF, sex=Sex.M)))  # fmt: skip
    assert "Preparare i pasti (non valutato con questa variante)" in content
    assert "Punteggio 4/5" in content
