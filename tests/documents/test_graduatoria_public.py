"""The public graduatoria PDF: protocol numbers and comuni with outcome and amount, the run's
identity, hashes and determina, a QR tying each page to the run, and nothing personal."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from caseworker_app.documents.base import Letterhead, read_stamp
from caseworker_app.documents.formats import format_money
from caseworker_app.documents.graduatoria_public import (
    STAMP_KIND,
    PublicGraduatoria,
    public_graduatoria,
    render_public_graduatoria,
)
from caseworker_app.domain.ranking_run import StoredRun
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
from tests.documents.test_base import decode_qr
from tests.tools import assert_fonts_embedded, require

HEAD = Letterhead("Ambito territoriale dell'Abbiatense", "Comune di Abbiategrasso",
                  office="Ufficio di Piano")  # fmt: skip


def _data(stored: StoredRun) -> PublicGraduatoria:
    return public_graduatoria(stored, letterhead=HEAD, avviso_title=AVVISO_TITLE, comuni=COMUNI,
                              labels=LABELS)  # fmt: skip


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_the_page_lists_protocols_outcomes_and_the_run_identity() -> None:
    stored = make_run(30, rankings=("b1", "b2"))
    content = _text(render_public_graduatoria(_data(stored)))
    assert "Graduatoria n. 2 — approvata" in content
    assert "n. 123/2024 del 05/02/2024" in content
    for value in (RUN_ID, CONTENT_SHA, INPUTS_SHA, AVVISO_TITLE, "31/01/2024"):
        assert value in content
    for row in stored.run.rows:
        assert row.protocol in content
    assert "Graduatoria «Misura B1»" in content and "Graduatoria «Misura B2»" in content
    assert "50.000,00 €" in content and "Finanziata parzialmente" in content
    assert "Cassinetta di Lugagnano" in content
    b1 = sum((r.amount for r in stored.run.rows if r.ranking == "b1"), Decimal("0.00"))
    assert re.search(rf"12 istanze\s*Totale\s*{_eur(b1)}", content), _eur(b1)


def _eur(value: Decimal) -> str:
    return re.escape(format_money(value))


def test_no_name_codice_fiscale_isee_or_iban_reaches_the_page() -> None:
    stored = make_run(30)
    pdf = render_public_graduatoria(_data(stored))
    content = _text(pdf)
    info = PdfReader(BytesIO(pdf)).metadata
    assert info is not None
    shown = content + " ".join(str(v) for v in info.values())
    for who in beneficiaries(stored).values():
        isee = f"{who.isee:,.2f}".replace(",", "#").replace(".", ",").replace("#", ".")
        for secret in (who.surname, who.given_name, who.codice_fiscale.upper(),
                       who.codice_fiscale, isee, f"{who.isee:.2f}", "IT60", "Àngelo"):  # fmt: skip
            assert secret not in shown
    assert "ISEE" not in content and "oltre la soglia" not in content  # no reason either
    fields = {f.name for f in dataclasses.fields(PublicGraduatoria)}
    assert not fields & {"surname", "name", "codice_fiscale", "isee", "iban", "reason"}


def test_without_a_determina_the_title_says_it_is_not_approved() -> None:
    definitive = _text(render_public_graduatoria(_data(make_run(6, determina=None))))
    assert "Graduatoria n. 2 — non ancora approvata" in definitive
    assert "non è ancora approvata con determina" in definitive
    provisional = _text(render_public_graduatoria(_data(make_run(12, provisional=True,
                                                                  determina=None))))  # fmt: skip
    assert "Graduatoria provvisoria n. 2 — non approvata" in provisional
    assert "Da integrare" in provisional


def test_every_page_repeats_the_header_and_the_qr_names_the_run(tmp_path: Path) -> None:
    stored = make_run(150)
    pdf = render_public_graduatoria(_data(stored))
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Pagina {number} di {len(reader.pages)}" in text
        if number > 1:
            assert "Pos." in text and "Protocollo" in text and "Importo" in text
    [payload] = decode_qr(pdf, tmp_path, dpi=150)
    stamp = read_stamp(payload)
    assert (stamp.istanza, stamp.kind, stamp.hash_prefix) == (RUN_ID, STAMP_KIND, CONTENT_SHA[:16])


def test_the_pdf_is_valid_embeds_its_fonts_and_prints_identically(tmp_path: Path) -> None:
    data = _data(make_run(60, rankings=("b1", "b2")))
    pdf = render_public_graduatoria(data)
    assert pdf == render_public_graduatoria(data)
    target = tmp_path / "graduatoria.pdf"
    target.write_bytes(pdf)
    done = subprocess.run([require("qpdf"), "--check", str(target)], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert_fonts_embedded(target)
    subprocess.run([require("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(target),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    assert list(tmp_path.glob("page*.png"))


def test_ten_thousand_rows_end_with_their_total() -> None:
    """(Its speed is bench/bench_desk.py's publish_10k_s.)"""
    pdf = render_public_graduatoria(_data(make_run(10_000)))
    reader = PdfReader(BytesIO(pdf))
    last = reader.pages[-1].extract_text()
    assert "10.000 istanze" in last and "Totale" in last
