"""The letterhead with the comune's office (contacts, logo) on every page, within the header;
the PI's closing statement of the parties; "Firmato digitalmente da … il …" in the block of a
digitally signed version, the drawing of a graphic signature, the pen line otherwise."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import datetime
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader

from caseworker_app.documents.base import MARGIN, PAGE_HEIGHT, GraphicSignature, Letterhead
from caseworker_app.documents.pades import FIELD_NAME
from caseworker_app.documents.pi_document import render_pi
from caseworker_app.documents.pi_sample import (
    SAMPLE_ISTANZA,
    SAMPLE_LETTERHEAD,
    sample_content,
    sample_version,
)
from caseworker_app.documents.pi_signatures import AGREEMENT_TEXT, DigitalSignature
from caseworker_app.documents.privacy_notice import render_privacy
from tests.documents.test_pi_document import signature_png
from tests.tools import require

PEC = "protocollo@pec.comune.abbiategrasso.mi.it"


def logo_png(width: int = 300, height: int = 360) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, width - 10, height - 10], outline="navy", width=12)
    draw.ellipse([width // 4, height // 4, 3 * width // 4, 3 * height // 4], fill="darkred")
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


OFFICE = replace(
    SAMPLE_LETTERHEAD,
    office="Servizi Sociali",
    address="Piazza Marconi 1, 20081 Abbiategrasso (MI)",
    phone="02 9469 2201",
    pec=PEC,
    logo=logo_png(),
)


def _render(letterhead: Letterhead = OFFICE, *, signed: bool = True, **kwargs: object) -> bytes:
    return render_pi(letterhead=letterhead, content=sample_content(),
                     version=sample_version(signed=signed), istanza_ref=SAMPLE_ISTANZA,
                     **kwargs)  # type: ignore[arg-type]  # fmt: skip


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(BytesIO(pdf)).pages]


def _header_lines(pdf: bytes, page: int) -> list[tuple[float, str]]:
    """The text drawn above the body's top on ``page``: (baseline height, text)."""
    found: list[tuple[float, str]] = []

    def visit(text: str, _cm: object, tm: list[float], *_args: object) -> None:
        if text.strip() and tm[5] > 0:
            found.append((tm[5], text.strip()))

    PdfReader(BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def test_every_page_carries_the_office_its_contacts_and_the_logo() -> None:
    pdf = _render()
    reader = PdfReader(BytesIO(pdf))
    for number, text in enumerate(_pages(pdf)):
        assert "Ambito territoriale dell'Abbiatense" in text
        assert "Comune di Abbiategrasso" in text
        assert "Servizi Sociali" in text
        assert "Piazza Marconi 1, 20081 Abbiategrasso (MI)" in text
        assert "Tel. 02 9469 2201" in text
        assert f"PEC {PEC}" in text
        resources = reader.pages[number]["/Resources"].get_object()
        images = [x for x in resources["/XObject"].get_object().values()
                  if x.get_object().get("/Subtype") == "/Image"]  # fmt: skip
        assert images, f"page {number + 1} has no logo"


def test_the_letterhead_stays_above_the_body(tmp_path: Path) -> None:
    """Every line of the header is above the top of the body frame (no overlap)."""
    from caseworker_app.documents.base import HEADER_HEIGHT

    body_top = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT
    pdf = _render()
    lines = _header_lines(pdf, 0)
    header = [(y, t) for y, t in lines if y > body_top]
    texts = " ".join(t for _, t in header)
    for part in ("Comune di Abbiategrasso", "Servizi Sociali", "Tel. 02 9469 2201"):
        assert part in texts
    assert min(y for y, _ in header) > body_top + 4  # a gap under the contacts line
    assert max(y for y, _ in lines if y <= body_top) < body_top  # the body starts below


def test_an_office_without_contacts_or_logo_prints_only_what_is_set() -> None:
    plain = replace(SAMPLE_LETTERHEAD, office="Servizi Sociali")
    first = _pages(_render(plain))[0]
    assert "Servizi Sociali" in first
    assert "Tel." not in first and "PEC" not in first


def test_a_very_long_address_is_fitted_into_the_header_line() -> None:
    long = replace(OFFICE, address="Via " + "Lunghissima " * 14 + "1, 20081 Abbiategrasso")
    lines = _header_lines(_render(long), 0)
    contacts = [t for _, t in lines if t.startswith("Via Lunghissima")]
    assert contacts and contacts[0].endswith("…")


def test_the_privacy_notice_and_every_document_share_the_letterhead(tmp_path: Path) -> None:
    pdf = render_privacy(letterhead=OFFICE, controller="Comune di Abbiategrasso",
                         processor=OFFICE.comune, istanza_ref=None,
                         created=datetime(2024, 1, 15, 9, 30))  # fmt: skip
    assert f"PEC {PEC}" in _pages(pdf)[0]
    target = tmp_path / "informativa.pdf"
    target.write_bytes(pdf)
    done = subprocess.run([require("qpdf"), "--check", str(target)], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pi_closes_with_the_parties_statement_before_the_signature_blocks() -> None:
    whole = " ".join(_pages(_render()))
    assert whole.count(AGREEMENT_TEXT) == 1
    text = whole[whole.index("12. Firme") :]
    statement = text.index(AGREEMENT_TEXT)
    assert statement < text.index("Responsabile del caso")
    assert statement < text.index("Nome e cognome")  # before the first block
    assert AGREEMENT_TEXT in " ".join(_pages(_render(signed=False)))  # a draft says it too


def test_a_digitally_signed_version_says_who_signed_and_when_in_the_case_managers_block(
    tmp_path: Path,
) -> None:
    digital = DigitalSignature("MARIA ROSSI", datetime(2024, 1, 26, 10, 15), FIELD_NAME)
    pdf = _render(digital=(digital,))
    text = " ".join(_pages(pdf))
    assert "Firmato digitalmente da MARIA ROSSI il 26/01/2024" in text
    assert text.count("Firmato digitalmente") == 1
    signatures = text[text.index("12. Firme") :]
    manager = signatures.index("Responsabile del caso")
    assert signatures.index("Firmato digitalmente da MARIA ROSSI") > manager
    assert "firma digitale (PAdES)" in text
    # the other signatories keep their line to sign on
    assert text.count("Firma ") >= 2
    target = tmp_path / "firmato.pdf"
    target.write_bytes(pdf)
    done = subprocess.run([require("qpdf"), "--check", str(target)], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_digital_signature_of_another_field_still_goes_to_the_case_manager() -> None:
    digital = DigitalSignature("Bianchi Anna", datetime(2024, 1, 26, 10, 15), "Signature1")
    text = " ".join(_pages(_render(digital=(digital,))))
    text = text[text.index("12. Firme") :]
    manager = text.index("Responsabile del caso")
    assert text.index("Firmato digitalmente da Bianchi Anna il 26/01/2024") > manager


def test_a_digital_signature_with_a_signatorys_name_goes_to_that_block() -> None:
    digital = DigitalSignature("CANTÙ LUCIA", datetime(2024, 1, 27, 8, 0), "Signature1")
    text = " ".join(_pages(_render(digital=(digital,))))
    text = text[text.index("12. Firme") :]
    family = text.index("Familiare")
    manager = text.index("Responsabile del caso")
    assert family < text.index("Firmato digitalmente da CANTÙ LUCIA il 27/01/2024") < manager


def test_graphic_signature_keeps_its_drawing_and_a_scan_keeps_the_pen_line() -> None:
    graphic = GraphicSignature("case_manager", signature_png(), datetime(2024, 1, 25, 11, 7),
                               "penna")  # fmt: skip
    drawn = " ".join(_pages(_render(signatures=(graphic,))))
    assert "firma grafica acquisita il 25/01/2024 11:07 (penna)" in drawn
    assert "Firmato digitalmente" not in drawn
    by_hand = " ".join(_pages(_render()))
    assert "Firmato digitalmente" not in by_hand and "firma grafica" not in by_hand


def test_the_letterhead_pages_render_cleanly(tmp_path: Path) -> None:
    """Rendered at 70 dpi (as the pages were looked at): every page becomes an image."""
    source = tmp_path / "pi.pdf"
    digital = DigitalSignature("MARIA ROSSI", datetime(2024, 1, 26, 10, 15), FIELD_NAME)
    source.write_bytes(_render(digital=(digital,)))
    subprocess.run([require("pdftoppm"), "-png", "-r", "70", str(source), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    assert len(list(tmp_path.glob("p-*.png"))) == len(PdfReader(source).pages)
