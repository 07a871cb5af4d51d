"""The self-test's orchestration (bootstrap/self_test.py) and its failures: a step that fails is
named, with what went wrong but no personal data, nothing runs after it, the command exits 1
and the temporary folder is gone."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from caseworker_app.bootstrap import self_test
from caseworker_app.bootstrap.self_test import STEPS, Step, describe_error, run_self_test
from caseworker_app.bootstrap.self_test_checks import SelfTestError, check_definitions
from caseworker_app.cli import main
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.gateway import SelfTestStep

PERSONAL = "ROSSMR40A01F205X Mario Rossi"


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _failing(name: str) -> tuple[Step, ...]:
    def boom(work: object) -> None:
        raise RuntimeError(PERSONAL)

    return tuple(replace(s, run=boom) if s.name == name else s for s in STEPS)


def test_a_failing_step_exits_1_naming_it_without_data_and_removes_the_folder(
    temp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = "file importato dal capofila"  # late: the stores are open, files written
    monkeypatch.setattr(self_test, "STEPS", _failing(failing))

    assert main(["self-test", "--json"]) == 1

    out, err = capsys.readouterr()
    report = json.loads(out)
    names = [s.name for s in STEPS]
    upto = names.index(failing) + 1
    assert report["ok"] is False
    assert report["failed"] == failing
    assert [s["name"] for s in report["steps"]] == names[:upto]  # nothing after it ran
    assert [s["ok"] for s in report["steps"]] == [True] * (upto - 1) + [False]
    error = report["steps"][-1]["error"]
    assert error.startswith("errore imprevisto (RuntimeError) in ")
    assert f"«{failing}»" in err and "autodiagnosi non riuscita" in err
    for text in (out, err):
        assert "ROSSMR40A01F205X" not in text and "Rossi" not in text
    assert list(temp.iterdir()) == []


def test_a_failing_step_in_the_human_output(
    temp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = "definizioni: avvisi, ambiti, scale e documenti"

    def no_forms(work: object) -> None:
        check_definitions(temp / "nowhere")

    steps = tuple(replace(s, run=no_forms) if s.name == failing else s for s in STEPS)
    monkeypatch.setattr(self_test, "STEPS", steps)

    assert main(["self-test"]) == 1

    out, err = capsys.readouterr()
    assert out.splitlines()[-1].startswith("ERRORE ")
    assert failing in out.splitlines()[-1]
    assert "Autodiagnosi completata" not in out
    assert err == (
        f"caseworker: autodiagnosi non riuscita al passo «{failing}»: nessuna definizione di "
        "ambiti, avvisi, scale, documenti nella cartella forms del programma\n"
    )
    assert list(temp.iterdir()) == []


def test_progress_before_and_after_each_step_in_order(temp: Path) -> None:
    seen: list[tuple[int, int, str, bool | None]] = []

    def progress(index: int, total: int, name: str, result: SelfTestStep | None) -> None:
        seen.append((index, total, name, None if result is None else result.ok))

    def fine(work: object) -> None:
        return None

    def wrong(work: object) -> None:
        raise SelfTestError("la prova non torna")

    steps = (Step("primo", fine), Step("secondo", wrong), Step("terzo", fine))
    report = run_self_test(progress=progress, steps=steps)

    assert seen == [(0, 3, "primo", None), (0, 3, "primo", True),
                    (1, 3, "secondo", None), (1, 3, "secondo", False)]  # fmt: skip
    assert not report.ok
    assert report.failed == report.steps[-1]
    assert report.failed.name == "secondo" and report.failed.error == "la prova non torna"
    assert list(temp.iterdir()) == []


def test_errors_are_described_without_their_text() -> None:
    missing = ModuleNotFoundError("No module named 'pyrage'", name="pyrage")
    assert describe_error(missing) == "modulo mancante: pyrage"
    refused = UserFacingError("transmission.nothing_ready")
    assert describe_error(refused) and "transmission.nothing_ready" not in describe_error(refused)
    try:
        raise ValueError(PERSONAL)
    except ValueError as exc:
        text = describe_error(exc)
    assert text.startswith("errore imprevisto (ValueError) in test_self_test.py:")
    assert "Rossi" not in text
