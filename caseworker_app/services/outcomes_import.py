"""Use case of the comune: import the outcomes (*esiti*) the capofila sent (issue 13,
docs/transfer-format.md §12).

A file of kind ``esiti`` is checked in this order, and the first failure refuses it whole, with
nothing written: it is signed by the capofila keys pinned here (from the ambito package); it is
addressed to this installation and to this comune; ``esiti.json`` reads strictly; it is not a
provisional run's; every line names an istanza this comune sent, in a version it sent (and the
capofila did not reject); it is not stale (an older run than an approved one held, or a run not
approved older than any held) and does not contradict what was imported of the same run.

Then, for a run approved by its determina, each istanza moves to its outcome's state
(``finanziata``, ``finanziata_parzialmente``, ``ammessa_non_finanziata``, ``non_ammissibile``:
from ``trasmessa``, or from an earlier run's outcome), audited, with the determina and the
reason in its history, and its transmission state becomes ``esito_ricevuto``. An istanza already
past its outcome (in erogazione, closed) keeps its state: its new outcome is recorded all the
same. Outcomes of a run not approved yet are recorded as *non definitivi* and move nothing.
Each istanza's outcome is kept (position, outcome, amount, reason) for its letters.

The same file twice, or another copy of the same run, changes nothing ("già importato").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.istanza import (
    OUTCOME_STATES,
    IstanzaState,
    outcome_transition,
)
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.outcomes import (
    KIND,
    MEMBER,
    STATE_OF,
    IstanzaOutcome,
    OutcomeLine,
    Outcomes,
    ReceivedOutcomes,
    Standing,
    standing,
)
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.domain.transmission import SentItem, TransmissionState
from caseworker_app.messages import render
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import audit_log
from caseworker_app.services.ambito_packages import pinned_capofila
from caseworker_app.services.transfer_parties import own_fingerprints, same_keys
from caseworker_app.transfer.outcomes_json import check_outcomes_payload, read_outcomes
from caseworker_app.transfer.sealed import Envelope

__all__ = [
    "AUDIT_ENTITY",
    "ImportedOutcomes",
    "OutcomeApplied",
    "current_outcome",
    "import_outcomes_envelope",
    "istanza_outcomes",
]

#: the audit entity of a file of outcomes imported (entity id: its transmission UUID)
AUDIT_ENTITY = "esiti"
ISTANZA_ENTITY = "istanza"


@dataclass(frozen=True)
class OutcomeApplied:
    """One istanza of the file, and where it stands after the import."""

    istanza_id: str
    comune: str
    protocol: str
    outcome: Funding
    amount: Decimal
    reason: str
    state: IstanzaState  # the istanza's state now
    moved: bool  # its state changed with this file


@dataclass(frozen=True)
class ImportedOutcomes:
    file: str
    transmission: str  # the file's UUID
    avviso: str
    comune: str
    run_id: str
    run_number: int
    approved: bool  # False: outcomes "non definitivi", no state moved
    determina: str | None
    already_imported: bool
    istanze: tuple[OutcomeApplied, ...]

    @property
    def moved(self) -> int:
        return sum(i.moved for i in self.istanze)


def import_outcomes_envelope(
    uow: UnitOfWork, *, actor: Actor, envelope: Envelope, now: datetime
) -> ImportedOutcomes:
    """See the module docstring; inside the caller's open unit of work, committed here."""
    actor.require(Permission.TRANSMIT)
    file = envelope.file
    installation = uow.installation.get()
    if installation.role != "comune":
        raise UserFacingError("outcomes.not_comune", file=file)
    capofila = pinned_capofila(uow, installation)
    if capofila is None:
        raise UserFacingError("transmission.no_capofila_key")
    if not same_keys(capofila.bundle, envelope.sender):
        raise UserFacingError(
            "outcomes.unknown_sender", file=file, fingerprint=capofila.fingerprint.display
        )
    sealed = envelope.verify(
        transfer_keys.load_signing_public(capofila.bundle.signing_public), kinds={KIND}
    )
    check_outcomes_payload(sealed.manifest.payload, file=file)
    if sealed.manifest.recipient.fingerprint not in own_fingerprints(uow):
        raise UserFacingError("outcomes.not_for_us", file=file)
    if set(sealed.names) != {MEMBER}:
        raise UserFacingError("outcomes.invalid", file=file, field="members")
    outcomes = read_outcomes(sealed.read(MEMBER), file=file)
    if outcomes.provisional:
        raise UserFacingError("outcomes.provisional_refused", file=file)
    if outcomes.comune != installation.comune:
        raise UserFacingError("outcomes.other_comune", file=file, comune=outcomes.comune)
    items = _items(uow, outcomes, file)

    same = uow.outcomes.received_by_manifest(sealed.manifest_sha256)
    held = uow.outcomes.received_of(outcomes.avviso, outcomes.comune)
    transmission = str(sealed.manifest.transmission)
    found = Standing.SAME if same is not None else standing(outcomes, [h.outcomes for h in held])
    if found is Standing.NEW and any(h.id == transmission for h in held):
        found = Standing.CONFLICT  # the UUID of a file imported before, with other content
    if found is Standing.STALE:
        newest = max(h.outcomes.run_number for h in held)
        raise UserFacingError("outcomes.stale", file=file, number=outcomes.run_number, held=newest)
    if found is Standing.CONFLICT:
        raise UserFacingError("outcomes.conflict", file=file, number=outcomes.run_number)
    if found is Standing.SAME:
        return _result(uow, file, transmission, outcomes, items, already=True, moved=set())

    moved: set[str] = set()
    if outcomes.approved:
        for line in outcomes.lines:
            item = items[line.ident]
            if _apply(uow, actor, item, line, outcomes, now):
                moved.add(item.istanza_id)
            uow.transmissions.update_item(
                item.transmission,
                item.istanza_id,
                state=TransmissionState.ESITO_RICEVUTO,
                reason=line.reason,
                at=now,
            )
    uow.outcomes.add_received(
        ReceivedOutcomes(
            id=transmission,
            file_name=file,
            manifest_sha256=sealed.manifest_sha256,
            capofila=sealed.manifest.sender.installation,
            outcomes=outcomes,
            imported_at=now,
            imported_by=actor.username,
            istanze=tuple((items[ln.ident].istanza_id, ln) for ln in outcomes.lines),
        )
    )
    audit_log.record(
        uow,
        actor=actor,
        action=AuditAction.IMPORT,
        entity_type=AUDIT_ENTITY,
        entity_id=transmission,
        at=now,
    )
    uow.commit()
    return _result(uow, file, transmission, outcomes, items, already=False, moved=moved)


def _items(uow: UnitOfWork, outcomes: Outcomes, file: str) -> dict[tuple[str, str], SentItem]:
    """The sent item of each line's istanza in the version the line names; the whole file is
    refused at the first line naming an istanza not sent from here in that version, or one the
    capofila rejected."""
    by_ident = {(i.comune, i.protocol): i for i in uow.transmissions.latest_items().values()}
    found: dict[tuple[str, str], SentItem] = {}
    for line in outcomes.lines:
        latest = by_ident.get(line.ident)
        item = None
        if latest is not None and line.version <= latest.version:
            item = next(
                (
                    i
                    for i in uow.transmissions.items_of_istanza(latest.istanza_id)
                    if i.version == line.version
                ),
                None,
            )
        if item is None or item.state is TransmissionState.RESPINTA:
            raise UserFacingError("outcomes.inconsistent", file=file, istanza=line.protocol)
        found[line.ident] = item
    return found


def _apply(
    uow: UnitOfWork,
    actor: Actor,
    item: SentItem,
    line: OutcomeLine,
    outcomes: Outcomes,
    now: datetime,
) -> bool:
    """Move the istanza to its outcome's state; ``False`` when it is there already, or past its
    outcome (in erogazione, closed: the new outcome is recorded, the state kept)."""
    istanza = uow.istanze.get(IstanzaId(item.istanza_id))
    target = STATE_OF.get(line.outcome)
    if istanza is None or target is None or istanza.state is target:
        return False
    if istanza.state is not IstanzaState.TRASMESSA and istanza.state not in OUTCOME_STATES:
        return False
    day = outcomes.determina_date
    why = render(
        "outcomes.transition_reason",
        {
            "number": outcomes.run_number,
            "determina": outcomes.determina or "",
            "day": "" if day is None else day.strftime("%d/%m/%Y"),
            "reason": line.reason or render(f"outcomes.label.{line.outcome.value}"),
        },
    )
    moved, change = outcome_transition(istanza, target, operator=actor.username, reason=why, at=now)
    uow.istanze.record_transition(moved, change)
    audit_log.record(
        uow,
        actor=actor,
        action=AuditAction.UPDATE,
        entity_type=ISTANZA_ENTITY,
        entity_id=istanza.id,
        at=now,
    )
    return True


def _result(
    uow: UnitOfWork,
    file: str,
    transmission: str,
    outcomes: Outcomes,
    items: dict[tuple[str, str], SentItem],
    *,
    already: bool,
    moved: set[str],
) -> ImportedOutcomes:
    applied = []
    for line in outcomes.lines:
        item = items[line.ident]
        istanza = uow.istanze.get(IstanzaId(item.istanza_id))
        applied.append(
            OutcomeApplied(
                istanza_id=item.istanza_id,
                comune=line.comune,
                protocol=line.protocol,
                outcome=line.outcome,
                amount=line.amount,
                reason=line.reason,
                state=IstanzaState.TRASMESSA if istanza is None else istanza.state,
                moved=item.istanza_id in moved,
            )
        )
    return ImportedOutcomes(
        file=file,
        transmission=transmission,
        avviso=outcomes.avviso,
        comune=outcomes.comune,
        run_id=outcomes.run_id,
        run_number=outcomes.run_number,
        approved=outcomes.approved,
        determina=outcomes.determina,
        already_imported=already,
        istanze=tuple(applied),
    )


# -- what the comune's pages and letters read ------------------------------------------------


def istanza_outcomes(uow: UnitOfWork, *, actor: Actor, istanza_id: str) -> list[IstanzaOutcome]:
    """Every outcome received for the istanza, the oldest run first."""
    actor.require(Permission.READ_CASES)
    with uow:
        return uow.outcomes.of_istanza(istanza_id)


def current_outcome(uow: UnitOfWork, *, actor: Actor, istanza_id: str) -> IstanzaOutcome | None:
    """The istanza's outcome the letters print: the latest of an approved run (else the latest
    received, *non definitivo*: ``approved`` says which); ``None`` when none came."""
    found = istanza_outcomes(uow, actor=actor, istanza_id=istanza_id)
    approved = [o for o in found if o.approved]
    chosen = approved or found
    return chosen[-1] if chosen else None
