"""The avviso's ``[transmission]`` table: which istanze send the capofila their social
evaluation, ADL/IADL sheets and PI (seed 003 art. 11), read strictly from the definition file."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker_app.definitions.avvisi import load_avviso
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.messages import render
from tests.unit.test_avviso_definitions import AVVISI, GOOD

TABLE = """
[transmission]
evaluation_unless_in_place = ["b2_2023_finanziata"]
cite = "avviso, art. 11"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prova-2024.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(tmp_path: Path, text: str) -> UserFacingError:
    with pytest.raises(UserFacingError) as err:
        load_avviso(_write(tmp_path, text))
    assert err.value.code == "definitions.invalid"
    assert err.value.params["file"] == "prova-2024.toml"
    assert str(err.value.params["key"]) in render(err.value.code, err.value.params)
    return err.value


def test_the_table_is_read(tmp_path: Path) -> None:
    avviso = load_avviso(_write(tmp_path, GOOD + TABLE))
    assert avviso.transmission_evaluation_unless == {"b2_2023_finanziata"}
    assert avviso.transmission_cite == "avviso, art. 11"


def test_without_the_table_everything_travels(tmp_path: Path) -> None:
    avviso = load_avviso(_write(tmp_path, GOOD))
    assert avviso.transmission_evaluation_unless == frozenset()
    assert avviso.transmission_cite == ""
    assert avviso.evaluation_required({"b2_2023_finanziata", "sad"})
    assert avviso.evaluation_required(())


def test_a_table_with_only_its_cite_exempts_nobody(tmp_path: Path) -> None:
    avviso = load_avviso(_write(tmp_path, GOOD + '\n[transmission]\ncite = "avviso, art. 11"\n'))
    assert avviso.transmission_evaluation_unless == frozenset()
    assert avviso.transmission_cite == "avviso, art. 11"
    assert avviso.evaluation_required({"b2_2023_finanziata"})


def test_evaluation_required_unless_a_listed_measure_is_in_place(tmp_path: Path) -> None:
    avviso = load_avviso(_write(tmp_path, GOOD + TABLE))
    assert avviso.evaluation_required(())
    assert avviso.evaluation_required(["b2_2023_ammessa_non_finanziata", "sad"])
    assert not avviso.evaluation_required(["sad", "b2_2023_finanziata"])
    assert not avviso.evaluation_required(frozenset({"b2_2023_finanziata"}))


def test_an_unknown_code_is_refused_in_italian(tmp_path: Path) -> None:
    err = _refused(tmp_path, GOOD + TABLE.replace("b2_2023_finanziata", "b2_2023"))
    assert err.params["key"] == "transmission.evaluation_unless_in_place[0]"
    what = str(err.params["what"])
    assert "«b2_2023» sconosciuto" in what and "extra_codes" in what


def test_a_document_code_is_not_a_measure_in_place(tmp_path: Path) -> None:
    err = _refused(tmp_path, GOOD + TABLE.replace('"b2_2023_finanziata"', '"sad", "isee"'))
    assert err.params["key"] == "transmission.evaluation_unless_in_place[1]"


def test_a_code_declared_in_extra_codes_is_accepted(tmp_path: Path) -> None:
    text = GOOD.replace("allocation =", 'extra_codes = ["b2_2025_buono"]\nallocation =')
    avviso = load_avviso(_write(tmp_path, text + TABLE.replace("b2_2023_finanziata",
                                                               "b2_2025_buono")))  # fmt: skip
    assert not avviso.evaluation_required({"b2_2025_buono"})


def test_a_list_without_cite_is_refused(tmp_path: Path) -> None:
    err = _refused(tmp_path, GOOD + TABLE.replace('cite = "avviso, art. 11"\n', ""))
    assert err.params["key"] == "transmission.cite"
    what = str(err.params["what"])
    assert "manca la citazione" in what and "avviso, art. 11" in what


NOT_A_TABLE = GOOD.replace("allocation =", 'transmission = "b2_2023_finanziata"\nallocation =')


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (GOOD + TABLE.replace("cite =", "citazione ="), "transmission.citazione",
         "chiave sconosciuta"),
        (GOOD + TABLE.replace('"avviso, art. 11"', '""'), "transmission.cite", "testo"),
        (GOOD + TABLE.replace('["b2_2023_finanziata"]', '"b2_2023_finanziata"'),
         "transmission.evaluation_unless_in_place", "elenco"),
        (GOOD + TABLE.replace('["b2_2023_finanziata"]', '["sad", "sad"]'),
         "transmission.evaluation_unless_in_place[1]", "ripetuto"),
        (NOT_A_TABLE, "transmission", "tabella"),
    ],
    ids=["typo", "empty cite", "not a list", "repeated", "not a table"],
)  # fmt: skip
def test_a_malformed_table_is_refused(tmp_path: Path, text: str, key: str, words: str) -> None:
    err = _refused(tmp_path, text)
    assert err.params["key"] == key
    assert words in str(err.params["what"])


def test_the_abbiatense_caregiver_avviso_exempts_the_b2_2023_beneficiaries() -> None:
    avviso = load_avviso(AVVISI / "abbiatense-caregiver-2023.toml")
    assert avviso.transmission_evaluation_unless == {"b2_2023_finanziata"}
    assert avviso.transmission_cite == "avviso, art. 11"
    assert not avviso.evaluation_required({"b2_2023_finanziata"})
    assert avviso.evaluation_required({"b2_2023_ammessa_non_finanziata", "semiresidenziale"})


@pytest.mark.parametrize(
    "name",
    [
        "pavese-b2-2024-voucher.toml",
        "pavese-b2-2024-assegno-autonomia.toml",
        "pavese-b2-2024-assegno-autonomia.v2.toml",
        "lombardia-assistenti-familiari-2007.toml",
    ],
)
def test_the_other_shipped_avvisi_send_everything(name: str) -> None:
    avviso = load_avviso(AVVISI / name)
    assert avviso.transmission_evaluation_unless == frozenset()
    assert avviso.evaluation_required({"b2_2023_finanziata", "b2_buono"})
