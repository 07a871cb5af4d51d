"""Stories of the Ricezione page at the capofila (issue 11), on three real encrypted stores: a
comune exports from its Trasmissioni page, the capofila imports the file confirming the
comune's fingerprint read on the phone, looks at what arrived, and the comune takes back the
receipt; a fingerprint that does not match imports nothing."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from caseworker_app.domain.transmission import MemberRole
from caseworker_app.ui.fingerprint_dialog import fingerprint_text
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.reception_detail import MemberDialog
from caseworker_app.ui.reception_view import ReceptionView
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.transmission_models import ReadinessModel, comune_name
from tests.integration.transmission_stores import Ambito, snapshot

from .conftest import wait_idle
from .transmission_windows import (
    ambito_of,
    click,
    close_window,
    column_texts,
    drop_file,
    go_to,
    open_window,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def ambito(tmp_path: Path) -> Iterator[Ambito]:
    yield from ambito_of(tmp_path)


def _reception(qtbot: QtBot, window: MainWindow) -> ReceptionView:
    labels = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert "Ricezione" in labels and "Trasmissioni" not in labels  # the capofila receives
    go_to(qtbot, window, "Ricezione")
    page = window.reception_view
    assert page is not None
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    wait_idle(qtbot, window.session.tasks)
    return page


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def _export_from_the_page(
    qtbot: QtBot, window: MainWindow, stick: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, list[str]]:
    """At the comune: check every ready istanza and export to ``stick``; the file and the
    protocols sent."""
    go_to(qtbot, window, "Trasmissioni")
    page = window.transmissions_view
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.loading, timeout=20_000)
    wait_idle(qtbot, window.session.tasks)
    click(qtbot, page.select_ready_button)
    sent = [
        line.readiness.protocol or ""
        for line in page.model.lines
        if line.istanza_id in page.model.checked_ids()
    ]
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(stick))
    )
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: page.message is not None, timeout=30_000)
    assert page.message is not None
    page.message.done(0)
    (written,) = [p for p in stick.iterdir() if p.suffix == ".cwt"]
    return written, sent


def test_a_comune_sends_the_capofila_imports_confirming_the_fingerprint_and_the_receipt_returns(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, ambito: Ambito, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "chiavetta"
    stick.mkdir()
    comune = ambito.comuni["A127"]
    comune_window = open_window(qtbot, tasks, tmp_path, comune, "a127")
    written, sent = _export_from_the_page(qtbot, comune_window, stick, monkeypatch)
    assert written.name == "A127-20261210-001.cwt" and sent
    close_window(qtbot, comune_window)

    window = open_window(qtbot, tasks, tmp_path, ambito.capofila, "capofila")
    page = _reception(qtbot, window)
    assert page.stack.currentWidget() is page.empty
    assert comune_name("A127") in page.awaiting.text()  # its keys are not confirmed yet

    # the first file of the comune: its fingerprint, to be read on the phone
    _choose_file(monkeypatch, written)
    click(qtbot, page.import_button)
    qtbot.waitUntil(lambda: page.importer.fingerprint_dialog is not None, timeout=30_000)
    dialog = page.importer.fingerprint_dialog
    assert dialog is not None
    expected = fingerprint_text(ambito.fingerprint(comune))
    assert any(label.text() == expected for label in dialog.findChildren(QLabel))
    assert len(ambito.fingerprint(comune).split()) == 8
    assert dialog.no_button.isDefault()  # Enter alone does not confirm a key
    click(qtbot, dialog.yes_button)

    qtbot.waitUntil(lambda: page.outcome is not None, timeout=30_000)
    outcome = page.outcome
    assert outcome is not None
    receipt = stick / "A127-20261210-001-ricevuta.cwt"
    assert receipt.is_file()
    assert str(receipt) in outcome.summary.text()
    assert not outcome.warning.isVisible()  # no chain warning on a first file
    assert sorted(column_texts(outcome.model, 1)) == sorted(sent)
    assert set(column_texts(outcome.model, 3)) == {"Accettata"}
    outcome.accept()

    # the istanze appear by comune; the comune's keys are now confirmed
    qtbot.waitUntil(lambda: page.model.rowCount() == len(sent) and not page.loading,
                    timeout=20_000)  # fmt: skip
    wait_idle(qtbot, tasks)
    assert set(column_texts(page.model, 0)) == {comune_name("A127")}
    assert sorted(column_texts(page.model, 1)) == sorted(sent)
    assert set(column_texts(page.model, 5)) <= {"Completa", "Non richiesti"}
    assert comune_name("A127") not in page.awaiting.text()
    assert page.files_model.rows[0][0] == written.name
    assert "accettat" in page.files_model.rows[0][3]

    # the detail of the first istanza: its record, read-only
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=20_000)
    detail = page.detail.detail
    assert detail is not None and detail.record is not None
    texts = [label.text() for label in page.detail.fields_area.findChildren(QLabel)]
    assert detail.istanza.protocol in texts
    assert detail.record.beneficiary.codice_fiscale in texts
    assert any(t.startswith(detail.record.beneficiary.surname) for t in texts)

    # its members: the signed PI opens in the print preview, a sheet as text
    members = page.detail.members
    roles = [m.role for m in members]
    page.detail.setCurrentIndex(1)
    table = page.detail.members_table
    assert MemberRole.PI_PDF in roles
    row = roles.index(MemberRole.PI_PDF)
    rect = table.visualRect(page.detail.members_model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(page.detail.viewer, PrintPreviewDialog)
                    and page.detail.viewer.prepared is not None, timeout=20_000)  # fmt: skip
    preview = page.detail.viewer
    assert isinstance(preview, PrintPreviewDialog)
    assert not preview.save_button.isVisible()  # received documents stay in the store
    preview.close()
    row = roles.index(MemberRole.RECORD)
    rect = table.visualRect(page.detail.members_model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(page.detail.viewer, MemberDialog)
                    and page.detail.viewer.text.isVisible(), timeout=20_000)  # fmt: skip
    viewer = page.detail.viewer
    assert isinstance(viewer, MemberDialog)
    assert json.loads(viewer.text.toPlainText())["id"] == detail.istanza.protocol
    window.lock()  # personal data never stays above the lock screen
    assert not viewer.isVisible()
    window.on_unlocked()
    assert viewer.isVisible()
    viewer.close()
    page.detail.setCurrentIndex(2)
    assert page.detail.versions_model.rows[0][0] == "1"
    assert page.detail.versions_model.rows[0][3] == "Corrente"
    assert "Una sola versione" in page.detail.changes.text()

    # the same file again: nothing changes, the receipt is given again
    before = snapshot(ambito.capofila)
    assert drop_file(page, written)
    qtbot.waitUntil(lambda: page.outcome is not None, timeout=30_000)
    assert page.outcome is not None
    assert "già stato importato" in page.outcome.summary.text()
    page.outcome.accept()
    wait_idle(qtbot, tasks)
    assert snapshot(ambito.capofila)[0] == before[0]
    close_window(qtbot, window)

    # back at the comune: the receipt is imported and the rows say "Ricevuta"
    comune_window = open_window(qtbot, tasks, tmp_path, comune, "a127")
    go_to(qtbot, comune_window, "Trasmissioni")
    transmissions_page = comune_window.transmissions_view
    assert transmissions_page is not None
    qtbot.waitUntil(lambda: transmissions_page.model.rowCount() > 0, timeout=20_000)
    _choose_file(monkeypatch, receipt)
    click(qtbot, transmissions_page.import_button)
    qtbot.waitUntil(lambda: transmissions_page.message is not None, timeout=30_000)
    assert transmissions_page.message is not None
    transmissions_page.message.done(0)
    wait_idle(qtbot, tasks)

    def received() -> bool:
        model = transmissions_page.model
        protocols = column_texts(model, ReadinessModel.PROTOCOL)
        states = column_texts(model, ReadinessModel.TRANSMISSION)
        return all(states[protocols.index(p)] == "Ricevuta" for p in sent)

    qtbot.waitUntil(received, timeout=20_000)
    close_window(qtbot, comune_window)


def test_a_fingerprint_that_does_not_match_imports_nothing(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, ambito: Ambito, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = ambito.export("B448")
    window = open_window(qtbot, tasks, tmp_path, ambito.capofila, "capofila")
    page = _reception(qtbot, window)
    before = snapshot(ambito.capofila)
    assert drop_file(page, written)  # dropped from the file manager
    qtbot.waitUntil(lambda: page.importer.fingerprint_dialog is not None, timeout=30_000)
    dialog = page.importer.fingerprint_dialog
    assert dialog is not None
    click(qtbot, dialog.no_button)
    qtbot.waitUntil(lambda: page.importer.fingerprint_dialog is None)
    wait_idle(qtbot, tasks)
    assert page.outcome is None
    assert not (written.parent / "B448-20261210-001-ricevuta.cwt").exists()
    assert snapshot(ambito.capofila) == before
    assert page.model.rowCount() == 0
    close_window(qtbot, window)


def test_filters_by_avviso_and_comune_and_the_changes_between_versions(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, ambito: Ambito
) -> None:
    for code in ("A127", "B448"):
        ambito.import_(
            ambito.capofila, ambito.export(code), trust=ambito.fingerprint(ambito.comuni[code])
        )
    window = open_window(qtbot, tasks, tmp_path, ambito.capofila, "capofila")
    page = _reception(qtbot, window)
    total = page.model.rowCount()
    assert set(column_texts(page.model, 0)) == {comune_name("A127"), comune_name("B448")}
    names = column_texts(page.model, 0)
    assert names == sorted(names, key=str.casefold)  # by comune
    assert page.count.text() == f"{total} istanze ricevute"
    page.comune_filter.setCurrentIndex(page.comune_filter.findData("B448"))
    assert set(column_texts(page.model, 0)) == {comune_name("B448")}
    shown = page.model.rowCount()
    assert page.count.text() == f"{shown} di {total} istanze ricevute"
    page.comune_filter.setCurrentIndex(0)
    assert page.avviso_filter.count() == 2  # "Tutti gli avvisi" and the one received
    page.avviso_filter.setCurrentIndex(1)
    assert page.model.rowCount() == total
    assert comune_name("A127") not in page.awaiting.text()

    # a newer version: the detail names the fields that changed, never their values
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=20_000)
    detail = page.detail.detail
    assert detail is not None
    old = detail.istanza
    record = json.loads(old.record)
    record["beneficiary"]["residence"] = "A010"
    record["requests"][0]["amount"] = "1.00"
    new = dataclasses.replace(old, version=2, record=json.dumps(record).encode())
    text = page.detail._changes([dataclasses.replace(old, superseded_by="x"), new])
    assert "Versione 2 rispetto alla 1" in text
    assert "beneficiario › residenza" in text
    assert "interventi richiesti 1 › importo" in text
    assert "A010" not in text and "1.00" not in text
    close_window(qtbot, window)
