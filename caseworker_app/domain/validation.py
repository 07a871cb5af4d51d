"""Field-level findings produced by domain validation."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One finding on one field: ``field`` is the form field id, ``code`` a message code.

    Messages are rendered from ``code`` and ``params`` by ``caseworker_app.messages``.
    """

    field: str
    severity: Severity
    code: str
    params: Mapping[str, str] = dc_field(default_factory=dict)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)
