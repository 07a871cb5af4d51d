"""The vocabulary of the avviso definition format (``caseworker.avviso/1``) and a small reader.

Everything a file may say is listed here: the keys of each table, the requirement kinds, the
canonical codes of interchange.md §3 and the ranking vocabularies. :class:`Reader` reads one
value at a time with its type and fails with ``UserFacingError("definitions.invalid", file=...,
key=..., what=...)``: the file name, the key path (``requirements[3].groups[0].maximum``, indexes
from 0) and, in Italian, what is wrong and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from caseworker_app.domain.codes import DOCUMENT_CODES, IN_PLACE_CODES
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.money import parse_money

AVVISO_FORMAT = "caseworker.avviso/1"
ANY_AMBITO = "*"  # a template: the ambito that adopts it fills it in

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
VERSION_PATTERN = re.compile(r"^[1-9][0-9]*$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")

# interchange.md §3 (caseworker_app/domain/codes.py); a file may add codes in its top-level
# ``extra_codes``.
CANONICAL_IN_PLACE = IN_PLACE_CODES
CANONICAL_DOCUMENTS = DOCUMENT_CODES

# Yes/no facts of an istanza record (interchange.md §1) a ``flag`` requirement may test.
FLAG_FIELDS = (
    "beneficiary.lives_at_home",
    "care.family_caregiver_only",
    "care.employed_assistant",
    "care.self_managed_project",
    "disability.l104_art3_c3",
    "disability.indennita_accompagnamento",
)
# Disability certifications; the percentage needs a ``minimum``.
DISABILITY_FIELDS = ("l104_art3_c3", "indennita_accompagnamento", "invalidita_civile_percent")
PERCENT_FIELD = "invalidita_civile_percent"

ORDER_KEYS = ("isee", "isee:<tipo>", "birth_date", "score", "submitted_at", "extra:<nome>")
BANDED_SOURCES = ("isee", "age", "extra:<nome>")
POINT_SOURCES = ("flag:<campo>", "in_place:<codice>")
RESIDUALS = ("partial", "skip")

TOP_KEYS = frozenset({
    "format", "id", "version", "title", "measure", "ambito", "comuni", "legal_basis",
    "allocation", "transmission_until", "template", "extra_codes", "requirements",
    "interventions", "excluded", "window", "total_cap", "total_cap_cite", "rankings",
    "transmission",
})  # fmt: skip
_COMMON = frozenset({"kind", "code", "cite"})
REQUIREMENT_KEYS: dict[str, frozenset[str]] = {
    "residence": _COMMON,
    "flag": _COMMON | {"field", "expected", "severity", "unless_lines", "label"},
    "disability": _COMMON | {"any_of"},
    "isee": _COMMON | {"groups", "deadline", "deadline_cite"},
    "age": _COMMON | {"minimum", "maximum", "severity"},
    "submission": _COMMON | {"opens", "closes"},
    "incompatible": _COMMON | {"measures"},
    "documents": _COMMON | {"required"},
}
# At most one requirement of these kinds: two would both have to hold.
SINGLE_KINDS = frozenset({"residence", "isee", "submission", "documents"})
ISEE_GROUP_KEYS = frozenset({"age", "accepted", "fallback", "maximum"})
ATOM_KEYS = frozenset({"field", "minimum"})
INTERVENTION_KEYS = frozenset(
    {"code", "label", "cap", "cite", "amount", "max_days", "bands", "hours_field"}
)
HOURS_BAND_KEYS = frozenset({"min_hours", "amount"})
EXCLUDED_KEYS = frozenset({"code", "reason", "cite"})
WINDOW_KEYS = frozenset({"start", "end", "policy", "cite"})
RANKING_KEYS = frozenset({
    "id", "label", "budget", "residual", "residual_to", "min_age", "max_age", "lines_any",
    "classes", "order", "points",
})  # fmt: skip
CLASS_KEYS = frozenset({"priority", "label", "in_place_any"})
ORDER_KEY_KEYS = frozenset({"key", "descending", "missing", "cite"})
POINTS_KEYS = frozenset({"source", "bands", "points"})
POINTS_BAND_KEYS = frozenset({"low", "high", "points"})
#: ``[transmission]``: what travels to the capofila (seed 003 art. 11)
TRANSMISSION_KEYS = frozenset({"evaluation_unless_in_place", "cite"})

E = TypeVar("E", bound=StrEnum)
Table = dict[str, Any]


def join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def listed(values: Iterable[str]) -> str:
    return ", ".join(values)


class Reader:
    """Reads the tables of one file; collects the parameters a template leaves unset."""

    def __init__(self, path: Path) -> None:
        self.file = path.name
        self.template = False
        self.unset: list[str] = []

    def fail(self, key: str, what: str) -> NoReturn:
        raise UserFacingError("definitions.invalid", file=self.file, key=key, what=what)

    def param_missing(self, key: str, what: str) -> None:
        """A required parameter is absent: recorded in a template, an error otherwise."""
        if not self.template:
            self.fail(
                key,
                f"manca {what}: indicalo (solo un modello, template = true, può lasciarlo vuoto)",
            )
        self.unset.append(key)

    def table(self, raw: object, key: str, allowed: Iterable[str]) -> Table:
        allowed = frozenset(allowed)
        if not isinstance(raw, dict):
            self.fail(
                key,
                "deve essere una tabella (chiave = valore, tra parentesi graffe "
                "o sotto un'intestazione [ ])",
            )
        unknown = sorted(set(raw) - allowed)
        if unknown:
            self.fail(
                join(key, unknown[0]),
                "chiave sconosciuta: controlla l'ortografia; qui "
                f"sono ammesse solo {listed(sorted(allowed))}",
            )
        return raw

    def tables(self, t: Table, key: str, name: str) -> list[tuple[str, Any]]:
        """The items of an array of tables, each with its key path (absent: empty)."""
        raw = t.get(name, [])
        if not isinstance(raw, list):
            self.fail(join(key, name), "deve essere un elenco di tabelle ([[...]] o [ {...} ])")
        return [(f"{join(key, name)}[{i}]", item) for i, item in enumerate(raw)]

    def text(self, t: Table, key: str, name: str, *, required: bool = True) -> str:
        raw = t.get(name)
        if raw is None and not required:
            return ""
        if not isinstance(raw, str) or not raw.strip():
            self.fail(join(key, name), "manca o non è un testo tra virgolette: scrivilo")
        return raw

    def code(self, t: Table, key: str, name: str = "code") -> str:
        raw = self.text(t, key, name)
        if not CODE_PATTERN.match(raw):
            self.fail(
                join(key, name),
                f"«{raw}» non è un codice valido: usa lettere minuscole, "
                "cifre e trattino basso (es. a1_domiciliare)",
            )
        return raw

    def texts(self, t: Table, key: str, name: str, *, codes: bool = False) -> tuple[str, ...]:
        raw = t.get(name, [])
        where = join(key, name)
        if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
            self.fail(where, 'deve essere un elenco di testi tra virgolette, es. ["a", "b"]')
        for i, value in enumerate(raw):
            if codes and not CODE_PATTERN.match(value):
                self.fail(
                    f"{where}[{i}]",
                    f"«{value}» non è un codice valido: usa lettere "
                    "minuscole, cifre e trattino basso",
                )
            if value in raw[:i]:
                self.fail(f"{where}[{i}]", f"«{value}» è ripetuto: toglilo")
        return tuple(raw)

    def flag(self, t: Table, key: str, name: str, default: bool) -> bool:
        raw = t.get(name, default)
        if not isinstance(raw, bool):
            self.fail(join(key, name), "deve essere true oppure false (senza virgolette)")
        return raw

    def integer(
        self, t: Table, key: str, name: str, *, low: int = 0, high: int | None = None
    ) -> int | None:
        raw = t.get(name)
        if raw is None:
            return None
        if (
            isinstance(raw, bool)
            or not isinstance(raw, int)
            or raw < low
            or (high is not None and raw > high)
        ):
            top = f" e {high}" if high is not None else ""
            self.fail(
                join(key, name), f"deve essere un numero intero tra {low}{top}, senza virgolette"
            )
        return raw

    def number(self, t: Table, key: str, name: str) -> Decimal | None:
        """An integer, or a decimal written as a string ("10.5"): never a float."""
        raw = t.get(name)
        if raw is None:
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return Decimal(raw)
        if isinstance(raw, str) and _NUMBER.match(raw):
            return Decimal(raw)
        self.fail(
            join(key, name),
            "deve essere un numero intero (10) o un decimale tra "
            'virgolette ("10.5"), mai un numero con la virgola mobile',
        )

    def money(self, t: Table, key: str, name: str, *, param: bool = False) -> Decimal | None:
        """Euros as a string with two decimals ("650.00"), greater than zero.

        ``param``: a required parameter (missing is an error, or unset in a template)."""
        raw = t.get(name)
        if raw is None:
            if param:
                self.param_missing(join(key, name), "l'importo")
            return None
        value = parse_money(raw) if isinstance(raw, str) else None
        if value is None or value <= 0:
            self.fail(
                join(key, name),
                "deve essere un importo in euro maggiore di zero, "
                'scritto come testo con due decimali e il punto, es. "650.00"',
            )
        return value

    def day(self, t: Table, key: str, name: str) -> date | None:
        raw = t.get(name)
        if raw is None:
            return None
        if isinstance(raw, date) and not isinstance(raw, datetime):
            return raw
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        self.fail(join(key, name), "deve essere una data AAAA-MM-GG (es. 2024-05-01), senza ora")

    def choice(self, t: Table, key: str, name: str, kind: type[E], default: E | None) -> E:
        raw = t.get(name)
        allowed = listed(f'"{m.value}"' for m in kind)
        if raw is None:
            if default is not None:
                return default
            self.fail(join(key, name), f"manca: indica uno tra {allowed}")
        try:
            return kind(raw)
        except (ValueError, TypeError):
            self.fail(join(key, name), f"valore «{raw}» non ammesso: usa uno tra {allowed}")


@dataclass(frozen=True)
class Known:
    """Codes a file may refer to: canonical plus its ``extra_codes``, and its own sections."""

    in_place: frozenset[str]
    documents: frozenset[str]
    interventions: frozenset[str] = frozenset()
    has_isee: bool = False


def codes_in(
    r: Reader, key: str, values: tuple[str, ...], known: frozenset[str], what: str
) -> None:
    for i, value in enumerate(values):
        if value not in known:
            r.fail(
                f"{key}[{i}]",
                f"{what} «{value}» sconosciuto: usa un codice dell'elenco "
                "canonico o dichiaralo in extra_codes in cima al file",
            )
