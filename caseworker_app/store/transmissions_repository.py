"""The repositories of the transmissions of istruttorie (issue 11): the files written at a comune
with what the capofila said of each istanza, and the files and istanze received at the capofila.

Datetimes are naive, as everywhere in the store; the receipt lines are a versioned blob
(``caseworker.receipt-lines``, domain/stored_formats.py), the sender's comuni a JSON list as in
``peer_keys``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from caseworker_app.domain.audit import AuditHead
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.stored_formats import BlobKind, decode_list_of_objects, encode
from caseworker_app.domain.transmission import (
    MemberRole,
    ReceiptLine,
    ReceiptOutcome,
    ReceivedIstanza,
    ReceivedMember,
    ReceivedRecord,
    ReceivedTransmission,
    RejectReason,
    SentItem,
    SentTransmission,
    TransmissionState,
)
from caseworker_app.store.models import (
    ReceivedIstanzaRow,
    ReceivedMemberRow,
    ReceivedTransmissionRow,
    TransmissionItemRow,
    TransmissionRow,
)

# -- at a comune ---------------------------------------------------------------------------------


class SqlTransmissionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_sent(self, transmission: SentTransmission) -> None:
        t = transmission
        head = t.audit_head
        self.session.add(
            TransmissionRow(
                id=t.id,
                file_name=t.file_name,
                comune=t.comune,
                day=t.day,
                counter=t.counter,
                created_at=t.created_at,
                created_by=t.created_by,
                recipient_fingerprint=t.recipient_fingerprint,
                manifest_sha256=t.manifest_sha256,
                size=t.size,
                attestazione=t.attestazione,
                audit_seq=None if head is None else head.seq,
                audit_hash=None if head is None else head.hash,
                receipt_sha256=t.receipt_sha256,
                receipt_at=t.receipt_at,
            )
        )
        self.session.flush()  # the transmission first: its items refer to it
        for item in t.items:
            if item.transmission != t.id:
                raise ValueError("an item of another transmission")
            self.session.add(
                TransmissionItemRow(
                    transmission_id=t.id,
                    istanza_id=item.istanza_id,
                    protocol=item.protocol,
                    comune=item.comune,
                    version=item.version,
                    state=item.state.value,
                    record_sha256=item.record_sha256,
                    reason=item.reason,
                    updated_at=item.updated_at,
                )
            )
        self.session.flush()  # the unique constraints refuse a version sent twice here

    def sent(self) -> list[SentTransmission]:
        """Every file written, the newest first, with their items."""
        rows = list(
            self.session.scalars(
                select(TransmissionRow).order_by(
                    TransmissionRow.created_at.desc(),
                    TransmissionRow.day.desc(),
                    TransmissionRow.counter.desc(),
                    TransmissionRow.id,
                )
            )
        )
        items: dict[str, list[SentItem]] = {}
        for item in self._items(select(TransmissionItemRow)):
            items.setdefault(item.transmission, []).append(item)
        return [_sent(row, items.get(row.id, [])) for row in rows]

    def sent_by_id(self, transmission_id: str) -> SentTransmission | None:
        row = self.session.get(TransmissionRow, transmission_id)
        if row is None:
            return None
        query = select(TransmissionItemRow).where(
            TransmissionItemRow.transmission_id == transmission_id
        )
        return _sent(row, self._items(query))

    def items_of_istanza(self, istanza_id: str) -> list[SentItem]:
        """The versions of an istanza sent, the oldest first."""
        query = select(TransmissionItemRow).where(TransmissionItemRow.istanza_id == istanza_id)
        return sorted(self._items(query), key=lambda i: i.version)

    def latest_items(self) -> dict[str, SentItem]:
        """Istanza id -> its item of the highest version (the istanze ever sent)."""
        latest: dict[str, SentItem] = {}
        for item in self._items(select(TransmissionItemRow)):
            held = latest.get(item.istanza_id)
            if held is None or item.version > held.version:
                latest[item.istanza_id] = item
        return latest

    def update_item(
        self,
        transmission_id: str,
        istanza_id: str,
        *,
        state: TransmissionState,
        reason: str,
        at: datetime,
    ) -> None:
        row = self.session.get(TransmissionItemRow, (transmission_id, istanza_id))
        if row is None:
            raise KeyError("transmission item not found")
        row.state = state.value
        row.reason = reason
        row.updated_at = at

    def set_receipt(self, transmission_id: str, *, sha256: str, at: datetime) -> None:
        row = self.session.get(TransmissionRow, transmission_id)
        if row is None:
            raise KeyError("transmission not found")
        row.receipt_sha256 = sha256
        row.receipt_at = at

    def last_counter(self, comune: str, day: date) -> int:
        """The highest counter of the comune's files of ``day`` (0 when none)."""
        found = self.session.scalar(
            select(func.max(TransmissionRow.counter)).where(
                TransmissionRow.comune == comune, TransmissionRow.day == day
            )
        )
        return int(found or 0)

    def _items(self, query: Select[TransmissionItemRow]) -> list[SentItem]:
        """The items the query selects, in a stable order (by comune, protocol, version)."""
        ordered = query.order_by(
            TransmissionItemRow.comune,
            TransmissionItemRow.protocol,
            TransmissionItemRow.version,
            TransmissionItemRow.istanza_id,
        )
        return [_item(row) for row in self.session.scalars(ordered)]


def _item(row: TransmissionItemRow) -> SentItem:
    return SentItem(
        transmission=row.transmission_id,
        istanza_id=row.istanza_id,
        protocol=row.protocol,
        comune=row.comune,
        version=row.version,
        state=TransmissionState(row.state),
        record_sha256=row.record_sha256,
        reason=row.reason,
        updated_at=row.updated_at,
    )


def _head(seq: int | None, hash_: str | None) -> AuditHead | None:
    return None if seq is None or hash_ is None else AuditHead(seq, hash_)


def _sent(row: TransmissionRow, items: Sequence[SentItem]) -> SentTransmission:
    return SentTransmission(
        id=row.id,
        file_name=row.file_name,
        created_at=row.created_at,
        created_by=row.created_by,
        day=row.day,
        counter=row.counter,
        comune=row.comune,
        recipient_fingerprint=row.recipient_fingerprint,
        manifest_sha256=row.manifest_sha256,
        size=row.size,
        attestazione=row.attestazione,
        audit_head=_head(row.audit_seq, row.audit_hash),
        receipt_sha256=row.receipt_sha256,
        receipt_at=row.receipt_at,
        items=tuple(items),
    )


# -- at the capofila -----------------------------------------------------------------------------


class SqlReceivedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_transmission(self, transmission: ReceivedTransmission) -> None:
        t = transmission
        head = t.audit_head
        self.session.add(
            ReceivedTransmissionRow(
                id=t.id,
                sender=t.sender,
                sender_fingerprint=t.sender_fingerprint,
                comuni=json.dumps(list(t.comuni)),
                file_name=t.file_name,
                manifest_sha256=t.manifest_sha256,
                created_at=t.created_at,
                imported_at=t.imported_at,
                imported_by=t.imported_by,
                audit_seq=None if head is None else head.seq,
                audit_hash=None if head is None else head.hash,
                chain_warning=t.chain_warning,
                receipt=t.receipt,
                receipt_lines=encode(
                    BlobKind.RECEIPT_LINES, [_line_data(x) for x in t.receipt_lines]
                ),
            )
        )
        self.session.flush()  # the unique manifest refuses the same file twice here

    def transmission(self, transmission_id: str) -> ReceivedTransmission | None:
        row = self.session.get(ReceivedTransmissionRow, transmission_id)
        return None if row is None else _received_transmission(row)

    def transmission_by_manifest(self, sha256: str) -> ReceivedTransmission | None:
        row = self.session.scalars(
            select(ReceivedTransmissionRow).where(ReceivedTransmissionRow.manifest_sha256 == sha256)
        ).first()
        return None if row is None else _received_transmission(row)

    def transmissions(self) -> list[ReceivedTransmission]:
        """Every file imported, the newest first."""
        rows = self.session.scalars(
            select(ReceivedTransmissionRow).order_by(
                ReceivedTransmissionRow.imported_at.desc(), ReceivedTransmissionRow.id
            )
        )
        return [_received_transmission(row) for row in rows]

    def heads_of(self, sender: str) -> list[AuditHead]:
        """The audit heads carried by the sender's files imported here, by sequence."""
        rows = self.session.execute(
            select(ReceivedTransmissionRow.audit_seq, ReceivedTransmissionRow.audit_hash)
            .where(
                ReceivedTransmissionRow.sender == sender,
                ReceivedTransmissionRow.audit_seq.is_not(None),
                ReceivedTransmissionRow.audit_hash.is_not(None),
            )
            .order_by(ReceivedTransmissionRow.audit_seq, ReceivedTransmissionRow.imported_at)
        )
        return [AuditHead(seq, hash_) for seq, hash_ in rows if seq is not None and hash_]

    def add_istanza(self, istanza: ReceivedIstanza, contents: Mapping[str, bytes]) -> None:
        """Store a received version with the bytes of each of its members (``contents``: member
        name -> bytes, exactly the members', each of the size and SHA-256 its member says)."""
        i = istanza
        if {m.name for m in i.members} != set(contents) or len(i.members) != len(contents):
            raise ValueError("the contents are not those of the members")
        for m in i.members:
            data = contents[m.name]
            if len(data) != m.size or hashlib.sha256(data).hexdigest() != m.sha256:
                raise ValueError("a member's content does not match its digest")
        self.session.add(
            ReceivedIstanzaRow(
                id=i.id,
                comune=i.comune,
                protocol=i.protocol,
                version=i.version,
                avviso=i.avviso,
                avviso_version=i.avviso_version,
                sender=i.sender,
                transmission_id=i.transmission,
                received_at=i.received_at,
                submitted_at=i.submitted_at,
                evaluation_included=i.evaluation_included,
                record=i.record,
                record_sha256=i.record_sha256,
                superseded_by=i.superseded_by,
            )
        )
        self.session.flush()  # the istanza first (the unique version): its members refer to it
        for m in i.members:
            self.session.add(
                ReceivedMemberRow(
                    received_id=i.id,
                    name=m.name,
                    role=m.role.value,
                    code=m.code,
                    mime=m.mime,
                    title=m.title,
                    sha256=m.sha256,
                    size=m.size,
                    content=contents[m.name],
                )
            )
        self.session.flush()

    def supersede(self, old_id: str, *, by: str) -> None:
        row = self.session.get(ReceivedIstanzaRow, old_id)
        if row is None:
            raise KeyError("received istanza not found")
        if self.session.get(ReceivedIstanzaRow, by) is None:
            raise KeyError("superseding istanza not found")
        row.superseded_by = by

    def get(self, received_id: str) -> ReceivedIstanza | None:
        row = self.session.get(ReceivedIstanzaRow, received_id)
        return None if row is None else self._with_members([row])[0]

    def current(self, comune: str, protocol: str) -> ReceivedIstanza | None:
        """The version held of the istanza that no other replaced (None: never received)."""
        row = self.session.scalars(
            select(ReceivedIstanzaRow)
            .where(
                ReceivedIstanzaRow.comune == comune,
                ReceivedIstanzaRow.protocol == protocol,
                ReceivedIstanzaRow.superseded_by.is_(None),
            )
            .order_by(ReceivedIstanzaRow.version.desc())
        ).first()
        return None if row is None else self._with_members([row])[0]

    def versions(self, comune: str, protocol: str) -> list[ReceivedIstanza]:
        """Every version received of the istanza, the oldest first."""
        rows = self.session.scalars(
            select(ReceivedIstanzaRow)
            .where(ReceivedIstanzaRow.comune == comune, ReceivedIstanzaRow.protocol == protocol)
            .order_by(ReceivedIstanzaRow.version)
        )
        return self._with_members(list(rows))

    def istanze(self, *, avviso: str | None = None) -> list[ReceivedIstanza]:
        """The current versions (not superseded), of one avviso or of all, by comune and
        protocol."""
        query = (
            select(ReceivedIstanzaRow)
            .where(ReceivedIstanzaRow.superseded_by.is_(None))
            .order_by(ReceivedIstanzaRow.comune, ReceivedIstanzaRow.protocol)
        )
        if avviso is not None:
            query = query.where(ReceivedIstanzaRow.avviso == avviso)
        return self._with_members(list(self.session.scalars(query)))

    def current_records(self, avviso: str) -> list[ReceivedRecord]:
        """The current versions of ``avviso``'s istanze, by comune and protocol: only the
        columns a ranking run reads (10,000 of them in a tenth of the time of the entities)."""
        rows = self.session.execute(
            select(*_RECORD_COLUMNS)
            .where(ReceivedIstanzaRow.superseded_by.is_(None), ReceivedIstanzaRow.avviso == avviso)
            .order_by(ReceivedIstanzaRow.comune, ReceivedIstanzaRow.protocol)
        )
        return [ReceivedRecord._make(row) for row in rows]

    def records(self, received_ids: Iterable[str]) -> list[ReceivedRecord]:
        """The received versions named, with their records (the publication of a run reads
        thousands of them), in no particular order."""
        ids = sorted(set(received_ids))
        found: list[ReceivedRecord] = []
        for start in range(0, len(ids), _IN_BATCH):
            rows = self.session.execute(
                select(*_RECORD_COLUMNS).where(
                    ReceivedIstanzaRow.id.in_(ids[start : start + _IN_BATCH])
                )
            )
            found += (ReceivedRecord._make(row) for row in rows)
        return found

    def member_content(self, received_id: str, name: str) -> bytes | None:
        return self.session.scalar(
            select(ReceivedMemberRow.content).where(
                ReceivedMemberRow.received_id == received_id, ReceivedMemberRow.name == name
            )
        )

    def _with_members(self, rows: list[ReceivedIstanzaRow]) -> list[ReceivedIstanza]:
        """The istanze of ``rows`` with their members' metadata (not their bytes), by name."""
        members: dict[str, list[ReceivedMember]] = {}
        ids = [row.id for row in rows]
        for start in range(0, len(ids), _IN_BATCH):
            found = self.session.execute(
                select(*_MEMBER_COLUMNS)
                .where(ReceivedMemberRow.received_id.in_(ids[start : start + _IN_BATCH]))
                .order_by(ReceivedMemberRow.received_id, ReceivedMemberRow.name)
            )
            for received_id, name, role, code, mime, title, sha256, size in found:
                members.setdefault(received_id, []).append(
                    ReceivedMember(name, MemberRole(role), code, mime, title, sha256, size)
                )
        return [_received_istanza(row, members.get(row.id, ())) for row in rows]


_RECORD_COLUMNS = (
    ReceivedIstanzaRow.id,
    ReceivedIstanzaRow.comune,
    ReceivedIstanzaRow.protocol,
    ReceivedIstanzaRow.version,
    ReceivedIstanzaRow.record,
    ReceivedIstanzaRow.record_sha256,
)

#: the members' columns but the content (read only by ``member_content``)
_MEMBER_COLUMNS = (
    ReceivedMemberRow.received_id,
    ReceivedMemberRow.name,
    ReceivedMemberRow.role,
    ReceivedMemberRow.code,
    ReceivedMemberRow.mime,
    ReceivedMemberRow.title,
    ReceivedMemberRow.sha256,
    ReceivedMemberRow.size,
)
_IN_BATCH = 500  # ids per IN (...): well under SQLite's limit of bound parameters


def _received_istanza(
    row: ReceivedIstanzaRow, members: Sequence[ReceivedMember]
) -> ReceivedIstanza:
    return ReceivedIstanza(
        id=row.id,
        comune=row.comune,
        protocol=row.protocol,
        version=row.version,
        avviso=row.avviso,
        avviso_version=row.avviso_version,
        sender=row.sender,
        transmission=row.transmission_id,
        received_at=row.received_at,
        submitted_at=row.submitted_at,
        evaluation_included=row.evaluation_included,
        record=row.record,
        record_sha256=row.record_sha256,
        superseded_by=row.superseded_by,
        members=tuple(members),
    )


def _received_transmission(row: ReceivedTransmissionRow) -> ReceivedTransmission:
    return ReceivedTransmission(
        id=row.id,
        sender=row.sender,
        sender_fingerprint=row.sender_fingerprint,
        comuni=_comuni(row.comuni),
        file_name=row.file_name,
        manifest_sha256=row.manifest_sha256,
        created_at=row.created_at,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        audit_head=_head(row.audit_seq, row.audit_hash),
        chain_warning=row.chain_warning,
        receipt=row.receipt,
        receipt_lines=_lines(row.receipt_lines, row=row.id),
    )


def _comuni(raw: str) -> tuple[str, ...]:
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    return tuple(str(code) for code in value) if isinstance(value, list) else ()


def _line_data(line: ReceiptLine) -> dict[str, object]:
    return {
        "protocol": line.protocol,
        "comune": line.comune,
        "version": line.version,
        "outcome": line.outcome.value,
        "reason": None if line.reason is None else line.reason.value,
        "detail": line.detail,
    }


_LINE_KEYS = frozenset({"protocol", "comune", "version", "outcome", "reason", "detail"})


def _lines(text: str, *, row: str) -> tuple[ReceiptLine, ...]:
    """The receipt lines of a received transmission; a line of another shape is damaged."""
    lines = []
    for data in decode_list_of_objects(BlobKind.RECEIPT_LINES, text, row=row):
        protocol, comune, version = data.get("protocol"), data.get("comune"), data.get("version")
        outcome, reason, detail = data.get("outcome"), data.get("reason"), data.get("detail")
        try:
            if (
                data.keys() != _LINE_KEYS
                or not isinstance(protocol, str)
                or not isinstance(comune, str)
                or not isinstance(version, int)
                or isinstance(version, bool)
                or not isinstance(outcome, str)
                or not (reason is None or isinstance(reason, str))
                or not isinstance(detail, str)
            ):
                raise ValueError("not a receipt line")
            lines.append(
                ReceiptLine(
                    protocol,
                    comune,
                    version,
                    ReceiptOutcome(outcome),
                    None if reason is None else RejectReason(reason),
                    detail,
                )
            )
        except ValueError:
            raise UserFacingError(
                "store.blob_damaged", kind=BlobKind.RECEIPT_LINES.format_name, row=row
            ) from None
    return tuple(lines)
