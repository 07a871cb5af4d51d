"""A control sample as the capofila's store keeps it (``caseworker.control-sample/1``).

One writer (:func:`sample_json`: canonical JSON, whose SHA-256 is the sample's digest) and one
strict reader (:func:`read_sample`) on the toolkit of ``json_fields`` and ``json_shapes``: the
format first, then every key required and no other. The file holds what anyone needs to draw the
sample again from the run (``domain.control_sample``: the method, the seed, the percent, the
per-comune flag) and the rows drawn, by comune and protocol; no personal data.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from caseworker_app.domain.control_sample import SAMPLE_FORMAT, ControlSample, valid_percent
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError

__all__ = ["read_sample", "sample_json"]

_SAMPLE = frozenset(
    {"format", "run", "run_sha256", "seed", "percent", "method", "per_comune", "population", "rows"}
)
_ROW = frozenset({"comune", "protocol"})
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_PERCENT = re.compile(r"[0-9]{1,3}\.[0-9]{2}", re.ASCII)
_METHOD = re.compile(r"[a-z0-9-]+/[0-9]+", re.ASCII)
SEED_LIMIT = 64
_MAX_POPULATION = 10_000_000


def sample_dict(sample: ControlSample) -> dict[str, Any]:
    return {
        "format": SAMPLE_FORMAT,
        "run": sample.run,
        "run_sha256": sample.run_sha256,
        "seed": sample.seed,
        "percent": f"{sample.percent:.2f}",
        "method": sample.method,
        "per_comune": sample.per_comune,
        "population": sample.population,
        "rows": [{"comune": c, "protocol": p} for c, p in sample.rows],
    }


def sample_json(sample: ControlSample) -> bytes:
    """The canonical bytes of ``sample`` (read back before they are returned)."""
    raw, back = shapes.written(sample_dict(sample), _read, name="control sample")
    if back != sample:
        raise ValueError("the control sample does not read back as written")
    return raw


def read_sample(raw: bytes, *, source: str) -> ControlSample:
    """The sample in ``raw``; ``controls.sample_damaged`` naming the field when it cannot be
    read."""
    try:
        return _read(fields.decode_json(raw, source=source))
    except FieldError as exc:
        raise UserFacingError("controls.sample_damaged", sample=source, field=exc.key) from None
    except UserFacingError:
        raise UserFacingError("controls.sample_damaged", sample=source, field="") from None


def _read(value: object) -> ControlSample:
    if isinstance(value, dict):  # the format before the keys: a newer one may have others
        fields.check_format(value.get("format"), SAMPLE_FORMAT)
    data = shapes.exact(value, _SAMPLE)
    percent = Decimal(fields.match(data, "percent", _PERCENT))
    if not valid_percent(percent):
        raise FieldError("percent", "percentuale non valida: deve essere più di 0 e al massimo 100")
    population = fields.integer(data, "population", low=0, high=_MAX_POPULATION)
    rows = shapes.each(data, "rows", _row, high=population)
    shapes.ascending(rows, "rows", lambda r: r, field="protocol")
    return ControlSample(
        run=fields.text(data, "run"),
        run_sha256=fields.match(data, "run_sha256", _SHA256),
        seed=fields.printable(data, "seed", SEED_LIMIT),
        percent=percent,
        method=fields.match(data, "method", _METHOD),
        per_comune=fields.flag(data, "per_comune"),
        population=population,
        rows=rows,
    )


def _row(value: object) -> tuple[str, str]:
    data = shapes.exact(value, _ROW)
    return (fields.belfiore(data, "comune"), fields.text(data, "protocol"))
