"""The privacy notice (art. 13 GDPR, text from forms/documents) and the store's recovery sheet
(code on paper, never in the QR, the hash or the metadata); the strict definition loader."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app.definitions.documents import get_document_text, load_document_text
from caseworker_app.documents.base import Letterhead, Stamp, content_hash, read_stamp
from caseworker_app.documents.privacy_notice import render_privacy
from caseworker_app.documents.recovery_sheet import code_groups, render_recovery
from caseworker_app.domain.errors import UserFacingError
from tests.documents.test_base import decode_qr
from tests.tools import assert_fonts_embedded, require

LETTERHEAD = Letterhead("Ambito territoriale dell'Abbiatense", "Comune di Rosate")
CONTROLLER = "Comune di Abbiategrasso, capofila dell'Ambito territoriale dell'Abbiatense"
PROCESSOR = "Comune di Rosate"
CREATED = datetime(2024, 1, 15, 9, 30)
CODE = "K7QX-M2PD-9HVA-T4RW-C8NE-3JZB"
STORE_ID = "5f0c2a7e-9b1d-4c3e-8a6f-2d4b1e7c9a30"


def _privacy(**changes: object) -> bytes:
    values: dict[str, object] = {"letterhead": LETTERHEAD, "controller": CONTROLLER,
                                 "processor": PROCESSOR, "istanza_ref": "H560-2024-000012",
                                 "created": CREATED}  # fmt: skip
    values.update(changes)
    return render_privacy(**values)  # type: ignore[arg-type]


def _recovery() -> bytes:
    return render_recovery(letterhead=LETTERHEAD, recovery_code=CODE, store_id=STORE_ID,
                           created=CREATED)  # fmt: skip


def _text(pdf: bytes) -> str:
    pages = PdfReader(BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _qpdf_ok(pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_fonts_embedded(path)


# -- privacy notice ---------------------------------------------------------------------------


def test_privacy_notice_names_controller_processor_and_legal_basis() -> None:
    content = _text(_privacy())
    assert "Informativa sul trattamento dei dati personali" in content
    assert CONTROLLER in content
    assert f"{PROCESSOR} tratta i dati per conto del titolare" in content
    assert "art. 28" in content
    assert "art. 9, par. 2, lett. g)" in content
    assert "art. 2-sexies del d.lgs. 196/2003" in content
    for recipient in ("ATS", "Regione Lombardia", "ASST", "INPS"):
        assert recipient in content
    assert "articoli da 15 a 22" in content and "Garante per la protezione" in content
    assert "Responsabile della protezione dei dati" in content
    assert "Periodo di conservazione" in content
    assert "Firma dell'interessato o di chi lo rappresenta" in content
    assert "versione 1" in content
    assert "{" not in content  # every placeholder filled


def test_privacy_notice_is_deterministic_with_clean_metadata(tmp_path: Path) -> None:
    first = _privacy()
    assert first == _privacy()
    info = PdfReader(BytesIO(first)).metadata
    assert info is not None and info.title == "Informativa privacy"
    assert info.author == "Comune di Rosate"
    assert str(info["/CreationDate"]).startswith("D:20240115093000")
    _qpdf_ok(first, tmp_path)


def test_privacy_notice_without_istanza_has_a_neutral_reference() -> None:
    assert "Rif. — · privacy" in _text(_privacy(istanza_ref=None))


# -- definition loader ------------------------------------------------------------------------


def test_shipped_privacy_definition_loads() -> None:
    text = get_document_text("informativa-privacy")
    assert text.version == "1" and len(text.sections) >= 9
    assert "dpo" in text.parameters


def _write(folder: Path, body: str, name: str = "informativa-privacy.toml") -> Path:
    shipped = get_document_text("informativa-privacy")
    assert shipped
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


_VALID = """
format = "caseworker.document/1"
id = "informativa-privacy"
version = "1"
title = "Informativa"
[parameters]
dpo = "dpo@example.org"
[[sections]]
heading = "Titolare"
paragraphs = ["Titolare è {controller}."]
[acknowledgement]
heading = "Presa visione"
text = "Dichiara di aver ricevuto l'informativa."
roles = ["interessato"]
signature = "Firma"
"""


def test_loader_accepts_a_minimal_file(tmp_path: Path) -> None:
    loaded = load_document_text(_write(tmp_path, _VALID))
    assert loaded.fill(loaded.sections[0].paragraphs[0], controller="X") == "Titolare è X."


@pytest.mark.parametrize(
    ("change", "key", "what"),
    [
        (("Titolare è {controller}.", "Titolare è {titolare}."), "sections[0].paragraphs[0]",
         "segnaposto «{titolare}» non ammesso"),
        (('heading = "Titolare"', 'heading = "Titolare"\nnote = "x"'), "sections[0].note",
         "chiave sconosciuta"),
        (('dpo = "dpo@example.org"', ""), "parameters.dpo", "manca"),
        (('version = "1"', 'version = "2"'), "id", "deve chiamarsi informativa-privacy.v2.toml"),
        (('roles = ["interessato"]', "roles = []"), "acknowledgement.roles", "elenco non vuoto"),
        (("{controller}.", "{controller."), "sections[0].paragraphs[0]", "graffe"),
    ],
)  # fmt: skip
def test_loader_names_file_key_and_problem(
    tmp_path: Path, change: tuple[str, str], key: str, what: str
) -> None:
    path = _write(tmp_path, _VALID.replace(*change))
    with pytest.raises(UserFacingError) as caught:
        load_document_text(path)
    params = caught.value.params
    assert str(params["file"]).endswith("informativa-privacy.toml")
    assert params["key"] == key
    assert what in str(params["what"])


def test_get_document_text_picks_the_newest_version(tmp_path: Path) -> None:
    _write(tmp_path, _VALID)
    _write(tmp_path, _VALID.replace('version = "1"', 'version = "2"'),
           "informativa-privacy.v2.toml")  # fmt: skip
    assert get_document_text("informativa-privacy", folder=tmp_path).version == "2"
    assert get_document_text("informativa-privacy", "1", folder=tmp_path).version == "1"
    with pytest.raises(UserFacingError):
        get_document_text("informativa-privacy", "3", folder=tmp_path)


# -- recovery sheet ---------------------------------------------------------------------------


def test_recovery_sheet_prints_the_code_store_id_and_where_to_keep_it() -> None:
    content = _text(_recovery())
    for group in CODE.split("-"):
        assert group in content
    assert "K7QX M2PD 9HVA T4RW" in content  # one row of groups, in order
    assert STORE_ID in content and "15/01/2024" in content
    assert "chiuso a chiave" in content and "Mai insieme al portatile" in content


def test_recovery_qr_hash_and_metadata_never_contain_the_code(tmp_path: Path) -> None:
    pdf = _recovery()
    stamp = Stamp(STORE_ID, "recovery", None, content_hash({"store_id": STORE_ID}))
    compact = CODE.replace("-", "")
    payload = stamp.payload()
    assert CODE not in payload and compact not in payload
    assert all(group not in payload for group in CODE.split("-"))
    content = _text(pdf)
    assert f"Impronta {stamp.content_hash[:16]}" in content  # the stamp printed is this one
    assert f"Rif. {STORE_ID} · recovery" in content
    info = PdfReader(BytesIO(pdf)).metadata
    assert info is not None
    dumped = json.dumps({k: str(v) for k, v in info.items()}, ensure_ascii=False)
    assert compact[:4] not in dumped
    assert pdf == _recovery()
    _qpdf_ok(pdf, tmp_path)


def test_recovery_qr_decodes_without_the_code(tmp_path: Path) -> None:
    """The QR of the recovery sheet, scanned at 150 dpi, is the store id's stamp only."""
    [decoded] = decode_qr(_recovery(), tmp_path, dpi=150)
    assert read_stamp(decoded).istanza == STORE_ID
    assert not re.search("|".join(CODE.split("-")), decoded)


def test_code_groups_keep_the_code_s_own_grouping() -> None:
    assert code_groups(CODE) == CODE.split("-")
    assert code_groups("abcd efgh") == ["ABCD", "EFGH"]
    assert code_groups("ABCDEFGHIJ") == ["ABCD", "EFGH", "IJ"]


def test_released_privacy_text_is_immutable() -> None:
    """A signed copy must re-print with the same words: change means informativa-privacy.v2."""
    import hashlib

    from caseworker_app.definitions.locate import forms_dir

    path = forms_dir() / "documents" / "informativa-privacy.toml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == (
        "79fac35848f67ae8af8a6cc2c08e6ca125c34a756d6a15a73c48c98516507bc3"
    )
