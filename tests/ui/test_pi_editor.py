"""The social worker writes the Progetto Individuale: objectives, interventions checked against
the avviso caps, signature, new version with what changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.pi import PiContent, PiStatus, SignatoryRole
from caseworker_app.domain.roles import Role
from caseworker_app.services import pi, signatures
from caseworker_app.ui import errors
from caseworker_app.ui.pi_editor import PiEditorView
from caseworker_app.ui.pi_editor.rows_table import RowsTable
from caseworker_app.ui.pi_editor.signature_states import SIGNED, UNSIGNED
from caseworker_app.ui.pi_editor.signatures_dialog import SignaturesDialog
from caseworker_app.ui.session import Session, load_session_info
from tests.integration.pi_typist import NOW, seed_case
from tests.integration.test_signatures import make_png
from tests.ui.conftest import CreatedStore, make_vault, type_text, wait_idle

SHOTS = Path("/tmp/shots")


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


def _edit_cell(qtbot: QtBot, rows: RowsTable, row: int, key: str, text: str) -> None:
    column = next(i for i, c in enumerate(rows.columns) if c.key == key)
    rows.table.setFocus()
    rows.table.setCurrentCell(row, column)
    rows.table.editItem(rows.table.item(row, column))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QWidget) and editor is not rows.table
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(text))
    else:
        type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: rows.table.state() != QAbstractItemView.State.EditingState)


def _stored(view: PiEditorView) -> PiContent:
    assert view.current is not None
    return PiContent.from_data(view.current.content)


def test_social_worker_plans_objectives_and_sees_an_intervention_cut_to_the_cap(
    editor: PiEditorView, session: Session, qtbot: QtBot
) -> None:
    objectives = editor.objectives.rows
    qtbot.mouseClick(objectives.add_button, Qt.MouseButton.LeftButton)
    _edit_cell(qtbot, objectives, 0, "dimension", "Cura di sé")
    _edit_cell(qtbot, objectives, 0, "objective", "Sollievo per la figlia")
    _edit_cell(qtbot, objectives, 0, "indicator", "ore di sollievo al mese")
    lines = editor.interventions.rows
    assert lines.cell(0, "outcome").text() == "Ammesso: 800,00 €"
    qtbot.mouseClick(lines.add_button, Qt.MouseButton.LeftButton)
    _edit_cell(qtbot, lines, 1, "code", "rimborso_residenziale")
    _edit_cell(qtbot, lines, 1, "start", "01/07/2023")
    _edit_cell(qtbot, lines, 1, "end", "15/07/2023")
    _edit_cell(qtbot, lines, 1, "total", "600,00")
    assert lines.cell(1, "outcome").text() == "Ridotto a 400,00 €"
    message = editor.interventions.messages.text()
    assert "Riga 2: Ridotta da 600,00 € a 400,00 €: massimo 1.200,00 € per istanza" in message
    qtbot.mouseClick(lines.add_button, Qt.MouseButton.LeftButton)
    _edit_cell(qtbot, lines, 2, "code", "sociosanitario")
    _edit_cell(qtbot, lines, 2, "start", "01/08/2023")
    _edit_cell(qtbot, lines, 2, "end", "31/08/2023")
    _edit_cell(qtbot, lines, 2, "monthly", "1.000")
    assert lines.cell(2, "outcome").text() == "Escluso"
    assert "Riga 3: Spesa non ammessa: intervento di natura sociosanitaria" in (
        editor.interventions.messages.text()
    )
    assert "1.400,00 €" not in editor.budget.totals.text()  # the granted total is not invented
    assert "Interventi: 2.400,00 €" in editor.budget.totals.text()
    qtbot.waitUntil(lambda: editor.is_idle() and not editor.saver.dirty, timeout=10_000)
    stored = _stored(editor)
    assert stored.objectives[0].indicator == "ore di sollievo al mese"
    assert [i.code for i in stored.interventions] == [
        "rimborso_domiciliare", "rimborso_residenziale", "sociosanitario"]  # fmt: skip
    assert editor.status.text().startswith("Salvato alle")


def test_signed_version_is_read_only_and_a_new_version_shows_what_changed(
    editor: PiEditorView, session: Session, qtbot: QtBot
) -> None:
    narrative = editor.narrative_field()
    narrative.setFocus()
    type_text(qtbot, narrative, "Figlia stanca, chiede sollievo.")
    signers = editor.signatories.rows
    for row in range(signers.table.rowCount()):
        signers.cell(row, "signed").setCheckState(Qt.CheckState.Checked)
    editor.ask_signing = lambda: ("Abbiategrasso", date(2023, 11, 21))  # type: ignore[method-assign]
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.current is not None and editor.current.frozen, timeout=10_000)
    assert editor.current is not None and editor.current.status is PiStatus.FIRMATA
    assert _stored(editor).evaluation.summary.endswith("Figlia stanca, chiede sollievo.")
    assert narrative.isReadOnly()
    assert editor.objectives.rows.table.editTriggers() == (
        QAbstractItemView.EditTrigger.NoEditTriggers
    )
    assert not editor.sign_button.isEnabled() and editor.new_button.isEnabled()
    assert "firmata il 21/11/2023" in editor.version_combo.currentText()
    assert "Versione firmata" in editor.banner.text()

    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.versions) == 2, timeout=10_000)
    assert editor.version_combo.currentText() == "Versione 2 – bozza"
    assert not editor.narrative_field().isReadOnly()
    assert editor.diff_box.isVisible()
    assert "Cosa è cambiato rispetto alla versione 1" in editor.diff_box.title()
    assert "Intestazione, tipo di versione: «prima stesura» → «aggiornamento»" in (
        editor.diff_text.text()
    )
    editor.narrative_field().setFocus()
    type_text(qtbot, editor.narrative_field(), " Rivalutare a marzo.")
    qtbot.waitUntil(lambda: "Rivalutare a marzo" in editor.diff_text.text(), timeout=10_000)
    assert "Valutazione, sintesi" in editor.diff_text.text()
    # Version 1 can still be read, read-only.
    editor.version_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: editor.current is not None and editor.current.number == 1)
    assert editor.narrative_field().isReadOnly()
    assert not editor.new_button.isEnabled()  # only from the latest version


def test_a_signed_scan_attached_from_firme_freezes_the_version_in_the_editor(
    editor: PiEditorView, session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    narrative = editor.narrative_field()
    narrative.setFocus()
    type_text(qtbot, narrative, " Firmato a mano.")
    qtbot.mouseClick(editor.signatures_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.signatures_dialog is not None, timeout=10_000)
    dialog = editor.signatures_dialog
    assert isinstance(dialog, SignaturesDialog)
    assert editor.current is not None and not editor.current.frozen
    scan = tmp_path / "scansione.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0" + b"pagine firmate" * 200)
    dialog.attach_scan_file(scan, place="Abbiategrasso", signed_on=date(2023, 11, 24))
    qtbot.waitUntil(lambda: editor.current is not None and editor.current.frozen, timeout=10_000)
    assert editor.narrative_field().isReadOnly()
    assert _stored(editor).evaluation.summary.endswith("Firmato a mano.")  # saved before
    dialog.close()


# -- the signature state of each signatory (12. Firme) -----------------------------------------


def _open_editor(session: Session, qtbot: QtBot, istanza_id: str) -> PiEditorView:
    view = PiEditorView(session, istanza_id=IstanzaId(istanza_id))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.is_loaded, timeout=10_000)
    return view


def _states_read(view: PiEditorView) -> bool:
    return view.is_idle() and "Lettura…" not in view.signature_states.texts()


def _row_of(view: PiEditorView, role: SignatoryRole) -> int:
    return [r for r, _name in view.signatories.signatories()].index(role.value)


def test_firme_shows_the_graphic_signature_taken_on_the_tablet_before_opening(
    session: Session, qtbot: QtBot
) -> None:
    ws = session.workspace
    _case_id, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    signatures.save_graphic_signature(
        ws.uow_factory(), actor=ws.actor, version_id=version.id,
        role=SignatoryRole.BENEFICIARIO.value, png=make_png(5), method="penna", now=NOW,
    )  # fmt: skip
    view = _open_editor(session, qtbot, istanza_id)
    qtbot.waitUntil(lambda: _states_read(view), timeout=10_000)
    section = view.signatories
    texts = view.signature_states.texts()
    here = _row_of(view, SignatoryRole.BENEFICIARIO)
    assert texts[here] == "Firma grafica acquisita il 20/11/2023 10:00 con la penna"
    assert [t for r, t in enumerate(texts) if r != here] == ["Non firmato"] * (len(texts) - 1)
    cell = section.rows.cell(here, "state")
    assert cell.background().color().name() == SIGNED  # colour, and the words say it too
    other = section.rows.cell(1 - here, "state")
    assert other.background().color().name() == UNSIGNED
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Stato della firma di Beneficiario: " + texts[here]
    )
    assert section.states_note.text() == f"Ha firmato 1 firmatario su {len(texts)}."
    assert not view.saver.dirty  # showing the states is not an edit of the plan
    table = section.rows.table
    rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.height() >= table.horizontalHeader().height() + rows_height  # nothing clipped
    _shot(view, "pi_signature_states")
    # a row added meanwhile is matched at once, without reading again
    qtbot.mouseClick(section.rows.add_button, Qt.MouseButton.LeftButton)
    assert view.signature_states.texts()[-1] == "Non firmato"
    qtbot.mouseClick(section.rows.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.is_idle() and not view.saver.dirty, timeout=10_000)
    view.close()


def _shot(view: PiEditorView, name: str) -> None:
    """The editor at 1366×768 scrolled to "12. Firme", to be looked at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.nav.setCurrentRow(len(view.sections) - 1)
    QApplication.processEvents()
    assert view.grab().save(str(SHOTS / f"{name}.png"))


def test_firme_follows_the_signatures_dialog_up_to_the_signed_scan(
    editor: PiEditorView, session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    qtbot.waitUntil(lambda: _states_read(editor), timeout=10_000)
    assert set(editor.signature_states.texts()) == {"Non firmato"}
    qtbot.mouseClick(editor.signatures_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.signatures_dialog is not None, timeout=10_000)
    dialog = editor.signatures_dialog
    assert isinstance(dialog, SignaturesDialog)
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=10_000)
    manager = _row_of(editor, SignatoryRole.CASE_MANAGER)
    with qtbot.waitSignal(editor.signature_states.shown, timeout=10_000):
        dialog.save_graphic(SignatoryRole.CASE_MANAGER.value, make_png(9), "mouse")
    assert editor.signature_states.texts()[manager].startswith("Firma grafica acquisita il ")
    assert editor.signature_states.texts()[manager].endswith("con il mouse")

    scan = tmp_path / "scansione.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0" + b"pagine firmate" * 200)
    dialog.attach_scan_file(str(scan), place="Abbiategrasso", signed_on=date(2023, 11, 24))
    qtbot.waitUntil(lambda: editor.current is not None and editor.current.frozen, timeout=10_000)
    qtbot.waitUntil(lambda: _states_read(editor), timeout=10_000)
    texts = editor.signature_states.texts()
    assert texts and all(t.startswith("Firmato a mano (scansione allegata il ") for t in texts)
    assert editor.signatories.states_note.text() == "Tutti i firmatari hanno firmato."
    _shot(editor, "pi_signature_states_scan")
    # reading the versions again did not build the sections a second time
    assert editor.nav.count() == len(editor.sections) == 12
    dialog.close()


def test_firme_shows_no_signature_state_to_an_operator_without_health_data(
    created: CreatedStore,
    session: Session,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws = session.workspace
    _case_id, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    signatures.save_graphic_signature(
        ws.uow_factory(), actor=ws.actor, version_id=version.id,
        role=SignatoryRole.BENEFICIARIO.value, png=make_png(5), method="tocco", now=NOW,
    )  # fmt: skip
    created.workspace.add_operator(
        username="lbianchi", full_name="Lucia Bianchi", roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-di-lucia",
    )  # fmt: skip
    reported: list[BaseException] = []
    monkeypatch.setattr(errors, "report_error", lambda _parent, exc: reported.append(exc))
    workspace = make_vault(created.vault.root).unlock("lbianchi", "password-di-lucia")
    try:
        lucia = Session(
            workspace=workspace, tasks=session.tasks, info=load_session_info(workspace),
            qsettings=QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat),
        )  # fmt: skip
        view = _open_editor(lucia, qtbot, istanza_id)
        wait_idle(qtbot, session.tasks)
        texts = view.signature_states.texts()
        assert texts and set(texts) == {"—"}
        assert "lettura" not in view.signatories.rows.cell(0, "state").toolTip().lower()
        assert view.signatories.states_note.text() == ""
        assert reported == []
        view.close()
        wait_idle(qtbot, session.tasks)
    finally:
        workspace.close()
