"""Bad input files on the command line (issue 10, point 7): exit 2 with an Italian message.

Every command that reads a JSON file (``check``, ``rank``, ``score``) goes through one reader
(``caseworker_app.transfer.json_input``): a regular file of at most 16 MiB, UTF-8, no repeated
key, no integer of more than 100 digits, no NaN/Infinity, no nesting deeper than 64 levels. Each
test here reproduces a defect of the reader (or of the one money parser) through the real
command; the files are left as they were and no store is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.examples.builders import CAREGIVER, ON, istanza, line
from tests.faults.conftest import Run, assert_refused

HUGE = "1" + "0" * 5000  # more digits than Python converts from a string by default
SCALE = "adl-katz"


def _write(folder: Path, text: str, name: str = "input.json") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(run: Run, path: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return run("check", "--avviso", CAREGIVER, "--on", ON[CAREGIVER], str(path), "--json", **kw)


def _rank(run: Run, path: Path, *extra: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return run(
        "rank", "--avviso", CAREGIVER, "--on", ON[CAREGIVER], *extra, str(path), "--json", **kw
    )


def _score(run: Run, path: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return run("score", "--scale", SCALE, str(path), "--json", **kw)


def _record_text(**changes: Any) -> str:
    """A valid istanza as JSON text, with the placeholder ``"@HUGE@"`` ready to be replaced."""
    record = istanza()
    record["disability"]["invalidita_civile_percent"] = "@HUGE@"
    record.update(changes)
    return json.dumps(record, indent=2)


# -- integers longer than Python converts --------------------------------------------------------


def test_check_refuses_a_huge_integer_naming_the_field(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, _record_text().replace('"@HUGE@"', HUGE), "istanza.json")
    before = _digest(path)

    done = _check(run, path)

    assert_refused(done, code=2, says="istanza.json")
    assert "disability.invalidita_civile_percent" in done.stderr
    assert "100 cifre" in done.stderr
    assert _digest(path) == before


def test_rank_refuses_a_huge_integer_naming_the_element(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, "[" + _record_text().replace('"@HUGE@"', HUGE) + "]", "lista.json")

    done = _rank(run, path)

    assert_refused(done, code=2, says="lista.json")
    assert "[0].disability.invalidita_civile_percent" in done.stderr


def test_score_refuses_a_huge_integer_naming_the_item(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, f'{{"scale": "{SCALE}", "answers": {{"lavarsi": {HUGE}}}}}')

    done = _score(run, path)

    assert_refused(done, code=2, says="input.json")
    assert "answers.lavarsi" in done.stderr


# -- money of 10^28 euro or more -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["10000000000000000000000000000.00", "99999999999999999999999999999999.99"]
)
def test_check_refuses_an_isee_beyond_the_maximum(run: Run, tmp_path: Path, value: str) -> None:
    record = istanza()
    record["isee"][0]["value"] = value
    path = _write(tmp_path, json.dumps(record), "istanza.json")

    done = _check(run, path)

    assert_refused(done, code=2, says="istanza.json")
    assert "isee[0].value" in done.stderr
    assert "999.999.999,99" in done.stderr  # the documented maximum, and what to do


def test_check_refuses_a_request_amount_beyond_the_maximum(run: Run, tmp_path: Path) -> None:
    amount = "1" + "0" * 28 + ".00"
    record = istanza(requests=[line("rimborso_domiciliare", amount, "2023-03-01", "2023-12-31")])
    path = _write(tmp_path, json.dumps(record), "istanza.json")

    done = _check(run, path)

    assert_refused(done, code=2, says="requests[0].amount")


@pytest.mark.parametrize("amount", ["1e28", 1e28, 10**28])
def test_check_refuses_an_amount_written_as_a_number(
    run: Run, tmp_path: Path, amount: object
) -> None:
    record = istanza(requests=[line("rimborso_domiciliare", "0.00", "2023-03-01", "2023-12-31")])
    record["requests"][0]["amount"] = amount
    path = _write(tmp_path, json.dumps(record), "istanza.json")

    done = _check(run, path)

    assert_refused(done, code=2, says="requests[0].amount")


def test_rank_refuses_a_budget_beyond_the_maximum(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps([istanza()]), "lista.json")

    done = _rank(run, path, "--budget", "10000000000000000000000000000.00")

    # An option's error follows the usage line ("uso:"), then the Italian message.
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "errore imprevisto" not in done.stderr
    assert "caseworker: argomenti non validi: argomento --budget: importo troppo grande" in (
        done.stderr
    )
    assert "999.999.999,99" in done.stderr


# -- the sex of a score sheet ----------------------------------------------------------------------


@pytest.mark.parametrize("sex", [[], {}, ["F"]])
def test_score_refuses_a_sex_that_is_not_a_text(run: Run, tmp_path: Path, sex: object) -> None:
    path = _write(tmp_path, json.dumps({"scale": SCALE, "answers": {}, "sex": sex}))

    done = _score(run, path)

    assert_refused(done, code=2, says="«sex»")


# -- nesting -------------------------------------------------------------------------------------


def test_score_refuses_a_file_nested_100000_levels(run: Run, tmp_path: Path) -> None:
    depth = 100_000
    text = f'{{"scale": "{SCALE}", "answers": ' + "[" * depth + "]" * depth + "}"
    path = _write(tmp_path, text)

    done = _score(run, path)

    assert_refused(done, code=2, says="input.json")
    assert "64 livelli" in done.stderr


@pytest.mark.parametrize("command", ["check", "rank", "score"])
def test_nesting_deeper_than_the_maximum_is_refused(run: Run, tmp_path: Path, command: str) -> None:
    """900 levels decode without a RecursionError but are no sensible input: refused at 65."""
    nested = "[" * 900 + "]" * 900
    if command == "score":
        path = _write(tmp_path, f'{{"scale": "{SCALE}", "answers": {{}}, "extra": {nested}}}')
        done = _score(run, path)
    else:
        record = istanza()
        record["extra"] = {"nota": "@NESTED@"}
        text = json.dumps(record).replace('"@NESTED@"', nested)
        path = _write(tmp_path, text)
        done = _check(run, path) if command == "check" else _rank(run, path)

    assert_refused(done, code=2, says="64 livelli")


# -- repeated keys -------------------------------------------------------------------------------


def _with_repeated_sex() -> str:
    text = json.dumps(istanza(sex="M"), indent=2)
    assert text.count('"sex": "M"') == 1
    return text.replace('"sex": "M"', '"sex": "M",\n    "sex": "F"')


def test_check_refuses_a_repeated_key(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, _with_repeated_sex(), "istanza.json")

    done = _check(run, path)

    assert_refused(done, code=2, says="istanza.json")
    assert "«beneficiary.sex»" in done.stderr and "due volte" in done.stderr


def test_rank_refuses_a_repeated_key(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, "[" + _with_repeated_sex() + "]", "lista.json")

    done = _rank(run, path)

    assert_refused(done, code=2, says="lista.json")
    assert "«[0].beneficiary.sex»" in done.stderr and "due volte" in done.stderr


def test_rank_refuses_a_repeated_key_in_a_folder_naming_the_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "istanze"
    folder.mkdir()
    _write(folder, json.dumps(istanza(id="T-1")), "a.json")
    _write(folder, _with_repeated_sex().replace("T-0001", "T-2"), "b.json")

    done = _rank(run, folder)

    assert_refused(done, code=2, says="b.json")
    assert "beneficiary.sex" in done.stderr


def test_score_still_refuses_a_repeated_key(run: Run, tmp_path: Path) -> None:
    path = _write(tmp_path, f'{{"scale": "{SCALE}", "scale": "{SCALE}", "answers": {{}}}}')

    done = _score(run, path)

    assert_refused(done, code=2, says="«scale»")
    assert "due volte" in done.stderr


# -- not a regular file, or too large --------------------------------------------------------------


COMMANDS = {"check": _check, "rank": _rank, "score": _score}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_refused_without_waiting(run: Run, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "tubo.json"
    os.mkfifo(fifo)
    try:
        done = COMMANDS[command](run, fifo, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command} waited for a writer on a FIFO instead of refusing it")

    assert_refused(done, code=2, says="tubo.json")
    assert "non è un file normale" in done.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_device_is_refused(run: Run, command: str) -> None:
    try:
        done = COMMANDS[command](run, Path("/dev/zero"), timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command} read /dev/zero without end")

    assert_refused(done, code=2, says="zero")
    assert "non è un file normale" in done.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_above_16_mib_is_refused(run: Run, tmp_path: Path, command: str) -> None:
    path = tmp_path / "enorme.json"
    with path.open("wb") as out:  # sparse: 17 MiB of zero bytes cost no disk
        out.truncate(17 * 1024 * 1024)

    done = COMMANDS[command](run, path, timeout=20)

    assert_refused(done, code=2, says="enorme.json")
    assert "16 MiB" in done.stderr


def test_rank_refuses_a_fifo_inside_a_folder(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "istanze"
    folder.mkdir()
    _write(folder, json.dumps(istanza(id="T-1")), "a.json")
    os.mkfifo(folder / "b.json")
    try:
        done = _rank(run, folder, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("rank waited on a FIFO inside the folder")

    assert_refused(done, code=2, says="b.json")


def test_a_valid_file_still_passes(run: Run, tmp_path: Path) -> None:
    """The reader's limits refuse nothing a real istanza or sheet contains."""
    path = _write(tmp_path, json.dumps(istanza()), "istanza.json")
    assert _check(run, path).returncode == 0
    assert _rank(run, path).returncode == 0
    sheet = _write(tmp_path, json.dumps({"scale": SCALE, "answers": {"lavarsi": 1}}), "s.json")
    assert _score(run, sheet).returncode == 0
