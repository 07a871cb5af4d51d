"""The audit hash chain detects any edit, insertion or removal."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.audit import (
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    AuditEvent,
    chain,
    verify_chain,
)

START = datetime(2026, 1, 1, 8, 0)


def _log(n: int) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    prev = GENESIS_HASH
    for i in range(n):
        entry = AuditEntry(
            START + timedelta(minutes=i),
            f"op{i % 3}",
            list(AuditAction)[i % 14],
            "case_file",
            f"id-{i}",
        )
        event = chain(entry, seq=i + 1, prev_hash=prev)
        events.append(event)
        prev = event.hash
    return events


def test_intact_log_verifies() -> None:
    assert verify_chain(_log(30)) == []


@given(st.integers(min_value=2, max_value=25), st.data())
def test_any_edited_field_is_detected(n: int, data: st.DataObject) -> None:
    events = _log(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    field = data.draw(st.sampled_from(["operator", "action", "entity_type", "entity_id", "at"]))
    value: object = START - timedelta(days=1) if field == "at" else "manomesso"
    events[i] = replace(events[i], **{field: value})
    problems = verify_chain(events)
    assert (events[i].seq, "altered") in {(p.seq, p.kind) for p in problems}


@given(st.integers(min_value=3, max_value=25), st.data())
def test_any_removed_event_in_the_middle_is_detected(n: int, data: st.DataObject) -> None:
    events = _log(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    del events[i]
    assert verify_chain(events) != []


def test_recomputed_hash_breaks_the_next_link() -> None:
    events = _log(5)
    forged = chain(
        AuditEntry(events[2].at, "altro", AuditAction.READ, "case_file", "x"),
        seq=3,
        prev_hash=events[1].hash,
    )
    events[2] = forged
    kinds = {(p.seq, p.kind) for p in verify_chain(events)}
    assert (4, "broken_link") in kinds
