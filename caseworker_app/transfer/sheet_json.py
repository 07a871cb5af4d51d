"""An ADL or IADL sheet as it travels in an istruttoria (``caseworker.scale-sheet/1``).

One writer (:func:`sheet_json`: canonical JSON) and one strict reader (:func:`read_sheet`) on the
toolkit of ``json_fields`` and ``json_shapes``: the format first, then every key required (the
variant present as ``null`` when the scale has none), no other. The answers are item id -> option
number or ``null`` (not applicable), as ``caseworker score`` reads them (interchange.md §2).
"""

from __future__ import annotations

import re
from datetime import datetime

from caseworker_app.domain.assessment import Assessment, SheetStatus
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError

FORMAT = "caseworker.scale-sheet/1"
_KEYS = frozenset(
    {
        "format",
        "scale",
        "version",
        "variant",
        "visit_date",
        "place",
        "evaluators",
        "multidimensional",
        "answers",
        "status",
    }
)
_ITEM = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)
_MAX_ITEMS = 200
_MAX_EVALUATORS = 20


def sheet_json(sheet: Assessment) -> bytes:
    """The canonical JSON of a complete sheet (read back before it is returned)."""
    value = {
        "format": FORMAT,
        "scale": sheet.scale,
        "version": sheet.version,
        "variant": sheet.variant,
        "visit_date": sheet.visit_date.isoformat(),
        "place": sheet.place,
        "evaluators": list(sheet.evaluators),
        "multidimensional": sheet.multidimensional,
        "answers": dict(sheet.answers),
        "status": sheet.status.value,
    }
    raw = shapes.canonical_json(value)
    read_sheet(raw, file="(scheda)", member="scheda")
    return raw


def read_sheet(raw: bytes, *, file: str, member: str, case_id: str = "") -> Assessment:
    """The sheet in ``raw``; ``transfer.istruttorie_invalid`` naming the member and field."""
    try:
        value = fields.decode_json(raw, source=file)
        if isinstance(value, dict):  # the format before the keys: a newer one may have others
            fields.check_format(value.get("format"), FORMAT)
        data = shapes.exact(value, _KEYS)
        scale = fields.text(data, "scale")
        version = fields.text(data, "version")
        variant = None if data["variant"] is None else fields.string(data, "variant")
        answers = _answers(data["answers"])
        evaluators = data["evaluators"]
        if (
            type(evaluators) is not list
            or len(evaluators) > _MAX_EVALUATORS
            or not all(type(e) is str for e in evaluators)
        ):
            raise FieldError("evaluators", "deve essere un elenco di nomi")
        if fields.text(data, "status") != SheetStatus.COMPLETA.value:
            raise FieldError("status", "la scheda trasmessa deve essere completa")
        return Assessment(
            id="",
            case_id=CaseId(case_id),
            scale=scale,
            version=version,
            variant=variant,
            visit_date=fields.day(data, "visit_date"),
            place=fields.string(data, "place"),
            evaluators=tuple(evaluators),
            multidimensional=fields.flag(data, "multidimensional"),
            answers=answers,
            status=SheetStatus.COMPLETA,
            created_by="",
            updated_at=datetime(1970, 1, 1),  # not sent: the capofila keeps when it received it
        )
    except FieldError as exc:
        raise UserFacingError(
            "transfer.istruttorie_invalid", file=file, field=f"{member}: {exc.key}"
        ) from None
    except UserFacingError:
        raise UserFacingError("transfer.istruttorie_invalid", file=file, field=member) from None


def _answers(value: object) -> dict[str, int | None]:
    if not isinstance(value, dict) or len(value) > _MAX_ITEMS:
        raise FieldError("answers", "deve essere un oggetto voce -> opzione")
    answers: dict[str, int | None] = {}
    for key, option in value.items():
        if not _ITEM.fullmatch(key):
            raise FieldError(f"answers.{key[:64]}", "voce non valida")
        if option is not None and (
            not isinstance(option, int) or isinstance(option, bool) or not 0 <= option <= 100
        ):
            raise FieldError(f"answers.{key}", "deve essere un numero di opzione o null")
        answers[key] = option
    return answers
