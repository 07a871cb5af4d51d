"""Use case of the capofila: the outcomes (*esiti*) of a run, one sealed file per comune
(issue 13, docs/transfer-format.md §12).

:func:`write_outcomes` writes, for every comune with istanze in the run, one file of kind
``esiti``: signed with the capofila's key, encrypted to the installation of that comune (the
keys pinned at the capofila when its first istruttorie were imported) and to the capofila
itself, holding per istanza its position, outcome, amount and reason, and the run's identity
(avviso, run id, number and SHA-256, the determina). The files are named after the capofila,
the avviso, the run's number and the comune (never personal data), written 0600 and atomically.

All or nothing: every comune's key is found before anything is written, and on a failure or a
cancel the files written by the call are removed and nothing is recorded. The capofila keeps each
file it wrote: asked again for the same run, comune and key, it gives back the very same file
(so that the comune importing both sees "già importato"); a different file already at the name
is never overwritten. A run not approved yet is written with ``approved: false`` (the comune
records the outcomes as *non definitivi* and moves no state); a provisional run is refused.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker_app import __version__, fsutil
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import PeerKey, PeerKeyStatus
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.outcomes import (
    KIND,
    MEMBER,
    IssuedOutcomes,
    OutcomeLine,
    Outcomes,
    file_name,
)
from caseworker_app.domain.progress import Progress, step
from caseworker_app.domain.ranking_run import RunRow, StoredRun
from caseworker_app.domain.roles import Permission
from caseworker_app.messages import render
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.security import transfer_keys
from caseworker_app.services import audit_log
from caseworker_app.services.transfer_parties import aware, local, own_party
from caseworker_app.transfer.outcomes_json import MAX_REASON, outcomes_json, outcomes_payload
from caseworker_app.transfer.sealed import RecipientRef, write_sealed
from caseworker_app.transfer.sealed_write import publish

__all__ = ["AUDIT_ENTITY", "OutcomesFile", "write_outcomes"]

#: the audit entity of a file of outcomes (entity id: its transmission UUID)
AUDIT_ENTITY = "esiti"


@dataclass(frozen=True)
class OutcomesFile:
    """One file written (or given again) for one comune."""

    path: Path
    comune: str
    transmission: str  # the manifest's UUID
    lines: int  # istanze in it
    fingerprint: str  # of the comune installation's keys it is encrypted to (40 digits)
    approved: bool
    again: bool  # the file written before for this run and comune, given again


def write_outcomes(
    uow: UnitOfWork,
    *,
    actor: Actor,
    stored: StoredRun,
    out_dir: Path,
    now: datetime,
    reasons: Mapping[tuple[str, str], str] | None = None,
    progress: Progress | None = None,
) -> list[OutcomesFile]:
    """Write the outcomes of ``stored`` into ``out_dir``, one file per comune (see the module
    docstring). ``reasons``: the Italian reason of each row by (comune, protocol), as the run's
    explanation gives it (``domain.run_explanation.reasons``); a row without one carries its
    outcome's name. ``outcomes.provisional_run`` for a provisional run,
    ``outcomes.no_comune_key`` naming the first comune whose keys are not pinned here."""
    actor.require(Permission.RANK)
    actor.require(Permission.TRANSMIT)
    run = stored.run
    if run.provisional:
        raise UserFacingError("outcomes.provisional_run", number=run.number)
    by_comune: dict[str, list[RunRow]] = {}
    for row in run.rows:
        by_comune.setdefault(row.comune, []).append(row)
    approval = stored.approval
    approved = approval is not None
    created_at = aware(now).replace(microsecond=0)
    with uow:
        installation = uow.installation.get()
        if installation.role != "capofila":
            raise UserFacingError("outcomes.not_capofila")
        peers = {comune: _peer_of(uow, comune, rows) for comune, rows in sorted(by_comune.items())}
        party = own_party(uow, now=now, actor=actor.username)
        written: list[Path] = []
        done: list[OutcomesFile] = []
        try:
            for index, (comune, peer) in enumerate(peers.items()):
                if progress is not None:
                    step(progress, index, len(peers))
                path = out_dir / file_name(installation.comune, run.avviso, run.number, comune)
                digits = peer.fingerprint.digits
                issued = uow.outcomes.issued(run.id, comune, digits, approved=approved)
                rows = by_comune[comune]
                if issued is not None:
                    if _give_again(issued.content, path):
                        written.append(path)
                    done.append(
                        OutcomesFile(path, comune, issued.id, len(rows), digits, approved, True)
                    )
                    _audit(uow, actor, issued.id, now)
                    continue
                outcomes = Outcomes(
                    comune=comune,
                    avviso=run.avviso,
                    avviso_version=run.avviso_version,
                    run_id=run.id,
                    run_number=run.number,
                    run_sha256=stored.content_sha256,
                    determina=None if approval is None else approval.determina,
                    determina_date=None if approval is None else approval.on,
                    approved=approved,
                    provisional=False,
                    created_at=created_at,
                    lines=tuple(_line(row, reasons) for row in rows),
                )
                result = write_sealed(
                    path,
                    kind=KIND,
                    sender=party.sender,
                    signing_key=party.signing_key,
                    recipients=[
                        transfer_keys.load_recipient(peer.bundle.age_recipient),
                        party.own_recipient,
                    ],
                    recipient=RecipientRef(digits, peer.bundle.age_recipient),
                    members={MEMBER: outcomes_json(outcomes)},
                    payload=outcomes_payload(),
                    app_version=__version__,
                    created_at=created_at,
                )
                written.append(path)
                transmission = str(result.manifest.transmission)
                uow.outcomes.add_issued(
                    IssuedOutcomes(
                        id=transmission,
                        run_id=run.id,
                        comune=comune,
                        recipient_fingerprint=digits,
                        approved=approved,
                        file_name=path.name,
                        manifest_sha256=hashlib.sha256(result.manifest_bytes).hexdigest(),
                        content=path.read_bytes(),
                        created_at=local(now),
                        created_by=actor.username,
                    )
                )
                _audit(uow, actor, transmission, now)
                done.append(
                    OutcomesFile(path, comune, transmission, len(rows), digits, approved, False)
                )
            if progress is not None:
                step(progress, len(peers), len(peers))
            uow.commit()
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return done


def _peer_of(uow: UnitOfWork, comune: str, rows: list[RunRow]) -> PeerKey:
    """The confirmed keys of the installation that sent ``comune``'s istanze (pinned when its
    first istruttorie were imported); ``outcomes.no_comune_key`` when there are none."""
    senders = set()
    for row in rows:
        received = uow.received.get(row.received_id)
        if received is not None:
            senders.add(received.sender)
    confirmed = [
        p
        for sender in sorted(senders)
        for p in uow.keys.peers_of(sender)
        if p.status is PeerKeyStatus.CONFERMATA and comune in p.bundle.comuni
    ]
    if not confirmed:  # the sender's keys unknown: the installation pinned for that comune
        confirmed = [
            p
            for p in uow.keys.list_peers(PeerKeyStatus.CONFERMATA)
            if p.bundle.role == "comune" and comune in p.bundle.comuni
        ]
    if not confirmed:
        raise UserFacingError("outcomes.no_comune_key", comune=comune)
    return max(confirmed, key=lambda p: p.confirmed_at or p.first_seen_at)


def _line(row: RunRow, reasons: Mapping[tuple[str, str], str] | None) -> OutcomeLine:
    said = (reasons or {}).get(row.ident) or render(f"outcomes.label.{row.outcome.value}")
    return OutcomeLine(
        comune=row.comune,
        protocol=row.protocol,
        version=row.version,
        position=row.position,
        priority_class=row.priority_class,
        ranking=row.ranking,
        outcome=row.outcome,
        amount=row.amount,
        reason=_one_line(said),
    )


def _one_line(text: str) -> str:
    """The reason as the format carries it: one printable line of at most 1,000 characters."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= MAX_REASON else flat[: MAX_REASON - 1].rstrip() + "…"


def _give_again(content: bytes, path: Path) -> bool:
    """The file written before, at ``path`` again: ``True`` when it had to be written (it was
    not there), ``False`` when the same file is there; a different file is never overwritten."""
    if path.exists():
        if path.read_bytes() == content:
            return False
        raise UserFacingError("transfer.target_exists", file=path.name)
    tmp = fsutil.temp_name(path.parent, suffix=".part")
    try:
        with fsutil.open_private(tmp) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        publish(tmp, path, name=path.name, overwrite=False)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _audit(uow: UnitOfWork, actor: Actor, transmission: str, at: datetime) -> None:
    audit_log.record(
        uow,
        actor=actor,
        action=AuditAction.EXPORT,
        entity_type=AUDIT_ENTITY,
        entity_id=transmission,
        at=at,
    )
