"""The capofila's new edition of an avviso, written with tomlkit from a definition file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caseworker_app.definitions.avvisi import parse_avviso
from caseworker_app.definitions.avviso_edition import (
    ClassSpec,
    EditionChanges,
    EditionFieldError,
    OrderSpec,
    write_edition,
)
from caseworker_app.definitions.avviso_sample import preview
from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.rules.avviso import IncompatibleReq, SubmissionReq
from caseworker_app.domain.rules.verdict import Outcome
from caseworker_app.messages import render

CAREGIVER = "abbiatense-caregiver-2023"
TEMPLATE = "lombardia-assistenti-familiari-2007"


def source(name: str) -> bytes:
    return (forms_dir() / "avvisi" / f"{name}.toml").read_bytes()


def edition(name: str, changes: EditionChanges, new_id: str = "abbiatense-caregiver-2024"):
    return write_edition(
        source(name), based_on=f"{name}@1", new_id=new_id, new_version="1", changes=changes
    )


def test_a_new_edition_keeps_every_comment_of_the_file_and_changes_only_its_values() -> None:
    written = edition(CAREGIVER, EditionChanges(budgets={"graduatoria": Decimal("25000")}))
    text = written.data.decode()
    comments = [line.strip() for line in source(CAREGIVER).decode().splitlines() if "#" in line]
    for comment in comments:
        assert comment.split("#", 1)[1] in text
    assert 'budget = "25000.00"                         # art. 1' in text
    assert text.startswith("# Edition written at the capofila")
    assert written.name == "abbiatense-caregiver-2024.toml"
    assert written.avviso.id == "abbiatense-caregiver-2024" and written.avviso.version == "1"
    assert written.avviso.rankings[0].budget == Decimal("25000.00")


def test_each_field_change_is_read_back_by_the_loader() -> None:
    changes = EditionChanges(
        title="Caregiver familiare 2024",
        submission_opens=date(2024, 12, 1),
        submission_closes=date(2025, 1, 22),
        isee_deadline=date(2025, 1, 31),
        transmission_until=date(2025, 2, 20),
        window_start=date(2024, 1, 1),
        window_end=date(2024, 12, 31),
        window_policy="cut",
        total_cap=Decimal("1500.00"),
        isee_maxima={"adult": Decimal("26000.00"), "minor": Decimal("41000.00")},
        classes={"graduatoria": (ClassSpec(1, "Nuove domande"),)},
        order={"graduatoria": (OrderSpec("isee"), OrderSpec("birth_date", cite="art. 5"))},
        documents_required=("documento_identita", "isee"),
        incompatible_measures=("b1", "rsa_aperta"),
    )
    avviso = edition(CAREGIVER, changes).avviso
    reread = parse_avviso(edition(CAREGIVER, changes).data, file="abbiatense-caregiver-2024.toml")
    assert reread == avviso
    assert avviso.title == "Caregiver familiare 2024"
    submission = next(q for q in avviso.requirements if isinstance(q, SubmissionReq))
    assert (submission.opens, submission.closes) == (date(2024, 12, 1), date(2025, 1, 22))
    assert avviso.window is not None and avviso.window.end == date(2024, 12, 31)
    assert avviso.window.policy == "cut" and avviso.total_cap == Decimal("1500.00")
    assert avviso.transmission_until == date(2025, 2, 20)
    assert [g.maximum for g in avviso.requirements[4].groups] == [  # type: ignore[union-attr]
        Decimal("26000.00"),
        Decimal("41000.00"),
    ]
    ranking = avviso.rankings[0]
    assert [c.label for c in ranking.classes] == ["Nuove domande"]
    assert [k.key for k in ranking.order] == ["isee", "birth_date"]
    incompatible = next(q for q in avviso.requirements if isinstance(q, IncompatibleReq))
    assert incompatible.measures == frozenset({"b1", "rsa_aperta"})  # a requirement added


def test_an_intervention_amount_of_a_sportello_is_changed() -> None:
    avviso = edition(
        "pavese-b2-2024-voucher",
        EditionChanges(
            amounts={"a1_domiciliare": Decimal("700.00")}, max_days={"a2_ricovero_sollievo": 20}
        ),
        new_id="pavese-b2-2025-voucher",
    ).avviso
    assert avviso.interventions["a1_domiciliare"].amount == Decimal("700.00")
    assert avviso.interventions["a2_ricovero_sollievo"].max_days == 20


@pytest.mark.parametrize(
    ("changes", "field", "label"),
    [
        (EditionChanges(window_end=date(2022, 1, 1)), "window.end", "Periodo degli interventi: al"),
        (
            EditionChanges(budgets={"graduatoria": Decimal("-5")}),
            "budget:graduatoria",
            "Budget della graduatoria «graduatoria»",
        ),
        (
            EditionChanges(incompatible_measures=("b1", "b1")),
            "incompatible",
            "Misure incompatibili",
        ),
        (
            EditionChanges(documents_required=("passaporto",)),
            "documents",
            "Documenti richiesti",
        ),
        (
            EditionChanges(classes={"graduatoria": (ClassSpec(1, "A"), ClassSpec(1, "B"))}),
            "classes:graduatoria",
            "Classi di priorità della graduatoria «graduatoria»",
        ),
    ],
)
def test_an_invalid_value_is_refused_with_a_message_naming_the_field(
    changes: EditionChanges, field: str, label: str
) -> None:
    with pytest.raises(EditionFieldError) as caught:
        edition(CAREGIVER, changes)
    assert caught.value.field == field
    assert render(caught.value.code, caught.value.params).startswith(f"«{label}»: ")


def test_an_invalid_id_is_refused_naming_the_field() -> None:
    with pytest.raises(EditionFieldError) as caught:
        edition(CAREGIVER, EditionChanges(), new_id="Caregiver 2024")
    assert caught.value.field == "id"


def test_the_2007_template_is_completed_the_same_way() -> None:
    partial = edition(TEMPLATE, EditionChanges(ambito="abbiatense"), new_id="abb-af-2025")
    assert partial.avviso.template and partial.missing is not None
    assert partial.missing[0] == "allocation"
    done = edition(
        TEMPLATE,
        EditionChanges(
            ambito="abbiatense",
            allocation="sportello",
            budgets={"buono": Decimal("30000.00")},
            isee_maxima={"adult": Decimal("25000.00"), "minor": Decimal("40000.00")},
            amounts={
                "contributo_oneri_contributivi": Decimal("150.00"),
                "contributo_retribuzione": Decimal("300.00"),
            },
            window_start=date(2025, 1, 1),
            window_end=date(2025, 12, 31),
        ),
        new_id="abb-af-2025",
    )
    assert done.missing is None and not done.avviso.template and done.avviso.unset == ()
    assert "Decision: this is a TEMPLATE" in done.data.decode()  # its comments kept
    result = preview(done.avviso)
    assert result.verdict.outcome is Outcome.AMMISSIBILE
    assert result.verdict.amount == Decimal("1350.00")  # 3 months x (150 + 300)


def test_the_preview_shows_what_the_edition_grants_the_worked_example() -> None:
    before = preview(edition(CAREGIVER, EditionChanges()).avviso).verdict
    after = preview(edition(CAREGIVER, EditionChanges(total_cap=Decimal("1000.00"))).avviso).verdict
    assert before.outcome is Outcome.AMMISSIBILE and before.amount == Decimal("1200.00")
    assert after.amount == Decimal("1000.00")
