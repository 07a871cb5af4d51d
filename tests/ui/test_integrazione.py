"""A story: the verbale promised with the istanza arrives after presentation. The worker finds it
in Scadenze, opens the istanza from the row, marks the document received with its scan, and the
istanza leaves «da integrare». Later, a promise past its deadline is shown in the engine's words
and the worker records «non ammissibile»."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.ids import DocumentId, new_id
from caseworker_app.services import case_sections
from caseworker_app.ui.istanza_wizard.detail import IstanzaDetailView
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session
from tests.integration.test_integrazione import PDF, _presented
from tests.ui.conftest import wait_idle

SHOTS = Path(".artifacts/screens")


def _detail(qtbot: QtBot, window: MainWindow) -> IstanzaDetailView:
    found: list[IstanzaDetailView] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, IstanzaDetailView) and w.isVisible()]  # fmt: skip
        return bool(found) and found[0].detail is not None

    qtbot.waitUntil(shown, timeout=10_000)
    wait_idle(qtbot, window.session.tasks)
    return found[0]


def _cells(view: IstanzaDetailView, row: int) -> list[str]:
    model = view.documents_model
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def test_worker_marks_a_promised_document_received_from_scadenze(
    qtbot: QtBot, session: Session, main_window: MainWindow
) -> None:
    ws = session.workspace
    case_id, _istanza_id = _presented(ws)
    session.clock = lambda: datetime(2024, 1, 20, 10, 0)
    case_sections.attach_document(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                  document_id=DocumentId(new_id()), content=PDF,
                                  details=case_sections.DocumentDetails(
                                      doc_type="verbale_invalidita", title="Verbale INPS"),
                                  now=session.now())  # fmt: skip
    view = main_window.scadenze_view
    main_window.show_section(view)
    wait_idle(qtbot, session.tasks)
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("istanza_document"))
    assert view.table.model().rowCount() == 1
    text = view.table.model().index(0, 3).data()
    assert text == "Verdi Ada: Verbale di invalidità promesso per l'istanza A010-2024-000001"
    view.table.setCurrentIndex(view.table.model().index(0, 3))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)

    detail = _detail(qtbot, main_window)
    assert "Verifica al 20/01/2024: Da integrare" in detail.verdict.text()
    assert "Presentata il 15/01/2024 10:00" in detail.facts.text()  # registered that day
    row = detail.documents.selectionModel().selectedRows()[0].row()
    assert _cells(detail, row)[0] == "Verbale di invalidità"
    assert _cells(detail, row)[2] == "promesso entro il 31/01/2024"
    assert detail.receive_button.isEnabled()
    detail.resize(1366, 768)
    SHOTS.mkdir(parents=True, exist_ok=True)
    detail.grab().save(str(SHOTS / "istanza_detail_da_integrare.png"))

    # the verdict asks for «da integrare»: the worker records it (audited, in the history)
    assert detail.follow_button.text() == "Registra lo stato «Da integrare»"
    qtbot.mouseClick(detail.follow_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Stato: Da integrare" in detail.facts.text(), timeout=5_000)
    assert not detail.follow_button.isVisible()

    qtbot.mouseClick(detail.receive_button, Qt.MouseButton.LeftButton)
    dialog = detail.receive_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.scan.currentText().startswith("Verbale INPS")  # the matching scan
    dialog.received.setDate(QDate(2024, 1, 19))
    dialog.grab().save(str(SHOTS / "istanza_receive_document.png"))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Segna come ricevuto"
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.tasks)
    qtbot.waitUntil(lambda: "Stato: Ammissibile" in detail.facts.text(), timeout=5_000)
    row = next(i for i, ln in enumerate(detail.lines) if ln.code == "verbale_invalidita")
    assert _cells(detail, row)[2:] == ["ricevuto il 19/01/2024", "Verbale INPS"]
    last = detail.model.rowCount() - 1
    reason = str(detail.model.index(last, 4).data())
    assert reason.startswith("Integrazione documentale: verbale di invalidità ricevuto il 19/01")
    assert not detail.receive_button.isEnabled()
    detail.close()


def test_a_lapsed_promise_is_explained_and_recorded(
    qtbot: QtBot, session: Session, main_window: MainWindow
) -> None:
    ws = session.workspace
    case_id, istanza_id = _presented(ws, registered=datetime(2024, 1, 17, 16, 45))
    session.clock = lambda: datetime(2024, 2, 5, 10, 0)
    main_window.cases_page.open_case(case_id)
    qtbot.waitUntil(lambda: bool(main_window.cases_page.editors()), timeout=10_000)
    editor_panel = main_window.cases_page.editors()[0].istanze
    editor_panel.open_detail(istanza_id)
    detail = _detail(qtbot, main_window)
    verdict = detail.verdict.text()
    assert "Verifica al 05/02/2024: Non ammissibile" in verdict
    assert "non pervenuti: verbale di invalidità (promesso entro il 31/01/2024)" in verdict
    assert "Presentata il 15/01/2024\n" in detail.facts.text() + "\n"  # registered later
    row = next(i for i, ln in enumerate(detail.lines) if ln.code == "verbale_invalidita")
    assert _cells(detail, row)[2] == "termine scaduto il 31/01/2024: non pervenuto"
    assert detail.follow_button.isVisible()
    assert detail.follow_button.text() == "Registra lo stato «Non ammissibile»"
    qtbot.mouseClick(detail.follow_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Stato: Non ammissibile" in detail.facts.text(), timeout=5_000)
    assert not detail.follow_button.isVisible()
    assert not detail.receive_button.isEnabled()
    assert date(2024, 2, 5) == session.now().date()
    detail.close()
