"""The Progetto Individuale on a real encrypted store: prefill, autosave, sign, new version."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.domain.pi import EVALUATION, PiContent, PiStatus
from caseworker_app.domain.pi_plan import FundingSource, Intervention, fund_label
from caseworker_app.domain.pi_sections import Objective, SignatoryRole, TargetGroup, VersionKind
from caseworker_app.domain.roles import Role
from caseworker_app.domain.rules.verdict import Status
from caseworker_app.services import pi
from tests.integration.isee_history import LATER as LATER_ISEE
from tests.integration.isee_history import seed_isee_history
from tests.integration.pi_typist import AVVISO, NOW, seed_case

LATER = datetime(2023, 12, 1, 9, 0)


def _signed_by_all(content: PiContent) -> PiContent:
    return replace(
        content,
        signatories=tuple(replace(s, signed=True, name=s.name or "Firmatario")
                          for s in content.signatories),
    )  # fmt: skip


def test_social_worker_gets_a_prefilled_first_draft(created: tuple[Vault, OpenStore, str]) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    content = PiContent.from_data(version.content)
    assert (version.number, version.status) == (1, PiStatus.BOZZA)
    assert content.header.avviso_id == AVVISO
    assert "DGR XI/7605/2022" in content.header.legal_basis
    assert content.header.comune == "Abbiategrasso"
    assert content.header.version_kind is VersionKind.PRIMA_STESURA
    assert content.beneficiary.target_group is TargetGroup.ANZIANO
    assert [c.kind for c in content.beneficiary.certifications] == ["l104_art3_c3"]
    assert [p.relationship for p in content.network.people] == ["figlia"]
    [adl] = content.evaluation.scales
    assert (adl.scale, adl.classification, adl.score, adl.max) == ("adl-katz", "C", 4, 6)
    assert content.evaluation.housing.startswith("Casa al primo piano")
    assert content.economic.isee_type == "sociosanitario"
    assert [s.code for s in content.services] == ["sad"]
    assert content.compatibility.in_place == ("sad",) and content.compatibility.compatible
    [line] = content.interventions
    assert (line.code, line.total) == ("rimborso_domiciliare", Decimal("800.00"))
    assert [s.role for s in content.signatories] == [
        SignatoryRole.BENEFICIARIO, SignatoryRole.CASE_MANAGER]  # fmt: skip
    # Opening it again gives the same draft, not a second one.
    again = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    assert again.id == version.id


def test_interventions_over_the_cap_are_cut_or_refused_with_the_engine_message() -> None:
    lines = (
        Intervention("rimborso_domiciliare", start=date(2023, 1, 1), end=date(2023, 6, 30),
                     total=Decimal("1000.00")),
        Intervention("rimborso_residenziale", start=date(2023, 7, 1), end=date(2023, 7, 15),
                     total=Decimal("500.00")),
        Intervention("sociosanitario", start=date(2023, 7, 1), end=date(2023, 7, 15),
                     total=Decimal("50.00")),
        Intervention("rimborso_domiciliare", start=date(2023, 8, 1), end=date(2023, 8, 31)),
        Intervention("inventato", total=Decimal("10.00")),
    )  # fmt: skip
    checks = pi.validate_interventions(avviso_id=AVVISO, interventions=lines)
    assert [c.status for c in checks] == [Status.OK, Status.WARNING, Status.KO, Status.PENDING,
                                          Status.KO]  # fmt: skip
    assert checks[1].granted == Decimal("200.00")
    assert "Ridotta da 500,00 € a 200,00 €" in checks[1].message
    assert "1.200,00 €" in checks[1].message
    assert "sociosanitaria" in checks[2].message
    assert checks[3].code == "pi.intervention_incomplete"
    assert checks[4].code == "pi.intervention_unknown_code"


def test_signing_freezes_a_version_and_a_new_version_shows_what_changed(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    first = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    content = PiContent.from_data(first.content)
    with pytest.raises(UserFacingError) as err:
        pi.sign_pi(ws.uow_factory(), actor=ws.actor, version_id=first.id, place="Abbiategrasso",
                   signed_on=date(2023, 11, 21), now=NOW)  # fmt: skip
    assert err.value.code == "pi.signatures_missing"
    edited = replace(_signed_by_all(content), objectives=(Objective("cura", "Sollievo", "ore"),))
    pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=first.id, content=edited,
                     now=NOW)  # fmt: skip
    signed = pi.sign_pi(ws.uow_factory(), actor=ws.actor, version_id=first.id,
                        place="Abbiategrasso", signed_on=date(2023, 11, 21), now=NOW)  # fmt: skip
    assert signed.status is PiStatus.FIRMATA and signed.signed_by == ws.actor.username
    frozen = PiContent.from_data(signed.content)
    assert {s.place for s in frozen.signatories} == {"Abbiategrasso"}
    assert frozen.signed_on == date(2023, 11, 21)
    with pytest.raises(UserFacingError) as err:
        pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=first.id, content=edited,
                         now=NOW)  # fmt: skip
    assert err.value.code == "pi.signed_frozen"

    second = pi.new_version(ws.uow_factory(), actor=ws.actor, version_id=first.id, now=LATER)
    assert (second.number, second.status) == (2, PiStatus.BOZZA)
    draft = PiContent.from_data(second.content)
    assert draft.header.version_kind is VersionKind.AGGIORNAMENTO
    assert not any(s.signed for s in draft.signatories)
    changed = replace(draft, objectives=(Objective("cura", "Sollievo", "ore al mese"),))
    pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=second.id, content=changed,
                     now=LATER)  # fmt: skip
    with pytest.raises(UserFacingError) as err:
        pi.new_version(ws.uow_factory(), actor=ws.actor, version_id=second.id, now=LATER)
    assert err.value.code == "pi.not_signed"
    ws.close()  # what was saved is in the store, not in memory
    ws = vault.unlock("mrossi", "una-password-lunga")
    listed = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=LATER)
    assert [(v.number, v.status) for v in listed] == [(1, PiStatus.FIRMATA), (2, PiStatus.BOZZA)]
    changes = pi.diff_versions(ws.uow_factory(), actor=ws.actor, old_id=first.id,
                               new_id=second.id, now=LATER)  # fmt: skip
    paths = {c.path: (c.old, c.new) for c in changes}
    assert paths[("objectives", 0, "indicator")] == ("ore", "ore al mese")
    assert paths[("header", "version_kind")] == ("prima_stesura", "aggiornamento")
    assert paths[("signatories", 0, "signed")] == (True, False)
    ws.close()


def test_administrative_staff_never_receive_the_evaluation_narrative(
    created: tuple[Vault, OpenStore, str],
) -> None:
    vault, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    first = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    ws.add_operator(username="impiegata", full_name="Carla", roles=frozenset({Role.AMMINISTRATIVO}),
                    password="password-impiegata")  # fmt: skip
    clerk = vault.unlock("impiegata", "password-impiegata")
    [seen] = pi.versions(clerk.uow_factory(), actor=clerk.actor, istanza_id=istanza_id, now=NOW)
    assert EVALUATION not in seen.content
    assert "Casa al primo piano" not in repr(seen.content)
    # The clerk edits the objectives; the stored narrative stays as the social worker wrote it.
    mine = replace(PiContent.from_data(seen.content), objectives=(Objective("casa", "x", "y"),))
    saved = pi.save_pi_draft(clerk.uow_factory(), actor=clerk.actor, version_id=first.id,
                             content=mine, now=NOW)  # fmt: skip
    assert EVALUATION not in saved.content
    [full] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    content = PiContent.from_data(full.content)
    assert content.evaluation.housing.startswith("Casa al primo piano")
    assert content.objectives == (Objective("casa", "x", "y"),)
    clerk.close()


# -- the ISEE the istanza was judged on, the budget the engine recognises ----------------------


@pytest.mark.parametrize(
    "choose",
    [("judged",), (), ("judged", "newer")],
    ids=["chosen-in-the-wizard", "none-chosen", "both-chosen"],
)
def test_pi_prefill_shows_the_isee_the_istanza_was_judged_on_not_the_latest(
    created: tuple[Vault, OpenStore, str], choose: tuple[str, ...]
) -> None:
    _, ws, _ = created
    istanza_id, _ids = seed_isee_history(ws, choose=choose)
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=LATER_ISEE)
    economic = PiContent.from_data(version.content).economic
    assert economic.value == Decimal("18500.00")  # not the 45.000,00 € of 2026
    assert economic.dsu_protocol == "INPS-ISEE-2024-000000018-00"
    assert economic.isee_type == "sociosanitario"


def test_pi_budget_prefills_what_the_engine_grants_under_the_avviso_fund(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    uow = ws.uow_factory()
    with uow:  # 1.500,00 € requested; the avviso grants 1.200,00 € a year
        content = IstanzaContent.from_data(uow.istanze.content(istanza_id))
        more = replace(content.requests[0], amount="1500.00")
        uow.istanze.save_content(istanza_id, replace(content, requests=(more,)).to_data(),
                                 now=NOW)  # fmt: skip
        uow.commit()
    version = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    prefilled = PiContent.from_data(version.content)
    [line] = prefilled.interventions
    assert line.total == Decimal("1500.00")  # the cost, as requested
    budget = {b.source: b for b in prefilled.budget}
    assert budget[FundingSource.FNA].total == Decimal("1200.00")  # what the engine recognises
    assert all(b.total is None for s, b in budget.items() if s is not FundingSource.FNA)
    totals = prefilled.totals()
    assert totals.shortfall == Decimal("300.00")
    assert fund_label(prefilled.header.avviso_title) == "Caregiver familiare 2023"


def test_a_version_with_values_kept_as_typed_is_stored_but_not_signed(
    created: tuple[Vault, OpenStore, str],
) -> None:
    from caseworker_app.services import signatures

    _, ws, _ = created
    _case_id, istanza_id = seed_case(ws)
    first = pi.start_pi(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    content = _signed_by_all(PiContent.from_data(first.content))
    [line, *rest] = content.interventions
    typed = replace(content, interventions=(
        replace(line, monthly=None, typed={"monthly": "1234.567"}), *rest),
        monitoring=replace(content.monitoring, typed={"checks": "31/02/2024"}))  # fmt: skip
    pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=first.id, content=typed,
                     now=NOW)  # fmt: skip
    [stored] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    assert PiContent.from_data(stored.content) == typed  # kept as typed in the store
    with pytest.raises(UserFacingError) as err:
        pi.sign_pi(ws.uow_factory(), actor=ws.actor, version_id=first.id, place="Abbiategrasso",
                   signed_on=date(2023, 11, 21), now=NOW)  # fmt: skip
    assert (err.value.code, err.value.params["count"]) == ("pi.kept_as_typed", 2)
    assert err.value.params["reason"] == "pi.typed.interventions.monthly"
    with pytest.raises(UserFacingError) as err:
        signatures.attach_signed_scan(
            ws.uow_factory(), actor=ws.actor, version_id=first.id,
            content=b"\xff\xd8\xff\xe0" + b"scansione" * 100, now=NOW,
            place="Abbiategrasso", signed_on=date(2023, 11, 24),
        )  # fmt: skip
    assert err.value.code == "pi.kept_as_typed"
    [still] = pi.versions(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, now=NOW)
    assert still.status is PiStatus.BOZZA
    fixed = replace(
        typed,
        interventions=content.interventions,
        monitoring=replace(content.monitoring, checks=(date(2024, 2, 29),)),
    )
    pi.save_pi_draft(ws.uow_factory(), actor=ws.actor, version_id=first.id, content=fixed,
                     now=NOW)  # fmt: skip
    signed = pi.sign_pi(ws.uow_factory(), actor=ws.actor, version_id=first.id,
                        place="Abbiategrasso", signed_on=date(2023, 11, 21), now=NOW)  # fmt: skip
    assert signed.status is PiStatus.FIRMATA
