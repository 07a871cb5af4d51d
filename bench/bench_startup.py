"""startup_ratio: time to the login window, relative to a bare PySide6 program on this machine.

Both are fresh processes, timed from just before the spawn to the moment they print ``shown``:

* the application: ``caseworker_app.app.main()`` with ``--store`` on an existing store (so the
  login window, not the first-run wizard, is its first window) and ``CASEWORKER_EXIT_WHEN_SHOWN=1``
  (it prints ``shown`` and exits as soon as that window is shown);
* the floor: a program that creates a QApplication, shows an empty QWidget and prints ``shown``
  on a zero-delay timer.

Both run with ``QT_QPA_PLATFORM=offscreen``, alternately, after one untimed warm-up each (which
also fills the bytecode cache, see ``timing.child_env``); the figure is the ratio of medians.
"""

from __future__ import annotations

import sys
from typing import Any

from timing import (
    Benchmark,
    BenchResult,
    Config,
    ProcessTiming,
    Target,
    child_env,
    log,
    median,
    ms,
    time_process,
)

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF

APP = "import sys\nfrom caseworker_app.app import main\nsys.exit(main())\n"
BARE = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv)
window = QWidget()
window.show()


def shown() -> None:
    print("shown", flush=True)
    app.quit()


QTimer.singleShot(0, shown)
sys.exit(app.exec())
"""


def run(config: Config) -> BenchResult:
    runs = 2 if config.quick else 9
    store = config.workdir / "startup-store"
    vault = Vault(store, kdf=FAST_TEST_KDF, keystore_preference="file")
    opened, _code = vault.create(
        SetupRequest("comune", "abbiatense", "A010", "bench", "Benchmark", "Benchmark-Pass-2024!")
    )
    opened.close()
    assert vault.exists(), "the login window needs an existing store (else: the setup wizard)"
    home = config.workdir / "startup-home"  # the app's settings go here, not the user's
    env = child_env(
        config.workdir,
        QT_QPA_PLATFORM="offscreen",
        CASEWORKER_EXIT_WHEN_SHOWN="1",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    commands = {
        "bare": [sys.executable, "-c", BARE],
        "app": [sys.executable, "-c", APP, "--store", str(store)],
    }
    samples: dict[str, list[ProcessTiming]] = {name: [] for name in commands}
    for i in range(runs + 1):  # round 0 is the warm-up
        order = list(commands) if i % 2 == 0 else list(reversed(commands))
        for name in order:
            timing = time_process(commands[name], env=env, wait_for="shown")
            if i > 0:
                samples[name].append(timing)
            log(
                f"startup: {name} {'warm-up' if i == 0 else f'run {i}'}: {ms(timing.until_line)} ms"
            )

    def med(name: str, exit_: bool = False) -> float:
        return median([s.until_exit if exit_ else s.until_line for s in samples[name]])

    ratio = med("app") / med("bare")
    details: dict[str, Any] = {
        "runs_each": runs,
        "app_until_shown_ms": ms(med("app")),
        "bare_until_shown_ms": ms(med("bare")),
        "app_until_exit_ms": ms(med("app", exit_=True)),
        "bare_until_exit_ms": ms(med("bare", exit_=True)),
        "app_samples_ms": [ms(s.until_line) for s in samples["app"]],
        "bare_samples_ms": [ms(s.until_line) for s in samples["bare"]],
    }
    return BenchResult({"startup_ratio": round(ratio, 3)}, details)


BENCHMARK = Benchmark(
    name="startup",
    summary="process start to login window shown, over a bare PySide6 window (ratio of medians)",
    targets={"startup_ratio": Target(max=2.0)},
    run=run,
)
