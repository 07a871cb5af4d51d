"""sqlcipher_overhead_ratio: the same workload on an encrypted file and on a plain SQLite file.

The encrypted connection is the application's own (``connect_raw``: raw 256-bit key, WAL,
synchronous=FULL, foreign keys, temp_store=MEMORY); the plain one is the standard library's
``sqlite3`` with the same pragmas. Runs rotate between the variants on fresh files, and the
figure is the ratio of the medians. The system ``sqlite3`` and SQLCipher's SQLite are different
builds (versions, compile options), so the details also give the ratio to SQLCipher's SQLite
opened without a key: the cost of encryption alone.
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from timing import Benchmark, BenchResult, Config, Target, log, median, ms, now

from caseworker_app.store.engine import BUSY_TIMEOUT_MS, connect_raw

SCHEMA = (
    "CREATE TABLE people (id INTEGER PRIMARY KEY, code TEXT NOT NULL, surname TEXT NOT NULL, "
    "given_name TEXT NOT NULL, birth_date TEXT NOT NULL, comune TEXT NOT NULL, note TEXT)",
    "CREATE UNIQUE INDEX ix_people_code ON people(code)",
    "CREATE INDEX ix_people_surname ON people(surname, given_name)",
)
# What connect_raw sets after the key (caseworker_app/store/engine.py).
PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
)
SURNAMES = ("Brambilla", "Colombo", "Rossi", "Fumagalli", "Cattaneo", "Villa", "Sala", "Galli")
NAMES = ("Maria", "Giuseppe", "Anna", "Luigi", "Carla", "Nicolò", "Rosa", "Ambrogio")


def _connect_plain(path: Path) -> Any:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def _connect_encrypted(path: Path) -> Any:
    return connect_raw(path, os.urandom(32))


def _connect_unkeyed(path: Path) -> Any:
    """SQLCipher's own SQLite without a key: same engine version and build, no encryption."""
    conn = sqlcipher.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def _rows(n: int) -> list[tuple[int, str, str, str, str, str, str]]:
    rng = random.Random(42)
    return [
        (
            i,
            f"{i:08d}{rng.randrange(16**8):08X}",
            f"{rng.choice(SURNAMES)} {i % 997}",
            rng.choice(NAMES),
            f"19{rng.randint(20, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"A{rng.randint(0, 999):03d}",
            "x" * rng.randint(0, 120),
        )
        for i in range(1, n + 1)
    ]


def workload(
    connect: Callable[[Path], Any],
    path: Path,
    rows: list[tuple[int, str, str, str, str, str, str]],
    *,
    batch: int,
    lookups: int,
    scans: int,
) -> dict[str, float]:
    """Create, fill in transactions of ``batch`` rows, look up by index, scan ranges."""
    times: dict[str, float] = {}
    start = now()
    conn = connect(path)
    try:
        for statement in SCHEMA:
            conn.execute(statement)
        t = now()
        for first in range(0, len(rows), batch):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)", rows[first : first + batch]
            )
            conn.execute("COMMIT")
        times["insert"] = now() - t

        rng = random.Random(7)
        t = now()
        for _ in range(lookups):
            code = rows[rng.randrange(len(rows))][1]
            found = conn.execute("SELECT id, surname FROM people WHERE code = ?", (code,))
            if found.fetchone() is None:
                raise AssertionError("lookup missed")
        times["lookups"] = now() - t

        t = now()
        for i in range(scans):
            prefix = SURNAMES[i % len(SURNAMES)]
            conn.execute(
                "SELECT id, surname, given_name, birth_date FROM people "
                "WHERE surname >= ? AND surname < ? ORDER BY surname, given_name LIMIT 1000",
                (prefix, prefix + "\uffff"),
            ).fetchall()
            conn.execute("SELECT comune, count(*) FROM people GROUP BY comune").fetchall()
        times["scans"] = now() - t
    finally:
        conn.close()
    times["total"] = now() - start
    return times


def run(config: Config) -> BenchResult:
    n_rows, batch, lookups, scans, reps = (
        (2_000, 500, 200, 2, 2) if config.quick else (20_000, 500, 2_000, 10, 5)
    )
    rows = _rows(n_rows)
    folder = config.workdir / "sqlcipher"
    folder.mkdir()
    variants: dict[str, Callable[[Path], Any]] = {
        "plain": _connect_plain,
        "encrypted": _connect_encrypted,
        "unkeyed": _connect_unkeyed,
    }
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for rep in range(reps + 1):  # the first pair is a warm-up
        names = list(variants)
        order = names[rep % 3 :] + names[: rep % 3]  # rotate, so no variant always goes first
        for name in order:
            path = folder / f"{name}-{rep}.db"
            times = workload(variants[name], path, rows, batch=batch, lookups=lookups, scans=scans)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            if rep > 0:
                samples[name].append(times)
                log(f"sqlcipher: {name} run {rep}: {ms(times['total']):.0f} ms")

    def med(name: str, phase: str) -> float:
        return median([s[phase] for s in samples[name]])

    ratio = med("encrypted", "total") / med("plain", "total")
    phases = ("total", "insert", "lookups", "scans")
    details: dict[str, Any] = {
        "workload": {
            "rows": n_rows,
            "batch": batch,
            "transactions": -(-n_rows // batch),
            "point_lookups": lookups,
            "range_scans": scans * 2,
            "repetitions": reps,
        },
        "plain_ms": {p: ms(med("plain", p)) for p in phases},
        "encrypted_ms": {p: ms(med("encrypted", p)) for p in phases},
        "unkeyed_ms": {p: ms(med("unkeyed", p)) for p in phases},
        "ratio_by_phase": {
            p: round(med("encrypted", p) / med("plain", p), 3) for p in phases if p != "total"
        },
        # The cost of encryption alone, without the difference between the two SQLite builds.
        "ratio_vs_unkeyed_same_build": {
            p: round(med("encrypted", p) / med("unkeyed", p), 3) for p in phases
        },
        "sqlite_version_plain": sqlite3.sqlite_version,
        "sqlite_version_sqlcipher": _sqlcipher_versions(folder),
    }
    return BenchResult({"sqlcipher_overhead_ratio": round(ratio, 3)}, details)


def _sqlcipher_versions(folder: Path) -> str:
    conn = connect_raw(folder / "version.db", os.urandom(32))
    try:
        sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        provider = conn.execute("PRAGMA cipher_provider").fetchone()
    finally:
        conn.close()
    return f"SQLite {sqlite}, SQLCipher {cipher}" + (f", {provider[0]}" if provider else "")


BENCHMARK = Benchmark(
    name="sqlcipher",
    summary="fixed insert/lookup/scan workload, encrypted vs plain SQLite (ratio of medians)",
    targets={"sqlcipher_overhead_ratio": Target(max=1.5)},
    run=run,
)
