"""The rules of domain/transmission.py: the audit heads a capofila keeps of each sender, and the
file names (never personal data)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.transmission import chain_rewritten, file_name

H = "a" * 64
OTHER = "b" * 64


def test_a_chain_that_still_holds_every_earlier_head_is_not_flagged() -> None:
    held = [AuditHead(10, H), AuditHead(20, OTHER)]
    chain = (AuditHead(10, H), AuditHead(20, OTHER))
    assert chain_rewritten(held, AuditHead(35, "c" * 64), chain) is None
    assert chain_rewritten([], AuditHead(1, H), ()) is None
    # the new head may be an earlier head itself (nothing happened in between)
    assert chain_rewritten([AuditHead(20, OTHER)], AuditHead(20, OTHER), ()) is None


def test_a_changed_hash_a_shorter_chain_or_a_missing_head_is_flagged() -> None:
    held = [AuditHead(10, H), AuditHead(20, OTHER)]
    assert chain_rewritten(held, AuditHead(35, H), (AuditHead(10, H), AuditHead(20, H))) == (
        AuditHead(20, OTHER)
    )
    assert chain_rewritten(held, AuditHead(15, H), (AuditHead(10, H),)) == AuditHead(20, OTHER)
    assert chain_rewritten(held, AuditHead(35, H), (AuditHead(20, OTHER),)) == AuditHead(10, H)
    assert chain_rewritten(held, None, ()) == AuditHead(10, H)


@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from([H, OTHER])), max_size=20))
def test_a_sender_that_reports_its_chain_as_it_was_is_never_flagged(
    heads: list[tuple[int, str]],
) -> None:
    by_seq = dict(heads)  # one hash per sequence: a chain
    held = [AuditHead(s, h) for s, h in by_seq.items()]
    last = max(by_seq, default=0)
    assert chain_rewritten(held, AuditHead(last + 1, H), tuple(held)) is None


def test_file_names_carry_the_comune_the_day_and_a_counter() -> None:
    assert file_name("A010", date(2024, 3, 1), 1) == "A010-20240301-001.cwt"
    assert file_name("B448", date(2026, 12, 10), 12) == "B448-20261210-012.cwt"
