"""Shared helpers of the benchmarks: clocks, statistics, subprocess timing, result types."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The acceptable value of a figure: at most ``max`` (all current figures: lower is better)."""

    max: float

    def met(self, value: float) -> bool:
        return value <= self.max

    def as_json(self, value: float | None) -> dict[str, Any]:
        return {"max": self.max, "met": None if value is None else self.met(value)}


@dataclass
class BenchResult:
    figures: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    quick: bool
    workdir: Path  # a private temporary directory for this run, removed afterwards


@dataclass(frozen=True)
class Benchmark:
    name: str
    summary: str
    targets: Mapping[str, Target | None]  # every figure the benchmark reports, maybe a target
    run: Callable[[Config], BenchResult]

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(self.targets)


# -- clocks and statistics ---------------------------------------------------------------------


def log(message: str) -> None:
    """Progress and diagnostics: stderr only (stdout carries the JSON)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def now() -> float:
    return time.perf_counter()


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: ...`` then ``t[0]`` is the elapsed time in seconds."""
    elapsed: list[float] = []
    start = now()
    try:
        yield elapsed
    finally:
        elapsed.append(now() - start)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    """Median, spread and count of timings (given in seconds), in milliseconds."""
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return {
        "median_ms": ms(median(ordered)),
        "min_ms": ms(ordered[0]),
        "p90_ms": ms(p90),
        "max_ms": ms(ordered[-1]),
        "n": len(ordered),
    }


def repeat(fn: Callable[[], object], *, times: int, warmup: int = 1) -> list[float]:
    """Call ``fn`` ``warmup`` times untimed, then ``times`` times; return each duration (s)."""
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    for _ in range(times):
        start = now()
        fn()
        samples.append(now() - start)
    return samples


# -- processes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessTiming:
    until_line: float  # seconds from just before the spawn to the awaited line on stdout
    until_exit: float  # seconds from just before the spawn to the process's exit


class BenchProcessError(RuntimeError):
    pass


def time_process(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    wait_for: str,
    cwd: Path = REPO_ROOT,
    timeout: float = 120.0,
) -> ProcessTiming:
    """Run a process; time until it prints the line ``wait_for`` and until it exits (code 0)."""
    with tempfile.TemporaryFile() as errfile:
        start = now()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errfile,
        )
        assert proc.stdout is not None
        watchdog = threading.Timer(timeout, proc.kill)  # a hung child must not hang the run
        watchdog.start()
        seen: float | None = None
        lines: list[bytes] = []
        try:
            for raw in proc.stdout:
                lines.append(raw)
                if seen is None and raw.decode(errors="replace").strip() == wait_for:
                    seen = now() - start
            code = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            watchdog.cancel()
            proc.stdout.close()
        ended = now() - start
        errfile.seek(0)
        stderr = errfile.read()
    ended = now() - start
    if code != 0 or seen is None:
        out = b"".join(lines).decode(errors="replace")[-2000:]
        err = stderr.decode(errors="replace")[-4000:]
        raise BenchProcessError(
            f"{' '.join(argv[:3])}... exited {code}, {wait_for!r} "
            f"{'seen' if seen is not None else 'never printed'}\nstdout: {out}\nstderr: {err}"
        )
    return ProcessTiming(seen, ended)


def child_env(workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of timed child processes.

    Bytecode is cached (as in an installed application) but under ``workdir``, so that the
    benchmark writes no ``__pycache__`` into the repository nor into the virtualenv; callers do
    one untimed warm-up run to fill it.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    env.update(extra)
    return env
