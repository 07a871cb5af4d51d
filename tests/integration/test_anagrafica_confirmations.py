"""A confirmed warning of the anagrafica is stored in the encrypted store, survives reopening,
replaces the earlier one on the same field, can be withdrawn, and is audited."""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.codice_fiscale import encode_codice_fiscale
from caseworker_app.domain.person import (
    Anagrafica,
    AnagraficaConfirmation,
    Sex,
    confirmation_key,
    is_confirmed,
    validate_anagrafica,
)
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import audit_log, cases

from .conftest import PASSWORD, USERNAME

NOW = datetime(2026, 11, 22, 9, 30)
CF = encode_codice_fiscale(
    surname="Cantù", given_name="Nicolò", sex=Sex.M, birth_date=date(1941, 3, 5),
    birthplace_code="F205",
)  # fmt: skip
TYPED = Anagrafica(codice_fiscale=CF, surname="Cantù", given_name="Nicolò",
                   birth_date=date(1941, 3, 6), sex=Sex.F, residence_comune="A010",
                   citizenship="IT")  # fmt: skip


def _warning(field: str) -> AnagraficaConfirmation:
    (issue,) = [i for i in validate_anagrafica(TYPED, today=NOW.date()) if i.field == field]
    return AnagraficaConfirmation(field, issue.code, confirmation_key(issue, TYPED))


def test_confirmations_persist_are_replaced_withdrawn_and_audited(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, workspace, _code = created
    uow, actor = workspace.uow_factory, workspace.actor
    case_id, _issues = cases.create_case(uow(), actor=actor, comune="A010", anagrafica=TYPED,
                                         now=NOW)  # fmt: skip
    assert cases.anagrafica_confirmations(uow(), actor=actor, case_id=case_id) == []

    birth, sex = _warning("birth_date"), _warning("sex")
    for confirmation in (birth, sex):
        cases.set_anagrafica_confirmation(
            uow(), actor=actor, case_id=case_id, confirmation=confirmation, confirmed=True, now=NOW
        )
    # Ticked again on the same field: still one confirmation for it.
    cases.set_anagrafica_confirmation(uow(), actor=actor, case_id=case_id, confirmation=birth,
                                      confirmed=True, now=NOW)  # fmt: skip
    workspace.close()

    reopened = vault.unlock(USERNAME, PASSWORD)
    try:
        uow, actor = reopened.uow_factory, reopened.actor
        stored = cases.anagrafica_confirmations(uow(), actor=actor, case_id=case_id)
        assert sorted(stored, key=lambda c: c.field) == [birth, sex]
        issues = validate_anagrafica(TYPED, today=NOW.date())
        confirmed = [i.field for i in issues if is_confirmed(i, TYPED, stored)]
        assert sorted(confirmed) == ["birth_date", "sex"]

        cases.set_anagrafica_confirmation(uow(), actor=actor, case_id=case_id, confirmation=sex,
                                          confirmed=False, now=NOW)  # fmt: skip
        assert cases.anagrafica_confirmations(uow(), actor=actor, case_id=case_id) == [birth]

        events = audit_log.list_audit(
            uow(), actor=actor, flt=AuditFilter(entity_type="case_record")
        )
        assert [e.action for e in events].count("create") == 3  # birth, sex, birth again
        assert [e.action for e in events].count("delete") == 2  # birth replaced, sex withdrawn
        assert audit_log.verify_audit(uow()).ok
    finally:
        reopened.close()
