"""A ranking run as the capofila's store keeps it (``caseworker.ranking-run/1``).

One writer (:func:`run_json`: canonical JSON, so the run's SHA-256 is the digest of these bytes)
and one strict reader (:func:`read_run`) on the toolkit of ``json_fields`` and ``json_shapes``:
the format first, then every key required, no other. A run is never rewritten: the bytes written
when it was made are the run (its digest is printed on the public graduatoria).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

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

__all__ = ["read_run", "run_json"]

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
_ROW = frozenset(
    {
        "comune",
        "protocol",
        "received_id",
        "version",
        "submitted_at",
        "position",
        "priority_class",
        "ranking",
        "outcome",
        "amount",
        "eligible",
        "keys",
        "checks",
        "lines",
    }
)
_INPUT = frozenset({"comune", "protocol", "version", "record_sha256"})
_OUTCOMES = frozenset(f.value for f in Funding)
_STATUSES = frozenset({"ok", "ko", "warning", "pending"})


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _moment(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _row(row: RunRow) -> dict[str, Any]:
    return {
        "comune": row.comune,
        "protocol": row.protocol,
        "received_id": row.received_id,
        "version": row.version,
        "submitted_at": _moment(row.submitted_at),
        "position": row.position,
        "priority_class": row.priority_class,
        "ranking": row.ranking,
        "outcome": row.outcome.value,
        "amount": _money(row.amount),
        "eligible": _money(row.eligible),
        # the keys, checks and lines as arrays of their fields (tens of thousands of them; a
        # RunKey and a RunCheck are tuples of them in that order, which JSON writes as arrays)
        "keys": row.keys,
        "checks": row.checks,
        "lines": [
            [ln.code, _money(ln.requested), _money(ln.granted), ln.status, ln.message]
            for ln in row.lines
        ],
    }


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
        "rows": [_row(r) for r in run.rows],
        "inputs": [
            {
                "comune": i.comune,
                "protocol": i.protocol,
                "version": i.version,
                "record_sha256": i.record_sha256,
            }
            for i in run.inputs
        ],
        "inputs_sha256": run.inputs_sha256,
        "follows": run.follows,
        "created_at": _moment(run.created_at),
        "created_by": run.created_by,
        "note": run.note,
    }


def run_json(run: RankingRun) -> bytes:
    """The canonical bytes of ``run``. Not read back here (a run of 10,000 rows would pay a
    second for it): it never leaves the store, and the tests prove that :func:`read_run` gives
    back every run this writes."""
    return shapes.canonical_json(run_dict(run))


def read_run(raw: bytes, *, source: str, sha256: str | None = None) -> RankingRun:
    """The run in ``raw``; ``desk.run_damaged`` naming the field when it cannot be read.

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
            return _read(decoded)
        return _read(fields.decode_json(raw, source=source))
    except FieldError as exc:
        raise UserFacingError("desk.run_damaged", run=source, field=exc.key) from None
    except UserFacingError:
        raise UserFacingError("desk.run_damaged", run=source, field="") from None


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
        rows=shapes.each(data, "rows", _run_row),
        inputs=shapes.each(data, "inputs", _input),
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


_MONEY_TEXT = re.compile(r"[0-9]{1,9}\.[0-9]{2}", re.ASCII)
_FUNDING = {f.value: f for f in Funding}


def _fast_money(value: object) -> Decimal:
    if type(value) is str and _MONEY_TEXT.fullmatch(value):
        return Decimal(value)
    raise _SlowPathError


class _SlowPathError(Exception):
    """The fast path of a row met something it does not take: the strict path names it."""


def _fast_row(value: object) -> RunRow:
    """A row exactly as :func:`run_json` writes it, read with type checks only (a run has
    tens of thousands of values); anything else raises ``_SlowPathError``."""
    if type(value) is not dict or value.keys() != _ROW:
        raise _SlowPathError
    v = value
    comune, protocol, received_id, version = v["comune"], v["protocol"], v["received_id"], v[
        "version"
    ]  # fmt: skip
    position, klass, ranking = v["position"], v["priority_class"], v["ranking"]
    if not (
        type(comune) is str and len(comune) == 4 and comune[0].isupper() and comune[1:].isdigit()
        and type(protocol) is str and protocol
        and type(received_id) is str and received_id
        and type(version) is int and version >= 1
        and (position is None or (type(position) is int and position >= 1))
        and (klass is None or (type(klass) is int and klass >= 0))
        and (ranking is None or (type(ranking) is str and ranking))
        and v["outcome"] in _FUNDING
        and type(v["submitted_at"]) is str and len(v["submitted_at"]) == 19
        and type(v["keys"]) is list and type(v["checks"]) is list and type(v["lines"]) is list
    ):  # fmt: skip
        raise _SlowPathError
    keys = []
    for k in v["keys"]:
        if not (type(k) is list and len(k) == 4 and type(k[0]) is str and k[0]
                and type(k[1]) is str and type(k[2]) is bool and type(k[3]) is bool):  # fmt: skip
            raise _SlowPathError
        keys.append(RunKey(*k))
    checks = []
    for c in v["checks"]:
        if not (type(c) is list and len(c) == 3 and type(c[0]) is str and c[0]
                and c[1] in _STATUSES and type(c[2]) is str):  # fmt: skip
            raise _SlowPathError
        checks.append(RunCheck(*c))
    lines = []
    for ln in v["lines"]:
        if not (type(ln) is list and len(ln) == 5 and type(ln[0]) is str and ln[0]
                and ln[3] in _STATUSES and type(ln[4]) is str):  # fmt: skip
            raise _SlowPathError
        lines.append(RunLine(ln[0], _fast_money(ln[1]), _fast_money(ln[2]), ln[3], ln[4]))
    try:
        submitted = datetime.fromisoformat(v["submitted_at"])
    except ValueError:
        raise _SlowPathError from None
    if submitted.tzinfo is not None or submitted.microsecond:
        raise _SlowPathError
    return RunRow(
        comune, protocol, received_id, version, submitted, position, klass, ranking,
        _FUNDING[v["outcome"]], _fast_money(v["amount"]), _fast_money(v["eligible"]),
        tuple(keys), tuple(checks), tuple(lines),
    )  # fmt: skip


def _run_row(value: object) -> RunRow:
    try:
        return _fast_row(value)
    except _SlowPathError:
        pass
    data = shapes.exact(value, _ROW)
    return RunRow(
        comune=fields.belfiore(data, "comune"),
        protocol=fields.text(data, "protocol"),
        received_id=fields.text(data, "received_id"),
        version=fields.integer(data, "version", low=1, high=1_000_000),
        submitted_at=fields.timestamp(data, "submitted_at"),
        position=fields.optional_int(data, "position", low=1, high=None, label="posizione"),
        priority_class=fields.optional_int(
            data, "priority_class", low=0, high=None, label="classe di priorità"
        ),
        ranking=_optional_text(data, "ranking"),
        outcome=Funding(fields.code(data, "outcome", _OUTCOMES, label="esito")),
        amount=fields.money(data, "amount"),
        eligible=fields.money(data, "eligible"),
        keys=shapes.each(data, "keys", _key),
        checks=shapes.each(data, "checks", _check),
        lines=shapes.each(data, "lines", _line),
    )


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
    return RunKey(*_tuple(value, _KEY_FIELDS, "chiave, valore, decrescente, mancanti in fondo"))


def _check(value: object) -> RunCheck:
    code, status, message = _tuple(value, _CHECK_FIELDS, "codice, stato, messaggio")
    if status not in _STATUSES:
        raise FieldError("[1]", "stato sconosciuto")
    return RunCheck(code, status, message)


def _line(value: object) -> RunLine:
    code, requested, granted, status, message = _tuple(
        value, _LINE_FIELDS, "codice, richiesto, concesso, stato, messaggio"
    )
    if status not in _STATUSES:
        raise FieldError("[3]", "stato sconosciuto")
    return RunLine(code, requested, granted, status, message)


def _input(value: object) -> RunInput:
    data = shapes.exact(value, _INPUT)
    return RunInput(
        fields.belfiore(data, "comune"),
        fields.text(data, "protocol"),
        fields.integer(data, "version", low=1, high=1_000_000),
        fields.text(data, "record_sha256"),
    )
