"""Scale definition files: the released ones are pinned, carry the wording of scales.md, and
malformed ones fail naming file, key path and problem (style rule 13)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from caseworker_app.definitions.locate import forms_dir
from caseworker_app.definitions.scales import get_scale, latest_scale, load_scale, load_scales
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.scales import ScaleDefinition, ValueKind

# A released definition is immutable: an old assessment must re-render the same forever. If this
# test fails, do not update the hash: restore the file and put the change in a new version file.
# (Hashes are of the text with LF line endings, so a Windows checkout gives the same value.)
RELEASED = {
    "adl-katz/1.toml": "f4581a36372805ff2916dc2aaa3380706bb8289c9e7f56c4cd28466aa53445f7",
    "adl-katz/2.toml": "dad86bc02d2cb7cdf38048f288616c74a1913ffeb2de76fdb90834394ba63661",
    "barthel/1.toml": "855ab34f1914d8f0fcdfd0216f68b16fc00aed676221616ad5c7ca6d91f5c1e8",
    "barthel/2.toml": "90697bcc825c4c01f1794ea913e25528047ceffeef3684af61ae7a7181069abb",
    "iadl-lawton/1.toml": "0b16b74ae5ef9ec923512f3ca2663ce2986f768a086fc22d24aae938108166d0",
    "iadl-lawton/2.toml": "9b5bd3d43e9f67e34e99b989c5ba1c34a4faba1fd187e2cd44aa16c85718d754",
}
SCALES_DIR = forms_dir() / "scales"
SPEC = Path(__file__).resolve().parents[3] / "shared" / "domain" / "scales.md"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


@pytest.mark.parametrize("name", sorted(RELEASED))
def test_released_definition_files_never_change(name: str) -> None:
    assert _digest(SCALES_DIR / name) == RELEASED[name], (
        f"{name} is released and immutable: restore it and add a new version file instead"
    )


def test_every_definition_file_is_pinned() -> None:
    shipped = {p.relative_to(SCALES_DIR).as_posix() for p in SCALES_DIR.glob("*/*.toml")}
    assert shipped == set(RELEASED)


def test_shipped_scales_load() -> None:
    scales = load_scales()
    assert sorted(scales) == [
        ("adl-katz", "1"),
        ("adl-katz", "2"),
        ("barthel", "1"),
        ("barthel", "2"),
        ("iadl-lawton", "1"),
        ("iadl-lawton", "2"),
    ]
    assert scales[("adl-katz", "1")].values is ValueKind.AUTONOMY
    assert scales[("barthel", "1")].max_total == 100
    assert scales[("iadl-lawton", "1")].default_variant == "all_items"


def test_only_iadl_items_accept_not_applicable() -> None:
    for (scale_id, _), definition in load_scales().items():
        accepting = {i.accepts_not_applicable for i in definition.items}
        assert accepting == {scale_id == "iadl-lawton"}


def test_wording_is_the_one_of_the_municipal_forms() -> None:
    katz = get_scale("adl-katz", "1")  # version 2 corrects "lavarsi" (Katz 1963), see below
    lavarsi = katz.item("lavarsi")
    assert lavarsi is not None
    assert lavarsi.text == "Lavarsi (spugnature, vasca o doccia)"
    assert lavarsi.options[2].text == "riceve aiuto per più di una parte del corpo, o non si lava"
    uso = katz.item("uso_servizi")
    assert uso is not None
    assert uso.options[1].text == (
        "riceve aiuto per andare ai servizi, pulirsi, rivestirsi o usare padella/comoda"
    )
    casa = latest_scale("iadl-lawton").item("governo_casa")
    assert casa is not None
    assert casa.options[3].text == "ha bisogno di aiuto in tutte le faccende"
    walk = latest_scale("barthel").item("deambulazione")
    assert walk is not None
    assert walk.options[3].text == "indipendente oltre 45 m (ausili ammessi, non il girello)"
    assert walk.options[3].value == 15
    transfer = latest_scale("barthel").item("trasferimento_letto_sedia")
    assert transfer is not None
    assert transfer.text == "Trasferimento letto–sedia"


def test_katz_version_2_classes_help_to_get_in_or_out_of_the_tub_as_dependent() -> None:
    """Katz 1963, bathing: "assistance in getting in or out of tub" is dependent, and a person
    who washes by shower fits the options. Version 1 had no option for the first (its option 1
    spoke of the tub only); version 2 is the default for new sheets."""
    katz = latest_scale("adl-katz")
    assert katz.version == "2"
    lavarsi = katz.item("lavarsi")
    assert lavarsi is not None
    assert lavarsi.text == "Lavarsi (spugnature, vasca o doccia)"
    independent, one_part, dependent = lavarsi.options
    assert (independent.value, one_part.value, dependent.value) == ("A", "A", "D")
    assert "doccia" in independent.text and "senza aiuto" in independent.text
    assert "una parte del corpo" in one_part.text
    assert "entrare o uscire dalla vasca o dalla doccia" in dependent.text
    assert "più di una parte del corpo" in dependent.text and "non si lava" in dependent.text
    old = get_scale("adl-katz", "1").item("lavarsi")
    assert old is not None and not any("uscire" in o.text for o in old.options if o.value == "D")
    # Only the wording of "lavarsi" changed: the other items, the values, the hierarchy and the
    # SINA levels are the same, so a re-assessment compares with a version 1 sheet.
    v1 = get_scale("adl-katz", "1")
    assert [i for i in katz.items if i.id != "lavarsi"] == [
        i for i in v1.items if i.id != "lavarsi"
    ]
    assert [o.value for o in old.options] == [o.value for o in lavarsi.options]
    assert (katz.hierarchy, katz.sina_levels) == (v1.hierarchy, v1.sina_levels)


def _barthel_totals(definition: ScaleDefinition) -> set[int]:
    totals = {0}
    for item in definition.items:
        totals = {t + o.credit for t in totals for o in item.options}
    return totals


def test_barthel_file_says_its_mild_band_can_only_hold_95() -> None:
    """With the 5-point weights every total is a multiple of 5: the 91-99 band ("lieve", Shah
    1989) holds 95 only, and version 2 of the file says so; the scoring is that of version 1."""
    barthel = latest_scale("barthel")
    assert barthel.version == "2"
    lieve = next(b for b in barthel.bands if b.code == "lieve")
    assert (lieve.low, lieve.high) == (91, 99)
    reachable = _barthel_totals(barthel)
    assert {t for t in reachable if lieve.low <= t <= lieve.high} == {95}
    text = (SCALES_DIR / "barthel" / "2.toml").read_text(encoding="utf-8")
    note = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    assert "91-99" in note and "only total this band can hold is 95" in note
    v1 = get_scale("barthel", "1")
    assert (barthel.items, barthel.bands) == (v1.items, v1.bands)


def _spec_rows(section: str) -> list[list[str]]:
    text = SPEC.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in body.splitlines()
        if line.startswith("| `")
    ]


@pytest.mark.skipif(not SPEC.exists(), reason="shared/domain/scales.md is not next to the repo")
def test_every_item_and_option_matches_scales_md() -> None:
    expected: dict[tuple[str, str], list[tuple[str, list[tuple[str, str | int]]]]] = {}
    expected[("adl-katz", "1")] = [
        (f"{row[0].strip('`')}|{row[1]}", [(o[3:], o[0]) for o in row[2:]])
        for row in _spec_rows("ADL")
    ]
    lawton = []
    for row in _spec_rows("IADL"):
        options = [re.fullmatch(r"(\d) (.+) → (\d)", o) for o in row[2].split(" · ")]
        lawton.append((f"{row[0].strip('`')}|{row[1]}", [(m[2], int(m[3])) for m in options if m]))
    expected[("iadl-lawton", "1")] = lawton
    expected[("barthel", "1")] = [
        (
            f"{row[0].strip('`')}|{row[1]}",
            [(o.split(" ", 1)[1], int(o.split(" ", 1)[0])) for o in row[2].split(" · ")],
        )
        for row in _spec_rows("Barthel")
    ]
    for key, items in expected.items():
        definition = get_scale(*key)
        found = [
            (f"{i.id}|{i.text}", [(o.text, o.value) for o in i.options]) for i in definition.items
        ]
        assert found == items, key


# --- malformed files ---------------------------------------------------------------------------

POINTS = """format = "caseworker.scale/1"
id = "prova"
version = "1"
title = "Scala di prova"
values = "points"

[[items]]
id = "primo"
text = "Primo"
options = [
  { n = 1, value = 0, text = "no" },
  { n = 2, value = 5, text = "sì" },
]

[[items]]
id = "secondo"
text = "Secondo"
options = [
  { n = 1, value = 0, text = "no" },
  { n = 2, value = 5, text = "sì" },
]

[[bands]]
code = "bassa"
label = "bassa"
low = 0
high = 4

[[bands]]
code = "alta"
label = "alta"
low = 5
high = 10
"""

VARIANTS = """format = "caseworker.scale/1"
id = "prova"
version = "1"
title = "Scala di prova"
values = "points"
not_applicable_label = "non applicabile"
default_variant = "tutti"

[[items]]
id = "primo"
text = "Primo"
not_applicable = true
options = [{ n = 1, value = 1, text = "sì" }, { n = 2, value = 0, text = "no" }]

[[items]]
id = "secondo"
text = "Secondo"
options = [{ n = 1, value = 1, text = "sì" }, { n = 2, value = 0, text = "no" }]

[[variants]]
id = "tutti"
title = "Tutti"

[[variants]]
id = "per_sesso"
title = "Per sesso"

[variants.items_by_sex]
M = ["primo"]
F = ["primo", "secondo"]
"""

AUTONOMY = """format = "caseworker.scale/1"
id = "prova"
version = "1"
title = "Scala di prova"
values = "autonomy"

[[items]]
id = "primo"
text = "Primo"
options = [{ n = 1, value = "A", text = "sì" }, { n = 2, value = "D", text = "no" }]

[[items]]
id = "secondo"
text = "Secondo"
options = [{ n = 1, value = "A", text = "sì" }, { n = 2, value = "D", text = "no" }]

[hierarchy]
otherwise = "Altro"

[[hierarchy.classes]]
code = "A"
lost = 0

[[hierarchy.classes]]
code = "B"
lost = 1
lost_includes = ["primo"]

[[sina_levels]]
level = 1
label = "autonomo"
lost_from = 0
lost_to = 0

[[sina_levels]]
level = 2
label = "dipendente"
lost_from = 1
lost_to = 2
"""


@pytest.mark.parametrize("good", [POINTS, VARIANTS, AUTONOMY])
def test_the_malformation_bases_are_valid(tmp_path: Path, good: str) -> None:
    path = tmp_path / "prova" / "1.toml"
    path.parent.mkdir()
    path.write_text(good, encoding="utf-8")
    assert load_scale(path).id == "prova"


MALFORMED = [
    (POINTS.replace("caseworker.scale/1", "caseworker.scale/9"), "format"),
    (POINTS.replace('version = "1"', 'version = "2"'), "version"),
    (POINTS.replace('version = "1"', "version = 1"), "version"),
    (POINTS.replace('values = "points"', 'values = "stelle"'), "values"),
    (POINTS.replace('title = "Scala di prova"\n', ""), "title"),
    (POINTS.split("[[items]]")[0], "items"),
    (POINTS.replace('id = "secondo"', 'id = "primo"'), "items[1]"),
    (POINTS.replace('id = "secondo"', 'id = "Secondo!"'), "items[1].id"),
    (POINTS.replace("{ n = 2, value = 5", "{ n = 3, value = 5", 1), "items[0].options[1].n"),
    (POINTS.replace("{ n = 1, value = 0", "{ n = 0, value = 0", 1), "items[0].options[0].n"),
    (POINTS.replace("value = 5", 'value = "A"', 1), "items[0].options[1].value"),
    (POINTS.replace("value = 5", "value = -5", 1), "items[0].options[1].value"),
    (POINTS.replace("value = 5", "value = 0", 1), "items[0].options"),
    (POINTS.replace('text = "Primo"', 'text = "Primo"\ncolore = "blu"'), "items[0].colore"),
    (
        POINTS.replace('text = "Primo"', 'text = "Primo"\nnot_applicable = "sì"'),
        "items[0].not_applicable",
    ),
    (POINTS.replace("high = 4", "high = 5"), "bands[1]"),
    (POINTS.replace("high = 4", "high = 3"), "bands[1]"),
    (POINTS.replace("high = 10", "high = 9"), "bands"),
    (POINTS.replace('code = "alta"', 'code = "bassa"'), "bands[1]"),
    (
        POINTS + '\n[hierarchy]\notherwise = "X"\nclasses = [{ code = "A", lost = 0 }]\n',
        "hierarchy",
    ),
    (
        POINTS.replace("[[items]]", "not_applicable_label = 'na'\n[[items]]", 1),
        "not_applicable_label",
    ),
    (POINTS.replace('values = "points"', "values = 'points'\ncolore = 1"), "colore"),
    (POINTS.replace('title = "Scala di prova"', 'title = "Scala di prova'), ""),
    (VARIANTS.replace('M = ["primo"]', 'M = ["primo", "terzo"]'), "variants[1].items_by_sex.M[1]"),
    (VARIANTS.replace('M = ["primo"]\n', ""), "variants[1].items_by_sex.M"),
    (VARIANTS.replace('default_variant = "tutti"', 'default_variant = "altri"'), "default_variant"),
    (VARIANTS.replace('id = "per_sesso"', 'id = "tutti"'), "variants[1]"),
    (
        VARIANTS.replace('title = "Tutti"', 'title = "Tutti"\nitems = ["quarto"]'),
        "variants[0].items[0]",
    ),
    (VARIANTS.replace('not_applicable_label = "non applicabile"\n', ""), "not_applicable_label"),
    (VARIANTS + '\n[[bands]]\ncode = "x"\nlabel = "x"\nlow = 0\nhigh = 2\n', "bands"),
    (
        AUTONOMY.replace('lost_includes = ["primo"]', 'lost_includes = ["nuoto"]'),
        "hierarchy.classes[1].lost_includes[0]",
    ),
    (AUTONOMY.replace('lost = 1\nlost_includes = ["primo"]', "lost = 0"), "hierarchy.classes[1]"),
    (AUTONOMY.replace("lost = 1", "lost = 3"), "hierarchy.classes[1].lost"),
    (AUTONOMY.replace('otherwise = "Altro"', 'otherwise = "A"'), "hierarchy.otherwise"),
    (AUTONOMY.replace('value = "D"', 'value = "X"', 1), "items[0].options[1].value"),
    (AUTONOMY.replace("lost_to = 2", "lost_to = 1"), "sina_levels"),
    (AUTONOMY.replace("lost_from = 1", "lost_from = 2"), "sina_levels[1]"),
]


@pytest.mark.parametrize(("text", "key"), MALFORMED)
def test_malformed_definition_names_file_key_and_problem(
    tmp_path: Path, text: str, key: str
) -> None:
    path = tmp_path / "prova" / "1.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserFacingError) as err:
        load_scale(path)
    assert err.value.code == "definitions.invalid"
    assert err.value.params["file"] == "prova/1.toml"
    assert err.value.params["key"] == key
    assert err.value.params["what"]


def _forms(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "scales" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_definition_must_sit_in_the_folder_of_its_id(tmp_path: Path) -> None:
    folder = _forms(tmp_path, {"altra/1.toml": POINTS})
    with pytest.raises(UserFacingError) as err:
        load_scales(folder)
    assert (err.value.params["file"], err.value.params["key"]) == ("altra/1.toml", "id")


def test_a_scale_needs_a_default_version(tmp_path: Path) -> None:
    alternative = POINTS.replace('version = "1"', 'version = "1"\nalternative = true')
    folder = _forms(tmp_path, {"prova/1.toml": alternative})
    with pytest.raises(UserFacingError) as err:
        load_scales(folder)
    assert err.value.params["key"] == "alternative"


def test_latest_scale_skips_alternatives_and_picks_the_highest_version(tmp_path: Path) -> None:
    v2 = POINTS.replace('version = "1"', 'version = "2"')
    v10 = POINTS.replace('version = "1"', 'version = "10"')
    v11 = POINTS.replace('version = "1"', 'version = "11"\nalternative = true')
    folder = _forms(
        tmp_path,
        {"prova/1.toml": POINTS, "prova/2.toml": v2, "prova/10.toml": v10, "prova/11.toml": v11},
    )
    assert latest_scale("prova", folder=folder).version == "10"
    assert get_scale("prova", "11", folder=folder).version == "11"


def test_unknown_scale_or_version_is_reported() -> None:
    with pytest.raises(UserFacingError) as err:
        latest_scale("mmse")
    assert err.value.code == "definitions.unknown_scale"
    assert "adl-katz" in str(err.value.params["scales"])
    with pytest.raises(UserFacingError) as err:
        get_scale("adl-katz", "7")
    assert err.value.code == "definitions.unknown_scale_version"
    assert err.value.params["versions"] == "1, 2"
