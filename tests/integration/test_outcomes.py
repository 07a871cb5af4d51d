"""The outcomes (esiti) from the capofila back to each comune (issue 13), on three real encrypted
stores: two comuni sent their istruttorie, the capofila ranks and approves, writes one sealed
file per comune, and each comune imports its own: the states move, audited, once; a later run
supersedes, an older one is stale; another comune's file, a tampered one, a forged one naming an
istanza never sent are refused with the comune's store unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app import __version__
from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.installation_keys import PeerKeyStatus
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.outcomes import KIND, MEMBER, STATE_OF, OutcomeLine, Outcomes
from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.domain.rules.money import format_eur
from caseworker_app.domain.run_explanation import reasons
from caseworker_app.domain.transmission import TransmissionState
from caseworker_app.services import letters, outcomes_import, ranking_runs, transmissions
from caseworker_app.services.audit_log import verify_audit
from caseworker_app.services.outcomes import OutcomesFile, write_outcomes
from caseworker_app.services.outcomes_import import ImportedOutcomes
from caseworker_app.services.transfer_parties import own_party
from caseworker_app.transfer.outcomes_json import outcomes_json, outcomes_payload
from caseworker_app.transfer.sealed import RecipientRef, write_sealed

from .transmission_stores import AVVISO, NOW, Ambito, make_ambito, receive_all, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FINAL_ON = date(2027, 12, 31)  # every promised document's deadline passed: the run is final
LATER = datetime(2026, 12, 12, 10, 0)


@pytest.fixture
def received(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[Ambito]:
    """An ambito whose two comuni sent their istruttorie to the capofila."""
    for ambito in make_ambito(tmp_path, make_vault):
        receive_all(ambito)
        yield ambito


def approved_run(
    ambito: Ambito, *, budget: Decimal | None = None, determina: str = "123/2026"
) -> StoredRun:
    store = ambito.capofila
    stored = ranking_runs.rank_received(
        store.uow_factory(), actor=store.actor, avviso_id=AVVISO, on=FINAL_ON, budget=budget,
        now=NOW,
    )  # fmt: skip
    return ranking_runs.approve_run(
        store.uow_factory(), actor=store.actor, run_id=stored.run.id, determina=determina,
        on=date(2026, 12, 11), now=LATER,
    )  # fmt: skip


def write(ambito: Ambito, stored: StoredRun, out: Path) -> dict[str, OutcomesFile]:
    out.mkdir(exist_ok=True)
    store = ambito.capofila
    files = write_outcomes(
        store.uow_factory(), actor=store.actor, stored=stored, out_dir=out, now=LATER,
        reasons=reasons(stored.run),
    )  # fmt: skip
    return {f.comune: f for f in files}


def import_at(ambito: Ambito, comune: str, path: Path) -> ImportedOutcomes:
    result = ambito.import_(ambito.comuni[comune], path, at=LATER)
    assert isinstance(result, ImportedOutcomes)
    return result


def states_of(ambito: Ambito, comune: str) -> dict[str, IstanzaState]:
    """protocol -> the istanza's state, for the istanze the comune sent."""
    store = ambito.comuni[comune]
    with store.uow_factory() as uow:
        items = uow.transmissions.latest_items()
        found = {}
        for item in items.values():
            istanza = uow.istanze.get(IstanzaId(item.istanza_id))
            assert istanza is not None
            found[item.protocol] = istanza.state
        return found


def refused(ambito: Ambito, comune: str, path: Path) -> UserFacingError:
    store = ambito.comuni[comune]
    before = snapshot(store)
    with pytest.raises(UserFacingError) as caught:
        ambito.import_(store, path, at=LATER)
    assert snapshot(store) == before  # nothing written
    return caught.value


def test_outcomes_reach_each_comune_and_move_their_states(received: Ambito, tmp_path: Path) -> None:
    ambito = received
    stored = approved_run(ambito)
    run = stored.run
    files = write(ambito, stored, tmp_path / "esiti")
    assert set(files) == {"A127", "B448"}
    for code, f in files.items():
        assert f.path.name == f"A010-esiti-{AVVISO}-n{run.number}-{code}.cwt"
        assert f.path.stat().st_mode & 0o777 == 0o600
        assert f.lines == sum(r.comune == code for r in run.rows)
        assert f.approved and not f.again
    with ambito.capofila.uow_factory() as uow:
        exported = [e for e in list(uow.audit.iterate()) if e.entity_type == "esiti"]
    assert {e.entity_id for e in exported} == {f.transmission for f in files.values()}
    assert all(e.action == AuditAction.EXPORT for e in exported)

    explained = reasons(run)
    for code, f in files.items():
        store = ambito.comuni[code]
        result = import_at(ambito, code, f.path)
        assert not result.already_imported and result.approved
        assert result.run_id == run.id and result.determina == "123/2026"
        rows = {r.protocol: r for r in run.rows if r.comune == code}
        assert {i.protocol for i in result.istanze} == set(rows)
        states = states_of(ambito, code)
        tstates = transmissions.transmission_states(store.uow_factory(), actor=store.actor)
        for applied in result.istanze:
            row = rows[applied.protocol]
            assert applied.outcome is row.outcome and applied.amount == row.amount
            assert states[applied.protocol] is STATE_OF[row.outcome]
            assert tstates[applied.istanza_id] is TransmissionState.ESITO_RICEVUTO
            assert applied.moved
            kept = outcomes_import.current_outcome(
                store.uow_factory(), actor=store.actor, istanza_id=applied.istanza_id
            )
            assert kept is not None and kept.approved and kept.run_number == run.number
            assert kept.line.reason == explained[row.ident]
            assert kept.line.position == row.position and kept.line.amount == row.amount
        with store.uow_factory() as uow:
            first = result.istanze[0]
            history = uow.istanze.transitions(IstanzaId(first.istanza_id))
            events = list(uow.audit.iterate())
        assert history[-1].to_state is STATE_OF[first.outcome]
        assert "determina 123/2026" in history[-1].reason
        assert any(e.entity_type == "esiti" and e.action == AuditAction.IMPORT for e in events)
        updated = {e.entity_id for e in events if e.entity_type == "istanza"}
        assert {i.istanza_id for i in result.istanze} <= updated
        assert verify_audit(store.uow_factory()).ok
        # the letter to the applicant prints the outcome the capofila sent
        pdf = letters.print_outcome_letter(
            store.uow_factory(), actor=store.actor, istanza_id=first.istanza_id, now=LATER
        )
        text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
        text = " ".join(text.split())
        assert f"n. {run.number}" in text and "123/2026" in text
        if first.amount > 0:
            assert format_eur(first.amount) in text

        # the same file again: "già importato", nothing changes
        before = snapshot(store)
        again = import_at(ambito, code, f.path)
        assert again.already_imported and again.moved == 0
        assert snapshot(store) == before

    # asked again, the capofila gives the very same files; a different file is never overwritten
    same = write(ambito, stored, tmp_path / "esiti")
    assert all(s.again and s.path.read_bytes() == files[c].path.read_bytes()
               for c, s in same.items())  # fmt: skip
    elsewhere = write(ambito, stored, tmp_path / "copia")
    assert elsewhere["A127"].path.read_bytes() == files["A127"].path.read_bytes()
    assert import_at(ambito, "A127", elsewhere["A127"].path).already_imported
    intruder = tmp_path / "altro"
    intruder.mkdir()
    (intruder / files["B448"].path.name).write_bytes(b"another file")
    with pytest.raises(UserFacingError) as caught:
        write(ambito, stored, intruder)
    assert caught.value.code == "transfer.target_exists"
    assert not (intruder / files["A127"].path.name).exists()  # all or nothing

    # the other comune's file is not for this one
    error = refused(ambito, "A127", files["B448"].path)
    assert error.code in {"transfer.not_for_this_installation", "outcomes.not_for_us"}


def test_a_later_run_supersedes_and_an_older_one_is_stale(received: Ambito, tmp_path: Path) -> None:
    ambito = received
    small = approved_run(ambito, budget=Decimal("300.00"), determina="1/2026")
    first = write(ambito, small, tmp_path / "n1")
    import_at(ambito, "A127", first["A127"].path)
    full = approved_run(ambito, determina="2/2026")
    assert full.run.number == small.run.number + 1
    second = write(ambito, full, tmp_path / "n2")

    result = import_at(ambito, "A127", second["A127"].path)
    assert not result.already_imported
    rows = {r.protocol: r for r in full.run.rows if r.comune == "A127"}
    before = {r.protocol: r for r in small.run.rows if r.comune == "A127"}
    states = states_of(ambito, "A127")
    assert all(states[p] is STATE_OF[r.outcome] for p, r in rows.items())
    changed = {p for p in rows if rows[p].outcome is not before[p].outcome}
    assert changed, "the smaller budget funded the same istanze: the test proves nothing"
    assert {i.protocol for i in result.istanze if i.moved} == changed
    # the first file again: already imported (the same file), nothing moves back
    assert import_at(ambito, "A127", first["A127"].path).already_imported
    assert states_of(ambito, "A127") == states

    # B448 receives the later run first: the older run's file is then stale
    import_at(ambito, "B448", second["B448"].path)
    error = refused(ambito, "B448", first["B448"].path)
    assert error.code == "outcomes.stale"
    assert (error.params["number"], error.params["held"]) == (small.run.number, full.run.number)


def test_a_run_not_approved_is_recorded_but_moves_nothing(received: Ambito, tmp_path: Path) -> None:
    ambito = received
    store = ambito.capofila
    ranking_runs.rank_received(
        store.uow_factory(), actor=store.actor, avviso_id=AVVISO, on=FINAL_ON, now=NOW
    )
    latest = ranking_runs.outcome_run(
        store.uow_factory(), actor=store.actor, avviso_id=AVVISO, latest=True
    )
    # a provisional run (documents still promised) sends no outcomes
    provisional = replace(latest, run=replace(latest.run, provisional=True))
    with pytest.raises(UserFacingError) as caught:
        write(ambito, provisional, tmp_path / "prov")
    assert caught.value.code == "outcomes.provisional_run"
    assert not (tmp_path / "prov").exists() or not list((tmp_path / "prov").iterdir())
    files = write(ambito, latest, tmp_path / "preview")
    assert not files["A127"].approved
    comune = ambito.comuni["A127"]
    states = states_of(ambito, "A127")
    tstates = transmissions.transmission_states(comune.uow_factory(), actor=comune.actor)
    result = import_at(ambito, "A127", files["A127"].path)
    assert not result.approved and result.moved == 0
    assert states_of(ambito, "A127") == states
    assert set(states.values()) == {IstanzaState.TRASMESSA}
    assert transmissions.transmission_states(comune.uow_factory(), actor=comune.actor) == tstates
    kept = outcomes_import.current_outcome(
        comune.uow_factory(), actor=comune.actor, istanza_id=result.istanze[0].istanza_id
    )
    assert kept is not None and not kept.approved and kept.determina is None

    # approved afterwards: the same run's file, approved, now moves the states
    approved = ranking_runs.approve_run(
        store.uow_factory(), actor=store.actor, run_id=latest.run.id, determina="9/2026",
        on=date(2026, 12, 11), now=LATER,
    )  # fmt: skip
    final = write(ambito, approved, tmp_path / "final")
    moved = import_at(ambito, "A127", final["A127"].path)
    assert moved.approved and moved.moved == len(moved.istanze)
    assert IstanzaState.TRASMESSA not in set(states_of(ambito, "A127").values())
    # the preview again is the same run, not approved: nothing new
    assert import_at(ambito, "A127", files["A127"].path).already_imported


def test_tampered_forged_and_keyless_are_refused(received: Ambito, tmp_path: Path) -> None:
    ambito = received
    stored = approved_run(ambito)
    files = write(ambito, stored, tmp_path / "esiti")
    path = files["A127"].path
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    tampered = tmp_path / "tampered.cwt"
    tampered.write_bytes(bytes(raw))
    assert refused(ambito, "A127", tampered).code == "transfer.damaged"

    # signed by the capofila, but naming an istanza A127 never sent
    store = ambito.capofila
    comune = ambito.comuni["A127"]
    with comune.uow_factory() as uow:
        own = own_party(uow, now=NOW, actor=comune.actor.username).bundle
    line = OutcomeLine("A127", "A127-9999-999999", 1, 1, None, None, Funding.FINANZIATA,
                       Decimal("10.00"), "Finanziata")  # fmt: skip
    forged_outcomes = Outcomes(
        "A127", AVVISO, stored.run.avviso_version, stored.run.id, stored.run.number,
        stored.content_sha256, "123/2026", date(2026, 12, 11), True, False,
        LATER.astimezone(), (line,),
    )  # fmt: skip
    forged = tmp_path / "forged.cwt"
    with store.uow_factory() as uow:
        party = own_party(uow, now=NOW, actor=store.actor.username)
        write_sealed(
            forged, kind=KIND, sender=party.sender, signing_key=party.signing_key,
            recipients=[party.own_recipient, *_recipient(own.age_recipient)],
            recipient=RecipientRef(own.fingerprint.digits, own.age_recipient),
            members={MEMBER: outcomes_json(forged_outcomes)}, payload=outcomes_payload(),
            app_version=__version__, created_at=LATER.astimezone(),
        )  # fmt: skip
    error = refused(ambito, "A127", forged)
    assert (error.code, error.params["istanza"]) == ("outcomes.inconsistent", line.protocol)
    # the same, for another comune than this one
    other = replace(forged_outcomes, comune="B448", lines=(replace(line, comune="B448"),))
    forged_other = tmp_path / "other.cwt"
    with store.uow_factory() as uow:
        party = own_party(uow, now=NOW, actor=store.actor.username)
        write_sealed(
            forged_other, kind=KIND, sender=party.sender, signing_key=party.signing_key,
            recipients=_recipient(own.age_recipient),
            recipient=RecipientRef(own.fingerprint.digits, own.age_recipient),
            members={MEMBER: outcomes_json(other)}, payload=outcomes_payload(),
            app_version=__version__, created_at=LATER.astimezone(),
        )  # fmt: skip
    error = refused(ambito, "A127", forged_other)
    assert (error.code, error.params["comune"]) == ("outcomes.other_comune", "B448")
    # the istanze moved nowhere
    assert set(states_of(ambito, "A127").values()) == {IstanzaState.TRASMESSA}

    # a comune whose keys are not confirmed at the capofila: named, nothing written
    with store.uow_factory() as uow:
        peers = [
            p for p in uow.keys.list_peers(PeerKeyStatus.CONFERMATA) if "B448" in p.bundle.comuni
        ]
        for peer in peers:
            uow.keys.save_peer(replace(peer, status=PeerKeyStatus.REVOCATA))
        uow.commit()
    empty = tmp_path / "vuota"
    empty.mkdir()
    with pytest.raises(UserFacingError) as caught:
        write(ambito, stored, empty)
    assert (caught.value.code, caught.value.params["comune"]) == ("outcomes.no_comune_key", "B448")
    assert list(empty.iterdir()) == []


def _recipient(age_recipient: str) -> list[object]:
    from caseworker_app.security import transfer_keys

    return [transfer_keys.load_recipient(age_recipient)]
