"""keystroke_max_ms: the longest stall of the UI thread while typing into the PI narrative.

A real store (Vault, SQLCipher) on disk holds a case with an istanza; the real PI editor is
opened offscreen and a few hundred characters are typed into the evaluation summary with
``QTest.keyClick``, one every 30 ms from a timer, with autosave on (a save at least every 700 ms,
written on the worker thread). A 1 ms heartbeat timer runs meanwhile: the figure is the longest
gap between two heartbeats, i.e. the longest time the event loop could not answer the user
(key handling, reading the form for a save, delivering results, the worker holding the GIL).
The measure starts once the editor has loaded (with its signature states) and the narrative
has the focus: focusing it scrolls and repaints the whole form once, which is not typing.
"""

from __future__ import annotations

import os
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from timing import Benchmark, BenchResult, Config, Target, log, ms, now, summary_ms

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services import cases, istanze

USERNAME = "bench"
PASSWORD = "Benchmark-Pass-2024!"
AVVISO = "abbiatense-caregiver-2023"
TEXT = "La signora vive con la figlia che la assiste ogni giorno; chiede sollievo. "
TYPE_EVERY_MS = 30


def run(config: Config) -> BenchResult:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from caseworker_app.ui.pi_editor import PiEditorView
    from caseworker_app.ui.session import Session, load_session_info
    from caseworker_app.ui.tasks import TaskRunner

    chars = 60 if config.quick else 400
    vault = Vault(config.workdir / "pi-store", kdf=FAST_TEST_KDF, keystore_preference="file")
    store, _code = vault.create(SetupRequest("comune", "abbiatense", "A010", USERNAME,
                                             "Benchmark", PASSWORD))  # fmt: skip
    at = datetime(2023, 11, 20, 10, 0)
    case_id, _ = cases.create_case(
        store.uow_factory(), actor=store.actor, comune="A010",
        anagrafica=Anagrafica(surname="Prova", given_name="Ada", sex=Sex.F,
                              residence_comune="A010"), now=at,
    )  # fmt: skip
    istanza = istanze.create_istanza(
        store.uow_factory(), actor=store.actor, case_id=case_id, avviso=AVVISO, now=at
    )
    app = QApplication.instance() or QApplication([])
    tasks = TaskRunner()
    settings = QSettings(str(config.workdir / "bench.ini"), QSettings.Format.IniFormat)
    session = Session(store, tasks, load_session_info(store), settings)
    from caseworker_app.ui.memory import freeze_long_lived

    freeze_long_lived()  # as the app does once its main window is shown (app.py)
    editor = PiEditorView(session, istanza_id=istanza.id)
    editor.resize(1366, 768)
    editor.show()
    loop = QEventLoop()
    gaps: list[float] = []
    clicks: list[float] = []
    saves = 0
    last = [now()]
    typed = [0]

    def on_saved(_version_id: str) -> None:
        nonlocal saves
        saves += 1

    def beat() -> None:
        t = now()
        if typed[0]:
            gaps.append(t - last[0])
        last[0] = t

    focused_at = [0.0]

    def type_one() -> None:
        if not editor.is_loaded() or not signatures_read():
            return
        field = editor.narrative_field()
        if not focused_at[0]:
            # Clicking into the narrative scrolls the form and repaints it: that is not typing.
            # The measure starts once the field has the focus and the window has settled.
            field.setFocus()
            field.moveCursor(QTextCursor.MoveOperation.End)
            focused_at[0] = now()
            return
        if now() - focused_at[0] < 0.3:
            return
        if typed[0] == 0:
            last[0] = now()
        if typed[0] >= chars:
            if editor.is_idle():
                loop.quit()
            return
        t = now()
        QTest.keyClick(field, TEXT[typed[0] % len(TEXT)])
        clicks.append(now() - t)
        typed[0] += 1

    def signatures_read() -> bool:  # the signature states arrive just after the editor opens
        states = editor.signature_states
        return states.state is not None or states.failed or not states.allowed

    editor.version_saved.connect(on_saved)
    heartbeat, typist = QTimer(), QTimer()
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(beat)
    typist.setInterval(TYPE_EVERY_MS)
    typist.timeout.connect(type_one)
    heartbeat.start()
    typist.start()
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(loop.quit)
    watchdog.start(120_000)
    loop.exec()
    heartbeat.stop()
    typist.stop()
    editor.close()
    tasks.shutdown(wait=True)
    app.processEvents()
    editor.deleteLater()  # deleted by Qt now, not by the collector at interpreter exit
    tasks.deleteLater()
    app.processEvents()
    store.close()
    if typed[0] < chars:
        raise RuntimeError(f"typed only {typed[0]} of {chars} characters")
    log(f"keystroke: {chars} characters, {saves} saves, longest stall {ms(max(gaps))} ms")
    return BenchResult(
        {"keystroke_max_ms": ms(max(gaps))},
        {"characters": chars, "saves": saves, "type_every_ms": TYPE_EVERY_MS,
         "event_loop_gap": summary_ms(gaps), "key_click": summary_ms(clicks)},
    )  # fmt: skip


BENCHMARK = Benchmark(
    name="keystroke",
    summary="longest UI-thread stall while typing into the PI narrative with autosave on",
    targets={"keystroke_max_ms": Target(max=30.0)},
    run=run,
)
