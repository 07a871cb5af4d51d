"""The worked example of an avviso: a typical beneficiary's istanza built from the definition
itself, and what the avviso grants it (the preview of "Nuova edizione da…").

The sample satisfies every requirement as its typical beneficiary would (adult, resident in the
first comune of the ambito, at home, certified disability, ISEE at half the ceiling, each
declared fact as the avviso asks, nothing incompatible in place, the documents received) and asks
each intervention for a three-month period inside the window: judged by the engine, it shows the
caps, the window and the total cap of the edition at work. Invented data: no real person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from caseworker_app.domain.rules.avviso import (
    AgeGroup,
    Avviso,
    CapKind,
    DisabilityReq,
    DocumentsReq,
    FlagReq,
    Intervention,
    IseeReq,
    SubmissionReq,
)
from caseworker_app.domain.rules.eligibility import judge
from caseworker_app.domain.rules.money import money
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)
from caseworker_app.domain.rules.verdict import Verdict

SAMPLE_ID = "ESEMPIO-1"
_COST = Decimal("800.00")  # asked for an intervention without a cap of its own
_MONTHS = 3


@dataclass(frozen=True)
class EditionPreview:
    """What the avviso grants the sample istanza, judged on ``on``."""

    record: IstanzaRecord
    on: date
    verdict: Verdict


def submission_day(avviso: Avviso) -> date:
    """A day the avviso accepts istanze: its closing day, else its opening, else the window's
    start (else 1 January of this year)."""
    for q in avviso.requirements:
        if isinstance(q, SubmissionReq):
            if q.closes is not None:
                return q.closes
            if q.opens is not None:
                return q.opens
    if avviso.window is not None:
        return avviso.window.start
    return date(date.today().year, 1, 1)


def _comune(avviso: Avviso, on: date) -> str:
    valid = sorted(code for code in avviso.comuni if avviso.in_ambito(code, on))
    return valid[0] if valid else "A010"


def _isee(avviso: Avviso, on: date) -> tuple[IseeEntry, ...]:
    for q in avviso.requirements:
        if isinstance(q, IseeReq):
            groups = [g for g in q.groups if g.age in (AgeGroup.ADULT, AgeGroup.ANY)]
            if groups and groups[0].accepted:
                top = groups[0].maximum or Decimal("20000.00")
                return (IseeEntry(groups[0].accepted[0], money(top / 2), on),)
    return (IseeEntry("ordinario", Decimal("12000.00"), on),)


def _facts(avviso: Avviso) -> dict[str, bool]:
    facts = {
        "beneficiary.lives_at_home": True,
        "care.family_caregiver_only": False,
        "care.employed_assistant": False,
        "care.self_managed_project": False,
        "disability.l104_art3_c3": False,
        "disability.indennita_accompagnamento": False,
    }
    for q in avviso.requirements:
        if isinstance(q, FlagReq):
            facts[q.field] = q.expected
        if isinstance(q, DisabilityReq) and q.any_of:
            for atom in q.any_of[0]:
                if atom.minimum is None:
                    facts[f"disability.{atom.field}"] = True
    return facts


def _period(avviso: Avviso, submitted: date) -> tuple[date, date]:
    start = avviso.window.start if avviso.window is not None else submitted
    end_month = start.month + _MONTHS
    end = date(start.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(1)
    if avviso.window is not None and end > avviso.window.end:
        end = avviso.window.end
    return start, end


def _line(item: Intervention, start: date, end: date) -> RequestLine:
    days = (end - start).days + 1
    extra: dict[str, str] = {}
    if item.cap is CapKind.PER_MONTH and item.amount is not None:
        amount = item.amount * _MONTHS
    elif item.cap is CapKind.PER_DAY and item.amount is not None:
        days = min(10, item.max_days or 10)
        amount = item.amount * days
    elif item.cap in (CapKind.ONCE, CapKind.PER_YEAR) and item.amount is not None:
        amount = item.amount
    elif item.cap is CapKind.PER_MONTH_BY_HOURS and item.bands:
        band = item.bands[-1]
        extra[item.hours_field] = str(band.min_hours)
        amount = band.amount * _MONTHS
    else:
        amount = _COST
    line_days = days if item.cap is CapKind.PER_DAY else None
    return RequestLine(item.code, money(amount), start, end, line_days, extra)


def sample_record(avviso: Avviso) -> IstanzaRecord:
    """The worked example's istanza for ``avviso`` (see the module docstring)."""
    submitted = submission_day(avviso)
    facts = _facts(avviso)
    documents = {code for q in avviso.requirements if isinstance(q, DocumentsReq)
                 for code in q.required}  # fmt: skip
    start, end = _period(avviso, submitted)
    return IstanzaRecord(
        id=SAMPLE_ID,
        avviso=avviso.id,
        comune=_comune(avviso, submitted),
        submitted_at=datetime.combine(submitted, time(10, 0)),
        beneficiary=Beneficiary(
            codice_fiscale="ESEMPIO",
            surname="Esempio",
            given_name="Beneficiario",
            birth_date=date(submitted.year - 70, 3, 1),
            sex="F",
            residence=_comune(avviso, submitted),
            lives_at_home=facts["beneficiary.lives_at_home"],
        ),
        disability=Disability(
            facts["disability.l104_art3_c3"], facts["disability.indennita_accompagnamento"], 100
        ),
        isee=_isee(avviso, submitted),
        care=Care(
            facts["care.family_caregiver_only"],
            facts["care.employed_assistant"],
            facts["care.self_managed_project"],
        ),
        in_place=frozenset(),
        requests=tuple(_line(i, start, end) for i in avviso.interventions.values()),
        documents=tuple(DocumentEntry(code, received_on=submitted) for code in sorted(documents)),
    )


def preview(avviso: Avviso, record: IstanzaRecord | None = None) -> EditionPreview:
    """What ``avviso`` grants ``record`` (default: its :func:`sample_record`), judged by the
    engine on the submission day. ``rules.template_incomplete`` (raised by the engine) for a
    template still missing parameters."""
    record = record or sample_record(avviso)
    on = record.submitted_on
    return EditionPreview(record, on, judge(avviso, record, on=on))
