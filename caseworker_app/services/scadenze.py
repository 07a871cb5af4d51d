"""Deadlines (scadenze) across the case files, for the Scadenze view.

One row per thing to do by a date:

- a document promised by the applicant and not received (``document``; target: document id);
- a document promised in an istanza's checklist and not received while the istanza can still
  be completed (``istanza_document``; target: istanza id, ``params["document"]`` its code);
- an istanza ``ammissibile`` or ``valutata`` to transmit to the capofila before the avviso's
  ``transmission_until`` (``transmission``; target: istanza id);
- an ISEE attestation expiring within ``ISEE_NOTICE_DAYS`` or expired, when the case has no
  later one of the same type (``isee``; target: ISEE record id);
- a check (*verifica*) of the latest PI version not done yet (``verifica``; target: istanza id);
- the backup, once the reminder is due (``backup``, always overdue; no case, no target).

Rows carry a message code and parameters (services hold no UI text); the only personal data
are the surname and name of the person the case is about.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.pi import PiContent, PiVersion
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log

ISEE_NOTICE_DAYS = 60
SOON_DAYS = 30
#: expired ISEE attestations older than this are history, not a deadline
ISEE_FORGET_DAYS = 365
TO_TRANSMIT = frozenset({IstanzaState.AMMISSIBILE, IstanzaState.VALUTATA})
#: istanze whose promised documents are still awaited (a draft's promises count too)
AWAITING_DOCUMENTS = frozenset(
    {IstanzaState.BOZZA, IstanzaState.PRESENTATA, IstanzaState.IN_ISTRUTTORIA,
     IstanzaState.DA_INTEGRARE}
)  # fmt: skip


class ScadenzaKind(enum.StrEnum):
    DOCUMENT = "document"
    ISTANZA_DOCUMENT = "istanza_document"
    TRANSMISSION = "transmission"
    ISEE = "isee"
    VERIFICA = "verifica"
    BACKUP = "backup"


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


@dataclass(frozen=True)
class Scadenza:
    due: date
    kind: ScadenzaKind
    code: str  # message code of the description (messages/scadenze.py)
    params: Mapping[str, str] = field(default_factory=dict)
    case_id: str = ""
    target_id: str = ""
    urgency: Urgency = Urgency.LATER


def urgency_of(due: date, today: date, *, soon_days: int = SOON_DAYS) -> Urgency:
    if due < today:
        return Urgency.OVERDUE
    if due <= today + timedelta(days=soon_days):
        return Urgency.SOON
    return Urgency.LATER


def backup_due(last_backup_at: datetime | None, reminder_days: int, today: date) -> date:
    """When the next backup is due: at once if there never was one."""
    if last_backup_at is None:
        return today
    return last_backup_at.date() + timedelta(days=reminder_days)


class _Names:
    """Surname and name of the person of a case, read once per case."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.known: dict[str, str] = {}

    def of(self, case_id: str) -> str:
        if case_id not in self.known:
            case = self.uow.cases.get(CaseId(case_id))
            a = case.anagrafica if case is not None else None
            parts = (a.surname, a.given_name) if a is not None else ()
            self.known[case_id] = " ".join(p for p in parts if p)
        return self.known[case_id]


def _documents(uow: UnitOfWork, names: _Names) -> Iterator[Scadenza]:
    for doc in uow.documents.promised():
        if doc.promised_by is None or doc.received_on is not None:
            continue
        yield Scadenza(doc.promised_by, ScadenzaKind.DOCUMENT, "scadenze.document",
                       {"document": doc.doc_type, "title": doc.title,
                        "person": names.of(doc.case_id)},
                       doc.case_id, doc.id)  # fmt: skip


def _istanza_documents(uow: UnitOfWork) -> Iterator[Scadenza]:
    for row in uow.istanze.list():
        if row.state not in AWAITING_DOCUMENTS:
            continue
        content = IstanzaContent.from_data(uow.istanze.content(row.istanza_id))
        awaited = [d for d in content.documents if d.promised_by and d.received_on is None]
        if not awaited:
            continue
        istanza = uow.istanze.get(row.istanza_id)
        if istanza is None:
            continue
        person = " ".join(p for p in (row.surname, row.given_name) if p)
        for doc in awaited:
            assert doc.promised_by is not None
            yield Scadenza(doc.promised_by, ScadenzaKind.ISTANZA_DOCUMENT,
                           "scadenze.istanza_document",
                           {"document": doc.code, "protocol": row.protocol or "",
                            "person": person},
                           istanza.case_id, row.istanza_id)  # fmt: skip


def _avviso_deadline(
    avviso_id: str, cache: dict[str, tuple[date | None, str]]
) -> tuple[date | None, str]:
    if avviso_id not in cache:
        try:
            avviso = get_avviso(avviso_id)
            cache[avviso_id] = (avviso.transmission_until, avviso.title)
        except (UserFacingError, KeyError, ValueError):  # an avviso no longer installed
            cache[avviso_id] = (None, avviso_id)
    return cache[avviso_id]


def _transmissions(uow: UnitOfWork) -> Iterator[Scadenza]:
    avvisi: dict[str, tuple[date | None, str]] = {}
    for row in uow.istanze.list():
        if row.state not in TO_TRANSMIT:
            continue
        until, title = _avviso_deadline(row.avviso, avvisi)
        if until is None:
            continue
        istanza = uow.istanze.get(row.istanza_id)
        if istanza is None:
            continue
        person = " ".join(p for p in (row.surname, row.given_name) if p)
        yield Scadenza(until, ScadenzaKind.TRANSMISSION, "scadenze.transmission",
                       {"avviso": title, "protocol": row.protocol or "", "person": person},
                       istanza.case_id, row.istanza_id)  # fmt: skip


def _isee(uow: UnitOfWork, names: _Names, today: date) -> Iterator[Scadenza]:
    latest: dict[tuple[str, str], tuple[date, str]] = {}
    for record in uow.records.of_kind(IseeAttestation.KIND):
        attestation = IseeAttestation.from_data(record.data)
        end = attestation.validity_end()
        if end is None:
            continue
        key = (record.case_id, attestation.isee_type)
        if key not in latest or latest[key][0] < end:
            latest[key] = (end, record.id)
    notice = today + timedelta(days=ISEE_NOTICE_DAYS)
    forget = today - timedelta(days=ISEE_FORGET_DAYS)
    for (case_id, isee_type), (end, record_id) in latest.items():
        if forget <= end <= notice:
            yield Scadenza(end, ScadenzaKind.ISEE, "scadenze.isee",
                           {"isee_type": isee_type, "person": names.of(case_id)},
                           case_id, record_id)  # fmt: skip


def _verifiche_of(version: PiVersion) -> Iterator[date]:
    """The verifiche planned in the PI's monitoring section. A check stays listed until a new
    version of the PI records its outcome and the next dates."""
    yield from PiContent.from_data(version.content).monitoring.checks


def _verifiche(uow: UnitOfWork, names: _Names) -> Iterator[Scadenza]:
    for version in uow.pi.latest_all():
        dates = sorted(set(_verifiche_of(version)))
        if not dates:
            continue
        istanza = uow.istanze.get(IstanzaId(version.istanza_id))
        if istanza is None:
            continue
        for day in dates:
            yield Scadenza(day, ScadenzaKind.VERIFICA, "scadenze.verifica",
                           {"version": str(version.number), "protocol": istanza.protocol or "",
                            "person": names.of(istanza.case_id)},
                           istanza.case_id, version.istanza_id)  # fmt: skip


def list_scadenze(
    uow: UnitOfWork,
    *,
    actor: Actor,
    today: date,
    last_backup_at: datetime | None,
    backup_reminder_days: int,
    now: datetime,
) -> list[Scadenza]:
    """Every deadline, soonest first; the urgency is judged on ``today``."""
    actor.require(Permission.READ_CASES)
    with uow:
        names = _Names(uow)
        rows = [*_documents(uow, names), *_istanza_documents(uow), *_transmissions(uow),
                *_isee(uow, names, today), *_verifiche(uow, names)]  # fmt: skip
        audit_log.record(uow, actor=actor, action=AuditAction.READ, entity_type="scadenze",
                         entity_id="*", at=now)  # fmt: skip
        uow.commit()
    due = backup_due(last_backup_at, backup_reminder_days, today)
    backup: list[Scadenza] = []
    if due <= today:  # as the reminder banner: due on the day the reminder fires
        days = {"days": str(backup_reminder_days)}
        backup.append(Scadenza(due, ScadenzaKind.BACKUP, "scadenze.backup", days,
                               urgency=Urgency.OVERDUE))  # fmt: skip
    judged = [replace(r, urgency=urgency_of(r.due, today)) for r in rows] + backup
    judged.sort(key=lambda r: (r.due, r.kind.value, r.case_id, r.target_id))
    return judged
