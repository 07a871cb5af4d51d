"""Subcommands on a local store: init, demo, audit verify, backup, restore, list, self-test."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_OK,
    emit,
    fail,
    read_secret,
    store_path,
)
from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.domain.audit import parse_audit_head
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.transmission import TransmissionState
from caseworker_app.messages import render
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.services import audit_log, istanze

STATE_LABELS = {
    "bozza": "bozza",
    "presentata": "presentata",
    "in_istruttoria": "in istruttoria",
    "da_integrare": "da integrare",
    "non_ammissibile": "non ammissibile",
    "ammissibile": "ammissibile",
    "valutata": "valutata",
    "trasmessa": "trasmessa",
    "finanziata": "finanziata",
    "finanziata_parzialmente": "finanziata parzialmente",
    "ammessa_non_finanziata": "ammessa non finanziata",
    "in_erogazione": "in erogazione",
    "sospesa": "sospesa",
    "cessata": "cessata",
    "chiusa": "chiusa",
}


def _vault(args: argparse.Namespace) -> Vault:
    return Vault(store_path(args.store), keystore_preference=getattr(args, "keystore", None))


def unlock(args: argparse.Namespace) -> OpenStore:
    vault = _vault(args)
    vault.layout.read_meta()  # a missing store is reported before asking for a password
    username = args.operator or vault.default_operator()
    password = read_secret(
        args, env="CASEWORKER_PASSWORD", stdin_flag="password_stdin", what="la password"
    )
    return vault.unlock(username, password)


def cmd_init(args: argparse.Namespace) -> int:
    ambito = get_ambito(args.ambito)
    if ambito.comune(args.comune) is None:
        raise UserFacingError("setup.comune_not_in_ambito", comune=args.comune, ambito=args.ambito)
    password = read_secret(
        args, env="CASEWORKER_PASSWORD", stdin_flag="password_stdin", what="la password"
    )
    vault = _vault(args)
    workspace, code = vault.create(
        SetupRequest(
            args.role,
            args.ambito,
            args.comune,
            args.operator,
            args.full_name or args.operator,
            password,
            qualifica=args.qualifica,
        )
    )
    kind = workspace.keystore_kind
    workspace.close()
    where = (
        "portachiavi di sistema"
        if kind == "keyring"
        else f"file delle chiavi {vault.layout.keyfile}"
    )
    emit(
        args,
        {"store": str(vault.root), "recovery_code": code, "keystore": kind},
        f"Archivio creato in {vault.root}.\nChiavi cifrate custodite in: {where}.\n\n"
        f"CODICE DI RECUPERO (annotalo ora e conservalo in un luogo sicuro; non verrà più "
        f"mostrato):\n\n    {code}\n",
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.cases < 0:
        raise UserFacingError("cli.bad_number", option="--cases")
    workspace = unlock(args)
    try:
        with workspace.uow_factory() as uow:
            installation = uow.installation.get()
        ambito = get_ambito(installation.ambito)
        from caseworker_app.services import demo  # the demo people: only this command

        made = demo.load_demo(  # people of the comune, or of the whole ambito for a capofila
            workspace.uow_factory,
            actor=workspace.actor,
            n=args.cases,
            seed=args.seed,
            avvisi=ambito.avvisi,
            now=datetime.now().replace(microsecond=0),
        )
    finally:
        workspace.close()
    emit(
        args,
        {"cases": args.cases, "istanze": made},
        f"Creati {args.cases} casi dimostrativi e {made} istanze.",
    )
    return EXIT_OK


#: the kinds of problem of the audit log, in words (CLI output)
AUDIT_PROBLEM_LABELS = {
    "altered": "alterato",
    "missing": "mancante",
    "broken_link": "collegamento interrotto",
    "content_changed": "dati modificati fuori dall'applicazione",
    "anchor_missing": "impronta annotata non più presente",
}


def cmd_audit_verify(args: argparse.Namespace) -> int:
    anchor = None
    if getattr(args, "anchor", None) is not None:
        try:
            anchor = parse_audit_head(args.anchor)
        except UserFacingError as exc:
            fail(f"--anchor: {render(exc.code, exc.params)}", EXIT_BAD_INPUT)
    workspace = unlock(args)
    try:
        verdict = audit_log.verify_audit(workspace.uow_factory(), anchor=anchor)
    finally:
        workspace.close()
    problems = [{"seq": p.seq, "kind": p.kind} for p in verdict.problems]
    head = verdict.head
    lines: list[str] = []
    if verdict.ok:
        lines.append(f"Registro attività integro: {verdict.events} eventi verificati.")
    else:
        listed = ", ".join(
            f"n. {p.seq} ({AUDIT_PROBLEM_LABELS.get(p.kind, p.kind)})"
            for p in verdict.problems[:20]
        )
        lines.append(f"REGISTRO ATTIVITÀ ALTERATO: {len(problems)} anomalie: {listed}.")
    if anchor is not None and verdict.anchor_holds:
        lines.append(f"L'impronta annotata ({anchor.display}) è ancora nel registro.")
    if head is not None:
        lines.append(f"Ultimo evento, da annotare e conservare fuori dal computer: {head.display}")
        lines.append(
            f"Per controllarlo in seguito: caseworker audit verify --anchor {head.written}"
        )
    payload = {
        "ok": verdict.ok,
        "events": verdict.events,
        "problems": problems,
        "head": {"seq": head.seq, "hash": head.hash} if head is not None else None,
        "anchor": (
            {"seq": anchor.seq, "hash": anchor.hash, "holds": verdict.anchor_holds}
            if anchor is not None
            else None
        ),
    }
    emit(args, payload, "\n".join(lines))
    if verdict.ok:
        return EXIT_OK
    if anchor is not None and not verdict.anchor_holds:
        sys.stderr.write(f"caseworker: {render('audit.anchor_missing', {'seq': anchor.seq})}\n")
    others = [p for p in verdict.problems if p.kind != "anchor_missing"]
    if others:
        listed = ", ".join(
            f"n. {p.seq} ({AUDIT_PROBLEM_LABELS.get(p.kind, p.kind)})" for p in others[:20]
        )
        sys.stderr.write(
            f"caseworker: {render('audit.not_intact', {'count': len(others), 'listed': listed})}\n"
        )
    return EXIT_FAILURE


def cmd_backup(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        report = workspace.backup(Path(args.to))
    finally:
        workspace.close()
    emit(
        args,
        {"backup": str(report.path), "created_at": report.created_at.isoformat()},
        f"Backup scritto in {report.path}.",
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    code = read_secret(
        args,
        env="CASEWORKER_RECOVERY_CODE",
        stdin_flag="recovery_stdin",
        what="il codice di recupero",
    )
    vault = _vault(args)
    report = vault.restore(Path(args.source), code, replace_existing=args.replace)
    moved = (
        f"\nL'archivio che c'era è stato spostato, intatto, in {report.replaced}."
        if report.replaced
        else ""
    )
    emit(
        args,
        {
            "store": str(vault.root),
            "keystore": vault.keystore_kind(),
            "replaced": str(report.replaced) if report.replaced else None,
        },
        f"Archivio ripristinato in {vault.root}. Gli operatori accedono con le loro password."
        + moved,
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from caseworker_app.services import transmissions, transmissions_reception

    workspace = unlock(args)
    try:
        uow = workspace.uow_factory()
        rows = istanze.list_istanze(uow, actor=workspace.actor)
        capofila = transmissions.installation_role(uow) == "capofila"
        if capofila:
            received = transmissions_reception.received_istanze(uow, actor=workspace.actor)
            states: dict[str, TransmissionState] = {}
        else:
            received = []
            states = transmissions.transmission_states(uow, actor=workspace.actor)
    finally:
        workspace.close()
    payload: list[dict[str, object]] = [
        {
            "comune": r.comune,
            "id": r.protocol or r.istanza_id,
            "avviso": r.avviso,
            "state": r.state,
            "codice_fiscale": r.codice_fiscale,
            **({} if capofila else {"transmission": _transmission(states, r.istanza_id)}),
        }
        for r in rows
    ]
    payload += [
        {
            "comune": r.comune,
            "id": r.protocol,
            "avviso": r.avviso,
            "state": "ricevuta",
            "version": r.version,
            "received_at": r.received_at.isoformat(),
            "transmission": r.transmission,
        }
        for r in received
    ]
    lines = [
        f"{r.comune}  {r.protocol or '(bozza)':<18} {r.avviso:<36} "
        f"{STATE_LABELS.get(r.state, r.state):<24} {r.codice_fiscale}"
        for r in rows
    ]
    lines += [
        f"{r.comune}  {r.protocol:<18} {r.avviso:<36} ricevuta (versione {r.version})"
        for r in received
    ]
    emit(args, payload, "\n".join(lines) if lines else "Nessuna istanza.")
    return EXIT_OK


def _transmission(states: Mapping[str, TransmissionState], istanza_id: str) -> str:
    state = states.get(istanza_id)
    return state.value if state is not None else "da_inviare"


def _seconds(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + " s"


def cmd_self_test(args: argparse.Namespace) -> int:
    """Prove this installation (a frozen bundle above all) has everything it needs, in a
    temporary folder removed afterwards (bootstrap/self_test.py); each step with its time."""
    from caseworker_app.bootstrap.self_test import run_self_test
    from caseworker_app.ports.gateway import SelfTestStep

    as_json = getattr(args, "json", False)

    def show(index: int, total: int, name: str, result: SelfTestStep | None) -> None:
        if result is None or as_json:
            return
        mark = "ok  " if result.ok else "ERRORE"
        sys.stdout.write(f"{mark:6} {index + 1:2}/{total} {name} ({_seconds(result.seconds)})\n")
        sys.stdout.flush()

    report = run_self_test(progress=show)
    failed = report.failed
    if as_json:
        steps: list[dict[str, object]] = []
        for step in report.steps:
            entry: dict[str, object] = {"name": step.name, "ok": step.ok,
                                        "seconds": round(step.seconds, 3)}  # fmt: skip
            if step.error:
                entry["error"] = step.error
            steps.append(entry)
        payload: dict[str, object] = {"ok": report.ok, "seconds": round(report.seconds, 3),
                                      "steps": steps}  # fmt: skip
        if failed is not None:
            payload["failed"] = failed.name
        emit(args, payload, "")
    if failed is not None:
        sys.stderr.write(
            f"caseworker: autodiagnosi non riuscita al passo «{failed.name}»: {failed.error}\n"
        )
        return EXIT_FAILURE
    if not as_json:
        sys.stdout.write(
            f"Autodiagnosi completata: {len(report.steps)} passi in {_seconds(report.seconds)}.\n"
        )
    return EXIT_OK
