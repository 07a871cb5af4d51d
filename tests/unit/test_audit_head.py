"""The head of the audit chain as written down: display form, parsing, the anchor check."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.audit import (
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    AuditHead,
    anchor_problem,
    chain,
    event_hash,
    parse_audit_head,
    row_content_hash,
    verify_chain,
)
from caseworker_app.domain.errors import UserFacingError

HEX64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
HEADS = st.builds(AuditHead, st.integers(min_value=1, max_value=10**9), HEX64)


@given(HEADS)
def test_display_form_parses_back(head: AuditHead) -> None:
    assert parse_audit_head(head.display) == head
    assert parse_audit_head(head.written) == head


@given(HEADS, st.sampled_from([" ", "-", "  ", " - "]), st.booleans())
def test_groups_copied_by_hand_parse_back(head: AuditHead, sep: str, upper: bool) -> None:
    digest = sep.join(head.groups())
    typed = f" {head.seq} : {digest.upper() if upper else digest} "
    assert parse_audit_head(typed) == head


def test_display_is_in_groups_of_four() -> None:
    head = AuditHead(1234, "3f2a9c01" + "0" * 56)
    assert head.display.startswith("n. 1234 · 3f2a 9c01 0000 ")
    assert len(head.groups()) == 16


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "audit.anchor_format"),
        ("3f2a9c01" * 8, "audit.anchor_format"),
        ("0:" + "a" * 64, "audit.anchor_seq"),
        ("dodici:" + "a" * 64, "audit.anchor_seq"),
        ("12:" + "a" * 63, "audit.anchor_hash"),
        ("12:" + "a" * 65, "audit.anchor_hash"),
        ("12:" + "g" * 64, "audit.anchor_hash"),
        ("12:" + "a" * 60 + "…", "audit.anchor_hash"),
    ],
)
def test_anything_else_is_refused_saying_what_to_type(typed: str, code: str) -> None:
    with pytest.raises(UserFacingError) as raised:
        parse_audit_head(typed)
    assert raised.value.code == code


def _events(n: int) -> list:  # type: ignore[type-arg]
    events, prev = [], GENESIS_HASH
    for i in range(n):
        entry = AuditEntry(datetime(2026, 1, 1, 9, i), "mrossi", AuditAction.READ, "case_file", "c")
        event = chain(entry, seq=i + 1, prev_hash=prev, content_hash="v1:" + "ab" * 32)
        events.append(event)
        prev = event.hash
    return events


def test_anchor_holds_only_with_the_same_seq_and_hash() -> None:
    events = _events(5)
    head = AuditHead(events[2].seq, events[2].hash)
    assert anchor_problem(events, head) is None
    assert anchor_problem({e.seq: e for e in events}.get, head) is None
    problem = anchor_problem(events[:2], head)
    assert problem is not None and (problem.seq, problem.kind) == (3, "anchor_missing")
    other = AuditHead(3, "0" * 64)
    assert anchor_problem(events, other) is not None


def test_event_without_content_hash_hashes_as_before() -> None:
    at = datetime(2026, 1, 1, 9, 0)
    args = dict(seq=1, at=at, operator="a", action="read", entity_type="x", entity_id="y",
                prev_hash=GENESIS_HASH)  # fmt: skip
    assert event_hash(**args) == event_hash(**args, content_hash=None)  # type: ignore[arg-type]
    assert event_hash(**args) != event_hash(**args, content_hash="v1:" + "0" * 64)  # type: ignore[arg-type]


def test_a_changed_content_hash_breaks_the_event() -> None:
    from dataclasses import replace

    events = _events(3)
    events[1] = replace(events[1], content_hash="v1:" + "cd" * 32)
    assert (2, "altered") in {(p.seq, p.kind) for p in verify_chain(events)}


def test_row_content_hash_is_versioned_and_canonical() -> None:
    a = row_content_hash({"persons.surname": "Rossi", "persons.birth_date": None})
    b = row_content_hash({"persons.birth_date": None, "persons.surname": "Rossi"})
    assert a == b and a.startswith("v1:") and len(a) == 67
    assert row_content_hash({"persons.surname": "Verdi", "persons.birth_date": None}) != a
