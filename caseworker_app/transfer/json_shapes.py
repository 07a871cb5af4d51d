"""Typed readers for the objects and arrays of decoded JSON, and the writers' one spelling.

The other half of the toolkit of :mod:`~caseworker_app.transfer.json_fields` (errors, scalars,
the ``format`` check). A reader of an object or of an array element takes the raw value and
starts with :func:`exact` (every key required, none other: the transfer formats) or :func:`obj`
(known keys only: the istanza record, whose optional keys may be left out). :func:`section` and
:func:`each` read the object or the array at a key with such a reader, and put the key (``key.``,
``key[i].``) in front of the path of an error raised inside; the path is built only then, so a
valid file costs a type check and a call per value.

Writing: :func:`canonical_json` is the one spelling of every writer of these formats, and
:func:`written` reads a writer's bytes back as the other side will, so that a file the other
side would refuse is never written (``ValueError`` naming the field: a bug of ours).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from caseworker_app.transfer import json_input
from caseworker_app.transfer.json_fields import FieldError, join, kind_of, wrong_type

T = TypeVar("T")

_MISSING = "campo obbligatorio mancante: aggiungilo"


# -- objects --------------------------------------------------------------------------------------


def obj(value: object, allowed: frozenset[str]) -> dict[str, Any]:
    """``value`` as a JSON object whose keys are all in ``allowed`` (the first unknown key in
    the file's order is named, with the closest known one)."""
    if type(value) is dict and allowed.issuperset(value):
        return value
    if not isinstance(value, dict):
        raise FieldError("", f"deve essere un oggetto {{…}}, non {kind_of(value)}")
    unknown = next((k for k in value if k not in allowed), None)
    if unknown is None:  # a subclass of dict
        return value
    raise FieldError(unknown, _unknown_key(unknown, allowed, "toglilo o spostalo sotto «extra»"))


def exact(value: object, keys: frozenset[str]) -> dict[str, Any]:
    """``value`` as a JSON object with exactly ``keys`` (a nullable one present as ``null``).
    An unknown key is named before a missing one, each the first in sorted order."""
    if type(value) is dict and len(value) == len(keys) and keys.issuperset(value):
        return value
    if not isinstance(value, dict):
        raise FieldError("", f"deve essere un oggetto {{…}}, non {kind_of(value)}")
    unknown = [k for k in value if k not in keys]
    if unknown:
        first = min(unknown)
        raise FieldError(first, _unknown_key(first, keys, "toglilo"))
    missing = keys - value.keys()
    if missing:
        raise FieldError(min(missing), _MISSING)
    return value  # a subclass of dict


def _unknown_key(key: str, keys: frozenset[str], otherwise: str) -> str:
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return f"campo sconosciuto: {f'forse intendevi «{close[0]}»?' if close else otherwise}"


def section(
    data: dict[str, object], key: str, read: Callable[[object], T], *, private: bool = False
) -> T:
    """The object at ``key`` read with ``read`` (which checks its keys); errors inside get the
    ``key.`` prefix, and show no value from a ``private`` section."""
    if key not in data:
        raise FieldError(key, _MISSING)
    try:
        return read(data[key])
    except FieldError as exc:
        raise exc.under(key, private=private) from None


# -- arrays ---------------------------------------------------------------------------------------


def each(
    data: dict[str, object],
    key: str,
    read: Callable[[object], T],
    *,
    low: int = 0,
    high: int | None = None,
    private: bool = False,
) -> tuple[T, ...]:
    """Every element of the array at ``key`` read with ``read``, the array of ``low`` to
    ``high`` elements; an error inside an element gets the ``key[i].`` prefix."""
    items = data.get(key)
    if type(items) is not list:
        raise wrong_type(data, key, "un elenco […]" if low else "un elenco […] (anche vuoto)")
    count = len(items)
    if count < low or (high is not None and count > high):
        raise FieldError(key, _count(low, high, count))
    try:
        return tuple(map(read, items))
    except FieldError:
        pass
    # Only on the way out: find the element at fault (the readers are pure, so it fails again).
    for index, item in enumerate(items):
        try:
            read(item)
        except FieldError as exc:
            raise exc.under(f"{key}[{index}]", private=private) from None
    raise AssertionError("an element failed once only")  # pragma: no cover


def texts(
    data: dict[str, object],
    key: str,
    shape: re.Pattern[str],
    *,
    low: int = 0,
    high: int,
) -> tuple[str, ...]:
    """An array of ``low`` to ``high`` texts each all matching ``shape`` (codes, names of
    files); a wrong element is named ``key[i]``."""
    items = data.get(key)
    if type(items) is not list:
        raise wrong_type(data, key, "un elenco […]" if low else "un elenco […] (anche vuoto)")
    if not low <= len(items) <= high:
        raise FieldError(key, _count(low, high, len(items)))
    for index, item in enumerate(items):
        if type(item) is not str:
            raise FieldError(f"{key}[{index}]", f"deve essere un testo, non {kind_of(item)}")
        if not shape.fullmatch(item):
            raise FieldError(f"{key}[{index}]", "valore non valido: non ha la forma richiesta")
    return tuple(items)


def _count(low: int, high: int | None, found: int) -> str:
    if high is None:
        return f"servono almeno {low} elementi, ce ne sono {found}"
    if low == 0:
        return f"al massimo {high} elementi, ce ne sono {found}"
    return f"servono da {low} a {high} elementi, ce ne sono {found}"


def unique(
    items: Sequence[T],
    key: str,
    identity: Callable[[T], Hashable],
    *,
    field: str | None = None,
) -> None:
    """No two elements of the array at ``key`` share ``identity``: the later one is named
    (``key[i].field``, ``key[i]`` for ``field=""``), or the whole array for ``field=None``."""
    marks = [identity(item) for item in items]
    if len(set(marks)) == len(marks):
        return
    seen: set[Hashable] = set()
    for index, mark in enumerate(marks):
        if mark in seen:
            where = key if field is None else join(f"{key}[{index}]", field)
            raise FieldError(where, "ripetuto: ogni elemento deve comparire una volta sola")
        seen.add(mark)


def ascending(items: Sequence[T], key: str, identity: Callable[[T], Any], *, field: str) -> None:
    """The elements of the array at ``key`` are in strictly increasing ``identity`` (sorted,
    none twice); the first out of order is named ``key[i].field``."""
    marks = [identity(item) for item in items]
    for index in range(1, len(marks)):
        if not marks[index - 1] < marks[index]:
            what = "fuori ordine o ripetuto: l'elenco va in ordine crescente, senza doppioni"
            raise FieldError(join(f"{key}[{index}]", field), what)


# -- writing --------------------------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """The one spelling of every writer of these formats: sorted keys, no insignificant spaces,
    UTF-8 (not ``\\u`` escapes), no NaN or Infinity."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def written(value: object, read: Callable[[object], T], *, name: str) -> tuple[bytes, T]:
    """The canonical bytes of ``value`` and what ``read`` makes of them once decoded as the
    other side decodes a file; ``ValueError`` naming the field if it refuses them."""
    raw = canonical_json(value)
    try:
        return raw, read(json_input.decode(raw))
    except FieldError as exc:
        raise ValueError(f"{name} would not be read back: {exc.key or name}") from None
    except json_input.JsonInputError as exc:
        raise ValueError(f"{name} would not be read back: {exc.code}") from None
