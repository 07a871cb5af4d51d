"""The comune takes the esiti of the capofila's graduatoria on its Trasmissioni page (issue 13):
the file dropped on the page, the message says how many istanze were updated, the rows show
"Esito ricevuto"; the same file again changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.services import ranking_runs
from caseworker_app.services.outcomes import write_outcomes
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.transmission_models import ReadinessModel
from caseworker_app.ui.transmissions_view import TransmissionsView
from tests.integration.transmission_stores import AVVISO, NOW, Ambito, receive_all

from .conftest import wait_idle
from .transmission_windows import (
    ambito_of,
    close_window,
    column_texts,
    drop_file,
    go_to,
    open_window,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(".artifacts/screens")


@pytest.fixture
def ambito(tmp_path: Path) -> Iterator[Ambito]:
    yield from ambito_of(tmp_path)


def _message(qtbot: QtBot, page: TransmissionsView) -> QMessageBox:
    qtbot.waitUntil(lambda: page.message is not None and page.message.isVisible(), timeout=30_000)
    assert page.message is not None
    return page.message


def test_the_comune_drops_the_esiti_and_its_istanze_show_the_outcome(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, ambito: Ambito
) -> None:
    receive_all(ambito)
    capofila = ambito.capofila
    stored = ranking_runs.rank_received(
        capofila.uow_factory(), actor=capofila.actor, avviso_id=AVVISO, on=date(2027, 12, 31),
        now=NOW,
    )  # fmt: skip
    stored = ranking_runs.approve_run(
        capofila.uow_factory(), actor=capofila.actor, run_id=stored.run.id,
        determina="12/2026", on=NOW.date(), now=NOW,
    )  # fmt: skip
    stick = tmp_path / "esiti"
    stick.mkdir()
    files = {
        f.comune: f.path
        for f in write_outcomes(
            capofila.uow_factory(), actor=capofila.actor, stored=stored, out_dir=stick, now=NOW
        )
    }
    store = ambito.comuni["A127"]
    window = open_window(qtbot, tasks, tmp_path, store, "a127")
    go_to(qtbot, window, "Trasmissioni")
    page = window.transmissions_view
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.loading, timeout=20_000)
    wait_idle(qtbot, tasks)

    assert drop_file(page, files["A127"])
    message = _message(qtbot, page)
    rows = [r for r in stored.run.rows if r.comune == "A127"]
    assert "Esiti" in message.text() and "n. 1" in message.text() and "12/2026" in message.text()
    assert f"{len(rows)} su {len(rows)}" in message.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.resize(1366, 768)
    window.grab().save(str(SHOTS / "esiti-imported-page.png"))
    message.grab().save(str(SHOTS / "esiti-imported-message.png"))
    message.done(0)
    wait_idle(qtbot, tasks)
    # the file sent shows each istanza's outcome received; they are no longer to be sent
    qtbot.waitUntil(
        lambda: set(column_texts(page.history.items_model, 2)) == {"Esito ricevuto"},
        timeout=20_000,
    )
    sent = {r.protocol for r in rows}
    assert not sent & set(column_texts(page.model, ReadinessModel.PROTOCOL))
    with store.uow_factory() as uow:
        states = {i.protocol: i.state for i in (uow.istanze.get(r.istanza_id)
                  for r in uow.istanze.list()) if i is not None}  # fmt: skip
    assert {states[r.protocol] for r in rows} <= {
        IstanzaState.FINANZIATA, IstanzaState.FINANZIATA_PARZIALMENTE,
        IstanzaState.AMMESSA_NON_FINANZIATA, IstanzaState.NON_AMMISSIBILE,
    }  # fmt: skip

    assert drop_file(page, files["A127"])
    again = _message(qtbot, page)
    assert "già stati importati" in again.text()
    again.done(0)
    close_window(qtbot, window)
