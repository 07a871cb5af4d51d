"""The frozen one-folder build (dist/caseworker/, caseworker.spec): its size, an estimate of the
installer's size, and its start-up against the same application from the virtualenv.

* ``frozen_size_mb``: the bytes of the folder's regular files (symbolic links, which PyInstaller
  makes on Linux for libraries it holds twice, count nothing), in MiB;
* ``frozen_compressed_mb``: the same bytes, in a fixed order, through one solid LZMA2 stream with
  the dictionary of Inno Setup's ``lzma2/max`` (8 MiB; xz preset 6), in MiB: an **estimate** of
  the installer's size (Inno adds its own setup program, about 2-3 MiB, and orders files its way).
  ``--quick`` compresses one MiB in 32 and scales the ratio: it only proves the code runs;
* ``frozen_startup_ratio``: the frozen ``caseworker-app`` from spawn to its login window shown
  (``CASEWORKER_EXIT_WHEN_SHOWN=1``) ÷ the same program from the virtualenv (bytecode cached, as
  ``bench_startup``), both on the same existing store, alternately, medians.

The build is not made here: ``bash scripts/build-frozen.sh`` (scripts/test.sh runs it) or
``CASEWORKER_FROZEN_DIR`` pointing at one.
"""

from __future__ import annotations

import lzma
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timing import (
    REPO_ROOT,
    Benchmark,
    BenchResult,
    Config,
    ProcessTiming,
    Target,
    child_env,
    log,
    median,
    ms,
    now,
    time_process,
)

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF

MIB = 1 << 20
INNO_MAX_DICTIONARY = 8 * MIB  # Inno Setup's LZMADictionarySize for lzma2/max
QUICK_SAMPLE_EVERY = 32  # --quick: compress one chunk of a MiB in this many
APP = "import sys\nfrom caseworker_app.app import main\nsys.exit(main())\n"
EXE = ".exe" if sys.platform == "win32" else ""


def frozen_dir() -> Path:
    folder = Path(os.environ.get("CASEWORKER_FROZEN_DIR") or REPO_ROOT / "dist" / "caseworker")
    if not (folder / f"caseworker-app{EXE}").is_file():
        raise RuntimeError(
            f"no frozen build in {folder}: run bash scripts/build-frozen.sh first "
            "(or set CASEWORKER_FROZEN_DIR)"
        )
    return folder


def regular_files(folder: Path) -> list[Path]:
    """Every regular file under ``folder``, in a fixed order (symbolic links left out)."""
    found = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def chunks(files: list[Path]) -> Iterator[bytes]:
    for path in files:
        with path.open("rb") as stream:
            while chunk := stream.read(MIB):
                yield chunk


def compressed_size(files: list[Path], *, sample_every: int) -> tuple[int, int]:
    """(bytes read, bytes out) of one solid xz stream over the files (every ``sample_every``-th
    MiB only, when more than 1)."""
    compressor = lzma.LZMACompressor(
        format=lzma.FORMAT_XZ,
        filters=[{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": INNO_MAX_DICTIONARY}],
    )
    read = out = 0
    for i, chunk in enumerate(chunks(files)):
        if i % sample_every:
            continue
        read += len(chunk)
        out += len(compressor.compress(chunk))
    out += len(compressor.flush())
    return read, out


def largest_parts(folder: Path, files: list[Path], count: int = 12) -> dict[str, float]:
    """MiB by top-level entry (under _internal/, by its first folder), the largest first."""
    parts: dict[str, int] = {}
    for path in files:
        rel = path.relative_to(folder).parts
        key = "/".join(rel[:2]) if rel[0] == "_internal" and len(rel) > 1 else rel[0]
        parts[key] = parts.get(key, 0) + path.stat().st_size
    ordered = sorted(parts.items(), key=lambda kv: -kv[1])[:count]
    return {name: round(size / MIB, 1) for name, size in ordered}


def startup(config: Config, folder: Path) -> tuple[float, dict[str, Any]]:
    runs = 2 if config.quick else 9
    store = config.workdir / "store"
    vault = Vault(store, kdf=FAST_TEST_KDF, keystore_preference="file")
    opened, _code = vault.create(
        SetupRequest("comune", "abbiatense", "A010", "bench", "Benchmark", "Benchmark-Pass-2024!")
    )
    opened.close()
    home = config.workdir / "home"
    env = child_env(
        config.workdir,
        QT_QPA_PLATFORM="offscreen",
        CASEWORKER_EXIT_WHEN_SHOWN="1",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    commands = {
        "frozen": [str(folder / f"caseworker-app{EXE}"), "--store", str(store)],
        "venv": [sys.executable, "-c", APP, "--store", str(store)],
    }
    samples: dict[str, list[ProcessTiming]] = {name: [] for name in commands}
    for i in range(runs + 1):  # round 0 is the warm-up (fills the venv's bytecode cache)
        order = list(commands) if i % 2 == 0 else list(reversed(commands))
        for name in order:
            timing = time_process(commands[name], env=env, wait_for="shown")
            if i > 0:
                samples[name].append(timing)
            label = "warm-up" if i == 0 else f"run {i}"
            log(f"frozen: start {name} {label}: {ms(timing.until_line)} ms")

    def med(name: str) -> float:
        return median([s.until_line for s in samples[name]])

    details = {
        "runs_each": runs,
        "frozen_until_shown_ms": ms(med("frozen")),
        "venv_until_shown_ms": ms(med("venv")),
        "frozen_samples_ms": [ms(s.until_line) for s in samples["frozen"]],
        "venv_samples_ms": [ms(s.until_line) for s in samples["venv"]],
    }
    return med("frozen") / med("venv"), details


def run(config: Config) -> BenchResult:
    folder = frozen_dir()
    files = regular_files(folder)
    total = sum(p.stat().st_size for p in files)
    log(f"frozen: {folder}: {len(files)} files, {total / MIB:.1f} MiB")
    ratio, details = startup(config, folder)
    sample_every = QUICK_SAMPLE_EVERY if config.quick else 1
    started = now()
    read, out = compressed_size(files, sample_every=sample_every)
    seconds = now() - started
    estimate = out * total / read if read else 0.0
    log(f"frozen: LZMA2 estimate {estimate / MIB:.1f} MiB in {seconds:.0f} s")
    details.update(
        folder=str(folder),
        files=len(files),
        size_bytes=total,
        largest_parts_mib=largest_parts(folder, files),
        compression={
            "method": "one solid xz stream, LZMA2 preset 6, 8 MiB dictionary (Inno lzma2/max)",
            "estimate": True,
            "sampled_one_mib_in": sample_every,
            "bytes_read": read,
            "bytes_out": out,
            "seconds": round(seconds, 1),
        },
    )
    figures = {
        "frozen_size_mb": round(total / MIB, 1),
        "frozen_compressed_mb": round(estimate / MIB, 1),
        "frozen_startup_ratio": round(ratio, 3),
    }
    return BenchResult(figures, details)


BENCHMARK = Benchmark(
    name="frozen",
    summary="the frozen one-folder build: size, compressed size (estimate), start-up vs venv",
    targets={
        "frozen_size_mb": Target(max=250),
        "frozen_compressed_mb": Target(max=120),
        "frozen_startup_ratio": Target(max=1.5),
    },
    run=run,
)
