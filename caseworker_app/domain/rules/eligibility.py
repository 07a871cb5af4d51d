"""Judge one istanza under one avviso on an evaluation date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.avviso import Allocation, Avviso, PointsRule, Ranking
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.rules.lines import check_lines
from caseworker_app.domain.rules.money import ZERO
from caseworker_app.domain.rules.record import IstanzaRecord
from caseworker_app.domain.rules.requirements import Context, evaluate, plan_for
from caseworker_app.domain.rules.verdict import Check, LineVerdict, Outcome, Status, Verdict


def require_complete(avviso: Avviso) -> None:
    """A template whose required parameters are unset cannot judge or rank anything."""
    if avviso.unset:
        raise UserFacingError(
            "rules.definition_incomplete", avviso=avviso.id, parameters=", ".join(avviso.unset)
        )


def ranking_for(avviso: Avviso, age: int, line_codes: frozenset[str]) -> Ranking | None:
    return next((r for r in avviso.rankings if r.accepts(age, line_codes)), None)


def priority_class(ranking: Ranking, in_place: frozenset[str]) -> int | None:
    for rule in ranking.classes:
        if not rule.in_place_any or rule.in_place_any & in_place:
            return rule.priority
    return None


def _band_points(rule: PointsRule, value: Decimal | None) -> int:
    if value is None:
        return 0
    for band in rule.bands:
        if (band.low is None or value >= band.low) and (band.high is None or value <= band.high):
            return band.points
    return 0


def points(ranking: Ranking, record: IstanzaRecord, age: int, isee: Decimal | None) -> int:
    total = 0
    for rule in ranking.points:
        kind, _, name = rule.source.partition(":")
        if kind == "isee":
            total += _band_points(rule, isee)
        elif kind == "age":
            total += _band_points(rule, Decimal(age))
        elif kind == "extra":
            raw = record.extra.get(name)
            number = (
                Decimal(str(raw))
                if isinstance(raw, int | float) and not isinstance(raw, bool)
                else None
            )
            total += _band_points(rule, number)
        elif kind == "flag":
            holder, _, attr = name.partition(".")
            total += rule.points if bool(getattr(getattr(record, holder), attr)) else 0
        elif kind == "in_place":
            total += rule.points if name in record.in_place else 0
    return total


def judge(avviso: Avviso, record: IstanzaRecord, *, on: date) -> Verdict:
    require_complete(avviso)
    age = age_on(record.beneficiary.birth_date, record.submitted_on)
    ctx = Context(avviso, record, on, age, plan_for(avviso))
    checks: list[Check] = []
    only: frozenset[str] | None = None
    only_reason = ""
    isee_used: Decimal | None = None
    for requirement in avviso.requirements:
        finding = evaluate(requirement, ctx)
        checks.append(finding.check)
        if finding.only_lines is not None:
            only = finding.only_lines if only is None else only & finding.only_lines
            only_reason = finding.check.message
        if finding.isee_used is not None:
            isee_used = finding.isee_used
    lines = check_lines(avviso, record.requests, only, only_reason)
    amount = sum((v.granted for v in lines), ZERO)
    codes = frozenset(v.code for v in lines if v.granted > ZERO)
    ranking = ranking_for(avviso, age, codes)
    if amount == ZERO:
        checks.append(_nothing_to_grant(lines))
    if ranking is None and avviso.rankings:
        checks.append(
            Check(
                "graduatoria",
                Status.KO,
                "Nessuna graduatoria dell'avviso riguarda "
                "questa istanza (età del beneficiario o interventi richiesti).",
            )
        )
    outcome = _outcome(checks)
    klass = None
    score = None
    if ranking is not None and outcome is not Outcome.NON_AMMISSIBILE:
        if avviso.allocation is Allocation.GRADUATORIA:
            klass = priority_class(ranking, record.in_place)
        if ranking.points:
            score = points(ranking, record, age, isee_used)
    return Verdict(
        record=record,
        avviso=avviso.id,
        outcome=outcome,
        amount=ZERO if outcome is Outcome.NON_AMMISSIBILE else amount,
        checks=tuple(checks),
        lines=tuple(lines),
        age=age,
        isee_used=isee_used,
        ranking=ranking.id if ranking else None,
        priority_class=klass,
        score=score,
    )


def _nothing_to_grant(lines: list[LineVerdict]) -> Check:
    if not lines:
        return Check("richieste", Status.KO, "Nessun intervento o spesa richiesti.")
    return Check(
        "richieste", Status.KO, "Nessuna richiesta ammissibile: vedi il motivo di ciascuna riga."
    )


def _outcome(checks: list[Check]) -> Outcome:
    statuses = {c.status for c in checks}
    if Status.KO in statuses:
        return Outcome.NON_AMMISSIBILE
    if Status.PENDING in statuses:
        return Outcome.DA_INTEGRARE
    return Outcome.AMMISSIBILE
