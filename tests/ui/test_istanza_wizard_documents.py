"""The wizard's document checklist as a social worker types it: the wording keeps step with the
verdict, a promise already past is said on its line, a date that cannot be read is kept as
typed (and survives closing the wizard), documents outside the checklist are kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from caseworker_app.domain.istanza_content import DocumentCheck
from caseworker_app.services import istanza_wizard as service
from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
from caseworker_app.ui.session import Session

from .conftest import type_text, wait_idle
from .test_istanza_wizard import _create_on, _type_isee, _wizard


def _fill(qtbot: QtBot, view: IstanzaWizardView) -> None:
    """Everything but the documents: declarations, care, ISEE, one request, IBAN."""
    view.go_to(2)
    for check in view.declarations.checks.values():
        qtbot.mouseClick(check.box, Qt.MouseButton.LeftButton)
    view.go_to(3)
    qtbot.mouseClick(view.care.family_caregiver_only.box, Qt.MouseButton.LeftButton)
    _type_isee(qtbot, view, "18.500,00")
    view.go_to(5)
    qtbot.mouseClick(view.requests.add_button, Qt.MouseButton.LeftButton)
    row = view.requests.rows[0]
    type_text(qtbot, row.amount, "900,00")
    type_text(qtbot, row.start, "01/03/2023")
    type_text(qtbot, row.end, "31/12/2023")
    view.go_to(7)
    type_text(qtbot, view.payment.iban, "IT60 X054 2811 1010 0000 0123 456")
    qtbot.mouseClick(view.payment.use_applicant, Qt.MouseButton.LeftButton)


def test_the_wording_follows_the_verdict_and_a_past_promise_is_said_on_its_line(
    qtbot: QtBot, session: Session
) -> None:
    session.clock = lambda: datetime(2024, 1, 20, 10, 0)
    view = _wizard(qtbot, session)
    _create_on(qtbot, view, "15/01/2024")
    _fill(qtbot, view)
    view.go_to(6)
    type_text(qtbot, view.documents.received["documento_identita"], "15/01/2024")
    type_text(qtbot, view.documents.promised["verbale_invalidita"], "31/01/2024")
    note = view.documents.notes["verbale_invalidita"]
    qtbot.waitUntil(lambda: note.text().startswith("In attesa"), timeout=5_000)
    view.go_to(8)
    qtbot.waitUntil(lambda: view.panel.outcome.text() == "Esito: Da integrare", timeout=5_000)
    readiness = view.submit_page.readiness.text()
    assert not readiness.startswith("Tutto pronto")
    assert "sarà «da integrare»" in readiness and "promesso entro il 31/01/2024" in readiness

    session.clock = lambda: datetime(2024, 2, 5, 10, 0)  # the worker comes back after the term
    view.judge_now()
    assert view.panel.outcome.text() == "Esito: Non ammissibile"
    assert note.text() == (
        "Termine già scaduto il 31/01/2024: senza il documento l'istanza non è ammissibile."
    )
    readiness = view.submit_page.readiness.text()
    assert not readiness.startswith("Tutto pronto")
    assert "non è ammissibile" in readiness and "non pervenuti" in readiness
    documents = next(c for c in view.evaluation.checks if c.code == "documenti")  # type: ignore[union-attr]
    assert not documents.message.startswith("Documentazione completa")
    view.go_to(6)
    view.resize(1366, 768)
    view.grab().save(".artifacts/screens/wizard_documents_past_promise.png")
    wait_idle(qtbot, session.tasks)


def test_an_unreadable_date_is_kept_as_typed_and_blocks_only_the_presentation(
    qtbot: QtBot, session: Session
) -> None:
    session.clock = lambda: datetime(2024, 1, 20, 10, 0)
    view = _wizard(qtbot, session)
    _create_on(qtbot, view, "15/01/2024")
    assert view.data is not None
    istanza_id, case_id = view.data.istanza.id, view.data.istanza.case_id
    ws = session.workspace
    # a document outside this avviso's checklist, recorded earlier (e.g. by the integrazione)
    loaded = service.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    extra = DocumentCheck("buste_paga_assistente", received_on=date(2024, 1, 15))
    service.save_content(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                         content=replace(loaded.content, documents=(extra,)),
                         now=session.now())  # fmt: skip
    view.close()
    view = IstanzaWizardView(session, case_id=case_id, person="Cantù Nicolò",
                             istanza_id=istanza_id)  # fmt: skip
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10_000)
    _fill(qtbot, view)
    view.go_to(6)
    field = view.documents.promised["verbale_invalidita"]
    type_text(qtbot, field, "31/02/2024")
    assert field.property("invalid") is True
    assert view.documents.notes["verbale_invalidita"].text().startswith("Data non valida")
    assert "Buste paga" in view.documents.others_label.text()
    view.flush()
    qtbot.waitUntil(view.is_idle, timeout=10_000)
    saved = service.load_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id)
    by_code = {d.code: d for d in saved.content.documents}
    assert by_code["verbale_invalidita"].typed == {"promised_by": "31/02/2024"}
    assert by_code["buste_paga_assistente"].received_on == date(2024, 1, 15)
    view.go_to(8)
    assert "date non sono valide" in view.submit_page.readiness.text()
    view.close()

    again = IstanzaWizardView(session, case_id=case_id, person="Cantù Nicolò",
                              istanza_id=istanza_id)  # fmt: skip
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.data is not None, timeout=10_000)
    kept = again.documents.promised["verbale_invalidita"]
    assert kept.text() == "31/02/2024" and kept.property("invalid") is True
    wait_idle(qtbot, session.tasks)
    again.close()
