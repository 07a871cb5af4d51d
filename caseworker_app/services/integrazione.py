"""The integrazione documentale: documents that arrive after an istanza was presented.

Once presented, an istanza's content is frozen, except for its document checklist: a document
the applicant promised is marked received here (with its date and, optionally, the scan in the
case's *Documenti* that proves it). The istanza is then judged again, on the day, and its state
follows the verdict where the verdict decides it (interchange.md §2):

- a document still awaited before its deadline keeps (or puts) the istanza ``da_integrare``;
- once every document is in and the rules admit it, a ``da_integrare`` istanza becomes
  ``ammissibile``;
- a promised document missing past its deadline makes the istanza ``non_ammissibile``.

Every change is audited and recorded in the istanza's history with the engine's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import DocumentId, IstanzaId
from caseworker_app.domain.istanza import Istanza, IstanzaState, can_transition, transition
from caseworker_app.domain.istanza_content import DocumentCheck, IstanzaContent
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.calendar import format_it
from caseworker_app.domain.rules.labels import DOCUMENTS, label
from caseworker_app.messages import render
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.istanza_wizard import (
    Evaluation,
    WizardData,
    avviso_of,
    document_checklist,
    evaluate,
    load_istanza,
    submit,
)

#: States in which a document can still arrive and change the verdict.
RECEIVABLE = frozenset(
    {IstanzaState.PRESENTATA, IstanzaState.IN_ISTRUTTORIA, IstanzaState.DA_INTEGRARE}
)


@dataclass(frozen=True)
class ChecklistLine:
    """One line of an istanza's documents: the avviso's checklist, plus any other document the
    istanza records (kept even when the avviso does not list it)."""

    code: str
    required: bool
    status: str  # received | awaited | lapsed | missing | absent
    received_on: date | None = None
    promised_by: date | None = None
    scan_id: str = ""
    scan_title: str = ""


@dataclass(frozen=True)
class IstanzaReview:
    """What the istanza detail shows: the data, the verdict on ``on`` and the documents."""

    data: WizardData
    evaluation: Evaluation
    checklist: tuple[ChecklistLine, ...]
    #: the case's documents that hold a scan, which a checklist line may point to
    scans: tuple[Document, ...]
    #: the state the verdict calls for, when it is not the istanza's (None: nothing to apply)
    follow: IstanzaState | None
    on: date


def line_status(check: DocumentCheck | None, *, on: date) -> str:
    if check is None:
        return "absent"
    if check.received_on is not None and check.received_on <= on:
        return "received"
    if check.promised_by is not None:
        return "awaited" if on <= check.promised_by else "lapsed"
    return "missing"


def checklist_of(
    data: WizardData, scans: dict[str, Document], *, on: date
) -> tuple[ChecklistLine, ...]:
    by_code = {d.code: d for d in data.content.documents}
    items = document_checklist(avviso_of(data.istanza))
    codes = [(i.code, i.required) for i in items]
    known = {c for c, _ in codes}
    codes += [(d.code, False) for d in data.content.documents if d.code not in known]
    lines: list[ChecklistLine] = []
    for code, required in codes:
        check = by_code.get(code)
        status = line_status(check, on=on)
        if status == "absent" and required:
            status = "missing"
        scan = scans.get(check.scan_id) if check is not None and check.scan_id else None
        lines.append(
            ChecklistLine(
                code,
                required,
                status,
                check.received_on if check else None,
                check.promised_by if check else None,
                check.scan_id if check else "",
                (scan.title or label(DOCUMENTS, scan.doc_type)) if scan is not None else "",
            )
        )
    return tuple(lines)


def state_for(outcome: str | None, current: IstanzaState) -> IstanzaState | None:
    """The state the verdict calls for, or None when the verdict leaves it to the worker."""
    if current not in RECEIVABLE or outcome is None:
        return None
    if outcome == "non_ammissibile":
        target = IstanzaState.NON_AMMISSIBILE
    elif outcome == "da_integrare":
        target = IstanzaState.DA_INTEGRARE
    elif outcome == "ammissibile" and current is IstanzaState.DA_INTEGRARE:
        target = IstanzaState.AMMISSIBILE
    else:
        return None
    return target if target is not current and can_transition(current, target) else None


def _review(uow: UnitOfWork, data: WizardData, *, now: datetime) -> IstanzaReview:
    """Inside the caller's ``with uow``."""
    on = now.date()
    scans: dict[str, Document] = {
        d.id: d for d in uow.documents.of_case(data.istanza.case_id) if d.has_content
    }
    evaluation = evaluate(avviso_of(data.istanza), data.istanza, data.facts, data.content,
                          on=on, now=now)  # fmt: skip
    return IstanzaReview(
        data,
        evaluation,
        checklist_of(data, scans, on=on),
        tuple(sorted(scans.values(), key=lambda d: (d.doc_type, d.title, d.id))),
        state_for(evaluation.outcome, data.istanza.state),
        on,
    )


def review_istanza(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime
) -> IstanzaReview:
    """The istanza, judged on ``now``'s day, with its documents (read only)."""
    data = load_istanza(uow, actor=actor, istanza_id=istanza_id)
    with uow:
        return _review(uow, data, now=now)


def verdict_reason(evaluation: Evaluation) -> str:
    """The engine's words for an automatic change of state: the checks that decide it."""
    decisive = [c.message for c in evaluation.checks if c.status == "ko"]
    if not decisive:
        decisive = [c.message for c in evaluation.checks if c.status == "pending"]
    outcome = render(f"integrazione.outcome.{evaluation.outcome}")
    return " ".join([outcome, *decisive]).strip()


def _apply(
    uow: UnitOfWork, *, actor: Actor, istanza: Istanza, review: IstanzaReview, prefix: str,
    now: datetime,
) -> Istanza:  # fmt: skip
    """Inside the caller's ``with uow``: move the istanza as the verdict says (if it says)."""
    if review.follow is None:
        return istanza
    reason = " ".join(p for p in (prefix, verdict_reason(review.evaluation)) if p)
    moved, change = transition(istanza, review.follow, operator=actor.username, reason=reason,
                               at=now)  # fmt: skip
    uow.istanze.record_transition(moved, change)
    audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="istanza",
                     entity_id=istanza.id, at=now)  # fmt: skip
    return moved


def receive_document(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza_id: IstanzaId,
    code: str,
    received_on: date,
    scan_id: str = "",
    now: datetime,
) -> IstanzaReview:
    """Mark a document of a presented istanza as received; judge the istanza again and move it
    as the verdict says. Returns the istanza as it now stands."""
    actor.require(Permission.EDIT_CASES)
    if not code:
        raise UserFacingError("integrazione.document_required")
    if received_on > now.date():
        raise UserFacingError("integrazione.received_in_future")
    data = load_istanza(uow, actor=actor, istanza_id=istanza_id)
    istanza = data.istanza
    if istanza.state not in RECEIVABLE:
        raise UserFacingError("integrazione.not_receivable", state=istanza.state.value)
    if istanza.submitted_at is not None and received_on < istanza.submitted_at.date():
        raise UserFacingError("integrazione.received_before_submission",
                              date=format_it(istanza.submitted_at.date()))  # fmt: skip
    with uow:
        if scan_id:
            scan = uow.documents.get(DocumentId(scan_id))
            if scan is None or scan.case_id != istanza.case_id or not scan.has_content:
                raise UserFacingError("integrazione.scan_unknown")
        content = _with_received(data.content, code, received_on, scan_id)
        uow.istanze.save_content(istanza.id, content.to_data(), now=now)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="istanza",
                         entity_id=istanza.id, at=now)  # fmt: skip
        updated = replace(data, content=content)
        review = _review(uow, updated, now=now)
        what = {"document": label(DOCUMENTS, code), "date": format_it(received_on)}
        prefix = render("integrazione.reason_received", what)
        moved = _apply(uow, actor=actor, istanza=istanza, review=review, prefix=prefix, now=now)
        uow.commit()
    if moved is istanza:
        return review
    return review_istanza(uow, actor=actor, istanza_id=istanza_id, now=now)


def present_istanza(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza_id: IstanzaId,
    content: IstanzaContent,
    now: datetime,
) -> Istanza:
    """Present the istanza (protocol and timestamp, :func:`istanza_wizard.submit`); when a
    document is still promised, it is then ``da_integrare`` until the document arrives
    (casefile.md), recorded with the engine's words. A negative verdict is left to the worker."""
    presented = submit(uow, actor=actor, istanza_id=istanza_id, content=content, now=now)
    data = load_istanza(uow, actor=actor, istanza_id=istanza_id)
    with uow:
        review = _review(uow, data, now=now)
        if review.follow is not IstanzaState.DA_INTEGRARE:
            return presented
        moved = _apply(uow, actor=actor, istanza=data.istanza, review=review, prefix="",
                       now=now)  # fmt: skip
        uow.commit()
    return moved


def apply_verdict(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime
) -> IstanzaReview:
    """Record the state the verdict calls for (e.g. ``non_ammissibile`` once a promised
    document's deadline has passed); nothing changes when the verdict leaves it open."""
    actor.require(Permission.EDIT_CASES)
    data = load_istanza(uow, actor=actor, istanza_id=istanza_id)
    with uow:
        review = _review(uow, data, now=now)
        if review.follow is None:
            return review
        _apply(uow, actor=actor, istanza=data.istanza, review=review, prefix="", now=now)
        uow.commit()
    return review_istanza(uow, actor=actor, istanza_id=istanza_id, now=now)


def _with_received(
    content: IstanzaContent, code: str, received_on: date, scan_id: str
) -> IstanzaContent:
    documents = list(content.documents)
    for index, doc in enumerate(documents):
        if doc.code == code:
            documents[index] = replace(doc, received_on=received_on, scan_id=scan_id)
            break
    else:
        documents.append(DocumentCheck(code, received_on=received_on, scan_id=scan_id))
    return replace(content, documents=tuple(documents))
