"""PAdES digital signatures of PDF files, with pyHanko: sign with a PKCS#12 file, and verify.

Nothing here touches the network: no timestamp server, no OCSP or CRL fetching, no download of
missing certificates. A signature is therefore PAdES baseline B-B (no timestamp), and trust is
decided only against the trust roots handed in (the operating system's list is never used, so
that the same file verifies the same way on every computer).

Smart cards and tokens (PKCS#11) need ``python-pkcs11``, which is not installed: only PKCS#12
files are supported for now (pyHanko's ``pyhanko.sign.pkcs11.PKCS11Signer`` is the way to add
it, behind the same :func:`sign_pdf` options).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from caseworker_app.domain.errors import UserFacingError

#: the name of the signature field the case manager's signature goes into
FIELD_NAME = "FirmaResponsabileDelCaso"
CHECK_FORMAT = "caseworker.pades-check/1"


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

    @property
    def ok(self) -> bool:
        """Intact and cryptographically valid (trust is reported apart)."""
        return self.intact and self.valid


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
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(),
                                                       passphrase=passphrase)  # fmt: skip
    except ValueError:
        raise UserFacingError("signature.pkcs12_unreadable") from None
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except Exception:  # an untrusted file: any parsing failure means "not a readable PDF"
        raise UserFacingError("signature.pdf_unreadable") from None
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", reason=reason or None,
        location=location or None, name=signer_name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
    )  # fmt: skip
    out = signers.sign_pdf(writer, meta, signer=signer)
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
    when = status.signer_reported_dt or embedded.self_reported_timestamp
    return EmbeddedSignatureCheck(
        field_name=field_name, signer=_common_name(status.signing_cert) or signer,
        signing_time=when, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_document=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        coverage=coverage.name.lower() if coverage is not None else "",
    )  # fmt: skip


def verify_pdf(pdf: bytes, *, trust_roots: Sequence[bytes] = ()) -> SignatureCheck:
    """Check every signature embedded in ``pdf``, without any network access.

    ``trust_roots`` are DER or PEM certificates; with none, no signature is ``trusted``.
    A PDF without signatures gives an empty check. Refused (UserFacingError) when the bytes are
    not a readable PDF.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    roots = _load_roots(trust_roots)
    if not pdf.startswith(b"%PDF-"):
        raise UserFacingError("signature.pdf_unreadable")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # an untrusted file: any parsing failure means "not a readable PDF"
        raise UserFacingError("signature.pdf_unreadable") from None
    return SignatureCheck(tuple(_check_one(e, roots) for e in embedded))
