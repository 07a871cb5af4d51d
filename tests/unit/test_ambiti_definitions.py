"""Ambito definition files load, and malformed ones fail naming file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker_app.definitions.ambiti import load_ambiti, load_ambito
from caseworker_app.domain.comuni import comune_by_code
from caseworker_app.domain.errors import UserFacingError


def test_shipped_ambiti_load_with_all_their_comuni() -> None:
    ambiti = load_ambiti()
    assert len(ambiti["abbiatense"].comuni) == 14
    assert len(ambiti["alto-basso-pavese"].comuni) == 48
    assert ambiti["abbiatense"].capofila == "A010"
    assert ambiti["alto-basso-pavese"].capofila == "E265"


def test_every_member_comune_exists_in_the_official_table() -> None:
    for ambito in load_ambiti().values():
        for member in ambito.comuni:
            assert comune_by_code(member.code) is not None, member.code


GOOD = """format = "caseworker.ambito/1"
id = "prova"
version = "1"
name = "Ambito di prova"
capofila = "A010"
comuni = [{ code = "A010", name = "Abbiategrasso" }]
"""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace('capofila = "A010"', 'capofila = "A127"'), "capofila"),
        (GOOD.replace('code = "A010"', 'code = "10A0"'), "comuni[0].code"),
        (GOOD.replace('format = "caseworker.ambito/1"', 'format = "x"'), "format"),
        (GOOD.replace('name = "Ambito di prova"\n', ""), "name"),
        (GOOD + 'avvisi = "non-un-elenco"\n', "avvisi"),
    ],
)
def test_malformed_definition_names_file_key_and_problem(
    tmp_path: Path,
    text: str,
    key: str,
) -> None:
    path = tmp_path / "prova.toml"
    path.write_text(text)
    with pytest.raises(UserFacingError) as err:
        load_ambito(path)
    assert err.value.code == "definitions.invalid"
    assert err.value.params["file"] == "prova.toml"
    assert err.value.params["key"] == key
    assert err.value.params["what"]
