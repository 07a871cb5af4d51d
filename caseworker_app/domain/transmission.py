"""The transmission of istruttorie to the capofila and the receipt that comes back (issue 11).

A comune sends its completed istruttorie to the Ufficio di Piano of the comune capofila in one
sealed transfer file of kind ``istruttorie`` (docs/transfer-format.md §10): per istanza the
interchange record ``caseworker.istanza/1`` and exactly what seed 003 §11 lists (the documents
attached, the ISEE, and, where the avviso asks for them, the social evaluation, the ADL and IADL
sheets and the PI with its signed PDF), plus the comune's *attestazione* (seed 003 §10). The
capofila imports it all or nothing and answers with a *ricevuta* (kind ``ricevuta``): per istanza
accepted, superseding an older version, or rejected with the reason.

This module holds the values and the rules only: the JSON is ``transfer/istruttorie_json.py``,
the use cases ``services/transmissions.py``, the tables ``store/transmissions_repository.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from caseworker_app.domain.audit import AuditHead

#: the kind of the transfer file comune -> capofila, and the version of its payload
KIND = "istruttorie"
PAYLOAD_FORMAT = "caseworker.istruttorie/1"
#: the per-istanza member that lists the istanza's other members (``istanze/<n>/istruttoria.json``)
ITEM_FORMAT = "caseworker.istruttoria/1"
#: the receipt capofila -> comune, and the version of its payload and of ``ricevuta.json``
RECEIPT_KIND = "ricevuta"
RECEIPT_FORMAT = "caseworker.ricevuta/1"
RECEIPT_MEMBER = "ricevuta.json"
#: the attestazione of the transmission (seed 003 §10), a member of every istruttorie file
ATTESTAZIONE_MEMBER = "attestazione.pdf"
#: the folder of the istanze inside the file: ``istanze/0001/…`` (a counter, never personal data)
ISTANZE_FOLDER = "istanze"
#: the extension of the files we write (sealed transfer file)
FILE_SUFFIX = ".cwt"


class TransmissionState(enum.StrEnum):
    """Where an istanza stands on its way to the capofila (at the comune)."""

    DA_INVIARE = "da_inviare"  # never sent (or a correction not sent yet)
    INVIATA = "inviata"  # in a file written (which file, when)
    RICEVUTA = "ricevuta"  # the capofila's receipt says it was accepted
    RESPINTA = "respinta"  # the capofila's receipt rejected it (with the reason)
    ESITO_RICEVUTO = "esito_ricevuto"  # the outcome came back (issue 13)


class MemberRole(enum.StrEnum):
    """What a member of an istruttoria is (``istruttoria.json`` says it of each)."""

    RECORD = "istanza"  # the caseworker.istanza/1 record
    DOCUMENT = "documento"  # a document attached (a scan), ISEE attestation included
    EVALUATION = "valutazione"  # the social evaluation (JSON)
    ASSESSMENT = "scheda"  # an ADL or IADL sheet (JSON)
    PI = "pi"  # the Progetto Individuale's content (JSON)
    PI_PDF = "pi_pdf"  # the signed PDF of the PI


@dataclass(frozen=True)
class SentMember:
    """One member of an istruttoria: its path in the file and what it is."""

    name: str  # the member's name in the archive, e.g. "istanze/0001/documenti/01.pdf"
    role: MemberRole
    code: str = ""  # the document code, the scale id; "" otherwise
    mime: str = ""  # "application/pdf", "image/jpeg", "application/json"
    title: str = ""  # the document's title as registered ("" when none)
    sha256: str = ""  # of the member's bytes (the manifest has it too; checked equal on import)


@dataclass(frozen=True)
class Istruttoria:
    """One istanza in the file (``istanze/<n>/istruttoria.json``)."""

    protocol: str  # the istanza's protocol number: its identity with its comune
    comune: str  # codice catastale
    avviso: str
    avviso_version: str
    version: int  # 1, then one more every time the comune sends a correction
    submitted_at: datetime
    evaluation_included: bool  # the avviso asks this istanza's evaluation, sheets and PI (§11)
    members: tuple[SentMember, ...]

    def member(self, role: MemberRole) -> SentMember | None:
        return next((m for m in self.members if m.role is role), None)


@dataclass(frozen=True)
class IstruttoriePayload:
    """The manifest's payload of an istruttorie file."""

    istanze: tuple[IstanzaRef, ...]  # one per istruttoria, in the order of their folders
    #: the sender's audit chain as it is now at the heads of its earlier transmissions to this
    #: capofila: a capofila that holds one of those heads with another hash sees the log rewritten
    audit_chain: tuple[AuditHead, ...] = ()


@dataclass(frozen=True)
class IstanzaRef:
    """The manifest's line for one istruttoria: which istanza, which version, where."""

    protocol: str
    comune: str
    version: int
    folder: str  # "istanze/0001"

    @property
    def item_member(self) -> str:
        return f"{self.folder}/istruttoria.json"


# -- readiness (at the comune) ------------------------------------------------------------------


class Missing(enum.StrEnum):
    """Why an istanza cannot be sent yet: each a message code ``transmission.missing.<value>``."""

    NOT_EVALUATED = "not_evaluated"  # not in "valutata" (or "ammissibile" when nothing is asked)
    DOCUMENT_PROMISED = "document_promised"  # a document is still promised
    EVALUATION = "evaluation"  # the social evaluation is asked and missing
    ASSESSMENT = "assessment"  # an ADL or IADL sheet is asked and missing or incomplete
    PI_UNSIGNED = "pi_unsigned"  # the PI is asked and not signed (or has no signed PDF)
    ALREADY_SENT = "already_sent"  # sent, and nothing changed since (a correction is a new version)
    RECORD = "record"  # the interchange record cannot be built (facts missing)


@dataclass(frozen=True)
class Readiness:
    """One istanza on the export screen: ready, or what is missing (in the order to fix it)."""

    istanza_id: str
    protocol: str | None
    comune: str
    avviso: str
    state: str  # the istanza's state
    transmission: TransmissionState
    missing: tuple[tuple[Missing, str], ...] = ()  # (what, detail: a document code, a scale id)
    next_version: int = 1

    @property
    def ready(self) -> bool:
        return not self.missing


# -- what the comune keeps of its transmissions -----------------------------------------------


@dataclass(frozen=True)
class SentItem:
    """An istanza in a transmission, and what the capofila said of it."""

    transmission: str  # the transmission's UUID
    istanza_id: str
    protocol: str
    comune: str
    version: int
    state: TransmissionState
    record_sha256: (
        str  # of the record and members sent: a later export sends it again only if changed
    )
    reason: str = ""  # the capofila's reason when rejected
    updated_at: datetime | None = None


@dataclass(frozen=True)
class SentTransmission:
    """A file written at the comune."""

    id: str  # the transmission UUID (the manifest's)
    file_name: str
    created_at: datetime
    created_by: str
    day: date
    counter: int  # the file's counter for that comune and day (in the name)
    comune: str  # the comune code in the name
    recipient_fingerprint: str
    manifest_sha256: str
    size: int
    attestazione: bytes  # the PDF, to print again
    audit_head: AuditHead | None = None  # this store's chain head written in the file
    receipt_sha256: str = ""  # of the receipt's manifest, once imported
    receipt_at: datetime | None = None
    items: tuple[SentItem, ...] = ()


# -- what the capofila keeps ----------------------------------------------------------------


class ReceiptOutcome(enum.StrEnum):
    """What the capofila did with one istanza of a file (the receipt says it)."""

    ACCETTATA = "accettata"  # a new istanza, stored
    SOSTITUISCE = "sostituisce"  # a newer version: it supersedes the one held
    GIA_RICEVUTA = "gia_ricevuta"  # the same version, same content: nothing changed
    RESPINTA = "respinta"  # not stored (the reason says why)


class RejectReason(enum.StrEnum):
    """Why the capofila rejects one istanza of an otherwise valid file (message
    ``transmission.reject.<value>``, also written in the receipt)."""

    STALE = "stale"  # an older version than the one held
    CONFLICT = "conflict"  # the version held, with other content
    COMUNE_NOT_SENDER = "comune_not_sender"  # the sender does not act for that comune
    COMUNE_NOT_IN_AMBITO = "comune_not_in_ambito"
    AVVISO_UNKNOWN = "avviso_unknown"  # not an avviso of this ambito


@dataclass(frozen=True)
class ReceiptLine:
    protocol: str
    comune: str
    version: int
    outcome: ReceiptOutcome
    reason: RejectReason | None = None
    detail: str = ""  # the reason in Italian, as the capofila's application wrote it


@dataclass(frozen=True)
class Receipt:
    """``ricevuta.json``: the capofila's answer to one transmission."""

    transmission: str  # the UUID of the transmission it answers
    manifest_sha256: str  # of that transmission's manifest.json
    received_at: datetime
    capofila: str  # the capofila's installation id
    lines: tuple[ReceiptLine, ...]


@dataclass(frozen=True)
class ReceivedMember:
    name: str  # as in the file ("istanze/0001/documenti/01.pdf")
    role: MemberRole
    code: str
    mime: str
    title: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ReceivedIstanza:
    """An istanza as the capofila received it (read-only there)."""

    id: str  # the capofila's own id of this received version
    comune: str
    protocol: str
    version: int
    avviso: str
    avviso_version: str
    sender: str  # the sending installation's id
    transmission: str  # the UUID of the file it came in
    received_at: datetime
    submitted_at: datetime
    evaluation_included: bool
    record: bytes  # the caseworker.istanza/1 record as received (canonical JSON)
    record_sha256: str
    superseded_by: str | None = None  # the id of the newer version that replaced it
    members: tuple[ReceivedMember, ...] = ()

    @property
    def current(self) -> bool:
        return self.superseded_by is None


class ReceivedRecord(NamedTuple):
    """The current version of a received istanza as a ranking run reads it: its identity and
    record (thousands at a time, so a tuple, without the moments and the members)."""

    id: str  # the received version's id
    comune: str
    protocol: str
    version: int
    record: bytes  # caseworker.istanza/1, canonical JSON, as checked on import
    record_sha256: str


@dataclass(frozen=True)
class ReceivedTransmission:
    """A file imported at the capofila."""

    id: str  # the transmission UUID
    sender: str  # installation id
    sender_fingerprint: str
    comuni: tuple[str, ...]  # the comuni the sender acts for
    file_name: str
    manifest_sha256: str
    created_at: datetime  # by the sender
    imported_at: datetime
    imported_by: str
    audit_head: AuditHead | None
    chain_warning: str = ""  # non-empty: the sender's audit log no longer holds an earlier head
    receipt: bytes = b""  # the receipt file as written (to give it again on a repeated import)
    receipt_lines: tuple[ReceiptLine, ...] = field(default_factory=tuple)


def chain_rewritten(
    held: list[AuditHead], current: AuditHead | None, chain: tuple[AuditHead, ...]
) -> AuditHead | None:
    """The first head the capofila holds of a sender that the sender's chain, as the new file
    shows it, no longer contains: a head beyond the new head's sequence (the log is shorter), or
    one whose hash at its sequence differs; ``None`` when the chain still holds them all.

    ``held``: the heads of the sender's earlier files; ``current``: the new file's head;
    ``chain``: the hashes the new file gives at the sequences of earlier heads."""
    at = {h.seq: h.hash for h in chain}
    if current is not None:
        at.setdefault(current.seq, current.hash)
    for head in sorted(held, key=lambda h: h.seq):
        if current is None or head.seq > current.seq:
            return head
        if at.get(head.seq) != head.hash:
            return head
    return None


def file_name(comune: str, day: date, counter: int) -> str:
    """``A010-20240301-001.cwt``: the comune code, the date and a counter, never personal data."""
    return f"{comune}-{day:%Y%m%d}-{counter:03d}{FILE_SUFFIX}"
