"""A pure, deterministic generator of synthetic people for demos, tests and load checks.

Same arguments → same output. Every person has a valid codice fiscale consistent with the
generated data; codes are unique within one call (omocodia only on a real collision).
Contacts use reserved example domains, so no message can reach a real person. What the demo
records about them (sections, istanza contents, home visits) comes from domain/demo_casework.py.
"""

from __future__ import annotations

import functools
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from caseworker_app.domain.codice_fiscale import encode_codice_fiscale, omocodic_variants
from caseworker_app.domain.comuni import LOMBARDY_PROVINCES, Comune, all_comuni, comune_by_code
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.text import fold

# fmt: off
SURNAMES: tuple[str, ...] = (
    "Brambilla", "Colombo", "Fumagalli", "Citterio", "D'Angelo", "Dell'Acqua", "Rossi", "Bianchi",
    "Ferrari", "Galli", "Sala", "Villa", "Riva", "Crippa", "Cattaneo", "Pirovano", "Galimberti",
    "Meroni", "Sironi", "Longoni", "Radaelli", "Corbetta", "Vismara", "Beretta", "Ronchi",
    "Mauri", "Mariani", "Parravicini", "Santambrogio", "Dell'Orto", "Dall'Ara", "D'Amico",
    "De Luca", "Lo Russo", "Cantù", "Bertè", "Parè", "Nicolò", "Re", "Bossi", "Moretti",
    "Fontana", "Marelli", "Bonfanti", "Mapelli", "Zanetti", "Maggioni", "Arosio", "Motta",
    "Perego", "Valsecchi", "Brivio", "Ghezzi", "Tagliabue", "Frigerio", "Gerosa", "Mazza",
    "Rota", "Locatelli", "Pozzi", "Negri", "Barbieri", "Esposito", "Russo", "Greco", "Bruno",
    "Conti", "Ricci", "Marino", "Costa", "Lombardi", "Gallo", "Ferri", "Sartori", "Oggioni",
)
MALE_NAMES: tuple[str, ...] = (
    "Nicolò", "Niccolò", "Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco",
    "Angelo", "Carlo", "Pietro", "Ambrogio", "Giancarlo", "Gianluca", "Gian Paolo", "Luca",
    "Marco", "Andrea", "Paolo", "Roberto", "Sergio", "Franco", "Bruno", "Renato", "Enrico",
    "Ugo", "Aldo", "Ernesto", "Gino", "Dario", "Fabio", "Massimo", "Stefano", "Alberto",
    "Claudio", "Riccardo", "Giorgio", "Maurizio", "Silvio", "Piero", "Alessandro", "Matteo",
    "Lorenzo", "Leonardo", "Tommaso", "Edoardo", "Gabriele", "Mattia", "Davide", "Simone",
    "Filippo", "Federico", "Emanuele", "Giosuè", "Noè", "Mosè", "Elia", "Samuele", "Cesare",
    "Vittorio", "Ottavio", "Battista", "Felice", "Natale", "Achille", "Cristian",
)
FEMALE_NAMES: tuple[str, ...] = (
    "Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carla",
    "Franca", "Luigia", "Ambrogina", "Maria Grazia", "Anna Maria", "Maria Luisa", "Rosanna",
    "Adele", "Ada", "Eva", "Ines", "Iole", "Irma", "Gina", "Pierina", "Carolina", "Emilia",
    "Elena", "Paola", "Laura", "Silvia", "Cristina", "Daniela", "Francesca", "Chiara", "Sara",
    "Giulia", "Martina", "Alice", "Sofia", "Aurora", "Ginevra", "Beatrice", "Noemi", "Zoè",
    "Desirée", "Agnese", "Agostina", "Bambina", "Natalina", "Ernestina", "Enrica", "Renata",
    "Bruna", "Marisa", "Patrizia", "Raffaella", "Valentina", "Federica", "Elisa", "Marta",
    "Caterina", "Letizia", "Margherita", "Wanda", "Olga", "Vittoria",
)
STREETS: tuple[str, ...] = (
    "Via Roma", "Via Giuseppe Garibaldi", "Via Giuseppe Mazzini", "Via Camillo Cavour",
    "Via Dante Alighieri", "Via Alessandro Manzoni", "Via Giacomo Matteotti",
    "Via XX Settembre", "Via Giuseppe Verdi", "Piazza della Vittoria", "Corso Italia",
    "Via Sant'Ambrogio", "Via della Repubblica", "Via dei Mille", "Via IV Novembre",
    "Vicolo del Pozzo", "Via Cascina Nuova", "Strada Vicinale dei Prati", "Via San Martino",
    "Via Don Luigi Sturzo", "Viale Lombardia", "Via Milano", "Via Pavia", "Via Naviglio",
    "Piazza Marconi", "Via dell'Acqua", "Via Papa Giovanni XXIII", "Via Aldo Moro",
)
# Foreign states of birth (Belfiore code, ISO 3166-1 alpha-2 of the state).
FOREIGN_BIRTHPLACES: tuple[tuple[str, str], ...] = (
    ("Z133", "CH"), ("Z112", "DE"), ("Z110", "FR"), ("Z103", "BE"), ("Z600", "AR"),
    ("Z100", "AL"), ("Z129", "RO"), ("Z330", "MA"), ("Z210", "CN"), ("Z138", "UA"),
    ("Z611", "PE"), ("Z605", "EC"), ("Z336", "EG"), ("Z216", "PH"), ("Z602", "BR"),
    ("Z131", "ES"), ("Z301", "DZ"), ("Z343", "SN"), ("Z222", "IN"), ("Z404", "US"),
)
# fmt: on
_EMIGRATION_STATES = frozenset({"CH", "DE", "FR", "BE", "AR", "US", "BR"})
_CAP_PREFIX = {"MI": "20", "MB": "20", "PV": "27", "BG": "24", "BS": "25", "CO": "22", "CR": "26",
               "LC": "23", "LO": "26", "MN": "46", "SO": "23", "VA": "21"}  # fmt: skip
_MILANO = "F205"


@dataclass(frozen=True)
class DemoMember:
    surname: str
    given_name: str
    relationship: str  # figlio, figlia, coniuge, nipote, fratello, sorella, madre, padre
    cohabiting: bool
    is_caregiver: bool
    care_hours_week: int
    legal_role: str | None  # None, "amministratore_di_sostegno", "tutore", "genitore"


@dataclass(frozen=True)
class DemoPerson:
    anagrafica: Anagrafica
    household: tuple[DemoMember, ...]


@dataclass(frozen=True)
class _Context:
    today: date
    residences: tuple[Comune, ...]
    lombardy: tuple[Comune, ...]


def demo_cap(comune: Comune) -> str:
    """A plausible, stable CAP for a comune (the table has no CAPs): province prefix + 3 digits."""
    prefix = _CAP_PREFIX.get(comune.province, "20")
    return f"{prefix}{zlib.crc32(comune.code.encode()) % 1000:03d}"


def _birth_date(rng: random.Random, today: date) -> date:
    draw = rng.random()
    if draw < 0.10:
        age = rng.randint(0, 17)
    elif draw < 0.25:
        age = rng.randint(18, 64)
    else:
        age = min(100, int(rng.triangular(65, 101, 85)))
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - timedelta(days=rng.randrange(365))


def _birthplace(rng: random.Random, ctx: _Context, residence: str, born: date) -> str:
    draw = rng.random()
    if draw < 0.05:
        return rng.choice(FOREIGN_BIRTHPLACES)[0]
    preferred = residence if draw < 0.35 else _MILANO if draw < 0.55 else None
    if preferred is not None and comune_by_code(preferred, on=born) is not None:
        return preferred
    while True:  # nearly every comune existed at any birth date: this ends quickly
        candidate = rng.choice(ctx.lombardy)
        if candidate.is_valid_on(born):
            return candidate.code


def _unique_code(code: str, used: set[str]) -> str | None:
    if code not in used:
        return code
    return next((v for v in omocodic_variants(code) if v not in used), None)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        prefix = rng.choice(("", "+39 "))
        return f"{prefix}3{rng.randint(20, 99)} {rng.randint(1_000_000, 9_999_999)}"
    return f"0{rng.choice(('2', '382', '331', '39'))} {rng.randint(100_000, 9_999_999)}"


def _email(rng: random.Random, given: str, surname: str) -> str:
    local = f"{fold(given).replace(' ', '')}.{fold(surname).replace(' ', '')}"
    domain = rng.choice(("example.org", "example.com", "example.net"))
    return f"{local}{rng.randint(1, 99)}@{domain}"


def _member(
    rng: random.Random, relationship: str, surname: str, *, cohabiting: bool, legal: str | None
) -> DemoMember:
    female = relationship in {"figlia", "sorella", "madre"} or (
        relationship in {"coniuge", "nipote"} and rng.random() < 0.5
    )
    return DemoMember(
        surname=surname,
        given_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
        relationship=relationship,
        cohabiting=cohabiting,
        is_caregiver=False,
        care_hours_week=0,
        legal_role=legal,
    )


def _household(rng: random.Random, age: int, sex: Sex, surname: str) -> tuple[DemoMember, ...]:
    other = rng.choice(SURNAMES)
    members: list[DemoMember] = []
    if age < 18:
        members.append(_member(rng, "padre", surname, cohabiting=True, legal="genitore"))
        members.append(_member(rng, "madre", other, cohabiting=True, legal="genitore"))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            sibling = rng.choice(("fratello", "sorella"))
            members.append(_member(rng, sibling, surname, cohabiting=True, legal=None))
    else:
        if rng.random() < (0.6 if age < 90 else 0.25):
            members.append(_member(rng, "coniuge", other, cohabiting=True, legal=None))
        children_surname = surname if sex is Sex.M else other
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if age >= 40 else 0):
            legal = "amministratore_di_sostegno" if age >= 65 and rng.random() < 0.08 else None
            child = rng.choice(("figlio", "figlia"))
            members.append(
                _member(rng, child, children_surname, cohabiting=rng.random() < 0.2, legal=legal)
            )
        if age >= 75 and rng.random() < 0.2:
            members.append(_member(rng, "nipote", rng.choice(SURNAMES), cohabiting=False,
                                   legal=None))  # fmt: skip
        if age < 65 and rng.random() < 0.3:
            sibling = rng.choice(("fratello", "sorella"))
            members.append(_member(rng, sibling, surname, cohabiting=False, legal=None))
    if members and rng.random() < 0.85:
        index = rng.randrange(len(members))
        chosen = members[index]
        hours = rng.randint(20, 70) if chosen.cohabiting else rng.randint(4, 30)
        members[index] = DemoMember(
            chosen.surname, chosen.given_name, chosen.relationship, chosen.cohabiting, True,
            hours, chosen.legal_role,
        )  # fmt: skip
    return tuple(members)


def _person(rng: random.Random, ctx: _Context, used: set[str]) -> DemoPerson:
    while True:
        born = _birth_date(rng, ctx.today)
        age = (
            ctx.today.year - born.year - ((ctx.today.month, ctx.today.day) < (born.month, born.day))
        )
        sex = Sex.F if rng.random() < (0.58 if age >= 65 else 0.5) else Sex.M
        surname = rng.choice(SURNAMES)
        given = rng.choice(FEMALE_NAMES if sex is Sex.F else MALE_NAMES)
        residence = rng.choice(ctx.residences)
        place = _birthplace(rng, ctx, residence.code, born)
        root = encode_codice_fiscale(
            surname=surname, given_name=given, sex=sex, birth_date=born, birthplace_code=place
        )
        code = _unique_code(root, used)
        if code is not None:
            break
    used.add(code)
    iso = next((iso for z, iso in FOREIGN_BIRTHPLACES if z == place), "IT")
    citizenship = "IT" if iso in _EMIGRATION_STATES and rng.random() < 0.5 else iso
    address = f"{rng.choice(STREETS)}, {rng.randint(1, 120)}"
    domicile = rng.choice(ctx.residences) if rng.random() < 0.08 else None
    email_odds = 0.0 if age < 18 else 0.6 if age < 65 else 0.12
    anagrafica = Anagrafica(
        codice_fiscale=code,
        surname=surname,
        given_name=given,
        birth_date=born,
        sex=sex,
        birth_place_code=place,
        citizenship=citizenship,
        residence_address=address,
        residence_comune=residence.code,
        residence_cap=demo_cap(residence),
        domicile_address=f"{rng.choice(STREETS)}, {rng.randint(1, 60)}" if domicile else "",
        domicile_comune=domicile.code if domicile else "",
        domicile_cap=demo_cap(domicile) if domicile else "",
        phone=_phone(rng) if rng.random() < 0.75 else "",
        email=_email(rng, given, surname) if rng.random() < email_odds else "",
    )
    return DemoPerson(anagrafica=anagrafica, household=_household(rng, age, sex, surname))


def generate_demo_people(
    n: int, *, seed: int, comuni: Sequence[str], today: date
) -> list[DemoPerson]:
    """``n`` synthetic people resident in the comuni with the given Belfiore codes.

    Ages: about 75% 65–100, 15% 18–64, 10% minors. Birthplaces: mostly Lombardy comuni that
    existed at the birth date, about 5% foreign states. Raises ValueError for an empty list or
    a code that is not a comune in force on ``today``.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    residences = tuple(_residence(code, today) for code in comuni)
    if not residences:
        raise ValueError("at least one residence comune is needed")
    ctx = _Context(today=today, residences=residences, lombardy=_lombardy_entries())
    rng = random.Random(seed)
    used: set[str] = set()
    return [_person(rng, ctx, used) for _ in range(n)]


def _residence(code: str, today: date) -> Comune:
    comune = comune_by_code(code, on=today)
    if comune is None or comune.is_foreign:
        raise ValueError(f"not a comune in force on {today.isoformat()}: {code!r}")
    return comune


@functools.cache
def _lombardy_entries() -> tuple[Comune, ...]:
    return tuple(c for c in all_comuni() if c.province in LOMBARDY_PROVINCES)
