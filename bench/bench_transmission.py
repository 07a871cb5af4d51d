"""export_500_s, import_500_s: send 500 istruttorie to the capofila, and take them in there.

Two real stores of the Abbiatense ambito (Vault, SQLCipher, migrations): the capofila (A010)
and a comune (A127) onboarded with the capofila's ambito package, as the transmission tests do
(``tests/integration/transmission_stores.py``). At the comune ``load_demo`` makes the casework,
its istanze headed alternately for ``valutata`` (home visit, sheets, evaluation and a PI signed
on the pad, through the use cases) and ``ammissibile``; then, in bulk through the repositories,
500 of them are made ready to send: each gets two 200 KB PDF scans (a ``%PDF-1.4`` header and
random bytes: incompressible, like real scans) filed under the istanza, and

* an evaluated one (half of them): the signed copy of its PI (``pi_firmato``, 200 KB, tied to
  the version with ``link_document``), so that no PI is printed during the export;
* an admitted one: the measure ``b2_2023_finanziata`` in place since 2023, which the avviso's
  ``[transmission]`` table exempts from the evaluation, the sheets and the PI.

The built stores are closed and each repetition works on fresh copies of both folders (an
export moves its istanze on, an import is idempotent): ``export_istruttorie`` (the whole use
case: readiness of every listed istanza, the attestazione PDF, the sealed file, the records)
then ``import_transfer_file`` at the capofila (open, verify, store every istruttoria, write the
receipt; first contact, with the fingerprint confirmed). The floor, in the same repetition and
on the same copy, reads the same documents (scans, signed PI copies) from the store in one unit
of work and age-encrypts them into a file (``pyrage.encrypt_io``, as the sealed benchmark's
floor), fsynced; without the sealed benchmark's zlib stream, since the scans do not deflate and
the sealed writer stores such members as they are (deflating them at level 1 would cost about
5 s for nothing). Figures are medians over the repetitions.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyrage
from bench_sealed import _Pull
from pyrage import x25519
from timing import Benchmark, BenchResult, Config, Target, log, median, now

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.case_sections import MeasureInPlace
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.codes import SIGNED_PI_DOCUMENT
from caseworker_app.domain.ids import DocumentId, IstanzaId, new_id
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.pi import PiStatus
from caseworker_app.domain.transmission import MemberRole
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.ports.storage import StoredRecord, UnitOfWork
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services import ambito_packages, demo, transmissions
from caseworker_app.services.installation_keys import own_public_keys
from caseworker_app.services.transfer_import import ImportOptions, import_transfer_file
from caseworker_app.services.transmissions_reception import ImportedIstruttorie

AMBITO, CAPOFILA, COMUNE = "abbiatense", "A010", "A127"
AVVISO = "abbiatense-caregiver-2023"
EXEMPT_MEASURE = "b2_2023_finanziata"  # the avviso's [transmission] evaluation_unless_in_place
PASSWORD = "una-password-lunga"
USERS = {CAPOFILA: "udp", COMUNE: "mrossi"}
NOW = datetime(2026, 12, 10, 9, 30)  # as the transmission tests
BLOB_BYTES = 200 * 1024
SCANS = (("isee", "Attestazione ISEE"), ("verbale_invalidita", "Verbale di invalidità"))
CHUNK = 100  # istanze topped up per unit of work (their scans sit in the session until commit)


@dataclass(frozen=True)
class _Built:
    folders: dict[str, Path]  # comune or capofila code -> its closed store's folder
    istanze: list[IstanzaId]  # the istanze made ready, in order
    evaluated: int  # of which sent with evaluation, sheets, PI and the PI's signed copy
    exempt: int  # of which exempt (b2_2023_finanziata in place): documents and record only
    documents: list[DocumentId]  # every stored document the export carries (the floor reads them)
    signed_copies: frozenset[str]  # the SHA-256 of the PIs' signed copies (what pi.pdf must be)


def _vault(folder: Path) -> Vault:
    return Vault(folder, kdf=FAST_TEST_KDF, keystore_preference="file")


def _pdf(rng: random.Random) -> bytes:
    header = b"%PDF-1.4\n"
    return header + rng.randbytes(BLOB_BYTES - len(header))


@contextmanager
def _demo_heading_for(*targets: IstanzaState) -> Iterator[None]:
    """``load_demo`` with an istanza for every person it can, headed for ``targets`` in turn
    (the demo's own mix spreads istanze over every state, most of them not sendable)."""
    saved = demo.TARGETS, demo.ISTANZA_SHARE
    demo.TARGETS, demo.ISTANZA_SHARE = targets, 1.0
    try:
        yield
    finally:
        demo.TARGETS, demo.ISTANZA_SHARE = saved


def _onboard(workdir: Path) -> tuple[dict[str, Path], dict[str, OpenStore]]:
    folders = {CAPOFILA: workdir / "capofila", COMUNE: workdir / "comune"}
    stores = {}
    for code, role in ((CAPOFILA, "capofila"), (COMUNE, "comune")):
        user = USERS[code]
        stores[code], _ = _vault(folders[code]).create(
            SetupRequest(role, AMBITO, code, user, user.title(), PASSWORD)
        )
    capofila, comune = stores[CAPOFILA], stores[COMUNE]
    package = workdir / "ambito.cwa"
    ambito_packages.export_ambito_package(
        capofila.uow_factory(), actor=capofila.actor, out=package, now=NOW
    )
    trust = own_public_keys(capofila.uow_factory(), actor=capofila.actor).fingerprint.display
    import_transfer_file(
        comune.uow_factory(),
        actor=comune.actor,
        path=package,
        options=ImportOptions(trust_fingerprint=trust),
        now=NOW,
    )
    return folders, stores


def _candidates(uow: UnitOfWork) -> tuple[list[IstanzaId], list[IstanzaId]]:
    """The demo's valutata istanze (PI signed on the pad) and its ammissibile ones."""
    evaluated, admitted = [], []
    for row in uow.istanze.list():
        if row.state == IstanzaState.VALUTATA.value and row.protocol:
            evaluated.append(row.istanza_id)
        elif row.state == IstanzaState.AMMISSIBILE.value and row.protocol:
            admitted.append(row.istanza_id)
    return evaluated, admitted


def _top_up(
    uow: UnitOfWork, istanza_id: IstanzaId, *, evaluated: bool, rng: random.Random, user: str
) -> list[Document]:
    """Make one istanza ready (see the module docstring); the documents added."""
    istanza = uow.istanze.get(istanza_id)
    assert istanza is not None and istanza.submitted_at is not None
    at = istanza.submitted_at + timedelta(hours=1)
    added = []
    for doc_type, title in SCANS:
        data = _pdf(rng)
        doc = Document(
            DocumentId(new_id()), istanza.case_id, doc_type, title=title,
            received_on=at.date(), mime="application/pdf", size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), istanza_id=istanza.id, created_at=at,
            created_by=user,
        )  # fmt: skip
        uow.documents.save(doc, content=data)
        added.append(doc)
    if evaluated:
        versions = uow.pi.of_istanza(istanza.id)
        latest = max(versions, key=lambda v: v.number)
        assert latest.status is PiStatus.FIRMATA and latest.signed_at is not None
        data = _pdf(rng)
        signed = Document(
            DocumentId(new_id()), istanza.case_id, SIGNED_PI_DOCUMENT,
            title="Progetto Individuale firmato", received_on=latest.signed_at.date(),
            mime="application/pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            istanza_id=istanza.id, created_at=latest.signed_at + timedelta(minutes=5),
            created_by=user,
        )  # fmt: skip
        uow.documents.save(signed, content=data)
        uow.signatures.link_document(signed.id, latest.id)
        added.append(signed)
    else:
        measure = MeasureInPlace(EXEMPT_MEASURE, start=date(2023, 1, 1), provider="Ambito")
        uow.records.put(
            StoredRecord(
                new_id(), istanza.case_id, MeasureInPlace.KIND, measure.to_data(), at, user
            )
        )
    return added


def _build(workdir: Path, istanze: int) -> _Built:
    folders, stores = _onboard(workdir)
    comune = stores[COMUNE]
    half = istanze // 2
    made = 0
    start = now()
    with _demo_heading_for(IstanzaState.VALUTATA, IstanzaState.AMMISSIBILE):
        for seed in range(1, 20):  # a few more people until enough istanze are there
            cases = max(20, int((istanze - made) * 1.3))
            made += demo.load_demo(
                comune.uow_factory, actor=comune.actor, n=cases, seed=seed, avvisi=[AVVISO],
                now=NOW,
            )  # fmt: skip
            with comune.uow_factory() as uow:
                evaluated, admitted = _candidates(uow)
            if len(evaluated) >= half and len(admitted) + len(evaluated) >= istanze:
                break
        else:
            raise RuntimeError("the demo made too few istanze to send")
    log(f"transmission: demo of {made} istanze in {now() - start:.1f} s")
    start = now()
    chosen = [(i, True) for i in evaluated[:half]]
    chosen += [(i, False) for i in admitted[: istanze - len(chosen)]]
    rng = random.Random(2024)
    documents: list[Document] = []
    user = USERS[COMUNE]
    for first in range(0, len(chosen), CHUNK):
        with comune.uow_factory() as uow:
            for istanza_id, with_pi in chosen[first : first + CHUNK]:
                documents += _top_up(uow, istanza_id, evaluated=with_pi, rng=rng, user=user)
            uow.commit()
    ids = [i for i, _ in chosen]
    ready = {
        r.istanza_id
        for r in transmissions.readiness(comune.uow_factory(), actor=comune.actor, now=NOW)
        if not r.missing
    }
    if not set(ids) <= ready:
        raise RuntimeError(f"{len(set(ids) - ready)} istanze topped up are not ready to send")
    log(f"transmission: {len(ids)} istanze made ready in {now() - start:.1f} s")
    for store in stores.values():
        store.close()
    n_eval = sum(1 for _, with_pi in chosen if with_pi)
    signed = frozenset(d.sha256 for d in documents if d.doc_type == SIGNED_PI_DOCUMENT)
    return _Built(folders, ids, n_eval, len(ids) - n_eval, [d.id for d in documents], signed)


def _copy(built: _Built, folder: Path) -> dict[str, OpenStore]:
    """Fresh copies of the built stores, unlocked as after a login."""
    stores = {}
    for code, source in built.folders.items():
        target = folder / source.name
        shutil.copytree(source, target)
        stores[code] = _vault(target).unlock(USERS[code], PASSWORD)
    return stores


def _floor(store: OpenStore, documents: list[DocumentId], target: Path) -> float:
    """Read the documents from the store, age-encrypted into one file, fsynced."""
    recipients = [x25519.Identity.generate().to_public() for _ in range(2)]  # as an export
    start = now()
    with store.uow_factory() as uow, target.open("wb") as handle:

        def chunks() -> Iterator[bytes]:
            for doc_id in documents:
                data = uow.documents.content(doc_id)
                assert data is not None
                yield data

        pyrage.encrypt_io(_Pull(chunks()), handle, recipients)
        handle.flush()
        os.fsync(handle.fileno())
    return now() - start


@dataclass
class _Rep:
    export_s: float
    import_s: float
    floor_s: float
    file_bytes: int
    members: dict[str, int]  # received at the capofila, by role
    receipt_lines: int


def _repetition(built: _Built, folder: Path) -> _Rep:
    folder.mkdir()
    usb = folder / "usb"
    usb.mkdir()
    stores = _copy(built, folder)
    comune, capofila = stores[COMUNE], stores[CAPOFILA]
    try:
        trust = own_public_keys(comune.uow_factory(), actor=comune.actor).fingerprint.display
        start = now()
        done = transmissions.export_istruttorie(
            comune.uow_factory(), actor=comune.actor, target=usb, istanza_ids=built.istanze,
            now=NOW,
        )  # fmt: skip
        export_s = now() - start
        start = now()
        result = import_transfer_file(
            capofila.uow_factory(), actor=capofila.actor, path=done.path,
            options=ImportOptions(trust_fingerprint=trust), now=NOW + timedelta(hours=2),
        )  # fmt: skip
        import_s = now() - start
        assert isinstance(result, ImportedIstruttorie) and not result.already_imported
        assert result.receipt is not None and result.receipt.exists()
        floor_s = _floor(comune, built.documents, folder / "floor.age")
        size = done.path.stat().st_size
        with capofila.uow_factory() as uow:
            held = uow.received.istanze()
        members = Counter(m.role.value for r in held for m in r.members)
        pdfs = {m.sha256 for r in held for m in r.members if m.role is MemberRole.PI_PDF}
        assert pdfs == built.signed_copies, "a PI was printed instead of sent as signed copy"
        return _Rep(export_s, import_s, floor_s, size, dict(members), len(result.lines))
    finally:
        for store in stores.values():
            store.close()
        shutil.rmtree(folder, ignore_errors=True)


def run(config: Config) -> BenchResult:
    istanze, reps = (20, 1) if config.quick else (500, 3)
    built = _build(config.workdir / "built", istanze)
    samples = [_repetition(built, config.workdir / f"rep{n}") for n in range(reps)]
    export_s = median([s.export_s for s in samples])
    import_s = median([s.import_s for s in samples])
    floor_s = median([s.floor_s for s in samples])
    last = samples[-1]
    log(
        f"transmission: {istanze} istruttorie ({built.evaluated} with evaluation and signed PI "
        f"copy, {built.exempt} exempt by {EXEMPT_MEASURE}), file {last.file_bytes / 2**20:.0f} "
        f"MiB: export {export_s:.2f} s, import {import_s:.2f} s, floor {floor_s:.2f} s"
    )
    figures = {
        "export_500_s": round(export_s, 2),
        "import_500_s": round(import_s, 2),
        "transmission_floor_500_s": round(floor_s, 2),
        "export_500_ratio": round(export_s / floor_s, 2),
        "import_500_ratio": round(import_s / floor_s, 2),
    }
    details = {
        "istanze": istanze,
        "with_evaluation_and_signed_pi_copy": built.evaluated,
        "exempt_by_" + EXEMPT_MEASURE: built.exempt,
        "documents": len(built.documents),
        "documents_mib": round(len(built.documents) * BLOB_BYTES / 2**20, 1),
        "file_mib": round(last.file_bytes / 2**20, 1),
        "members_received": last.members,
        "receipt_lines": last.receipt_lines,
        "repetitions": reps,
        "export_s": [round(s.export_s, 3) for s in samples],
        "import_s": [round(s.import_s, 3) for s in samples],
        "floor_s": [round(s.floor_s, 3) for s in samples],
    }
    return BenchResult(figures, details)


BENCHMARK = Benchmark(
    name="transmission",
    summary="export 500 istruttorie (two 200 KB scans each) at a comune, import at the capofila",
    targets={
        "export_500_s": Target(max=10.0),
        "import_500_s": Target(max=10.0),
        "transmission_floor_500_s": None,
        "export_500_ratio": None,
        "import_500_ratio": None,
    },
    run=run,
)
