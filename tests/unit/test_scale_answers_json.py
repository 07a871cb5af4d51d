"""The scale answers file of ``caseworker score``: its one reader and its writer agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Sex
from caseworker_app.transfer.scale_answers_json import Sheet, answers_json, read_answers

ITEMS = st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True)
SHEETS = st.builds(
    Sheet,
    scale=st.sampled_from(["adl-katz", "iadl-lawton", "barthel"]),
    answers=st.dictionaries(ITEMS, st.none() | st.integers(0, 9), max_size=12),
    sex=st.none() | st.sampled_from(list(Sex)),
    variant=st.none() | st.sampled_from(["all_items", "by_sex"]),
)


@given(SHEETS)
def test_what_the_writer_writes_the_reader_reads_back(sheet: Sheet) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "risposte.json"
        path.write_bytes(answers_json(sheet))
        assert read_answers(path, expected_scale=sheet.scale) == sheet


def test_a_key_twice_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "doppio.json"
    path.write_text('{"scale": "adl-katz", "answers": {}, "scale": "barthel"}')
    with pytest.raises(UserFacingError) as caught:
        read_answers(path, expected_scale="adl-katz", file="doppio.json")
    assert caught.value.params["file"] == "doppio.json"
