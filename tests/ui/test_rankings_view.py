"""Stories of the Graduatorie page at the capofila (issue 13), on real encrypted stores: two
comuni sent their istruttorie, the Ufficio di Piano opens Graduatorie, makes a run typing a
budget, reads its rows, filters them by comune, reads why a row is where it is, approves the run
with the determina and draws the control sample."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.domain.ranking_run import RunStatus
from caseworker_app.services import ranking_runs
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.ranking_dialogs import ApproveDialog, NewRunDialog
from caseworker_app.ui.ranking_files_dialogs import OutcomesDialog, PublishPreviewDialog
from caseworker_app.ui.ranking_sample_dialog import SampleDialog
from caseworker_app.ui.rankings_view import RankingsView
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.transmission_models import comune_name
from tests.integration.transmission_stores import AVVISO, Ambito, make_ambito, receive_all

from .conftest import make_vault, save_screen, type_text, wait_idle
from .transmission_windows import click, column_texts, go_to, open_window

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def received(tmp_path: Path) -> Iterator[Ambito]:
    """The ambito whose comuni sent their istanze, imported at the capofila."""
    for ambito in make_ambito(tmp_path, make_vault, cases=30):
        receive_all(ambito)
        yield ambito


def _page(qtbot: QtBot, window: MainWindow) -> RankingsView:
    labels = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert labels.index("Graduatorie") == labels.index("Ricezione") + 1
    go_to(qtbot, window, "Graduatorie")
    page = window.rankings_view
    assert page is not None
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=30_000)
    wait_idle(qtbot, window.session.tasks)
    return page


def _shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()  # the layouts follow the texts just set
    save_screen(widget, name)


def _retype(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    type_text(qtbot, line, text)


def _settled(qtbot: QtBot, page: RankingsView) -> None:
    wait_idle(qtbot, page.session.tasks, timeout=30_000)
    qtbot.waitUntil(lambda: not page.loading, timeout=30_000)
    wait_idle(qtbot, page.session.tasks, timeout=30_000)


def _new_run(qtbot: QtBot, page: RankingsView) -> NewRunDialog:
    click(qtbot, page.new_button)
    dialog = page.dialog
    assert isinstance(dialog, NewRunDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_ufficio_di_piano_ranks_reads_why_and_approves(
    qtbot: QtBot,
    tasks: TaskRunner,
    tmp_path: Path,
    received: Ambito,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(qtbot, tasks, tmp_path, received.capofila, "capofila")
    page = _page(qtbot, window)
    assert page.avviso == AVVISO
    data = page.data
    assert data is not None and data.received and not data.runs
    # no run yet: the received istanze, with the rules' verdict on the day
    assert page.tabs.currentIndex() == 1
    assert page.received_model.rowCount() == len(data.received)
    assert {comune_name("A127"), comune_name("B448")} <= set(column_texts(page.received_model, 0))
    assert not page.approve_button.isEnabled()
    _shot(window, "rankings-received")

    # a run on today's date: the budget is read by the domain's parser
    dialog = _new_run(qtbot, page)
    _retype(qtbot, dialog.budget, "tremila")
    click(qtbot, dialog.ok_button)
    assert dialog.budget_problem.isVisible()
    assert "Budget" in dialog.budget_problem.text()
    _shot(dialog, "rankings-new-run-error")
    _retype(qtbot, dialog.budget, "3.000,00")
    # "Interrompi" while it ranks: nothing is recorded, and what was typed stays
    gate = threading.Event()
    tasks.run(gate.wait, on_done=lambda _r: None)  # the worker busy until the click
    click(qtbot, dialog.ok_button)
    assert dialog.bar.isVisible() and dialog.cancel_button.text() == "Interrompi"
    assert not dialog.budget.isEnabled()
    _shot(dialog, "rankings-new-run-progress")
    click(qtbot, dialog.cancel_button)
    gate.set()
    wait_idle(qtbot, tasks, timeout=30_000)
    assert dialog.isVisible() and "nessuna graduatoria" in dialog.status.text()
    assert dialog.budget.text() == "3.000,00" and dialog.cancel_button.text() == "Annulla"
    store = received.capofila
    assert not ranking_runs.runs_of(store.uow_factory(), actor=store.actor, avviso_id=AVVISO)
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, tasks, timeout=30_000)
    if page.dialog is not None:  # istanze still waiting for promised documents: provisional
        assert dialog.provisional_problem.isVisible()
        assert "Provvisoria" in dialog.provisional_problem.text()
        assert "--provisional" not in dialog.provisional_problem.text()
        _shot(dialog, "rankings-new-run-incomplete")
        dialog.provisional.setChecked(True)
        type_text(qtbot, dialog.note, "prima graduatoria")
        click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
    _settled(qtbot, page)
    first = page.selected_run()
    assert first is not None and first.run.number == 1
    assert page.tabs.currentIndex() == 0

    if first.status is RunStatus.PROVVISORIA:  # its approval is refused with the service's word
        click(qtbot, page.approve_button)
        approve = page.dialog
        assert isinstance(approve, ApproveDialog)
        type_text(qtbot, approve.determina, "12/2026")
        click(qtbot, approve.ok_button)
        wait_idle(qtbot, tasks)
        assert approve.isVisible() and "provvisoria" in approve.error.text()
        approve.reject()
        qtbot.waitUntil(lambda: page.dialog is None)

    # the run when every promised document's term has passed: final
    dialog = _new_run(qtbot, page)
    _retype(qtbot, dialog.on_line, "31/12/2027")
    _retype(qtbot, dialog.budget, "2000")
    type_text(qtbot, dialog.note, "termini scaduti")
    _shot(dialog, "rankings-new-run")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
    _settled(qtbot, page)
    stored = page.selected_run()
    assert stored is not None and stored.run.number == 2
    assert stored.status is RunStatus.DEFINITIVA
    assert page.runs_model.rowCount() == 2
    detail = page.detail
    assert detail.detail is not None and detail.detail.stored.run.id == stored.run.id
    run = stored.run
    assert str(run.budget) == "2000.00"
    assert detail.rows_model.rowCount() == len(run.rows)
    assert detail.bars.bars and detail.bars.bars[0].value() > 0
    assert "Graduatoria n. 2" in detail.heading.text()
    assert "Segue la graduatoria n. 1" in detail.facts.text()
    assert "graduatoria n. 1" in detail.changes_summary.text()
    assert detail.changes_model.rowCount() == len(detail.detail.changes) > 0

    detail.tabs.setCurrentIndex(1)
    _shot(window, "rankings-changes")
    detail.tabs.setCurrentIndex(0)

    # filter by comune
    combo = detail.comune_filter
    combo.setCurrentIndex(combo.findData("B448"))
    wanted = [r for r in run.rows if r.comune == "B448"]
    assert detail.rows_model.rowCount() == len(wanted) > 0
    assert set(column_texts(detail.rows_model, 1)) == {comune_name("B448")}
    assert detail.count.text() == f"{len(wanted)} di {len(run.rows)} righe"

    # a row clicked: its explanation on the side
    table = detail.rows_table
    rect = table.visualRect(detail.rows_model.index(0, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    row = detail.shown[0]
    text = detail.explanation.toPlainText()
    assert row.protocol in text and "Perché" in text
    _shot(window, "rankings-run")

    # approval with a determina
    click(qtbot, page.approve_button)
    approve = page.dialog
    assert isinstance(approve, ApproveDialog)
    qtbot.waitExposed(approve)
    type_text(qtbot, approve.determina, "45/2026")
    _shot(approve, "rankings-approve")
    click(qtbot, approve.ok_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
    _settled(qtbot, page)
    approved = page.selected_run()
    assert approved is not None and approved.run.id == run.id
    assert approved.status is RunStatus.APPROVATA
    assert "determina 45/2026" in page.runs_model.rows[0][1]
    assert "Approvata con la determina 45/2026" in detail.facts.text()
    assert not page.approve_button.isEnabled()
    chosen = ranking_runs.outcome_run(store.uow_factory(), actor=store.actor, avviso_id=AVVISO)
    assert chosen.run.id == run.id and chosen.approval is not None
    assert chosen.approval.determina == "45/2026"

    # publication: the public PDF previewed, then the two folders written
    albo = tmp_path / "albo"
    albo.mkdir()
    stick = tmp_path / "esiti"
    stick.mkdir()
    chosen_folder = [albo]
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(chosen_folder[0]))
    )
    click(qtbot, page.run_actions.publish_button)
    preview = page.run_actions.dialog
    assert isinstance(preview, PublishPreviewDialog)
    qtbot.waitUntil(lambda: preview.prepared is not None, timeout=30_000)
    assert preview.prepared is not None and preview.prepared.pages
    assert preview.prepared.document.pdf.startswith(b"%PDF")
    assert not preview.save_button.isVisible() and preview.publish_button.isEnabled()
    _shot(preview, "rankings-publish-preview")
    click(qtbot, preview.publish_button)
    qtbot.waitUntil(lambda: preview.published_dialog is not None, timeout=60_000)
    public = sorted(p.name for p in (albo / "pubblicazione").iterdir())
    internal = sorted(p.name for p in (albo / "uso-interno").iterdir())
    assert [n.rsplit(".", 1)[1] for n in public] == ["csv", "pdf"]
    assert any(n.endswith(".xlsx") for n in internal)
    assert any(n.startswith("liquidazione-") for n in internal)
    published = preview.published_dialog
    assert published is not None and published.model.rowCount() == len(public) + len(internal)
    _shot(published, "rankings-published")
    published.accept()
    preview.reject()
    qtbot.waitUntil(lambda: page.run_actions.dialog is None)

    # the outcomes to the comuni: one file per comune into the folder chosen
    chosen_folder[0] = stick
    click(qtbot, page.run_actions.outcomes_button)
    outcomes = page.run_actions.dialog
    assert isinstance(outcomes, OutcomesDialog)
    qtbot.waitExposed(outcomes)
    assert "45/2026" in outcomes.findChildren(QLabel)[1].text()
    click(qtbot, outcomes.write_button)
    qtbot.waitUntil(lambda: bool(outcomes.files), timeout=30_000)
    written = sorted(p.name for p in stick.iterdir())
    assert written == sorted(f.path.name for f in outcomes.files)
    assert [f.comune for f in outcomes.files] == ["A127", "B448"]
    assert all(name.endswith(".cwt") and "-esiti-" in name for name in written)
    assert outcomes.model.rowCount() == 2
    _shot(outcomes, "rankings-outcomes")
    outcomes.reject()
    qtbot.waitUntil(lambda: page.run_actions.dialog is None)

    # the control sample of the approved run, and one check recorded
    click(qtbot, page.run_actions.sample_button)
    sample = page.run_actions.dialog
    assert isinstance(sample, SampleDialog)
    qtbot.waitExposed(sample)
    wait_idle(qtbot, tasks)
    assert sample.pages.currentIndex() == 0
    type_text(qtbot, sample.seed, "seme-prova")
    _shot(sample, "rankings-sample-draw")
    click(qtbot, sample.draw_button)
    qtbot.waitUntil(lambda: sample.sample is not None, timeout=30_000)
    assert sample.sample is not None and sample.sample.sample.seed == "seme-prova"
    assert sample.model.rowCount() == len(sample.sample.rows) >= 1
    assert "ISEE" in sample.to_check.text()
    sample.result_combo.setCurrentIndex(1)  # non conforme: needs the reason
    click(qtbot, sample.record_button)
    wait_idle(qtbot, tasks)
    assert sample.check_problem.isVisible() and "nota" in sample.check_problem.text()
    sample.result_combo.setCurrentIndex(0)
    type_text(qtbot, sample.note, "ISEE riscontrato")
    click(qtbot, sample.record_button)
    wait_idle(qtbot, tasks)
    qtbot.waitUntil(lambda: sample.model.rows[0][5] == "Conforme", timeout=10_000)
    _shot(sample, "rankings-sample")
    sample.reject()
    QApplication.processEvents()
    window.close()
    wait_idle(qtbot, tasks)


def test_a_withdrawn_istanza_is_chosen_for_the_new_run_and_stays_chosen(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, received: Ambito
) -> None:
    """The comune says an applicant gave up: the clerk ticks the istanza in the new run's
    "Ritirate" list; the run keeps it as not admitted with the reason, and the next run's
    dialog comes with it ticked."""
    window = open_window(qtbot, tasks, tmp_path, received.capofila, "capofila")
    page = _page(qtbot, window)
    assert page.data is not None
    admitted = next(v for v in page.data.received if v.outcome == "ammissibile")
    dialog = _new_run(qtbot, page)
    assert dialog.withdrawn_label.text() == "Nessuna"
    _retype(qtbot, dialog.on_line, "31/12/2027")
    click(qtbot, dialog.withdrawn_button)
    chooser = dialog.withdrawn_dialog
    assert chooser is not None
    qtbot.waitExposed(chooser)
    assert chooser.filtered.rowCount() == len(page.data.received)
    type_text(qtbot, chooser.search, admitted.protocol)
    assert chooser.filtered.rowCount() == 1
    view = chooser.list
    rect = view.visualRect(chooser.filtered.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert chooser.chosen() == {(admitted.comune, admitted.protocol)}
    assert chooser.count.text() == "Ritirate: 1"
    _shot(chooser, "rankings-withdrawn")
    click(qtbot, next(b for b in chooser.findChildren(QPushButton) if b.text() == "&Conferma"))
    qtbot.waitUntil(lambda: dialog.withdrawn_dialog is None)
    assert (
        dialog.withdrawn_label.text() == f"1: {comune_name(admitted.comune)} — {admitted.protocol}"
    )
    _shot(dialog, "rankings-new-run-withdrawn")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=30_000)
    _settled(qtbot, page)
    stored = page.selected_run()
    assert stored is not None
    row = stored.run.row(admitted.comune, admitted.protocol)
    assert row is not None and row.outcome.value == "non_ammissibile"
    assert row.checks[-1].code == "rinuncia"
    assert stored.run.withdrawn == {(admitted.comune, admitted.protocol)}
    # the next run: the withdrawal is proposed again
    again = _new_run(qtbot, page)
    assert again.withdrawn == {(admitted.comune, admitted.protocol)}
    assert admitted.protocol in again.withdrawn_label.text()
    again.reject()
