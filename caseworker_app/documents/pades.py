"""PAdES digital signatures of PDF files, with pyHanko: sign with a PKCS#12 file or with a smart
card / token through its PKCS#11 module, and verify.

Nothing here touches the network: no timestamp server, no OCSP or CRL fetching, no download of
missing certificates. A signature is therefore PAdES baseline B-B (no timestamp), and trust is
decided only against the trust roots handed in (the operating system's list is never used, so
that the same file verifies the same way on every computer).

Smart cards and tokens go through the PKCS#11 module of their vendor (a ``.dll``/``.so`` file,
e.g. OpenSC's ``opensc-pkcs11``, bit4id's ``bit4xpki``) with ``python-pkcs11`` and pyHanko's
``PKCS11Signer`` (:func:`sign_pdf_pkcs11`): the key never leaves the card, the PIN is used for one
login and forgotten, and the module is unloaded after every signature (a card inserted later is
seen, nothing stays logged in).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from caseworker_app.domain.errors import UserFacingError

#: the name of the signature field the case manager's signature goes into
FIELD_NAME = "FirmaResponsabileDelCaso"
CHECK_FORMAT = "caseworker.pades-check/1"
#: what can have been appended after a signature that PAdES does not allow
CHANGE_KINDS = ("content", "annotations", "not_permitted", "unverifiable")
# pyHanko's ModificationLevel names (lowercase) of the updates PAdES allows after a signature:
# nothing, signature maintenance (DSS, document timestamps), signing and form filling
_ALLOWED_LATER_CHANGES = frozenset({"none", "lta_updates", "form_filling"})


@dataclass(frozen=True)
class EmbeddedSignatureCheck:
    """The verification of one signature embedded in a PDF."""

    field_name: str
    signer: str  # the common name of the signer's certificate
    signing_time: datetime | None  # as claimed by the signer (no timestamp: not proven)
    intact: bool  # the signed bytes are unchanged (hash ok)
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # the certificate chains to one of the given trust roots
    whole_document: bool  # the signature covers the whole file (nothing added after it)
    coverage: str = ""  # pyHanko's coverage level, for the record
    error: str = ""  # the kind of failure when the signature could not be checked at all
    # pyHanko's ModificationLevel of what was appended after this signature ("" unknown) and
    # whether it is allowed by the document's modification policy (DocMDP; None: unknown)
    modification_level: str = ""
    docmdp_ok: bool | None = None

    @property
    def ok(self) -> bool:
        """Intact and cryptographically valid (trust is reported apart)."""
        return self.intact and self.valid

    @property
    def change_after_signing(self) -> str:
        """What was appended after this signature that PAdES does not allow: "" when nothing
        was (the signature covers the whole file, or what follows is only later signatures,
        timestamps, validation data or form filling, within the signer's DocMDP policy);
        else one of :data:`CHANGE_KINDS`."""
        if self.whole_document:
            return ""
        if self.modification_level in _ALLOWED_LATER_CHANGES:
            return "" if self.docmdp_ok is True else "not_permitted"
        if self.modification_level == "annotations":
            return "annotations"
        if self.modification_level == "other":
            return "content"
        return "unverifiable"


@dataclass(frozen=True)
class SignatureCheck:
    """The verification of every signature of a PDF."""

    signatures: tuple[EmbeddedSignatureCheck, ...] = ()

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def intact(self) -> bool:
        return self.signed and all(s.intact for s in self.signatures)

    @property
    def valid(self) -> bool:
        """Signed, and every signature intact and cryptographically valid."""
        return self.signed and all(s.ok for s in self.signatures)

    @property
    def trusted(self) -> bool:
        return self.signed and all(s.trusted for s in self.signatures)

    @property
    def whole_document(self) -> bool:
        """The last signature covers the whole file."""
        return self.signed and self.signatures[-1].whole_document

    @property
    def first_changed(self) -> tuple[int, EmbeddedSignatureCheck] | None:
        """The first signature (1-based position, check) after which the file was changed in
        a way PAdES does not allow; None when every signature still holds the document."""
        for position, sig in enumerate(self.signatures, start=1):
            if sig.change_after_signing:
                return position, sig
        return None

    def to_json(self) -> str:
        items = []
        for s in self.signatures:
            item: dict[str, Any] = asdict(s)
            item["signing_time"] = s.signing_time.isoformat() if s.signing_time else None
            items.append(item)
        return json.dumps({"format": CHECK_FORMAT, "signatures": items}, ensure_ascii=False,
                          sort_keys=True)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> SignatureCheck:
        """The check stored with a document ("" or unreadable: no signatures)."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            return cls()
        raw = data.get("signatures") if isinstance(data, dict) else None
        found = []
        for item in raw if isinstance(raw, list) else ():
            if not isinstance(item, dict):
                continue
            when = item.get("signing_time")
            try:
                moment = datetime.fromisoformat(when) if isinstance(when, str) else None
            except ValueError:
                moment = None
            found.append(
                EmbeddedSignatureCheck(
                    field_name=str(item.get("field_name", "")), signer=str(item.get("signer", "")),
                    signing_time=moment, intact=item.get("intact") is True,
                    valid=item.get("valid") is True, trusted=item.get("trusted") is True,
                    whole_document=item.get("whole_document") is True,
                    coverage=str(item.get("coverage", "")), error=str(item.get("error", "")),
                    modification_level=str(item.get("modification_level", "")),
                    docmdp_ok=docmdp if isinstance(docmdp := item.get("docmdp_ok"), bool)
                    else None,
                )
            )  # fmt: skip
        return cls(tuple(found))


def sign_pdf(
    pdf: bytes,
    *,
    pkcs12: bytes,
    passphrase: bytes | None,
    reason: str,
    location: str,
    signer_name: str,
) -> bytes:
    """The PDF with a PAdES B-B signature of the key in ``pkcs12`` appended (incremental update).

    Refused (UserFacingError) when the PKCS#12 file cannot be opened (wrong passphrase, not a
    PKCS#12 file) or the PDF cannot be read. No network access of any kind.
    """
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(),
                                                       passphrase=passphrase)  # fmt: skip
    except ValueError:
        raise UserFacingError("signature.pkcs12_unreadable") from None
    writer = _pdf_writer(pdf)
    out = signers.sign_pdf(writer, _metadata(reason, location, signer_name), signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True)
class TokenCredentials:
    """What is needed to sign with a smart card or token (the PIN is never shown in a repr)."""

    module_path: str  # the vendor's PKCS#11 module (.dll / .so / .dylib)
    pin: str = field(repr=False)
    token_label: str | None = None  # None: the only token present
    key_label: str | None = None  # None: the only signing key with a certificate


def _pdf_writer(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        return IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except Exception:  # an untrusted file: any parsing failure means "not a readable PDF"
        raise UserFacingError("signature.pdf_unreadable") from None


def _metadata(reason: str, location: str, signer_name: str) -> Any:
    from pyhanko.sign import fields, signers

    return signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", reason=reason or None,
        location=location or None, name=signer_name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
    )  # fmt: skip


def _initialized_tokens(lib: Any) -> list[Any]:
    """The tokens present and initialized (SoftHSM and some readers show an empty one too)."""
    import pkcs11

    tokens = []
    for slot in lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except pkcs11.PKCS11Error:  # removed meanwhile, or unreadable: not a candidate
            continue
        if token.flags & pkcs11.TokenFlag.TOKEN_INITIALIZED:
            tokens.append(token)
    return tokens


def _choose_token(lib: Any, token_label: str | None) -> Any:
    tokens = _initialized_tokens(lib)
    if token_label:
        tokens = [t for t in tokens if str(t.label).strip() == token_label.strip()]
        if not tokens:
            raise UserFacingError("signature.pkcs11_token_not_found")
    if not tokens:
        raise UserFacingError("signature.pkcs11_no_token")
    if len(tokens) > 1:
        raise UserFacingError("signature.pkcs11_several_tokens", count=len(tokens))
    return tokens[0]


def _open_session(token: Any, pin: str) -> Any:
    import pkcs11

    user_pin: Any = pin
    if not pin:
        if not token.flags & pkcs11.TokenFlag.PROTECTED_AUTHENTICATION_PATH:
            raise UserFacingError("signature.pkcs11_pin_missing")
        user_pin = pkcs11.PROTECTED_AUTH  # the PIN is typed on the reader's own keypad
    try:
        return token.open(user_pin=user_pin)
    except pkcs11.PinLocked:
        raise UserFacingError("signature.pkcs11_pin_locked") from None
    except (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange):
        raise UserFacingError("signature.pkcs11_wrong_pin") from None
    except pkcs11.PinExpired:
        raise UserFacingError("signature.pkcs11_pin_expired") from None
    except (pkcs11.TokenNotPresent, pkcs11.DeviceRemoved):
        raise UserFacingError("signature.pkcs11_no_token") from None


def _attribute(obj: Any, attribute: Any) -> Any:
    import pkcs11

    try:
        return obj[attribute]
    except (pkcs11.PKCS11Error, KeyError):  # not set or not readable on this object
        return None


def _token_certificates(session: Any) -> list[tuple[bytes | None, str | None, Any]]:
    """The certificates on the token: CKA_ID, CKA_LABEL and the asn1crypto certificate."""
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.keys import load_certs_from_pemder_data

    found: list[tuple[bytes | None, str | None, Any]] = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        value = _attribute(obj, Attribute.VALUE)
        try:
            certs = list(load_certs_from_pemder_data(bytes(value))) if value else []
            for cert in certs:
                _ = cert.subject  # parse now: a broken object is skipped, not met mid-signature
        except (ValueError, TypeError):
            continue
        found.extend((_attribute(obj, Attribute.ID) or None, _attribute(obj, Attribute.LABEL),
                      cert) for cert in certs)  # fmt: skip
    return found


def _for_non_repudiation(cert: Any) -> bool:
    try:
        usage = cert.key_usage_value
        return usage is not None and "non_repudiation" in usage.native
    except (AttributeError, ValueError):
        return False


def _choose_key(session: Any, key_label: str | None) -> tuple[Any, bytes | None, str | None,
                                                              list[Any]]:  # fmt: skip
    """The signing certificate (asn1crypto), the key's CKA_ID and CKA_LABEL, and the other CA
    certificates found on the token (the chain, embedded in the signature).

    A key counts only with its certificate (same CKA_ID, or else same label). Among several,
    the one certified for non-repudiation wins (Italian signature cards carry an authentication
    key, CNS, and a signing key); otherwise ``key_label`` must tell them apart.
    """
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    certs = _token_certificates(session)
    query: dict[Any, Any] = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
    if key_label:
        query[Attribute.LABEL] = key_label
    try:
        keys = list(session.get_objects(query))
    except pkcs11.PKCS11Error:
        raise UserFacingError("signature.pkcs11_no_key") from None
    pairs: list[tuple[Any, bytes | None, str | None]] = []
    for key in keys:
        key_id = _attribute(key, Attribute.ID) or None
        label = _attribute(key, Attribute.LABEL) or None
        match = [c for i, _lab, c in certs if key_id and i == key_id]
        match = match or [c for _i, lab, c in certs if label and lab == label]
        if match:
            pairs.append((match[0], key_id, label))
    if not pairs:
        raise UserFacingError("signature.pkcs11_no_key")
    if len(pairs) > 1:
        signing = [p for p in pairs if _for_non_repudiation(p[0])]
        if len(signing) != 1:
            raise UserFacingError("signature.pkcs11_several_keys", count=len(pairs))
        pairs = signing
    cert, key_id, label = pairs[0]
    chain = [c for _i, _lab, c in certs if c.ca and c.sha256 != cert.sha256]
    return cert, key_id, label, chain


def sign_pdf_pkcs11(
    pdf: bytes,
    *,
    module_path: str,
    pin: str,
    token_label: str | None,
    key_label: str | None,
    reason: str,
    location: str,
    signer_name: str,
) -> bytes:
    """The PDF with a PAdES B-B signature made by the key on a smart card or token.

    ``module_path`` is the vendor's PKCS#11 module; ``token_label`` chooses the token when
    several are present; ``key_label`` the key when the token holds several signing keys with a
    certificate and none is the only one for non-repudiation. An empty ``pin`` is allowed only
    with a reader that has its own keypad. Refused with a clear UserFacingError when the module
    cannot be loaded, no (matching) token is present, the PIN is wrong or locked, or the token
    has no signing key with its certificate. No network access of any kind.
    """
    import pkcs11
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.pkcs11 import PKCS11Signer

    writer = _pdf_writer(pdf)  # an unreadable PDF is refused before touching the card
    if not module_path or not Path(module_path).is_file():
        raise UserFacingError("signature.pkcs11_module_not_found")
    try:
        lib = pkcs11.lib(module_path)
    except pkcs11.PKCS11Error:
        raise UserFacingError("signature.pkcs11_module_unusable") from None
    try:
        token = _choose_token(lib, token_label)
        session = _open_session(token, pin)
        try:
            cert, key_id, found_label, chain = _choose_key(session, key_label)
            signer = PKCS11Signer(
                session, signing_cert=cert, ca_chain=chain,
                key_id=key_id, key_label=None if key_id else found_label,
                other_certs_to_pull=(),
            )  # fmt: skip
            try:
                out = signers.sign_pdf(writer, _metadata(reason, location, signer_name),
                                       signer=signer)  # fmt: skip
            except (pkcs11.TokenNotPresent, pkcs11.DeviceRemoved):
                raise UserFacingError("signature.pkcs11_no_token") from None
            except (pkcs11.PKCS11Error, SigningError):
                raise UserFacingError("signature.pkcs11_failed") from None
        finally:
            with suppress(pkcs11.PKCS11Error):  # the card was pulled out: nothing to close
                session.close()
    except (pkcs11.TokenNotPresent, pkcs11.DeviceRemoved):
        raise UserFacingError("signature.pkcs11_no_token") from None
    except pkcs11.PKCS11Error:  # anything else the module or the card refused
        raise UserFacingError("signature.pkcs11_failed") from None
    finally:
        with suppress(pkcs11.PKCS11Error):
            pkcs11.unload(module_path)  # finalize: nothing stays logged in or cached
    return bytes(out.getvalue())


def _common_name(cert: Any) -> str:
    try:
        name = cert.subject.native.get("common_name", "")
    except (AttributeError, ValueError):
        return ""
    return str(name) if name else ""


def _load_roots(roots: Sequence[bytes]) -> list[Any]:
    """DER or PEM certificates as asn1crypto certificates (what pyHanko's trust list takes)."""
    from pyhanko.keys import load_certs_from_pemder_data

    loaded: list[Any] = []
    for data in roots:
        try:
            certs = list(load_certs_from_pemder_data(data))
            for cert in certs:
                _ = cert.subject  # parse now: a broken root is refused here, not mid-check
        except (ValueError, TypeError):
            raise UserFacingError("signature.trust_root_unreadable") from None
        if not certs:
            raise UserFacingError("signature.trust_root_unreadable")
        loaded.extend(certs)
    return loaded


def _check_one(embedded: Any, roots: list[Any]) -> EmbeddedSignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    field_name = str(embedded.field_name or "")
    signer = ""
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        signer = _common_name(embedded.signer_cert)
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # an untrusted file must never break the check: record it
        return EmbeddedSignatureCheck(field_name, signer, None, False, False, False, False,
                                      error=type(exc).__name__)  # fmt: skip
    coverage = status.coverage
    level = status.modification_level
    when = status.signer_reported_dt or embedded.self_reported_timestamp
    return EmbeddedSignatureCheck(
        field_name=field_name, signer=_common_name(status.signing_cert) or signer,
        signing_time=when, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_document=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        coverage=coverage.name.lower() if coverage is not None else "",
        modification_level=level.name.lower() if level is not None else "",
        docmdp_ok=status.docmdp_ok if isinstance(status.docmdp_ok, bool) else None,
    )  # fmt: skip


def _quiet_pyhanko() -> None:
    """pyHanko and its certificate validator log warnings with tracebacks that name the
    certificates' subjects (people's names) and describe the file: never in our log or on the
    terminal. Everything they report reaches us in the validation status."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def verify_pdf(pdf: bytes, *, trust_roots: Sequence[bytes] = ()) -> SignatureCheck:
    """Check every signature embedded in ``pdf``, without any network access.

    ``trust_roots`` are DER or PEM certificates; with none, no signature is ``trusted``.
    A PDF without signatures gives an empty check. Refused (UserFacingError) when the bytes are
    not a readable PDF.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    _quiet_pyhanko()
    roots = _load_roots(trust_roots)
    if not pdf.startswith(b"%PDF-"):
        raise UserFacingError("signature.pdf_unreadable")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # an untrusted file: any parsing failure means "not a readable PDF"
        raise UserFacingError("signature.pdf_unreadable") from None
    return SignatureCheck(tuple(_check_one(e, roots) for e in embedded))
