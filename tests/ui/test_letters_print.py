"""The letters to the applicant from the istanza's «Stampa…» menu (pytest-qt): the
comunicazione di esito of a funded istanza, the preavviso di rigetto of one that fails the
requirements, and the reason shown in the preview when there is no outcome yet."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.services import settings
from caseworker_app.services.printing import DocumentKind
from caseworker_app.ui.case_istanze_panel import CaseIstanzePanel
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.session import Session
from tests.integration.letter_cases import HEALTH_WORDS, LATER, letter_case

from .conftest import save_screen, wait_idle

PEC = "protocollo@pec.comune.abbiategrasso.mi.it"


def _office(session: Session) -> None:
    ws = session.workspace
    for spec, value in (
        (settings.OFFICE_ADDRESS, "Piazza Marconi 1, 20081 Abbiategrasso (MI)"),
        (settings.OFFICE_PHONE, "02 9469 2201"),
        (settings.OFFICE_PEC, PEC),
    ):
        settings.write_text_setting(ws.uow_factory(), actor=ws.actor, spec=spec, value=value,
                                    now=LATER)  # fmt: skip


def _panel(qtbot: QtBot, session: Session, case_id: str) -> CaseIstanzePanel:
    panel = CaseIstanzePanel(session)
    qtbot.addWidget(panel)
    panel.set_case(case_id)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: panel.selected() is not None, timeout=10_000)
    return panel


def _from_menu(panel: CaseIstanzePanel, kind: DocumentKind) -> PrintPreviewDialog:
    """Choose the letter in the «Stampa…» menu, as the user does."""
    assert panel.print_button.isEnabled() and panel.print_button.menu() is panel.print_menu
    action = panel.letter_actions[kind]
    assert action in panel.print_menu.actions()
    action.trigger()
    assert panel.preview is not None
    return panel.preview


def _text(dialog: PrintPreviewDialog) -> str:
    assert dialog.prepared is not None
    pdf = dialog.prepared.document.pdf
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def _shot(dialog: PrintPreviewDialog, name: str) -> Path:
    """The preview at 1366×768 zoomed to the width, then the whole page, for a look."""
    dialog.resize(1366, 768)
    QApplication.processEvents()
    path = save_screen(dialog, f"letter_{name}")
    if dialog.prepared is not None:
        dialog.zoom_combo.setCurrentIndex(dialog.zoom_combo.findData("page"))
        QApplication.processEvents()
        save_screen(dialog, f"letter_{name}_page")
    return path


def test_social_worker_prints_the_outcome_letter_of_a_funded_istanza(
    qtbot: QtBot, session: Session
) -> None:
    session.clock = lambda: LATER
    _office(session)
    case_id, _istanza_id, protocol = letter_case(session.workspace, state=IstanzaState.FINANZIATA)
    panel = _panel(qtbot, session, case_id)
    assert set(panel.letter_actions) == {DocumentKind.ESITO, DocumentKind.PREAVVISO_RIGETTO}
    dialog = _from_menu(panel, DocumentKind.ESITO)
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=20_000)
    assert dialog.page_count == 1 and dialog.print_button.isEnabled()
    assert dialog.prepared is not None
    assert dialog.prepared.document.suggested_name == f"Esito_{protocol}.pdf"
    text = _text(dialog)
    assert "finanziata per un importo di 800,00 €" in text and "Bice Prova" in text
    assert not any(word in text for word in HEALTH_WORDS)
    _shot(dialog, "esito")
    dialog.close()
    wait_idle(qtbot, session.tasks)


def test_social_worker_prints_the_preavviso_of_an_istanza_failing_the_requirements(
    qtbot: QtBot, session: Session
) -> None:
    session.clock = lambda: LATER
    _office(session)
    case_id, _istanza_id, _protocol = letter_case(
        session.workspace, isee=Decimal("31000.00"), disability=False
    )
    panel = _panel(qtbot, session, case_id)
    dialog = _from_menu(panel, DocumentKind.PREAVVISO_RIGETTO)
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=20_000)
    assert dialog.page_count == 1
    text = _text(dialog)
    assert "art. 10-bis" in text and "entro 10 giorni dal ricevimento" in text
    assert PEC in text and "supera il massimo di 25.000,00 €" in text
    assert not any(word in text for word in HEALTH_WORDS)
    _shot(dialog, "preavviso")
    # the same istanza has no outcome yet: the preview says so, nothing to print
    refused = _from_menu(panel, DocumentKind.ESITO)
    qtbot.waitUntil(lambda: "non ha ancora un esito" in refused.message.text(), timeout=10_000)
    assert refused.stack.currentWidget() is refused.message
    assert not refused.print_button.isEnabled() and not refused.save_button.isEnabled()
    _shot(refused, "esito_refused")
    refused.close()
    wait_idle(qtbot, session.tasks)
