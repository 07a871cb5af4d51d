"""search_50k_median_ms: a name search, as typed in the case list, in a store of 50,000 people.

The store is a real one (Vault, SQLCipher, migrations) filled once per run with ``load_demo``
(the synthetic people the demo uses: Lombard surnames, accented names, valid codici fiscali).
Queries go through the service layer the UI calls (``search_cases`` with the UI's page size,
``count_cases``), each in its own unit of work, on one engine kept open as in a session.

The case list runs ``count_cases`` and then ``search_cases`` on its single worker thread for
every search, so ``keystroke_50k_median_ms`` (both, one after the other) is what a user waits
before the first page appears.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from timing import Benchmark, BenchResult, Config, Target, log, median, ms, now, summary_ms

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.domain.casefile import CaseStatusFilter
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services.cases import count_cases, search_cases
from caseworker_app.services.demo import load_demo

PAGE_SIZE = 200  # caseworker_app/ui/case_list_model.py PAGE_SIZE
STATUS = CaseStatusFilter.OPEN  # the case list's default filter (CaseListModel.status)
USERNAME = "bench"
PASSWORD = "Benchmark-Pass-2024!"
AMBITO, COMUNE = "abbiatense", "A010"

# What an operator types: surname prefixes while typing, surname + initial, accented names
# (typed with or without the accent), names with apostrophes, a codice fiscale copied in parts.
# "{cf6}" and "{cf11}" are filled with the first characters of a real code from the store.
TYPED = (
    "ross",
    "bra",
    "brambilla",
    "brambilla g",
    "colombo maria",
    "cantù",
    "nicolò",
    "nicolo",
    "dell'acqua",
    "d'angelo",
    "ma",
    "{cf6}",
    "{cf11}",
)


def build_store(config: Config, n: int, *, name: str = "search") -> OpenStore:
    """A store of ``n`` demo cases (also used by the open_case benchmark)."""
    vault = Vault(config.workdir / f"{name}-store", kdf=FAST_TEST_KDF, keystore_preference="file")
    store, _code = vault.create(
        SetupRequest("comune", AMBITO, COMUNE, USERNAME, "Benchmark", PASSWORD)
    )
    ambito = get_ambito(AMBITO)
    start = now()
    load_demo(
        store.uow_factory,
        actor=store.actor,
        n=n,
        seed=2024,
        comuni=[c.code for c in ambito.comuni],
        avvisi=ambito.avvisi,
        now=datetime(2025, 6, 1, 9, 0),
    )
    log(f"{name}: {n} demo cases loaded in {now() - start:.1f} s")
    store.close()
    # A fresh session, as after a login: a new engine and connection on the filled file.
    return vault.unlock(USERNAME, PASSWORD)


def run(config: Config) -> BenchResult:
    n, reps = (2_000, 3) if config.quick else (50_000, 15)
    store = build_store(config, n)
    try:
        return _measure(store, n, reps)
    finally:
        store.close()


def _measure(store: OpenStore, n: int, reps: int) -> BenchResult:
    def search(text: str) -> int:
        rows = search_cases(
            store.uow_factory(), actor=store.actor, text=text, limit=PAGE_SIZE, status=STATUS
        )
        return len(rows)

    def count(text: str) -> int:
        return count_cases(store.uow_factory(), actor=store.actor, text=text, status=STATUS)

    sample = search_cases(store.uow_factory(), actor=store.actor, text="brambilla", limit=1)
    cf = sample[0].codice_fiscale if sample else "BRMMRA50A41F205X"
    texts = [t.format(cf6=cf[:6], cf11=cf[:11]) for t in TYPED]

    search_samples: dict[str, list[float]] = {t: [] for t in texts}
    count_samples: dict[str, list[float]] = {t: [] for t in texts}
    found: dict[str, tuple[int, int]] = {}
    for text in texts:  # warm-up: statement caches, first touch of the FTS pages
        found[text] = (search(text), count(text))
    for _ in range(reps):
        for text in texts:  # interleaved, so no query only ever sees its own cached pages
            t = now()
            count(text)
            count_samples[text].append(now() - t)
            t = now()
            search(text)
            search_samples[text].append(now() - t)
    first_page = [0.0] * reps
    for i in range(reps + 1):
        t = now()
        search("")
        if i:
            first_page[i - 1] = now() - t

    all_search = [s for text in texts for s in search_samples[text]]
    all_count = [s for text in texts for s in count_samples[text]]
    keystroke = [
        c + s
        for text in texts
        for c, s in zip(count_samples[text], search_samples[text], strict=True)
    ]
    per_query: dict[str, Any] = {
        text: {
            "rows": found[text][0],
            "count": found[text][1],
            "search_median_ms": ms(median(search_samples[text])),
            "count_median_ms": ms(median(count_samples[text])),
        }
        for text in texts
    }
    log(f"search: median {ms(median(all_search))} ms over {len(all_search)} searches")
    figures = {
        "search_50k_median_ms": ms(median(all_search)),
        "count_50k_median_ms": ms(median(all_count)),
        "keystroke_50k_median_ms": ms(median(keystroke)),
    }
    details = {
        "cases": n,
        "page_size": PAGE_SIZE,
        "repetitions": reps,
        "search": summary_ms(all_search),
        "count": summary_ms(all_count),
        "count_then_search": summary_ms(keystroke),
        "first_page_no_text": summary_ms(first_page),
        "queries": per_query,
    }
    return BenchResult(figures, details)


BENCHMARK = Benchmark(
    name="search",
    summary="case-list search (FTS5 prefix, page of 200) and count in 50,000 demo cases",
    targets={
        "search_50k_median_ms": Target(max=20.0),
        "count_50k_median_ms": None,
        "keystroke_50k_median_ms": None,
    },
    run=run,
)
