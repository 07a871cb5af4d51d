"""Screenshots of the Trasmissioni (comune) and Ricezione (capofila) pages with data: three
stores of one ambito (``tests/integration/transmission_stores.py``), a file sent, imported at
the capofila with the fingerprint confirmed, a correction sent as a second version, and the
receipt back at the comune. Called by ``tests/ui/screenshots.py``; alone::

    .venv/bin/python -m tests.ui.transmission_shots [--out /tmp/shots-transmissions]
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.transmission import MemberRole
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import apply_theme
from tests.integration.transmission_stores import NOW, Ambito, make_ambito


def _vault(root: Path) -> Vault:
    return Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file")


def _window(store: OpenStore, tasks: TaskRunner, work: Path, name: str) -> MainWindow:
    session = Session(
        workspace=store,
        tasks=tasks,
        info=load_session_info(store),
        qsettings=QSettings(str(work / f"{name}.ini"), QSettings.Format.IniFormat),
        clock=lambda: NOW,
    )
    window = MainWindow(session)
    window.resize(1366, 768)
    window.show()
    return window


def _section(window: MainWindow, title: str) -> None:
    from tests.ui.screenshots import wait

    row = next(
        i for i in range(window.navigation.count()) if window.navigation.item(i).text() == title
    )
    window.navigation.setCurrentRow(row)
    wait(lambda: window.session.tasks.pending == 0)


def _correct_one(ambito: Ambito, code: str) -> None:
    """A correction at the comune: the social evaluation of a sent istanza changes."""
    store = ambito.comuni[code]
    with store.uow_factory() as uow:
        sent = [i for t in uow.transmissions.sent() for i in t.items if i.comune == code]
        for item in sent:
            istanza = uow.istanze.get(item.istanza_id)
            assert istanza is not None
            records = uow.records.of_case(istanza.case_id, "evaluation")
            if records:
                data = dict(records[-1].data)
                data["summary"] = str(data.get("summary", "")) + " Aggiornata."
                uow.records.put(replace(records[-1], data=data))
                uow.commit()
                return


def transmission_shots(out: Path, work: Path, tasks: TaskRunner) -> None:
    from tests.ui.screenshots import settle, shoot, wait

    (work / "ambito").mkdir()
    generator = make_ambito(work / "ambito", _vault, cases=40)
    ambito = next(generator)
    stick = work / "chiavetta"
    stick.mkdir()
    QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(stick))  # type: ignore[method-assign]
    try:
        comune = _window(ambito.comuni["A127"], tasks, work, "a127")
        _section(comune, "Trasmissioni")
        page = comune.transmissions_view
        assert page is not None
        shoot(comune, out, "60-trasmissioni-comune")
        page.model.set_all_ready(True)
        page.on_export_clicked()
        wait(lambda: page.message is not None, 60)
        assert page.message is not None
        shoot(page.message, out, "61-trasmissioni-file-scritto")
        page.message.done(0)
        wait(lambda: tasks.pending == 0)
        settle(0.3)
        shoot(comune, out, "62-trasmissioni-inviate")

        first = next(stick.glob("A127-*.cwt"))
        _correct_one(ambito, "A127")
        second = ambito.export("A127")
        other = ambito.export("B448")

        capofila = _window(ambito.capofila, tasks, work, "capofila")
        _section(capofila, "Ricezione")
        reception = capofila.reception_view
        assert reception is not None
        shoot(capofila, out, "63-ricezione-vuota")
        reception.import_file(first)
        wait(lambda: reception.importer.fingerprint_dialog is not None, 60)
        dialog = reception.importer.fingerprint_dialog
        assert dialog is not None
        shoot(dialog, out, "64-ricezione-impronta")
        dialog.yes_button.click()
        wait(lambda: reception.outcome is not None, 60)
        assert reception.outcome is not None
        shoot(reception.outcome, out, "65-ricezione-esito")
        reception.outcome.accept()
        ambito.import_(ambito.capofila, second)
        ambito.import_(ambito.capofila, other, trust=ambito.fingerprint(ambito.comuni["B448"]))
        reception.activate()
        wait(lambda: tasks.pending == 0)
        superseded = next((i for i, r in enumerate(reception.shown) if r.version > 1), 0)
        reception.table.selectRow(superseded)
        wait(lambda: tasks.pending == 0)
        settle(0.3)
        shoot(capofila, out, "66-ricezione-istanze")
        reception.detail.setCurrentIndex(1)
        shoot(capofila, out, "67-ricezione-allegati")
        reception.detail.setCurrentIndex(2)
        shoot(capofila, out, "68-ricezione-versioni")
        members = reception.detail.members
        sheet = next(m for m in members if m.role is MemberRole.ASSESSMENT)
        viewer = reception.detail.open_member(sheet)
        wait(lambda: tasks.pending == 0)
        settle(0.3)
        shoot(viewer, out, "69-ricezione-scheda")
        viewer.close()
        capofila.close()
        wait(lambda: tasks.pending == 0)

        page.import_file(stick / f"{first.stem}-ricevuta.cwt")
        wait(lambda: page.message is not None, 60)
        assert page.message is not None
        page.message.done(0)
        wait(lambda: tasks.pending == 0)
        settle(0.3)
        shoot(comune, out, "70-trasmissioni-ricevuta")
        comune.close()
        wait(lambda: tasks.pending == 0)
    finally:
        for _ in generator:  # closes the stores
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots-transmissions"))
    args = parser.parse_args()
    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    tasks = TaskRunner()
    with tempfile.TemporaryDirectory() as tmp:
        transmission_shots(out, Path(tmp), tasks)
        tasks.shutdown(wait=True)


if __name__ == "__main__":
    main()
