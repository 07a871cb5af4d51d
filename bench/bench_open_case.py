"""open_case_50k_ms: open a case file from the list, in a store of 50,000 demo cases.

The store is built as bench_search builds it (Vault, SQLCipher, migrations, ``load_demo``; now
with certifications, ISEE attestations, measures and istanza contents), then reopened as after a
login. The real ``CasesPage`` runs offscreen with the real worker thread (``TaskRunner``): the
clock starts at ``open_case(case_id)`` (what a double-click in the list calls) and stops when the
new ``CaseEditor`` tab shows that case's anagrafica (the form is filled). ``open_case_idle_ms``
also waits until every task the editor started on the worker has delivered (sections, lists).

Each case is opened once, then its tab is closed, so every sample is a first opening.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable

from bench_search import build_store
from timing import Benchmark, BenchResult, Config, Target, log, median, ms, now, summary_ms

from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.services.cases import search_cases

TIMEOUT_S = 30.0


def run(config: Config) -> BenchResult:
    n, reps = (2_000, 5) if config.quick else (50_000, 15)
    store = build_store(config, n, name="open_case")
    try:
        return _measure(config, store, n, reps)
    finally:
        store.close()


def _measure(config: Config, store: OpenStore, n: int, reps: int) -> BenchResult:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer, SignalInstance
    from PySide6.QtWidgets import QApplication

    from caseworker_app.ui.case_editor import CaseEditor
    from caseworker_app.ui.cases_page import CasesPage
    from caseworker_app.ui.session import Session, load_session_info
    from caseworker_app.ui.tasks import TaskRunner
    from caseworker_app.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    tasks = TaskRunner()
    qsettings = QSettings(str(config.workdir / "open-case.ini"), QSettings.Format.IniFormat)
    session = Session(workspace=store, tasks=tasks, info=load_session_info(store),
                      qsettings=qsettings)  # fmt: skip
    page = CasesPage(session)
    page.resize(1366, 768)
    page.show()

    def wait_for(done: Callable[[], bool], *signals: SignalInstance) -> None:
        """Run the event loop until ``done()`` holds, checking when any signal fires."""
        if done():
            return
        loop = QEventLoop()

        def check(*_args: object) -> None:
            if done():
                loop.quit()

        for signal in signals:
            signal.connect(check)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(int(TIMEOUT_S * 1000))
        loop.exec()
        for signal in signals:
            signal.disconnect(check)
        if not done():
            raise TimeoutError("the case editor did not fill in time")

    # Spread over the store: every k-th case of the list's first pages (surname order).
    rows = search_cases(store.uow_factory(), actor=store.actor, text="", limit=2000)
    step_k = max(1, len(rows) // (reps + 1))
    chosen = [rows[i * step_k] for i in range(reps + 1)]
    filled: list[float] = []
    idle: list[float] = []
    wait_for(lambda: tasks.pending == 0, tasks.became_idle)
    for index, row in enumerate(chosen):  # the first opening warms up Qt and the caches
        case_id, surname = row.case_id, row.surname

        def editor(case_id: str = case_id) -> CaseEditor | None:
            found = [e for e in page.editors() if e.case_id == case_id]
            return found[0] if found else None

        def is_filled(surname: str = surname) -> bool:
            e = editor()
            return e is not None and e.form.read()[0].surname == surname

        t = now()
        page.open_case(case_id)
        wait_for(is_filled, page.currentChanged)
        t_filled = now() - t
        wait_for(lambda: tasks.pending == 0, tasks.became_idle)
        t_idle = now() - t
        if index:
            filled.append(t_filled)
            idle.append(t_idle)
        opened = editor()
        assert opened is not None
        page.removeTab(page.indexOf(opened))
        opened.deleteLater()
        app.processEvents()
    page.close()
    tasks.shutdown(wait=True)
    log(f"open_case: median {ms(median(filled))} ms over {len(filled)} cases")
    return BenchResult(
        {"open_case_50k_ms": ms(median(filled)), "open_case_idle_50k_ms": ms(median(idle))},
        {
            "cases": n,
            "opened": len(filled),
            "filled": summary_ms(filled),
            "idle": summary_ms(idle),
        },
    )


BENCHMARK = Benchmark(
    name="open_case",
    summary="open a case file from the list until its editor is filled, 50,000 demo cases",
    targets={"open_case_50k_ms": Target(max=150.0), "open_case_idle_50k_ms": None},
    run=run,
)
