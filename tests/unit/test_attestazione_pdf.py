"""The attestazione of a transmission (seed 003 §10): what it says, that 500 istanze paginate
with the header row on every page, that it is deterministic, and that it has no room for a
beneficiary's personal data."""

from __future__ import annotations

import dataclasses
import subprocess
import time
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from caseworker_app.documents.attestazione import (
    TITLE_TEXT,
    AttestazioneData,
    AttestazioneLine,
    render_attestazione,
)
from caseworker_app.documents.base import read_stamp
from tests.documents.test_base import decode_qr
from tests.tools import assert_fonts_embedded, require

TRANSMISSION = "5f0c2a7e-9b1d-4c3e-8a6f-2d4b1e7c9a30"
FINGERPRINT = "0123456789" * 4
CAREGIVER = ("abbiatense-caregiver-2023",
             "Caregiver familiare 2023 - rimborso spese (Ambito dell'Abbiatense)")  # fmt: skip
#: a beneficiary of the istanze sent: the attestazione has no way to carry it
BENEFICIARY = ("Rossi", "Mario", "RSSMRA41C05A010X", "12345,67")


def _line(n: int) -> AttestazioneLine:
    return AttestazioneLine(
        protocol=f"H560-2024-{n:06d}",
        avviso=CAREGIVER[0],
        version=2 if n % 7 == 0 else 1,
        submitted_on=date(2024, 1, 1 + n % 20),
        documents=2 + n % 3,
        evaluation=n % 5 != 0,
        sheets=0 if n % 5 == 0 else 2,
        pi_signed=n % 5 != 0,
    )


def _data(count: int = 3, **changes: object) -> AttestazioneData:
    data = AttestazioneData(
        comune_code="H560",
        comune_name="Rosate",
        capofila_name="Abbiategrasso",
        ambito_name="Ambito territoriale dell'Abbiatense",
        avvisi=(CAREGIVER,),
        transmission=TRANSMISSION,
        created_at=datetime(2024, 2, 15, 10, 42),
        file_name="H560-20240215-001.cwt",
        fingerprint=FINGERPRINT,
        operator_name="Laura Verdi",
        operator_qualifica="Assistente sociale",
        lines=tuple(_line(n) for n in range(1, count + 1)),
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def _pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext, layout kept, pages split at form feeds)."""
    done = subprocess.run([require("pdftotext"), "-layout", "-", "-"], input=pdf,
                          capture_output=True, check=True)  # fmt: skip
    return done.stdout.decode("utf-8").split("\f")[:-1]


def test_it_names_sender_addressee_transmission_and_istanze(tmp_path: Path) -> None:
    pdf = render_attestazione(_data())
    text = "\n".join(_pages(pdf))
    flat = " ".join(text.split())
    assert TITLE_TEXT in flat
    assert "Comune di Rosate (codice catastale H560)" in flat
    assert "Ufficio di Piano — Comune capofila di Abbiategrasso" in flat
    assert "Ambito territoriale dell'Abbiatense" in flat
    assert CAREGIVER[1] in flat and CAREGIVER[0] in flat
    assert TRANSMISSION in flat and "15/02/2024 10:42" in flat and "H560-20240215-001.cwt" in flat
    assert "01234 56789 01234 56789 01234 56789 01234 56789" in flat
    assert "Laura Verdi, Assistente sociale" in flat
    assert "verifica dei requisiti di accesso e dei dati autodichiarati ha avuto esito" in flat
    assert "Il Responsabile del Servizio / L'Assistente sociale" in flat
    assert "Rosate, 15/02/2024" in flat
    for n in (1, 2, 3):
        assert f"H560-2024-{n:06d}" in flat
    assert "Pagina 1 di 1" in flat
    path = tmp_path / "attestazione.pdf"
    path.write_bytes(pdf)
    assert_fonts_embedded(path)


def test_each_row_says_what_is_attached_and_the_totals_add_up() -> None:
    lines = (
        dataclasses.replace(_line(1), documents=4, evaluation=True, sheets=2, pi_signed=True),
        dataclasses.replace(_line(2), documents=3, evaluation=False, sheets=0, pi_signed=False),
    )
    page = _pages(render_attestazione(_data(lines=lines)))[0]
    rows = [" ".join(r.split()) for r in page.splitlines()]
    assert "1 H560-2024-000001 1 1 02/01/2024 4 sì 2 sì" in rows
    assert "2 H560-2024-000002 1 1 03/01/2024 3 no 0 no" in rows
    assert "Totale: 2 7 1 2 1" in rows
    assert (
        "Totale trasmesso: 2 istanze, 7 documenti allegati, 1 scheda di valutazione sociale, "
        "2 schede ADL e IADL, 1 progetto individuale firmato."
    ) in " ".join(page.split())


def test_500_istanze_paginate_with_the_header_row_on_every_page() -> None:
    data = _data(500)
    started = time.perf_counter()
    pdf = render_attestazione(data)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s for 500 istanze"  # about 0.3 s here
    pages = _pages(pdf)
    assert len(pages) >= 10
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} di {len(pages)}" in page
    table_pages = [p for p in pages if "H560-2024-" in p]
    assert table_pages[: len(pages) - 1] == pages[:-1]  # the last may hold only the signature
    for page in table_pages:
        assert "Protocollo" in page and "Presentata il" in page and "PI firmato" in page
    text = "\n".join(pages)
    for n in range(1, 501):
        assert f"H560-2024-{n:06d}" in text
    assert "Totale: 500" in text


def test_the_same_transmission_prints_byte_identically() -> None:
    assert render_attestazione(_data(40)) == render_attestazione(_data(40))
    reader = PdfReader(BytesIO(render_attestazione(_data())))
    assert reader.metadata is not None
    assert reader.metadata.get("/CreationDate", "").startswith("D:20240215104200")
    assert reader.metadata.get("/Author") == "Comune di Rosate"
    assert reader.metadata.get("/Title") == TITLE_TEXT


def test_the_page_stamp_names_the_transmission(tmp_path: Path) -> None:
    payloads = decode_qr(render_attestazione(_data()), tmp_path, dpi=150)
    stamp = read_stamp(payloads[0])
    assert (stamp.istanza, stamp.kind, stamp.version) == (TRANSMISSION, "attestazione", None)


def test_the_input_has_no_field_for_a_beneficiary_personal_data() -> None:
    """Nothing of the beneficiary can reach the attestazione: its input types have no field for
    it (a new field must be added here, knowingly); and the PDF shows no beneficiary."""
    line_fields = {f.name for f in dataclasses.fields(AttestazioneLine)}
    data_fields = {f.name for f in dataclasses.fields(AttestazioneData)}
    assert line_fields == {"protocol", "avviso", "version", "submitted_on", "documents",
                           "evaluation", "sheets", "pi_signed"}  # fmt: skip
    assert data_fields == {
        "comune_code", "comune_name", "capofila_name", "ambito_name", "avvisi", "transmission",
        "created_at", "file_name", "fingerprint", "operator_name", "operator_qualifica", "lines",
    }  # fmt: skip
    for name in line_fields | data_fields:
        for personal in ("surname", "given", "codice_fiscale", "isee", "birth", "beneficiar"):
            assert personal not in name
    pdf = render_attestazione(_data(20))
    text = " ".join("\n".join(_pages(pdf)).split())
    for value in BENEFICIARY:
        assert value not in text
    assert b"Rossi" not in pdf and b"RSSMRA" not in pdf


def test_an_empty_list_and_a_fingerprint_already_grouped_print() -> None:
    flat = " ".join(
        "\n".join(
            _pages(render_attestazione(_data(0, fingerprint="01234 56789 " * 4, avvisi=())))
        ).split()
    )
    assert "Nessuna istanza." in flat
    assert "01234 56789 01234 56789 01234 56789 01234 56789" in flat
