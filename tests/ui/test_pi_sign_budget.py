"""Signing a PI whose resources do not cover the cost of its interventions asks first, and
says by how much they fall short; the budget names the avviso's fund."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.pi import FundingSource, PiContent
from caseworker_app.ui.pi_editor import PiEditorView
from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog
from caseworker_app.ui.session import Session
from tests.integration.pi_typist import seed_case
from tests.ui.conftest import wait_idle
from tests.ui.test_pi_editor import _edit_cell


@pytest.fixture
def editor(session: Session, qtbot: QtBot) -> Iterator[PiEditorView]:
    _case_id, istanza_id = seed_case(session.workspace)
    view = PiEditorView(session, istanza_id=istanza_id)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.is_loaded, timeout=10_000)
    yield view
    view.flush()
    wait_idle(qtbot, session.tasks)


class _Answer:
    """Answers the next message box with the button ``text``, keeping what it said."""

    def __init__(self, text: str) -> None:
        self.text, self.said, self.tries = text, "", 0
        QTimer.singleShot(0, self.answer)

    def answer(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            self.tries += 1
            if self.tries < 200:
                QTimer.singleShot(25, self.answer)
            return
        self.said = box.text()
        button = next(b for b in box.buttons() if b.text() == self.text)
        button.click()


def _sign_everyone(editor: PiEditorView) -> None:
    signers = editor.signatories.rows
    for row in range(signers.table.rowCount()):
        signers.cell(row, "signed").setCheckState(Qt.CheckState.Checked)
    editor.ask_signing = lambda: ("Abbiategrasso", date(2023, 11, 21))  # type: ignore[method-assign]


def test_signing_an_uncovered_budget_asks_and_says_how_much_is_missing(
    editor: PiEditorView, qtbot: QtBot
) -> None:
    budget = editor.budget.rows
    assert budget.cell(0, "source").text() == "Caregiver familiare 2023"  # not "FNA"
    assert "Interventi: 800,00 €" in editor.budget.totals.text()
    # the cost grows to 1.000,00 €; the avviso's fund still brings 800,00 €
    _edit_cell(qtbot, editor.interventions.rows, 0, "total", "1000,00")
    assert "mancano 200,00 €" in editor.budget.totals.text()
    _sign_everyone(editor)

    refused = _Answer("Torna al budget")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(refused.said), timeout=10_000)
    assert "non coprono il costo degli interventi (1.000,00 €)" in refused.said
    assert "Le risorse del budget (800,00 €)" in refused.said
    assert "mancano 200,00 €" in refused.said
    qtbot.waitUntil(lambda: editor.is_idle() and not editor.saver.dirty, timeout=10_000)
    assert editor.current is not None and not editor.current.frozen  # nothing signed

    accepted = _Answer("Firma comunque")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.current is not None and editor.current.frozen, timeout=10_000)
    assert "mancano 200,00 €" in accepted.said
    signed = PiContent.from_data(editor.current.content)
    assert {b.source: b.total for b in signed.budget}[FundingSource.FNA] is not None
    assert signed.totals().shortfall == 200


def test_a_covered_budget_signs_without_asking(editor: PiEditorView, qtbot: QtBot) -> None:
    _sign_everyone(editor)
    asked = _Answer("Torna al budget")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.current is not None and editor.current.frozen, timeout=10_000)
    assert asked.said == ""


def test_attaching_a_signed_scan_over_an_uncovered_budget_asks_first(
    editor: PiEditorView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_cell(qtbot, editor.interventions.rows, 0, "total", "950,00")
    qtbot.mouseClick(editor.signatures_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.signatures_dialog is not None, timeout=10_000)
    dialog = editor.signatures_dialog
    assert isinstance(dialog, SignaturesDialog)
    opened: list[str] = []
    monkeypatch.setattr(
        "caseworker_app.ui.pi_editor.signatures_dialog.QFileDialog.getOpenFileName",
        lambda *_a, **_k: (opened.append("file") or "", ""),
    )
    refused = _Answer("Torna al budget")
    dialog.on_scan_clicked()
    assert "mancano 150,00 €" in refused.said
    assert opened == []  # no file asked for: nothing is signed
    accepted = _Answer("Firma comunque")
    dialog.on_scan_clicked()
    assert "mancano 150,00 €" in accepted.said and opened == ["file"]
    dialog.close()
