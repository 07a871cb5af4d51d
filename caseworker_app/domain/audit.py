"""The audit log as a hash chain.

Each event records who did what to which entity and when, never field values, and the SHA-256 of
the previous event; an edited, inserted or removed event breaks the chain.

Two additions make a rewrite by someone holding the key detectable:

* the *head* of the chain (``AuditHead``: the last event's number and hash) is written down
  outside the database (the recovery sheet, the backup manifest, a notebook) and checked later
  with ``anchor_problem``: a chain recomputed or emptied since no longer contains it;
* an event on an entity kept in a row (a case file, an istanza) may carry the *content hash* of
  that row as it was after the event (``row_content_hash``, versioned: ``v1:`` + SHA-256 of the
  canonical JSON of a fixed list of columns). The event hash covers it, so ``verify`` can tell a
  row edited outside the application from one edited through it. It says nothing about the
  values: a hash of personal data is never shown.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from caseworker_app.domain.errors import UserFacingError

GENESIS_HASH = "0" * 64
#: the version of the content hashes written now (a later list of columns is a new version)
CONTENT_HASH_VERSION = "v1"
#: the entities kept in a row whose events carry a content hash (columns: store/audit_repository)
CONTENT_ENTITY_TYPES = frozenset({"case_file", "istanza"})


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
    #: the content hash of the row the event concerns, as it was after the event (None: none)
    content_hash: str | None = None


def event_hash(
    *,
    seq: int,
    at: datetime,
    operator: str,
    action: str,
    entity_type: str,
    entity_id: str,
    prev_hash: str,
    content_hash: str | None = None,
) -> str:
    """The SHA-256 of the event; an event without a content hash hashes as before it existed."""
    fields: list[object] = [
        seq,
        at.isoformat(timespec="microseconds"),
        operator,
        action,
        entity_type,
        entity_id,
        prev_hash,
    ]
    if content_hash is not None:
        fields.append(content_hash)
    canonical = json.dumps(
        fields,
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def chain(
    entry: AuditEntry, *, seq: int, prev_hash: str, content_hash: str | None = None
) -> AuditEvent:
    digest = event_hash(
        seq=seq,
        at=entry.at,
        operator=entry.operator,
        action=entry.action.value,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        prev_hash=prev_hash,
        content_hash=content_hash,
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
        content_hash,
    )


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    #: "altered" | "missing" | "broken_link" (the chain itself); "content_changed" (the row of
    #: the entity of event ``seq`` changed since, outside the application); "anchor_missing"
    #: (the head written down with number ``seq`` is no longer in the chain)
    kind: str


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
            content_hash=ev.content_hash,
        )
        if recomputed != ev.hash:
            problems.append(ChainProblem(ev.seq, "altered"))
        prev = ev.hash
        expected_seq = ev.seq + 1
    return problems


# -- the content of a row ---------------------------------------------------------------------


def _canonical_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    raise TypeError(f"no canonical form for {type(value).__name__}")


def row_content_hash(values: Mapping[str, object], *, version: str = CONTENT_HASH_VERSION) -> str:
    """``version:`` + SHA-256 of the canonical JSON of a row's hashed columns (name -> value)."""
    canonical = json.dumps(
        {name: _canonical_value(v) for name, v in values.items()},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return f"{version}:{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def content_hash_version(content_hash: str) -> str:
    """The version of a content hash ("v1"), "" when it has none."""
    version, sep, _digest = content_hash.partition(":")
    return version if sep else ""


# -- the head of the chain, written down outside the database --------------------------------

_SEQ_PART = re.compile(r"^\s*(?:n\.?\s*)?(\d{1,12})\s*$", re.IGNORECASE)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HASH_JUNK = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces and dashes between the groups
HEAD_GROUP = 4


@dataclass(frozen=True)
class AuditHead:
    """The last event of the chain: its number and hash, to be written down and checked later."""

    seq: int
    hash: str

    @property
    def written(self) -> str:
        """The compact written form, ``SEQ:HASH`` (what ``--anchor`` takes)."""
        return f"{self.seq}:{self.hash}"

    def groups(self) -> list[str]:
        return [self.hash[i : i + HEAD_GROUP] for i in range(0, len(self.hash), HEAD_GROUP)]

    @property
    def display(self) -> str:
        """The form to read and copy by hand: ``n. 1234 · 3f2a 9c01 …`` (groups of 4 hex)."""
        return f"n. {self.seq} · {' '.join(self.groups())}"


def parse_audit_head(text: str) -> AuditHead:
    """The head as written down: ``SEQ:HASH`` or the display form ``n. SEQ · HASH``.

    Spaces and dashes inside the hash are ignored (it is copied in groups), capitals are read as
    small letters. Anything else is refused with a code saying what to type:
    ``audit.anchor_format`` (no number and hash), ``audit.anchor_seq`` (the number),
    ``audit.anchor_hash`` (the hash is not 64 hexadecimal digits; ``count`` found).
    """
    raw = text.strip()
    for separator in (":", "\u00b7"):
        if separator in raw:
            seq_part, _sep, hash_part = raw.partition(separator)
            break
    else:
        raise UserFacingError("audit.anchor_format")
    seq_match = _SEQ_PART.match(seq_part)
    if seq_match is None or int(seq_match.group(1)) < 1:
        raise UserFacingError("audit.anchor_seq")
    digest = _HASH_JUNK.sub("", hash_part).lower()
    if not _HEX64.match(digest):
        raise UserFacingError("audit.anchor_hash", count=len(digest))
    return AuditHead(int(seq_match.group(1)), digest)


def anchor_problem(
    events: Callable[[int], AuditEvent | None] | Iterable[AuditEvent], anchor: AuditHead
) -> ChainProblem | None:
    """Whether the chain still holds the head written down: the same number with the same hash.

    ``events`` is a lookup by number (``uow.audit.at_seq``) or the events themselves. A chain
    emptied, cut short or recomputed since the head was written down no longer holds it.
    """
    found: AuditEvent | None = None
    if callable(events):
        found = events(anchor.seq)
    else:
        found = next((e for e in events if e.seq == anchor.seq), None)
    if found is not None and found.hash == anchor.hash:
        return None
    return ChainProblem(anchor.seq, "anchor_missing")
