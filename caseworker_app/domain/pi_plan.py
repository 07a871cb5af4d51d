"""The costs of a Progetto Individuale: the interventions planned, the budget per funding source
and its totals, and the name of the avviso's fund. Amounts are decimal euros.

A value whose text could not be read keeps None and the text in ``typed`` (field -> text).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from caseworker_app.domain.rules.calendar import months_touched


class FundingSource(enum.StrEnum):
    #: the fund of the PI's own avviso (stored as "fna", the first measure supported): named
    #: after the avviso (:func:`fund_label`), e.g. "Caregiver familiare 2023", not always FNA
    FNA = "fna"
    COMUNE = "comune"
    ASST_FSR = "asst_fsr"
    FAMIGLIA = "famiglia"
    ALTRE_MISURE = "altre_misure"


@dataclass(frozen=True)
class Intervention:
    code: str = ""
    description: str = ""
    provider: str = ""
    quantity: str = ""  # hours/month, days...
    start: date | None = None
    end: date | None = None
    monthly: Decimal | None = None
    total: Decimal | None = None  # None: monthly x calendar months of the period
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)

    def months(self) -> int:
        if self.start is None or self.end is None or self.end < self.start:
            return 0
        return len(months_touched(self.start, self.end))

    def total_amount(self) -> Decimal | None:
        """The total typed, else the monthly amount times the months of the period."""
        if self.total is not None:
            return self.total
        if self.monthly is None or not self.months():
            return None
        return self.monthly * self.months()


@dataclass(frozen=True)
class BudgetLine:
    source: FundingSource
    monthly: Decimal | None = None
    total: Decimal | None = None
    #: a value that could not be read, kept as typed (field -> text); its value stays None
    typed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BudgetTotals:
    monthly: Decimal
    total: Decimal
    interventions_total: Decimal

    @property
    def balanced(self) -> bool:
        """The resources cover the interventions exactly."""
        return self.total == self.interventions_total

    @property
    def shortfall(self) -> Decimal:
        """How much of the interventions' cost the resources leave uncovered (0 when covered)."""
        return max(self.interventions_total - self.total, Decimal("0.00"))


#: what the avviso's fund is called when the PI does not name its avviso
FUND_OF_AVVISO = "Fondo dell'avviso"


def fund_label(avviso_title: str) -> str:
    """The budget's name for the fund of the avviso (``FundingSource.FNA``), from its title: the
    measure and edition before the first dash, e.g. "FNA Misura B2 2024" for "FNA Misura B2 2024
    - voucher …", "Caregiver familiare 2023" for "Caregiver familiare 2023 - rimborso spese
    (…)"; a title without a dash loses only a closing parenthesis ("(modello regionale 2007)").

    Derived from the title because the avviso definitions (caseworker.avviso/1) have no fund
    field, and released definition files never change."""
    title = " ".join(avviso_title.split())
    for dash in (" - ", " – ", " — "):
        title = title.split(dash, 1)[0]
    if title.endswith(")") and " (" in title:
        title = title[: title.rindex(" (")]
    return title.strip() or FUND_OF_AVVISO


def sum_amounts(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of the amounts given (None counts as nothing)."""
    return sum((v for v in values if v is not None), Decimal("0.00"))
