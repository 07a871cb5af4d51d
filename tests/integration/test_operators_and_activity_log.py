"""Operators' qualifica, the readable Registro attività and the diary's note types, on a real
encrypted store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.casefile import DIARY_KINDS_OFFERED, DiaryKind
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import DiaryEntryId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.pi import PiContent, SignatoryRole
from caseworker_app.domain.roles import Role
from caseworker_app.messages import render
from caseworker_app.ports.gateway import SetupRequest
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import audit_log, cases, pi
from caseworker_app.services import case_sections as sections
from tests.integration.pi_typist import NOW as PI_NOW
from tests.integration.pi_typist import seed_case

from .conftest import PASSWORD

NOW = datetime(2026, 11, 22, 11, 0)
CF = "GHZRNL44B42A010X"


def _setup(make_vault: Any, root: Path, role: str, qualifica: str) -> OpenStore:
    comune = "A010" if role == "comune" else "E265"
    ambito = "abbiatense" if role == "comune" else "alto-basso-pavese"
    vault: Vault = make_vault(root)
    workspace, _code = vault.create(
        SetupRequest(role, ambito, comune, "mrossi", "Maria Rossi", PASSWORD, qualifica=qualifica)
    )
    return workspace


def _me(ws: OpenStore) -> Any:
    with ws.uow_factory() as uow:
        return uow.operators.get_by_username(ws.actor.username)


# -- qualifica ------------------------------------------------------------------------------


def test_the_first_operator_keeps_the_qualifica_typed_in_setup(
    tmp_path: Path, make_vault: Any
) -> None:
    ws = _setup(make_vault, tmp_path / "s", "comune", "  coordinatrice   di area ")
    try:
        me = _me(ws)
        assert me.qualifica == "coordinatrice di area"
        assert me.signature_name == "Maria Rossi, coordinatrice di area"
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("comune", "assistente sociale"), ("capofila", "responsabile del servizio")],
)
def test_without_a_qualifica_setup_proposes_the_one_of_the_roles(
    tmp_path: Path, make_vault: Any, role: str, expected: str
) -> None:
    ws = _setup(make_vault, tmp_path / role, role, "")
    try:
        assert _me(ws).qualifica == expected
    finally:
        ws.close()


def test_too_long_a_qualifica_is_refused_before_the_store_is_written(
    tmp_path: Path, make_vault: Any
) -> None:
    with pytest.raises(UserFacingError) as refused:
        _setup(make_vault, tmp_path / "s", "comune", "x" * 61)
    assert refused.value.code == "auth.qualifica_too_long"
    assert render(refused.value.code, refused.value.params).startswith("Qualifica: al massimo 60")
    assert not (tmp_path / "s" / "store.json").exists()


def test_admin_adds_and_corrects_an_operator_with_qualifica(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    added = ws.add_operator(username="lbianchi", full_name="Lucia  Bianchi",
                            roles=frozenset({Role.AMMINISTRATIVO}), password="una-frase-lunga",
                            qualifica="amministrativo")  # fmt: skip
    assert (added.full_name, added.qualifica) == ("Lucia Bianchi", "amministrativo")
    changed = ws.update_operator(username="lbianchi", full_name="Lucia Bianchi Neri",
                                 qualifica="istruttore amministrativo")  # fmt: skip
    assert changed.signature_name == "Lucia Bianchi Neri, istruttore amministrativo"
    ws.close()
    again = vault.unlock("mrossi", PASSWORD)
    try:
        lucia = next(o for o in again.list_operators() if o.username == "lbianchi")
        assert (lucia.full_name, lucia.qualifica) == (
            "Lucia Bianchi Neri", "istruttore amministrativo")  # fmt: skip
        for bad, code in (({"full_name": "  "}, "auth.full_name_missing"),
                          ({"qualifica": "y" * 61}, "auth.qualifica_too_long"),
                          ({"username": "nessuno"}, "auth.unknown_operator")):  # fmt: skip
            args = {"username": "lbianchi", "full_name": "Lucia", "qualifica": "", **bad}
            with pytest.raises(UserFacingError) as refused:
                again.update_operator(**args)
            assert refused.value.code == code
    finally:
        again.close()


def test_the_pi_names_the_case_manager_with_full_name_and_qualifica(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created  # Maria Rossi, created without a qualifica: assistente sociale (comune)
    _case_id, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=PI_NOW)
    content = PiContent.from_data(version.content)
    assert content.monitoring.case_manager == "Maria Rossi, assistente sociale"
    manager = next(s for s in content.signatories if s.role is SignatoryRole.CASE_MANAGER)
    assert manager.name == "Maria Rossi, assistente sociale"
    assert "mrossi" not in (content.monitoring.case_manager, manager.name)


# -- the Registro attività ------------------------------------------------------------------------


def _case(ws: OpenStore, surname: str = "Ghezzi", cf: str = CF) -> str:
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(codice_fiscale=cf, surname=surname, given_name="Ornella",
                              sex=Sex.F, birth_date=date(1944, 2, 2), residence_comune="A010"),
        now=NOW,
    )  # fmt: skip
    return case_id


def test_each_event_names_the_person_concerned_resolved_from_the_store(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_id = _case(ws)
    cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
    sections.save_diary_entry(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                              entry_id=DiaryEntryId(new_id()), kind=DiaryKind.COLLOQUIO, at=NOW,
                              text="Colloquio in ufficio con la figlia", now=NOW)  # fmt: skip
    _pi_case, istanza_id = seed_case(ws, now=NOW)  # istanza + records + assessment of "Prova Ada"
    pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)

    lines = audit_log.list_audit_lines(ws.uow_factory(), actor=ws.actor, flt=AuditFilter())
    by_kind = {(ln.event.action, ln.event.entity_type): ln for ln in lines}
    for key in (("create", "case_file"), ("read", "case_file"), ("create", "diary_entry")):
        person = by_kind[key].person
        assert person is not None and (person.surname, person.given_name) == ("Ghezzi", "Ornella")
        assert person.codice_fiscale == CF
    for key in (("create", "istanza"), ("create", "pi_version"), ("create", "assessment")):
        person = by_kind[key].person
        assert person is not None and person.surname == "Prova", key
    store_line = by_kind[("create", "store")]
    assert store_line.person is None and store_line.operator_name == "sistema"
    assert by_kind[("create", "operator")].operator_concerned == "Maria Rossi"
    assert {ln.operator_name for ln in lines} <= {"Maria Rossi", "sistema"}

    # The names are shown, never written: the audit table holds ids only.
    with ws.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_events"))
                        for v in row)  # fmt: skip
    assert "Ghezzi" not in dump and CF not in dump and "Prova" not in dump


def test_an_administrator_without_access_to_case_files_sees_no_names(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    _case(ws)
    ws.add_operator(username="it", full_name="Tecnico Informatico", roles=frozenset({Role.ADMIN}),
                    password="una-frase-lunga")  # fmt: skip
    it = vault.unlock("it", "una-frase-lunga")
    try:
        lines = audit_log.list_audit_lines(it.uow_factory(), actor=it.actor, flt=AuditFilter())
        assert lines and all(ln.person is None for ln in lines)
    finally:
        it.close()


@contextmanager
def _counting(ws: OpenStore) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(ws.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(ws.engine, "before_cursor_execute", count)


def test_a_page_of_a_thousand_events_is_resolved_in_a_few_queries(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    case_ids = [_case(ws, f"Persona{i:03d}", f"PRSN{i:03d}") for i in range(40)]
    entries = []
    for n in range(1000):  # notes and reads on 40 case files: 1000+ events
        case_id = case_ids[n % 40]
        if n % 2:
            cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
        else:
            entry = DiaryEntryId(new_id())
            entries.append(entry)
            sections.save_diary_entry(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                      entry_id=entry, kind=DiaryKind.TELEFONATA, at=NOW,
                                      text="chiamata", now=NOW)  # fmt: skip
    with _counting(ws) as statements:
        lines = audit_log.list_audit_lines(ws.uow_factory(), actor=ws.actor,
                                           flt=AuditFilter(limit=1000))  # fmt: skip
    assert len(lines) == 1000
    assert all(ln.person is not None and ln.person.surname.startswith("Persona") for ln in lines)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 8, selects  # events, operators, diary → case, case → person


# -- the diary ------------------------------------------------------------------------------------


def test_the_note_types_of_social_work_are_kept_and_old_notes_still_load(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    case_id = _case(ws)
    assert [k.value for k in DIARY_KINDS_OFFERED] == [
        "colloquio", "visita_domiciliare", "equipe_uvm", "telefonata", "relazione",
        "nota"]  # fmt: skip
    for minute, kind in enumerate(DIARY_KINDS_OFFERED):
        sections.save_diary_entry(ws.uow_factory(), actor=ws.actor, case_id=case_id,
                                  entry_id=DiaryEntryId(f"d-{kind.value}"), kind=kind,
                                  at=datetime(2026, 11, 20, 9, minute), text=kind.value,
                                  now=NOW)  # fmt: skip
    with ws.engine.begin() as conn:  # notes written by an earlier version
        for old in ("contatto", "visita"):
            conn.execute(text("INSERT INTO diary_entries (id, case_id, at, operator, text, kind) "
                              "VALUES (:id, :case, :at, 'mrossi', 'vecchia nota', :kind)"),
                         {"id": f"old-{old}", "case": case_id, "at": NOW, "kind": old})  # fmt: skip
    ws.close()
    again = vault.unlock("mrossi", PASSWORD)
    try:
        notes = sections.list_diary(again.uow_factory(), actor=again.actor, case_id=case_id)
        kinds = {n.id: n.kind for n in notes}
        assert {kinds[DiaryEntryId(f"d-{k.value}")] for k in DIARY_KINDS_OFFERED} == set(
            DIARY_KINDS_OFFERED
        )
        assert kinds[DiaryEntryId("old-contatto")] is DiaryKind.CONTATTO
        assert kinds[DiaryEntryId("old-visita")] is DiaryKind.VISITA
    finally:
        again.close()
