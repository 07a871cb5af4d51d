"""Print preview: open a document, see its pages, save it as PDF, print it (pytest-qt)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWizard
from pytestqt.qtbot import QtBot

from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.roles import Role
from caseworker_app.services.printing import DocumentKind
from caseworker_app.ui.assessments_tab import AssessmentsTab
from caseworker_app.ui.case_istanze_panel import CaseIstanzePanel
from caseworker_app.ui.pi_editor import PiEditorView
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.setup_wizard import SetupWizard
from tests.integration.pi_typist import seed_case

from .conftest import CreatedStore, make_vault, save_screen, wait_idle

SHOTS = Path(os.environ.get("CASEWORKER_PRINT_SHOTS", "/tmp/shots"))


def _shot(dialog: QDialog, name: str) -> None:
    """The preview at 1366×768 for a look (test artifacts, and /tmp/shots when writable)."""
    dialog.resize(1366, 768)
    QApplication.processEvents()  # the layout follows the new size and zoom
    path = save_screen(dialog, f"print_{name}")
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / path.name).write_bytes(path.read_bytes())
    except OSError:
        pass


def _panel(qtbot: QtBot, session: Session, case_id: CaseId) -> CaseIstanzePanel:
    panel = CaseIstanzePanel(session)
    qtbot.addWidget(panel)
    panel.set_case(case_id)
    qtbot.waitUntil(lambda: panel.selected() is not None, timeout=10_000)
    return panel


def _ready(qtbot: QtBot, dialog: PrintPreviewDialog | None) -> PrintPreviewDialog:
    assert dialog is not None  # owned by the window that opened it (deleted on close)
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=20_000)
    return dialog


def test_social_worker_previews_the_istanza_and_saves_it_as_pdf(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, _istanza_id = seed_case(session.workspace)
    panel = _panel(qtbot, session, case_id)
    assert panel.print_button.isEnabled()
    kinds = set(panel.print_actions)
    assert kinds == {DocumentKind.ISTANZA, DocumentKind.PRIVACY, DocumentKind.PI,
                     DocumentKind.ADL, DocumentKind.IADL, DocumentKind.BARTHEL}  # fmt: skip
    panel.print_actions[DocumentKind.ISTANZA].trigger()
    dialog = _ready(qtbot, panel.preview)
    assert dialog.page_count >= 1
    pages = dialog.page_labels()
    assert pages and not pages[0].pixmap().isNull()
    assert pages[0].accessibleName().startswith("Pagina 1 di")
    assert dialog.print_button.isEnabled() and dialog.save_button.isVisible()
    _shot(dialog, "istanza")

    chosen = tmp_path / "copie" / "la-mia-istanza"
    chosen.parent.mkdir()
    asked: list[str] = []

    def fake_save(*args: object, **_kwargs: object) -> tuple[str, str]:
        asked.append(str(args[2]))
        return str(chosen), "Documenti PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    written = Path(saved.args[0])
    assert written == chosen.with_name("la-mia-istanza.pdf")  # the extension is added
    assert Path(asked[0]).name.startswith("Istanza_")  # the suggested name, no personal data
    data = written.read_bytes()
    assert data == dialog.prepared.document.pdf if dialog.prepared else False
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert "Prova" in text
    assert sorted(p.name for p in chosen.parent.iterdir()) == ["la-mia-istanza.pdf"]


def test_printing_sends_every_page_to_the_printer(
    qtbot: QtBot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, _istanza_id = seed_case(session.workspace)
    panel = _panel(qtbot, session, case_id)
    dialog = _ready(qtbot, panel.print_document(DocumentKind.PRIVACY))
    _shot(dialog, "privacy")
    out = tmp_path / "stampato.pdf"
    make_printer = dialog.make_printer

    def to_file() -> QPrinter:
        printer = make_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(dialog, "make_printer", to_file)
    monkeypatch.setattr(QPrintDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(dialog.printed, timeout=30_000) as printed:
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.args == [dialog.page_count]
    assert not dialog.is_busy() and dialog.close_button.isEnabled()
    assert out.read_bytes().startswith(b"%PDF")
    document = pdfium.PdfDocument(str(out))
    try:
        assert len(document) == dialog.page_count
        width, height = document[0].get_size()
        assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4, the page not shrunk
    finally:
        document.close()


def test_a_missing_pi_is_explained_in_the_preview(qtbot: QtBot, session: Session) -> None:
    case_id, _istanza_id = seed_case(session.workspace)
    panel = _panel(qtbot, session, case_id)
    dialog = panel.print_document(DocumentKind.PI)
    assert dialog is not None
    qtbot.waitUntil(lambda: "Progetto Individuale" in dialog.message.text(), timeout=10_000)
    assert dialog.stack.currentWidget() is dialog.message
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_clerk_prints_the_pi_but_no_scale_sheet(
    qtbot: QtBot, created: CreatedStore, session: Session, tmp_path: Path
) -> None:
    case_id, _istanza_id = seed_case(session.workspace)
    created.workspace.add_operator(
        username="lbianchi", full_name="Lucia Bianchi", roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-di-lucia",
    )  # fmt: skip
    workspace = make_vault(created.vault.root).unlock("lbianchi", "password-di-lucia")
    try:
        lucia = Session(
            workspace=workspace, tasks=session.tasks, info=load_session_info(workspace),
            qsettings=QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat),
        )  # fmt: skip
        panel = _panel(qtbot, lucia, case_id)
        assert set(panel.print_actions) == {DocumentKind.ISTANZA, DocumentKind.PRIVACY,
                                            DocumentKind.PI}  # fmt: skip
        tab = AssessmentsTab(lucia)
        qtbot.addWidget(tab)
        tab.set_case(case_id)
        assert tab.bar.isHidden()
    finally:
        wait_idle(qtbot, session.tasks)
        workspace.close()


def test_pi_editor_previews_the_version_shown(qtbot: QtBot, session: Session) -> None:
    _case_id, istanza_id = seed_case(session.workspace)
    editor = PiEditorView(session, istanza_id=IstanzaId(istanza_id))
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitUntil(editor.is_loaded, timeout=20_000)
    assert editor.print_button.isEnabled() and editor.signatures_button.isEnabled()
    with qtbot.waitSignal(editor.signatures_requested, timeout=5_000) as asked:
        qtbot.mouseClick(editor.signatures_button, Qt.MouseButton.LeftButton)
    assert editor.current is not None and asked.args == [editor.current.id]
    qtbot.mouseClick(editor.print_button, Qt.MouseButton.LeftButton)
    dialog = _ready(qtbot, editor.preview)
    assert "versione 1" in dialog.windowTitle()
    assert dialog.prepared is not None
    assert dialog.prepared.document.suggested_name == f"PI_{istanza_id}_v1.pdf"
    _shot(dialog, "pi")
    dialog.zoom_combo.setCurrentIndex(dialog.zoom_combo.findData("page"))
    first = dialog.page_labels()[0]
    viewport = dialog.scroll_area.viewport()
    assert first.height() <= viewport.height()
    _shot(dialog, "pi_whole_page")
    wait_idle(qtbot, session.tasks)


def test_valutazioni_tab_prints_the_selected_closed_sheet(qtbot: QtBot, session: Session) -> None:
    case_id, _istanza_id = seed_case(session.workspace)
    tab = AssessmentsTab(session)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_case(case_id)
    view = tab.view
    assert view is not None
    qtbot.waitUntil(lambda: view.data is not None, timeout=10_000)
    assert not tab.print_button.isEnabled()
    view.table.selectRow(0)
    assert tab.print_button.isEnabled()
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    dialog = _ready(qtbot, tab.preview)
    assert dialog.prepared is not None
    assert dialog.prepared.document.suggested_name.startswith("ADL_")
    _shot(dialog, "adl")


def test_recovery_sheet_prints_from_the_setup_wizard_but_is_never_saved(
    qtbot: QtBot, created: CreatedStore, tmp_path: Path, session: Session
) -> None:
    wizard = SetupWizard(make_vault(tmp_path / "other"), session.tasks, gateway_for=make_vault)
    qtbot.addWidget(wizard)
    wizard.workspace, wizard.recovery_code = created.workspace, created.recovery_code
    wizard.setOption(QWizard.WizardOption.IndependentPages, True)
    dialog = _ready(qtbot, wizard.recovery_page.on_print_clicked())
    assert dialog.page_count == 1
    assert not dialog.save_button.isVisible()
    assert dialog.prepared is not None
    assert dialog.prepared.document.suggested_name == "codice_di_recupero.pdf"
    _shot(dialog, "recovery")
    dialog.close()
    wizard.workspace = None  # the store belongs to the fixture
