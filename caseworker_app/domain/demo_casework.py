"""A pure, deterministic generator of what the demo records about its synthetic people.

Case file sections (certifications, ISEE attestations with well-formed DSU protocols, measures in
place), istanza contents that fit their avviso and submission dates inside its window, and the
home visit: scale answers, the social evaluation and graphic signatures. The people themselves
come from domain/demo_people.py. Same random generator state → same output.
"""

from __future__ import annotations

import hashlib
import math
import random
import struct
import zlib
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
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    Applicant,
    ApplicantRole,
    DocumentCheck,
    IstanzaContent,
    RequestedLine,
)
from caseworker_app.domain.rules.avviso import (
    Avviso,
    CapKind,
    DocumentsReq,
    FlagReq,
    IseeReq,
    SubmissionReq,
)
from caseworker_app.domain.scales import ScaleDefinition

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


def demo_iban(seed: str) -> str:
    """A valid Italian IBAN for synthetic data: the bank and branch of the standards' example
    (ABI 05428, CAB 11101) and an account number derived from ``seed`` (the same seed, the same
    IBAN), with its CIN and check digits computed."""
    from schwifty import IBAN  # its import costs ~100 ms: only when the demo is made

    account = int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:15], 16) % 10**12
    return str(IBAN.generate("IT", bank_code="0542811101", account_code=f"{account:012d}"))


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
