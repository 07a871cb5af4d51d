"""The answers file of ``caseworker score``: shape checks and Italian messages with field paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseworker_app.cli.score_command import human, payload
from caseworker_app.cli.score_command import restate_scoring_error as restate
from caseworker_app.definitions.scales import latest_scale
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Sex
from caseworker_app.domain.scales import score
from caseworker_app.messages import render
from caseworker_app.transfer.scale_answers_json import read_answers as read_sheet


def _file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "scheda.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_well_formed_sheet_is_read(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        {"scale": "iadl-lawton", "answers": {"cucina": None, "spesa": 2}, "sex": "F", "extra": 1},
    )
    sheet = read_sheet(path, expected_scale="iadl-lawton")
    assert sheet.answers == {"cucina": None, "spesa": 2}
    assert sheet.sex is Sex.F
    assert sheet.variant is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scale": "adl-katz", "answers": {"lavarsi": 1.0}}, "answers.lavarsi"),
        ({"scale": "adl-katz", "answers": {"lavarsi": True}}, "answers.lavarsi"),
        ({"scale": 3, "answers": {}}, "scale"),
        ({"answers": {}}, "scale"),
        ({"scale": "adl-katz", "answers": {}, "variant": 2}, "variant"),
        ({"scale": "adl-katz", "answers": {}, "sex": "m"}, "sex"),
        ({"scale": "adl-katz", "answers": {}, "version": "1"}, "version"),
    ],
)
def test_malformed_sheets_name_the_field(tmp_path: Path, data: object, field: str) -> None:
    with pytest.raises(UserFacingError) as err:
        read_sheet(_file(tmp_path, data), expected_scale="adl-katz")
    assert err.value.code == "cli.score_input"
    assert err.value.params["field"] == field
    message = render(err.value.code, err.value.params)
    assert "scheda.json" in message
    assert "{" not in message


@pytest.mark.parametrize(
    ("scale", "answers", "variant", "field"),
    [
        ("adl-katz", {"lavarsi": 9}, None, "answers.lavarsi"),
        ("adl-katz", {"lavarsi": None}, None, "answers.lavarsi"),
        ("adl-katz", {"nuoto": 1}, None, "answers.nuoto"),
        ("adl-katz", {}, "all_items", "variant"),
        ("iadl-lawton", {"telefono": 5}, None, "answers.telefono"),
        ("iadl-lawton", {}, "solo_uomini", "variant"),
        ("iadl-lawton", {}, "sex_specific", "sex"),
    ],
)
def test_scoring_errors_are_restated_with_the_field_path(
    scale: str, answers: dict[str, int | None], variant: str | None, field: str
) -> None:
    definition = latest_scale(scale)
    with pytest.raises(UserFacingError) as err:
        score(definition, answers, variant=variant)
    assert "{" not in render(err.value.code, err.value.params)
    restated = restate(err.value, "scheda.json", definition)
    assert restated.code == "cli.score_input"
    assert restated.params["field"] == field
    message = render(restated.code, restated.params)
    assert message.startswith(f"File scheda.json, campo «{field}»: ")
    assert "{" not in message


@pytest.mark.parametrize("scale", ["adl-katz", "iadl-lawton", "barthel"])
def test_output_keys_are_the_same_for_complete_and_draft_sheets(scale: str) -> None:
    definition = latest_scale(scale)
    full = {item.id: 1 for item in definition.items}
    complete = payload(definition, score(definition, full, sex=Sex.M))
    draft = payload(definition, score(definition, {}, sex=Sex.M))
    assert list(complete) == list(draft)
    assert complete["complete"] is True
    assert draft["complete"] is False
    assert human(definition, score(definition, {})).startswith(definition.title)
