"""PAdES signatures with a smart card, played by a SoftHSM token made here in a temporary folder.

The key and the certificate come from the throw-away test CA of ``test_pades`` (never a real
certificate). Skipped when SoftHSM is not installed (``scripts/test.sh`` installs it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from caseworker_app.documents.pades import sign_pdf_pkcs11, verify_pdf
from caseworker_app.domain.errors import UserFacingError
from tests.documents.test_pades import PASSPHRASE, SIGNER, TestCa, make_test_ca, simple_pdf
from tests.tools import require

SOFTHSM_UTIL = shutil.which("softhsm2-util")
MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
MODULE = next((path for path in MODULE_CANDIDATES if Path(path).is_file()), None)


@pytest.fixture(autouse=True)
def _softhsm_installed() -> None:
    """SoftHSM is installed by scripts/test.sh: in CI its absence fails, never skips."""
    require("softhsm2-util")
    if MODULE is None:
        require("libsofthsm2.so")  # the module is in the same Debian package


TOKEN = "caseworker-prova"
PIN = "1234"
KEY_ID = "a1b2"


@dataclass(frozen=True)
class Token:
    module: str
    root_der: bytes


def _softhsm(*args: str) -> None:
    assert SOFTHSM_UTIL is not None
    subprocess.run([SOFTHSM_UTIL, *args], check=True, capture_output=True, timeout=60)


def _write_certificate(module: str, token_label: str, cert_der: bytes, label: str,
                       key_id: str) -> None:  # fmt: skip
    """softhsm2-util imports only keys: the certificate goes in with python-pkcs11."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.x509 import decode_x509_certificate

    lib = pkcs11.lib(module)
    try:
        token = lib.get_token(token_label=token_label)
        with token.open(rw=True, user_pin=PIN) as session:
            attrs = decode_x509_certificate(cert_der)
            attrs.update({Attribute.CLASS: ObjectClass.CERTIFICATE,
                          Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                          Attribute.TOKEN: True, Attribute.LABEL: label,
                          Attribute.ID: bytes.fromhex(key_id)})  # fmt: skip
            session.create_object(attrs)
    finally:
        pkcs11.unload(module)


def _import_signer(home: Path, token_label: str, ca: TestCa, label: str, key_id: str) -> None:
    """The signer's key as PKCS#8 (softhsm2-util) and its certificate as DER, same CKA_ID."""
    assert MODULE is not None
    key, cert, _chain = pkcs12.load_key_and_certificates(ca.pkcs12, PASSPHRASE)
    assert key is not None and cert is not None
    key_file = home / f"{label}.p8.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    _softhsm("--import", str(key_file), "--token", token_label, "--label", label, "--id", key_id,
             "--pin", PIN)  # fmt: skip
    key_file.unlink()
    _write_certificate(MODULE, token_label, cert.public_bytes(serialization.Encoding.DER), label,
                       key_id)  # fmt: skip


def _softhsm_home(home: Path) -> Path:
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n", encoding="utf-8")  # fmt: skip
    return conf


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """A SoftHSM token holding the test signer's key (PKCS#8) and certificate (DER)."""
    assert MODULE is not None
    home = tmp_path_factory.mktemp("softhsm")
    conf = _softhsm_home(home)
    ca = make_test_ca()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        _softhsm("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "87654321")
        _import_signer(home, TOKEN, ca, "firma", KEY_ID)
        yield Token(MODULE, ca.root_der)


def _sign(token: Token, pin: str = PIN, token_label: str | None = None,
          key_label: str | None = None, module: str | None = None) -> bytes:  # fmt: skip
    return sign_pdf_pkcs11(
        simple_pdf(), module_path=module or token.module, pin=pin, token_label=token_label,
        key_label=key_label, reason="Firma del Progetto Individuale", location="Abbiategrasso",
        signer_name=SIGNER,
    )  # fmt: skip


def _code(token: Token, **kwargs: str | None) -> str:
    with pytest.raises(UserFacingError) as err:
        _sign(token, **kwargs)  # type: ignore[arg-type]
    return err.value.code


def test_the_case_manager_signs_with_her_token_and_the_signature_verifies(token: Token) -> None:
    signed = _sign(token)
    check = verify_pdf(signed, trust_roots=[token.root_der])
    [sig] = check.signatures
    assert (sig.intact, sig.valid, sig.trusted, sig.whole_document) == (True, True, True, True)
    assert sig.signer == SIGNER
    # the token is found by its label too, and the key by its label
    again = _sign(token, token_label=TOKEN, key_label="firma")
    assert verify_pdf(again, trust_roots=[token.root_der]).trusted


def test_a_wrong_pin_is_refused_clearly(token: Token) -> None:
    assert _code(token, pin="0000") == "signature.pkcs11_wrong_pin"
    assert _code(token, pin="") == "signature.pkcs11_pin_missing"
    # the right PIN still works afterwards (SoftHSM does not lock after two attempts)
    assert verify_pdf(_sign(token), trust_roots=[token.root_der]).valid


def test_a_missing_module_token_or_key_is_refused_clearly(token: Token, tmp_path: Path) -> None:
    assert _code(token, module=str(tmp_path / "nessuno.so")) == "signature.pkcs11_module_not_found"
    not_a_module = tmp_path / "finto.so"
    not_a_module.write_bytes(b"non una libreria")
    assert _code(token, module=str(not_a_module)) == "signature.pkcs11_module_unusable"
    assert _code(token, token_label="un altro token") == "signature.pkcs11_token_not_found"
    assert _code(token, key_label="nessuna chiave") == "signature.pkcs11_no_key"


def test_no_token_at_all_is_refused_clearly(token: Token, tmp_path: Path) -> None:
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "vuoto.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        assert _code(token) == "signature.pkcs11_no_token"
    assert os.environ.get("SOFTHSM2_CONF") != str(conf)


def test_an_unreadable_pdf_is_refused_before_the_token_is_touched(token: Token) -> None:
    with pytest.raises(UserFacingError) as err:
        sign_pdf_pkcs11(b"non un pdf", module_path="/nessun/modulo.so", pin=PIN,
                        token_label=None, key_label=None, reason="", location="",
                        signer_name="")  # fmt: skip
    assert err.value.code == "signature.pdf_unreadable"


def test_a_card_with_two_signing_keys_needs_the_key_label_and_carries_its_chain(
    token: Token, tmp_path: Path
) -> None:
    """Two tokens present (token label needed) and two keys on the second (key label needed);
    the root certificate stored on the card is embedded in the signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert MODULE is not None
    second, other = make_test_ca(), make_test_ca("Un'altra radice", signer="Altro firmatario")
    conf = _softhsm_home(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        for label in (TOKEN, "carta-due"):
            _softhsm("--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin",
                     "87654321")  # fmt: skip
        _import_signer(tmp_path, "carta-due", second, "firma", "01")
        _import_signer(tmp_path, "carta-due", other, "altra", "02")
        _write_certificate(MODULE, "carta-due", second.root_der, "radice", "c0")
        assert _code(token) == "signature.pkcs11_several_tokens"
        assert _code(token, token_label="carta-due") == "signature.pkcs11_several_keys"
        assert _code(token, token_label=TOKEN) == "signature.pkcs11_no_key"  # an empty card
        signed = _sign(token, token_label="carta-due", key_label="firma")
    check = verify_pdf(signed, trust_roots=[second.root_der])
    assert check.valid and check.trusted and check.signatures[0].signer == SIGNER
    [embedded] = PdfFileReader(BytesIO(signed), strict=False).embedded_regular_signatures
    carried = {cert.sha256 for cert in embedded.other_embedded_certs}
    assert hashlib.sha256(second.root_der).digest() in carried
