from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.codice_fiscale import decode_codice_fiscale
from caseworker_app.domain.comuni import LOMBARDY_PROVINCES, comune_by_code
from caseworker_app.domain.demo_people import (
    FEMALE_NAMES,
    MALE_NAMES,
    SURNAMES,
    DemoPerson,
    generate_demo_people,
)
from caseworker_app.domain.person import Sex, validate_anagrafica

TODAY = date(2026, 11, 22)
ABBIATENSE = ["A010", "A127", "A820", "B235", "B448", "C033", "C733", "D845", "E258",
              "D033", "F783", "G206", "H560", "M424"]  # fmt: skip
PAVESE = ["E265", "M372", "I416", "A690"]


def age(person: DemoPerson) -> int:
    born = person.anagrafica.birth_date
    assert born is not None
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def crowd() -> list[DemoPerson]:
    return generate_demo_people(4000, seed=7, comuni=ABBIATENSE + PAVESE, today=TODAY)


def test_same_seed_gives_identical_people_and_another_seed_does_not() -> None:
    first = generate_demo_people(200, seed=42, comuni=PAVESE, today=TODAY)
    assert first == generate_demo_people(200, seed=42, comuni=PAVESE, today=TODAY)
    assert first != generate_demo_people(200, seed=43, comuni=PAVESE, today=TODAY)


def test_every_demo_person_validates_with_no_issue(crowd: list[DemoPerson]) -> None:
    problems = [
        (p.anagrafica.codice_fiscale, issue.code)
        for p in crowd
        for issue in validate_anagrafica(p.anagrafica, today=TODAY)
    ]
    assert problems == []


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), codes=st.lists(st.sampled_from(ABBIATENSE + PAVESE), min_size=1))
def test_any_seed_gives_people_who_validate(seed: int, codes: list[str]) -> None:
    for person in generate_demo_people(30, seed=seed, comuni=codes, today=TODAY):
        assert validate_anagrafica(person.anagrafica, today=TODAY) == []
        assert person.anagrafica.residence_comune in codes


def test_codici_fiscali_are_unique_and_match_the_data(crowd: list[DemoPerson]) -> None:
    assert len({p.anagrafica.codice_fiscale for p in crowd}) == len(crowd)
    for person in crowd[:500]:
        a = person.anagrafica
        decoded = decode_codice_fiscale(a.codice_fiscale, today=TODAY)
        assert decoded.sex is a.sex and decoded.birthplace_code == a.birth_place_code
        if age(person) < 99:
            assert decoded.birth_date == a.birth_date


def test_birthplaces_existed_at_birth_and_are_mostly_in_lombardy(crowd: list[DemoPerson]) -> None:
    places = []
    for person in crowd:
        a = person.anagrafica
        assert a.birth_date is not None
        place = comune_by_code(a.birth_place_code, on=a.birth_date)
        assert place is not None, (a.birth_place_code, a.birth_date)
        places.append(place)
    foreign = sum(p.is_foreign for p in places) / len(places)
    lombard = sum(p.province in LOMBARDY_PROVINCES for p in places) / len(places)
    assert 0.03 < foreign < 0.08
    assert lombard > 0.9


def test_ages_are_mostly_elderly_with_some_adults_and_minors(crowd: list[DemoPerson]) -> None:
    ages = [age(p) for p in crowd]
    share = Counter("minor" if a < 18 else "adult" if a < 65 else "elderly" for a in ages)
    assert 0.07 < share["minor"] / len(ages) < 0.13
    assert 0.11 < share["adult"] / len(ages) < 0.19
    assert 0.70 < share["elderly"] / len(ages) < 0.80
    assert max(ages) <= 101


def test_residence_cap_and_address_are_plausible(crowd: list[DemoPerson]) -> None:
    for person in crowd:
        a = person.anagrafica
        assert a.residence_comune in ABBIATENSE + PAVESE
        assert a.residence_address and a.residence_address[-1].isdigit()
        comune = comune_by_code(a.residence_comune, on=TODAY)
        assert comune is not None
        assert a.residence_cap[:2] == ("27" if comune.province == "PV" else "20")
    caps = {p.anagrafica.residence_comune: p.anagrafica.residence_cap for p in crowd}
    for person in crowd:  # one CAP per comune
        assert caps[person.anagrafica.residence_comune] == person.anagrafica.residence_cap


def test_contacts_are_sometimes_empty_and_minors_have_no_email(crowd: list[DemoPerson]) -> None:
    assert any(p.anagrafica.phone for p in crowd) and any(not p.anagrafica.phone for p in crowd)
    assert any(p.anagrafica.email for p in crowd) and any(not p.anagrafica.email for p in crowd)
    assert all(not p.anagrafica.email for p in crowd if age(p) < 18)
    assert all(
        p.anagrafica.email.endswith((".org", ".com", ".net")) for p in crowd if p.anagrafica.email
    )


def test_names_include_accents_and_apostrophes(crowd: list[DemoPerson]) -> None:
    surnames = {p.anagrafica.surname for p in crowd}
    given = {p.anagrafica.given_name for p in crowd}
    assert {"D'Angelo", "Dell'Acqua", "Brambilla", "Fumagalli"} <= surnames
    assert {"Nicolò", "Niccolò"} <= given
    assert len(SURNAMES) >= 60 and len(MALE_NAMES) >= 60 and len(FEMALE_NAMES) >= 60
    for person in crowd:
        names = FEMALE_NAMES if person.anagrafica.sex is Sex.F else MALE_NAMES
        assert person.anagrafica.given_name in names


def test_households_are_coherent(crowd: list[DemoPerson]) -> None:
    relationships = Counter(m.relationship for p in crowd for m in p.household)
    assert {"figlio", "figlia", "coniuge", "nipote", "fratello", "sorella"} <= relationships.keys()
    for person in crowd:
        caregivers = [m for m in person.household if m.is_caregiver]
        assert len(caregivers) <= 1
        assert all(m.care_hours_week > 0 for m in caregivers)
        assert all(m.care_hours_week == 0 for m in person.household if not m.is_caregiver)
        if age(person) < 18:
            assert [m.legal_role for m in person.household].count("genitore") == 2
    legal = Counter(m.legal_role for p in crowd for m in p.household)
    assert legal["amministratore_di_sostegno"] > 0


@pytest.mark.parametrize("codes", [[], ["Q999"], ["D067"], ["Z404"]])
def test_residences_must_be_comuni_in_force(codes: list[str]) -> None:
    with pytest.raises(ValueError):
        generate_demo_people(1, seed=1, comuni=codes, today=TODAY)


@pytest.mark.slow
def test_fifty_thousand_people_in_under_ten_seconds() -> None:
    started = time.perf_counter()
    people = generate_demo_people(50_000, seed=2024, comuni=ABBIATENSE + PAVESE, today=TODAY)
    elapsed = time.perf_counter() - started
    assert len({p.anagrafica.codice_fiscale for p in people}) == 50_000
    assert elapsed < 10.0, f"{elapsed:.1f} s"


def test_submission_dates_stay_inside_the_window_or_there_is_none() -> None:
    import random

    from caseworker_app.definitions.avvisi import get_avviso
    from caseworker_app.domain.demo_casework import demo_submission_date, demo_submission_window

    rng = random.Random(4)
    sportello = get_avviso("pavese-b2-2024-voucher")  # no submission window: the measure's
    assert demo_submission_window(sportello) == (date(2024, 5, 1), date(2025, 4, 30))
    for _ in range(200):
        day = demo_submission_date(rng, sportello, latest=date(2026, 1, 1),
                                   fallback=date(2020, 1, 1))  # fmt: skip
        assert day is not None and date(2024, 5, 1) <= day <= date(2025, 4, 30)
    # before the window opens no istanza can have been submitted to it
    assert demo_submission_date(rng, sportello, latest=date(2024, 4, 30),
                                fallback=date(2020, 1, 1)) is None  # fmt: skip


def test_demo_signatures_are_png_images_the_pdf_can_draw() -> None:
    import io
    import random

    from PIL import Image

    from caseworker_app.domain.demo_casework import demo_signature_png

    first, second = demo_signature_png(random.Random(1)), demo_signature_png(random.Random(2))
    assert first != second and first.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(first))
    image.load()
    assert image.size == (240, 72) and image.mode == "LA"
    assert image.getextrema()[1][1] == 255  # some ink on a transparent background
