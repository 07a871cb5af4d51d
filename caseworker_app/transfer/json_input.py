"""The one reader of JSON input files: every command that reads a JSON file uses it.

Limits (interchange.md §2; the README's command-line section repeats them):

- only a regular file is read (a FIFO, a device, a socket is refused without waiting on it), of
  at most :data:`MAX_FILE_BYTES` (16 MiB; a larger batch of istanze goes in a folder of files);
- UTF-8 (a byte order mark is allowed);
- no key twice in one object (the second would silently win);
- no integer of more than :data:`MAX_INT_DIGITS` digits (no field needs them; Python would
  refuse to convert more than 4,300), no ``NaN``/``Infinity``;
- no nesting deeper than :data:`MAX_DEPTH` arrays and objects (the formats need fewer than 10).

A problem raises :class:`JsonInputError`: a ``json.*`` message code (a fragment, in
``caseworker_app/messages/rules.py``) with its parameters and the JSON path of the field (``""``
for the whole file). Callers restate it with their own code and the file name. No value of the
file is ever repeated: only positions, counts and key names.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from caseworker_app.messages import render

MAX_FILE_MIB = 16
MAX_FILE_BYTES = MAX_FILE_MIB * 1024 * 1024
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


class JsonInputError(Exception):
    """A JSON input file is unusable: ``code`` (``json.*``), ``params``, ``field`` (JSON path,
    ``""`` for the whole file). :meth:`what` is the Italian fragment."""

    def __init__(self, code: str, *, field: str = "", **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def what(self) -> str:
        return render(self.code, self.params)


# -- bytes ---------------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The content of ``path``: a regular file of at most :data:`MAX_FILE_BYTES`.

    Opened without blocking (a FIFO with no writer would wait forever) and checked with
    ``fstat`` on the open descriptor, so what is read is what was checked."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise JsonInputError("json.not_found") from None
    except IsADirectoryError:
        raise JsonInputError("json.is_folder") from None
    except PermissionError:
        raise JsonInputError("json.no_permission") from None
    except (OSError, ValueError):  # ValueError: a NUL byte in the name
        raise JsonInputError("json.unreadable") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise JsonInputError("json.is_folder")
        if not stat.S_ISREG(info.st_mode):
            raise JsonInputError("json.not_regular")
        if info.st_size > MAX_FILE_BYTES:
            raise JsonInputError("json.too_large", limit=MAX_FILE_MIB)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise JsonInputError("json.too_large", limit=MAX_FILE_MIB)
        return b"".join(chunks)
    except OSError:
        raise JsonInputError("json.unreadable") from None
    finally:
        os.close(fd)


# -- decoding ------------------------------------------------------------------------------------


class _Repeated(dict[str, Any]):
    """An object in which ``key`` appeared twice (found and named after decoding)."""

    key = ""


class _HugeInteger:
    """Stands for an integer literal of more than MAX_INT_DIGITS digits (never converted)."""


class _BadConstantError(Exception):
    pass


def _reject_constant(name: str) -> object:
    raise _BadConstantError(name)


def decode(raw: bytes) -> object:
    """The JSON value in ``raw``, within the limits above."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise JsonInputError("json.not_utf8", line=line) from None
    if not text.strip():
        raise JsonInputError("json.empty")
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
        raise JsonInputError(
            "json.syntax",
            line=exc.lineno,
            column=exc.colno,
            reason=render(reason or "json.reason.other"),
        ) from None
    except _BadConstantError as exc:
        raise JsonInputError("json.constant", name=str(exc)) from None
    except RecursionError:
        raise JsonInputError("json.too_deep", limit=MAX_DEPTH) from None
    if (raw.count(b"[") + raw.count(b"{") > MAX_DEPTH) and _too_deep(value):
        raise JsonInputError("json.too_deep", limit=MAX_DEPTH)
    if flagged:
        _raise_first_flagged(value, flagged)
    return value


def load(path: Path) -> object:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path))


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
                raise JsonInputError("json.duplicate_key", field=_join(path, key))
            raise JsonInputError("json.huge_integer", field=path, limit=MAX_INT_DIGITS)
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
