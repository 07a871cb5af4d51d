"""A ranking run as the capofila's store keeps it (``caseworker.ranking-run/2``).

One writer (:func:`run_json`: canonical JSON, so the run's SHA-256 is the digest of these bytes)
and one strict reader (:func:`read_run`) on the toolkit of ``json_fields`` and ``json_shapes``:
the format first, then every key required, no other. A run is never rewritten: the bytes written
when it was made are the run (its digest is printed on the public graduatoria).

**Version 2** keeps the rows, and the inputs, by column: ``"rows": {"amount": [...],
"comune": [...], ...}``, one array per field of :class:`RunRow`, all as long as the run has
rows; the keys, checks and lines of a row are arrays of their fields, in the order of
:class:`RunKey`, :class:`RunCheck` and :class:`RunLine`. A run of 10,000 rows is about 70% of
the bytes of version 1 and written in half the time (no field name 10,000 times over).

**Version 1** (the first runs, December 2026) kept each row and each input as an object with
those fields. Its bytes stay as they were written (their digest is the run's identity); reading
one upgrades it in memory (:func:`upgrade_v1`) and reads it as version 2.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ranking_run import (
    RUN_FORMAT,
    RankingRun,
    RunCheck,
    RunInput,
    RunKey,
    RunLine,
    RunRow,
)
from caseworker_app.domain.rules.allocation import Funding, RankingTotals
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError

__all__ = ["RUN_FORMAT_V1", "read_run", "run_json", "upgrade_v1"]

T = TypeVar("T")

RUN_FORMAT_V1 = "caseworker.ranking-run/1"

_RUN = frozenset(
    {
        "format",
        "id",
        "number",
        "avviso",
        "avviso_version",
        "definition_sha256",
        "on",
        "budget_override",
        "budget",
        "assigned",
        "provisional",
        "rankings",
        "rows",
        "inputs",
        "inputs_sha256",
        "follows",
        "created_at",
        "created_by",
        "note",
    }
)
_TOTALS = frozenset({"id", "budget", "inflow", "assigned"})
_ROW = frozenset(RunRow._fields)
_INPUT = frozenset(RunInput._fields)
_OUTCOMES = frozenset(f.value for f in Funding)
_FUNDING = {f.value: f for f in Funding}
_OUTCOME_OF = {f: f.value for f in Funding}  # an enum's .value costs a descriptor call
_STATUSES = frozenset({"ok", "ko", "warning", "pending"})


# -- writing --------------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _rows(rows: Sequence[RunRow]) -> dict[str, Any]:
    if not rows:
        return {name: [] for name in RunRow._fields}
    columns = dict(zip(RunRow._fields, zip(*rows, strict=True), strict=True))
    return {
        **columns,  # texts, numbers and nulls as they are; keys and checks: tuples of them
        "submitted_at": [_moment(m) for m in columns["submitted_at"]],
        "outcome": [_OUTCOME_OF[o] for o in columns["outcome"]],
        "amount": [_money(a) for a in columns["amount"]],
        "eligible": [_money(a) for a in columns["eligible"]],
        "lines": [
            [
                [ln.code, _money(ln.requested), _money(ln.granted), ln.status, ln.message]
                for ln in ls
            ]
            for ls in columns["lines"]
        ],
    }


def _inputs(inputs: Sequence[RunInput]) -> dict[str, Any]:
    if not inputs:
        return {name: [] for name in RunInput._fields}
    return dict(zip(RunInput._fields, zip(*inputs, strict=True), strict=True))


def run_dict(run: RankingRun) -> dict[str, Any]:
    return {
        "format": RUN_FORMAT,
        "id": run.id,
        "number": run.number,
        "avviso": run.avviso,
        "avviso_version": run.avviso_version,
        "definition_sha256": run.definition_sha256,
        "on": run.on.isoformat(),
        "budget_override": None if run.budget_override is None else _money(run.budget_override),
        "budget": _money(run.budget),
        "assigned": _money(run.assigned),
        "provisional": run.provisional,
        "rankings": [
            {
                "id": t.id,
                "budget": _money(t.budget),
                "inflow": _money(t.inflow),
                "assigned": _money(t.assigned),
            }
            for t in run.rankings
        ],
        "rows": _rows(run.rows),
        "inputs": _inputs(run.inputs),
        "inputs_sha256": run.inputs_sha256,
        "follows": run.follows,
        "created_at": _moment(run.created_at),
        "created_by": run.created_by,
        "note": run.note,
    }


def run_json(run: RankingRun) -> bytes:
    """The canonical bytes of ``run``. Not read back here (a run of 10,000 rows would pay for
    it): it never leaves the store, and the tests prove that :func:`read_run` gives back every
    run this writes."""
    return shapes.canonical_json(run_dict(run))


# -- reading --------------------------------------------------------------------------------------


def read_run(raw: bytes, *, source: str, sha256: str | None = None) -> RankingRun:
    """The run in ``raw`` (version 2, or 1 upgraded); ``desk.run_damaged`` naming the field
    when it cannot be read.

    ``sha256``: the digest the store kept with the bytes. When they match it they are the very
    bytes :func:`run_json` wrote (canonical: no key twice, two levels deep), and the standard
    decoder reads them (the strict one, which looks for what canonical JSON cannot hold, costs a
    second on a run of 10,000 rows); every value is still checked by the reader."""
    try:
        if sha256 is not None and hashlib.sha256(raw).hexdigest() == sha256:
            try:
                decoded: object = json.loads(raw)
            except ValueError:
                raise UserFacingError("desk.run_damaged", run=source, field="") from None
        else:
            decoded = fields.decode_json(raw, source=source)
        if fields.format_of(decoded) == RUN_FORMAT_V1:
            decoded = upgrade_v1(decoded)
        return _read(decoded)
    except FieldError as exc:
        raise UserFacingError("desk.run_damaged", run=source, field=exc.key) from None
    except UserFacingError:
        raise UserFacingError("desk.run_damaged", run=source, field="") from None


def upgrade_v1(value: object) -> dict[str, Any]:
    """A decoded version-1 run as version 2: its rows and inputs, each an object, by column.
    A row or input that is not an object of exactly its fields is named (``rows[3].amount``);
    the values are read by the version-2 reader."""
    data = shapes.exact(value, _RUN)
    return {
        **data,
        "format": RUN_FORMAT,
        "rows": _by_column(data, "rows", _ROW),
        "inputs": _by_column(data, "inputs", _INPUT),
    }


def _by_column(data: dict[str, Any], key: str, names: frozenset[str]) -> dict[str, list[Any]]:
    items = shapes.each(data, key, lambda item: shapes.exact(item, names))
    return {name: [item[name] for item in items] for name in names}


def _optional_money(data: dict[str, object], key: str) -> Decimal | None:
    return None if data[key] is None else fields.money(data, key)


def _optional_text(data: dict[str, object], key: str) -> str | None:
    return None if data[key] is None else fields.text(data, key)


def _read(value: object) -> RankingRun:
    if isinstance(value, dict):  # the format before the keys: a newer one may have others
        fields.check_format(value.get("format"), RUN_FORMAT)
    data = shapes.exact(value, _RUN)
    return RankingRun(
        id=fields.text(data, "id"),
        number=fields.integer(data, "number", low=1, high=1_000_000),
        avviso=fields.text(data, "avviso"),
        avviso_version=fields.text(data, "avviso_version"),
        definition_sha256=fields.text(data, "definition_sha256"),
        on=fields.day(data, "on"),
        budget_override=_optional_money(data, "budget_override"),
        budget=fields.money(data, "budget"),
        assigned=fields.money(data, "assigned"),
        provisional=fields.flag(data, "provisional"),
        rankings=shapes.each(data, "rankings", _totals),
        rows=shapes.section(data, "rows", _read_rows),
        inputs=shapes.section(data, "inputs", _read_inputs),
        inputs_sha256=fields.text(data, "inputs_sha256"),
        follows=_optional_text(data, "follows"),
        created_at=fields.timestamp(data, "created_at"),
        created_by=fields.text(data, "created_by"),
        note=fields.string(data, "note"),
    )


def _totals(value: object) -> RankingTotals:
    data = shapes.exact(value, _TOTALS)
    return RankingTotals(
        fields.text(data, "id"),
        fields.money(data, "budget"),
        fields.money(data, "inflow"),
        fields.money(data, "assigned"),
    )


# Each column's values are read by one of these: the common case in a type check or a lookup,
# the toolkit's reader (which names what is wrong) otherwise.


def _one(read: Callable[[dict[str, object], str], T]) -> Callable[[object], T]:
    return lambda value: read({"": value}, "")


_strict_belfiore = _one(fields.belfiore)
_strict_text = _one(fields.text)
_strict_money = _one(fields.money)
_strict_timestamp = _one(fields.timestamp)


def _comune(value: object) -> str:
    if type(value) is str and len(value) == 4 and fields.BELFIORE.fullmatch(value):
        return value
    return _strict_belfiore(value)


def _text(value: object) -> str:
    if type(value) is str and value and not value.isspace():
        return value
    return _strict_text(value)


def _optional(read: Callable[[object], T]) -> Callable[[object], T | None]:
    return lambda value: None if value is None else read(value)


def _version(value: object) -> int:
    if type(value) is int and 1 <= value <= 1_000_000:
        return value
    return fields.integer({"": value}, "", low=1, high=1_000_000)


def _counter(low: int, label: str) -> Callable[[object], int | None]:
    def read(value: object) -> int | None:
        if value is None or (type(value) is int and value >= low):
            return value
        return fields.optional_int({"": value}, "", low=low, high=None, label=label)

    return read


def _moment_value(value: object) -> datetime:
    if type(value) is str and len(value) == 19 and fields.TIMESTAMP.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return _strict_timestamp(value)


def _outcome(value: object) -> Funding:
    if type(value) is str and value in _FUNDING:
        return _FUNDING[value]
    return Funding(fields.code({"": value}, "", _OUTCOMES, label="esito"))


_MONEY_TEXT = re.compile(r"[0-9]{1,9}\.[0-9]{2}", re.ASCII)


def _money_value(value: object) -> Decimal:
    if type(value) is str and _MONEY_TEXT.fullmatch(value):
        return Decimal(value)
    return _strict_money(value)


def _each(read: Callable[[object], T]) -> Callable[[object], tuple[T, ...]]:
    """The reader of a row's keys, checks or lines: an array of arrays."""
    return lambda value: shapes.each({"": value}, "", read)


def _tuple(value: object, kinds: tuple[type, ...], what: str) -> list[Any]:
    """A fixed array of scalars of the given types (``Decimal``: money written as text)."""
    if type(value) is not list or len(value) != len(kinds):
        raise FieldError("", f"deve essere un elenco di {len(kinds)} valori: {what}")
    out: list[Any] = []
    for index, (item, kind) in enumerate(zip(value, kinds, strict=True)):
        if kind is Decimal:
            out.append(fields.money({"v": item}, "v"))
        elif type(item) is not kind:
            raise FieldError(f"[{index}]", f"valore non valido: {what}")
        else:
            out.append(item)
    return out


_KEY_FIELDS = (str, str, bool, bool)
_CHECK_FIELDS = (str, str, str)
_LINE_FIELDS = (str, Decimal, Decimal, str, str)


def _key(value: object) -> RunKey:
    k = value
    if (type(k) is list and len(k) == 4 and type(k[0]) is str and k[0]
            and type(k[1]) is str and type(k[2]) is bool and type(k[3]) is bool):  # fmt: skip
        return RunKey(*k)
    return RunKey(*_tuple(value, _KEY_FIELDS, "chiave, valore, decrescente, mancanti in fondo"))


_MET: dict[str, RunCheck] = {}  # a requirement met: one tuple per code (most of a run's checks)


def _check(value: object) -> RunCheck:
    c = value
    if type(c) is list and len(c) == 3 and type(c[0]) is str and c[0] and type(c[2]) is str:
        if c[1] == "ok" and c[2] == "":
            met = _MET.get(c[0])
            if met is None:
                met = _MET[c[0]] = RunCheck(c[0], "ok", "")
            return met
        if c[1] in _STATUSES:
            return RunCheck(*c)
    code, status, message = _tuple(value, _CHECK_FIELDS, "codice, stato, messaggio")
    if status not in _STATUSES:
        raise FieldError("[1]", "stato sconosciuto")
    return RunCheck(code, status, message)


def _line(value: object) -> RunLine:
    ln = value
    if (type(ln) is list and len(ln) == 5 and type(ln[0]) is str and ln[0]
            and ln[3] in _STATUSES and type(ln[4]) is str):  # fmt: skip
        return RunLine(ln[0], _money_value(ln[1]), _money_value(ln[2]), ln[3], ln[4])
    code, requested, granted, status, message = _tuple(
        value, _LINE_FIELDS, "codice, richiesto, concesso, stato, messaggio"
    )
    if status not in _STATUSES:
        raise FieldError("[3]", "stato sconosciuto")
    return RunLine(code, requested, granted, status, message)


#: the reader of each column of the rows, in the order of RunRow's fields
_ROW_COLUMNS: dict[str, Callable[[object], Any]] = {
    "comune": _comune,
    "protocol": _text,
    "received_id": _text,
    "version": _version,
    "submitted_at": _moment_value,
    "position": _counter(1, "posizione"),
    "priority_class": _counter(0, "classe di priorità"),
    "ranking": _optional(_text),
    "outcome": _outcome,
    "amount": _money_value,
    "eligible": _money_value,
    "keys": _each(_key),
    "checks": _each(_check),
    "lines": _each(_line),
}
_INPUT_COLUMNS: dict[str, Callable[[object], Any]] = {
    "comune": _comune,
    "protocol": _text,
    "version": _version,
    "record_sha256": _text,
}
assert tuple(_ROW_COLUMNS) == RunRow._fields and tuple(_INPUT_COLUMNS) == RunInput._fields


def _columns(value: object, readers: dict[str, Callable[[object], Any]]) -> list[tuple[Any, ...]]:
    """The rows of a table kept by column: an object of one array per field, all as long."""
    data = shapes.exact(value, frozenset(readers))
    count: int | None = None
    columns = []
    for name, read in readers.items():
        column = shapes.each(data, name, read)
        if count is None:
            count = len(column)
        elif len(column) != count:
            raise FieldError(name, f"deve avere un valore per riga: {count}, non {len(column)}")
        columns.append(column)
    return list(zip(*columns, strict=True))


def _read_rows(value: object) -> tuple[RunRow, ...]:
    return tuple(map(RunRow._make, _columns(value, _ROW_COLUMNS)))


def _read_inputs(value: object) -> tuple[RunInput, ...]:
    return tuple(map(RunInput._make, _columns(value, _INPUT_COLUMNS)))
