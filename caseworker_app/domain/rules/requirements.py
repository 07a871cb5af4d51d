"""One small, named function per requirement kind. Each returns a :class:`Check` whose message,
in Italian, says what was found and cites the rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, NamedTuple, cast

from caseworker_app.domain.comuni import comune_by_code
from caseworker_app.domain.rules.avviso import (
    AgeGroup,
    AgeReq,
    Avviso,
    DisabilityAtom,
    DisabilityReq,
    DocumentsReq,
    FlagReq,
    IncompatibleReq,
    IseeGroup,
    IseeReq,
    Requirement,
    ResidenceReq,
    Severity,
    SubmissionReq,
)
from caseworker_app.domain.rules.calendar import format_it
from caseworker_app.domain.rules.labels import DISABILITY, DOCUMENTS, IN_PLACE, ISEE, label
from caseworker_app.domain.rules.money import format_eur
from caseworker_app.domain.rules.record import IseeEntry, IstanzaRecord
from caseworker_app.domain.rules.verdict import Check, Status

ADULT_AGE = 18


@dataclass(frozen=True)
class Plan:
    """What every istanza of one avviso needs, computed once per avviso."""

    isee_groups: dict[int, tuple[IseeGroup | None, IseeGroup | None]]  # id(req) -> adult, minor
    judged_elsewhere: frozenset[str]  # document codes judged by another requirement


_PLANS: dict[int, tuple[Avviso, Plan]] = {}


def plan_for(avviso: Avviso) -> Plan:
    cached = _PLANS.get(id(avviso))
    if cached is not None and cached[0] is avviso:
        return cached[1]
    groups = {
        id(r): (_pick_group(r, AgeGroup.ADULT), _pick_group(r, AgeGroup.MINOR))
        for r in avviso.requirements
        if isinstance(r, IseeReq)
    }
    elsewhere = frozenset({"isee"}) if groups else frozenset()
    plan = Plan(groups, elsewhere)
    _PLANS[id(avviso)] = (avviso, plan)
    return plan


class Context(NamedTuple):
    avviso: Avviso
    record: IstanzaRecord
    on: date  # the evaluation date
    age: int  # on the submission date
    plan: Plan


class Finding(NamedTuple):
    """A check, plus what it implies for the rest of the evaluation."""

    check: Check
    only_lines: frozenset[str] | None = None  # FlagReq.unless_lines in force
    isee_used: Decimal | None = None


def _status(severity: Severity) -> Status:
    return Status.KO if severity is Severity.KO else Status.WARNING


@lru_cache(maxsize=4096)
def _place(code: str, on: date) -> str:
    found = comune_by_code(code, on=on) or comune_by_code(code)
    return f"{found.name} ({code})" if found else code


def check_residence(req: ResidenceReq, ctx: Context) -> Finding:
    code = ctx.record.beneficiary.residence
    day = ctx.record.submitted_on
    # Messages are lazy: naming the comune loads the national table, which a ranking of
    # thousands of istanze must not pay for.
    if ctx.avviso.in_ambito(code, day):
        return Finding(
            Check(
                req.code,
                Status.OK,
                lambda: f"Comune di residenza {_place(code, day)}, nell'ambito ({req.cite}).",
            )
        )
    return Finding(
        Check(
            req.code,
            Status.KO,
            lambda: (
                f"Comune di residenza {_place(code, day)}: non fa parte dell'ambito alla data "
                f"dell'istanza ({req.cite})."
            ),
        )
    )


def _field(record: IstanzaRecord, path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = getattr(value, part)
    return value


def check_flag(req: FlagReq, ctx: Context) -> Finding:
    value = bool(_field(ctx.record, req.field))
    what = req.label or req.field
    if value == req.expected:
        return Finding(Check(req.code, Status.OK, lambda: f"Dichiarato: {what} ({req.cite})."))
    negated = f"Non dichiarato: {what}" if req.expected else f"Dichiarato il contrario di: {what}"
    if req.unless_lines:
        requested = {line.code for line in ctx.record.requests}
        allowed = ", ".join(sorted(req.unless_lines))
        if requested & req.unless_lines:
            text = (
                f"{negated}: restano ammissibili solo le richieste {allowed}; le altre sono "
                f"escluse ({req.cite})."
            )
            return Finding(Check(req.code, Status.WARNING, text), only_lines=req.unless_lines)
        text = f"{negated}: sarebbero ammissibili solo le richieste {allowed} ({req.cite})."
        return Finding(Check(req.code, Status.KO, text), only_lines=req.unless_lines)
    return Finding(Check(req.code, _status(req.severity), f"{negated} ({req.cite})."))


def _atom_holds(atom: DisabilityAtom, ctx: Context) -> bool:
    value = getattr(ctx.record.disability, atom.field)
    if atom.minimum is not None:
        return value is not None and int(value) >= atom.minimum
    return bool(value)


def _atom_text(atom: DisabilityAtom) -> str:
    name = label(DISABILITY, atom.field)
    return f"{name} almeno {atom.minimum}%" if atom.minimum is not None else name


def _disability_held(group: tuple[DisabilityAtom, ...], cite: str) -> str:
    return f"Requisito di disabilità: {' e '.join(_atom_text(a) for a in group)} ({cite})."


def check_disability(req: DisabilityReq, ctx: Context) -> Finding:
    for group in req.any_of:
        if all(_atom_holds(atom, ctx) for atom in group):
            return Finding(
                Check(
                    req.code,
                    Status.OK,
                    partial(_disability_held, group, req.cite),
                )
            )
    needed = " oppure ".join(" e ".join(_atom_text(a) for a in group) for group in req.any_of)
    return Finding(
        Check(
            req.code, Status.KO, f"Manca il requisito di disabilità: serve {needed} ({req.cite})."
        )
    )


def _pick_group(req: IseeReq, wanted: AgeGroup) -> IseeGroup | None:
    exact = [g for g in req.groups if g.age is wanted]
    return exact[0] if exact else next((g for g in req.groups if g.age is AgeGroup.ANY), None)


def usable_isee(record: IstanzaRecord, on: date, deadline: date | None) -> list[IseeEntry]:
    """Attestations in the file by the evaluation date and, if there is one, by the deadline."""
    return [
        e
        for e in record.isee
        if e.received_on <= on and (deadline is None or e.received_on <= deadline)
    ]


def _latest(entries: list[IseeEntry], types: tuple[str, ...]) -> IseeEntry | None:
    for wanted in types:
        found = [e for e in entries if e.type == wanted]
        if found:
            return max(found, key=lambda e: e.received_on)
    return None


def check_isee(req: IseeReq, ctx: Context) -> Finding:
    adult_group, minor_group = ctx.plan.isee_groups[id(req)]
    group = adult_group if ctx.age >= ADULT_AGE else minor_group
    who = "maggiorenni" if ctx.age >= ADULT_AGE else "minorenni"
    if group is None:
        return Finding(
            Check(req.code, Status.KO, f"L'avviso non prevede beneficiari {who} ({req.cite}).")
        )
    entries = usable_isee(ctx.record, ctx.on, req.deadline)
    entry = _latest(entries, group.accepted)
    fallback = entry is None and group.fallback != ()
    if entry is None:
        entry = _latest(entries, group.fallback)
    if entry is None:
        return Finding(_missing_isee(req, group, ctx))
    assert group.maximum is not None  # templates with unset parameters are refused earlier
    name = label(ISEE, entry.type)
    if entry.value > group.maximum:
        text = (
            f"{name} {format_eur(entry.value)} supera il massimo di "
            f"{format_eur(group.maximum)} ({req.cite})."
        )
        return Finding(Check(req.code, Status.KO, text), isee_used=entry.value)
    value, maximum = entry.value, group.maximum
    if fallback:
        wanted = label(ISEE, group.accepted[0])
        text = (
            f"{name} {format_eur(value)} entro il massimo di {format_eur(maximum)}; manca "
            f"l'{wanted}, valutato sull'{name} ({req.cite})."
        )
        return Finding(Check(req.code, Status.WARNING, text), isee_used=value)
    return Finding(
        Check(
            req.code,
            Status.OK,
            lambda: (
                f"{name} {format_eur(value)} entro il massimo di {format_eur(maximum)} "
                f"({req.cite})."
            ),
        ),
        isee_used=value,
    )


def _missing_isee(req: IseeReq, group: IseeGroup, ctx: Context) -> Check:
    names = " o ".join(label(ISEE, t) for t in group.accepted + group.fallback)
    late = [
        e
        for e in ctx.record.isee
        if req.deadline is not None and req.deadline < e.received_on <= ctx.on
    ]
    if late:
        text = (
            f"{names}: attestazione pervenuta il {format_it(late[0].received_on)}, oltre "
            f"il termine del {format_it(cast(date, req.deadline))} ({req.deadline_cite})."
        )
        return Check(req.code, Status.KO, text)
    if req.deadline is not None and ctx.on <= req.deadline:
        text = (
            f"{names} non ancora presentato: va consegnato entro il "
            f"{format_it(req.deadline)} ({req.deadline_cite})."
        )
        return Check(req.code, Status.PENDING, text)
    if req.deadline is not None:
        text = (
            f"{names} non presentato entro il termine del {format_it(req.deadline)}: "
            f"istanza non ammissibile ({req.deadline_cite})."
        )
        return Check(req.code, Status.KO, text)
    return Check(req.code, Status.KO, f"Manca l'attestazione {names} ({req.cite}).")


def check_age(req: AgeReq, ctx: Context) -> Finding:
    age = ctx.age
    too_young = req.minimum is not None and age < req.minimum
    too_old = req.maximum is not None and age > req.maximum
    if not (too_young or too_old):
        return Finding(
            Check(
                req.code, Status.OK, lambda: f"Età {age} anni alla data dell'istanza ({req.cite})."
            )
        )
    bound = f"almeno {req.minimum}" if too_young else f"al massimo {req.maximum}"
    soft = " di norma" if req.severity is Severity.WARNING else ""
    text = (
        f"Età {age} anni alla data dell'istanza: l'avviso richiede{soft} {bound} anni ({req.cite})."
    )
    return Finding(Check(req.code, _status(req.severity), text))


def check_submission(req: SubmissionReq, ctx: Context) -> Finding:
    day = ctx.record.submitted_on
    if req.opens is not None and day < req.opens:
        text = (
            f"Istanza presentata il {format_it(day)}, prima dell'apertura del "
            f"{format_it(req.opens)} ({req.cite})."
        )
        return Finding(Check(req.code, Status.KO, text))
    if req.closes is not None and day > req.closes:
        text = (
            f"Istanza presentata il {format_it(day)}, oltre il termine del "
            f"{format_it(req.closes)} ({req.cite})."
        )
        return Finding(Check(req.code, Status.KO, text))
    closes = req.closes
    return Finding(
        Check(
            req.code,
            Status.OK,
            lambda: (
                f"Istanza presentata il {format_it(day)}"
                f"{f', entro il {format_it(closes)}' if closes else ''} ({req.cite})."
            ),
        )
    )


def check_incompatible(req: IncompatibleReq, ctx: Context) -> Finding:
    clash = sorted(ctx.record.in_place & req.measures)
    if clash:
        names = "; ".join(label(IN_PLACE, c) for c in clash)
        return Finding(
            Check(req.code, Status.KO, f"Incompatibile con misure in corso: {names} ({req.cite}).")
        )
    return Finding(
        Check(req.code, Status.OK, lambda: f"Nessuna misura incompatibile in corso ({req.cite}).")
    )


def check_documents(req: DocumentsReq, ctx: Context) -> Finding:
    """Required documents must be in the file; a promised document is awaited until its date.

    The ISEE attestation is judged by the ISEE requirement when the avviso has one.
    """
    judged_elsewhere = ctx.plan.judged_elsewhere
    received = {
        d.code
        for d in ctx.record.documents
        if d.received_on is not None and d.received_on <= ctx.on
    }
    missing: list[str] = []
    awaited: list[str] = []
    lapsed: list[str] = []
    for doc in ctx.record.documents:
        if doc.code in judged_elsewhere or doc.code in received or doc.promised_by is None:
            continue
        (awaited if ctx.on <= doc.promised_by else lapsed).append(
            f"{label(DOCUMENTS, doc.code)} (promesso entro il {format_it(doc.promised_by)})"
        )
    promised = {d.code for d in ctx.record.documents if d.promised_by is not None}
    missing = [
        label(DOCUMENTS, c)
        for c in req.required
        if c not in received and c not in promised and c not in judged_elsewhere
    ]
    if lapsed or missing:
        parts = [f"non pervenuti: {', '.join(lapsed)}"] if lapsed else []
        parts += [f"mancanti: {', '.join(missing)}"] if missing else []
        return Finding(Check(req.code, Status.KO, f"Documenti {'; '.join(parts)} ({req.cite})."))
    if awaited:
        return Finding(
            Check(req.code, Status.PENDING, f"Documenti attesi: {', '.join(awaited)} ({req.cite}).")
        )
    # "Documentazione completa" only when nothing is still awaited, not even a document that
    # another requirement judges (the ISEE attestation promised by a date).
    elsewhere = [
        label(DOCUMENTS, d.code)
        for d in ctx.record.documents
        if d.code in judged_elsewhere and d.code not in received and d.promised_by is not None
    ]
    if elsewhere:
        names = ", ".join(elsewhere)
        return Finding(
            Check(req.code, Status.OK,
                  lambda: f"Documenti richiesti presenti; {names} verificata dal suo requisito "
                  f"({req.cite}).")
        )  # fmt: skip
    return Finding(Check(req.code, Status.OK, lambda: f"Documentazione completa ({req.cite})."))


CHECKERS: dict[type, Callable[[Any, Context], Finding]] = {
    ResidenceReq: check_residence,
    FlagReq: check_flag,
    DisabilityReq: check_disability,
    IseeReq: check_isee,
    AgeReq: check_age,
    SubmissionReq: check_submission,
    IncompatibleReq: check_incompatible,
    DocumentsReq: check_documents,
}


def evaluate(requirement: Requirement, ctx: Context) -> Finding:
    return CHECKERS[type(requirement)](requirement, ctx)
