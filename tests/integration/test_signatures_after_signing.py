"""Issue 10, point 12: a PAdES-signed PI changed by an incremental update after the signature.

pyHanko reports how much of the file a signature covers and what the later revisions changed;
the attach use case refuses a PI whose first page was painted over after the signature (and
stores nothing), and still accepts a second signature appended by another signatory.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from io import BytesIO

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.documents.pades import (
    CHANGE_KINDS,
    EmbeddedSignatureCheck,
    SignatureCheck,
    sign_pdf,
    verify_pdf,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.pi import PiStatus, PiVersion
from caseworker_app.messages import CATALOG, render
from caseworker_app.services import pi, printing, signatures
from tests.documents.test_pades import PASSPHRASE, TestCa, make_test_ca
from tests.integration.pi_typist import NOW, seed_case
from tests.tools import require

Created = tuple[Vault, OpenStore, str]
LATER = datetime(2023, 11, 25, 11, 30)
MANAGER = "Maria Rossi"
SECOND = "Luca Bianchi TEST"


@pytest.fixture(scope="module")
def ca() -> TestCa:
    return make_test_ca(signer=MANAGER)


@pytest.fixture(scope="module")
def second_ca() -> TestCa:
    return make_test_ca("Seconda radice di prova", signer=SECOND)


def _draft_pdf(ws: OpenStore) -> tuple[IstanzaId, PiVersion, bytes]:
    """A draft PI and the PDF the application prints of it (what the signatories sign)."""
    _case, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    printed = printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id,
                                number=version.number, now=NOW)  # fmt: skip
    return istanza_id, version, printed.pdf


def _sign(ca: TestCa, pdf: bytes) -> bytes:
    return sign_pdf(pdf, pkcs12=ca.pkcs12, passphrase=PASSPHRASE, reason="Firma del PI",
                    location="Abbiategrasso", signer_name=MANAGER)  # fmt: skip


def _paint_over_first_page(pdf: bytes) -> bytes:
    """An incremental update (the signed bytes untouched) that paints a white box and new text
    over page 1: what a viewer shows is no longer what was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    font = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    })  # fmt: skip
    resources = generic.DictionaryObject({
        generic.NameObject("/Font"): generic.DictionaryObject(
            {generic.NameObject("/FAlt"): writer.add_object(font)}
        )
    })  # fmt: skip
    stream = generic.StreamObject(
        stream_data=b"q 1 1 1 rg 40 600 520 200 re f Q "
        b"BT /FAlt 18 Tf 60 700 Td (Contributo mensile: 9999 euro) Tj ET"
    )
    writer.add_stream_to_page(0, writer.add_object(stream), resources=resources)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _countersign(ca: TestCa, pdf: bytes) -> bytes:
    """A second signature, in its own field, by another signatory (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12_data(ca.pkcs12, other_certs=(),
                                                   passphrase=PASSPHRASE)  # fmt: skip
    meta = signers.PdfSignatureMetadata(field_name="FirmaBeneficiario", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)  # fmt: skip
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    return bytes(signers.sign_pdf(writer, meta, signer=signer).getvalue())


def _pdfsig(pdf: bytes, tmp_path: object) -> str:
    from pathlib import Path

    path = Path(str(tmp_path)) / "firmato.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([require("pdfsig"), str(path)], capture_output=True, text=True,
                          check=False)  # fmt: skip
    return done.stdout


def test_a_pi_painted_over_after_the_signature_is_refused_and_nothing_is_stored(
    created: Created, ca: TestCa, tmp_path: object
) -> None:
    _, ws, _ = created
    _istanza, version, pdf = _draft_pdf(ws)
    altered = _paint_over_first_page(_sign(ca, pdf))
    # the file is what the issue describes: Poppler sees a signature that no longer covers it
    report = _pdfsig(altered, tmp_path)
    assert "Not total document signed" in report and "Signature is Valid" in report
    # ... and the signed bytes themselves are intact: only the coverage tells
    check = verify_pdf(altered, trust_roots=[ca.root_der])
    [sig] = check.signatures
    assert sig.intact and sig.valid and sig.trusted and not sig.whole_document
    assert sig.change_after_signing == "content"

    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_pdf(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                     pdf_bytes=altered, now=LATER,
                                     trust_roots=[ca.root_der])  # fmt: skip
    assert err.value.code == "signature.pdf_changed_after_signing_content"
    text = render(err.value.code, err.value.params)
    assert text.startswith("Il PDF è stato modificato dopo la firma di")
    assert "firma 1 di 1" in text and "{" not in text
    assert MANAGER not in str(err.value)  # no names in error parameters (they may be logged)
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert not state.frozen and not state.signed_pdfs and state.signed_at is None
    with ws.uow_factory() as uow:
        stored = uow.pi.get(version.id)
    assert stored is not None and stored.status is not PiStatus.FIRMATA


def test_a_second_signature_by_another_signatory_is_accepted(
    created: Created, ca: TestCa, second_ca: TestCa, tmp_path: object
) -> None:
    _, ws, _ = created
    _istanza, version, pdf = _draft_pdf(ws)
    twice = _countersign(second_ca, _sign(ca, pdf))
    report = _pdfsig(twice, tmp_path)
    assert "Not total document signed" in report and "Total document signed" in report
    done = signatures.attach_signed_pdf(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                        pdf_bytes=twice, now=LATER,
                                        trust_roots=[ca.root_der, second_ca.root_der])  # fmt: skip
    assert done.check is not None
    first, second = done.check.signatures
    assert (first.signer, second.signer) == (MANAGER, SECOND)
    assert not first.whole_document and first.modification_level == "form_filling"
    assert first.docmdp_ok is True and first.change_after_signing == ""
    assert second.whole_document and done.check.first_changed is None
    assert done.version.status is PiStatus.FIRMATA
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    [(_doc, stored)] = state.signed_pdfs
    assert stored == done.check  # the new fields survive the stored form


def test_a_countersigned_pi_altered_afterwards_names_the_signatures_it_breaks(
    created: Created, ca: TestCa, second_ca: TestCa
) -> None:
    _, ws, _ = created
    _istanza, version, pdf = _draft_pdf(ws)
    altered = _paint_over_first_page(_countersign(second_ca, _sign(ca, pdf)))
    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_pdf(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                     pdf_bytes=altered, now=LATER)  # fmt: skip
    assert err.value.code == "signature.pdf_changed_after_signing_content"
    assert err.value.params == {"position": 1, "count": 2}
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert not state.frozen and not state.signed_pdfs


def test_every_kind_of_change_has_its_italian_message() -> None:
    for kind in CHANGE_KINDS:
        code = f"signature.pdf_changed_after_signing_{kind}"
        assert code in CATALOG
        text = render(code, {"position": 2, "count": 3})
        assert text.startswith("Il PDF è stato modificato dopo la firma di") and "2 di 3" in text


@pytest.mark.parametrize(
    ("level", "docmdp", "kind"),
    [
        ("none", True, ""),
        ("lta_updates", True, ""),
        ("form_filling", True, ""),
        ("form_filling", False, "not_permitted"),
        ("form_filling", None, "not_permitted"),
        ("annotations", True, "annotations"),
        ("other", False, "content"),
        ("", None, "unverifiable"),
    ],
)
def test_what_counts_as_a_change_after_signing(level: str, docmdp: bool | None, kind: str) -> None:
    sig = EmbeddedSignatureCheck("F", "", None, True, True, True, False, "entire_revision",
                                 modification_level=level, docmdp_ok=docmdp)  # fmt: skip
    assert sig.change_after_signing == kind
    whole = EmbeddedSignatureCheck("F", "", None, True, True, True, True, "entire_file")
    assert whole.change_after_signing == ""
    assert SignatureCheck.from_json(SignatureCheck((sig,)).to_json()) == SignatureCheck((sig,))
