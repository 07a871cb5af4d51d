"""Use case of the publication of a ranking run (issue 13): what may be published, and what the
Ufficio di Piano and the ragioneria keep.

``<out>/pubblicazione/`` holds only what may be published: the public graduatoria PDF and a
public CSV, with protocol numbers, comuni, outcomes and amounts — no names, codici fiscali, ISEE
values, IBAN or health data. ``<out>/uso-interno/`` holds the internal XLSX (one sheet per
ranking, with the reason of every outcome) with its CSV, and the *elenco di liquidazione* (XLSX,
one sheet per comune, and CSV): beneficiary, codice fiscale, IBAN checked, amount and causale
of every funded istanza. The beneficiaries and IBAN come from the records received (the IBAN
travels as ``extra.pagamento``, docs/transfer-format.md §10).

Everything is made in memory first; then each file is written atomically (0600). A file that
exists with the same bytes is left as it is (publishing the same run twice changes nothing); one
with other bytes is refused (``desk.publish_target_exists``) before anything is written; a
failed write removes what this call wrote.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from caseworker_app import fsutil
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.documents.graduatoria_public import (
    public_graduatoria,
    render_public_graduatoria,
)
from caseworker_app.documents.graduatoria_tables import (
    Beneficiary,
    internal_sheets,
    liquidazione_csv_sheet,
    liquidazione_sheets,
    public_sheet,
)
from caseworker_app.documents.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from caseworker_app.domain import comuni as comuni_table
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.iban import compact_iban
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.run_explanation import avviso_labels, reasons
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.batch import gc_paused
from caseworker_app.services.printing import letterhead_of
from caseworker_app.services.ranking_runs import get_run, received_records
from caseworker_app.services.settings import read_office

__all__ = ["INTERNAL_DIR", "PUBLIC_DIR", "Published", "public_pdf_bytes", "publish_run"]

PUBLIC_DIR = "pubblicazione"
INTERNAL_DIR = "uso-interno"
PUBLICATION_ENTITY = "pubblicazione_graduatoria"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Published:
    run_id: str
    number: int
    public: tuple[Path, ...]  # under pubblicazione/
    internal: tuple[Path, ...]  # under uso-interno/
    unchanged: tuple[Path, ...] = ()  # already there with the same bytes

    @property
    def public_pdf(self) -> Path:
        return next(p for p in self.public if p.suffix == ".pdf")

    @property
    def files(self) -> tuple[Path, ...]:
        return (*self.public, *self.internal)


@dataclass(frozen=True)
class _Context:
    stored: StoredRun
    avviso: Avviso | None
    title: str
    labels: Mapping[str, str]
    comuni: Mapping[str, str]


def _avviso(stored: StoredRun) -> Avviso | None:
    try:
        return get_avviso(stored.run.avviso, stored.run.avviso_version)
    except UserFacingError:  # a definition no longer shipped: the run still publishes
        return None


def _context(stored: StoredRun) -> _Context:
    avviso = _avviso(stored)
    names = {}
    for code in {r.comune for r in stored.run.rows}:
        found = comuni_table.comune_by_code(code)
        names[code] = found.name if found is not None else code
    return _Context(
        stored,
        avviso,
        avviso.title if avviso is not None else stored.run.avviso,
        avviso_labels(avviso) if avviso is not None else {},
        names,
    )


def _public_pdf(uow: UnitOfWork, context: _Context) -> bytes:
    with uow:
        installation = uow.installation.get()
    office = read_office(uow)
    data = public_graduatoria(
        context.stored,
        letterhead=letterhead_of(installation, office),
        avviso_title=context.title,
        comuni=context.comuni,
        labels=context.labels,
    )
    return render_public_graduatoria(data)


def public_pdf_bytes(uow: UnitOfWork, *, actor: Actor, run_id: str) -> bytes:
    """The public graduatoria of a run as PDF bytes (the preview before publishing)."""
    stored = get_run(uow, actor=actor, run_id=run_id)
    return _public_pdf(uow, _context(stored))


def _beneficiaries(uow: UnitOfWork, stored: StoredRun) -> dict[tuple[str, str], Beneficiary]:
    """Who each row is for, from the very versions the run judged."""
    with uow:
        found = uow.received.records(r.received_id for r in stored.run.rows)
    if not found:
        return {}
    records = [record for _, record in received_records(found)]
    isee = {
        r.ident: next((Decimal(k.value) for k in r.keys if k.key == "isee" and k.value), None)
        for r in stored.run.rows
    }
    return {
        (record.comune, record.id): _beneficiary(record, isee.get((record.comune, record.id)))
        for record in records
    }


def _beneficiary(record: IstanzaRecord, isee: Decimal | None) -> Beneficiary:
    b = record.beneficiary
    payment = record.extra.get("pagamento")
    iban = holder = ""
    if isinstance(payment, dict):
        iban = compact_iban(str(payment.get("iban", "")))
        holder = str(payment.get("intestatario", ""))
    if isee is None and record.isee:
        isee = max(record.isee, key=lambda e: e.received_on).value
    return Beneficiary(b.surname, b.given_name, b.codice_fiscale, isee, iban, holder)


def _stem(stored: StoredRun) -> str:
    return f"graduatoria-{stored.run.avviso}-n{stored.run.number}"


def _csv_name(stem: str, sheet: Sheet, several: bool) -> str:
    if not several:
        return f"{stem}.csv"
    tail = "".join(c if c.isalnum() else "-" for c in sheet.title.casefold()).strip("-")
    return f"{stem}-{tail}.csv"


def publish_run(
    uow: UnitOfWork,
    *,
    actor: Actor,
    run_id: str,
    out_dir: Path,
    now: datetime,
    progress: Progress | None = None,
) -> Published:
    """Write the publication of a run under ``out_dir`` (see the module's docstring)."""
    actor.require(Permission.RANK)
    # tens of thousands of rows, cells and flowables, none of them garbage until the end: the
    # collector's passes over them would take a third of the time (services/batch.py)
    with gc_paused():
        return _publish(uow, actor=actor, run_id=run_id, out_dir=out_dir, now=now,
                        progress=progress)  # fmt: skip


def _publish(
    uow: UnitOfWork,
    *,
    actor: Actor,
    run_id: str,
    out_dir: Path,
    now: datetime,
    progress: Progress | None,
) -> Published:
    step = progress or (lambda done, total: None)
    stored = get_run(uow, actor=actor, run_id=run_id)
    context = _context(stored)
    stem = _stem(stored)
    created = stored.run.created_at
    step(0, 6)
    pdf = _public_pdf(uow, context)
    step(1, 6)
    public_csv = csv_bytes(public_sheet(stored, comuni=context.comuni, labels=context.labels))
    step(2, 6)
    people = _beneficiaries(uow, stored)
    sheets = internal_sheets(
        stored,
        beneficiaries=people,
        comuni=context.comuni,
        reasons=reasons(stored.run),
        labels=context.labels,
        avviso_title=context.title,
    )
    internal_xlsx = xlsx_bytes(sheets, created=created, title=context.title)
    step(3, 6)
    ranked = sheets[1:-1]  # between the Riepilogo and the run's identity
    internal_csvs = {_csv_name(stem, sheet, len(ranked) > 1): csv_bytes(sheet) for sheet in ranked}
    step(4, 6)
    payments = liquidazione_sheets(
        stored, beneficiaries=people, comuni=context.comuni, avviso_title=context.title
    )
    liquidazione_xlsx = xlsx_bytes(payments, created=created, title=context.title)
    liquidazione_csv = csv_bytes(
        liquidazione_csv_sheet(
            stored, beneficiaries=people, comuni=context.comuni, avviso_title=context.title
        )
    )
    step(5, 6)
    public_dir, internal_dir = out_dir / PUBLIC_DIR, out_dir / INTERNAL_DIR
    planned: list[tuple[Path, bytes, bool]] = [
        (public_dir / f"{stem}.pdf", pdf, True),
        (public_dir / f"{stem}.csv", public_csv, True),
        (internal_dir / f"{stem}.xlsx", internal_xlsx, False),
        *((internal_dir / name, data, False) for name, data in internal_csvs.items()),
        (internal_dir / f"liquidazione-{stored.run.avviso}-n{stored.run.number}.xlsx",
         liquidazione_xlsx, False),
        (internal_dir / f"liquidazione-{stored.run.avviso}-n{stored.run.number}.csv",
         liquidazione_csv, False),
    ]  # fmt: skip
    _, unchanged = _write_all(out_dir, planned)
    with uow:
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.EXPORT,
            entity_type=PUBLICATION_ENTITY,
            entity_id=stored.run.id,
            at=now,
        )
        uow.commit()
    step(6, 6)
    return Published(
        run_id=stored.run.id,
        number=stored.run.number,
        public=tuple(p for p, _, public in planned if public),
        internal=tuple(p for p, _, public in planned if not public),
        unchanged=tuple(unchanged),
    )


def _write_all(
    out_dir: Path, planned: list[tuple[Path, bytes, bool]]
) -> tuple[list[Path], list[Path]]:
    """Every planned file, or none: the existing ones are checked before any is written."""
    if not out_dir.is_dir():
        raise UserFacingError("desk.publish_no_folder", folder=out_dir.name or str(out_dir))
    unchanged: list[Path] = []
    todo: list[tuple[Path, bytes]] = []
    for path, data, _ in planned:
        if path.exists():
            if path.is_file() and path.read_bytes() == data:
                unchanged.append(path)
                continue
            raise UserFacingError("desk.publish_target_exists", file=path.name)
        todo.append((path, data))
    written: list[Path] = []
    try:
        for folder in {path.parent for path, _ in todo}:
            if not folder.exists():
                fsutil.private_dir(folder)
        for path, data in todo:
            fsutil.atomic_write_bytes(path, data)
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        failed = todo[len(written)][0].name if len(written) < len(todo) else ""
        raise UserFacingError(
            "desk.publish_write_failed", file=failed, reason=os.strerror(exc.errno or 0)
        ) from None
    return written, unchanged
