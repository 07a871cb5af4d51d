"""rank_store_10k_s, rank_store_ratio, publish_10k_s: the capofila's desk over 10,000 istanze.

A real capofila store (Vault, SQLCipher, migrations; the test KDF, so that unlocking is not
what is timed) holds 10,000 received istanze of ``abbiatense-caregiver-2023``: the synthetic
records of the ``rank`` benchmark (``bench_rank.make_istanze``), stored through the received
repository as the import stores them (canonical record, its SHA-256, one received transmission
per comune). Then, in fresh processes as a clerk runs them:

* ``rank_store_10k_s``: ``caseworker rank --store S --avviso … --on 2024-02-01 --json``: unlock,
  read the 10,000 records, judge, allocate, **record the run** (its canonical JSON with every
  row's keys, checks and lines), print the interchange output;
* ``rank_store_ratio``: that time ÷ ``caseworker rank`` in file mode on the same 10,000 records
  (one JSON array file), measured in the same repetition (the floor);
* ``publish_10k_s``: ``caseworker publish --store S --run RUN --out-dir D``: the public PDF, the
  XLSX, the two CSV and the liquidazione of that run (when the command exists).

Each repetition works on a fresh copy of the built store (a run is recorded each time).
Figures are medians over the repetitions.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from bench_rank import make_istanze
from timing import Benchmark, BenchResult, Config, Target, child_env, log, median, now

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.ids import new_id
from caseworker_app.domain.transmission import ReceivedIstanza, ReceivedTransmission
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.transfer.json_shapes import canonical_json

AVVISO = "abbiatense-caregiver-2023"
PASSWORD = "una-password-lunga"
ON = "2024-02-01"
AT = datetime(2024, 2, 1, 9, 0)
CASEWORKER = Path(sys.executable).with_name("caseworker")


def build_capofila(folder: Path, records: list[dict[str, Any]]) -> None:
    """A capofila store holding ``records`` as received istanze (one transmission per comune)."""
    store, _ = Vault(folder, kdf=FAST_TEST_KDF, keystore_preference="file").create(
        SetupRequest("capofila", "abbiatense", "A010", "udp", "Ufficio di Piano", PASSWORD)
    )
    try:
        by_comune: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            by_comune[record["comune"]].append(record)
        with store.uow_factory() as uow:
            for comune, items in sorted(by_comune.items()):
                transmission = new_id()
                for record in items:
                    raw = canonical_json(record)
                    uow.received.add_istanza(
                        ReceivedIstanza(
                            id=new_id(),
                            comune=comune,
                            protocol=record["id"],
                            version=1,
                            avviso=AVVISO,
                            avviso_version="1",
                            sender=f"installazione-{comune}",
                            transmission=transmission,
                            received_at=AT,
                            submitted_at=datetime.fromisoformat(record["submitted_at"]),
                            evaluation_included=False,
                            record=raw,
                            record_sha256=hashlib.sha256(raw).hexdigest(),
                        ),
                        {},
                    )
                uow.received.add_transmission(
                    ReceivedTransmission(
                        id=transmission,
                        sender=f"installazione-{comune}",
                        sender_fingerprint="0" * 40,
                        comuni=(comune,),
                        file_name=f"{comune}-20240201-001.cwt",
                        manifest_sha256=hashlib.sha256(transmission.encode()).hexdigest(),
                        created_at=AT,
                        imported_at=AT,
                        imported_by="udp",
                        audit_head=None,
                    )
                )
            uow.commit()
    finally:
        store.close()


def _timed(argv: list[str], env: dict[str, str], expect: bytes) -> tuple[float, bytes]:
    start = now()
    done = subprocess.run(argv, env=env, capture_output=True, check=False, timeout=600)
    elapsed = now() - start
    if done.returncode != 0 or expect not in done.stdout:
        raise RuntimeError(f"{argv[1]} exited {done.returncode}: {done.stderr[-2000:]!r}")
    return elapsed, done.stdout


def _publish_exists() -> bool:
    done = subprocess.run(
        [str(CASEWORKER), "publish", "--help"], capture_output=True, check=False, timeout=60
    )
    return done.returncode == 0


def run(config: Config) -> BenchResult:
    n = 500 if config.quick else 10_000
    rounds = 1 if config.quick else 3
    records = make_istanze(n)
    source = config.workdir / "istanze.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    built = config.workdir / "capofila"
    start = now()
    build_capofila(built, records)
    log(f"desk: capofila store with {n} received istanze built in {now() - start:.1f} s")
    env = child_env(config.workdir, CASEWORKER_PASSWORD=PASSWORD)
    floor_argv = [str(CASEWORKER), "rank", "--avviso", AVVISO, "--on", ON, str(source), "--json"]
    publish = _publish_exists()
    # untimed: fill the bytecode cache of everything each command imports (the database stack,
    # reportlab and openpyxl too), so that the first round does not compile them
    _timed(floor_argv, env, b'"rows"')
    warm = config.workdir / "warm-up"
    shutil.copytree(built, warm)
    warm_argv = [str(CASEWORKER), "rank", "--store", str(warm), "--avviso", AVVISO,
                 "--on", ON, "--json"]  # fmt: skip
    warm_run = json.loads(_timed(warm_argv, env, b'"run"')[1])["run"]["id"]
    if publish:
        (config.workdir / "warm-up-published").mkdir()
        _timed([str(CASEWORKER), "publish", "--store", str(warm), "--run", warm_run,
                "--out-dir", str(config.workdir / "warm-up-published"), "--json"],
               env, b"pubblicazione")  # fmt: skip
    shutil.rmtree(warm)
    ranks: list[float] = []
    floors: list[float] = []
    publishes: list[float] = []
    for i in range(rounds):
        copy = config.workdir / f"round-{i}"
        shutil.copytree(built, copy)
        argv = [str(CASEWORKER), "rank", "--store", str(copy), "--avviso", AVVISO,
                "--on", ON, "--json"]  # fmt: skip
        seconds, out = _timed(argv, env, b'"run"')
        ranks.append(seconds)
        floors.append(_timed(floor_argv, env, b'"rows"')[0])
        if publish:
            run_id = json.loads(out)["run"]["id"]
            target = config.workdir / f"published-{i}"
            target.mkdir()
            publish_argv = [str(CASEWORKER), "publish", "--store", str(copy), "--run", run_id,
                            "--out-dir", str(target), "--json"]  # fmt: skip
            publishes.append(_timed(publish_argv, env, b"pubblicazione")[0])
        log(
            f"desk: round {i + 1}/{rounds}: rank --store {ranks[-1]:.3f} s, file mode "
            f"{floors[-1]:.3f} s" + (f", publish {publishes[-1]:.3f} s" if publishes else "")
        )
        shutil.rmtree(copy)
    figures = {
        "rank_store_10k_s": round(median(ranks), 3),
        "rank_store_ratio": round(median(r / f for r, f in zip(ranks, floors, strict=True)), 3),
    }
    if publishes:
        figures["publish_10k_s"] = round(median(publishes), 3)
    return BenchResult(
        figures=figures,
        details={
            "istanze": n,
            "rank_store_s": [round(t, 3) for t in ranks],
            "rank_file_s": [round(t, 3) for t in floors],
            "publish_s": [round(t, 3) for t in publishes],
        },
    )


BENCHMARK = Benchmark(
    name="desk",
    summary="the capofila's desk: a recorded run over 10,000 received istanze, and its publication",
    targets={
        "rank_store_10k_s": Target(3.0),
        "rank_store_ratio": Target(1.5),
        "publish_10k_s": Target(10.0),
    },
    run=run,
)
