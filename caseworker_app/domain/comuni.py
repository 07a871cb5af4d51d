"""Italian comuni and foreign states by Belfiore code, with validity dates, and name search.

The data is the historical Belfiore table shipped by ``python-codicefiscale`` (comuni created,
renamed, merged and suppressed since 1861, plus foreign states with province ``"EE"``). It is
read once, lazily, on first use; afterwards a lookup by code is a dictionary access.

Names in the table are title-cased ("Corteolona E Genzone"); :class:`Comune` carries the name with
the connecting words lower-cased ("Corteolona e Genzone"), as it is written officially.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from caseworker_app.domain.text import fold

FOREIGN_PROVINCE = "EE"
LOMBARDY_PROVINCES: frozenset[str] = frozenset(
    {"BG", "BS", "CO", "CR", "LC", "LO", "MB", "MI", "MN", "PV", "SO", "VA"}
)

# Connecting words ignored when names are compared, so that "San Zenone Po" finds
# "San Zenone al Po" and "Sant'Alessio Vialone" finds "Sant'Alessio con Vialone".
# fmt: off
_CONNECTING_WORDS: frozenset[str] = frozenset({
    "a", "ad", "al", "allo", "alla", "ai", "agli", "alle", "all", "d", "da", "dal", "dallo",
    "dalla", "dai", "dagli", "dalle", "dall", "de", "dei", "degli", "della", "delle", "dello",
    "del", "dell", "di", "e", "ed", "con", "in", "nel", "nello", "nella", "nei", "negli", "nelle",
    "nell", "il", "sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull",
})
# fmt: on
# Lower-cased in official names when not the first word ("Cassano d'Adda", "Costa de' Nobili").
_LOWER_WORDS: frozenset[str] = (
    _CONNECTING_WORDS - {"d", "dall", "dell", "nell", "sull", "all"}
) | {"de'"}
_ELIDED = re.compile(r"^(d|dall|dell|nell|sull|all)'(.+)$", re.IGNORECASE)
_ROMAN = re.compile(r"^[ivx]{3,}$", re.IGNORECASE)
_RUNS = re.compile(r"(.)\1+")
_BELFIORE = re.compile(r"^[A-Z][0-9]{3}$")


@dataclass(frozen=True)
class Comune:
    """One period of a Belfiore code: ``valid_from``/``valid_to`` are inclusive, None = open."""

    code: str
    name: str
    province: str
    valid_from: date | None
    valid_to: date | None

    @property
    def is_foreign(self) -> bool:
        return self.province == FOREIGN_PROVINCE

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def official_name(raw: str) -> str:
    """Lower-case the connecting words of a title-cased name: "Vermezzo Con Zelo" → "… con …"."""
    words = raw.split(" ")
    out = [words[0]]
    for word in words[1:]:
        lowered = word.lower()
        elided = _ELIDED.match(word)
        if lowered in _LOWER_WORDS:
            out.append(lowered)
        elif elided:
            out.append(f"{elided.group(1).lower()}'{elided.group(2)}")
        elif _ROMAN.match(word):
            out.append(word.upper())
        else:
            out.append(word)
    return " ".join(out)


def _parse_day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _load_rows() -> list[Mapping[str, Any]]:
    # The only place touching the library's data: its own loader copes with frozen apps.
    from codicefiscale import data as cf_data

    municipalities = cast(list[Mapping[str, Any]], cf_data.get_municipalities_data())
    countries = cast(list[Mapping[str, Any]], cf_data.get_countries_data())
    return [*municipalities, *countries]


@functools.cache
def _rows_by_code() -> Mapping[str, list[Mapping[str, Any]]]:
    """The library's rows by code, as they are (a look-up builds only the entries it needs)."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in _load_rows():
        grouped.setdefault(str(row["code"]).upper(), []).append(row)
    return grouped


_ENTRIES: dict[str, tuple[Comune, ...]] = {}


def _entries(code: str) -> tuple[Comune, ...]:
    """The entries of ``code``, oldest first (none for an unknown or malformed code)."""
    found = _ENTRIES.get(code)
    if found is None:
        rows = _rows_by_code().get(code, []) if _BELFIORE.match(code) else []
        found = _ENTRIES[code] = tuple(
            sorted((_comune(row) for row in rows), key=lambda c: c.valid_from or date.min)
        )
    return found


@functools.cache
def _name(raw: str) -> str:
    return official_name(raw)


def _comune(row: Mapping[str, Any]) -> Comune:
    return Comune(
        code=str(row["code"]).upper(),
        name=_name(str(row["name"])),
        province=str(row["province"]).upper(),
        valid_from=_parse_day(str(row["date_created"])),
        valid_to=_parse_day(str(row["date_deleted"])),
    )


def _by_code() -> Mapping[str, tuple[Comune, ...]]:
    """Every code of the table with its entries (a few suppressed comuni have "ND", no code:
    they are left out)."""
    return {code: entries for code in _rows_by_code() if (entries := _entries(code))}


def all_comuni() -> tuple[Comune, ...]:
    """Every entry of the table (comuni and foreign states, all periods)."""
    return tuple(c for entries in _by_code().values() for c in entries)


def comune_by_code(code: str, *, on: date | None = None) -> Comune | None:
    """The entry for ``code`` valid on ``on``; without ``on``, the most recent entry."""
    entries = _entries(code.strip().upper())
    if not entries:
        return None
    if on is None:
        return entries[-1]
    for entry in reversed(entries):
        if entry.is_valid_on(on):
            return entry
    return None


def is_known_code(code: str) -> bool:
    """True when ``code`` is in the historical table at any time (comune or foreign state)."""
    return bool(_entries(code.strip().upper()))


# --- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    folded: str
    keys: tuple[str, ...]  # words without the connecting ones
    compact: str
    squeezed: str


def _key(text: str) -> _Key:
    folded = fold(text)
    tokens = tuple(folded.split())
    keys = tuple(t for t in tokens if t not in _CONNECTING_WORDS) or tokens
    compact = "".join(keys)
    return _Key(folded, keys, compact, _RUNS.sub(r"\1", compact))


@functools.cache
def _search_index() -> tuple[tuple[_Key, tuple[Comune, ...]], ...]:
    by_name: dict[str, list[Comune]] = {}
    for entries in _by_code().values():
        for entry in entries:
            by_name.setdefault(entry.name, []).append(entry)
    return tuple((_key(name), tuple(entries)) for name, entries in by_name.items())


def _typo_tier(name: str, typed: str) -> int | None:
    """5 when ``typed`` misses one letter of ``name`` or swaps two adjacent ones (the commonest
    slips: "Cislano"), 6 for one wrong or one extra letter, None beyond one edit."""
    if len(typed) == len(name) - 1:
        return 5 if any(name[:i] + name[i + 1 :] == typed for i in range(len(name))) else None
    if len(typed) == len(name) + 1:
        return 6 if any(typed[:i] + typed[i + 1 :] == name for i in range(len(typed))) else None
    if len(typed) != len(name):
        return None
    diff = [i for i, (x, y) in enumerate(zip(name, typed, strict=True)) if x != y]
    if len(diff) == 1:
        return 6
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        i, j = diff
        return 5 if name[i] == typed[j] and name[j] == typed[i] else None
    return None


def _word_match(query: _Key, key: _Key) -> bool:
    """Every query word is a word of the name; the last one may be the start of a word."""
    *full, last = query.keys
    return all(w in key.keys for w in full) and any(k.startswith(last) for k in key.keys)


def _tier(query: _Key, key: _Key) -> int | None:
    if query.keys[-1] in key.compact:  # necessary for the tiers 0, 2, 3 and 4: a cheap filter
        if key.folded == query.folded:
            return 0
        if key.keys == query.keys:
            return 1
        if key.folded.startswith(query.folded) or key.compact.startswith(query.compact):
            return 2
        if _word_match(query, key):
            return 3
        if len(query.compact) >= 3 and query.compact in key.compact:
            return 4
    if key.squeezed == query.squeezed:
        return 1
    if len(query.squeezed) >= 4 and abs(len(key.squeezed) - len(query.squeezed)) <= 1:
        return _typo_tier(key.squeezed, query.squeezed)
    return None


def _rank(tier: int, key: _Key, comune: Comune) -> tuple[int, int, int, str, str]:
    area = 0 if comune.province in LOMBARDY_PROVINCES else 2 if comune.is_foreign else 1
    return (tier, area, 0 if comune.valid_to is None else 1, key.folded, comune.code)


def search_comuni(text: str, *, on: date | None, limit: int = 20) -> list[Comune]:
    """Comuni and foreign states whose name matches ``text``, best first, one per code.

    ``on`` is required and explicit, because the domain never reads the clock: pass today's date
    for a residence (only entries valid that day), the birth date for a birthplace, or ``None``
    to search the whole history (each code then shows its most recent matching name).

    Names are compared folded (case, accents, apostrophes), ignoring connecting words ("al",
    "di", "con", …) and doubled letters, and tolerating one typo ("Cislano" → Cisliano).
    Ranking: exact name, same words, prefix, whole words, substring, then one typo (a missing
    or swapped letter before a wrong or extra one); ties prefer Lombardy, then the rest of
    Italy, then foreign states, and entries still in force.
    """
    query = _key(text)
    if not query.compact or limit <= 0:
        return []
    best: dict[str, tuple[tuple[int, int, int, str, str], Comune]] = {}

    def offer(tier: int, key: _Key, entries: Sequence[Comune]) -> None:
        seen: set[str] = set()
        for entry in reversed(entries):  # per code, the most recent entry first
            if entry.code in seen or (on is not None and not entry.is_valid_on(on)):
                continue
            seen.add(entry.code)
            rank = _rank(tier, key, entry)
            current = best.get(entry.code)
            if current is None or rank < current[0]:
                best[entry.code] = (rank, entry)

    for key, entries in _search_index():
        tier = _tier(query, key)
        if tier is not None:
            offer(tier, key, entries)
    ranked = sorted(best.values(), key=lambda item: item[0])
    return [comune for _rank_key, comune in ranked[:limit]]
