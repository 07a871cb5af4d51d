"""PAdES signatures with a throw-away test CA made here (never a real certificate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from reportlab.pdfgen.canvas import Canvas

from caseworker_app.documents.pades import SignatureCheck, sign_pdf, verify_pdf
from caseworker_app.domain.errors import UserFacingError

PASSPHRASE = b"prova-firma"
SIGNER = "Maria Rossi TEST"


@dataclass(frozen=True)
class TestCa:
    __test__ = False  # not a test class

    root_der: bytes
    pkcs12: bytes  # the signer's key and certificate (with the root), under PASSPHRASE


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CA di prova caseworker"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])  # fmt: skip


def make_test_ca(root_name: str = "Radice di prova", signer: str = SIGNER) -> TestCa:
    """A root CA and a signer certificate (digitalSignature + nonRepudiation) as PKCS#12."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(root_name)).issuer_name(_name(root_name))
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()),
                       critical=False)
        .sign(root_key, hashes.SHA256())
    )  # fmt: skip
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer)).issuer_name(root.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + timedelta(days=10))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                       critical=False)
        .sign(root_key, hashes.SHA256())
    )  # fmt: skip
    bundle = pkcs12.serialize_key_and_certificates(
        b"firmatario",
        key,
        cert,
        [root],
        serialization.BestAvailableEncryption(PASSPHRASE),
    )
    return TestCa(root.public_bytes(serialization.Encoding.DER), bundle)


def simple_pdf(text: str = "Progetto Individuale - versione 1") -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)  # the text stays in clear
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def signed_pdf(ca: TestCa, pdf: bytes | None = None) -> bytes:
    return sign_pdf(pdf or simple_pdf(), pkcs12=ca.pkcs12, passphrase=PASSPHRASE,
                    reason="Firma del Progetto Individuale", location="Abbiategrasso",
                    signer_name=SIGNER)  # fmt: skip


@pytest.fixture(scope="module")
def ca() -> TestCa:
    return make_test_ca()


def test_case_manager_signs_a_pdf_and_the_signature_verifies_against_the_root(
    ca: TestCa,
) -> None:
    signed = signed_pdf(ca)
    check = verify_pdf(signed, trust_roots=[ca.root_der])
    [sig] = check.signatures
    assert (sig.intact, sig.valid, sig.trusted, sig.whole_document) == (True, True, True, True)
    assert sig.signer == SIGNER
    assert sig.signing_time is not None
    assert abs(sig.signing_time - datetime.now(UTC)) < timedelta(minutes=5)
    assert check.valid and check.trusted and check.whole_document
    # the stored form reads back the same
    assert SignatureCheck.from_json(check.to_json()) == check


def test_a_changed_byte_breaks_the_integrity(ca: TestCa) -> None:
    signed = signed_pdf(ca)
    at = signed.index(b"Progetto Individuale - versione 1")
    tampered = signed[:at] + b"p" + signed[at + 1 :]
    check = verify_pdf(tampered, trust_roots=[ca.root_der])
    [sig] = check.signatures
    assert not sig.intact and not check.valid


def test_a_certificate_of_an_unknown_root_is_valid_but_not_trusted(ca: TestCa) -> None:
    other = make_test_ca("Un'altra radice")
    check = verify_pdf(signed_pdf(ca), trust_roots=[other.root_der])
    [sig] = check.signatures
    assert sig.intact and sig.valid and not sig.trusted
    assert not verify_pdf(signed_pdf(ca)).trusted  # no roots given: never trusted


def test_an_unsigned_pdf_has_no_signatures_and_garbage_is_refused() -> None:
    assert verify_pdf(simple_pdf()) == SignatureCheck()
    with pytest.raises(UserFacingError) as err:
        verify_pdf(b"not a pdf at all")
    assert err.value.code == "signature.pdf_unreadable"


def test_a_wrong_passphrase_is_refused_clearly(ca: TestCa) -> None:
    with pytest.raises(UserFacingError) as err:
        sign_pdf(simple_pdf(), pkcs12=ca.pkcs12, passphrase=b"sbagliata", reason="", location="",
                 signer_name="")  # fmt: skip
    assert err.value.code == "signature.pkcs12_unreadable"


def test_trust_roots_may_be_pem_and_a_broken_one_is_refused(ca: TestCa) -> None:
    from cryptography.x509 import load_der_x509_certificate

    pem = load_der_x509_certificate(ca.root_der).public_bytes(serialization.Encoding.PEM)
    assert verify_pdf(signed_pdf(ca), trust_roots=[pem]).trusted
    with pytest.raises(UserFacingError) as err:
        verify_pdf(simple_pdf(), trust_roots=[b"non un certificato"])
    assert err.value.code == "signature.trust_root_unreadable"
