"""The common frame of printed documents: fonts embedded, page numbers, QR stamp on every page,
metadata without personal data, byte-identical output for the same input."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable

from caseworker_app.documents.base import DocumentSpec, Letterhead, Stamp, content_hash, render
from caseworker_app.documents.styles import BODY, text

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


def test_stamp_payload_is_compact_json() -> None:
    assert json.loads(SPEC.stamp.payload() if SPEC.stamp else "{}") == {
        "f": "caseworker.doc/1", "i": "A010-2024-000001", "k": "pi", "v": 2,
        "h": SPEC.stamp.content_hash if SPEC.stamp else "",
    }  # fmt: skip


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is installed by scripts/test.sh")
def test_qpdf_finds_no_error(tmp_path: Path) -> None:
    target = tmp_path / "documento.pdf"
    target.write_bytes(render(SPEC, _story()))
    result = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
