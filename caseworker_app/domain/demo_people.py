"""A pure, deterministic generator of synthetic people for demos, tests and load checks.

Same arguments → same output. Every person has a valid codice fiscale consistent with the
generated data; codes are unique within one call (omocodia only on a real collision).
Contacts use reserved example domains, so no message can reach a real person.
"""

from __future__ import annotations

import functools
import math
import random
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from caseworker_app.domain.assessment import ADULT_AGE
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
    MeasureInPlace,
    SocialEvaluation,
)
from caseworker_app.domain.codice_fiscale import encode_codice_fiscale, omocodic_variants
from caseworker_app.domain.comuni import (
    LOMBARDY_PROVINCES,
    Comune,
    all_comuni,
    comune_by_code,
)
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    Applicant,
    ApplicantRole,
    DocumentCheck,
    IstanzaContent,
    RequestedLine,
)
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.rules.avviso import (
    Avviso,
    CapKind,
    DocumentsReq,
    FlagReq,
    IseeReq,
    SubmissionReq,
)
from caseworker_app.domain.scales import ScaleDefinition
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


# -- case file sections and istanza contents -----------------------------------------------------

_ISSUERS = ("INPS – Commissione medica", "ASST Ovest Milanese", "ASST di Pavia")
_PROVIDERS = ("Cooperativa Sociale Il Melograno", "Fondazione Casa di Riposo", "Comune – SAD")
_MEASURES = ("sad", "adi", "rsa_aperta", "semiresidenziale", "b2_buono")


@dataclass(frozen=True)
class DemoSections:
    certifications: tuple[Certification, ...]
    isee: tuple[IseeAttestation, ...]
    measures: tuple[MeasureInPlace, ...]


def dsu_protocol(rng: random.Random, year: int) -> str:
    """A well-formed DSU protocol, INPS-ISEE-YYYY-NNNNNNNNN-NN (not a real one)."""
    return f"INPS-ISEE-{year}-{rng.randint(0, 999_999_999):09d}-{rng.randint(0, 99):02d}"


def demo_sections(rng: random.Random, birth_date: date, *, today: date) -> DemoSections:
    """Certifications, ISEE attestations and measures in place of a plausible person."""
    age = today.year - birth_date.year
    minor = age < ADULT_AGE
    certs: list[Certification] = []
    issued = today - timedelta(days=rng.randint(60, 2500))
    issuer = rng.choice(_ISSUERS)
    if rng.random() < 0.75:
        certs.append(Certification(CertificationKind.L104_ART3_C3, issued, issuer))
    if minor:
        if rng.random() < 0.6:
            certs.append(Certification(CertificationKind.INDENNITA_FREQUENZA, issued, issuer))
    else:
        percent = rng.choice((67, 75, 80, 100, 100, 100))
        certs.append(Certification(CertificationKind.INVALIDITA_CIVILE, issued, issuer, percent))
        if percent == 100 and rng.random() < 0.8:
            certs.append(Certification(CertificationKind.INDENNITA_ACCOMPAGNAMENTO, issued, issuer))
    isee: list[IseeAttestation] = []
    types = ("ordinario", "minorenni") if minor else ("sociosanitario", "ordinario")
    for year in (today.year - 1, today.year) if rng.random() < 0.5 else (today.year,):
        issued_on = date(year, 1, 1) + timedelta(days=rng.randint(5, 90))
        if issued_on > today:
            issued_on = today
        kind = types[0] if rng.random() < 0.8 else types[1]
        value = Decimal(rng.randint(3_000_00, 39_000_00)) / 100
        isee.append(IseeAttestation(kind, value, dsu_protocol(rng, year), issued_on,
                                    issued_on + timedelta(days=rng.randint(0, 20)),
                                    omissioni=rng.random() < 0.03))  # fmt: skip
    measures: list[MeasureInPlace] = []
    if rng.random() < 0.4:
        start = today - timedelta(days=rng.randint(30, 900))
        provider = rng.choice(_PROVIDERS)
        measures.append(MeasureInPlace(rng.choice(_MEASURES), start, None, provider,
                                       "settimanale", "comune"))  # fmt: skip
    return DemoSections(tuple(certs), tuple(isee), tuple(measures))


def submission_window(avviso: Avviso) -> tuple[date | None, date | None]:
    """The avviso's submission window (SubmissionReq opens/closes, inclusive), if any."""
    for req in avviso.requirements:
        if isinstance(req, SubmissionReq):
            return req.opens, req.closes
    return None, None


def demo_submission_window(avviso: Avviso) -> tuple[date | None, date | None]:
    """The days the demo submits istanze to ``avviso`` on (inclusive).

    The avviso's submission window; an avviso without one (a sportello) takes istanze while its
    measure runs: the period of its interventions (``[window]``)."""
    opens, closes = submission_window(avviso)
    if opens is None and closes is None and avviso.window is not None:
        return avviso.window.start, avviso.window.end
    return opens, closes


def demo_submission_date(
    rng: random.Random, avviso: Avviso, *, latest: date, fallback: date
) -> date | None:
    """A day inside the avviso's submission window (:func:`demo_submission_window`), never
    after ``latest``; ``fallback`` for an avviso without any window; None when the window
    opens after ``latest`` (no istanza can be submitted to it yet)."""
    opens, closes = demo_submission_window(avviso)
    if opens is None and closes is None:
        return fallback
    end = min(closes or latest, latest)
    start = opens or end - timedelta(days=60)
    if end < start:
        return None
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _request(rng: random.Random, avviso: Avviso, submitted: date) -> tuple[RequestedLine, ...]:
    codes = sorted(avviso.interventions)
    if not codes:
        return ()
    window = avviso.window
    start = window.start if window else date(submitted.year, 1, 1)
    end = window.end if window else date(submitted.year, 12, 31)
    lines: list[RequestedLine] = []
    for code in rng.sample(codes, k=min(len(codes), rng.choice((1, 1, 2)))):
        spec = avviso.interventions[code]
        days: int | None = None
        extra: dict[str, object] = {}
        if spec.cap is CapKind.PER_DAY:
            days = rng.randint(5, spec.max_days or 30)
            amount = (spec.amount or Decimal(100)) * days
            line_end = min(end, start + timedelta(days=days - 1))
        else:
            line_end = end
            if spec.cap is CapKind.PER_MONTH_BY_HOURS and spec.bands:
                band = rng.choice(spec.bands)
                extra[spec.hours_field or "weekly_hours"] = str(band.min_hours)
                amount = band.amount
            elif spec.amount is not None:
                amount = spec.amount
            else:  # a documented cost
                amount = Decimal(rng.randint(300_00, 1_200_00)) / 100
        lines.append(RequestedLine(code, f"{amount:.2f}", start, line_end, days, extra))
    return tuple(lines)


def demo_istanza_content(
    rng: random.Random, avviso: Avviso, *, submitted: date, promise_isee: bool
) -> IstanzaContent:
    """A plausible content for an istanza to ``avviso``: requests that fit it, every
    declaration, the document checklist (the ISEE promised by a date when ``promise_isee``)."""
    flags = {r.field: r.expected for r in avviso.requirements if isinstance(r, FlagReq)}
    required: list[str] = ["documento_identita", "informativa_privacy", "isee"]
    deadline: date | None = None
    for req in avviso.requirements:
        if isinstance(req, DocumentsReq):
            required += [c for c in req.required if c not in required]
        if isinstance(req, IseeReq):
            deadline = req.deadline
    documents = tuple(
        DocumentCheck(code, promised_by=deadline or submitted + timedelta(days=30))
        if promise_isee and code == "isee"
        else DocumentCheck(code, received_on=submitted)
        for code in required
    )
    return IstanzaContent(
        applicant=Applicant(ApplicantRole.BENEFICIARIO),
        declarations=dict.fromkeys(DECLARATIONS, True),
        lives_at_home=flags.get("beneficiary.lives_at_home", True),
        family_caregiver_only=flags.get("care.family_caregiver_only", False),
        employed_assistant=flags.get("care.employed_assistant", False),
        self_managed_project=flags.get("care.self_managed_project", False),
        requests=_request(rng, avviso, submitted),
        documents=documents,
    )


# -- the home visit: scale answers, social evaluation, graphic signatures ------------------------

_HOUSING = (
    "Appartamento al secondo piano senza ascensore; bagno con vasca, non adattato.",
    "Casa indipendente su due livelli; camera da letto al piano superiore.",
    "Appartamento al piano terra, accessibile; bagno già adattato con doccia a filo.",
    "Alloggio in corte, riscaldamento a stufa; scale esterne ripide.",
    "Appartamento in condominio con ascensore; spazi adeguati, qualche tappeto da rimuovere.",
)
_NETWORK = (
    "La figlia convivente assiste la persona ogni giorno; un figlio passa nel fine settimana.",
    "Il coniuge è il caregiver principale ma è a sua volta anziano e affaticato.",
    "Rete familiare presente ma lontana; aiuto saltuario dei vicini di casa.",
    "I genitori si alternano nell'assistenza; i nonni aiutano nel pomeriggio.",
    "Una nipote coordina l'assistenza; presente un'assistente familiare per alcune ore.",
)
_NEEDS = (
    "Aiuto nell'igiene personale e nella vestizione; sollievo per il caregiver.",
    "Supervisione nei trasferimenti e nella deambulazione; accompagnamento alle visite.",
    "Sostegno nella gestione dei farmaci e della spesa; compagnia nelle ore diurne.",
    "Interventi educativi a domicilio e sollievo per la famiglia.",
)
_RISKS = (
    "Rischio di cadute in casa; caregiver a rischio di esaurimento.",
    "Isolamento sociale nelle ore in cui la famiglia lavora.",
    "Peggioramento atteso del quadro clinico nei prossimi mesi.",
    "",
)
_SUMMARY = (
    "Si propone il sostegno al caregiver familiare con verifica a sei mesi.",
    "Quadro di dipendenza stabile; la misura consente la permanenza al domicilio.",
    "Bisogno assistenziale elevato; si concorda il progetto con la famiglia.",
    "La famiglia chiede un aiuto economico per mantenere l'assistenza a casa.",
)
_ASST_EVALUATORS = (
    "Dott.ssa Laura Sala (ASST Ovest Milanese)",
    "Inf. Paolo Riva (ASST Ovest Milanese)",
    "Dott. Marco Ferri (ASST di Pavia)",
    "Inf. Chiara Longoni (ASST di Pavia)",
)


def demo_answers(rng: random.Random, definition: ScaleDefinition) -> dict[str, int]:
    """An answer to every item of the scale: a person who has lost some functions (the
    later options of each item are the less autonomous ones)."""
    dependence = rng.random()
    answers: dict[str, int] = {}
    for item in definition.items:
        count = len(item.options)
        if rng.random() < dependence:
            answers[item.id] = rng.randint((count + 1) // 2 + 1 if count > 2 else count, count)
        else:
            answers[item.id] = rng.randint(1, max(1, count // 2))
    return answers


def demo_social_evaluation(rng: random.Random, *, visit: date, evaluator: str) -> SocialEvaluation:
    """The social evaluation written beside a home visit on ``visit``; about one in four is
    multidimensional, with an ASST evaluator beside the social worker."""
    multidimensional = rng.random() < 0.25
    asst = (evaluator, rng.choice(_ASST_EVALUATORS)) if multidimensional else ()
    return SocialEvaluation(
        visit_date=visit,
        place="domicilio",
        housing=rng.choice(_HOUSING),
        network=rng.choice(_NETWORK),
        needs=rng.choice(_NEEDS),
        risks=rng.choice(_RISKS),
        summary=rng.choice(_SUMMARY),
        multidimensional=multidimensional,
        asst_evaluators=tuple(n for n in asst if n != evaluator),
    )


def demo_signature_png(rng: random.Random, *, width: int = 240, height: int = 72) -> bytes:
    """A handwritten-looking scribble as a PNG (dark ink on a transparent background), as the
    signature pad would capture it."""
    stride = width * 2 + 1  # grey + alpha per pixel, a filter byte per row
    pixels = bytearray(stride * height)
    ink = rng.randint(10, 60)
    waves = [(rng.uniform(0.04, 0.16), rng.uniform(0, 6.3), rng.uniform(6, 22)) for _ in range(3)]
    slant = rng.uniform(-0.15, 0.15)
    for step in range(width * 3):
        x = 8 + step / 3 * (width - 16) / width
        y = height / 2 + slant * (x - width / 2)
        for freq, phase, amp in waves:
            y += amp / 3 * math.sin(freq * x + phase)
        for dx, dy in ((0, 0), (1, 0), (0, 1)):
            px, py = int(x) + dx, int(y) + dy
            if 0 <= px < width and 0 <= py < height:
                at = py * stride + 1 + px * 2
                pixels[at] = ink
                pixels[at + 1] = 255

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 4, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(pixels), 9)) + chunk(b"IEND", b""))  # fmt: skip
