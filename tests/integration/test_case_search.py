"""Searching case files: accent-insensitive prefixes on names and codice fiscale."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.casefile import CaseSort
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.services import cases

NOW = datetime(2026, 11, 22, 12, 0)
PEOPLE = [
    ("Nicolò", "D'Angelo", "DNGNCL40A01A010X", date(1940, 1, 1), "A010"),
    ("Niccolò", "Brambilla", "BRMNCC45B02A127Y", date(1945, 2, 2), "A127"),
    ("Agnese", "Dell'Acqua", "DLLGNS50C43C733Z", date(1950, 3, 3), "C733"),
    ("Mario", "Rossi", "RSSMRA38D04D845W", date(1938, 4, 4), "D845"),
    ("Maria", "Rossini", "RSSMRA60E45H560V", date(1960, 5, 5), "H560"),
]


@pytest.fixture
def people(created: tuple[Vault, OpenStore, str]) -> OpenStore:
    _, workspace, _ = created
    for given, surname, cf, born, comune in PEOPLE:
        cases.create_case(
            workspace.uow_factory(),
            actor=workspace.actor,
            comune=comune,
            anagrafica=Anagrafica(
                surname=surname,
                given_name=given,
                codice_fiscale=cf,
                birth_date=born,
                sex=Sex.M,
                residence_comune=comune,
            ),
            now=NOW,
        )
    return workspace


def _names(ws: OpenStore, text: str, **kw: object) -> list[str]:
    rows = cases.search_cases(ws.uow_factory(), actor=ws.actor, text=text, **kw)  # type: ignore[arg-type]
    return [f"{r.given_name} {r.surname}" for r in rows]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nicolo", ["Nicolò D'Angelo"]),
        ("NICOLÒ", ["Nicolò D'Angelo"]),
        ("d'angelo", ["Nicolò D'Angelo"]),
        ("dell acqua", ["Agnese Dell'Acqua"]),
        ("ross", ["Mario Rossi", "Maria Rossini"]),
        ("rossi mar", ["Mario Rossi", "Maria Rossini"]),
        ("rossi mario", ["Mario Rossi"]),
        ("brmncc", ["Niccolò Brambilla"]),
        ("BRMNCC45B02A127Y", ["Niccolò Brambilla"]),
        ("zzz", []),
        ('"; DROP TABLE persons; --', []),
    ],
)
def test_social_worker_finds_a_person_however_she_types_it(
    people: OpenStore,
    typed: str,
    expected: list[str],
) -> None:
    assert sorted(_names(people, typed)) == sorted(expected)


def test_list_sorts_and_pages(people: OpenStore) -> None:
    by_name = _names(people, "")
    assert by_name[0] == "Niccolò Brambilla"
    assert _names(people, "", descending=True) == list(reversed(by_name))
    by_birth = _names(people, "", sort=CaseSort.BIRTH_DATE)
    assert by_birth[0] == "Mario Rossi"
    page1 = _names(people, "", offset=0, limit=2)
    page2 = _names(people, "", offset=2, limit=2)
    page3 = _names(people, "", offset=4, limit=2)
    assert page1 + page2 + page3 == by_name
    assert cases.count_cases(people.uow_factory(), actor=people.actor, text="ross") == 2


def test_renamed_person_is_found_under_the_new_name_only(people: OpenStore) -> None:
    row = cases.search_cases(people.uow_factory(), actor=people.actor, text="rossini")[0]
    cases.save_anagrafica(
        people.uow_factory(),
        actor=people.actor,
        case_id=row.case_id,
        anagrafica=Anagrafica(
            surname="Ferrario", given_name="Maria", sex=Sex.F, residence_comune="H560"
        ),
        now=NOW,
    )
    assert _names(people, "rossini") == []
    assert _names(people, "ferrario") == ["Maria Ferrario"]
