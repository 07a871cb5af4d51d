"""The format versions of the JSON blobs the store keeps (and that transmission files carry).

Each kind of blob has a format name and a current version; :func:`encode` writes the current
version, :func:`decode` reads any version ever written and upgrades it, one step per version,
to the current one. A PI signed in 2026 still reads (and renders the same) in 2030.

- ``caseworker.istanza-content``: what an istanza declares and requests (``istanze.content``);
- ``caseworker.scale-answers``: item -> option or null of a scale sheet (``assessments.answers``);
- ``caseworker.scale-evaluators``: who assessed, a list of names (``assessments.evaluators``);
- ``caseworker.pi-content``: the content of a PI version (``pi_versions.content``);
- ``caseworker.section-record``: an entry of a case file section (``case_records.data``);
- ``caseworker.receipt-lines``: what the capofila said of each istanza of a transmission it
  imported, a list of objects (``received_transmissions.receipt_lines``).

All are at version 1 (:data:`CURRENT`).

**The envelope.** Version 1 and later are written as canonical JSON (keys sorted, no spaces,
UTF-8, no NaN)::

    {"data": <payload>, "format": "caseworker.pi-content/1"}

The payload is kept whole, as one value, rather than with a reserved key added to it: no key of
any payload is taken away (a section record may already carry its own ``format`` key, e.g.
``caseworker.anagrafica-typed/1``), and an array payload (the evaluators) needs no special case.

**Version 0** is the blob as written before versions existed: the bare payload (an object, or
the array of evaluators). A blob is read as an envelope when it is an object whose ``format`` is
a string naming one of the formats above; anything else is version 0. Today's writers never put
one of these names in a payload's own ``format`` key (a unit test pins the in-payload names it
knows), so a version-0 blob can never be mistaken for an envelope. A kind added later (the
receipt lines) was written in an envelope from the start: its first version (:data:`FIRST`) is
1, and a bare blob of it is damaged.

**Upgrades.** :data:`UPGRADES` maps ``(kind, from_version)`` to a pure function from the payload
of that version to the payload of the next; every step has a unit test on a blob as that version
wrote it. Stored rows are never rewritten to upgrade them: the content hashes of the audit chain
cover the stored text (``domain/audit.py``), so an old row is upgraded in memory when read and
written in the current format the next time the application saves it (an audited save).

**Refusals** (:class:`~caseworker_app.domain.errors.UserFacingError`, never the content):
``store.blob_damaged`` (not JSON, a key twice, a format of another kind, a malformed envelope, a
payload of the wrong shape) and ``store.blob_newer_version`` (written by a later application),
both with ``kind`` (the format name) and ``row`` (the id of the row).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Mapping, Sequence

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.strict_json import StrictJsonError, loads

FORMAT_PREFIX = "caseworker."


class BlobKind(enum.Enum):
    ISTANZA_CONTENT = "istanza-content"
    SCALE_ANSWERS = "scale-answers"
    SCALE_EVALUATORS = "scale-evaluators"
    PI_CONTENT = "pi-content"
    SECTION_RECORD = "section-record"
    RECEIPT_LINES = "receipt-lines"

    @property
    def format_name(self) -> str:
        """``caseworker.<kind>``: the format without its version."""
        return FORMAT_PREFIX + self.value


#: the current version of each kind (what :func:`encode` writes)
CURRENT: dict[BlobKind, int] = {
    BlobKind.ISTANZA_CONTENT: 1,
    BlobKind.SCALE_ANSWERS: 1,
    BlobKind.SCALE_EVALUATORS: 1,
    BlobKind.PI_CONTENT: 1,
    BlobKind.SECTION_RECORD: 1,
    BlobKind.RECEIPT_LINES: 1,
}

#: the first version written of each kind: 0 for the kinds the store kept before versions existed
#: (their bare blobs are read), 1 for the kinds born with an envelope (a bare blob is damaged)
FIRST: dict[BlobKind, int] = {
    BlobKind.ISTANZA_CONTENT: 0,
    BlobKind.SCALE_ANSWERS: 0,
    BlobKind.SCALE_EVALUATORS: 0,
    BlobKind.PI_CONTENT: 0,
    BlobKind.SECTION_RECORD: 0,
    BlobKind.RECEIPT_LINES: 1,
}

Upgrade = Callable[[object], object]


def _unversioned_to_1(payload: object) -> object:
    """0 -> 1: version 1 puts the unversioned payload, unchanged, inside the envelope."""
    return payload


#: ``(kind, from_version) -> step`` to ``from_version + 1``; one entry per version ever written
#: below the current one (from :data:`FIRST` on)
UPGRADES: dict[tuple[BlobKind, int], Upgrade] = {
    (BlobKind.ISTANZA_CONTENT, 0): _unversioned_to_1,
    (BlobKind.SCALE_ANSWERS, 0): _unversioned_to_1,
    (BlobKind.SCALE_EVALUATORS, 0): _unversioned_to_1,
    (BlobKind.PI_CONTENT, 0): _unversioned_to_1,
    (BlobKind.SECTION_RECORD, 0): _unversioned_to_1,
}

_BY_NAME = {kind.format_name: kind for kind in BlobKind}
_VERSION = re.compile(r"^(0|[1-9][0-9]{0,8})$")
_ENVELOPE_KEYS = frozenset({"format", "data"})
_OBJECT_KINDS = frozenset({BlobKind.ISTANZA_CONTENT, BlobKind.PI_CONTENT, BlobKind.SECTION_RECORD})
_LIST_OF_OBJECTS_KINDS = frozenset({BlobKind.RECEIPT_LINES})


def format_of(kind: BlobKind, version: int | None = None) -> str:
    """``caseworker.<kind>/<version>`` (the current version by default)."""
    return f"{kind.format_name}/{CURRENT[kind] if version is None else version}"


# -- writing -------------------------------------------------------------------------------------


def encode(kind: BlobKind, payload: Mapping[str, object] | Sequence[object]) -> str:
    """The blob of ``payload`` in the current format of ``kind`` (canonical JSON)."""
    data: object = dict(payload) if isinstance(payload, Mapping) else list(payload)
    if not _has_shape(kind, data):
        raise TypeError(f"not a payload of {kind.format_name}")
    return json.dumps(
        {"data": data, "format": format_of(kind)},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )


# -- reading -------------------------------------------------------------------------------------


def decode(kind: BlobKind, text: str, *, row: str) -> object:
    """The payload of a blob of ``kind`` of any version, upgraded to the current one.

    ``row`` (the id of the row that holds it) only names the blob in a refusal."""
    try:
        value = loads(text)
    except StrictJsonError:
        raise _damaged(kind, row) from None
    version, payload = _unwrap(kind, value, row)
    if version < FIRST[kind]:
        raise _damaged(kind, row)  # a bare blob of a kind never written bare
    while version < CURRENT[kind]:
        payload = UPGRADES[(kind, version)](payload)
        version += 1
    if not _has_shape(kind, payload):
        raise _damaged(kind, row)
    return payload


def decode_object(kind: BlobKind, text: str, *, row: str) -> dict[str, object]:
    """:func:`decode` for the kinds whose payload is an object."""
    if kind not in _OBJECT_KINDS:
        raise ValueError(f"{kind.format_name} is not an object")
    payload = decode(kind, text, row=row)
    assert isinstance(payload, dict)
    return payload


def decode_answers(text: str, *, row: str) -> dict[str, int | None]:
    """The answers of a scale sheet: item -> option (or None, not answered)."""
    payload = decode(BlobKind.SCALE_ANSWERS, text, row=row)
    assert isinstance(payload, dict)
    return {str(k): v for k, v in payload.items()}


def decode_list_of_objects(kind: BlobKind, text: str, *, row: str) -> list[dict[str, object]]:
    """:func:`decode` for the kinds whose payload is a list of objects (the receipt lines)."""
    if kind not in _LIST_OF_OBJECTS_KINDS:
        raise ValueError(f"{kind.format_name} is not a list of objects")
    payload = decode(kind, text, row=row)
    assert isinstance(payload, list)
    return [dict(item) for item in payload]


def decode_names(text: str, *, row: str) -> tuple[str, ...]:
    """The evaluators of a scale sheet."""
    payload = decode(BlobKind.SCALE_EVALUATORS, text, row=row)
    assert isinstance(payload, list)
    return tuple(str(name) for name in payload)


def _unwrap(kind: BlobKind, value: object, row: str) -> tuple[int, object]:
    """The version of a decoded blob and its payload (version 0: the blob itself)."""
    if not isinstance(value, dict):
        return 0, value
    tag = value.get("format")
    if not isinstance(tag, str):
        return 0, value
    name, slash, number = tag.partition("/")
    if name not in _BY_NAME:
        return 0, value  # a payload's own format key (e.g. caseworker.anagrafica-typed/1)
    if _BY_NAME[name] is not kind or not slash or _VERSION.match(number) is None:
        raise _damaged(kind, row)
    version = int(number)
    if version > CURRENT[kind]:
        raise UserFacingError("store.blob_newer_version", kind=kind.format_name, row=row,
                              version=version, current=CURRENT[kind])  # fmt: skip
    if version == 0 or value.keys() != _ENVELOPE_KEYS:
        raise _damaged(kind, row)
    return version, value["data"]


def _has_shape(kind: BlobKind, payload: object) -> bool:
    if kind in _OBJECT_KINDS:
        return isinstance(payload, dict)
    if kind is BlobKind.SCALE_ANSWERS:
        return isinstance(payload, dict) and all(
            v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in payload.values()
        )
    if kind is BlobKind.SCALE_EVALUATORS:
        return isinstance(payload, list) and all(isinstance(v, str) for v in payload)
    if kind in _LIST_OF_OBJECTS_KINDS:
        return isinstance(payload, list) and all(isinstance(v, dict) for v in payload)
    raise AssertionError(kind)  # pragma: no cover


def _damaged(kind: BlobKind, row: str) -> UserFacingError:
    return UserFacingError("store.blob_damaged", kind=kind.format_name, row=row)
