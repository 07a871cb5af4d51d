"""The capofila writes the next avviso ("Nuova edizione da…"), releases it, and the comuni judge
with it once the ambito package brought it (issue 13), on real encrypted stores."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.definitions.avviso_edition import EditionChanges
from caseworker_app.definitions.avviso_files import DefinitionFile, install_definitions
from caseworker_app.definitions.avviso_sample import sample_record
from caseworker_app.domain.ambito_package import Direction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.verdict import Outcome
from caseworker_app.services import ambito_packages, avviso_editions, judging

from .transmission_stores import AVVISO, NOW, Ambito, make_ambito

LATER = NOW + timedelta(hours=1)
BUDGET = Decimal("30000.00")


@pytest.fixture(autouse=True)
def nothing_held_afterwards() -> Iterator[None]:
    """The definitions held are process-wide: the next test starts from the shipped ones."""
    yield
    install_definitions([])


@pytest.fixture
def ambito(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Ambito]:
    yield from make_ambito(tmp_path, make_vault, cases=2)


def draft_v2(ambito: Ambito) -> str:
    store = ambito.capofila
    edition = avviso_editions.new_edition(
        store.uow_factory(),
        actor=store.actor,
        source_id=AVVISO,
        source_version="1",
        new_id=AVVISO,
        new_version="2",
        changes=EditionChanges(
            budgets={"graduatoria": BUDGET},
            window_start=date(2023, 1, 1),
            window_end=date(2024, 6, 30),
            total_cap=Decimal("1000.00"),
        ),
        now=NOW,
    )
    return edition.id


def refused(code: str, work: Callable[[], object]) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        work()
    assert caught.value.code == code
    return caught.value


def test_a_released_edition_is_immutable_through_the_service_and_the_database(
    ambito: Ambito,
) -> None:
    store = ambito.capofila
    uow, actor = store.uow_factory, store.actor
    edition_id = draft_v2(ambito)
    changed = avviso_editions.update_draft(
        uow(),
        actor=actor,
        edition_id=edition_id,
        changes=EditionChanges(budgets={"graduatoria": Decimal("31000.00")}),
        now=NOW,
    )
    assert b'budget = "31000.00"' in changed.content
    released = avviso_editions.release_edition(uow(), actor=actor, edition_id=edition_id, now=NOW)
    assert released.released and released.sha256 == hashlib.sha256(released.content).hexdigest()
    refused("editions.released", lambda: avviso_editions.update_draft(
        uow(), actor=actor, edition_id=edition_id, changes=EditionChanges(), now=NOW))  # fmt: skip
    refused("editions.released", lambda: avviso_editions.delete_draft(
        uow(), actor=actor, edition_id=edition_id, now=NOW))  # fmt: skip
    with store.engine.connect() as conn:
        for sql in (
            "UPDATE avviso_editions SET content = x'00' WHERE id = :id",
            "UPDATE avviso_editions SET released_at = NULL WHERE id = :id",
            "DELETE FROM avviso_editions WHERE id = :id",
        ):
            with pytest.raises(DBAPIError, match="immutable"):
                conn.exec_driver_sql(sql.replace(":id", f"'{edition_id}'"))
            conn.rollback()
    listed = avviso_editions.editions(uow(), actor=actor)
    assert [(e.avviso, e.version, e.released) for e in listed] == [(AVVISO, "2", True)]
    in_force = {d.avviso: d for d in avviso_editions.definitions_in_force(uow(), actor=actor)}
    assert (in_force[AVVISO].version, in_force[AVVISO].source) == ("2", "edizione")
    assert in_force[AVVISO].sha256 == released.sha256
    assert in_force["lombardia-assistenti-familiari-2007"].template
    # the same id and version cannot be written twice
    refused("editions.exists", lambda: draft_v2(ambito))


def test_a_draft_is_deleted_and_a_template_is_released_only_once_complete(ambito: Ambito) -> None:
    store = ambito.capofila
    uow, actor = store.uow_factory, store.actor
    draft = avviso_editions.new_edition(
        uow(),
        actor=actor,
        source_id="lombardia-assistenti-familiari-2007",
        source_version="1",
        new_id="abbiatense-assistenti-familiari-2025",
        new_version="1",
        changes=EditionChanges(allocation="sportello"),
        now=NOW,
    )
    assert b'ambito = "abbiatense"' in draft.content  # the capofila's ambito adopts it
    error = refused("editions.incomplete", lambda: avviso_editions.release_edition(
        uow(), actor=actor, edition_id=draft.id, now=NOW))  # fmt: skip
    assert error.params["avviso"] == "abbiatense-assistenti-familiari-2025"
    avviso_editions.delete_draft(uow(), actor=actor, edition_id=draft.id, now=NOW)
    assert avviso_editions.editions(uow(), actor=actor) == []


def test_the_ambito_package_carries_the_edition_and_the_comune_judges_with_it(
    ambito: Ambito,
) -> None:
    capofila = ambito.capofila
    edition_id = draft_v2(ambito)
    released = avviso_editions.release_edition(
        capofila.uow_factory(), actor=capofila.actor, edition_id=edition_id, now=NOW
    )
    package = ambito.usb / "ambito-2.cwa"
    exported = ambito_packages.export_ambito_package(
        capofila.uow_factory(), actor=capofila.actor, out=package, now=LATER
    )
    carried = {a.id: (a.version, a.sha256) for a in exported.package.avvisi}
    assert carried[AVVISO] == ("2", released.sha256)
    issued = avviso_editions.packages_issued(capofila.uow_factory(), actor=capofila.actor)
    assert [(p.sequence, p.editions) for p in issued] == [(2, (f"{AVVISO} v2",)), (1, ())]

    comune = ambito.comuni["A127"]
    avviso_editions.install_held_definitions(comune.uow_factory())  # as when the store opens
    assert get_avviso(AVVISO).version == "1"  # the comune has only the first package so far
    record = sample_record(get_avviso(AVVISO))
    before = judging.check_record(avviso=get_avviso(AVVISO), record=record, on=record.submitted_on)
    assert before.amount == Decimal("1200.00")

    ambito.import_(comune, package, at=LATER)
    avviso = get_avviso(AVVISO)
    assert (avviso.version, avviso.rankings[0].budget) == ("2", BUDGET)
    after = judging.check_record(avviso=avviso, record=record, on=record.submitted_on)
    assert after.outcome is Outcome.AMMISSIBILE and after.amount == Decimal("1000.00")
    get_avviso(AVVISO, "1")  # the first version stays, to re-read what was judged with it

    # when the store is opened again, the same definitions come from the store
    install_definitions([])
    avviso_editions.install_held_definitions(comune.uow_factory())
    assert get_avviso(AVVISO).version == "2"
    with comune.uow_factory() as uow:
        assert len(uow.ambito.packages(Direction.IMPORTATO)) == 2
        held = avviso_editions.held_files(uow)
    pinned = next(f for f in held if f.version == "2")
    assert pinned.data == released.content and pinned.sha256 == released.sha256


def test_a_held_definition_whose_bytes_do_not_match_their_hash_is_not_installed() -> None:
    data = (Path(__file__).parents[2] / "forms/avvisi/abbiatense-caregiver-2023.toml").read_bytes()
    good = DefinitionFile(AVVISO, "1", f"{AVVISO}.toml", data, hashlib.sha256(data).hexdigest())
    install_definitions([good])
    altered = replace(good, data=data.replace(b"19453.77", b"99453.77"))
    refused("definitions.held_altered", lambda: install_definitions([altered]))
    forged = replace(altered, sha256=hashlib.sha256(altered.data).hexdigest())
    refused("definitions.held_conflict", lambda: install_definitions([forged]))
    install_definitions([])
