"""The audit log as a hash chain.

Each event records who did what to which entity and when, never field values, and the SHA-256 of
the previous event; an edited, inserted or removed event breaks the chain.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


class AuditAction(enum.StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    UNLOCK = "unlock"
    RECOVERY = "recovery"
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    PRINT = "print"
    EXPORT = "export"
    IMPORT = "import"
    BACKUP = "backup"
    RESTORE = "restore"
    MIGRATE = "migrate"
    MERGE = "merge"  # a duplicate case file merged into another (entity: the duplicate)


@dataclass(frozen=True)
class AuditEntry:
    """An event to append: the store gives it a sequence number and chains it."""

    at: datetime
    operator: str
    action: AuditAction
    entity_type: str
    entity_id: str


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: datetime
    operator: str
    action: str
    entity_type: str
    entity_id: str
    prev_hash: str
    hash: str


def event_hash(
    *,
    seq: int,
    at: datetime,
    operator: str,
    action: str,
    entity_type: str,
    entity_id: str,
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [
            seq,
            at.isoformat(timespec="microseconds"),
            operator,
            action,
            entity_type,
            entity_id,
            prev_hash,
        ],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def chain(entry: AuditEntry, *, seq: int, prev_hash: str) -> AuditEvent:
    digest = event_hash(
        seq=seq,
        at=entry.at,
        operator=entry.operator,
        action=entry.action.value,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        prev_hash=prev_hash,
    )
    return AuditEvent(
        seq,
        entry.at,
        entry.operator,
        entry.action.value,
        entry.entity_type,
        entry.entity_id,
        prev_hash,
        digest,
    )


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "altered" | "missing" | "broken_link"


def verify_chain(events: Iterable[AuditEvent]) -> list[ChainProblem]:
    """Walk the events in sequence order and report every place where the chain does not hold."""
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev = GENESIS_HASH
    for ev in events:
        if ev.seq != expected_seq:
            problems.append(ChainProblem(expected_seq, "missing"))
        if ev.prev_hash != prev:
            problems.append(ChainProblem(ev.seq, "broken_link"))
        recomputed = event_hash(
            seq=ev.seq,
            at=ev.at,
            operator=ev.operator,
            action=ev.action,
            entity_type=ev.entity_type,
            entity_id=ev.entity_id,
            prev_hash=ev.prev_hash,
        )
        if recomputed != ev.hash:
            problems.append(ChainProblem(ev.seq, "altered"))
        prev = ev.hash
        expected_seq = ev.seq + 1
    return problems
