"""The one strict JSON decoder of the application: files read from outside
(``transfer/json_input.py`` puts its file limits around it) and the JSON blobs the store keeps
(``domain/stored_formats.py``) both go through :func:`loads`.

What it refuses (interchange.md §2):

- empty text;
- a key twice in one object (the second would silently win);
- an integer of more than :data:`MAX_INT_DIGITS` digits (no field needs them; Python would
  refuse to convert more than 4,300), ``NaN``/``Infinity``;
- nesting deeper than :data:`MAX_DEPTH` arrays and objects (the formats need fewer than 10).

A problem raises :class:`StrictJsonError`: a ``json.*`` message code (the fragments are in
``caseworker_app/messages/rules.py``), its parameters and the JSON path of the field (``""`` for
the whole text). The ``reason`` parameter of ``json.syntax`` is itself a ``json.reason.*`` code,
for the caller to render. No value of the text is ever repeated: only positions, counts and key
names.
"""

from __future__ import annotations

import json
from typing import Any

MAX_INT_DIGITS = 100
MAX_DEPTH = 64
_KEY_LIMIT = 40

_REASONS = (
    ("Expecting value", "json.reason.value"),
    ("Expecting ',' delimiter", "json.reason.comma"),
    ("Expecting ':' delimiter", "json.reason.colon"),
    ("Expecting property name enclosed in double quotes", "json.reason.name"),
    ("Unterminated string starting at", "json.reason.string"),
    ("Invalid control character at", "json.reason.control"),
    ("Invalid \\escape", "json.reason.escape"),
    ("Extra data", "json.reason.extra"),
)


class StrictJsonError(Exception):
    """JSON text refused: ``code`` (``json.*``), ``params``, ``field`` (JSON path, ``""`` for
    the whole text)."""

    def __init__(self, code: str, *, field: str = "", **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


class _Repeated(dict[str, Any]):
    """An object in which ``key`` appeared twice (found and named after decoding)."""

    key = ""


class _HugeInteger:
    """Stands for an integer literal of more than MAX_INT_DIGITS digits (never converted)."""


class _BadConstantError(Exception):
    pass


def _reject_constant(name: str) -> object:
    raise _BadConstantError(name)


def loads(text: str) -> object:
    """The JSON value in ``text``, within the limits above."""
    if not text.strip():
        raise StrictJsonError("json.empty")
    flagged: list[object] = []
    huge = _HugeInteger()

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(items)
        if len(value) == len(items):
            return value
        repeated = _Repeated(items)
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                repeated.key = key
                break
            seen.add(key)
        flagged.append(repeated)
        return repeated

    def integer(digits: str) -> object:
        if len(digits.lstrip("-")) <= MAX_INT_DIGITS:
            return int(digits)
        flagged.append(huge)
        return huge

    try:
        value = json.loads(
            text, object_pairs_hook=pairs, parse_int=integer, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        reason = next((c for start, c in _REASONS if exc.msg.startswith(start)), None)
        raise StrictJsonError(
            "json.syntax",
            line=exc.lineno,
            column=exc.colno,
            reason=reason or "json.reason.other",
        ) from None
    except _BadConstantError as exc:
        raise StrictJsonError("json.constant", name=str(exc)) from None
    except RecursionError:
        raise StrictJsonError("json.too_deep", limit=MAX_DEPTH) from None
    if (text.count("[") + text.count("{") > MAX_DEPTH) and _too_deep(value):
        raise StrictJsonError("json.too_deep", limit=MAX_DEPTH)
    if flagged:
        _raise_first_flagged(value, flagged)
    return value


def _too_deep(value: object) -> bool:
    """More than MAX_DEPTH nested arrays and objects (without recursion)."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if depth > MAX_DEPTH:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                push((child, depth + 1))
    return False


def _raise_first_flagged(value: object, flagged: list[object]) -> None:
    """Raise for the first repeated key or huge integer, in document order, with its path."""
    marks = {id(item) for item in flagged}
    stack: list[tuple[object, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if id(item) in marks:
            if isinstance(item, _Repeated):
                key = item.key if len(item.key) <= _KEY_LIMIT else item.key[:39] + "…"
                raise StrictJsonError("json.duplicate_key", field=_join(path, key))
            raise StrictJsonError("json.huge_integer", field=path, limit=MAX_INT_DIGITS)
        if isinstance(item, dict):
            children = [(v, _join(path, str(k))) for k, v in item.items()]
        elif isinstance(item, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(item)]
        else:
            continue
        stack.extend(reversed(children))
    raise AssertionError("a flagged value was not found")  # pragma: no cover


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
