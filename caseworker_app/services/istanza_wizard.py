"""Use cases of the istanza wizard: choose an avviso, fill the istanza, see the verdict, submit.

The live eligibility panel judges on the UI side with :func:`evaluate` (pure: the avviso, the
case facts loaded once by :func:`load_istanza` and the content as typed). Everything that
touches the store takes a unit of work and is meant for the worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal

from caseworker_app.definitions.avvisi import get_avviso, load_avvisi
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.casefile import HouseholdMember
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.iban import check_iban, compact_iban
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import ALLOWED, Istanza, IstanzaState, Transition
from caseworker_app.domain.istanza_content import (
    ApplicantRole,
    CaseFacts,
    IstanzaContent,
    build_record,
    money,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.avviso import Avviso, CapKind, DocumentsReq, FlagReq, SubmissionReq
from caseworker_app.domain.validation import Severity
from caseworker_app.ports.storage import StoredRecord, UnitOfWork
from caseworker_app.services import audit_log, istanze, judging
from caseworker_app.services.case_facts import read_facts

#: States in which the content may still be changed by the comune.
EDITABLE = frozenset({IstanzaState.BOZZA, IstanzaState.DA_INTEGRARE})

# -- avvisi open on a date ------------------------------------------------------------------


@dataclass(frozen=True)
class AvvisoChoice:
    id: str
    title: str
    opens: date | None
    closes: date | None  # inclusive


def submission_period(avviso: Avviso) -> tuple[date | None, date | None]:
    """When istanze are accepted: the submission requirement's dates; an end left open falls
    back on the avviso's window (a sportello takes istanze while its period runs)."""
    opens: date | None = None
    closes: date | None = None
    for req in avviso.requirements:
        if isinstance(req, SubmissionReq):
            opens, closes = req.opens, req.closes
    if avviso.window is not None:
        opens = opens or avviso.window.start
        closes = closes or avviso.window.end
    return opens, closes


def _choice(avviso: Avviso) -> AvvisoChoice:
    opens, closes = submission_period(avviso)
    return AvvisoChoice(avviso.id, avviso.title, opens, closes)


@dataclass(frozen=True)
class AvvisiOnDate:
    open: tuple[AvvisoChoice, ...]
    #: the avvisi of the comune already closed on the date, the most recent first
    closed: tuple[AvvisoChoice, ...]


def avvisi_on(comune: str, on: date, *, closed_limit: int = 5) -> AvvisiOnDate:
    """The avvisi of the comune's ambito accepting istanze on ``on`` (templates excluded)."""
    open_: list[AvvisoChoice] = []
    closed: list[AvvisoChoice] = []
    for avviso in load_avvisi().values():
        if avviso.template or not avviso.in_ambito(comune, on):
            continue
        choice = _choice(avviso)
        if choice.closes is not None and on > choice.closes:
            closed.append(choice)
        elif choice.opens is None or choice.opens <= on:
            open_.append(choice)
    open_.sort(key=lambda c: c.title)
    closed.sort(key=lambda c: (c.closes or date.min, c.title), reverse=True)
    return AvvisiOnDate(tuple(open_), tuple(closed[:closed_limit]))


# -- document checklist ---------------------------------------------------------------------

_COMMON_DOCUMENTS = (
    "documento_identita",
    "codice_fiscale",
    "isee",
    "verbale_invalidita",
    "certificazione_104",
    "permesso_soggiorno",
    "informativa_privacy",
)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    required: bool


def document_checklist(avviso: Avviso) -> tuple[ChecklistItem, ...]:
    """The avviso's required documents first, then the usual ones (casefile.md), then those
    its interventions call for (receipts for reimbursements, the assistant's papers)."""
    required: list[str] = []
    for req in avviso.requirements:
        if isinstance(req, DocumentsReq):
            required += [c for c in req.required if c not in required]
    optional = [c for c in _COMMON_DOCUMENTS if c not in required]
    if any(i.cap is CapKind.COST for i in avviso.interventions.values()):
        optional.append("spese_quietanzate")
    assistant = any(
        isinstance(r, FlagReq) and r.field == "care.employed_assistant" and r.expected
        for r in avviso.requirements
    ) or any(i.cap is CapKind.PER_MONTH_BY_HOURS for i in avviso.interventions.values())
    if assistant:
        optional += ["contratto_assistente", "buste_paga_assistente"]
    optional = [c for c in optional if c not in required]
    return tuple(ChecklistItem(c, True) for c in required) + tuple(
        ChecklistItem(c, False) for c in optional
    )


# -- loading and saving ---------------------------------------------------------------------


@dataclass(frozen=True)
class WizardData:
    """Everything the wizard shows, read once on the worker."""

    istanza: Istanza
    content: IstanzaContent
    facts: CaseFacts
    household: tuple[HouseholdMember, ...]
    transitions: tuple[Transition, ...]


def start_istanza(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    avviso_id: str,
    presented_on: date,
    now: datetime,
) -> Istanza:
    """A draft istanza of the case to an avviso accepting istanze on ``presented_on``."""
    actor.require(Permission.EDIT_CASES)
    avviso = _avviso(avviso_id)
    if presented_on > now.date():
        raise UserFacingError("wizard.presented_in_future")
    opens, closes = submission_period(avviso)
    if (opens is not None and presented_on < opens) or (
        closes is not None and presented_on > closes
    ):
        raise UserFacingError("wizard.avviso_closed", date=presented_on.strftime("%d/%m/%Y"))
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        comune = case.comune
    if not avviso.in_ambito(comune, presented_on):
        raise UserFacingError("wizard.avviso_not_in_ambito")
    istanza = istanze.create_istanza(uow, actor=actor, case_id=case_id, avviso=avviso_id, now=now)
    content = IstanzaContent(presented_on=presented_on)
    with uow:
        uow.istanze.save_content(istanza.id, content.to_data(), now=now)
        # audited: the event records the content hash of the istanza as saved (audit verify)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="istanza",
                         entity_id=istanza.id, at=now)  # fmt: skip
        uow.commit()
    return istanza


def load_istanza(uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId) -> WizardData:
    actor.require(Permission.READ_CASES)
    with uow:
        istanza = uow.istanze.get(istanza_id)
        if istanza is None:
            raise UserFacingError("istanza.not_found")
        case = uow.cases.get(istanza.case_id)
        if case is None:
            raise UserFacingError("case.not_found")
        content = IstanzaContent.from_data(uow.istanze.content(istanza_id))
        facts = read_facts(uow, istanza.case_id)
        return WizardData(
            istanza,
            content,
            facts,
            tuple(case.household),
            tuple(uow.istanze.transitions(istanza_id)),
        )


def save_content(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza_id: IstanzaId,
    content: IstanzaContent,
    now: datetime,
) -> None:
    """Autosave of the wizard (audited as an update of the istanza)."""
    actor.require(Permission.EDIT_CASES)
    with uow:
        istanza = uow.istanze.get(istanza_id)
        if istanza is None:
            raise UserFacingError("istanza.not_found")
        if istanza.state not in EDITABLE:
            raise UserFacingError("wizard.not_editable", state=istanza.state.value)
        uow.istanze.save_content(istanza_id, content.to_data(), now=now)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="istanza",
                         entity_id=istanza_id, at=now)  # fmt: skip
        uow.commit()


def save_isee(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: CaseId,
    record_id: str,
    attestation: IseeAttestation,
    now: datetime,
) -> None:
    """Add (or correct) an ISEE attestation of the case, typed in the wizard."""
    actor.require(Permission.EDIT_CASES)
    if any(i.severity is Severity.ERROR for i in attestation.issues()):
        raise UserFacingError("wizard.isee_invalid")
    with uow:
        existed = uow.records.get(record_id) is not None
        uow.records.put(StoredRecord(record_id, case_id, IseeAttestation.KIND,
                                     attestation.to_data(), now, actor.username))  # fmt: skip
        audit_log.record(uow, actor=actor,
                         action=AuditAction.UPDATE if existed else AuditAction.CREATE,
                         entity_type="isee", entity_id=record_id, at=now)  # fmt: skip
        uow.commit()


# -- the verdict ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    code: str
    status: str  # ok | ko | warning | pending
    message: str


@dataclass(frozen=True)
class LineRow:
    code: str
    requested: Decimal
    granted: Decimal
    status: str
    message: str


@dataclass(frozen=True)
class Evaluation:
    """The engine's verdict in plain values; ``outcome`` is None while facts are missing."""

    checks: tuple[CheckRow, ...]
    lines: tuple[LineRow, ...]
    outcome: str | None
    amount: Decimal | None
    priority_class: int | None
    gaps: tuple[str, ...]  # message codes (eligibility.*)


def evaluate(
    avviso: Avviso,
    istanza: Istanza,
    facts: CaseFacts,
    content: IstanzaContent,
    *,
    on: date,
    now: datetime,
) -> Evaluation:
    """Pure and fast (well under a millisecond): the live panel calls it on every change."""
    record, gaps = build_record(istanza, facts, content, now=now)
    codes = tuple(dict.fromkeys(g.code for g in gaps))
    if record is None:
        return Evaluation((), (), None, None, None, codes)
    verdict = judging.check_record(avviso=avviso, record=record, on=on)
    return Evaluation(
        checks=tuple(CheckRow(c.code, c.status.value, c.message) for c in verdict.checks),
        lines=tuple(
            LineRow(ln.code, ln.requested, ln.granted, ln.status.value, ln.message)
            for ln in verdict.lines
        ),
        outcome=verdict.outcome.value,
        amount=verdict.amount,
        priority_class=verdict.priority_class,
        gaps=codes,
    )


# -- presentation and state changes ----------------------------------------------------------


def check_ready(content: IstanzaContent) -> None:
    """Refuse (with what to do) an istanza that cannot be presented yet."""
    missing = content.missing_declarations()
    if missing:
        raise UserFacingError("wizard.declarations_missing", count=len(missing))
    applicant = content.applicant
    if applicant.role is not ApplicantRole.BENEFICIARIO:
        if not applicant.surname.strip() or not applicant.given_name.strip():
            raise UserFacingError("wizard.applicant_missing")
        if not applicant.title.strip():
            raise UserFacingError("wizard.applicant_title_missing")
    unreadable = [d for d in content.documents if d.typed]
    if unreadable:
        raise UserFacingError("wizard.document_date_invalid", count=len(unreadable))
    if not content.requests:
        raise UserFacingError("wizard.no_requests")
    if any(
        money(r.amount) is None or r.start is None or r.end is None or r.end < r.start
        for r in content.requests
    ):
        raise UserFacingError("wizard.requests_incomplete")
    issues = check_iban(content.iban, content.iban_holder, required=content.needs_iban())
    if issues:
        raise UserFacingError(issues[0].code)


def submit(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza_id: IstanzaId,
    content: IstanzaContent,
    now: datetime,
) -> Istanza:
    """Check the content, save it, then present the istanza: the protocol number of the
    comune's sequence for the year of presentation and the timestamp."""
    actor.require(Permission.EDIT_CASES)
    check_ready(content)
    content = replace(content, iban=compact_iban(content.iban))
    presented_on = content.presented_on or now.date()
    if presented_on > now.date():
        raise UserFacingError("wizard.presented_in_future")
    # A paper istanza registered on a later day carries its day only, not an invented time.
    submitted_at = now if presented_on == now.date() else datetime.combine(presented_on, time())
    save_content(uow, actor=actor, istanza_id=istanza_id, content=content, now=now)
    return istanze.submit_istanza(
        uow, actor=actor, istanza_id=istanza_id, submitted_at=submitted_at, now=now
    )


def next_states(state: IstanzaState) -> tuple[IstanzaState, ...]:
    """Where an istanza may go from ``state`` by a recorded decision (presentation is done by
    :func:`submit`, which assigns the protocol; ``trasmessa`` by writing the transmission file,
    ``services.transmissions``)."""
    by_others = (IstanzaState.PRESENTATA, IstanzaState.TRASMESSA)
    return tuple(s for s in IstanzaState if s in ALLOWED[state] and s not in by_others)


def change_state(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza_id: IstanzaId,
    target: IstanzaState,
    reason: str,
    now: datetime,
) -> Istanza:
    actor.require(Permission.EDIT_CASES)
    if not reason.strip():
        raise UserFacingError("wizard.reason_required")
    if target is IstanzaState.PRESENTATA:
        raise UserFacingError("istanza.protocol_required")
    with uow:
        istanza = uow.istanze.get(istanza_id)
    if istanza is None:
        raise UserFacingError("istanza.not_found")
    return istanze.move_istanza(
        uow, actor=actor, istanza=istanza, target=target, reason=reason.strip(), now=now
    )


def history(uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId) -> list[Transition]:
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.istanze.transitions(istanza_id)


def _avviso(avviso_id: str) -> Avviso:
    try:
        return get_avviso(avviso_id)
    except UserFacingError:
        raise UserFacingError("wizard.avviso_unknown", avviso=avviso_id) from None


def avviso_of(istanza: Istanza) -> Avviso:
    return _avviso(istanza.avviso)


def interventions(avviso: Avviso) -> Mapping[str, str]:
    """Code -> label of the interventions an istanza to ``avviso`` may request."""
    return {code: i.label for code, i in avviso.interventions.items()}
