"""The strict JSON toolkit (``transfer/json_fields.py``, ``transfer/json_shapes.py``): every
building block accepts what it says, and names the first field at fault with an Italian ``what``
and the path the callers report."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.istanza_record import RecordError, read_istanza
from caseworker_app.transfer.json_fields import FieldError

KEYS = frozenset({"a", "b", "c"})
CODE = re.compile(r"[A-Z][0-9]{3}", re.ASCII)


def key_of(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(FieldError) as caught:
        call(*args, **kwargs)
    assert caught.value.what  # Italian, for the record's messages
    return caught.value.key


def test_an_exact_object_names_an_unknown_key_before_a_missing_one_each_the_first_sorted() -> None:
    value = {"a": 1, "b": 2, "c": 3}
    assert shapes.exact(value, KEYS) is value
    assert key_of(shapes.exact, {"a": 1, "b": 2}, KEYS) == "c"
    assert key_of(shapes.exact, {"a": 1}, KEYS) == "b"
    assert key_of(shapes.exact, {"a": 1, "b": 2, "z": 0, "y": 0}, KEYS) == "y"
    assert key_of(shapes.exact, {"a": 1, "b": 2, "c": 3, "x": 0}, KEYS) == "x"
    assert key_of(shapes.exact, [1], KEYS) == ""


def test_an_object_of_known_keys_may_leave_some_out() -> None:
    assert shapes.obj({"a": 1}, KEYS) == {"a": 1}
    with pytest.raises(FieldError) as caught:
        shapes.obj({"a": 1, "bb": 2}, KEYS)
    assert caught.value.key == "bb" and "«b»" in caught.value.what


def test_sections_and_arrays_put_their_key_in_front_of_the_path() -> None:
    def inner(value: object) -> int:
        return fields.integer(shapes.exact(value, frozenset({"n"})), "n", low=0, high=9)

    elements: list[object] = [{"n": 1}, {"n": 2}, {"n": 10}]
    data: dict[str, object] = {"s": {"n": 1}, "items": elements}
    assert shapes.section(data, "s", inner) == 1
    assert key_of(shapes.section, data, "t", inner) == "t"
    assert key_of(shapes.each, data, "items", inner) == "items[2].n"
    assert shapes.each({"items": elements[:2]}, "items", inner) == (1, 2)
    assert key_of(shapes.each, {"items": {}}, "items", inner) == "items"
    assert key_of(shapes.each, {"items": []}, "items", inner, low=1) == "items"
    assert key_of(shapes.each, data, "items", inner, high=2) == "items"

    def items(value: object) -> tuple[int, ...]:
        return shapes.each(shapes.exact(value, frozenset({"s", "items"})), "items", inner)

    def outer(value: object) -> tuple[int, ...]:
        return shapes.section(shapes.exact(value, frozenset({"s"})), "s", items)

    assert key_of(shapes.section, {"s": {"s": data}}, "s", outer) == "s.s.items[2].n"


def test_a_private_section_shows_no_value() -> None:
    def read(value: object) -> str:
        return fields.code(shapes.exact(value, frozenset({"k"})), "k", {"x"}, label="codice")

    with pytest.raises(FieldError) as caught:
        shapes.each({"l": [{"k": "segreto"}]}, "l", read, private=True)
    assert caught.value.key == "l[0].k" and "segreto" not in caught.value.message()
    with pytest.raises(FieldError) as caught:
        shapes.each({"l": [{"k": "visibile"}]}, "l", read)
    assert "visibile" in caught.value.message()


def test_arrays_of_texts_name_the_element_at_fault() -> None:
    assert shapes.texts({"c": ["A010", "B123"]}, "c", CODE, high=3) == ("A010", "B123")
    assert key_of(shapes.texts, {"c": ["A010", "a010"]}, "c", CODE, high=3) == "c[1]"
    assert key_of(shapes.texts, {"c": ["A010", 7]}, "c", CODE, high=3) == "c[1]"
    assert key_of(shapes.texts, {"c": ["A010"] * 4}, "c", CODE, high=3) == "c"
    assert key_of(shapes.texts, {"c": []}, "c", CODE, low=1, high=3) == "c"
    assert key_of(shapes.texts, {}, "c", CODE, high=3) == "c"


def test_uniqueness_names_the_repeated_element_or_the_whole_array() -> None:
    items = ("a", "b", "A")
    shapes.unique(items, "l", lambda x: x)
    assert key_of(shapes.unique, items, "l", str.lower, field="name") == "l[2].name"
    assert key_of(shapes.unique, items, "l", str.lower, field="") == "l[2]"
    assert key_of(shapes.unique, items, "l", str.lower) == "l"
    shapes.ascending(("a", "b", "c"), "m", lambda x: x, field="name")
    assert key_of(shapes.ascending, ("a", "c", "b"), "m", lambda x: x, field="name") == "m[2].name"
    assert key_of(shapes.ascending, ("a", "a"), "m", lambda x: x, field="name") == "m[1].name"


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (9, True), (10, False), (-1, False), (True, False), ("1", False), (1.0, False)],
)
def test_an_integer_is_in_its_range_and_never_a_boolean(value: object, ok: bool) -> None:
    if ok:
        assert fields.integer({"n": value}, "n", low=0, high=9) == value
    else:
        assert key_of(fields.integer, {"n": value}, "n", low=0, high=9) == "n"


def test_texts_by_shape_and_for_people() -> None:
    assert fields.match({"k": "A010"}, "k", CODE) == "A010"
    assert fields.match({"k": ""}, "k", CODE, empty=True) == ""
    for bad in ("", "A0100", 7, None):
        assert key_of(fields.match, {"k": bad}, "k", CODE) == "k"
    assert key_of(fields.match, {}, "k", CODE) == "k"
    assert fields.printable({"k": "Comune di Abbiategrasso"}, "k", 30) == "Comune di Abbiategrasso"
    assert fields.printable({"k": ""}, "k", 30, empty=True) == ""
    for bad in ("", " x", "x ", "a\nb", "x" * 31, 3):
        assert key_of(fields.printable, {"k": bad}, "k", 30) == "k"
    assert fields.string({"k": ""}, "k") == ""
    assert key_of(fields.string, {"k": None}, "k") == "k"


def test_base64_is_of_exactly_its_size_in_its_one_spelling() -> None:
    good = base64.b64encode(b"k" * 32).decode()
    assert fields.base64_text({"k": good}, "k", 32) == good
    unpadded = base64.b64encode(b"k" * 31).decode().rstrip("=")
    not_canonical = good[:-2] + "l="  # the last character's unused bits set
    for bad in (base64.b64encode(b"k" * 31).decode(), unpadded, not_canonical, "è", "", 5):
        assert key_of(fields.base64_text, {"k": bad}, "k", 32) == "k"


def test_moments_with_an_offset_and_random_uuids() -> None:
    moment = fields.zoned_timestamp({"t": "2024-03-02T09:00:00+01:00"}, "t")
    assert moment == datetime(2024, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    assert fields.zoned_timestamp({"t": "2024-03-02T08:00:00.5Z"}, "t").tzinfo == UTC
    for moment_text in ("2024-03-02T09:00:00", "2024-02-30T09:00:00Z", 3):
        assert key_of(fields.zoned_timestamp, {"t": moment_text}, "t") == "t"
    made = uuid.uuid4()
    assert fields.uuid4({"u": str(made)}, "u") == made
    for bad in (str(made).upper(), str(uuid.uuid1()), made.hex, "x", None):
        assert key_of(fields.uuid4, {"u": bad}, "u") == "u"


@pytest.mark.parametrize(
    ("found", "newer"),
    [
        ("caseworker.x/2", True),
        ("caseworker.x/999999", True),
        ("caseworker.x/1", False),
        ("caseworker.x/0", False),
        ("caseworker.x/02x", False),
        ("caseworker.x/" + "9" * 5000, False),  # no int() of thousands of digits
        ("caseworker.y/2", False),
        (2, False),
        (None, False),
    ],
)
def test_a_newer_format_is_our_family_with_a_higher_version(found: object, newer: bool) -> None:
    assert fields.is_newer_format(found, "caseworker.x/1") is newer


def test_an_istanza_of_a_format_with_thousands_of_digits_is_refused_not_crashed_on() -> None:
    raw = b'{"format": "caseworker.istanza/' + b"9" * 5000 + b'"}'
    with pytest.raises(RecordError) as caught:
        read_istanza(raw, source="x.json", avviso=None)
    assert caught.value.field == "format"


def test_a_writer_reads_its_own_bytes_back_or_names_the_field() -> None:
    def read(value: object) -> int:
        return fields.integer(shapes.exact(value, frozenset({"n"})), "n", low=0, high=9)

    raw, back = shapes.written({"n": 3}, read, name="x.json")
    assert (raw, back) == (b'{"n":3}', 3)
    with pytest.raises(ValueError, match=r"x\.json would not be read back: n"):
        shapes.written({"n": 10}, read, name="x.json")
    assert shapes.canonical_json({"b": "è", "a": [1, 2]}) == '{"a":[1,2],"b":"è"}'.encode()
