"""Run the caseworker benchmarks: ``python bench/run.py [--json] [--quick] [NAME ...]``.

NAME is a benchmark (``startup``, ``search``, ``sqlcipher``) or one of its figures
(``startup_ratio``, ...); none means all. With ``--json`` stdout carries exactly one JSON object,
``{"figures": {...}, "targets": {...}, "details": {...}}`` (plus ``"errors"`` if a benchmark
failed); progress goes to stderr. ``--quick`` uses tiny sizes so that CI can keep it alive.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import traceback
from collections.abc import Sequence
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import bench_desk
import bench_frozen
import bench_keystroke
import bench_open_case
import bench_pi_pdf
import bench_rank
import bench_sealed
import bench_search
import bench_sqlcipher
import bench_startup
import bench_transmission
from timing import Benchmark, Config, log, now

BENCHMARKS: tuple[Benchmark, ...] = (
    bench_startup.BENCHMARK,
    bench_search.BENCHMARK,
    bench_sqlcipher.BENCHMARK,
    bench_rank.BENCHMARK,
    bench_keystroke.BENCHMARK,
    bench_open_case.BENCHMARK,
    bench_pi_pdf.BENCHMARK,
    bench_sealed.BENCHMARK,
    bench_transmission.BENCHMARK,
    bench_desk.BENCHMARK,
    bench_frozen.BENCHMARK,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_ARGS = 0, 1, 2


def select(names: Sequence[str]) -> list[Benchmark]:
    """The benchmarks named, or owning a figure named, in registry order; all if none."""
    if not names:
        return list(BENCHMARKS)
    known = {b.name for b in BENCHMARKS} | {f for b in BENCHMARKS for f in b.figures}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown benchmark or figure: {', '.join(unknown)}")
    wanted = set(names)
    return [b for b in BENCHMARKS if b.name in wanted or wanted & set(b.figures)]


def run(selected: Sequence[Benchmark], *, quick: bool, workdir: Path) -> dict[str, Any]:
    figures: dict[str, float] = {}
    targets: dict[str, Any] = {}
    details: dict[str, Any] = {}
    errors: dict[str, str] = {}
    started = now()
    for bench in selected:
        log(f"{bench.name}: {bench.summary}{' (quick)' if quick else ''}")
        folder = workdir / bench.name
        folder.mkdir()
        t = now()
        try:
            # Library code must not write on stdout, which belongs to the JSON.
            with redirect_stdout(sys.stderr):
                result = bench.run(Config(quick=quick, workdir=folder))
        except Exception as exc:
            errors[bench.name] = "".join(traceback.format_exception_only(exc)).strip()
            log(f"{bench.name} FAILED:\n{traceback.format_exc()}")
            result = None
        log(f"{bench.name}: done in {now() - t:.1f} s")
        for figure, target in bench.targets.items():
            value = result.figures.get(figure) if result else None
            if value is not None:
                figures[figure] = value
            if target is not None:
                targets[figure] = target.as_json(value)
        if result is not None:
            details[bench.name] = {**result.details, "seconds": round(now() - t, 1)}
    details["run"] = {
        "quick": quick,
        "seconds": round(now() - started, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    report: dict[str, Any] = {"figures": figures, "targets": targets, "details": details}
    if errors:
        report["errors"] = errors
    return report


def table(report: dict[str, Any]) -> str:
    lines = [f"{'figure':<28} {'value':>10}  {'target':<10} verdict"]
    names = list(report["figures"]) + [n for n in report["targets"] if n not in report["figures"]]
    for name in names:
        value = report["figures"].get(name)
        target = report["targets"].get(name)
        shown = "-" if value is None else f"{value:.3f}"
        limit = f"<= {target['max']:g}" if target else ""
        verdict = (
            "" if not target or target["met"] is None else ("ok" if target["met"] else "MISSED")
        )
        lines.append(f"{name:<28} {shown:>10}  {limit:<10} {verdict}")
    for name, error in report.get("errors", {}).items():
        lines.append(f"{name}: FAILED: {error}")
    lines.append(f"({report['details']['run']['seconds']} s)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks or figures to run")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repetitions")
    parser.add_argument("--list", action="store_true", help="list benchmarks and figures")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a figure misses its target"
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args(argv)
    if args.list:
        for bench in BENCHMARKS:
            print(f"{bench.name}: {bench.summary}")
            for figure, target in bench.targets.items():
                print(f"    {figure}" + (f" (target <= {target.max:g})" if target else ""))
        return EXIT_OK
    try:
        selected = select(args.names)
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"bench/run.py: {exc}", file=sys.stderr)
        return EXIT_BAD_ARGS
    workdir = Path(tempfile.mkdtemp(prefix="caseworker-bench-"))
    try:
        report = run(selected, quick=args.quick, workdir=workdir)
    finally:
        if args.keep:
            log(f"working directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    if report.get("errors"):
        return EXIT_FAILED
    missed = any(t["met"] is False for t in report["targets"].values())
    return EXIT_FAILED if args.check and missed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
