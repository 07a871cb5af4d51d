"""``caseworker score`` as a user runs it (interchange.md §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run

KATZ_ITEMS = ("lavarsi", "vestirsi", "uso_servizi", "trasferimenti", "continenza", "alimentazione")


def _write(tmp_path: Path, sheet: Any, name: str = "scheda.json") -> str:
    path = tmp_path / name
    path.write_text(sheet if isinstance(sheet, str) else json.dumps(sheet), encoding="utf-8")
    return str(path)


def _score(run: Run, tmp_path: Path, scale: str, sheet: Any, *extra: str) -> Any:
    done = run("score", "--scale", scale, _write(tmp_path, sheet), "--json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("lost", "klass"),
    [
        ((), "A"),
        (("continenza",), "B"),
        (("lavarsi", "alimentazione"), "C"),
        (("lavarsi", "vestirsi", "trasferimenti"), "D"),
        (("lavarsi", "vestirsi", "uso_servizi", "continenza"), "E"),
        (("lavarsi", "vestirsi", "uso_servizi", "trasferimenti", "alimentazione"), "F"),
        (KATZ_ITEMS, "G"),
        (("vestirsi", "uso_servizi"), "Altro"),
    ],
)
def test_social_worker_scores_adl_at_home(
    run: Run, tmp_path: Path, lost: tuple[str, ...], klass: str
) -> None:
    answers = {item: 3 if item in lost else 1 for item in KATZ_ITEMS}
    out = _score(run, tmp_path, "adl-katz", {"scale": "adl-katz", "answers": answers})
    assert out == {
        "scale": "adl-katz",
        "version": "2",  # the newest Katz (corrected "lavarsi"); same values as version 1
        "complete": True,
        "conserved": 6 - len(lost),
        "lost": len(lost),
        "max": 6,
        "class": klass,
    }


def test_iadl_of_a_man_on_the_sex_specific_variant(run: Run, tmp_path: Path) -> None:
    sheet = {
        "scale": "iadl-lawton",
        "answers": {"telefono": 2, "spesa": 3, "trasporti": 4, "farmaci": 1, "denaro": 2},
        "sex": "M",
        "variant": "sex_specific",
        "extra": {"note": "compilata con la figlia"},
    }
    out = _score(run, tmp_path, "iadl-lawton", sheet)
    assert out == {
        "scale": "iadl-lawton",
        "version": "1",
        "variant": "sex_specific",
        "complete": True,
        "conserved": 3,
        "lost": 2,
        "max": 5,
    }


def test_iadl_italian_protocol_version_on_request(run: Run, tmp_path: Path) -> None:
    sheet = {"scale": "iadl-lawton", "answers": {"governo_casa": 4, "cucina": None}}
    v1 = _score(run, tmp_path, "iadl-lawton", sheet)
    v2 = _score(run, tmp_path, "iadl-lawton", sheet, "--version", "2")
    assert (v1["version"], v1["conserved"], v1["max"]) == ("1", 1, 7)
    assert (v2["version"], v2["conserved"], v2["lost"]) == ("2", 0, 1)


def test_katz_sheets_of_version_1_still_score_on_request(run: Run, tmp_path: Path) -> None:
    answers = {item: 1 for item in KATZ_ITEMS} | {"lavarsi": 3}
    sheet = {"scale": "adl-katz", "answers": answers}
    old = _score(run, tmp_path, "adl-katz", sheet, "--version", "1")
    assert (old["version"], old["lost"], old["class"]) == ("1", 1, "B")


@pytest.mark.parametrize("variant", ["all_items", "sex_specific"])
def test_iadl_with_every_item_not_applicable_is_not_complete(
    run: Run, tmp_path: Path, variant: str
) -> None:
    """No item scored (all null, "non applicabile"): "complete": false, on both variants."""
    items = ("telefono", "spesa", "cucina", "governo_casa", "biancheria", "trasporti",
             "farmaci", "denaro")  # fmt: skip
    sheet = {"scale": "iadl-lawton", "answers": dict.fromkeys(items), "sex": "M",
             "variant": variant}  # fmt: skip
    out = _score(run, tmp_path, "iadl-lawton", sheet)
    assert out == {
        "scale": "iadl-lawton",
        "version": "1",
        "variant": variant,
        "complete": False,
        "conserved": 0,
        "lost": 0,
        "max": 0,
    }
    done = run("score", "--scale", "iadl-lawton", _write(tmp_path, sheet, "umano.json"))
    assert done.returncode == 0, done.stderr
    assert "Scheda incompleta, resta in bozza: nessun item valutato" in done.stdout


def test_barthel_gives_total_and_band(run: Run, tmp_path: Path) -> None:
    answers = {
        "alimentazione": 3,
        "bagno": 1,
        "igiene_personale": 2,
        "vestirsi": 2,
        "controllo_intestinale": 3,
        "controllo_vescicale": 2,
        "uso_wc": 2,
        "trasferimento_letto_sedia": 3,
        "deambulazione": 3,
        "scale": 1,
    }
    out = _score(run, tmp_path, "barthel", {"scale": "barthel", "answers": answers})
    assert out == {
        "scale": "barthel",
        "version": "2",  # version 2 only adds a note to the file: same scoring as version 1
        "complete": True,
        "conserved": 60,
        "lost": 40,
        "max": 100,
        "total": 60,
        "band": "grave",
    }


def test_an_incomplete_sheet_is_scored_as_a_draft(run: Run, tmp_path: Path) -> None:
    sheet = {"scale": "adl-katz", "answers": {"lavarsi": 3, "vestirsi": 1}}
    out = _score(run, tmp_path, "adl-katz", sheet)
    assert out["complete"] is False
    assert (out["conserved"], out["lost"], out["max"], out["class"]) == (1, 1, 6, None)


def test_human_output_is_in_italian(run: Run, tmp_path: Path) -> None:
    answers = {item: 1 for item in KATZ_ITEMS} | {"lavarsi": 3, "continenza": 2}
    path = _write(tmp_path, {"scale": "adl-katz", "answers": answers})
    done = run("score", "--scale", "adl-katz", path)
    assert done.returncode == 0, done.stderr
    assert "Funzioni perse: 2 su 6" in done.stdout
    assert "Classe di Katz: C" in done.stdout
    assert "Livello SINA di autonomia: 2" in done.stdout


@pytest.mark.parametrize(
    ("sheet", "field"),
    [
        ({"scale": "adl-katz", "answers": {"lavarsi": 4}}, "answers.lavarsi"),
        ({"scale": "adl-katz", "answers": {"lavarsi": "3"}}, "answers.lavarsi"),
        ({"scale": "adl-katz", "answers": {"lavarsi": None}}, "answers.lavarsi"),
        ({"scale": "adl-katz", "answers": {"nuotare": 1}}, "answers.nuotare"),
        ({"scale": "adl-katz", "answers": []}, "answers"),
        ({"scale": "adl-katz"}, "answers"),
        ({"scale": "barthel", "answers": {}}, "scale"),
        ({"scale": "adl-katz", "answers": {}, "note": "x"}, "note"),
        ({"scale": "adl-katz", "answers": {}, "sex": "X"}, "sex"),
        ({"scale": "adl-katz", "answers": {}, "variant": "all_items"}, "variant"),
        ('{"scale": "adl-katz", "answers": {"lavarsi": 1, "lavarsi": 3}}', "answers.lavarsi"),
    ],
)
def test_malformed_input_exits_2_naming_file_and_field(
    run: Run, tmp_path: Path, sheet: Any, field: str
) -> None:
    path = _write(tmp_path, sheet, "risposte.json")
    done = run("score", "--scale", "adl-katz", path, "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "risposte.json" in done.stderr
    assert f"«{field}»" in done.stderr


def test_iadl_sex_specific_without_sex_exits_2(run: Run, tmp_path: Path) -> None:
    sheet = {"scale": "iadl-lawton", "answers": {}, "variant": "sex_specific"}
    done = run("score", "--scale", "iadl-lawton", _write(tmp_path, sheet), "--json")
    assert done.returncode == 2
    assert "«sex»" in done.stderr


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("--scale", "mmse"), "mmse"),
        (("--scale", "adl-katz", "--version", "9"), "versione 9"),
    ],
)
def test_unknown_scale_or_version_exits_2(
    run: Run, tmp_path: Path, args: tuple[str, ...], text: str
) -> None:
    scale = args[1]
    path = _write(tmp_path, {"scale": scale, "answers": {}})
    done = run("score", *args, path, "--json")
    assert done.returncode == 2
    assert text in done.stderr


def test_unreadable_file_exits_2(run: Run, tmp_path: Path) -> None:
    done = run("score", "--scale", "adl-katz", str(tmp_path / "manca.json"))
    assert done.returncode == 2
    assert "manca.json" in done.stderr
    broken = _write(tmp_path, '{"scale": "adl-katz",', "rotto.json")
    done = run("score", "--scale", "adl-katz", broken)
    assert done.returncode == 2
    assert "rotto.json" in done.stderr
    assert "riga 1" in done.stderr
