"""One istanza's istruttoria as it travels to the capofila: what is missing, and its members.

Seed 003 §11 says what the capofila receives, and no more: the istanza with the documents
attached, the ISEE, and — only for the istanze the avviso asks it of (``[transmission]`` in the
avviso's definition file: e.g. not for those already in carico to B2 2023) — the social
evaluation, the ADL and IADL sheets and the PI with its signed PDF.

:func:`assess` reads an istanza (inside the caller's open unit of work) and says what is
missing to send it; :func:`members` gives its members for the sealed writer, each document's
bytes read from the store only when the writer reaches it (500 istruttorie with their scans never
sit in memory together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from caseworker_app.domain import stored_formats
from caseworker_app.domain.assessment import IADL, NOT_FOR_MINORS, Assessment, SheetStatus
from caseworker_app.domain.case_sections import SocialEvaluation
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.codes import SIGNED_PI_DOCUMENT
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.iban import compact_iban
from caseworker_app.domain.istanza import Istanza, IstanzaState
from caseworker_app.domain.istanza_content import IstanzaContent, build_record
from caseworker_app.domain.pi import PiStatus, PiVersion
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.stored_formats import BlobKind
from caseworker_app.domain.transmission import (
    ISTANZE_FOLDER,
    Istruttoria,
    MemberRole,
    Missing,
    SentItem,
    SentMember,
    TransmissionState,
)
from caseworker_app.ports.storage import StoredRecord, UnitOfWork
from caseworker_app.services.case_facts import read_facts
from caseworker_app.services.istanza_wizard import avviso_of
from caseworker_app.transfer.istanza_record_write import istanza_record_json
from caseworker_app.transfer.sheet_json import sheet_json

ADL = "adl-katz"
#: the key under the record's ``extra`` that carries the payment details to the capofila
PAYMENT_KEY = "pagamento"
#: the sheets seed 003 §11 names ("schede ADL e IADL")
SHEETS = (ADL, IADL)
#: the states an istanza may be sent from (evaluated; admitted where nothing else is asked; sent
#: already: a correction goes as a new version)
SENDABLE = frozenset({IstanzaState.VALUTATA, IstanzaState.TRASMESSA})
#: the states the export screen lists (the others are not on their way to the capofila)
LISTED = frozenset(
    {
        IstanzaState.PRESENTATA,
        IstanzaState.IN_ISTRUTTORIA,
        IstanzaState.DA_INTEGRARE,
        IstanzaState.AMMISSIBILE,
        IstanzaState.VALUTATA,
        IstanzaState.TRASMESSA,
    }
)
_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
}
_JSON = "application/json"


@dataclass(frozen=True)
class _Part:
    """A member before it is written: its entry in istruttoria.json and how to get its bytes."""

    member: SentMember
    data: bytes | None = None  # small JSON members, made at once
    document: Document | None = None  # a scan, read from the store when written
    #: a PI signed on the signature pad has no signed copy: its PDF is the PI printed with the
    #: signatures drawn in, rendered before the export (the version's id; "" otherwise)
    rendered_version: str = ""


@dataclass(frozen=True)
class Pack:
    """One istanza, read and judged for sending."""

    istanza: Istanza
    avviso: Avviso
    record: IstanzaRecord | None
    evaluation_included: bool
    missing: tuple[tuple[Missing, str], ...]
    parts: tuple[_Part, ...]
    latest: SentItem | None  # its last transmission, if any
    digest: str  # of everything it would send: unchanged since ``latest`` when equal
    pi_number: int | None = None  # the PI version sent

    @property
    def pi_to_render(self) -> int | None:
        """The number of the PI version to print for ``pi.pdf`` (signed on the pad), if any."""
        part = next((p for p in self.parts if p.rendered_version and p.data is None), None)
        return None if part is None else self.pi_number

    @property
    def next_version(self) -> int:
        return 1 if self.latest is None else self.latest.version + 1

    @property
    def transmission_state(self) -> TransmissionState:
        return TransmissionState.DA_INVIARE if self.latest is None else self.latest.state

    def istruttoria(self, *, folder: str) -> Istruttoria:
        """What ``istruttoria.json`` says, its members renamed under ``folder``."""
        assert self.record is not None
        return Istruttoria(
            protocol=self.istanza.protocol or "",
            comune=self.istanza.comune,
            avviso=self.avviso.id,
            avviso_version=self.avviso.version,
            version=self.next_version,
            submitted_at=self.record.submitted_at,
            evaluation_included=self.evaluation_included,
            members=tuple(_under(p.member, folder) for p in self.parts),
        )


def assess(
    uow: UnitOfWork,
    istanza: Istanza,
    *,
    now: datetime,
    latest: SentItem | None,
    rendered_pi: bytes | None = None,
) -> Pack:
    """Read ``istanza`` with what it would send (inside the caller's open unit of work);
    ``rendered_pi``: the PDF of its PI signed on the pad, printed beforehand."""
    avviso = avviso_of(istanza)
    content = IstanzaContent.from_data(uow.istanze.content(istanza.id))
    facts = read_facts(uow, istanza.case_id)
    record, _gaps = build_record(istanza, facts, content, now=now)
    missing: list[tuple[Missing, str]] = []
    parts: list[_Part] = []
    if record is None or not istanza.protocol:
        missing.append((Missing.RECORD, ""))
    else:
        try:
            raw = istanza_record_json(with_payment(record, content), avviso=avviso)
        except ValueError:  # a value the interchange format cannot carry (named in the log)
            missing.append((Missing.RECORD, ""))
        else:
            parts.append(_json_part("istanza.json", MemberRole.RECORD, "", raw))
    included = avviso.evaluation_required(record.in_place if record is not None else ())
    if istanza.state not in SENDABLE and not (
        istanza.state is IstanzaState.AMMISSIBILE and not included
    ):
        missing.append((Missing.NOT_EVALUATED, istanza.state.value))
    for check in content.documents:
        if check.promised_by is not None and check.received_on is None:
            missing.append((Missing.DOCUMENT_PROMISED, check.code))
    parts.extend(_documents(uow, istanza, content))
    pi_number = None
    if included:
        pi_number = _evaluation_parts(uow, istanza, record, missing, parts, rendered_pi)
    digest = _digest(parts)
    resent = latest is not None and latest.state is not TransmissionState.RESPINTA
    if resent and latest is not None and latest.record_sha256 == digest:
        missing.append((Missing.ALREADY_SENT, latest.transmission))
    return Pack(
        istanza, avviso, record, included, tuple(missing), tuple(parts), latest, digest, pi_number
    )


def with_payment(record: IstanzaRecord, content: IstanzaContent) -> IstanzaRecord:
    """The record as it travels: ``extra.pagamento`` = ``{"iban", "intestatario"}`` from the
    istanza's payment details when an IBAN was given (the capofila's elenco di liquidazione
    needs it; docs/transfer-format.md); the record unchanged otherwise."""
    iban = compact_iban(content.iban)
    if not iban:
        return record
    payment = {"iban": iban, "intestatario": " ".join(content.iban_holder.split())}
    return record._replace(extra={**record.extra, PAYMENT_KEY: payment})


def member_sources(
    uow: UnitOfWork, pack: Pack, istruttoria: Istruttoria, item_json: bytes
) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """The members of one istruttoria for the sealed writer: ``istruttoria.json`` first, then
    each part (a scan's bytes read when the writer pulls them)."""
    folder = istruttoria.members[0].name.rsplit("/", 1)[0] if istruttoria.members else ""
    yield f"{folder}/istruttoria.json", item_json
    for part, entry in zip(pack.parts, istruttoria.members, strict=True):
        if part.data is not None:
            yield entry.name, part.data
        elif part.document is not None:
            yield entry.name, _scan(uow, part.document)
        else:  # a PI signed on the pad not printed beforehand: a bug of the caller
            raise ValueError("the PI of this istanza must be printed before the export")


def folder_name(index: int) -> str:
    return f"{ISTANZE_FOLDER}/{index:04d}"


# -- what travels -----------------------------------------------------------------------------


def _documents(uow: UnitOfWork, istanza: Istanza, content: IstanzaContent) -> list[_Part]:
    """The scans attached: those the checklist names, and those filed under the istanza
    (the signed PI travels as ``pi.pdf``, not here)."""
    named = {c.scan_id for c in content.documents if c.scan_id}
    chosen = [
        d
        for d in uow.documents.of_case(istanza.case_id)
        if d.has_content
        and d.doc_type != SIGNED_PI_DOCUMENT
        and (d.id in named or d.istanza_id == istanza.id)
    ]
    chosen.sort(key=lambda d: (d.doc_type, d.created_at or datetime.min, d.id))
    parts = []
    for number, doc in enumerate(chosen, start=1):
        ext = _EXTENSIONS.get(doc.mime, "bin")
        parts.append(_scan_part(uow, f"documenti/{number:02d}.{ext}", MemberRole.DOCUMENT, doc))
    return parts


def _evaluation_parts(
    uow: UnitOfWork,
    istanza: Istanza,
    record: IstanzaRecord | None,
    missing: list[tuple[Missing, str]],
    parts: list[_Part],
    rendered_pi: bytes | None,
) -> int | None:
    """Add the evaluation, the sheets and the PI to ``parts``; the PI version's number."""
    evaluation = _latest_evaluation(uow.records.of_case(istanza.case_id, SocialEvaluation.KIND))
    if evaluation is None:
        missing.append((Missing.EVALUATION, ""))
    else:
        blob = stored_formats.encode(BlobKind.SECTION_RECORD, dict(evaluation.data))
        parts.append(_json_part("valutazione.json", MemberRole.EVALUATION, "", blob.encode()))
    sheets = _latest_sheets(uow.assessments.of_case(istanza.case_id))
    for scale in _sheets_asked(record, sheets):
        sheet = sheets.get(scale)
        if sheet is None:
            missing.append((Missing.ASSESSMENT, scale))
            continue
        parts.append(
            _json_part(f"schede/{scale}.json", MemberRole.ASSESSMENT, scale, sheet_json(sheet))
        )
    pi, pdf = _signed_pi(uow, istanza)
    if pi is None:
        missing.append((Missing.PI_UNSIGNED, ""))
        return None
    blob = stored_formats.encode(BlobKind.PI_CONTENT, dict(pi.content))
    parts.append(_json_part("pi.json", MemberRole.PI, "", blob.encode()))
    if pdf is not None:
        parts.append(_scan_part(uow, "pi.pdf", MemberRole.PI_PDF, pdf))
    elif rendered_pi is not None:
        part = _json_part("pi.pdf", MemberRole.PI_PDF, SIGNED_PI_DOCUMENT, rendered_pi)
        parts.append(
            replace(
                part, member=replace(part.member, mime="application/pdf"), rendered_version=pi.id
            )
        )
    else:  # signed on the pad: printed by the export
        member = SentMember("pi.pdf", MemberRole.PI_PDF, SIGNED_PI_DOCUMENT, "application/pdf")
        parts.append(_Part(member, rendered_version=pi.id))
    return pi.number


def _sheets_asked(record: IstanzaRecord | None, sheets: dict[str, Assessment]) -> list[str]:
    """ADL and IADL; no IADL for a minor on the day of the visit (seed 003 art. 5 a)."""
    asked = list(SHEETS)
    if record is not None:
        visit = sheets.get(ADL)
        day: date = visit.visit_date if visit is not None else record.submitted_at.date()
        if age_on(record.beneficiary.birth_date, day) < 18:
            asked = [s for s in asked if s not in NOT_FOR_MINORS]
    return asked


def _latest_evaluation(records: list[StoredRecord]) -> StoredRecord | None:
    def key(r: StoredRecord) -> tuple[str, datetime, str]:
        visit = SocialEvaluation.from_data(r.data).visit_date
        return (visit.isoformat() if visit else "", r.updated_at, r.id)

    return max(records, key=key) if records else None


def _latest_sheets(sheets: list[Assessment]) -> dict[str, Assessment]:
    """The latest complete sheet of each scale."""
    latest: dict[str, Assessment] = {}
    for sheet in sorted(sheets, key=lambda s: (s.visit_date, s.updated_at, s.id)):
        if sheet.status is SheetStatus.COMPLETA:
            latest[sheet.scale] = sheet
    return latest


def _signed_pi(uow: UnitOfWork, istanza: Istanza) -> tuple[PiVersion | None, Document | None]:
    """The latest PI version when it is signed, with its signed PDF or scan (``None``: signed
    on the signature pad, printed with the signatures drawn in)."""
    versions = uow.pi.of_istanza(istanza.id)
    if not versions:
        return None, None
    latest = max(versions, key=lambda v: v.number)
    if latest.status is not PiStatus.FIRMATA:
        return None, None
    for linked in reversed(uow.signatures.documents_of_version(latest.id)):
        doc = uow.documents.get(linked.document_id)
        if doc is not None and doc.has_content:
            return latest, doc
    return latest, None


def _scan(uow: UnitOfWork, doc: Document) -> Iterator[bytes]:
    data = uow.documents.content(doc.id)
    if data is None or (doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256):
        raise UserFacingError("transmission.document_damaged", istanza=doc.istanza_id or "")
    yield data


def _json_part(name: str, role: MemberRole, code: str, data: bytes) -> _Part:
    digest = hashlib.sha256(data).hexdigest()
    return _Part(SentMember(name, role, code, _JSON, "", digest), data)


def _scan_part(uow: UnitOfWork, name: str, role: MemberRole, doc: Document) -> _Part:
    digest = doc.sha256
    if not digest:  # a scan stored before digests were kept: read it once
        digest = hashlib.sha256(b"".join(_scan(uow, doc))).hexdigest()
        doc = replace(doc, sha256=digest)
    code = doc.doc_type if role is MemberRole.DOCUMENT else SIGNED_PI_DOCUMENT
    return _Part(SentMember(name, role, code, doc.mime, doc.title, digest), document=doc)


def _under(member: SentMember, folder: str) -> SentMember:
    return replace(member, name=f"{folder}/{member.name}")


def _digest(parts: list[_Part]) -> str:
    """What the istruttoria would send, as one hash: the JSON members' bytes and the scans'
    stored digests (a scan is not read for this)."""
    summary = [
        [
            p.member.name,
            p.member.role.value,
            p.member.code,
            f"pi:{p.rendered_version}" if p.rendered_version else p.member.sha256,
        ]
        for p in parts
    ]
    return hashlib.sha256(json.dumps(summary, separators=(",", ":")).encode()).hexdigest()
