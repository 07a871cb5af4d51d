"""Use cases of the letters to applicants, printed from the istanza at the comune.

- :func:`print_outcome_letter` — the *comunicazione di esito* after the capofila's graduatoria:
  the outcome is the istanza's state (finanziata, finanziata_parzialmente,
  ammessa_non_finanziata, non_ammissibile); the amount, the reason, the position and the
  graduatoria's identity come from the capofila's outcomes file when it was imported
  (:func:`received_outcome`, the hook), else the amount is what the engine grants.
- :func:`print_negative_verification_letter` — the *preavviso di rigetto* (art. 10-bis
  L. 241/1990) that seed 003 §10 asks of the comune when the verification of the requirements
  fails: the istanza is judged on ``on`` by the engine (as the istanza's detail shows it) and
  the letter lists the requirements not met, in the rules' own words.

No health data reach a letter: the requirement of disability is named, never what the person
has (a reason that would say a percent, a scale or a diagnosis is replaced by the requirement's
name, :func:`safe_reason`). Each print is audited (``PRINT``, the istanza's id); like the other
printed documents (services/printing.py) the PDF is not stored: it is made again on request.
Letters need ``READ_CASES`` only (checked by ``load_istanza``): they hold no health data, so an
operator with the amministrativo role prints them too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from caseworker_app.domain import comuni
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.istanza_content import ApplicantRole
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.rules.avviso import Avviso, DisabilityReq
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.istanza_wizard import (
    Evaluation,
    WizardData,
    avviso_of,
    evaluate,
    load_istanza,
)
from caseworker_app.services.printing import (
    DocumentKind,
    PrintedDocument,
    file_part,
    istanza_ref,
    letterhead_of,
)
from caseworker_app.services.settings import office_of

if TYPE_CHECKING:
    from caseworker_app.documents.letters import Addressee, LetterHeading, LetterOutcome

__all__ = [
    "OUTCOME_STATES",
    "ReceivedOutcome",
    "negative_verification_letter",
    "outcome_letter",
    "print_negative_verification_letter",
    "print_outcome_letter",
    "received_outcome",
    "safe_reason",
]

#: the istanza states a comunicazione di esito tells
OUTCOME_STATES = frozenset(
    {
        IstanzaState.FINANZIATA,
        IstanzaState.FINANZIATA_PARZIALMENTE,
        IstanzaState.AMMESSA_NON_FINANZIATA,
        IstanzaState.NON_AMMISSIBILE,
    }
)
#: the module and function of the comune's stored outcomes (the esiti import), looked up lazily
#: said instead of a reason that would tell health data
DISABILITY_REASON = "Non risulta posseduto il requisito di disabilità previsto dall'avviso"
_HEALTH = re.compile(
    r"\d\s*%|\b(?:i?adl|barthel|diagnos\w*|patolog\w*)\b",
    re.IGNORECASE,
)
_CITE = re.compile(r"\(([^()]*)\)\.?\s*$")


@dataclass(frozen=True)
class ReceivedOutcome:
    """What the capofila's outcomes file says of one istanza, as kept at the comune."""

    outcome: str  # finanziata | finanziata_parzialmente | ammessa_non_finanziata | non_ammissibile
    amount: Decimal | None = None
    reason: str = ""
    position: int | None = None
    run_number: int | None = None  # the graduatoria's (run's) number
    ranked_on: date | None = None
    determina: str = ""
    determina_date: date | None = None


def received_outcome(uow: UnitOfWork, istanza_id: IstanzaId) -> ReceivedOutcome | None:
    """The outcome of the istanza in the latest outcomes file of an **approved** run the
    capofila sent (inside the caller's ``with uow``), or None: an outcome not yet approved is
    not written to the applicant."""
    approved = [o for o in uow.outcomes.of_istanza(istanza_id) if o.approved]
    if not approved:
        return None
    found = approved[-1]
    line = found.line
    return ReceivedOutcome(
        outcome=line.outcome.value,
        amount=line.amount,
        reason=line.reason,
        position=line.position,
        run_number=found.run_number,
        ranked_on=None,
        determina=found.determina or "",
        determina_date=found.determina_date,
    )


def safe_reason(line: str, cite: str = "") -> str:
    """``line``, or — when it would say a percent, a scale, a diagnosis or an invalidity — the
    requirement's name with the rule it comes from (no health data in a letter)."""
    if not _HEALTH.search(line):
        return line.strip()
    if not cite:
        found = _CITE.search(line)
        cite = found.group(1) if found else ""
    return f"{DISABILITY_REASON} ({cite})." if cite else f"{DISABILITY_REASON}."


def _failed(avviso: Avviso, evaluation: Evaluation) -> tuple[str, ...]:
    """The Italian messages of the checks that failed, the disability one by its name only."""
    disability = {r.code: r.cite for r in avviso.requirements if isinstance(r, DisabilityReq)}
    lines: list[str] = []
    for check in evaluation.checks:
        if check.status != "ko":
            continue
        if check.code in disability:
            cite = disability[check.code]
            lines.append(f"{DISABILITY_REASON} ({cite})." if cite else f"{DISABILITY_REASON}.")
        else:
            lines.append(safe_reason(check.message))
    return tuple(dict.fromkeys(lines))


# -- what every letter shows ---------------------------------------------------------------------


def _comune_name(code: str) -> str:
    found = comuni.comune_by_code(code) if code else None
    return found.name if found is not None else code


def _place_line(cap: str, comune: str) -> str:
    found = comuni.comune_by_code(comune) if comune else None
    name = found.name if found is not None else comune
    province = f" ({found.province})" if found is not None and not found.is_foreign else ""
    return " ".join(p for p in (cap.strip(), f"{name}{province}".strip()) if p)


def _postal(a: Anagrafica) -> tuple[str, ...]:
    """The domicile when one is set, else the residence."""
    if a.domicile_address.strip() or a.domicile_comune.strip():
        street, cap, comune = a.domicile_address, a.domicile_cap, a.domicile_comune
    else:
        street, cap, comune = a.residence_address, a.residence_cap, a.residence_comune
    return tuple(p for p in (street.strip(), _place_line(cap, comune)) if p)


def _addressee(data: WizardData) -> Addressee:
    from caseworker_app.documents.letters import Addressee

    a = data.facts.anagrafica
    beneficiary = " ".join(p for p in (a.given_name.strip(), a.surname.strip()) if p)
    applicant = data.content.applicant
    if applicant.role is ApplicantRole.BENEFICIARIO:
        return Addressee(beneficiary, "", _postal(a))
    name = " ".join(p for p in (applicant.given_name.strip(), applicant.surname.strip()) if p)
    title = applicant.title.strip() or {
        ApplicantRole.FAMILIARE: "familiare",
        ApplicantRole.RAPPRESENTANTE_LEGALE: "rappresentante legale",
        ApplicantRole.GENITORE: "genitore",
    }.get(applicant.role, "")
    capacity = f"in qualità di {title} di {beneficiary}" if title else f"per {beneficiary}"
    return Addressee(name or beneficiary, capacity, _postal(a))


def _heading(uow: UnitOfWork, actor: Actor, data: WizardData, now: datetime) -> LetterHeading:
    """Inside the caller's ``with uow``."""
    from caseworker_app.documents.letters import LetterHeading

    installation = uow.installation.get()
    letterhead = letterhead_of(installation, office_of(uow.settings))
    operator = uow.operators.get_by_username(actor.username)
    istanza = data.istanza
    submitted = istanza.submitted_at.date() if istanza.submitted_at else data.content.presented_on
    return LetterHeading(
        letterhead=letterhead,
        addressee=_addressee(data),
        place=_comune_name(installation.comune),
        dated=now.date(),
        created=now.replace(microsecond=0),
        protocol=istanza_ref(istanza),
        submitted_on=submitted,
        avviso_title=avviso_of(istanza).title,
        signer_name=(operator.full_name if operator is not None else "") or actor.username,
        signer_qualifica=operator.qualifica if operator is not None else "",
    )


def _audit(uow: UnitOfWork, actor: Actor, entity_type: str, istanza_id: str, now: datetime) -> None:
    with uow:
        audit_log.record(uow, actor=actor, action=AuditAction.PRINT, entity_type=entity_type,
                         entity_id=istanza_id, at=now)  # fmt: skip
        uow.commit()


def _file_name(prefix: str, ref: str) -> str:
    return f"{prefix}_{file_part(ref)}.pdf"


# -- the comunicazione di esito ------------------------------------------------------------------


def _outcome_of(state: IstanzaState, received: ReceivedOutcome | None) -> LetterOutcome | None:
    from caseworker_app.documents.letters import LetterOutcome

    if state in OUTCOME_STATES:
        return LetterOutcome(state.value)
    if received is not None and received.outcome in set(LetterOutcome):
        return LetterOutcome(received.outcome)
    return None


def _reasons(
    outcome: LetterOutcome, received: ReceivedOutcome | None, failed: Sequence[str]
) -> tuple[str, ...]:
    from caseworker_app.documents.letters import LetterOutcome

    reason = received.reason.strip() if received is not None else ""
    label = outcome.value.replace("_", " ")
    told = (reason,) if reason and reason.lower().rstrip(".") != label else ()
    if outcome is LetterOutcome.NON_AMMISSIBILE:
        return tuple(dict.fromkeys([*failed, *(safe_reason(r) for r in told)]))
    if outcome is LetterOutcome.FINANZIATA:
        return ()
    return tuple(safe_reason(r) for r in told)


def _transmitted(data: WizardData) -> bool:
    """The istanza went to the capofila (its outcome is the graduatoria's)."""
    return any(t.to_state is IstanzaState.TRASMESSA for t in data.transitions)


def outcome_letter(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime
) -> PrintedDocument:
    """The comunicazione di esito of the istanza, with a file name without personal data."""
    from caseworker_app.documents.letters import LetterOutcome, OutcomeLetter, render_outcome_letter

    data = load_istanza(uow, actor=actor, istanza_id=istanza_id)
    istanza = data.istanza
    ref = istanza_ref(istanza)
    with uow:
        received = received_outcome(uow, istanza.id)
        heading = _heading(uow, actor, data, now)
    outcome = _outcome_of(istanza.state, received)
    if outcome is None:
        raise UserFacingError("letters.no_outcome", ref=ref,
                              state=istanza.state.value.replace("_", " "))  # fmt: skip
    avviso = avviso_of(istanza)
    evaluation = evaluate(avviso, istanza, data.facts, data.content, on=now.date(), now=now)
    amount = received.amount if received is not None else None
    requested = evaluation.amount
    if amount is None and outcome is LetterOutcome.FINANZIATA:
        amount = evaluation.amount
    if amount is None and outcome is LetterOutcome.FINANZIATA_PARZIALMENTE:
        raise UserFacingError("letters.partial_amount_unknown", ref=ref)
    if outcome is LetterOutcome.FINANZIATA and amount is None:
        raise UserFacingError("letters.no_verdict", ref=ref)
    letter = OutcomeLetter(
        heading=heading,
        outcome=outcome,
        amount=amount,
        requested=requested if outcome is LetterOutcome.FINANZIATA_PARZIALMENTE else None,
        reasons=_reasons(outcome, received, _failed(avviso, evaluation)),
        position=received.position if received is not None else None,
        ranking_number=received.run_number if received is not None else None,
        ranking_date=received.ranked_on if received is not None else None,
        determina=received.determina if received is not None else "",
        determina_date=received.determina_date if received is not None else None,
        ranked=received is not None or _transmitted(data),
    )
    pdf = render_outcome_letter(letter)
    _audit(uow, actor, "lettera_esito", istanza.id, now)
    return PrintedDocument(DocumentKind.ESITO, pdf, _file_name("Esito", ref))


def print_outcome_letter(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime
) -> bytes:
    """The PDF of the comunicazione di esito (:func:`outcome_letter`)."""
    return outcome_letter(uow, actor=actor, istanza_id=istanza_id, now=now).pdf


# -- the preavviso di rigetto --------------------------------------------------------------------


def negative_verification_letter(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, on: date, now: datetime
) -> PrintedDocument:
    """The communication of the negative verification of the requirements on ``on`` (art.
    10-bis L. 241/1990), refused when the verdict is not negative."""
    from caseworker_app.documents.letters import (
        NegativeVerificationLetter,
        render_negative_verification_letter,
    )

    data = load_istanza(uow, actor=actor, istanza_id=istanza_id)
    istanza = data.istanza
    ref = istanza_ref(istanza)
    avviso = avviso_of(istanza)
    evaluation = evaluate(avviso, istanza, data.facts, data.content, on=on, now=now)
    if evaluation.outcome is None:
        raise UserFacingError("letters.no_verdict", ref=ref)
    failed = _failed(avviso, evaluation)
    if evaluation.outcome != "non_ammissibile" and not failed:
        raise UserFacingError("letters.requirements_met", ref=ref)
    from caseworker_app.documents.letters import NOT_ADMITTED_DEFAULT

    with uow:
        heading = _heading(uow, actor, data, now)
    letter = NegativeVerificationLetter(
        heading=heading, reasons=failed or (NOT_ADMITTED_DEFAULT,), verified_on=on
    )
    pdf = render_negative_verification_letter(letter)
    _audit(uow, actor, "preavviso_rigetto", istanza.id, now)
    return PrintedDocument(DocumentKind.PREAVVISO_RIGETTO, pdf, _file_name("Preavviso", ref))


def print_negative_verification_letter(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, on: date, now: datetime
) -> bytes:
    """The PDF of the preavviso di rigetto (:func:`negative_verification_letter`)."""
    return negative_verification_letter(uow, actor=actor, istanza_id=istanza_id, on=on, now=now).pdf
