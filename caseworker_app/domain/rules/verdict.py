"""What the eligibility engine answers, check by check and line by line."""

from __future__ import annotations

import enum
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from caseworker_app.domain.rules.record import IstanzaRecord


class Status(enum.StrEnum):
    OK = "ok"
    KO = "ko"
    WARNING = "warning"
    PENDING = "pending"


class Outcome(enum.StrEnum):
    AMMISSIBILE = "ammissibile"
    DA_INTEGRARE = "da_integrare"
    NON_AMMISSIBILE = "non_ammissibile"


class Check:
    """One requirement's verdict. The message is rendered only when someone reads it: a
    ranking of thousands of istanze never formats (nor looks up comune names for) messages."""

    __slots__ = ("_explain", "_message", "code", "status")

    def __init__(self, code: str, status: Status, message: str | Callable[[], str]) -> None:
        self.code = code
        self.status = status
        self._message = message if isinstance(message, str) else None
        self._explain = None if isinstance(message, str) else message

    @property
    def message(self) -> str:
        if self._message is None:
            assert self._explain is not None
            self._message = self._explain()
            self._explain = None
        return self._message

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Check):
            return NotImplemented
        return (self.code, self.status, self.message) == (other.code, other.status, other.message)

    def __hash__(self) -> int:
        return hash((self.code, self.status))

    def __repr__(self) -> str:
        return f"Check({self.code!r}, {self.status.value!r}, {self.message!r})"


class LineVerdict(NamedTuple):
    code: str
    requested: Decimal
    granted: Decimal
    status: Status
    explain: str | Callable[[], str]  # rendered on demand, like Check

    @property
    def message(self) -> str:
        return self.explain if isinstance(self.explain, str) else self.explain()


class Verdict(NamedTuple):
    record: IstanzaRecord
    avviso: str
    outcome: Outcome
    amount: Decimal  # total granted before budget allocation; 0.00 when non ammissibile
    checks: tuple[Check, ...]
    lines: tuple[LineVerdict, ...]
    age: int  # on the submission date
    isee_used: Decimal | None  # the value the ISEE requirement judged on (ranking key "isee")
    ranking: str | None  # which ranking the istanza belongs to
    priority_class: int | None  # graduatoria only
    score: int | None = None  # points grid, when the ranking has one
