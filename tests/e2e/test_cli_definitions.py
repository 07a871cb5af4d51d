"""A malformed definition file stops the command with a precise Italian message and exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

from caseworker_app.definitions.locate import forms_dir

from .conftest import Run


def _forms_copy(tmp_path: Path) -> Path:
    target = tmp_path / "forms"
    shutil.copytree(forms_dir(), target)
    return target


def test_avviso_with_a_typo_in_a_key_is_refused_naming_file_and_key(
    tmp_path: Path, run: Run
) -> None:
    forms = _forms_copy(tmp_path)
    path = forms / "avvisi" / "pavese-b2-2024-voucher.toml"
    path.write_text(path.read_text().replace("residual = ", "residuo = ", 1), encoding="utf-8")
    istanza = tmp_path / "i.json"
    istanza.write_text("{}", encoding="utf-8")
    done = run(
        "check",
        "--avviso",
        "pavese-b2-2024-voucher",
        str(istanza),
        "--json",
        env={"CASEWORKER_FORMS": str(forms)},
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "pavese-b2-2024-voucher.toml" in done.stderr
    assert "residuo" in done.stderr


def test_avviso_without_its_budget_is_refused(tmp_path: Path, run: Run) -> None:
    forms = _forms_copy(tmp_path)
    path = forms / "avvisi" / "abbiatense-caregiver-2023.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('budget = "19453.77"', "", 1), encoding="utf-8")
    istanze = tmp_path / "i.json"
    istanze.write_text("[]", encoding="utf-8")
    done = run(
        "rank",
        "--avviso",
        "abbiatense-caregiver-2023",
        str(istanze),
        "--json",
        env={"CASEWORKER_FORMS": str(forms)},
    )
    assert done.returncode == 2, done.stderr
    assert "abbiatense-caregiver-2023.toml" in done.stderr
    assert "budget" in done.stderr


def test_scale_with_a_broken_option_numbering_is_refused(tmp_path: Path, run: Run) -> None:
    forms = _forms_copy(tmp_path)
    path = forms / "scales" / "adl-katz" / "1.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("n = 3", "n = 4", 1), encoding="utf-8")
    answers = tmp_path / "a.json"
    answers.write_text('{"scale": "adl-katz", "answers": {}}', encoding="utf-8")
    done = run(
        "score", "--scale", "adl-katz", str(answers), "--json", env={"CASEWORKER_FORMS": str(forms)}
    )
    assert done.returncode == 2, done.stderr
    assert "1.toml" in done.stderr
