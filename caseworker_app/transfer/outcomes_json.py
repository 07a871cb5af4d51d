"""The JSON of the outcomes files, kind ``esiti`` (docs/transfer-format.md §12).

One writer and one strict reader: ``esiti.json`` (``caseworker.esiti/1``, :func:`outcomes_json`,
:func:`read_outcomes`) and the manifest's payload (:func:`outcomes_payload`,
:func:`check_outcomes_payload`). The values are in ``domain/outcomes.py``.

Reading: every key required (a nullable one present with ``null``), no other key, each value of
its type and shape, and the file agreeing with itself (every line of the file's comune, an
approved run with its determina, no ``da_integrare`` and no amount outside a funded outcome).
Writing: canonical JSON read back before it is returned (``ValueError`` naming the field: a bug
of ours). Problems are ``UserFacingError`` codes naming the file (its name only) and the JSON
path, never a value: ``outcomes.invalid``, ``outcomes.unreadable``, ``outcomes.format_unknown``,
``outcomes.format_newer``.
"""

from __future__ import annotations

import re
from typing import Any

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.outcomes import FORMAT, FUNDED, OutcomeLine, Outcomes
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.domain.rules.money import ZERO
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_input
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError

MAX_LINES = 20_000
MAX_PROTOCOL = 60
MAX_REASON = 1_000
MAX_DETERMINA = 40
MAX_RANKING = 64
MAX_NUMBER = 10**6
MAX_AVVISO_ID = 100
_FIELD_LIMIT = 100

_KEYS = frozenset(
    {
        "format",
        "comune",
        "avviso",
        "avviso_version",
        "run_id",
        "run_number",
        "run_sha256",
        "determina",
        "determina_date",
        "approved",
        "provisional",
        "created_at",
        "lines",
    }
)
_LINE_KEYS = frozenset(
    {
        "comune",
        "protocol",
        "version",
        "position",
        "priority_class",
        "ranking",
        "outcome",
        "amount",
        "reason",
    }
)
_PAYLOAD_KEYS = frozenset({"format"})
_RANKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", re.ASCII)
_OUTCOMES = {funding.value: funding for funding in Funding}


# -- the manifest's payload ---------------------------------------------------------------------


def outcomes_payload() -> dict[str, Any]:
    """The manifest's ``payload`` of an outcomes file."""
    return {"format": FORMAT}


def check_outcomes_payload(value: object, *, file: str) -> None:
    """The manifest's payload of the outcomes file named ``file`` is this version, and nothing
    else."""
    _check_format(value, file)
    try:
        shapes.exact(value, _PAYLOAD_KEYS)
    except FieldError as exc:
        raise UserFacingError("outcomes.invalid", file=file, field=_field(exc)) from None


# -- ``esiti.json`` -------------------------------------------------------------------------------


def outcomes_json(outcomes: Outcomes) -> bytes:
    """The canonical bytes of ``esiti.json``, read back before they are returned;
    ``created_at`` needs a time zone offset (``ValueError`` otherwise)."""
    o = outcomes
    if o.created_at.tzinfo is None:
        raise ValueError("created_at needs a time zone offset")
    value = {
        "format": FORMAT,
        "comune": o.comune,
        "avviso": o.avviso,
        "avviso_version": o.avviso_version,
        "run_id": o.run_id,
        "run_number": o.run_number,
        "run_sha256": o.run_sha256,
        "determina": o.determina,
        "determina_date": None if o.determina_date is None else o.determina_date.isoformat(),
        "approved": o.approved,
        "provisional": o.provisional,
        "created_at": o.created_at.isoformat(),
        "lines": [
            {
                "comune": ln.comune,
                "protocol": ln.protocol,
                "version": ln.version,
                "position": ln.position,
                "priority_class": ln.priority_class,
                "ranking": ln.ranking,
                "outcome": ln.outcome.value,
                "amount": f"{ln.amount:.2f}",
                "reason": ln.reason,
            }
            for ln in o.lines
        ],
    }
    raw, back = shapes.written(value, _outcomes, name="esiti.json")
    if back != outcomes:
        raise ValueError("esiti.json would be read back differently")
    return raw


def read_outcomes(raw: bytes, *, file: str) -> Outcomes:
    """The outcomes in ``raw``, the member ``esiti.json`` of the file named ``file``."""
    try:
        value = json_input.decode(raw)
    except json_input.JsonInputError as exc:
        raise UserFacingError("outcomes.unreadable", file=file, what=exc.what()) from None
    _check_format(value, file)
    try:
        return _outcomes(value)
    except FieldError as exc:
        raise UserFacingError("outcomes.invalid", file=file, field=_field(exc)) from None


def _outcomes(value: object) -> Outcomes:
    data = shapes.exact(value, _KEYS)
    comune = fields.belfiore(data, "comune")
    avviso = fields.match(data, "avviso", fields.AVVISO_ID)
    if len(avviso) > MAX_AVVISO_ID:
        raise FieldError("avviso", f"è troppo lungo: al massimo {MAX_AVVISO_ID} caratteri")
    approved = fields.flag(data, "approved")
    provisional = fields.flag(data, "provisional")
    determina = (
        None if data["determina"] is None else fields.printable(data, "determina", MAX_DETERMINA)
    )
    determina_date = None if data["determina_date"] is None else fields.day(data, "determina_date")
    if approved and (determina is None or determina_date is None):
        missing = "determina" if determina is None else "determina_date"
        raise FieldError(missing, "una graduatoria approvata ha la sua determina, con la data")
    if not approved and (determina is not None or determina_date is not None):
        extra = "determina" if determina is not None else "determina_date"
        raise FieldError(extra, "la determina c'è solo per una graduatoria approvata")
    if approved and provisional:
        raise FieldError("provisional", "una graduatoria provvisoria non può essere approvata")
    lines = shapes.each(data, "lines", _line, low=1, high=MAX_LINES)
    shapes.unique(lines, "lines", lambda ln: ln.ident, field="protocol")
    for index, line in enumerate(lines):
        if line.comune != comune:
            raise FieldError(f"lines[{index}].comune", "ogni riga è del comune del file")
        if line.outcome is Funding.DA_INTEGRARE and not provisional:
            raise FieldError(
                f"lines[{index}].outcome", "«da_integrare» solo in una graduatoria provvisoria"
            )
    return Outcomes(
        comune=comune,
        avviso=avviso,
        avviso_version=fields.match(data, "avviso_version", fields.AVVISO_VERSION),
        run_id=str(fields.uuid4(data, "run_id")),
        run_number=fields.integer(data, "run_number", low=1, high=MAX_NUMBER),
        run_sha256=fields.match(data, "run_sha256", fields.SHA256_HEX),
        determina=determina,
        determina_date=determina_date,
        approved=approved,
        provisional=provisional,
        created_at=fields.zoned_timestamp(data, "created_at"),
        lines=lines,
    )


def _line(value: object) -> OutcomeLine:
    data = shapes.exact(value, _LINE_KEYS)
    outcome = _OUTCOMES[fields.code(data, "outcome", _OUTCOMES, label="esito")]
    amount = fields.money(data, "amount")
    if outcome not in FUNDED and amount != ZERO:
        raise FieldError("amount", "un'istanza non finanziata ha importo zero")
    ranking = None if data["ranking"] is None else fields.match(data, "ranking", _RANKING)
    return OutcomeLine(
        comune=fields.belfiore(data, "comune"),
        protocol=fields.printable(data, "protocol", MAX_PROTOCOL),
        version=fields.integer(data, "version", low=1, high=MAX_NUMBER),
        position=fields.optional_int(
            data, "position", low=1, high=MAX_LINES * 10, label="la posizione"
        ),
        priority_class=fields.optional_int(
            data, "priority_class", low=0, high=MAX_NUMBER, label="la classe di priorità"
        ),
        ranking=ranking,
        outcome=outcome,
        amount=amount,
        reason=fields.printable(data, "reason", MAX_REASON, empty=True),
    )


# -- shared -------------------------------------------------------------------------------------


def _check_format(value: object, file: str) -> None:
    """``value``'s ``format`` is this version; else the file is refused as newer (a higher
    ``caseworker.esiti/N``) or unknown, before any other key is looked at."""
    found = fields.format_of(value)
    if found == FORMAT:
        return
    if fields.is_newer_format(found, FORMAT):
        raise UserFacingError("outcomes.format_newer", file=file)
    raise UserFacingError("outcomes.format_unknown", file=file)


def _field(exc: FieldError) -> str:
    """The JSON path of the field at fault, shortened (a key name comes from the file)."""
    field = exc.key or "(tutto)"
    return field if len(field) <= _FIELD_LIMIT else field[: _FIELD_LIMIT - 1] + "…"
