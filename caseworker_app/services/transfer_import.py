"""Import "any of our files": read the transfer file once, and hand it to the importer of its kind.

The file is opened up to its claimed kind and sender (``transfer.sealed.open_envelope``:
decrypted with this installation's identities if it is encrypted, its structure checked, nothing
believed yet); the importer registered for that kind checks the signature with the key it trusts
and does the rest, in the same unit of work: the ambito package (``ambito``, at a comune), the
istruttorie (``istruttorie``, at the capofila, which writes the receipt) and the receipt
(``ricevuta``, at the comune) and the outcomes (``esiti``, at the comune).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from caseworker_app.domain import ambito_package, outcomes, transmission
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import (
    ambito_packages,
    outcomes_import,
    transmissions,
    transmissions_reception,
)
from caseworker_app.services.progress import Progress
from caseworker_app.services.transfer_parties import own_identities
from caseworker_app.transfer.sealed import Envelope, open_envelope

#: what an import gives back, by kind (one type per kind)
ImportResult = (
    ambito_packages.ImportedAmbitoPackage
    | transmissions_reception.ImportedIstruttorie
    | transmissions.ImportedReceipt
    | outcomes_import.ImportedOutcomes
)


@dataclass(frozen=True)
class ImportOptions:
    """What the user said besides the file: the fingerprint confirmed on the phone (for a
    sender whose keys are not pinned yet), and where the receipt of istruttorie goes (by
    default beside the imported file)."""

    trust_fingerprint: str | None = None
    receipt_out: Path | None = None


#: the importer of one kind: runs inside the caller's open unit of work and commits what it
#: writes (all or nothing)
Importer = Callable[[UnitOfWork, Actor, Envelope, ImportOptions, datetime], ImportResult]


def _ambito(
    uow: UnitOfWork, actor: Actor, envelope: Envelope, options: ImportOptions, now: datetime
) -> ImportResult:
    return ambito_packages.import_envelope(
        uow, actor=actor, envelope=envelope, trust_fingerprint=options.trust_fingerprint, now=now
    )


def _istruttorie(
    uow: UnitOfWork, actor: Actor, envelope: Envelope, options: ImportOptions, now: datetime
) -> ImportResult:
    assert options.receipt_out is not None  # import_transfer_file chose it
    return transmissions_reception.import_istruttorie_envelope(
        uow,
        actor=actor,
        envelope=envelope,
        trust_fingerprint=options.trust_fingerprint,
        receipt_out=options.receipt_out,
        now=now,
    )


def _receipt(
    uow: UnitOfWork, actor: Actor, envelope: Envelope, options: ImportOptions, now: datetime
) -> ImportResult:
    return transmissions.import_receipt_envelope(uow, actor=actor, envelope=envelope, now=now)


def _outcomes(
    uow: UnitOfWork, actor: Actor, envelope: Envelope, options: ImportOptions, now: datetime
) -> ImportResult:
    return outcomes_import.import_outcomes_envelope(uow, actor=actor, envelope=envelope, now=now)


IMPORTERS: Mapping[str, Importer] = {
    ambito_package.KIND: _ambito,
    transmission.KIND: _istruttorie,
    transmission.RECEIPT_KIND: _receipt,
    outcomes.KIND: _outcomes,
}


def import_transfer_file(
    uow: UnitOfWork,
    *,
    actor: Actor,
    path: Path,
    options: ImportOptions | None = None,
    now: datetime,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the transfer file at ``path``, whatever its kind; ``transfer.kind_unknown`` for a
    kind this version cannot import, and every refusal of the container or of the kind's
    importer otherwise (nothing written)."""
    options = options or ImportOptions()
    if options.receipt_out is None:
        receipt = path.parent / transmissions_reception.receipt_name(path.name)
        options = replace(options, receipt_out=receipt)
    with uow:
        envelope = open_envelope(path, identities=own_identities(uow), progress=progress)
        importer = IMPORTERS.get(envelope.kind or "")
        if importer is None:
            raise UserFacingError("transfer.kind_unknown", file=envelope.file)
        return importer(uow, actor, envelope, options, now)
