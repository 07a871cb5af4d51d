"""The istanza wizard as a social worker uses it: date and avviso, typing, live verdict, submit."""

from __future__ import annotations

import os
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from caseworker_app.domain.case_sections import Certification, CertificationKind
from caseworker_app.domain.ids import CaseId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases
from caseworker_app.ui.istanza_wizard.wizard import IstanzaWizardView
from caseworker_app.ui.session import Session

from .conftest import type_text, wait_idle

NOW = datetime(2024, 1, 15, 10, 30)


def _case(session: Session) -> CaseId:
    ws = session.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Cantù", given_name="Nicolò", sex=Sex.M,
                              birth_date=date(1940, 1, 1), residence_comune="A010"),
        now=NOW,
    )  # fmt: skip
    with ws.uow_factory() as uow:
        cert = Certification(CertificationKind.L104_ART3_C3, date(2020, 5, 4), "INPS")
        uow.records.put(StoredRecord(new_id(), case_id, Certification.KIND, cert.to_data(), NOW))
        uow.commit()
    return case_id


def _retype(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    type_text(qtbot, field, text)


def _wizard(qtbot: QtBot, session: Session) -> IstanzaWizardView:
    view = IstanzaWizardView(session, case_id=_case(session), person="Cantù Nicolò")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    wait_idle(qtbot, session.tasks)
    return view


def _create_on(qtbot: QtBot, view: IstanzaWizardView, day: str) -> None:
    _retype(qtbot, view.start.date, day)
    qtbot.waitUntil(lambda: view.start.open_list.count() > 0, timeout=5_000)
    assert view.start.chosen_avviso() == "abbiatense-caregiver-2023"
    qtbot.mouseClick(view.start.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.data is not None, timeout=10_000)
    assert view.nav.currentRow() == 1


def _shot(view: IstanzaWizardView, name: str) -> None:
    folder = os.environ.get("WIZARD_SHOTS")
    if folder:
        view.grab().save(os.path.join(folder, f"wizard_{name}.png"))


def _type_isee(qtbot: QtBot, view: IstanzaWizardView, value: str) -> None:
    view.go_to(4)
    qtbot.mouseClick(view.isee.add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, view.isee.value, value)


def test_eligibility_panel_turns_ko_as_the_isee_goes_past_the_ceiling(
    qtbot: QtBot, session: Session
) -> None:
    view = _wizard(qtbot, session)
    _create_on(qtbot, view, "15/01/2024")
    qtbot.waitUntil(lambda: "isee" in view.panel.statuses, timeout=5_000)
    assert view.panel.statuses["isee"] == "ko"  # judged today: the 31/01/2024 deadline is past
    _type_isee(qtbot, view, "24999,99")  # the Abbiatense ceiling for adults is 25.000,00 €
    qtbot.waitUntil(lambda: view.panel.statuses.get("isee") == "ok", timeout=5_000)
    ok_text = view.panel.checks.item(_row(view, "isee")).text()
    assert ok_text.startswith("✔ Sì")
    _retype(qtbot, view.isee.value, "25000,01")
    qtbot.waitUntil(lambda: view.panel.statuses.get("isee") == "ko", timeout=5_000)
    assert view.panel.checks.item(_row(view, "isee")).text().startswith("✖ No")
    assert view.panel.outcome.text() == "Esito: Non ammissibile"
    assert view.last_judge_ms < 50  # pure and fast: fine on the UI thread
    qtbot.waitUntil(view.is_idle, timeout=10_000)  # the attestation was saved to the case


def _row(view: IstanzaWizardView, code: str) -> int:
    return list(view.panel.statuses).index(code)


def test_social_worker_fills_an_istanza_and_presents_it(qtbot: QtBot, session: Session) -> None:
    view = _wizard(qtbot, session)
    _shot(view, "1_avviso")
    _create_on(qtbot, view, "15/01/2024")
    _shot(view, "2_richiedente")
    view.go_to(2)
    for check in view.declarations.checks.values():
        qtbot.mouseClick(check.box, Qt.MouseButton.LeftButton)
    _shot(view, "3_autodichiarazioni")
    view.go_to(3)
    qtbot.mouseClick(view.care.family_caregiver_only.box, Qt.MouseButton.LeftButton)
    _shot(view, "4_cura")
    _type_isee(qtbot, view, "18.500,00")
    _shot(view, "5_isee")
    view.go_to(5)
    qtbot.mouseClick(view.requests.add_button, Qt.MouseButton.LeftButton)
    row = view.requests.rows[0]
    type_text(qtbot, row.amount, "900,00")
    type_text(qtbot, row.start, "01/03/2023")
    type_text(qtbot, row.end, "31/12/2023")
    qtbot.waitUntil(lambda: view.panel.line_statuses == ["ok"], timeout=5_000)
    _shot(view, "6_interventi")
    view.go_to(6)
    type_text(qtbot, view.documents.received["documento_identita"], "15/01/2024")
    _shot(view, "7_documenti")
    view.go_to(7)
    type_text(qtbot, view.payment.iban, "IT60 X054 2811 1010 0000 0123 457")
    qtbot.waitUntil(lambda: "controllo" in view.payment.problem.text(), timeout=2_000)
    _retype(qtbot, view.payment.iban, "IT60 X054 2811 1010 0000 0123 456")
    qtbot.mouseClick(view.payment.use_applicant, Qt.MouseButton.LeftButton)
    assert view.payment.holder.text() == "Nicolò Cantù"
    assert view.payment.problem.text() == "✔ IBAN valido"
    _shot(view, "8_pagamento")
    view.go_to(8)
    qtbot.waitUntil(lambda: view.panel.outcome.text() == "Esito: Ammissibile", timeout=5_000)
    assert "900,00 €" in view.panel.amount.text()
    assert view.submit_page.readiness.text().startswith("Tutto pronto")
    qtbot.mouseClick(view.submit_page.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(view.submit_page.result.text()), timeout=10_000)
    assert view.submit_page.result.text().startswith("Protocollo A010-2024-000001 del 15/01/2024")
    _shot(view, "9_presenta")
    wait_idle(qtbot, session.tasks)


def test_no_avviso_open_on_the_date_shows_the_last_closed(qtbot: QtBot, session: Session) -> None:
    view = _wizard(qtbot, session)
    qtbot.waitUntil(lambda: view.start.closed_list.count() > 0, timeout=5_000)
    _retype(qtbot, view.start.date, "01/06/2024")
    qtbot.waitUntil(lambda: "01/06/2024" in view.start.date_hint.text(), timeout=5_000)
    assert view.start.open_list.count() == 0
    assert not view.start.create_button.isEnabled()
    assert "Nessun avviso del comune accetta istanze" in view.start.date_hint.text()
    closed = view.start.closed_list.item(0)
    assert "fino al 22/01/2024" in closed.text() or "al 22/01/2024" in closed.text()
    view.start.on_closed_activated(closed)  # Enter on the closed avviso: its last day
    assert view.start.date.text() == "22/01/2024"
    qtbot.waitUntil(lambda: view.start.open_list.count() == 1, timeout=5_000)
    assert view.start.create_button.isEnabled()


def test_worker_opens_an_istanza_from_the_list_and_changes_its_state(
    qtbot: QtBot, session: Session
) -> None:
    from caseworker_app.services import istanze
    from caseworker_app.ui.istanza_wizard.detail import IstanzaDetailView
    from caseworker_app.ui.istanze_view import IstanzeView

    ws = session.workspace
    draft = istanze.create_istanza(ws.uow_factory(), actor=ws.actor, case_id=_case(session),
                                   avviso="abbiatense-caregiver-2023", now=NOW)  # fmt: skip
    istanze.submit_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=draft.id,
                           submitted_at=NOW, now=NOW)  # fmt: skip
    listing = IstanzeView(session)
    qtbot.addWidget(listing)
    listing.show()
    listing.activate()
    wait_idle(qtbot, session.tasks)
    opened: list[str] = []
    listing.open_requested.connect(opened.append)
    listing.table.setCurrentIndex(listing.model.index(0, 0))
    qtbot.keyClick(listing.table, Qt.Key.Key_Return)
    assert opened == [draft.id]
    detail = listing.detail
    assert isinstance(detail, IstanzaDetailView)
    wait_idle(qtbot, session.tasks)
    assert "Protocollo: A010-2024-000001" in detail.facts.text()
    assert detail.model.rowCount() == 2
    qtbot.mouseClick(detail.change_button, Qt.MouseButton.LeftButton)
    dialog = detail.dialog
    assert dialog is not None
    assert dialog.target.currentText() == "In istruttoria"
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # the reason is required
    type_text(qtbot, dialog.reason, "avvio dell'istruttoria")
    dialog.accept()
    wait_idle(qtbot, session.tasks)
    assert "Stato: In istruttoria" in detail.facts.text()
    last = detail.model.rowCount() - 1
    row = [detail.model.index(last, c).data() for c in range(5)]
    assert row[1:] == ["Presentata", "In istruttoria", "mrossi", "avvio dell'istruttoria"]
    detail.close()


def test_steps_follow_the_keyboard(qtbot: QtBot, session: Session) -> None:
    view = _wizard(qtbot, session)
    _create_on(qtbot, view, "15/01/2024")
    view.applicant.surname.setFocus()
    qtbot.keyClick(view.applicant.surname, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.nav.currentRow() == 2
    qtbot.keyClick(view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert view.nav.currentRow() == 1
    wait_idle(qtbot, session.tasks)
