"""Assessment sheets of the home visit (ADL, IADL, Barthel) as the store keeps them.

A sheet stores the option chosen for each item, never only totals, and the scale id and
definition version it was answered with, so that it re-renders the same forever (scales.md).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId

ADULT_AGE = 18
IADL = "iadl-lawton"
# Seed 003, art. 5 a): "Nel caso di minori, non verrà somministrata la Scheda IADL".
NOT_FOR_MINORS = frozenset({IADL})


class SheetStatus(enum.StrEnum):
    BOZZA = "bozza"  # a draft: items may be unanswered
    COMPLETA = "completa"


@dataclass(frozen=True)
class Assessment:
    id: str
    case_id: CaseId
    scale: str
    version: str
    variant: str | None
    visit_date: date
    place: str
    evaluators: tuple[str, ...]
    multidimensional: bool  # with ASST staff
    answers: Mapping[str, int | None]  # item id -> option number, None = not applicable
    status: SheetStatus
    created_by: str
    updated_at: datetime


def offered_scales(scales: list[str], *, age_on_visit: int) -> list[str]:
    """The scales the visit may administer to a person of this age."""
    if age_on_visit >= ADULT_AGE:
        return list(scales)
    return [s for s in scales if s not in NOT_FOR_MINORS]


def require_offered(scale: str, *, age_on_visit: int) -> None:
    if age_on_visit < ADULT_AGE and scale in NOT_FOR_MINORS:
        raise UserFacingError("assessment.not_for_minors", scale=scale)
