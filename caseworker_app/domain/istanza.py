"""Istanza states and the transitions allowed between them (casefile.md)."""

from __future__ import annotations

import enum
import string
from dataclasses import dataclass, replace
from datetime import datetime

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId, IstanzaId


class IstanzaState(enum.StrEnum):
    BOZZA = "bozza"
    PRESENTATA = "presentata"
    IN_ISTRUTTORIA = "in_istruttoria"
    DA_INTEGRARE = "da_integrare"
    NON_AMMISSIBILE = "non_ammissibile"
    AMMISSIBILE = "ammissibile"
    VALUTATA = "valutata"
    TRASMESSA = "trasmessa"
    FINANZIATA = "finanziata"
    FINANZIATA_PARZIALMENTE = "finanziata_parzialmente"
    AMMESSA_NON_FINANZIATA = "ammessa_non_finanziata"
    IN_EROGAZIONE = "in_erogazione"
    SOSPESA = "sospesa"
    CESSATA = "cessata"
    CHIUSA = "chiusa"


S = IstanzaState
_FUNDING = (S.FINANZIATA, S.FINANZIATA_PARZIALMENTE, S.AMMESSA_NON_FINANZIATA, S.NON_AMMISSIBILE)

ALLOWED: dict[IstanzaState, frozenset[IstanzaState]] = {
    S.BOZZA: frozenset({S.PRESENTATA}),
    # What an assistente sociale actually does once an istanza is in: starts the istruttoria, asks
    # for documents, finds it not admissible, or (a complete file) admits and evaluates it.
    S.PRESENTATA: frozenset(
        {S.IN_ISTRUTTORIA, S.DA_INTEGRARE, S.NON_AMMISSIBILE, S.AMMISSIBILE, S.VALUTATA}
    ),
    S.IN_ISTRUTTORIA: frozenset({S.DA_INTEGRARE, S.NON_AMMISSIBILE, S.AMMISSIBILE, S.VALUTATA}),
    S.DA_INTEGRARE: frozenset({S.IN_ISTRUTTORIA, S.NON_AMMISSIBILE, S.AMMISSIBILE}),
    S.NON_AMMISSIBILE: frozenset({S.CHIUSA}),
    # For sportello avvisi the funding decision follows directly from admissibility. An
    # istanza the avviso asks no evaluation of (seed 003 §11: already in carico to B2 2023)
    # goes to the capofila as soon as it is admitted.
    S.AMMISSIBILE: frozenset(
        {
            S.VALUTATA,
            S.TRASMESSA,
            S.FINANZIATA,
            S.FINANZIATA_PARZIALMENTE,
            S.AMMESSA_NON_FINANZIATA,
        }
    ),
    S.VALUTATA: frozenset({S.TRASMESSA}),
    S.TRASMESSA: frozenset(_FUNDING),
    S.FINANZIATA: frozenset({S.IN_EROGAZIONE, S.CHIUSA}),
    S.FINANZIATA_PARZIALMENTE: frozenset({S.IN_EROGAZIONE, S.CHIUSA}),
    S.AMMESSA_NON_FINANZIATA: frozenset({S.FINANZIATA, S.FINANZIATA_PARZIALMENTE, S.CHIUSA}),
    S.IN_EROGAZIONE: frozenset({S.SOSPESA, S.CESSATA}),
    S.SOSPESA: frozenset({S.IN_EROGAZIONE, S.CESSATA}),
    S.CESSATA: frozenset({S.CHIUSA}),
    S.CHIUSA: frozenset(),
}


class CessationReason(enum.StrEnum):
    DECESSO = "decesso"
    RICOVERO_DEFINITIVO = "ricovero_definitivo"
    TRASFERIMENTO = "trasferimento_fuori_ambito"
    RINUNCIA = "rinuncia"
    FINE_CONTRATTO_ASSISTENTE = "fine_contratto_assistente"


@dataclass(frozen=True)
class Transition:
    """One recorded change of state: who, when and why."""

    istanza_id: IstanzaId
    from_state: IstanzaState | None
    to_state: IstanzaState
    at: datetime
    operator: str
    reason: str


@dataclass(frozen=True)
class Istanza:
    id: IstanzaId
    case_id: CaseId
    comune: str
    avviso: str
    state: IstanzaState
    protocol: str | None
    submitted_at: datetime | None


def can_transition(current: IstanzaState, target: IstanzaState) -> bool:
    return target in ALLOWED[current]


def transition(
    istanza: Istanza, target: IstanzaState, *, operator: str, reason: str, at: datetime
) -> tuple[Istanza, Transition]:
    """Move ``istanza`` to ``target``; raise a user-facing error if the move is not allowed."""
    if not can_transition(istanza.state, target):
        raise UserFacingError(
            "istanza.transition_not_allowed", from_state=istanza.state.value, to_state=target.value
        )
    if target is S.PRESENTATA and not istanza.protocol:
        raise UserFacingError("istanza.protocol_required")
    moved = Istanza(
        id=istanza.id,
        case_id=istanza.case_id,
        comune=istanza.comune,
        avviso=istanza.avviso,
        state=target,
        protocol=istanza.protocol,
        submitted_at=istanza.submitted_at
        if target is not S.PRESENTATA
        else (istanza.submitted_at or at),
    )
    return moved, Transition(istanza.id, istanza.state, target, at, operator, reason)


#: the states the capofila's outcome gives (issue 13); between them an istanza moves again only
#: by a later run's outcome (scorrimento, a revocation): :func:`outcome_transition`
OUTCOME_STATES = frozenset(_FUNDING)


def outcome_transition(
    istanza: Istanza, target: IstanzaState, *, operator: str, reason: str, at: datetime
) -> tuple[Istanza, Transition]:
    """Move ``istanza`` to the outcome ``target`` the capofila sent: from ``trasmessa`` (as
    :func:`transition` allows), or from an earlier outcome to a later run's one."""
    if target not in OUTCOME_STATES:
        raise UserFacingError(
            "istanza.transition_not_allowed", from_state=istanza.state.value, to_state=target.value
        )
    if istanza.state in OUTCOME_STATES and istanza.state is not target:
        moved = replace(istanza, state=target)
        return moved, Transition(istanza.id, istanza.state, target, at, operator, reason)
    return transition(istanza, target, operator=operator, reason=reason, at=at)


PROTOCOL_FIELDS = frozenset({"comune", "anno", "numero"})
DEFAULT_PROTOCOL_FORMAT = "{comune}-{anno}-{numero:06d}"


def check_protocol_format(template: str) -> None:
    """A protocol format may use only {comune}, {anno} and {numero} (with a format spec such as
    ``:06d`` for the number); anything else is refused with the field named."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise UserFacingError("istanza.protocol_format_invalid", template=template) from exc
    unknown = [f for f in fields if f.split(".")[0].split("[")[0] not in PROTOCOL_FIELDS]
    if unknown or "numero" not in fields:
        raise UserFacingError("istanza.protocol_format_invalid", template=template)
    try:
        format_protocol(template, comune="A000", year=2000, number=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise UserFacingError("istanza.protocol_format_invalid", template=template) from exc


def format_protocol(template: str, *, comune: str, year: int, number: int) -> str:
    return template.format(comune=comune, anno=year, numero=number)
