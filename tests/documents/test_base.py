"""The common frame of printed documents: fonts embedded, page numbers, QR stamp on every page,
metadata without personal data, byte-identical output for the same input."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable

from caseworker_app.documents.base import (
    DocumentSpec,
    Letterhead,
    Stamp,
    StampReference,
    content_hash,
    read_stamp,
    render,
)
from caseworker_app.documents.styles import BODY, text
from tests.tools import require

SPEC = DocumentSpec(
    title="Progetto Individuale",
    letterhead=Letterhead("Ambito territoriale dell'Abbiatense", "Comune di Abbiategrasso"),
    stamp=Stamp("A010-2024-000001", "pi", 2, content_hash({"beneficiario": "Cantù Nicolò"})),
    created=datetime(2024, 1, 15, 10, 30),
)


def _story() -> list[Flowable]:
    return [text(f"Riga {n}: città, perché, Nicolò Cantù, 1.234,56 €", BODY) for n in range(150)]


def test_every_page_says_its_number_and_carries_the_stamp() -> None:
    pdf = render(SPEC, _story())
    reader = PdfReader(BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        content = page.extract_text()
        assert f"Pagina {number} di {total}" in content
        assert "Rif. A010-2024-000001 · pi · versione 2" in content
        assert "Comune di Abbiategrasso" in content
    assert "Nicolò Cantù" in reader.pages[0].extract_text()  # accents through the TTF font


def test_metadata_names_the_comune_and_no_person() -> None:
    info = PdfReader(BytesIO(render(SPEC, _story()))).metadata
    assert info is not None
    assert info.title == "Progetto Individuale"
    assert info.author == "Comune di Abbiategrasso"
    assert "Cantù" not in json.dumps({k: str(v) for k, v in info.items()}, ensure_ascii=False)
    assert str(info["/CreationDate"]).startswith("D:20240115103000")


def test_same_input_prints_byte_identically() -> None:
    assert render(SPEC, _story()) == render(SPEC, _story())


def test_stamp_payload_is_short_and_reads_back() -> None:
    assert SPEC.stamp is not None
    digest = SPEC.stamp.content_hash
    assert SPEC.stamp.payload() == f"CW2|A010-2024-000001|pi|2|{digest[:16]}"
    assert read_stamp(SPEC.stamp.payload()) == StampReference("A010-2024-000001", "pi", 2,
                                                              digest[:16])  # fmt: skip
    unversioned = Stamp("A010-2024-000001", "adl", None, digest)
    assert read_stamp(unversioned.payload()).version is None
    for foreign in (
        "",
        "CW1|a|b|1|0123456789abcdef",
        "CW2|a|b|x|0123456789abcdef",
        "CW2||pi|1|0123456789abcdef",
        "CW2|a|pi|1|0123",
        '{"f":"caseworker.doc/1"}',
    ):
        with pytest.raises(ValueError):
            read_stamp(foreign)


def decode_qr(pdf: bytes, folder: Path, *, dpi: int) -> list[str]:
    """Render the first page as an office scanner would, at ``dpi``, and decode its QR codes.
    Rendered into a folder: poppler's ``-singlefile - -`` writes a file named ``-.png``."""
    source = folder / "scan.pdf"
    source.write_bytes(pdf)
    subprocess.run([require("pdftoppm"), "-png", "-r", str(dpi), "-f", "1", "-l", "1",
                    "-singlefile", str(source), str(folder / "scan")], check=True)  # fmt: skip
    done = subprocess.run([require("zbarimg"), "-q", "--raw", str(folder / "scan.png")],
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout.splitlines()


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_the_page_qr_reads_back_from_a_scan_at_office_resolutions(tmp_path: Path, dpi: int) -> None:
    """150 dpi is a common office-scanner default: the stamp must decode from it."""
    assert SPEC.stamp is not None
    decoded = decode_qr(render(SPEC, _story()), tmp_path, dpi=dpi)
    assert decoded == [SPEC.stamp.payload()]


def test_qpdf_finds_no_error(tmp_path: Path) -> None:
    target = tmp_path / "documento.pdf"
    target.write_bytes(render(SPEC, _story()))
    result = subprocess.run([require("qpdf"), "--check", str(target)], capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
