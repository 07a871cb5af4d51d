"""The self-test: proves that this installation (a frozen bundle above all) has everything.

In a temporary folder, removed afterwards, it creates and migrates an encrypted store, writes,
reopens, backs it up and restores it; loads every definition in forms/; checks and ranks
sample istanze; prints a PI and opens the PDF with PDFium; opens the age and Ed25519 libraries;
and sends a sealed istruttorie file from a comune store to a capofila store, with the receipt
back. The user's own store is never opened. Every person in it is invented.

The steps are data (:data:`STEPS`): a name in Italian, as the user reads it, and a function over
the shared :class:`_Work`. They run in order and stop at the first failure, which is reported
by name with what went wrong, never with personal data. Modules a bundle may lack (the PDF
stack, pyrage, pypdfium2, the transfer use cases) are imported inside the steps, so that a
missing one is the failure of a named step rather than a crash.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from caseworker_app.bootstrap.self_test_checks import (
    AUTODIAGNOSI_PASSWORD,
    DEMO_AVVISO,
    SelfTestError,
    check_definitions,
    check_judging,
    check_libraries,
    check_pi_pdf,
)
from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.gateway import (
    SelfTestProgress,
    SelfTestReport,
    SelfTestStep,
    SetupRequest,
)
from caseworker_app.security.keys import FAST_TEST_KDF

__all__ = ["STEPS", "SelfTestError", "Step", "run_self_test"]

#: the few demo cases of the comune store (enough for one istanza ready to send)
DEMO_CASES = 6
DEMO_SEED = 1


T = TypeVar("T")


@dataclass
class _Work:
    """What the steps share: the temporary folder and the stores and files made so far."""

    root: Path
    now: datetime
    opened: list[OpenStore] = field(default_factory=list)
    vault: Vault | None = None
    store: OpenStore | None = None
    recovery_code: str = ""
    case_id: str = ""
    backup: Path | None = None
    comune: OpenStore | None = None
    capofila: OpenStore | None = None
    usb: Path | None = None
    sent: list[str] = field(default_factory=list)
    sealed: Path | None = None
    receipt: Path | None = None

    def keep(self, store: OpenStore) -> OpenStore:
        self.opened.append(store)
        return store


def _need(value: T | None) -> T:
    if value is None:  # pragma: no cover - the steps run in order
        raise SelfTestError("un passo precedente non ha lasciato quello che serve")
    return value


# -- the local store ------------------------------------------------------------------------------


def _create_store(work: _Work) -> None:
    # the real key derivation cost (KdfParams' defaults), and the file key store: the self-test
    # never writes into the system keyring
    work.vault = Vault(work.root / "archivio", keystore_preference="file")
    store, work.recovery_code = work.vault.create(
        SetupRequest("comune", "abbiatense", "A010", "autodiagnosi", "Autodiagnosi",
                     AUTODIAGNOSI_PASSWORD)
    )  # fmt: skip
    work.store = work.keep(store)


def _migrations(work: _Work) -> None:
    from caseworker_app.store import migrate
    from caseworker_app.store.models import Base

    revisions = sorted(migrate.known_revisions())
    if revisions != [f"{n:04d}" for n in range(1, len(revisions) + 1)]:
        raise SelfTestError("le migrazioni dello schema non sono complete: ne manca qualcuna")
    store = _need(work.store)
    with store.engine.connect() as conn:
        current = migrate.current_revision(conn)
        tables = {
            row[0]
            for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    if current != migrate.head_revision() or current != revisions[-1]:
        raise SelfTestError("l'archivio nuovo non è all'ultima revisione dello schema")
    missing = sorted(set(Base.metadata.tables) - tables)
    if missing:
        raise SelfTestError(
            "le migrazioni non creano tutte le tabelle: mancano " + ", ".join(missing)
        )


def _write_and_reopen(work: _Work) -> None:
    from caseworker_app.domain.person import Anagrafica, Sex
    from caseworker_app.services import cases

    store = _need(work.store)
    anagrafica = Anagrafica(
        surname="Prova", given_name="Autodiagnosi", sex=Sex.F, residence_comune="A010"
    )
    case_id, _ = cases.create_case(
        store.uow_factory(), actor=store.actor, comune="A010", anagrafica=anagrafica, now=work.now
    )
    store.close()
    work.store = work.keep(_need(work.vault).unlock("autodiagnosi", AUTODIAGNOSI_PASSWORD))
    found = cases.search_cases(work.store.uow_factory(), actor=work.store.actor, text="prova")
    if [r.case_id for r in found] != [case_id]:
        raise SelfTestError("la cartella scritta non si ritrova dopo la riapertura")
    work.case_id = str(case_id)


def _backup(work: _Work) -> None:
    from caseworker_app.services import audit_log

    store = _need(work.store)
    work.backup = store.backup(work.root).path
    verdict = audit_log.verify_audit(store.uow_factory())
    store.close()
    if not verdict.ok:
        raise SelfTestError("il registro attività non è integro")


def _restore(work: _Work) -> None:
    restored = Vault(work.root / "ripristinato", keystore_preference="file")
    restored.restore(_need(work.backup), work.recovery_code, replace_existing=False)
    work.keep(restored.unlock("autodiagnosi", AUTODIAGNOSI_PASSWORD)).close()


def _encrypted_on_disk(work: _Work) -> None:
    raw = (work.root / "archivio" / "caseworker.db").read_bytes()
    if b"Autodiagnosi" in raw or b"SQLite format 3" in raw:
        raise SelfTestError("il file dell'archivio non è cifrato")


# -- definitions, rules, documents, libraries: in self_test_checks.py ----------------------------


def _definitions(work: _Work) -> None:
    check_definitions()


def _judging(work: _Work) -> None:
    check_judging()


def _pi_pdf(work: _Work) -> None:
    check_pi_pdf()


def _libraries(work: _Work) -> None:
    check_libraries()


# -- a transmission from a comune to its capofila, and the receipt back ---------------------------


def _onboarding(work: _Work) -> None:
    from caseworker_app.services import ambito_packages
    from caseworker_app.services.installation_keys import own_public_keys
    from caseworker_app.services.transfer_import import ImportOptions, import_transfer_file

    def make(role: str, comune: str, username: str) -> OpenStore:
        # a lighter key derivation: the first store already proved the real one
        vault = Vault(work.root / role, kdf=FAST_TEST_KDF, keystore_preference="file")
        store, _ = vault.create(
            SetupRequest(role, "abbiatense", comune, username, "Autodiagnosi",
                         AUTODIAGNOSI_PASSWORD)
        )  # fmt: skip
        return work.keep(store)

    work.capofila = capofila = make("capofila", "A010", "udp")
    work.comune = comune = make("comune", "A127", "servizio")
    work.usb = work.root / "chiavetta"
    work.usb.mkdir()
    package = work.usb / "ambito.cwa"
    ambito_packages.export_ambito_package(
        capofila.uow_factory(), actor=capofila.actor, out=package, now=work.now
    )
    trust = own_public_keys(capofila.uow_factory(), actor=capofila.actor).fingerprint.display
    import_transfer_file(
        comune.uow_factory(),
        actor=comune.actor,
        path=package,
        options=ImportOptions(trust_fingerprint=trust),
        now=work.now,
    )


def _ready_istanza(work: _Work) -> None:
    from caseworker_app.services import demo, transmissions

    comune = _need(work.comune)
    demo.load_demo(comune.uow_factory, actor=comune.actor, n=DEMO_CASES, seed=DEMO_SEED,
                   avvisi=[DEMO_AVVISO], now=work.now)  # fmt: skip
    rows = transmissions.readiness(comune.uow_factory(), actor=comune.actor, now=work.now)
    work.sent = [r.istanza_id for r in rows if r.ready][:1]
    if not work.sent:
        raise SelfTestError("nei dati dimostrativi nessuna istanza è pronta da trasmettere")


def _export(work: _Work) -> None:
    from caseworker_app.services import transmissions

    comune = _need(work.comune)
    done = transmissions.export_istruttorie(
        comune.uow_factory(),
        actor=comune.actor,
        target=_need(work.usb),
        istanza_ids=work.sent,
        now=work.now,
    )
    if len(done.istanze) != len(work.sent) or not done.path.is_file():
        raise SelfTestError("il file sigillato non contiene l'istanza pronta")
    work.sealed = done.path


def _import_at_capofila(work: _Work) -> None:
    from caseworker_app.domain.transmission import ReceiptOutcome
    from caseworker_app.services.installation_keys import own_public_keys
    from caseworker_app.services.transfer_import import ImportOptions, import_transfer_file
    from caseworker_app.services.transmissions_reception import ImportedIstruttorie

    comune, capofila = _need(work.comune), _need(work.capofila)
    trust = own_public_keys(comune.uow_factory(), actor=comune.actor).fingerprint.display
    result = import_transfer_file(
        capofila.uow_factory(),
        actor=capofila.actor,
        path=_need(work.sealed),
        options=ImportOptions(trust_fingerprint=trust),
        now=work.now,
    )
    if not isinstance(result, ImportedIstruttorie) or result.receipt is None:
        raise SelfTestError("il capofila non ha letto il file come istruttorie")
    if [line.outcome for line in result.lines] != [ReceiptOutcome.ACCETTATA] * len(work.sent):
        raise SelfTestError("il capofila non ha accettato l'istanza trasmessa")
    work.receipt = result.receipt


def _receipt_back(work: _Work) -> None:
    from caseworker_app.services.transfer_import import import_transfer_file
    from caseworker_app.services.transmissions import ImportedReceipt

    comune = _need(work.comune)
    result = import_transfer_file(
        comune.uow_factory(), actor=comune.actor, path=_need(work.receipt), now=work.now
    )
    if not isinstance(result, ImportedReceipt) or result.accepted != len(work.sent):
        raise SelfTestError("la ricevuta del capofila non conferma l'istanza inviata")


# -- the run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[_Work], None]


STEPS: tuple[Step, ...] = (
    Step("archivio cifrato creato", _create_store),
    Step("schema con tutte le migrazioni", _migrations),
    Step("scrittura, riapertura e ricerca", _write_and_reopen),
    Step("backup e registro attività", _backup),
    Step("ripristino con il codice di recupero", _restore),
    Step("file dell'archivio cifrato", _encrypted_on_disk),
    Step("definizioni: avvisi, ambiti, scale e documenti", _definitions),
    Step("verifica e graduatoria di istanze di prova", _judging),
    Step("stampa e anteprima del Progetto Individuale", _pi_pdf),
    Step("librerie di cifratura (age) e di firma (Ed25519)", _libraries),
    Step("archivi di comune e capofila, pacchetto d'ambito", _onboarding),
    Step("istanza pronta da trasmettere", _ready_istanza),
    Step("file sigillato esportato dal comune", _export),
    Step("file importato dal capofila", _import_at_capofila),
    Step("ricevuta importata dal comune", _receipt_back),
)


def describe_error(exc: BaseException) -> str:
    """What went wrong, in Italian, without personal data: our own checks and user-facing
    errors say it in words; a missing module is named; any other error by kind and place only
    (its text could hold data)."""
    if isinstance(exc, SelfTestError):
        return str(exc)
    if isinstance(exc, UserFacingError):
        from caseworker_app.messages import render

        return render(exc.code, exc.params)
    if isinstance(exc, ImportError) and exc.name:
        return f"modulo mancante: {exc.name}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = "; ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-3:])
    return f"errore imprevisto ({type(exc).__name__}) in {where}"


def run_self_test(
    *, progress: SelfTestProgress | None = None, steps: tuple[Step, ...] | None = None
) -> SelfTestReport:
    """Run ``steps`` (default :data:`STEPS`) in a temporary folder, removed afterwards, and
    report each step with its time; stop at the first that fails."""
    chosen = STEPS if steps is None else steps
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="caseworker-autodiagnosi-"))
    work = _Work(root=root, now=datetime.now().replace(microsecond=0))
    done: list[SelfTestStep] = []
    try:
        for index, step in enumerate(chosen):
            if progress is not None:
                progress(index, len(chosen), step.name, None)
            begin = time.perf_counter()
            try:
                step.run(work)
            except Exception as exc:
                result = SelfTestStep(step.name, False, time.perf_counter() - begin,
                                      describe_error(exc))  # fmt: skip
            else:
                result = SelfTestStep(step.name, True, time.perf_counter() - begin)
            done.append(result)
            if progress is not None:
                progress(index, len(chosen), step.name, result)
            if not result.ok:
                break
    finally:
        for store in reversed(work.opened):
            with contextlib.suppress(Exception):  # after a failure: the folder goes anyway
                store.close()
        shutil.rmtree(root, ignore_errors=True)
    return SelfTestReport(tuple(done), time.perf_counter() - started)
