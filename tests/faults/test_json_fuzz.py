"""Bounded fuzzing of the JSON input of ``check``, ``rank`` and ``score`` (issue 10, point 7).

Random JSON values, random bytes and mutated copies of a valid input (values replaced at random
paths, slices of the text cut, repeated or replaced with troublesome tokens) go through the
command line's entry point, ``caseworker_app.cli.main.main``, in this process (the installed
command costs half a second a run; tests/faults/test_cli_bad_input.py runs it on every defect).
Every outcome must be exit 0 or 2, and exit 2 must come with one ``caseworker: `` message and
never "errore imprevisto" or a traceback. The figures of a run (examples, refused) are printed
at the end of each test (``pytest -s``).
"""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker_app.cli.main import main
from tests.e2e.examples.builders import CAREGIVER, ON, istanza

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same documents on every run: a failure is reproducible
    database=None,
)

VALUE_TOKENS = [  # each of these was a defect somewhere (issue 10, point 7)
    "1" + "0" * 5000,  # beyond Python's int-string limit
    "-" + "9" * 4400,
    '"10000000000000000000000000000.00"',
    "1e400",
    "NaN",
    "[" * 2000 + "]" * 2000,
    "[" * 900 + "]" * 900,
    "[]",
    "{}",
]
TOKENS = [
    *VALUE_TOKENS,
    '"1e28"',
    "1e28",
    "-Infinity",
    "{" * 50,
    '"\\ud800"',
    '"\x00"',
    "null",
    "true",
    '"M"',
    '"F"',
    '"2024-02-30"',
    '"-0.00"',
    '"A010"',
    ",",
    ":",
    '"',
    "\\",
]

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["M", "F", "1e28", "10000000000000000000000000000.00", "2024-01-15"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _sheet() -> dict[str, Any]:
    return {"scale": "adl-katz", "answers": {"lavarsi": 1, "vestirsi": 2}, "sex": "F"}


VALID: dict[str, Any] = {
    "check": istanza(),
    "rank": [istanza(id="T-1"), istanza(id="T-2", surname="Bianchi")],
    "score": _sheet(),
}


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


@st.composite
def structural(draw: st.DrawFn, command: str) -> bytes:
    """The valid input with the value at a random path replaced by a random JSON value."""
    valid = VALID[command]
    path = draw(st.sampled_from(_paths(valid)))
    return json.dumps(_replace(valid, path, draw(JSON_VALUES))).encode()


@st.composite
def token_at_path(draw: st.DrawFn, command: str) -> bytes:
    """The valid input with the value at a random path written as a troublesome token (a huge
    integer, an amount beyond the maximum, deep nesting, NaN...), or one of its objects with a
    key repeated."""
    valid = VALID[command]
    path = draw(st.sampled_from(_paths(valid)))
    text = json.dumps(_replace(valid, path, "@@TOKEN@@"))
    if draw(st.booleans()):
        return text.replace('"@@TOKEN@@"', draw(st.sampled_from(VALUE_TOKENS))).encode()
    value = json.dumps(draw(JSON_VALUES))
    keys = [step for step in path if isinstance(step, str)] or ["scale"]
    repeated = f'"{draw(st.sampled_from(keys))}": {value}, '
    return text.replace('{"', "{" + repeated + '"', 1).replace('"@@TOKEN@@"', value).encode()


@st.composite
def textual(draw: st.DrawFn, command: str) -> bytes:
    """The valid input's text with a slice cut, repeated or replaced by a troublesome token."""
    text = json.dumps(VALID[command], indent=draw(st.sampled_from([None, 2])))
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        kind = draw(st.sampled_from(["cut", "repeat", "token"]))
        if kind == "cut":
            text = text[:start] + text[end:]
        elif kind == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + draw(st.sampled_from(TOKENS)) + text[end:]
    return text.encode("utf-8", "surrogatepass")


# Examples per command and kind of document: 60 per command in all, most of them troublesome
# tokens at real positions (each kind draws its own examples, so none crowds out another).
KINDS: dict[str, tuple[int, Any]] = {
    "json": (6, lambda command: JSON_VALUES.map(lambda v: json.dumps(v).encode())),
    "bytes": (6, lambda command: st.binary(max_size=200)),
    "structural": (12, structural),
    "token": (24, token_at_path),
    "textual": (12, textual),
}


def _argv(command: str, path: Path) -> list[str]:
    if command == "score":
        return ["score", "--scale", "adl-katz", str(path), "--json"]
    return [command, "--avviso", CAREGIVER, "--on", ON[CAREGIVER], str(path), "--json"]


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, err.getvalue()


OUTCOMES: dict[str, Counter[int]] = {}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("command", ["check", "rank", "score"])
def test_random_input_exits_0_or_2_with_a_message(
    command: str, kind: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp(f"fuzz-{command}-{kind}")
    examples, strategy = KINDS[kind]
    outcomes = OUTCOMES.setdefault(command, Counter())

    @settings(FUZZ, max_examples=examples)
    @given(raw=strategy(command))
    def trial(raw: bytes) -> None:
        path = folder / "input.json"
        path.write_bytes(raw)
        code, err = _run(_argv(command, path))
        outcomes[code] += 1
        assert code in (0, 2), err
        assert "errore imprevisto" not in err and "Traceback" not in err, err
        if code == 2:
            assert err.startswith("caseworker: ") and len(err) > len("caseworker: ") + 10, err

    trial()
    print(f"\nfuzz {command} (up to now): {outcomes.total()} examples, {outcomes[2]} refused")
