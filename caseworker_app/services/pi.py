"""Use cases of the Progetto Individuale (PI): prefill, autosave, check, sign, new version.

A first draft is prefilled from the case file, the istanza, the last completed assessment of
each scale and the latest social evaluation. Drafts are autosaved; a signed version is frozen and
changes make the next version (``aggiornamento``). Writing needs ``EDIT_CASES``; the evaluation
section holds health data: operators without ``READ_HEALTH`` (amministrativo) never receive it,
and their saves leave the stored one untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from caseworker_app.definitions.ambiti import get_ambito
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain import comuni
from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.case_sections import IseeAttestation, SocialEvaluation
from caseworker_app.domain.casefile import CaseFile, MemberKind
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId, new_id
from caseworker_app.domain.istanza import Istanza
from caseworker_app.domain.istanza_content import CaseFacts, IstanzaContent, judged_isee
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.pi import (
    EVALUATION,
    PiContent,
    PiStatus,
    PiVersion,
    kept_as_typed,
    missing_signatures,
    without_health,
)
from caseworker_app.domain.pi_diff import Change, diff
from caseworker_app.domain.pi_plan import BudgetLine, FundingSource, Intervention
from caseworker_app.domain.pi_sections import (
    Beneficiary,
    Economic,
    Evaluation,
    Header,
    Monitoring,
    Network,
    NetworkPerson,
    NetworkRole,
    PiCertification,
    ScaleLine,
    ServiceInPlace,
    Signatory,
    SignatoryRole,
    TargetGroup,
    VersionKind,
    check_compatibility,
)
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.avviso import Avviso, IncompatibleReq
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.rules.lines import check_lines
from caseworker_app.domain.rules.money import money
from caseworker_app.domain.rules.record import RequestLine
from caseworker_app.domain.rules.verdict import Status
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.services.assessments import summarize
from caseworker_app.services.case_facts import read_facts

ELDERLY_AGE = 65
ENTITY = "pi_version"


def _read(actor: Actor) -> None:
    actor.require(Permission.READ_CASES)


def _write(actor: Actor) -> None:
    actor.require(Permission.EDIT_CASES)


def visible(actor: Actor, version: PiVersion) -> PiVersion:
    """The version as ``actor`` may see it: without health sections unless READ_HEALTH."""
    if actor.can(Permission.READ_HEALTH):
        return version
    return replace(version, content=without_health(version.content))


def _audit(uow: UnitOfWork, actor: Actor, action: AuditAction, entity: str, at: datetime) -> None:
    audit_log.record(uow, actor=actor, action=action, entity_type=ENTITY, entity_id=entity, at=at)


# -- prefill ---------------------------------------------------------------------------------


def _place(code: str) -> str:
    found = comuni.comune_by_code(code) if code else None
    return found.name if found is not None else code


def _beneficiary(case: CaseFile, facts: CaseFacts, on: date) -> Beneficiary:
    a = case.anagrafica
    group = TargetGroup.ADULTO
    if a.birth_date is not None:
        age = age_on(a.birth_date, on)
        group = (
            TargetGroup.MINORE
            if age < 18
            else TargetGroup.ANZIANO
            if age >= ELDERLY_AGE
            else TargetGroup.ADULTO
        )
    residence = ", ".join(p for p in (a.residence_address, _place(a.residence_comune)) if p)
    domicile = ", ".join(p for p in (a.domicile_address, _place(a.domicile_comune)) if p)
    certs = tuple(
        PiCertification(c.kind.value, c.issued_on, c.issuer, c.percent)
        for c in facts.certifications
    )
    return Beneficiary(a.surname, a.given_name, a.codice_fiscale, a.birth_date,
                       _place(a.birth_place_code), residence, domicile, group,
                       certs)  # fmt: skip


def _network(case: CaseFile) -> Network:
    people = []
    for m in case.household:
        if m.legal_role is not None:
            role, note = NetworkRole.RAPPRESENTANTE_LEGALE, m.legal_role.value
        elif m.member_kind is MemberKind.ASSISTENTE_FAMILIARE:
            role, note = NetworkRole.ASSISTENTE_FAMILIARE, m.contract_type
        elif m.is_caregiver:
            role, note = NetworkRole.CAREGIVER, ""
        else:
            role, note = NetworkRole.FAMILIARE, ""
        hours = m.care_hours_week or m.weekly_hours or None
        people.append(NetworkPerson(role, m.surname, m.given_name, m.relationship, m.cohabiting,
                                    hours, note))  # fmt: skip
    return Network(tuple(people))


def _evaluation(uow: UnitOfWork, case: CaseFile) -> Evaluation:
    records = sorted(
        uow.records.of_case(case.id, SocialEvaluation.KIND), key=lambda r: r.updated_at
    )
    social = SocialEvaluation.from_data(records[-1].data) if records else SocialEvaluation()
    latest: dict[str, ScaleLine] = {}
    sheets = [s for s in uow.assessments.of_case(case.id) if s.status is SheetStatus.COMPLETA]
    for sheet in sorted(sheets, key=lambda s: (s.visit_date, s.updated_at)):
        result = summarize(sheet, case.anagrafica.sex).result
        label = result.katz_class or (result.band.label if result.band else "")
        score = result.total if result.total is not None else result.conserved
        latest[sheet.scale] = ScaleLine(sheet.scale, sheet.visit_date, score, result.max, label)
    evaluators = social.asst_evaluators
    last = max(sheets, key=lambda s: s.visit_date, default=None)
    return Evaluation(
        multidimensional=social.multidimensional or (last is not None and last.multidimensional),
        visit_date=social.visit_date or (last.visit_date if last else None),
        place=social.place or (last.place if last else ""),
        evaluators=evaluators or (last.evaluators if last else ()),
        scales=tuple(latest.values()),
        housing=social.housing, network=social.network, needs=social.needs,
        risks=social.risks, summary=social.summary,
    )  # fmt: skip


def _economic(judged: tuple[tuple[str, IseeAttestation], ...]) -> Economic:
    """The ISEE the istanza was judged on (:func:`judged_isee`), never simply the latest."""
    if not judged:
        return Economic()
    _key, att = judged[0]
    return Economic(att.isee_type, att.value, att.dsu_protocol, att.validity_end())


def _interventions(avviso: Avviso, content: IstanzaContent) -> tuple[Intervention, ...]:
    found = []
    for line in content.requests:
        item = avviso.interventions.get(line.code)
        quantity = f"{line.days}" if line.days is not None else ""
        amount = _parse_amount(line.amount)
        found.append(Intervention(line.code, item.label if item else "", "", quantity,
                                  line.start, line.end, None, amount))  # fmt: skip
    return tuple(found)


def _parse_amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        return None
    return money(value) if value.is_finite() and value >= 0 else None


def _budget(avviso: Avviso, interventions: tuple[Intervention, ...]) -> tuple[BudgetLine, ...]:
    """The avviso's fund covers what the engine recognises of the interventions (the granted
    amounts, cut to the caps), not what was requested; the other sources are left to fill."""
    granted = [c.granted for c in validate_interventions(avviso_id=avviso.id,
                                                         interventions=interventions)
               if c.granted is not None]  # fmt: skip
    fund = sum(granted, Decimal("0.00")) if granted else None
    return tuple(BudgetLine(s, None, fund if s is FundingSource.FNA else None)
                 for s in FundingSource)  # fmt: skip


def incompatible_measures(avviso: Avviso) -> frozenset[str]:
    codes: set[str] = set()
    for req in avviso.requirements:
        if isinstance(req, IncompatibleReq):
            codes |= req.measures
    return frozenset(codes)


def _signatories(case: CaseFile, manager: str, evaluation: Evaluation) -> tuple[Signatory, ...]:
    legal = next((m for m in case.household if m.legal_role is not None), None)
    if legal is not None:
        first = Signatory(SignatoryRole.RAPPRESENTANTE_LEGALE,
                          f"{legal.given_name} {legal.surname}".strip())  # fmt: skip
    else:
        a = case.anagrafica
        first = Signatory(SignatoryRole.BENEFICIARIO, f"{a.given_name} {a.surname}".strip())
    found = [first, Signatory(SignatoryRole.CASE_MANAGER, manager)]
    if evaluation.multidimensional:
        asst = evaluation.evaluators[0] if evaluation.evaluators else ""
        found.append(Signatory(SignatoryRole.ASST, asst))
    return tuple(found)


def prefill(uow: UnitOfWork, *, actor: Actor, istanza: Istanza, now: datetime) -> PiContent:
    """Call inside ``with uow``: a first draft from what the store knows."""
    case = uow.cases.get(istanza.case_id)
    if case is None:
        raise UserFacingError("case.not_found")
    facts = read_facts(uow, istanza.case_id)
    content = IstanzaContent.from_data(uow.istanze.content(istanza.id))
    avviso = get_avviso(istanza.avviso)
    installation = uow.installation.get()
    try:
        ambito = get_ambito(installation.ambito).name
    except UserFacingError:
        ambito = installation.ambito
    operator = uow.operators.get_by_username(actor.username)
    # "Full Name, qualifica" on the PI and its signature block, never the username
    manager = operator.signature_name if operator is not None else actor.username
    today = now.date()
    evaluation = _evaluation(uow, case)
    in_place = [m.code for m in facts.measures if m.active_on(today)]
    interventions = _interventions(avviso, content)
    return PiContent(
        header=Header(ambito, _place(istanza.comune), avviso.id, avviso.title,
                      ", ".join(avviso.legal_basis), istanza.protocol or "", today,
                      VersionKind.PRIMA_STESURA),
        beneficiary=_beneficiary(case, facts, today),
        network=_network(case),
        evaluation=evaluation,
        economic=_economic(judged_isee(istanza, facts, content, avviso, now=now)),
        services=tuple(ServiceInPlace(m.code, m.provider, m.frequency, m.funding, m.start, m.end)
                       for m in facts.measures if m.active_on(today)),
        interventions=interventions,
        budget=_budget(avviso, interventions),
        compatibility=check_compatibility(in_place, incompatible_measures(avviso), on=today),
        monitoring=Monitoring(case_manager=manager),
        signatories=_signatories(case, manager, evaluation),
    )  # fmt: skip


# -- use cases -------------------------------------------------------------------------------


def start_pi(uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime) -> PiVersion:
    """The istanza's PI: a prefilled first draft if it has none yet, else its latest version."""
    _write(actor)
    with uow:
        existing = uow.pi.of_istanza(istanza_id)
        if existing:
            return visible(actor, existing[-1])
        istanza = uow.istanze.get(istanza_id)
        if istanza is None:
            raise UserFacingError("istanza.not_found")
        content = prefill(uow, actor=actor, istanza=istanza, now=now)
        version = PiVersion(new_id(), istanza_id, 1, PiStatus.BOZZA, content.to_data(), now, now,
                            actor.username)  # fmt: skip
        uow.pi.save(version)
        _audit(uow, actor, AuditAction.CREATE, version.id, now)
        uow.commit()
    return visible(actor, version)


def save_pi_draft(
    uow: UnitOfWork,
    *,
    actor: Actor,
    version_id: str,
    content: PiContent | Mapping[str, object],
    now: datetime,
) -> PiVersion:
    """Autosave of a draft. A signed version is refused; health sections are kept as stored
    when the operator may not read them."""
    _write(actor)
    data = content.to_data() if isinstance(content, PiContent) else dict(content)
    with uow:
        current = uow.pi.get(version_id)
        if current is None:
            raise UserFacingError("pi.not_found")
        if current.frozen:
            raise UserFacingError("pi.signed_frozen", number=current.number)
        if not actor.can(Permission.READ_HEALTH):
            data[EVALUATION] = current.content.get(EVALUATION, {})
        saved = replace(current, content=data, updated_at=now)
        uow.pi.save(saved)
        _audit(uow, actor, AuditAction.UPDATE, version_id, now)
        uow.commit()
    return visible(actor, saved)


def versions(
    uow: UnitOfWork, *, actor: Actor, istanza_id: IstanzaId, now: datetime
) -> list[PiVersion]:
    """Every version of the istanza's PI, oldest first."""
    _read(actor)
    with uow:
        found = uow.pi.of_istanza(istanza_id)
        if found:
            _audit(uow, actor, AuditAction.READ, found[-1].id, now)
            uow.commit()
    return [visible(actor, v) for v in found]


def refuse_kept_as_typed(content: PiContent) -> None:
    """Refuse to sign a content with values kept as typed: the message says how many and, as
    its ``reason``, names the first (``pi.typed.<section>.<field>``, its row 1-based)."""
    kept = kept_as_typed(content)
    if kept:
        first = kept[0]
        raise UserFacingError("pi.kept_as_typed", count=len(kept),
                              reason=f"pi.typed.{first.section}.{first.field}",
                              row=(first.row or 0) + 1)  # fmt: skip


def sign_pi(
    uow: UnitOfWork,
    *,
    actor: Actor,
    version_id: str,
    place: str,
    signed_on: date,
    now: datetime,
) -> PiVersion:
    """Record where and when the version was signed and freeze it (status ``firmata``).

    Nothing may be kept as typed (a value that could not be read) and every required signatory
    must be marked signed; the place and date given fill in the
    signatories' own when empty. Only an operator who can read the evaluation signs (the case
    manager): what is frozen includes it."""
    _write(actor)
    actor.require(Permission.READ_HEALTH)
    if not place.strip():
        raise UserFacingError("pi.sign_place_missing")
    with uow:
        current = uow.pi.get(version_id)
        if current is None:
            raise UserFacingError("pi.not_found")
        if current.frozen:
            raise UserFacingError("pi.signed_frozen", number=current.number)
        content = PiContent.from_data(current.content)
        refuse_kept_as_typed(content)
        missing = missing_signatures(content)
        if missing:
            raise UserFacingError("pi.signatures_missing", count=len(missing),
                                  roles=", ".join(r.value for r in missing))  # fmt: skip
        signed = replace(
            content,
            signatories=tuple(
                replace(s, place=s.place or place.strip(), signed_on=s.signed_on or signed_on)
                for s in content.signatories
            ),
            signed_place=place.strip(),
            signed_on=signed_on,
        )
        data = signed.to_data()
        frozen = replace(current, status=PiStatus.FIRMATA, content=data, updated_at=now,
                         signed_at=now, signed_by=actor.username)  # fmt: skip
        uow.pi.save(frozen)
        _audit(uow, actor, AuditAction.UPDATE, version_id, now)
        uow.commit()
    return visible(actor, frozen)


def new_version(
    uow: UnitOfWork,
    *,
    actor: Actor,
    version_id: str,
    now: datetime,
    kind: VersionKind = VersionKind.AGGIORNAMENTO,
) -> PiVersion:
    """Version n+1 as a draft, from the content of the signed latest version n."""
    _write(actor)
    with uow:
        source = uow.pi.get(version_id)
        if source is None:
            raise UserFacingError("pi.not_found")
        if not source.frozen:
            raise UserFacingError("pi.not_signed", number=source.number)
        latest = uow.pi.of_istanza(source.istanza_id)[-1]
        if latest.id != source.id:
            raise UserFacingError("pi.not_latest", number=latest.number)
        content = PiContent.from_data(source.content)
        fresh = replace(
            content,
            header=replace(content.header, drafted_on=now.date(), version_kind=kind),
            signatories=tuple(Signatory(s.role, s.name) for s in content.signatories),
            signed_place="",
            signed_on=None,
        )
        version = PiVersion(new_id(), source.istanza_id, source.number + 1, PiStatus.BOZZA,
                            fresh.to_data(), now, now, actor.username)  # fmt: skip
        uow.pi.save(version)
        _audit(uow, actor, AuditAction.CREATE, version.id, now)
        uow.commit()
    return visible(actor, version)


def diff_versions(
    uow: UnitOfWork, *, actor: Actor, old_id: str, new_id: str, now: datetime
) -> list[Change]:
    """What changed from one version to another (health sections only with READ_HEALTH)."""
    _read(actor)
    with uow:
        old, new = uow.pi.get(old_id), uow.pi.get(new_id)
        if old is None or new is None:
            raise UserFacingError("pi.not_found")
        _audit(uow, actor, AuditAction.READ, new_id, now)
        uow.commit()
    return diff_contents(visible(actor, old).content, visible(actor, new).content)


def diff_contents(old: Mapping[str, object], new: Mapping[str, object]) -> list[Change]:
    """The changes between two (already visible) contents; no storage involved."""
    return diff(PiContent.from_data(old), PiContent.from_data(new))


# -- interventions against the avviso caps --------------------------------------------------


@dataclass(frozen=True)
class InterventionCheck:
    """The engine's verdict on one intervention: ``status`` is ok (granted in full), warning
    (cut), ko (refused) or pending (not complete enough to judge). ``message`` is the engine's
    Italian explanation; ``code`` a message code (pi.*) when the PI itself explains."""

    index: int
    status: Status
    requested: Decimal | None
    granted: Decimal | None
    message: str = ""
    code: str = ""


def validate_interventions(
    *, avviso_id: str, interventions: tuple[Intervention, ...]
) -> list[InterventionCheck]:
    """Each intervention against the avviso caps with the eligibility engine (pure CPU once the
    avviso definition is loaded: call :func:`get_avviso` on the worker first)."""
    avviso = get_avviso(avviso_id)
    checks: dict[int, InterventionCheck] = {}
    lines: list[tuple[int, RequestLine]] = []
    for index, item in enumerate(interventions):
        amount = item.total_amount()
        known = item.code in avviso.interventions or item.code in avviso.excluded
        if not item.code.strip() and amount is None:
            checks[index] = InterventionCheck(index, Status.PENDING, None, None, "",
                                              "pi.intervention_empty")  # fmt: skip
        elif not known:
            checks[index] = InterventionCheck(index, Status.KO, amount, None, "",
                                              "pi.intervention_unknown_code")  # fmt: skip
        elif amount is None or item.start is None or item.end is None or item.end < item.start:
            checks[index] = InterventionCheck(index, Status.PENDING, amount, None, "",
                                              "pi.intervention_incomplete")  # fmt: skip
        else:
            extra: dict[str, object] = {}
            for iv in (avviso.interventions.get(item.code),):
                if iv is not None and iv.hours_field:
                    extra[iv.hours_field] = item.quantity.strip().replace(",", ".")
            days = int(item.quantity) if item.quantity.strip().isdigit() else None
            line = RequestLine(item.code, money(amount), item.start, item.end, days, extra)
            lines.append((index, line))
    verdicts = check_lines(avviso, tuple(line for _, line in lines), None, "")
    for (index, _line), verdict in zip(lines, verdicts, strict=True):
        checks[index] = InterventionCheck(index, verdict.status, verdict.requested,
                                          verdict.granted, verdict.message)  # fmt: skip
    return [checks[i] for i in sorted(checks)]
