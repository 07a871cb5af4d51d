"""The case manager signs the final PDF of a signed PI version with her own certificate (PAdES).

The version must already be signed (frozen): the PDF printed from it is then signed with the
key of a PKCS#12 file or of a smart card / token (PKCS#11, :class:`TokenCredentials`), checked
like any attached signed PDF, and kept with the version as its digitally signed copy. Nothing
leaves the machine: no timestamp server, no revocation lookups.
"""

from __future__ import annotations

from datetime import datetime

from caseworker_app.documents.pades import TokenCredentials, sign_pdf, sign_pdf_pkcs11
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import UnitOfWorkFactory
from caseworker_app.services import audit_log, printing
from caseworker_app.services.signatures import (
    SignedAttachment,
    check_signed_pdf,
    store_signed_copy,
)


def sign_final_pdf(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    version_id: str,
    pkcs12: bytes | None = None,
    passphrase: bytes | None = None,
    token: TokenCredentials | None = None,
    signer_name: str,
    now: datetime,
) -> SignedAttachment:
    """Print the signed version, sign the PDF with the certificate in ``pkcs12`` or on the
    smart card / token described by ``token`` (exactly one of the two) and keep it with the
    version (its check stored beside it). Returns the stored copy and its check."""
    if (pkcs12 is None) == (token is None):
        raise ValueError("sign_final_pdf needs either a PKCS#12 file or a token, not both")
    actor.require(Permission.EDIT_CASES)
    actor.require(Permission.READ_HEALTH)
    with uow_factory() as uow:
        version = uow.pi.get(version_id)
        if version is None:
            raise UserFacingError("pi.not_found")
        if not version.frozen:
            raise UserFacingError("signature.final_pdf_needs_signed_version",
                                  number=version.number)  # fmt: skip
        istanza = uow.istanze.get(version.istanza_id)
        if istanza is None:
            raise UserFacingError("istanza.not_found")
    printed = printing.print_pi(uow_factory(), actor=actor, istanza=istanza.id,
                                number=version.number, now=now)  # fmt: skip
    place = version.content.get("signed_place")
    reason = f"Progetto Individuale, versione {version.number}"
    location = place if isinstance(place, str) else ""
    if token is not None:
        signed = sign_pdf_pkcs11(
            printed.pdf, module_path=token.module_path, pin=token.pin,
            token_label=token.token_label, key_label=token.key_label, reason=reason,
            location=location, signer_name=signer_name,
        )  # fmt: skip
    else:
        assert pkcs12 is not None
        signed = sign_pdf(printed.pdf, pkcs12=pkcs12, passphrase=passphrase, reason=reason,
                          location=location, signer_name=signer_name)  # fmt: skip
    check = check_signed_pdf(signed)
    with uow_factory() as uow:
        doc = store_signed_copy(
            uow, actor=actor, current=version, content=signed, mime="application/pdf",
            title=f"Progetto Individuale, versione {version.number}, firmato digitalmente",
            signed_on=now.date(), check=check, now=now,
        )  # fmt: skip
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE,
                         entity_type="pi_version", entity_id=version_id, at=now)  # fmt: skip
        uow.commit()
    return SignedAttachment(version, doc, check)
