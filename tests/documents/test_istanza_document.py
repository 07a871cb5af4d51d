"""The istanza printed as the avviso's Allegato A: beneficiary, self-declarations, amounts in
Italian format, IBAN; valid PDF, deterministic, no personal data in the metadata."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.documents.base import Letterhead
from caseworker_app.documents.istanza_document import (
    CHECKED,
    DECLARATION_TEXTS,
    UNCHECKED,
    render_istanza,
)
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
)
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza, IstanzaState
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    Applicant,
    ApplicantRole,
    CaseFacts,
    DocumentCheck,
    IstanzaContent,
    RequestedLine,
)
from caseworker_app.domain.person import Anagrafica, Sex
from tests.tools import require

LETTERHEAD = Letterhead("Ambito territoriale dell'Abbiatense", "Comune di Rosate")
AVVISO = get_avviso("abbiatense-caregiver-2023")
ISTANZA = Istanza(IstanzaId("ist-1"), CaseId("case-1"), "H560", AVVISO.id,
                  IstanzaState.PRESENTATA, "H560-2024-000012",
                  datetime(2024, 1, 15, 9, 30))  # fmt: skip
FACTS = CaseFacts(
    anagrafica=Anagrafica(
        codice_fiscale="CNTNCL41C05H560X", surname="Cantù", given_name="Nicolò",
        birth_date=date(1941, 3, 5), sex=Sex.M, birth_place_code="H560", citizenship="IT",
        residence_address="Via Roma 12", residence_comune="H560", residence_cap="20088",
        phone="02 1234567",
    ),
    certifications=(
        Certification(CertificationKind.INDENNITA_ACCOMPAGNAMENTO, date(2022, 6, 1), "INPS"),
        Certification(CertificationKind.INVALIDITA_CIVILE, date(2022, 6, 1), "INPS", 100),
    ),
    isee={"isee-1": IseeAttestation("sociosanitario", Decimal("12345.67"),
                                    "INPS-ISEE-2024-000123456-00", date(2024, 1, 10))},
)  # fmt: skip
IBAN = "IT60X0542811101000000123456"
CONTENT = IstanzaContent(
    applicant=Applicant(ApplicantRole.FAMILIARE, "Cantù", "Maria", "CNTMRA70A41H560Y", "figlia"),
    declarations={code: code != "composizione_nucleo" for code in DECLARATIONS},
    family_caregiver_only=True,
    requests=(
        RequestedLine("rimborso_domiciliare", "1234.56", date(2023, 1, 1), date(2023, 12, 31)),
        RequestedLine("rimborso_residenziale", "450", date(2023, 8, 1), date(2023, 8, 14),
                      days=14),
    ),
    documents=(
        DocumentCheck("documento_identita", received_on=date(2024, 1, 15)),
        DocumentCheck("isee", promised_by=date(2024, 1, 31)),
    ),
    iban=IBAN,
    iban_holder="Cantù Nicolò",
)  # fmt: skip


def _render(**changes: object) -> bytes:
    values: dict[str, object] = {
        "letterhead": LETTERHEAD,
        "istanza": ISTANZA,
        "content": CONTENT,
        "facts": FACTS,
        "avviso": AVVISO,
    }
    values.update(changes)
    return render_istanza(**values)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    pages = PdfReader(BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_istanza_shows_avviso_protocol_applicant_and_beneficiary() -> None:
    content = _text(_render())
    assert "Istanza – Allegato A" in content
    assert AVVISO.title in content and "DGR XI/7605/2022; DGR XI/7799/2023" in content
    assert "Protocollo n. H560-2024-000012 del 15/01/2024 09:30" in content
    assert "Cantù Maria" in content and "familiare del beneficiario" in content
    assert "figlia" in content
    assert "Cantù Nicolò" in content and "CNTNCL41C05H560X" in content
    assert "Rosate (MI), 05/03/1941" in content
    assert "Via Roma 12, 20088 Rosate (MI)" in content
    assert "Indennità di accompagnamento" in content and "100%" in content


def test_istanza_ticks_the_declarations_made_and_only_those() -> None:
    content = _text(_render())
    for code in DECLARATIONS:
        wording = " ".join(DECLARATION_TEXTS[code].split())[:50]
        mark = UNCHECKED if code == "composizione_nucleo" else CHECKED
        assert f"{mark} {wording}" in content
    assert f"{CHECKED} È assistito dal solo caregiver familiare" in content
    assert f"{UNCHECKED} Ha un'assistente familiare" in content


def test_istanza_prints_amounts_isee_documents_and_iban_in_italian_format() -> None:
    content = _text(_render())
    assert "1.234,56 €" in content and "450,00 €" in content
    assert "Totale richiesto" in content and "1.684,56 €" in content
    assert "dal 01/01/2023 al 31/12/2023" in content and "giorni: 14" in content
    assert "12.345,67 €" in content and "INPS-ISEE-2024-000123456-00" in content
    assert "31/12/2024" in content  # validity to 31/12 of the DSU year
    assert "ricevuto il 15/01/2024" in content
    assert "da presentare entro il 31/01/2024" in content
    assert "IT60 X054 2811 1010 0000 0123 456" in content
    assert "Firma del richiedente" in content and "Rosate, 15/01/2024" in content


def test_draft_istanza_says_not_presented_and_never_uses_the_clock() -> None:
    draft = replace(ISTANZA, state=IstanzaState.BOZZA, protocol=None, submitted_at=None)
    pdf = _render(istanza=draft)
    assert "Istanza non ancora presentata (bozza)" in _text(pdf)
    info = PdfReader(BytesIO(pdf)).metadata
    assert info is not None
    assert str(info["/CreationDate"]).startswith("D:20240131")  # latest date in the content
    assert pdf == _render(istanza=draft)


def test_istanza_is_deterministic_and_keeps_people_out_of_metadata() -> None:
    first = _render()
    assert first == _render()
    info = PdfReader(BytesIO(first)).metadata
    assert info is not None and info.title == "Istanza – Allegato A"
    assert info.author == "Comune di Rosate"
    dumped = json.dumps({k: str(v) for k, v in info.items()}, ensure_ascii=False)
    for personal in ("Cantù", "CNTNCL", "IT60"):
        assert personal not in dumped
    assert str(info["/CreationDate"]).startswith("D:20240115093000")


def test_stamp_refers_to_the_protocol() -> None:
    assert "Rif. H560-2024-000012 · istanza" in _text(_render())


def test_qpdf_check_passes(tmp_path: Path) -> None:
    path = tmp_path / "istanza.pdf"
    path.write_bytes(_render())
    done = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_font_of_the_allegato_a_is_embedded(tmp_path: Path) -> None:
    target = tmp_path / "istanza.pdf"
    target.write_bytes(_render())
    listed = subprocess.run([require("pdffonts"), str(target)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]  # fmt: skip
    assert listed
    for line in listed:  # name type encoding emb sub uni object ID
        assert line.split()[-5] == "yes", line


def test_istanza_prints_citizenship_by_the_name_of_the_state() -> None:
    # Before: the two-letter code ("IT") was printed, and "—" for an older cartella without it.
    content = _text(_render())
    assert "Cittadinanza Italia" in content
    moroccan = replace(FACTS, anagrafica=replace(FACTS.anagrafica, citizenship="MA"))
    assert "Cittadinanza Marocco" in _text(_render(facts=moroccan))
    unknown = replace(FACTS, anagrafica=replace(FACTS.anagrafica, citizenship=""))
    printed = _text(_render(facts=unknown))
    assert "Cittadinanza non indicata" in printed
    assert "Cittadinanza —" not in printed
