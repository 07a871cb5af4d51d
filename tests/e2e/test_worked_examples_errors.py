"""Worked examples of bad input (interchange.md §1-§2): exit 2, and stderr names the file, the
field path and what is wrong; nothing is printed on stdout.

Field paths are accepted as ``requests[1].amount``, ``requests.1.amount`` or
``/requests/1/amount`` (indices from 0, as in the JSON array).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .examples.builders import CAREGIVER, ON, VOUCHER, cli, istanza, line, write

UNKNOWN = r"sconosciut|non previst|non ammess|non riconosciut|non valid|inattes|ignot"
MISSING = r"mancant|obbligatori|manca|richiest|assente"
BAD_DATE = r"data|AAAA-MM-GG|YYYY-MM-DD"
BAD_MONEY = r"import|decimal|euro|stringa|cifre"


def path_regex(*parts: str | int) -> str:
    """``("requests", 1, "amount")`` → a pattern for requests[1].amount / requests.1.amount /
    /requests/1/amount."""
    out = []
    for part in parts:
        if isinstance(part, int):
            out.append(rf"(?:\[{part}\]|[./]{part}\b)")
        else:
            out.append(r"[./]?" + re.escape(part) if out else r"(?<![\w])/?" + re.escape(part))
    return "".join(out)


def _check_bad(tmp_path: Path, data: Any, *, raw: str | None = None, avviso: str = CAREGIVER):
    path = tmp_path / "istanza-da-verificare.json"
    if raw is not None:
        path.write_text(raw, encoding="utf-8")
    else:
        write(tmp_path, data, path.name)
    done = cli(
        "check", "--avviso", avviso, "--on", ON[avviso], str(path), "--json", home=tmp_path / "home"
    )
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == "", done.stdout
    assert path.name in done.stderr, f"file not named: {done.stderr}"
    return done.stderr


def _set(record: dict[str, Any], dotted: str, value: Any) -> None:
    *head, last = dotted.split(".")
    node: Any = record
    for key in head:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value


def _two_lines() -> dict[str, Any]:
    return istanza(
        CAREGIVER,
        requests=[
            line("rimborso_domiciliare", "400.00", "2023-02-01", "2023-03-31"),
            line("rimborso_residenziale", "300.00", "2023-05-01", "2023-05-10"),
        ],
    )


Change = Callable[[dict[str, Any]], None]

CASES: list[tuple[str, Change, tuple[str | int, ...], str]] = [
    (
        "unknown-nested-field",
        lambda r: _set(r, "beneficiary.nickname", "Mariolino"),
        ("beneficiary", "nickname"),
        UNKNOWN,
    ),
    ("unknown-top-field", lambda r: _set(r, "priorita", 1), ("priorita",), UNKNOWN),
    (
        "bad-date-month-13",
        lambda r: _set(r, "beneficiary.birth_date", "1940-13-01"),
        ("beneficiary", "birth_date"),
        BAD_DATE,
    ),
    (
        "bad-date-italian-style",
        lambda r: _set(r, "beneficiary.birth_date", "01/01/1940"),
        ("beneficiary", "birth_date"),
        BAD_DATE,
    ),
    (
        "bad-timestamp",
        lambda r: _set(r, "submitted_at", "15/01/2024 10:30"),
        ("submitted_at",),
        BAD_DATE,
    ),
    (
        "money-with-comma",
        lambda r: _set(r, "requests.1.amount", "12,5"),
        ("requests", 1, "amount"),
        BAD_MONEY,
    ),
    (
        "money-as-number",
        lambda r: _set(r, "requests.0.amount", 900),
        ("requests", 0, "amount"),
        BAD_MONEY,
    ),
    (
        "isee-money-italian-style",
        lambda r: _set(r, "isee.0.value", "18.500,00"),
        ("isee", 0, "value"),
        BAD_MONEY,
    ),
    (
        "request-code-not-in-avviso",
        lambda r: _set(r, "requests.1.code", "a1_domiciliare"),
        ("requests", 1, "code"),
        r"a1_domiciliare",
    ),
    (
        "unknown-isee-type",
        lambda r: _set(r, "isee.1.type", "sociosanitary"),
        ("isee", 1, "type"),
        r"sociosanitary|sconosciut",
    ),
    (
        "unknown-in-place-code",
        lambda r: _set(r, "in_place", ["adi", "b3"]),
        ("in_place", 1),
        r"b3",
    ),
    (
        "flag-as-text",
        lambda r: _set(r, "beneficiary.lives_at_home", "si"),
        ("beneficiary", "lives_at_home"),
        r"true|false|vero|falso|sì|booleano|si\b",
    ),
    (
        "missing-birth-date",
        lambda r: r["beneficiary"].pop("birth_date"),
        ("beneficiary", "birth_date"),
        MISSING,
    ),
    ("missing-submitted-at", lambda r: r.pop("submitted_at"), ("submitted_at",), MISSING),
    (
        "wrong-avviso",
        lambda r: _set(r, "avviso", VOUCHER),
        ("avviso",),
        re.escape(VOUCHER) + "|" + re.escape(CAREGIVER),
    ),
    (
        "newer-format",
        lambda r: _set(r, "format", "caseworker.istanza/9"),
        ("format",),
        r"istanza/9|version",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "what"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_istanza_field(
    tmp_path: Path, change: Change, field: tuple[str | int, ...], what: str
) -> None:
    """interchange §1-§2: a malformed record is bad input → exit 2; stderr names the file, the
    field path and what is wrong. Unknown fields are errors (typos must not pass silently);
    dates are YYYY-MM-DD; money is a string with two decimals ("12,5" and 900 are not); codes
    come from the avviso and the canonical lists; a newer format version is refused."""
    record = _two_lines()
    change(record)
    stderr = _check_bad(tmp_path, record)
    assert re.search(path_regex(*field), stderr), f"field path {field} not named: {stderr}"
    assert re.search(what, stderr, re.IGNORECASE), f"what is wrong not said ({what}): {stderr}"


def test_unknown_fields_are_allowed_under_extra(tmp_path: Path) -> None:
    """interchange: unknown fields are an error "except under a key named extra" → the same
    record with {"extra": {"nota": ...}} is read and judged (exit 0, ammissibile, 700.00)."""
    record = _two_lines()
    record["extra"] = {"nota_interna": "telefonare dopo le 15", "priorita": 1}
    path = write(tmp_path, record)
    done = cli(
        "check",
        "--avviso",
        CAREGIVER,
        "--on",
        ON[CAREGIVER],
        str(path),
        "--json",
        home=tmp_path / "home",
    )
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)
    assert (verdict["outcome"], verdict["amount"]) == ("ammissibile", "700.00")


def test_invalid_json(tmp_path: Path) -> None:
    """A file that is not JSON at all (truncated) → exit 2, the file is named and the message
    says it is not valid JSON."""
    raw = json.dumps(_two_lines())[:-40]
    stderr = _check_bad(tmp_path, None, raw=raw)
    assert re.search(r"JSON", stderr), stderr


def test_unknown_avviso(tmp_path: Path) -> None:
    """--avviso with an id that has no definition → exit 2, stderr names the id."""
    path = write(tmp_path, _two_lines())
    done = cli(
        "check",
        "--avviso",
        "abbiatense-caregiver-2099",
        "--on",
        "2024-02-01",
        str(path),
        "--json",
        home=tmp_path / "home",
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == ""
    assert "abbiatense-caregiver-2099" in done.stderr


def test_unknown_avviso_on_rank(tmp_path: Path) -> None:
    """The same for rank → exit 2, the id named, nothing on stdout."""
    path = write(tmp_path, [_two_lines()], "istanze.json")
    done = cli(
        "rank",
        "--avviso",
        "pavese-b2-2099",
        "--on",
        "2024-02-01",
        str(path),
        "--json",
        home=tmp_path / "home",
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == ""
    assert "pavese-b2-2099" in done.stderr


def test_rank_folder_with_one_bad_file(tmp_path: Path) -> None:
    """A folder of istanze where one file has a bad amount: the whole run fails with exit 2,
    stderr names that file and the field, and nothing partial is printed."""
    folder = tmp_path / "istanze"
    for n in (1, 2, 3):
        record = istanza(CAREGIVER, id=f"F-{n}", surname=f"Cognome{n}")
        if n == 2:
            record["requests"][0]["amount"] = "900"
        write(folder, record, f"F-{n}.json")
    done = cli(
        "rank",
        "--avviso",
        CAREGIVER,
        "--on",
        "2024-02-01",
        str(folder),
        "--json",
        home=tmp_path / "home",
    )
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    assert "F-2.json" in done.stderr, done.stderr
    assert re.search(path_regex("requests", 0, "amount"), done.stderr), done.stderr
