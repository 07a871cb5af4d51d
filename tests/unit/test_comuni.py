from __future__ import annotations

import time
from datetime import date

import pytest

from caseworker_app.domain import comuni
from caseworker_app.domain.comuni import (
    comune_by_code,
    is_known_code,
    official_name,
    search_comuni,
)
from caseworker_app.domain.text import fold

TODAY = date(2026, 11, 22)
AVVISO_DATE = date(2024, 4, 18)

# The comuni of the two ambiti exactly as the seed documents write them (typos included),
# with the official name the product must show.
PAVESE = {
    "ALBUZZANO": "Albuzzano", "BADIA PAVESE": "Badia Pavese", "BASCAPÉ": "Bascapè",
    "BATTUDA": "Battuda", "BELGIOIOSO": "Belgioioso", "BEREGUARDO": "Bereguardo",
    "BORGARELLO": "Borgarello", "BORNASCO": "Bornasco", "CASORATE PRIMO": "Casorate Primo",
    "CERANOVA": "Ceranova", "CERTOSA DI PAVIA": "Certosa di Pavia",
    "CHIGNOLO PO": "Chignolo Po", "COPIANO": "Copiano",
    "CORTEOLONA E GENZONE": "Corteolona e Genzone", "COSTA DE' NOBILI": "Costa de' Nobili",
    "CURA CARPIGNANO": "Cura Carpignano", "FILIGHERA": "Filighera", "GERENZAGO": "Gerenzago",
    "GIUSSAGO": "Giussago", "INVERNO E MONTELEONE": "Inverno e Monteleone",
    "LANDRIANO": "Landriano", "LARDIRAGO": "Lardirago", "LINAROLO": "Linarolo",
    "MAGHERNO": "Magherno", "MARCIGNAGO": "Marcignago", "MARZANO": "Marzano",
    "MIRADOLO TERME": "Miradolo Terme", "MONTICELLI PAVESE": "Monticelli Pavese",
    "PIEVE PORTO MORONE": "Pieve Porto Morone", "ROGNANO": "Rognano", "RONCARO": "Roncaro",
    "SANTA CRISTINA E BISSONE": "Santa Cristina e Bissone",
    "SANT'ALESSIO CON VIALONE": "Sant'Alessio con Vialone", "SAN ZENONE PO": "San Zenone al Po",
    "SIZIANO": "Siziano", "SPESSA": "Spessa", "TORRE D'ARESE": "Torre d'Arese",
    "TORRE DE' NEGRI": "Torre de' Negri", "TORREVECCHIA PIA": "Torrevecchia Pia",
    "TRIVOLZIO": "Trivolzio", "TROVO": "Trovo", "VALLE SALIMBENE": "Valle Salimbene",
    "VELLEZZO BELLINI": "Vellezzo Bellini", "VIDIGULFO": "Vidigulfo",
    "VILLANTERIO": "Villanterio", "VISTARINO": "Vistarino", "ZECCONE": "Zeccone",
    "ZERBO": "Zerbo",
}  # fmt: skip
ABBIATENSE = {
    "Abbiategrasso": "Abbiategrasso", "Albairate": "Albairate", "Besate": "Besate",
    "Bubbiano": "Bubbiano", "Calvignasco": "Calvignasco",
    "Cassinetta di Lugagnano": "Cassinetta di Lugagnano", "Cislano": "Cisliano",
    "Gaggiano": "Gaggiano", "Gudo Visconti": "Gudo Visconti", "Morimondo": "Morimondo",
    "Motta Visconti": "Motta Visconti", "Ozero": "Ozzero", "Rosate": "Rosate",
    "Vermezzo con Zelo": "Vermezzo con Zelo",
}  # fmt: skip


def codes(found: list[comuni.Comune]) -> list[str]:
    return [c.code for c in found]


# --- by code ----------------------------------------------------------------------------------


def test_abbiategrasso_by_code() -> None:
    comune = comune_by_code("A010")
    assert comune is not None
    assert (comune.name, comune.province, comune.valid_to) == ("Abbiategrasso", "MI", None)


def test_siziano_by_code_in_lowercase_with_spaces() -> None:
    comune = comune_by_code(" e265 ", on=AVVISO_DATE)
    assert comune is not None and (comune.name, comune.province) == ("Siziano", "PV")


def test_vermezzo_con_zelo_exists_from_february_2019_only() -> None:
    comune = comune_by_code("M424")
    assert comune is not None and comune.name == "Vermezzo con Zelo"
    assert comune.valid_from == date(2019, 2, 8)
    assert comune_by_code("M424", on=date(2019, 2, 7)) is None
    assert comune_by_code("M424", on=date(2019, 2, 8)) == comune


def test_corteolona_merged_into_corteolona_e_genzone_in_2016() -> None:
    merged = comune_by_code("M372", on=date(2016, 1, 1))
    assert merged is not None and merged.name == "Corteolona e Genzone"
    assert merged.valid_from == date(2016, 1, 1)
    assert comune_by_code("M372", on=date(2015, 12, 31)) is None
    old = comune_by_code("D067", on=date(2015, 12, 31))
    assert old is not None and old.name == "Corteolona" and old.province == "PV"
    assert comune_by_code("D067", on=date(2016, 1, 1)) is None
    assert comune_by_code("D067") == old  # without a date: its last entry


def test_milano_has_several_entries_over_time() -> None:
    latest = comune_by_code("F205")
    in_1950 = comune_by_code("F205", on=date(1950, 5, 1))
    assert latest is not None and in_1950 is not None
    assert latest != in_1950 and latest.name == in_1950.name == "Milano"
    assert in_1950.is_valid_on(date(1950, 5, 1)) and not latest.is_valid_on(date(1950, 5, 1))


def test_foreign_state_has_province_ee() -> None:
    usa = comune_by_code("Z404")
    assert usa is not None
    assert (usa.name, usa.province, usa.is_foreign) == ("Stati Uniti d'America", "EE", True)
    assert comune_by_code("Z105", on=date(2000, 1, 1)) is None  # Cecoslovacchia, gone in 1993


@pytest.mark.parametrize(
    ("code", "known"),
    [("A010", True), ("a010", True), ("D067", True), ("Z133", True), ("Q999", False),
     ("ND", False), ("", False)],
)  # fmt: skip
def test_is_known_code(code: str, known: bool) -> None:
    assert is_known_code(code) is known


@pytest.mark.parametrize(
    ("raw", "official"),
    [
        ("Corteolona E Genzone", "Corteolona e Genzone"),
        ("San Zenone Al Po", "San Zenone al Po"),
        ("Torre D'Arese", "Torre d'Arese"),
        ("Costa De' Nobili", "Costa de' Nobili"),
        ("Canneto Sull'Oglio", "Canneto sull'Oglio"),
        ("Sotto Il Monte Giovanni Xxiii", "Sotto il Monte Giovanni XXIII"),
        ("Aci Sant'Antonio", "Aci Sant'Antonio"),
        ("E", "E"),
    ],
)
def test_official_name_lowercases_connecting_words(raw: str, official: str) -> None:
    assert official_name(raw) == official


def test_index_loads_in_under_a_second() -> None:
    comuni._rows_by_code.cache_clear()
    comuni._ENTRIES.clear()
    started = time.perf_counter()
    assert comune_by_code("A010") is not None
    assert time.perf_counter() - started < 1.0


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "official"), [*PAVESE.items(), *ABBIATENSE.items()])
def test_every_comune_of_the_two_ambiti_is_found_as_written_in_the_seeds(
    typed: str, official: str
) -> None:
    found = search_comuni(typed, on=AVVISO_DATE)
    assert found, typed
    assert found[0].name == official
    assert found[0].province in {"PV", "MI"}


def test_social_worker_typing_san_zenone_po_finds_san_zenone_al_po() -> None:
    assert codes(search_comuni("San Zenone Po", on=TODAY))[0] == "I416"


def test_social_worker_typing_cislano_finds_cisliano() -> None:
    assert codes(search_comuni("Cislano", on=TODAY))[0] == "C733"


@pytest.mark.parametrize(
    "typed", ["Abiategrasso", "abbiategraso", "Abbaitegrasso", "ABBIATEGRASSO"]
)
def test_typos_in_abbiategrasso_still_find_it_first(typed: str) -> None:
    assert codes(search_comuni(typed, on=TODAY))[0] == "A010"


def test_typing_the_start_of_a_name_ranks_prefix_matches_first() -> None:
    found = search_comuni("abbia", on=TODAY, limit=5)
    assert found[0].code == "A010"
    assert all(fold(c.name).startswith("abbia") or "abbia" in fold(c.name) for c in found)


def test_a_word_inside_the_name_is_found() -> None:
    assert "M424" in codes(search_comuni("zelo", on=TODAY))


def test_search_by_date_shows_the_comune_valid_that_day() -> None:
    assert codes(search_comuni("Corteolona", on=date(2010, 1, 1)))[0] == "D067"
    assert codes(search_comuni("Corteolona", on=TODAY)) == ["M372"]
    assert codes(search_comuni("Vermezzo", on=date(2010, 1, 1)))[0] == "L768"
    assert codes(search_comuni("Vermezzo", on=TODAY))[0] == "M424"


def test_search_without_a_date_covers_the_whole_history() -> None:
    found = codes(search_comuni("Corteolona", on=None))
    assert {"D067", "M372"} <= set(found)


def test_search_finds_foreign_states_after_italian_comuni() -> None:
    assert codes(search_comuni("Svizzera", on=TODAY)) == ["Z133"]
    assert codes(search_comuni("stati uniti", on=TODAY))[0] == "Z404"


def test_search_returns_one_entry_per_code_and_respects_the_limit() -> None:
    found = search_comuni("san", on=None, limit=7)
    assert len(found) == 7
    assert len(set(codes(found))) == 7
    assert codes(search_comuni("Milano", on=None)).count("F205") == 1


@pytest.mark.parametrize("typed", ["", "   ", "''", "-"])
def test_blank_search_gives_nothing(typed: str) -> None:
    assert search_comuni(typed, on=TODAY) == []


def test_a_search_is_fast_enough_to_follow_typing() -> None:
    search_comuni("warm up", on=TODAY)
    started = time.perf_counter()
    for typed in ("a", "ab", "abb", "abbi", "abbia", "Cislano", "San Zenone Po"):
        search_comuni(typed, on=TODAY)
    assert (time.perf_counter() - started) / 7 < 0.1
