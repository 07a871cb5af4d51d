"""The printed Progetto Individuale: every section, Italian amounts, budget totals, signatories,
tables split across pages with their header, graphic signatures, deterministic bytes."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import zlib
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app.documents.base import GraphicSignature, content_hash
from caseworker_app.documents.formats import format_date, format_datetime, format_money
from caseworker_app.documents.pi_document import pi_stamp, render_pi
from caseworker_app.documents.pi_sample import (
    SAMPLE_ISTANZA,
    SAMPLE_LETTERHEAD,
    sample_content,
    sample_version,
)
from caseworker_app.domain.pi import Evaluation, PiContent
from tests.tools import require

HEADINGS = (
    "1. Intestazione", "2. Beneficiario", "3. Rete familiare e di supporto", "4. Valutazione",
    "5. Situazione economica", "6. Servizi e misure già in atto", "7. Obiettivi",
    "8. Interventi", "9. Budget di progetto", "10. Compatibilità con altre misure",
    "11. Monitoraggio", "12. Firme",
)  # fmt: skip


def signature_png(width: int = 240, height: int = 80) -> bytes:
    """A grey-scale PNG of a wavy pen stroke, written with zlib only."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            wave = height / 2 + (height / 3) * ((x % 60) / 30 - 1) * (1 if x % 120 < 60 else -1)
            row.append(0 if abs(y - wave) < 2.5 else 255)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))  # fmt: skip


def _render(content: PiContent | None = None, *, signed: bool = True, **kwargs: object) -> bytes:
    return render_pi(
        letterhead=SAMPLE_LETTERHEAD,
        content=content or sample_content(),
        version=sample_version(signed=signed),
        istanza_ref=SAMPLE_ISTANZA,
        **kwargs,  # type: ignore[arg-type]
    )


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_italian_formats_for_every_document() -> None:
    assert format_date(date(1941, 3, 5)) == "05/03/1941"
    assert format_date(None) == ""
    assert format_datetime(datetime(2024, 1, 25, 9, 7)) == "25/01/2024 09:07"
    assert format_money(Decimal("27300")) == "27.300,00 €"
    assert format_money(Decimal("1234.565")) == "1.234,57 €"
    assert format_money(Decimal("0")) == "0,00 €"


def test_social_worker_prints_a_complete_pi() -> None:
    content = sample_content()
    pages = _pages(_render(content))
    assert 4 <= len(pages) <= 6
    whole = _flat(" ".join(pages))
    positions = [whole.find(h) for h in HEADINGS]
    assert -1 not in positions and positions == sorted(positions), positions
    for expected in (
        "Cantù Nicolò", "CNTNCL38A01A010X", "01/01/1938 – Abbiategrasso (MI)",
        "Misura B2 – Buono sociale per caregiver familiare", "DGR XII/1669/2023; FNA 2023",
        "A010-2024-000123", "n. 2 – aggiornamento", "firmata il 25/01/2024 11:20",
        "Bianchi Giuseppina", "caregiver familiare",
        "ADL (Katz)", "3 su 6", "IADL (Lawton)", "2 su 8", "55 su 100", "dipendenza moderata",
        "ISEE sociosanitario", "14.250,37 €", "INPS-ISEE-2024-000123456-00",
        "assistenza domiciliare integrata", "Igiene personale completa",
        "Cooperativa Sociale Il Girasole", "400,00 €", "4.400,00 €", "1.260,00 €",
        "Nessuna misura in atto è incompatibile con l'avviso.",
        "30/04/2024, 31/07/2024, 31/10/2024", "Ricovero definitivo in struttura residenziale",
        "informativa sul trattamento dei dati personali",
    ):  # fmt: skip
        assert expected in whole, expected
    assert "BOZZA" not in whole


def test_budget_totals_and_interventions_total_are_printed() -> None:
    content = sample_content()
    whole = _flat(" ".join(_pages(_render(content))))
    totals = content.totals()
    assert totals.balanced
    assert f"Totale risorse {format_money(totals.monthly)} {format_money(totals.total)}" in whole
    assert "Totale interventi" in whole and format_money(totals.interventions_total) in whole
    for line in content.budget:
        if line.total is not None:
            assert format_money(line.total) in whole


def test_every_signatory_has_a_block_with_role_place_and_date() -> None:
    content = sample_content()
    signature_page = _flat(_pages(_render(content))[-1])
    whole = _flat(" ".join(_pages(_render(content))))
    for role, name in (("Beneficiario", "Nicolò Cantù"), ("Familiare", "Lucia Cantù"),
                       ("Responsabile del caso", "Maria Rossi")):  # fmt: skip
        assert f"{role} Nome e cognome {name} Luogo e data Abbiategrasso, 25/01/2024" in whole
    assert "Firma" in signature_page


def test_required_roles_get_blank_blocks_when_nobody_is_listed() -> None:
    content = replace(
        sample_content(), signatories=(), evaluation=Evaluation(multidimensional=True)
    )
    whole = _flat(" ".join(_pages(_render(content, signed=False))))
    for role in ("Beneficiario", "Responsabile del caso", "Rappresentante ASST"):
        assert f"{role} Nome e cognome ____" in whole, role


def test_a_draft_is_marked_as_such() -> None:
    pages = _pages(_render(signed=False))
    assert "BOZZA – non firmata" in pages[0]
    assert "BOZZA – non firmata" in _flat(" ".join(pages)).split("12. Firme")[1]


def test_an_empty_pi_says_so_in_every_section() -> None:
    pdf = render_pi(
        letterhead=SAMPLE_LETTERHEAD,
        content=PiContent(),
        version=sample_version(signed=False),
        istanza_ref="istanza-senza-protocollo",
    )
    whole = _flat(" ".join(_pages(pdf)))
    for heading in HEADINGS:
        assert heading in whole
    for message in (
        "Nessuna persona della rete indicata.", "Nessuna scheda completata.",
        "Nessun servizio o misura in atto.", "Nessun obiettivo indicato.",
        "Nessun intervento previsto.", "Controllo di compatibilità non ancora eseguito.",
        "Nessuna verifica programmata", "Totale risorse 0,00 € 0,00 €",
    ):  # fmt: skip
        assert message in whole, message


def test_forty_interventions_split_across_pages_repeating_the_header() -> None:
    content = sample_content(interventions=40)
    pages = [_flat(p) for p in _pages(_render(content))]
    with_rows = [p for p in pages if "Telesoccorso e teleassistenza" in p]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "Intervento Ente erogatore Quantità Periodo Mensile Totale" in page
    whole = " ".join(pages)
    assert whole.count("Telesoccorso e teleassistenza") == 40 // 6 + (1 if 40 % 6 > 5 else 0)
    assert format_money(content.totals().interventions_total) in whole


def test_a_signed_version_prints_byte_identically_twice() -> None:
    assert _render() == _render()


def test_metadata_and_stamp_carry_no_personal_data() -> None:
    content = sample_content()
    reader = PdfReader(BytesIO(_render(content)))
    info = reader.metadata
    assert info is not None
    assert info.title == "Progetto Individuale"
    assert info.author == "Comune di Abbiategrasso"
    dumped = json.dumps({k: str(v) for k, v in info.items()}, ensure_ascii=False)
    for personal in ("Cantù", "Nicolò", "CNTNCL", "Rossi", "1938"):
        assert personal not in dumped
    assert str(info["/CreationDate"]).startswith("D:20240125112000")  # signed_at
    stamp = pi_stamp(content=content, version=sample_version(), istanza_ref=SAMPLE_ISTANZA)
    assert stamp.content_hash == content_hash(content.to_data())
    assert "Cantù" not in stamp.payload()


def test_a_draft_takes_its_date_from_the_last_update() -> None:
    info = PdfReader(BytesIO(_render(signed=False))).metadata
    assert info is not None
    assert str(info["/CreationDate"]).startswith("D:20240124174500")


def test_graphic_signature_is_drawn_into_its_block() -> None:
    signature = GraphicSignature("beneficiario", signature_png(), datetime(2024, 1, 25, 11, 5),
                                 "tocco")  # fmt: skip
    pdf = _render(signatures=(signature,))
    reader = PdfReader(BytesIO(pdf))
    with_image = []
    for number, page in enumerate(reader.pages):
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        if xobjects is None:
            continue
        subtypes = {str(x.get_object().get("/Subtype")) for x in xobjects.get_object().values()}
        if "/Image" in subtypes:
            with_image.append(number)
    text = [_flat(p.extract_text()) for p in reader.pages]
    signature_pages = [n for n, t in enumerate(text) if "Nicolò Cantù Luogo e data" in t]
    assert with_image == signature_pages
    assert "firma grafica acquisita il 25/01/2024 11:05 (tocco)" in " ".join(text)
    assert " ".join(text).count("firma grafica acquisita") == 1  # only the beneficiary's block


def test_qpdf_finds_no_error(tmp_path: Path) -> None:
    signature = GraphicSignature("case_manager", signature_png(), datetime(2024, 1, 25, 11, 7),
                                 "penna")  # fmt: skip
    for name, pdf in (("firmato.pdf", _render(signatures=(signature,))),
                      ("bozza.pdf", _render(signed=False)),
                      ("lungo.pdf", _render(sample_content(interventions=40)))):  # fmt: skip
        target = tmp_path / name
        target.write_bytes(pdf)
        result = subprocess.run(
            [require("qpdf"), "--check", str(target)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


# -- periods, words in cells, fonts ------------------------------------------------------------


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages reference (also inside forms and nested resources): embedded?"""
    found: dict[str, bool] = {}

    def walk(resources: object) -> None:
        res = getattr(resources, "get_object", lambda: resources)()
        if not isinstance(res, dict):
            return
        for font in (res.get("/Font") or {}).values():  # type: ignore[union-attr]
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor")
                            for d in font.get("/DescendantFonts") or ()]  # fmt: skip
            embedded = any(
                d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2",
                                                                    "/FontFile3"))
                for d in descriptors
            )  # fmt: skip
            found[str(font.get("/BaseFont"))] = embedded
        for xobject in (res.get("/XObject") or {}).values():  # type: ignore[union-attr]
            walk(xobject.get_object().get("/Resources"))

    for page in PdfReader(BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


def _printed_variants() -> dict[str, bytes]:
    signature = GraphicSignature("beneficiario", signature_png(), datetime(2024, 1, 25, 11, 5),
                                 "tocco")  # fmt: skip
    return {
        "signed.pdf": _render(signatures=(signature,)),
        "draft.pdf": _render(signed=False),
        "empty.pdf": render_pi(letterhead=SAMPLE_LETTERHEAD, content=PiContent(),
                               version=sample_version(signed=False), istanza_ref="x"),
    }  # fmt: skip


def test_every_font_the_pi_references_is_embedded() -> None:
    for name, pdf in _printed_variants().items():
        fonts = _fonts(pdf)
        assert fonts and all(fonts.values()), (name, fonts)  # no bare Helvetica
        assert not any("Helvetica" in f for f in fonts), (name, fonts)


def test_pdffonts_finds_every_font_of_the_pi_embedded(tmp_path: Path) -> None:
    for name, pdf in _printed_variants().items():
        target = tmp_path / name
        target.write_bytes(pdf)
        listed = subprocess.run([require("pdffonts"), str(target)], capture_output=True, text=True,
                                check=True).stdout.splitlines()[2:]  # fmt: skip
        assert listed, name
        for line in listed:  # name type encoding emb sub uni object ID
            assert line.split()[-5] == "yes", (name, line)


def test_periods_print_as_dal_al() -> None:
    whole = _flat(" ".join(_pages(_render())))
    assert "dal 01/02/2024 al 31/12/2024" in whole  # the interventions
    assert "dal 15/11/2023 al 31/03/2024" in whole  # a service in place with an end
    assert "dal 01/12/2023" in whole  # one still open
    assert "15/11/2023 – 31/03/2024" not in whole


def test_words_are_never_split_inside_table_cells() -> None:
    content = sample_content()
    services = (
        replace(content.services[0], frequency="2 volte/settimana", provider="Teleassistenza"),
        replace(content.services[1], frequency="Precipitevolissimevolmente"),
    )
    network = (replace(content.network.people[0], relationship="pronipote acquisita"),)
    interventions = (replace(content.interventions[0], quantity="22 pasti/mese",
                             provider="Associazione Auser Abbiategrasso"),)  # fmt: skip
    content = replace(content, services=services, network=replace(content.network,
                      people=network), interventions=interventions)  # fmt: skip
    whole = _flat(" ".join(_pages(_render(content))))
    for word in (
        "volte/settimana",
        "Teleassistenza",
        "Precipitevolissimevolmente",
        "pronipote",
        "acquisita",
        "pasti/mese",
        "Abbiategrasso",
        "Finanziamento",
        "Convivente",
    ):
        assert word in whole, word


_SECTION_HEADING = re.compile(r"^\d{1,2}\. [A-ZÀ-Ú]")
_FOOTER = ("Pagina ", "Rif. ", "Impronta ")


@pytest.mark.parametrize("interventions", [1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40])
def test_a_section_heading_is_never_the_last_line_of_a_page(interventions: int) -> None:
    """However long the interventions table, a numbered PI heading always has its content
    after it on the same page (the lengths move every later heading across a page break)."""
    pages = [
        [ln.strip() for ln in page.splitlines() if ln.strip()]
        for page in _pages(_render(sample_content(interventions=interventions)))
    ]
    frame = set.intersection(*(set(lines) for lines in pages))  # the letterhead, every page
    for number, lines in enumerate(pages[:-1], start=1):
        body = [ln for ln in lines if ln not in frame and not ln.startswith(_FOOTER)]
        assert body and not _SECTION_HEADING.match(body[-1]), (number, body[-3:])
