"""Signatures of a PI version on a real encrypted store: graphic, signed scan, signed PDF."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.documents.base import GraphicSignature
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.pi import PiContent, PiStatus, PiVersion, SignatoryRole
from caseworker_app.domain.roles import Role
from caseworker_app.services import case_sections, digital_signature, pi, signatures
from caseworker_app.services.signatures import SignatoryStatus, check_signed_pdf
from caseworker_app.store import migrate
from tests.documents.test_pades import (
    PASSPHRASE,
    TestCa,
    make_test_ca,
    simple_pdf,
)
from tests.integration.pi_typist import NOW, seed_case

Created = tuple[Vault, OpenStore, str]
LATER = datetime(2023, 11, 25, 11, 30)
MANAGER = "Maria Rossi"  # the operator of the `created` store: the case manager of the PI


def make_png(seed: int, size: int = 40) -> bytes:
    """A small RGBA PNG with a pattern of its own (no Qt needed)."""
    rows = b"".join(
        b"\x00" + bytes((x * seed + y) % 256 for x in range(size) for _ in range(4))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))  # fmt: skip


def _draft(ws: OpenStore) -> tuple[IstanzaId, PiVersion]:
    _case, istanza_id = seed_case(ws)
    return istanza_id, pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                   now=NOW)  # fmt: skip


def _signatories(version: PiVersion) -> list[tuple[str, str]]:
    return [(s.role.value, s.name) for s in PiContent.from_data(version.content).signatories]


@pytest.fixture(scope="module")
def ca() -> TestCa:
    return make_test_ca(signer=MANAGER)


def test_family_signs_on_the_tablet_and_the_signature_is_kept_encrypted(
    created: Created, tmp_path: Path
) -> None:
    _vault, ws, _ = created
    _istanza, version = _draft(ws)
    first, second = make_png(7), make_png(11)
    signatures.save_graphic_signature(
        ws.uow_factory(), actor=ws.actor, version_id=version.id,
        role=SignatoryRole.BENEFICIARIO.value, png=first, method="mouse", now=NOW,
    )  # fmt: skip
    # signing again replaces the previous signature of the same role
    signatures.save_graphic_signature(
        ws.uow_factory(), actor=ws.actor, version_id=version.id,
        role=SignatoryRole.BENEFICIARIO.value, png=second, method="penna", now=LATER,
    )  # fmt: skip
    signatures.save_graphic_signature(
        ws.uow_factory(), actor=ws.actor, version_id=version.id,
        role=SignatoryRole.CASE_MANAGER.value, png=first, method="tocco", now=LATER,
    )  # fmt: skip
    found = signatures.graphic_signatures(ws.uow_factory(), actor=ws.actor,
                                          version_id=version.id, now=LATER)  # fmt: skip
    assert sorted(found, key=lambda g: g.role) == [
        GraphicSignature("beneficiario", second, LATER, "penna"),
        GraphicSignature("case_manager", first, LATER, "tocco"),
    ]
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    rows = signatures.signatory_states(state, _signatories(version))
    assert [(r.status, r.method) for r in rows] == [
        (SignatoryStatus.FIRMA_GRAFICA, "penna"),
        (SignatoryStatus.FIRMA_GRAFICA, "tocco"),
    ]

    # nothing of the images is in clear anywhere in the store folder
    ws.close()
    for file in (tmp_path / "store").rglob("*"):
        if file.is_file():
            raw = file.read_bytes()
            assert second[-60:] not in raw and first[-60:] not in raw, file.name
            assert b"IHDR" not in raw, file.name


def test_a_graphic_signature_is_refused_when_it_cannot_be_one(created: Created) -> None:
    _, ws, _ = created
    _istanza, version = _draft(ws)
    cases = [
        ({"png": b"GIF89a..."}, "signature.png_invalid"),
        ({"method": "telepatia"}, "signature.method_unknown"),
        ({"role": "sindaco"}, "signature.role_unknown"),
        ({"role": SignatoryRole.ASST.value}, "signature.role_unknown"),  # not a listed one
    ]
    for change, code in cases:
        args: dict[str, object] = {"role": "beneficiario", "png": make_png(3), "method": "mouse"}
        args.update(change)
        with pytest.raises(UserFacingError) as err:
            signatures.save_graphic_signature(ws.uow_factory(), actor=ws.actor,
                                              version_id=version.id, now=NOW,
                                              **args)  # type: ignore[arg-type]  # fmt: skip
        assert err.value.code == code
    clerk = Actor("impiegata", frozenset({Role.AMMINISTRATIVO}))
    with pytest.raises(UserFacingError) as err:
        signatures.save_graphic_signature(ws.uow_factory(), actor=clerk, version_id=version.id,
                                          role="beneficiario", png=make_png(3), method="mouse",
                                          now=NOW)  # fmt: skip
    assert err.value.code == "auth.not_allowed"


def test_the_signed_scan_signs_and_freezes_the_version_it_belongs_to(created: Created) -> None:
    _, ws, _ = created
    istanza_id, version = _draft(ws)
    scan = b"\xff\xd8\xff\xe0" + b"scansione firmata" * 100
    done = signatures.attach_signed_scan(
        ws.uow_factory(), actor=ws.actor, version_id=version.id, content=scan, now=LATER,
        place="Abbiategrasso", signed_on=date(2023, 11, 24),
    )  # fmt: skip
    assert done.version.status is PiStatus.FIRMATA and done.version.signed_at == LATER
    frozen = PiContent.from_data(done.version.content)
    assert all(s.signed and s.place == "Abbiategrasso" for s in frozen.signatories)
    assert frozen.signed_on == date(2023, 11, 24)
    assert (done.document.doc_type, done.document.mime) == ("pi_firmato", "image/jpeg")
    # the stored version is the frozen one, and the scan is a document of the case and istanza
    [stored] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=LATER)
    assert stored.status is PiStatus.FIRMATA
    doc, content = case_sections.read_document(
        ws.uow_factory(), actor=ws.actor, case_id=done.document.case_id,
        document_id=done.document.id, now=LATER,
    )  # fmt: skip
    assert content == scan and doc.istanza_id == istanza_id
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert [d.document_id for d in state.scans] == [done.document.id] and state.frozen
    rows = signatures.signatory_states(state, _signatories(version))
    assert {r.status for r in rows} == {SignatoryStatus.SCANSIONE}
    # frozen: no second scan, no new graphic signature, no more edits
    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                      content=scan, now=LATER, place="Abbiategrasso",
                                      signed_on=date(2023, 11, 24))  # fmt: skip
    assert err.value.code == "pi.signed_frozen"
    with pytest.raises(UserFacingError) as err:
        signatures.save_graphic_signature(ws.uow_factory(), actor=ws.actor,
                                          version_id=version.id, role="beneficiario",
                                          png=make_png(5), method="mouse", now=LATER)  # fmt: skip
    assert err.value.code == "pi.signed_frozen"
    # the signed copy stays with its version: it cannot be deleted or retyped
    with pytest.raises(UserFacingError) as err:
        case_sections.delete_document(ws.uow_factory(), actor=ws.actor,
                                      case_id=done.document.case_id,
                                      document_id=done.document.id, now=LATER)  # fmt: skip
    assert err.value.code == "document.signed_pi_kept"
    details = case_sections.DocumentDetails("isee", "", None, None, None, date(2023, 11, 24))
    with pytest.raises(UserFacingError) as err:
        case_sections.save_document_details(ws.uow_factory(), actor=ws.actor,
                                            case_id=done.document.case_id,
                                            document_id=done.document.id, details=details,
                                            now=LATER)  # fmt: skip
    assert err.value.code == "document.signed_pi_kept"


def test_a_scan_is_refused_without_place_or_with_an_unnamed_signatory(created: Created) -> None:
    _, ws, _ = created
    istanza_id, version = _draft(ws)
    scan = b"%PDF-1.4 scansione"
    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                      content=b"GIF89a", now=LATER, place="Abbiategrasso",
                                      signed_on=date(2023, 11, 24))  # fmt: skip
    assert err.value.code == "document.type_not_allowed"
    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                      content=scan, now=LATER, place=" ",
                                      signed_on=date(2023, 11, 24))  # fmt: skip
    assert err.value.code == "pi.sign_place_missing"
    content = PiContent.from_data(version.content)
    unnamed = replace(content, signatories=tuple(replace(s, name="") for s in content.signatories))
    pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=version.id, content=unnamed,
                     now=NOW)  # fmt: skip
    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                      content=scan, now=LATER, place="Abbiategrasso",
                                      signed_on=date(2023, 11, 24))  # fmt: skip
    assert err.value.code == "signature.signatories_incomplete"
    # nothing was stored: the version is still a draft with no documents
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert not state.frozen and not state.scans
    [stored] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=LATER)
    assert stored.status is PiStatus.BOZZA


def test_the_digitally_signed_pdf_is_verified_stored_and_freezes_the_version(
    created: Created, ca: TestCa
) -> None:
    from caseworker_app.documents.pades import sign_pdf

    _, ws, _ = created
    _istanza, version = _draft(ws)
    pdf = sign_pdf(simple_pdf(), pkcs12=ca.pkcs12, passphrase=PASSPHRASE, reason="Firma del PI",
                   location="Abbiategrasso", signer_name=MANAGER)  # fmt: skip
    done = signatures.attach_signed_pdf(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                        pdf_bytes=pdf, now=LATER,
                                        trust_roots=[ca.root_der])  # fmt: skip
    assert done.check is not None and done.check.valid and done.check.trusted
    assert done.version.status is PiStatus.FIRMATA
    assert PiContent.from_data(done.version.content).signed_place == "Abbiategrasso"
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    [(doc, check)] = state.signed_pdfs
    assert doc.document_id == done.document.id and check == done.check
    rows = signatures.signatory_states(state, _signatories(version))
    by_role = {r.role: r for r in rows}
    assert by_role["case_manager"].status is SignatoryStatus.DIGITALE
    assert by_role["case_manager"].trusted
    assert by_role["beneficiario"].status is SignatoryStatus.FIRMATO


def test_an_unsigned_or_altered_pdf_is_refused_and_leaves_the_draft(
    created: Created, ca: TestCa
) -> None:
    from caseworker_app.documents.pades import sign_pdf

    _, ws, _ = created
    _istanza, version = _draft(ws)
    signed = sign_pdf(simple_pdf(), pkcs12=ca.pkcs12, passphrase=PASSPHRASE, reason="",
                      location="", signer_name=MANAGER)  # fmt: skip
    at = signed.index(b"Progetto Individuale")
    altered = signed[:at] + b"X" + signed[at + 1 :]
    for pdf, code in ((simple_pdf(), "signature.pdf_unsigned"),
                      (altered, "signature.pdf_altered"),
                      (b"%PDF-1.7 rotto", "signature.pdf_unreadable")):  # fmt: skip
        with pytest.raises(UserFacingError) as err:
            signatures.attach_signed_pdf(ws.uow_factory(), actor=ws.actor,
                                         version_id=version.id, pdf_bytes=pdf, now=LATER,
                                         trust_roots=[ca.root_der])  # fmt: skip
        assert err.value.code == code
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert not state.frozen and not state.signed_pdfs


def test_revision_0005_downgrades_and_upgrades_again(created: Created) -> None:
    _, ws, _ = created
    _istanza, version = _draft(ws)
    done = signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                         content=b"%PDF-1.4 firmato", now=LATER, place="Milano",
                                         signed_on=date(2023, 11, 24))  # fmt: skip
    cfg = migrate.alembic_config()

    def columns(table: str) -> set[str]:
        with ws.engine.connect() as conn:
            return {r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})")}

    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert not columns("pi_signatures")
    assert {"pi_version_id", "signature_check"}.isdisjoint(columns("documents"))
    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert {"png", "method", "captured_by"} <= columns("pi_signatures")
    assert {"pi_version_id", "signature_check"} <= columns("documents")
    # the documents survived both ways (the link to the version is gone with the downgrade)
    _doc, content = case_sections.read_document(
        ws.uow_factory(), actor=ws.actor, case_id=done.document.case_id,
        document_id=done.document.id, now=LATER,
    )  # fmt: skip
    assert content == b"%PDF-1.4 firmato"
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert state.frozen and not state.scans


def test_case_manager_signs_the_final_pdf_of_a_signed_version_with_her_certificate(
    created: Created, ca: TestCa
) -> None:
    _, ws, _ = created
    istanza_id, version = _draft(ws)
    with pytest.raises(UserFacingError) as err:  # a draft is signed by its signatories first
        digital_signature.sign_final_pdf(ws.uow_factory, actor=ws.actor, version_id=version.id,
                                         pkcs12=ca.pkcs12, passphrase=PASSPHRASE,
                                         signer_name=MANAGER, now=LATER)  # fmt: skip
    assert err.value.code == "signature.final_pdf_needs_signed_version"
    signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                  content=b"\xff\xd8\xff\xe0" + b"firmato" * 50, now=LATER,
                                  place="Abbiategrasso", signed_on=date(2023, 11, 24))  # fmt: skip
    done = digital_signature.sign_final_pdf(
        ws.uow_factory, actor=ws.actor, version_id=version.id, pkcs12=ca.pkcs12,
        passphrase=PASSPHRASE, signer_name=MANAGER, now=LATER,
    )  # fmt: skip
    assert done.check is not None and done.check.intact and done.check.valid
    assert done.check.signatures[-1].signer == MANAGER
    doc, content = case_sections.read_document(
        ws.uow_factory(), actor=ws.actor, case_id=done.document.case_id,
        document_id=done.document.id, now=LATER,
    )  # fmt: skip
    assert content.startswith(b"%PDF") and doc.istanza_id == istanza_id
    trusted = check_signed_pdf(content, trust_roots=[ca.root_der])
    assert trusted.trusted and trusted.whole_document
    state = signatures.signature_state(ws.uow_factory(), actor=ws.actor, version_id=version.id)
    assert len(state.signed_pdfs) == 1 and len(state.scans) == 1
