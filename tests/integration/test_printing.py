"""Printing on a real encrypted store: each document, permissions, file names and audit."""

from __future__ import annotations

import io
import pathlib
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Role
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import assessments, istanze, pi, printing
from caseworker_app.services.printing import DocumentKind, PrintedDocument
from tests.integration.isee_history import LATER as ISEE_LATER
from tests.integration.isee_history import seed_isee_history
from tests.integration.pi_typist import NOW, seed_case

Created = tuple[Vault, OpenStore, str]
CLERK = Actor("impiegata", frozenset({Role.AMMINISTRATIVO}))
LATER = datetime(2023, 12, 1, 9, 0)


def _text(document: PrintedDocument) -> str:
    assert document.pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(document.pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _no_personal_data(document: PrintedDocument) -> None:
    for word in ("Prova", "Ada", "Bice"):
        assert word not in document.suggested_name
    assert document.suggested_name.endswith(".pdf")
    assert "/" not in document.suggested_name


def _printed(ws: OpenStore) -> list[tuple[str, str]]:
    with ws.uow_factory() as uow:
        events = uow.audit.find(AuditFilter(action=AuditAction.PRINT.value))
    return [(e.entity_type, e.entity_id) for e in events]


def _submitted(ws: OpenStore, istanza_id: IstanzaId) -> str:
    moved = istanze.submit_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                   submitted_at=NOW, now=NOW)  # fmt: skip
    assert moved.protocol
    return moved.protocol


def test_social_worker_prints_the_istanza_by_protocol(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    protocol = _submitted(ws, istanza_id)
    document = printing.print_for_istanza(ws.uow_factory(), actor=ws.actor, istanza=protocol,
                                          kind=DocumentKind.ISTANZA, now=NOW)  # fmt: skip
    assert document.kind is DocumentKind.ISTANZA
    assert document.suggested_name == f"Istanza_{protocol}.pdf"
    _no_personal_data(document)
    text = _text(document)
    assert "Prova" in text and "Ambito territoriale dell" in text and "Abbiategrasso" in text
    assert _printed(ws) == [("istanza", istanza_id)]


def test_the_latest_pi_prints_and_an_older_version_on_request(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    first = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    latest = printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=NOW)
    assert latest.suggested_name == f"PI_{istanza_id}_v1.pdf"
    _no_personal_data(latest)
    text = _text(latest)
    assert "Prova" in text
    assert "Casa al primo piano" in text  # the evaluation, for who may read it
    # interventions are named as the avviso names them, not by their code
    assert "Intervento domiciliare di enti qualificati" in " ".join(text.split())
    assert "rimborso_domiciliare" not in text
    assert _printed(ws) == [("pi_version", first.id)]
    with pytest.raises(UserFacingError) as missing:
        printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, number=3, now=NOW)
    assert missing.value.code == "print.pi_version_missing"
    assert missing.value.params == {"ref": istanza_id, "number": 3, "last": 1}
    again = printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, number=1,
                              now=NOW)  # fmt: skip
    assert again.suggested_name == latest.suggested_name


def test_clerk_prints_the_pi_without_the_evaluation_but_no_scale_sheet(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    document = printing.print_pi(ws.uow_factory(), actor=CLERK, istanza=istanza_id, now=NOW)
    text = _text(document)
    assert "Prova" in text
    assert "Casa al primo piano" not in text
    with pytest.raises(UserFacingError) as refused:
        printing.print_for_istanza(ws.uow_factory(), actor=CLERK, istanza=istanza_id,
                                   kind=DocumentKind.ADL, now=NOW)  # fmt: skip
    assert refused.value.code == "auth.not_allowed"
    istanza = printing.print_istanza(ws.uow_factory(), actor=CLERK, istanza=istanza_id, now=NOW)
    assert istanza.pdf.startswith(b"%PDF")


def test_without_a_pi_the_message_says_so(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    with pytest.raises(UserFacingError) as none:
        printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=NOW)
    assert none.value.code == "print.no_pi"


def test_latest_closed_adl_prints_and_a_missing_iadl_is_named(created: Created) -> None:
    _, ws, _ = created
    case_id, istanza_id = seed_case(ws)
    draft = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz",
        visit_date=date(2023, 11, 30), place="domicilio", now=LATER,
    )  # fmt: skip
    document = printing.print_for_istanza(ws.uow_factory(), actor=ws.actor, istanza=istanza_id,
                                          kind=DocumentKind.ADL, now=NOW)  # fmt: skip
    assert document.suggested_name == f"ADL_{istanza_id}_2023-11-02.pdf"  # not the draft
    text = _text(document)
    assert "Prova" in text and "02/11/2023" in text
    [(kind, sheet_id)] = _printed(ws)
    assert kind == "assessment" and sheet_id != draft.id
    with pytest.raises(UserFacingError) as none:
        printing.print_for_istanza(ws.uow_factory(), actor=ws.actor, istanza=istanza_id,
                                   kind=DocumentKind.IADL, now=NOW)  # fmt: skip
    assert (none.value.code, none.value.params["scale"]) == ("print.no_sheet", "IADL")


def test_a_sheet_chosen_in_the_history_prints_only_when_closed(created: Created) -> None:
    _, ws, _ = created
    case_id, istanza_id = seed_case(ws)
    protocol = _submitted(ws, istanza_id)
    assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="barthel",
        visit_date=date(2023, 11, 30), place="domicilio", now=LATER,
    )  # fmt: skip
    refs = printing.sheet_refs(ws.uow_factory(), actor=ws.actor, case_id=case_id)
    assert [(r.scale, r.completed) for r in refs] == [("adl-katz", True), ("barthel", False)]
    closed, draft = refs
    document = printing.print_sheet(ws.uow_factory(), actor=ws.actor, sheet_id=closed.id, now=NOW)
    assert document.suggested_name == f"ADL_{protocol}_2023-11-02.pdf"
    assert protocol in _text(document)
    with pytest.raises(UserFacingError) as refused:
        printing.print_sheet(ws.uow_factory(), actor=ws.actor, sheet_id=draft.id, now=NOW)
    assert refused.value.code == "print.sheet_not_completed"


def test_unknown_istanza_is_named_but_never_echoes_free_text(created: Created) -> None:
    _, ws, _ = created
    with pytest.raises(UserFacingError) as unknown:
        printing.print_istanza(ws.uow_factory(), actor=ws.actor, istanza="A010-2099-000001",
                               now=NOW)  # fmt: skip
    assert unknown.value.params == {"ref": "A010-2099-000001"}
    with pytest.raises(UserFacingError) as typed:
        printing.print_istanza(ws.uow_factory(), actor=ws.actor, istanza="Ada Prova", now=NOW)
    assert "Prova" not in str(typed.value.params)


def test_admin_without_case_access_cannot_print(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    admin = Actor("admin", frozenset({Role.ADMIN}))
    with pytest.raises(UserFacingError) as refused:
        printing.print_istanza(ws.uow_factory(), actor=admin, istanza=istanza_id, now=NOW)
    assert refused.value.code == "auth.not_allowed"


def test_privacy_notice_names_capofila_and_comune(created: Created) -> None:
    pytest.importorskip("caseworker_app.documents.privacy_notice")
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    general = printing.print_privacy(ws.uow_factory(), actor=CLERK, now=NOW)
    assert general.suggested_name == "informativa_privacy.pdf"
    assert "Comune di Abbiategrasso" in _text(general)
    for_istanza = printing.print_for_istanza(ws.uow_factory(), actor=CLERK, istanza=istanza_id,
                                             kind=DocumentKind.PRIVACY, now=NOW)  # fmt: skip
    assert for_istanza.suggested_name == f"informativa_privacy_{istanza_id}.pdf"
    assert [kind for kind, _id in _printed(ws)] == ["privacy_notice", "privacy_notice"]


def test_recovery_sheet_carries_the_code_and_the_audit_does_not(created: Created) -> None:
    pytest.importorskip("caseworker_app.documents.recovery_sheet")
    _, ws, code = created
    document = printing.print_recovery(ws.uow_factory(), actor=ws.actor, recovery_code=code,
                                       now=NOW)  # fmt: skip
    assert document.suggested_name == "codice_di_recupero.pdf"
    text = _text(document)
    assert all(group in text for group in code.split("-"))
    [(kind, entity)] = _printed(ws)
    assert kind == "recovery_sheet" and code not in entity


# -- the ISEE the istanza was judged on ---------------------------------------------------------


@pytest.mark.parametrize("choose", [("judged",), ()], ids=["chosen-in-the-wizard", "none-chosen"])
def test_pi_and_allegato_a_print_the_isee_the_istanza_was_judged_on(
    created: Created, choose: tuple[str, ...]
) -> None:
    _, ws, _ = created
    istanza_id, _ids = seed_isee_history(ws, choose=choose)
    pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=ISEE_LATER)
    for kind in (DocumentKind.PI, DocumentKind.ISTANZA):
        document = printing.print_for_istanza(ws.uow_factory(), actor=ws.actor,
                                              istanza=istanza_id, kind=kind,
                                              now=ISEE_LATER)  # fmt: skip
        text = " ".join(_text(document).split())
        assert "18.500,00 €" in text, kind
        assert "INPS-ISEE-2024-000000018-00" in text, kind
        assert "45.000,00 €" not in text, kind
        assert "INPS-ISEE-2026" not in text, kind


def test_a_draft_allegato_a_shows_the_attestations_ticked_in_the_wizard(created: Created) -> None:
    _, ws, _ = created
    istanza_id, _ids = seed_isee_history(ws, choose=("judged", "newer"), submit=False)
    document = printing.print_istanza(ws.uow_factory(), actor=ws.actor, istanza=istanza_id,
                                      now=ISEE_LATER)  # fmt: skip
    text = " ".join(_text(document).split())
    assert "18.500,00 €" in text and "45.000,00 €" in text  # both chosen: both declared
    assert "INPS-ISEE-2023-000000001-00" not in text  # the one not ticked is not


def test_the_pi_budget_names_the_avviso_fund_not_fna(created: Created) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    text = " ".join(_text(printing.print_pi(ws.uow_factory(), actor=ws.actor,
                                            istanza=istanza_id, now=NOW)).split())  # fmt: skip
    budget = text.split("9. Budget di progetto")[1].split("10. Compatibilità")[0]
    assert "Caregiver familiare 2023 — 800,00 €" in budget
    assert "FNA" not in budget
    assert "Le risorse coprono il costo degli interventi (800,00 €)." in budget
    assert "dal 01/03/2023 al 30/06/2023" in text  # the intervention's period


# -- the comune's office in the letterhead, digital signatures in the PI ----------------------

OFFICE_PEC = "protocollo@pec.comune.abbiategrasso.mi.it"


def _set_office(ws: OpenStore, logo: bytes | None = None) -> None:
    from caseworker_app.services import settings

    for spec, value in (
        (settings.OFFICE_NAME, "  Servizi  Sociali e Politiche per la Famiglia "),
        (settings.OFFICE_ADDRESS, "Piazza Marconi 1, 20081 Abbiategrasso (MI)"),
        (settings.OFFICE_PHONE, "02 9469 2201"),
        (settings.OFFICE_PEC, OFFICE_PEC),
    ):
        settings.write_text_setting(ws.uow_factory(), actor=ws.actor, spec=spec, value=value,
                                    now=NOW)  # fmt: skip
    if logo is not None:
        settings.write_logo(ws.uow_factory(), actor=ws.actor, content=logo, now=NOW)


def test_the_office_set_in_impostazioni_heads_every_printed_document(created: Created) -> None:
    from caseworker_app.services import settings
    from tests.documents.test_letterhead_and_signature_blocks import logo_png

    vault, ws, code = created
    _case_id, istanza_id = seed_case(ws)
    pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    default = printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=NOW)
    assert "Servizi Sociali" in _text(default) and "PEC" not in _text(default)
    logo = logo_png()
    _set_office(ws, logo)
    office = settings.read_office(ws.uow_factory())
    assert office.name == "Servizi Sociali e Politiche per la Famiglia"  # spaces cleaned
    assert office.logo == logo
    documents = [
        printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=NOW),
        printing.print_istanza(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=NOW),
        printing.print_privacy(ws.uow_factory(), actor=ws.actor, now=NOW),
        printing.print_recovery(ws.uow_factory(), actor=ws.actor, recovery_code=code, now=NOW),
    ]
    for document in documents:
        reader = PdfReader(io.BytesIO(document.pdf))
        for page in reader.pages:
            text = " ".join((page.extract_text() or "").split())
            assert "Comune di Abbiategrasso" in text
            assert "Servizi Sociali e Politiche per la Famiglia" in text
            assert f"Tel. 02 9469 2201 · PEC {OFFICE_PEC}" in text
            xobjects = page["/Resources"].get_object()["/XObject"].get_object()
            assert any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())
    # the logo lives inside the encrypted store: no image file next to it
    assert not [p for p in vault.root.rglob("*") if p.suffix.lower() in {".png", ".jpg"}]
    with ws.uow_factory() as uow:
        assert uow.settings.get(settings.LOGO_KEY)  # base64 in the settings table
    settings.write_logo(ws.uow_factory(), actor=ws.actor, content=None, now=NOW)
    assert settings.read_office(ws.uow_factory()).logo is None


def test_a_bad_pec_phone_or_logo_is_refused_with_a_message_naming_the_field(
    created: Created, tmp_path: pathlib.Path
) -> None:
    from caseworker_app.messages import render
    from caseworker_app.services import settings

    _, ws, _ = created
    cases = [
        (settings.OFFICE_PEC, "protocollo@pec", "settings.office_pec_invalid", "PEC dell'ufficio"),
        (settings.OFFICE_PEC, "servizi sociali", "settings.office_pec_invalid", "nome@dominio"),
        (settings.OFFICE_PHONE, "02-ABC", "settings.office_phone_invalid", "Telefono"),
        (settings.OFFICE_PHONE, "123", "settings.office_phone_invalid", "da 6 a 15"),
        (settings.OFFICE_NAME, "   ", "settings.office_name_invalid", "Ufficio"),
        (settings.OFFICE_ADDRESS, "x" * 121, "settings.office_address_invalid", "120 caratteri"),
    ]
    for spec, value, code, shown in cases:
        with pytest.raises(UserFacingError) as err:
            settings.write_text_setting(ws.uow_factory(), actor=ws.actor, spec=spec,
                                        value=value, now=NOW)  # fmt: skip
        assert err.value.code == code
        assert shown in render(err.value.code, err.value.params)
    assert settings.read_office(ws.uow_factory()) == settings.Office()  # nothing stored
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10)
    big = tmp_path / "grande.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(settings.MAX_LOGO_BYTES))
    text = tmp_path / "logo.jpg"
    text.write_text("ciao")
    for path, code in ((fake, "settings.logo_not_image"), (big, "settings.logo_too_large"),
                       (text, "settings.logo_not_image"),
                       (tmp_path / "manca.png", "settings.logo_unreadable")):  # fmt: skip
        with pytest.raises(UserFacingError) as err:
            settings.read_logo_file(path)
        assert err.value.code == code
        assert render(code, err.value.params).startswith("Logo:")
    with pytest.raises(UserFacingError) as err:
        settings.write_logo(ws.uow_factory(), actor=ws.actor, content=b"GIF89a....", now=NOW)
    assert err.value.code == "settings.logo_not_image"


def test_the_pi_signed_digitally_says_firmato_digitalmente_in_the_case_managers_block(
    created: Created,
) -> None:
    from caseworker_app.services import digital_signature, signatures
    from tests.documents.test_pades import PASSPHRASE, make_test_ca

    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    signatures.attach_signed_scan(ws.uow_factory(), actor=ws.actor, version_id=version.id,
                                  content=b"\xff\xd8\xff\xe0" + b"firmato" * 50, now=LATER,
                                  place="Abbiategrasso", signed_on=date(2023, 11, 24))  # fmt: skip
    by_hand = " ".join(_text(printing.print_pi(ws.uow_factory(), actor=ws.actor,
                                               istanza=istanza_id, now=LATER)).split())  # fmt: skip
    assert "Firmato digitalmente" not in by_hand  # a scan signed by hand keeps the pen line
    assert "Le parti dichiarano di aver condiviso il presente Progetto Individuale" in by_hand
    ca = make_test_ca(signer="Maria Rossi")
    digital_signature.sign_final_pdf(ws.uow_factory, actor=ws.actor, version_id=version.id,
                                     pkcs12=ca.pkcs12, passphrase=PASSPHRASE,
                                     signer_name="Maria Rossi", now=LATER)  # fmt: skip
    printed = printing.print_pi(ws.uow_factory(), actor=ws.actor, istanza=istanza_id, now=LATER)
    text = " ".join(_text(printed).split())
    signed = re.search(r"Firmato digitalmente da Maria Rossi il (\d\d/\d\d/\d{4})", text)
    assert signed is not None
    assert text.count("Firmato digitalmente") == 1
    blocks = text[text.index("12. Firme") :]
    assert blocks.index("Responsabile del caso") < blocks.index("Firmato digitalmente")
