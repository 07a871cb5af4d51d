"""Use cases of printing: one per document, each giving the PDF and a file name to suggest.

Every use case reads what it needs inside one unit of work, renders outside it (reportlab is
pure CPU) and then records a ``PRINT`` event in the audit log with the entity's id only. The
suggested file names carry no personal data: the istanza's protocol (or id), the kind, the PI
version or the visit date.

Permissions: ``READ_CASES`` for everything about an istanza; the scale sheets are health data
(``READ_HEALTH``); a PI printed by an operator without ``READ_HEALTH`` leaves out the evaluation
(:func:`services.pi.visible`). The recovery sheet needs no permission: the caller holds the code
(it was just shown to the operator who created the store).
"""

from __future__ import annotations

import enum
import hashlib
import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain import comuni
from caseworker_app.domain.assessment import Assessment, SheetStatus
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.casefile import CaseFile
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza
from caseworker_app.domain.istanza_content import IstanzaContent, judged_isee
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.pi import PiContent, PiVersion
from caseworker_app.domain.roles import Permission
from caseworker_app.ports.storage import Installation, UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.case_facts import read_facts
from caseworker_app.services.istanza_wizard import avviso_of
from caseworker_app.services.pi import visible
from caseworker_app.services.settings import Office, office_of

if TYPE_CHECKING:  # reportlab is imported only when a document is rendered (on the worker)
    from caseworker_app.documents.base import GraphicSignature, Letterhead
    from caseworker_app.documents.pi_signatures import DigitalSignature


class DocumentKind(enum.StrEnum):
    PI = "pi"
    ADL = "adl"
    IADL = "iadl"
    BARTHEL = "barthel"
    ISTANZA = "istanza"
    PRIVACY = "privacy"
    RECOVERY = "recovery"
    #: a transmission's attestazione (kept in the store as written at the export)
    ATTESTAZIONE = "attestazione"
    #: a PDF received from a comune at the capofila, shown as it came
    RECEIVED = "ricevuto"
    #: the letters to the applicant (services/letters.py)
    ESITO = "esito"
    PREAVVISO_RIGETTO = "preavviso_rigetto"
    #: the public graduatoria of a run, previewed before it is published (services/publication.py)
    GRADUATORIA = "graduatoria"


#: the documents printed for an istanza (the ``--document`` choices of ``caseworker print``)
ISTANZA_DOCUMENTS: tuple[DocumentKind, ...] = (
    DocumentKind.PI,
    DocumentKind.ADL,
    DocumentKind.IADL,
    DocumentKind.BARTHEL,
    DocumentKind.ISTANZA,
    DocumentKind.PRIVACY,
)
SCALE_OF_KIND: Mapping[DocumentKind, str] = {
    DocumentKind.ADL: "adl-katz",
    DocumentKind.IADL: "iadl-lawton",
    DocumentKind.BARTHEL: "barthel",
}
KIND_OF_SCALE: Mapping[str, DocumentKind] = {scale: kind for kind, scale in SCALE_OF_KIND.items()}
SCALE_LABEL: Mapping[DocumentKind, str] = {
    DocumentKind.ADL: "ADL",
    DocumentKind.IADL: "IADL",
    DocumentKind.BARTHEL: "Barthel",
}
HEALTH_KINDS = frozenset(SCALE_OF_KIND)

_SAFE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}")
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PrintedDocument:
    """A rendered document: the PDF bytes and a file name without personal data."""

    kind: DocumentKind
    pdf: bytes
    suggested_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True)
class SheetRef:
    """An assessment sheet as the history lists it (no answers, no personal data)."""

    id: str
    scale: str
    title: str
    visit_date: date
    completed: bool
    updated_at: datetime


# -- helpers ---------------------------------------------------------------------------------


def file_part(text: str) -> str:
    """``text`` reduced to characters safe in a file name on every system."""
    return _UNSAFE_FILE_CHARS.sub("-", text).strip("-.") or "documento"


def _shown_ref(reference: str) -> str:
    """The reference as it may appear in a message (it might be anything the user typed)."""
    ref = reference.strip()
    return ref if _SAFE_REF.fullmatch(ref) else "(riferimento non valido)"


def istanza_ref(istanza: Istanza) -> str:
    """What documents call the istanza: its protocol, or its id while it has none."""
    return istanza.protocol or istanza.id


def resolve_istanza(uow: UnitOfWork, *, actor: Actor, reference: str) -> IstanzaId:
    """The id of the istanza with this id or protocol (``print.istanza_not_found``)."""
    actor.require(Permission.READ_CASES)
    with uow:
        return _resolve(uow, reference).id


def _resolve(uow: UnitOfWork, reference: str) -> Istanza:
    """Call inside ``with uow``: the istanza with this id or protocol."""
    ref = reference.strip()
    if ref:
        found = uow.istanze.get(IstanzaId(ref))
        if found is not None:
            return found
        for row in uow.istanze.list():
            if row.protocol == ref:
                by_protocol = uow.istanze.get(row.istanza_id)
                if by_protocol is not None:
                    return by_protocol
    raise UserFacingError("print.istanza_not_found", ref=_shown_ref(reference))


def _case(uow: UnitOfWork, case_id: CaseId) -> CaseFile:
    case = uow.cases.get(case_id)
    if case is None:
        raise UserFacingError("case.not_found")
    return case


def _person(case: CaseFile) -> str:
    a = case.anagrafica
    return f"{a.given_name} {a.surname}".strip()


def _comune_name(code: str) -> str:
    found = comuni.comune_by_code(code) if code else None
    return found.name if found is not None else code


def letterhead_of(installation: Installation, office: Office | None = None) -> Letterhead:
    """The letterhead: the ambito name from the definitions, "Comune di …" of the installation,
    and the office with its contacts and logo as set in Impostazioni (defaults without)."""
    from caseworker_app.documents.base import Letterhead

    try:
        ambito = get_ambito(installation.ambito).name
    except UserFacingError:
        ambito = installation.ambito
    office = office or Office()
    return Letterhead(ambito=ambito, comune=f"Comune di {_comune_name(installation.comune)}",
                      office=office.name, address=office.address, phone=office.phone,
                      pec=office.pec, logo=office.logo)  # fmt: skip


def _audit(uow: UnitOfWork, actor: Actor, entity_type: str, entity_id: str, now: datetime) -> None:
    """Record the PRINT once the document exists (ids only, never content)."""
    with uow:
        audit_log.record(uow, actor=actor, action=AuditAction.PRINT, entity_type=entity_type,
                         entity_id=entity_id, at=now)  # fmt: skip
        uow.commit()


def _graphic_signatures(
    uow: UnitOfWork, actor: Actor, version_id: str
) -> tuple[GraphicSignature, ...]:
    """The signatures drawn on the pad for this version, when that service is installed.

    Imported lazily: the signature service is optional; without it (or for an operator who may
    not see them) the PI prints with empty signature blocks to be signed by hand."""
    try:
        module: Any = importlib.import_module("caseworker_app.services.signatures")
    except ModuleNotFoundError as exc:
        if exc.name != "caseworker_app.services.signatures":
            raise
        return ()
    try:
        found: Sequence[GraphicSignature] = module.graphic_signatures(
            uow, actor=actor, version_id=version_id
        )
    except UserFacingError as exc:
        if exc.code == "auth.not_allowed":
            return ()
        raise
    return tuple(found)


def _digital_signatures(uow: UnitOfWork, version_id: str) -> tuple[DigitalSignature, ...]:
    """The intact and valid PAdES signatures of the version's signed copies, oldest first."""
    from caseworker_app.documents.pades import SignatureCheck
    from caseworker_app.documents.pi_signatures import DigitalSignature

    with uow:
        documents = uow.signatures.documents_of_version(version_id)
    found: list[DigitalSignature] = []
    for doc in documents:
        if not doc.signature_check:
            continue
        for sig in SignatureCheck.from_json(doc.signature_check).signatures:
            claimed = sig.signing_time
            when = claimed.astimezone().replace(tzinfo=None) if claimed else doc.created_at
            if sig.ok and when is not None:
                found.append(DigitalSignature(sig.signer, when, sig.field_name))
    return tuple(found)


# -- Progetto Individuale ---------------------------------------------------------------------


def print_pi(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza: str,
    number: int | None = None,
    now: datetime,
) -> PrintedDocument:
    """The PI of the istanza (id or protocol): version ``number``, or the latest one."""
    actor.require(Permission.READ_CASES)
    with uow:
        found = _resolve(uow, istanza)
        installation = uow.installation.get()
        office = office_of(uow.settings)
        versions = uow.pi.of_istanza(found.id)
    ref = istanza_ref(found)
    if not versions:
        raise UserFacingError("print.no_pi", ref=ref)
    chosen: PiVersion | None = versions[-1]
    if number is not None:
        chosen = next((v for v in versions if v.number == number), None)
        if chosen is None:
            raise UserFacingError("print.pi_version_missing", ref=ref, number=number,
                                  last=versions[-1].number)  # fmt: skip
    assert chosen is not None
    shown = visible(actor, chosen)
    signatures = _graphic_signatures(uow, actor, shown.id)
    digital = _digital_signatures(uow, shown.id) if shown.frozen else ()
    from caseworker_app.documents.pi_document import render_pi

    content = PiContent.from_data(shown.content)
    pdf = render_pi(letterhead=letterhead_of(installation, office), content=content, version=shown,
                    istanza_ref=ref, signatures=signatures,
                    code_labels=_intervention_labels(found.avviso),
                    digital=digital)  # fmt: skip
    _audit(uow, actor, "pi_version", shown.id, now)
    return PrintedDocument(DocumentKind.PI, pdf, f"PI_{file_part(ref)}_v{shown.number}.pdf")


def _intervention_labels(avviso_id: str) -> dict[str, str]:
    """The avviso's names of its interventions, by code."""
    try:
        avviso = get_avviso(avviso_id)
    except UserFacingError:
        return {}
    return {code: intervention.label for code, intervention in avviso.interventions.items()}


# -- scale sheets ----------------------------------------------------------------------------


def _sheet_document(
    uow: UnitOfWork,
    actor: Actor,
    *,
    sheet: Assessment,
    case: CaseFile,
    installation: Installation,
    office: Office,
    ref: str,
    now: datetime,
) -> PrintedDocument:
    kind = KIND_OF_SCALE.get(sheet.scale, DocumentKind.ADL)
    from caseworker_app.documents.scale_sheets import render_scale_sheet

    pdf = render_scale_sheet(letterhead=letterhead_of(installation, office), sheet=sheet,
                             person=_person(case), istanza_ref=ref,
                             sex=case.anagrafica.sex)  # fmt: skip
    _audit(uow, actor, "assessment", sheet.id, now)
    parts = [SCALE_LABEL[kind], *([file_part(ref)] if ref else []), sheet.visit_date.isoformat()]
    return PrintedDocument(kind, pdf, "_".join(parts) + ".pdf")


def print_scale_sheet(
    uow: UnitOfWork, *, actor: Actor, istanza: str, kind: DocumentKind, now: datetime
) -> PrintedDocument:
    """The latest closed sheet of the scale (ADL, IADL, Barthel) of the istanza's person."""
    actor.require(Permission.READ_CASES)
    actor.require(Permission.READ_HEALTH)
    scale = SCALE_OF_KIND[kind]
    with uow:
        found = _resolve(uow, istanza)
        installation = uow.installation.get()
        office = office_of(uow.settings)
        case = _case(uow, found.case_id)
        sheets = [
            s
            for s in uow.assessments.of_case(found.case_id)
            if s.scale == scale and s.status is SheetStatus.COMPLETA
        ]
    ref = istanza_ref(found)
    if not sheets:
        raise UserFacingError("print.no_sheet", ref=ref, scale=SCALE_LABEL[kind])
    latest = max(sheets, key=lambda s: (s.visit_date, s.updated_at))
    return _sheet_document(uow, actor, sheet=latest, case=case, installation=installation,
                           office=office, ref=ref, now=now)  # fmt: skip


def sheet_refs(uow: UnitOfWork, *, actor: Actor, case_id: CaseId) -> list[SheetRef]:
    """The sheets of a case, oldest first (to choose one to print)."""
    actor.require(Permission.READ_CASES)
    actor.require(Permission.READ_HEALTH)
    with uow:
        sheets = uow.assessments.of_case(case_id)
    return [
        SheetRef(
            s.id,
            s.scale,
            get_scale(s.scale, s.version).title,
            s.visit_date,
            s.status is SheetStatus.COMPLETA,
            s.updated_at,
        )
        for s in sorted(sheets, key=lambda s: (s.visit_date, s.updated_at))
    ]


def print_sheet(uow: UnitOfWork, *, actor: Actor, sheet_id: str, now: datetime) -> PrintedDocument:
    """One closed sheet chosen in the history of the case's assessments.

    Its reference is the case's most recent istanza (protocol or id), if the case has one."""
    actor.require(Permission.READ_CASES)
    actor.require(Permission.READ_HEALTH)
    with uow:
        sheet = uow.assessments.get(sheet_id)
        if sheet is None:
            raise UserFacingError("print.sheet_not_found")
        installation = uow.installation.get()
        office = office_of(uow.settings)
        case = _case(uow, sheet.case_id)
        of_case = uow.istanze.of_case(sheet.case_id)
    if sheet.status is not SheetStatus.COMPLETA:
        raise UserFacingError("print.sheet_not_completed")
    with_protocol = [i for i in of_case if i.protocol]
    ref = istanza_ref((with_protocol or of_case)[-1]) if of_case else ""
    return _sheet_document(uow, actor, sheet=sheet, case=case, installation=installation,
                           office=office, ref=ref, now=now)  # fmt: skip


# -- istanza, privacy notice, recovery sheet --------------------------------------------------


def print_istanza(uow: UnitOfWork, *, actor: Actor, istanza: str, now: datetime) -> PrintedDocument:
    """The application as the avviso's Allegato A, with its self-declarations."""
    actor.require(Permission.READ_CASES)
    with uow:
        found = _resolve(uow, istanza)
        installation = uow.installation.get()
        office = office_of(uow.settings)
        content = IstanzaContent.from_data(uow.istanze.content(found.id))
        facts = read_facts(uow, found.case_id)
    avviso = avviso_of(found)
    isee = judged_isee(found, facts, content, avviso, now=now)
    from caseworker_app.documents.istanza_document import render_istanza

    letterhead = letterhead_of(installation, office)
    pdf = render_istanza(letterhead=letterhead, istanza=found, content=content, facts=facts,
                         avviso=avviso, isee=isee)  # fmt: skip
    _audit(uow, actor, "istanza", found.id, now)
    name = f"Istanza_{file_part(istanza_ref(found))}.pdf"
    return PrintedDocument(DocumentKind.ISTANZA, pdf, name)


def print_privacy(
    uow: UnitOfWork, *, actor: Actor, istanza: str | None = None, now: datetime
) -> PrintedDocument:
    """The art. 13 GDPR notice: the capofila as controller, this comune as processor."""
    actor.require(Permission.READ_CASES)
    with uow:
        found = _resolve(uow, istanza) if istanza is not None else None
        installation = uow.installation.get()
        office = office_of(uow.settings)
    letterhead = letterhead_of(installation, office)
    try:
        capofila = _comune_name(get_ambito(installation.ambito).capofila)
    except UserFacingError:
        capofila = _comune_name(installation.comune)
    ref = istanza_ref(found) if found is not None else None
    from caseworker_app.documents.privacy_notice import render_privacy

    pdf = render_privacy(letterhead=letterhead, controller=f"Comune di {capofila}",
                         processor=letterhead.comune, istanza_ref=ref,
                         created=now)  # fmt: skip
    entity = found.id if found is not None else installation.store_id
    _audit(uow, actor, "privacy_notice", entity, now)
    name = f"informativa_privacy_{file_part(ref)}.pdf" if ref else "informativa_privacy.pdf"
    return PrintedDocument(DocumentKind.PRIVACY, pdf, name)


def print_recovery(
    uow: UnitOfWork, *, actor: Actor, recovery_code: str, now: datetime
) -> PrintedDocument:
    """The recovery sheet of this store (the code is never recorded anywhere)."""
    with uow:
        installation = uow.installation.get()
        office = office_of(uow.settings)
        head = uow.audit.head()  # the audit log as it is now: a line to keep on the sheet
    from caseworker_app.documents.recovery_sheet import render_recovery

    letterhead = letterhead_of(installation, office)
    pdf = render_recovery(letterhead=letterhead, recovery_code=recovery_code,
                          store_id=installation.store_id,
                          created=installation.created_at, audit_head=head,
                          printed=now)  # fmt: skip
    _audit(uow, actor, "recovery_sheet", installation.store_id, now)
    return PrintedDocument(DocumentKind.RECOVERY, pdf, "codice_di_recupero.pdf")


# -- one door for the command line and the Istanze tab ---------------------------------------


def print_for_istanza(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza: str,
    kind: DocumentKind,
    version: int | None = None,
    now: datetime,
) -> PrintedDocument:
    """Any document of an istanza (id or protocol); ``version`` only for the PI."""
    if kind is DocumentKind.PI:
        return print_pi(uow, actor=actor, istanza=istanza, number=version, now=now)
    if kind in HEALTH_KINDS:
        return print_scale_sheet(uow, actor=actor, istanza=istanza, kind=kind, now=now)
    if kind is DocumentKind.ISTANZA:
        return print_istanza(uow, actor=actor, istanza=istanza, now=now)
    if kind is DocumentKind.PRIVACY:
        return print_privacy(uow, actor=actor, istanza=istanza, now=now)
    raise ValueError(f"not a document of an istanza: {kind}")
