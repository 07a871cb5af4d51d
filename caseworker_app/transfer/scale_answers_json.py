"""Scale answers as ``caseworker score`` reads them (interchange.md §2): one reader and its writer.

``{"scale": "adl-katz", "answers": {"lavarsi": 3, ...}, "sex": "F", "variant": "..."}``:
``answers`` maps item id to option number (1..n) or null ("non applicabile"); ``sex`` and
``variant`` are optional; other top-level fields are refused, except ``extra``. The file is
decoded by the one reader of JSON input (:mod:`json_input`: bounded, no key twice); problems are
``cli.score_unreadable`` (the whole file) and ``cli.score_input`` (one field, named). Whether the
items and options are the scale's is the scale's business (``domain/scales.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Sex
from caseworker_app.messages import render
from caseworker_app.transfer import json_input
from caseworker_app.transfer.json_shapes import canonical_json

FIELDS = ("scale", "answers", "sex", "variant", "extra")


@dataclass(frozen=True)
class Sheet:
    scale: str
    answers: dict[str, int | None]
    sex: Sex | None
    variant: str | None


def input_error(file: str, field: str, what: str, **params: str | int) -> UserFacingError:
    """``cli.score_input`` naming the file and the field, with the Italian ``what``."""
    return UserFacingError("cli.score_input", file=file, field=field, what=render(what, params))


def _load_json(path: Path, file: str) -> object:
    """The decoded file, through the one reader of JSON input (transfer/json_input.py): its
    problems of the whole file are ``cli.score_unreadable``, of one field ``cli.score_input``."""
    try:
        return json_input.load(path)
    except json_input.JsonInputError as exc:
        if exc.field:
            raise UserFacingError(
                "cli.score_input", file=file, field=exc.field, what=exc.what()
            ) from None
        raise UserFacingError("cli.score_unreadable", file=file, what=exc.what()) from None


def read_answers(path: Path, *, expected_scale: str, file: str | None = None) -> Sheet:
    """Parse and check the shape of an answers file (not yet against the scale's items)."""
    file = file or str(path)
    data = _load_json(path, file)
    if not isinstance(data, dict):
        raise UserFacingError(
            "cli.score_unreadable", file=file, what=render("cli.score.not_object")
        )
    for key in data:
        if key not in FIELDS:
            raise input_error(file, key, "cli.score.unknown_field", allowed=", ".join(FIELDS))
    for key, hint in (("scale", f'"scale": "{expected_scale}"'), ("answers", '"answers": {}')):
        if key not in data:
            raise input_error(file, key, "cli.score.missing", hint=hint)
    if not isinstance(data["scale"], str):
        raise input_error(
            file, "scale", "cli.score.type", expected="un testo, per esempio «adl-katz»"
        )
    if data["scale"] != expected_scale:
        raise input_error(
            file,
            "scale",
            "cli.score.scale_mismatch",
            found=data["scale"],
            expected=expected_scale,
        )
    raw_answers = data["answers"]
    if not isinstance(raw_answers, dict):
        expected = 'un oggetto che associa a ogni item il numero dell\'opzione, es. {"lavarsi": 1}'
        raise input_error(file, "answers", "cli.score.type", expected=expected)
    answers: dict[str, int | None] = {}
    for item_id, option in raw_answers.items():
        if option is not None and type(option) is not int:
            expected = "il numero dell'opzione scelta (1, 2, ...) o null per «non applicabile»"
            raise input_error(file, f"answers.{item_id}", "cli.score.type", expected=expected)
        answers[item_id] = option
    sex = data.get("sex")
    if sex is not None and (not isinstance(sex, str) or sex not in {s.value for s in Sex}):
        raise input_error(file, "sex", "cli.score.type", expected='"M" oppure "F"')
    variant = data.get("variant")
    if variant is not None and not isinstance(variant, str):
        raise input_error(file, "variant", "cli.score.type", expected="il codice di una variante")
    return Sheet(data["scale"], answers, Sex(sex) if sex is not None else None, variant)


def answers_json(sheet: Sheet) -> bytes:
    """The canonical JSON of ``sheet`` that :func:`read_answers` reads back the same."""
    value: dict[str, object] = {"scale": sheet.scale, "answers": dict(sheet.answers)}
    if sheet.sex is not None:
        value["sex"] = sheet.sex.value
    if sheet.variant is not None:
        value["variant"] = sheet.variant
    return canonical_json(value)
