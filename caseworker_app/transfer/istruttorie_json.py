"""The JSON of the istruttorie files and of their receipts (docs/transfer-format.md §10, §11).

One writer and one strict reader per format; the values are in ``domain/transmission.py``:

- the manifest payload of kind ``istruttorie`` (``caseworker.istruttorie/1``): which istanze the
  file holds, in which folders, and the sender's audit chain at its earlier heads
  (:func:`payload_dict`, :func:`read_payload`);
- ``istanze/<n>/istruttoria.json`` (``caseworker.istruttoria/1``): one istanza and its members
  (:func:`istruttoria_json`, :func:`read_istruttoria`);
- ``ricevuta.json`` (``caseworker.ricevuta/1``), the capofila's answer, and the payload of the
  receipt's manifest (:func:`receipt_json`, :func:`read_receipt`, :func:`receipt_payload`,
  :func:`check_receipt_payload`).

Reading: every key required (a nullable one present with ``null``), no other key, each value of
its type and shape. Writing: canonical JSON (sorted keys, ``","``/``":"`` separators, UTF-8 as
itself), read back before it is returned, so that a file the other side would refuse is never
written (``ValueError`` naming the field). Problems are ``UserFacingError`` codes naming the
file (its name only), the member and the JSON path of the field, never a value:
``transfer.istruttorie_invalid``, ``transfer.istruttoria_invalid``,
``transfer.istruttoria_unreadable``, ``transfer.ricevuta_invalid``,
``transfer.ricevuta_unreadable``, ``transfer.istruttorie_format_unknown`` and
``transfer.istruttorie_format_newer`` (the last two for all three formats).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.transmission import (
    ISTANZE_FOLDER,
    ITEM_FORMAT,
    PAYLOAD_FORMAT,
    RECEIPT_FORMAT,
    IstanzaRef,
    Istruttoria,
    IstruttoriePayload,
    MemberRole,
    Receipt,
    ReceiptLine,
    ReceiptOutcome,
    RejectReason,
    SentMember,
)
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_input
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError
from caseworker_app.transfer.sealed_zip import is_member_name

T = TypeVar("T")

MAX_ISTANZE = 20_000  # per file: the archive holds at most 20,000 members
MAX_MEMBERS = 1_000  # per istruttoria
MAX_CHAIN = 100_000  # earlier heads in ``audit_chain``
MAX_VERSION = 10**6
MAX_SEQ = 10**15
MAX_PROTOCOL = 60
MAX_TITLE = 200
MAX_DETAIL = 1_000
MAX_AVVISO_ID = 100

_PAYLOAD_KEYS = frozenset({"format", "istanze", "audit_chain"})
_REF_KEYS = frozenset({"protocol", "comune", "version", "folder"})
_HEAD_KEYS = frozenset({"seq", "hash"})
_ITEM_KEYS = frozenset(
    {
        "format",
        "protocol",
        "comune",
        "avviso",
        "avviso_version",
        "version",
        "submitted_at",
        "evaluation_included",
        "members",
    }
)
_MEMBER_KEYS = frozenset({"name", "role", "code", "mime", "title", "sha256"})
_RECEIPT_KEYS = frozenset(
    {"format", "transmission", "manifest_sha256", "received_at", "capofila", "lines"}
)
_LINE_KEYS = frozenset({"protocol", "comune", "version", "outcome", "reason", "detail"})
_RECEIPT_PAYLOAD_KEYS = frozenset({"format"})

_FOLDER = re.compile(rf"{ISTANZE_FOLDER}/[0-9]{{4,9}}", re.ASCII)
_MEMBER_CODE = re.compile(r"[a-z][a-z0-9_-]{0,63}", re.ASCII)
_MIME = re.compile(r"[a-z0-9][a-z0-9.+-]{0,63}/[a-z0-9][a-z0-9.+-]{0,63}", re.ASCII)
_FIELD_LIMIT = 100

_ROLES = {role.value: role for role in MemberRole}
_OUTCOMES = {outcome.value: outcome for outcome in ReceiptOutcome}
_REASONS = {reason.value: reason for reason in RejectReason}


# -- the manifest payload of kind ``istruttorie`` -------------------------------------------------


def payload_dict(payload: IstruttoriePayload) -> dict[str, Any]:
    """The manifest's ``payload`` for ``payload``, checked as :func:`read_payload` reads it."""
    value: dict[str, Any] = {
        "format": PAYLOAD_FORMAT,
        "istanze": [
            {"protocol": r.protocol, "comune": r.comune, "version": r.version, "folder": r.folder}
            for r in payload.istanze
        ],
        "audit_chain": [{"seq": h.seq, "hash": h.hash} for h in payload.audit_chain],
    }
    _written(value, _payload, payload, "the istruttorie payload")
    return value


def read_payload(value: object, *, file: str) -> IstruttoriePayload:
    """The payload of the manifest of the istruttorie file named ``file``."""
    _check_format(value, PAYLOAD_FORMAT, file)
    try:
        return _payload(value)
    except FieldError as exc:
        raise UserFacingError(
            "transfer.istruttorie_invalid", file=file, field=_field(exc)
        ) from None


def _payload(value: object) -> IstruttoriePayload:
    data = shapes.exact(value, _PAYLOAD_KEYS)
    refs = shapes.each(data, "istanze", _ref, low=1, high=MAX_ISTANZE)
    shapes.unique(refs, "istanze", lambda r: r.folder, field="folder")
    shapes.unique(refs, "istanze", lambda r: (r.comune, r.protocol), field="protocol")
    chain = shapes.each(data, "audit_chain", _head, high=MAX_CHAIN)
    shapes.unique(chain, "audit_chain", lambda h: h.seq, field="seq")
    return IstruttoriePayload(istanze=refs, audit_chain=chain)


def _ref(value: object) -> IstanzaRef:
    data = shapes.exact(value, _REF_KEYS)
    return IstanzaRef(
        protocol=_protocol(data, "protocol"),
        comune=fields.belfiore(data, "comune"),
        version=fields.integer(data, "version", low=1, high=MAX_VERSION),
        folder=fields.match(data, "folder", _FOLDER),
    )


def _head(value: object) -> AuditHead:
    data = shapes.exact(value, _HEAD_KEYS)
    return AuditHead(
        seq=fields.integer(data, "seq", low=0, high=MAX_SEQ),
        hash=fields.match(data, "hash", fields.SHA256_HEX),
    )


# -- ``istanze/<n>/istruttoria.json`` -------------------------------------------------------------


def istruttoria_json(item: Istruttoria, *, folder: str | None = None) -> bytes:
    """The canonical bytes of ``item``'s ``istruttoria.json``, read back (with ``folder``, by
    default the folder of its record member) before they are returned. ``submitted_at`` is
    local time to the second (a fraction is dropped; a time zone is a ``ValueError``)."""
    if item.submitted_at.tzinfo is not None:
        raise ValueError("submitted_at must be local time, without a time zone")
    written = dataclasses.replace(item, submitted_at=item.submitted_at.replace(microsecond=0))
    value = {
        "format": ITEM_FORMAT,
        "protocol": written.protocol,
        "comune": written.comune,
        "avviso": written.avviso,
        "avviso_version": written.avviso_version,
        "version": written.version,
        "submitted_at": written.submitted_at.isoformat(timespec="seconds"),
        "evaluation_included": written.evaluation_included,
        "members": [
            {
                "name": m.name,
                "role": m.role.value,
                "code": m.code,
                "mime": m.mime,
                "title": m.title,
                "sha256": m.sha256,
            }
            for m in written.members
        ],
    }
    if folder is None:
        record = item.member(MemberRole.RECORD)
        folder = record.name.rpartition("/")[0] if record is not None else ""
    where = folder
    return _written(value, lambda v: _istruttoria(v, where), written, "istruttoria.json")


def read_istruttoria(raw: bytes, *, file: str, member: str, folder: str) -> Istruttoria:
    """The istruttoria in ``raw``, the member ``member`` of the file named ``file``; every
    member it lists must lie inside ``folder`` (``istanze/0001``, from the manifest's payload)."""
    try:
        value = json_input.decode(raw)
    except json_input.JsonInputError as exc:
        raise UserFacingError(
            "transfer.istruttoria_unreadable", file=file, member=member, what=exc.what()
        ) from None
    _check_format(value, ITEM_FORMAT, file)
    try:
        return _istruttoria(value, folder)
    except FieldError as exc:
        raise UserFacingError(
            "transfer.istruttoria_invalid", file=file, member=member, field=_field(exc)
        ) from None


def _istruttoria(value: object, folder: str) -> Istruttoria:
    data = shapes.exact(value, _ITEM_KEYS)
    protocol = _protocol(data, "protocol")
    comune = fields.belfiore(data, "comune")
    avviso = fields.match(data, "avviso", fields.AVVISO_ID)
    if len(avviso) > MAX_AVVISO_ID:
        raise FieldError("avviso", "troppo lungo")
    avviso_version = fields.match(data, "avviso_version", fields.AVVISO_VERSION)
    version = fields.integer(data, "version", low=1, high=MAX_VERSION)
    submitted_at = fields.timestamp(data, "submitted_at")
    evaluation_included = fields.flag(data, "evaluation_included")
    members = shapes.each(data, "members", lambda v: _member(v, folder), low=1, high=MAX_MEMBERS)
    shapes.unique(members, "members", lambda m: m.name.lower(), field="name")
    records = [i for i, m in enumerate(members) if m.role is MemberRole.RECORD]
    if len(records) != 1:
        at = "members" if not records else f"members[{records[1]}].role"
        raise FieldError(at, "serve uno e un solo elemento «istanza»")
    return Istruttoria(
        protocol=protocol,
        comune=comune,
        avviso=avviso,
        avviso_version=avviso_version,
        version=version,
        submitted_at=submitted_at,
        evaluation_included=evaluation_included,
        members=members,
    )


def _member(value: object, folder: str) -> SentMember:
    data = shapes.exact(value, _MEMBER_KEYS)
    name = fields.string(data, "name")
    if (
        not folder
        or not name.startswith(folder + "/")
        or not is_member_name(name)
        or name.lower() == f"{folder}/istruttoria.json".lower()
    ):
        raise FieldError("name", "fuori dalla cartella dell'istanza")
    role = _ROLES[fields.code(data, "role", _ROLES, label="ruolo")]
    return SentMember(
        name=name,
        role=role,
        code=fields.match(data, "code", _MEMBER_CODE, empty=True),
        mime=fields.match(data, "mime", _MIME, empty=True),
        title=fields.printable(data, "title", MAX_TITLE, empty=True),
        sha256=fields.match(data, "sha256", fields.SHA256_HEX),
    )


# -- ``ricevuta.json`` and the receipt's payload ---------------------------------------------------


def receipt_payload() -> dict[str, Any]:
    """The manifest's ``payload`` of a receipt."""
    return {"format": RECEIPT_FORMAT}


def check_receipt_payload(value: object, *, file: str) -> None:
    """The manifest's payload of the receipt named ``file`` is this version, and nothing else."""
    _check_format(value, RECEIPT_FORMAT, file)
    try:
        shapes.exact(value, _RECEIPT_PAYLOAD_KEYS)
    except FieldError as exc:
        raise UserFacingError("transfer.ricevuta_invalid", file=file, field=_field(exc)) from None


def receipt_json(receipt: Receipt) -> bytes:
    """The canonical bytes of ``ricevuta.json``, read back before they are returned;
    ``received_at`` needs a time zone offset (``ValueError`` otherwise)."""
    if receipt.received_at.tzinfo is None:
        raise ValueError("received_at needs a time zone offset")
    value = {
        "format": RECEIPT_FORMAT,
        "transmission": receipt.transmission,
        "manifest_sha256": receipt.manifest_sha256,
        "received_at": receipt.received_at.isoformat(),
        "capofila": receipt.capofila,
        "lines": [
            {
                "protocol": line.protocol,
                "comune": line.comune,
                "version": line.version,
                "outcome": line.outcome.value,
                "reason": None if line.reason is None else line.reason.value,
                "detail": line.detail,
            }
            for line in receipt.lines
        ],
    }
    return _written(value, _receipt, receipt, "ricevuta.json")


def read_receipt(raw: bytes, *, file: str) -> Receipt:
    """The receipt in ``raw``, the member ``ricevuta.json`` of the file named ``file``."""
    try:
        value = json_input.decode(raw)
    except json_input.JsonInputError as exc:
        raise UserFacingError("transfer.ricevuta_unreadable", file=file, what=exc.what()) from None
    _check_format(value, RECEIPT_FORMAT, file)
    try:
        return _receipt(value)
    except FieldError as exc:
        raise UserFacingError("transfer.ricevuta_invalid", file=file, field=_field(exc)) from None


def _receipt(value: object) -> Receipt:
    data = shapes.exact(value, _RECEIPT_KEYS)
    transmission = str(fields.uuid4(data, "transmission"))
    received_at = fields.zoned_timestamp(data, "received_at")
    lines = shapes.each(data, "lines", _line, high=MAX_ISTANZE)
    shapes.unique(lines, "lines", lambda ln: (ln.comune, ln.protocol), field="protocol")
    return Receipt(
        transmission=transmission,
        manifest_sha256=fields.match(data, "manifest_sha256", fields.SHA256_HEX),
        received_at=received_at,
        capofila=fields.match(data, "capofila", fields.TOKEN),
        lines=lines,
    )


def _line(value: object) -> ReceiptLine:
    data = shapes.exact(value, _LINE_KEYS)
    outcome = _OUTCOMES[fields.code(data, "outcome", _OUTCOMES, label="esito")]
    reason: RejectReason | None = None
    if data["reason"] is not None:
        reason = _REASONS[fields.code(data, "reason", _REASONS, label="motivo")]
    if (reason is None) == (outcome is ReceiptOutcome.RESPINTA):
        raise FieldError("reason", "un motivo c'è se e solo se l'istanza è respinta")
    return ReceiptLine(
        protocol=_protocol(data, "protocol"),
        comune=fields.belfiore(data, "comune"),
        version=fields.integer(data, "version", low=1, high=MAX_VERSION),
        outcome=outcome,
        reason=reason,
        detail=fields.printable(data, "detail", MAX_DETAIL, empty=True),
    )


# -- shared -------------------------------------------------------------------------------------


def _check_format(value: object, expected: str, file: str) -> None:
    """``value``'s ``format`` is ``expected``; else the file is refused as newer (``expected``'s
    family with a higher version) or unknown, before any other key is looked at (a newer format
    may well have others)."""
    found = fields.format_of(value)
    if found == expected:
        return
    if fields.is_newer_format(found, expected):
        raise UserFacingError("transfer.istruttorie_format_newer", file=file)
    raise UserFacingError("transfer.istruttorie_format_unknown", file=file)


def _field(exc: FieldError) -> str:
    """The JSON path of the field at fault, shortened (a key name comes from the file)."""
    field = exc.key or "(tutto)"
    return field if len(field) <= _FIELD_LIMIT else field[: _FIELD_LIMIT - 1] + "…"


def _written(value: dict[str, Any], read: Callable[[object], T], expected: T, what: str) -> bytes:
    """``value`` read back as the other side reads it (after a trip through canonical JSON):
    the bytes of ``ricevuta.json``/``istruttoria.json``, or the payload ``value`` itself."""
    raw, back = shapes.written(value, read, name=what)
    if back != expected:
        raise ValueError(f"{what} would be read back differently")
    return raw


def _protocol(data: dict[str, object], key: str) -> str:
    """The istanza's protocol number: printable text of at most 60 characters (its template is
    the comune's choice), no control characters, no spaces at either end."""
    return fields.printable(data, key, MAX_PROTOCOL)
