"""Avviso definition files: the shipped ones say exactly what measures.md says, malformed ones
fail naming file, key and what to do, and released files never change."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest

from caseworker_app.definitions.avvisi import get_avviso, load_avvisi, load_avviso
from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.avviso import (
    AgeGroup,
    AgeReq,
    Allocation,
    Avviso,
    CapKind,
    DisabilityAtom,
    DisabilityReq,
    DocumentsReq,
    FlagReq,
    IncompatibleReq,
    IseeReq,
    Missing,
    ResidenceReq,
    Severity,
    SubmissionReq,
    WindowPolicy,
)
from caseworker_app.messages import render

AVVISI = forms_dir() / "avvisi"
FIXTURE_2026 = Path(__file__).parents[1] / "fixtures" / "avvisi" / "later-editions-2026.toml"
L104 = (DisabilityAtom("l104_art3_c3"),)
ACCOMPAGNAMENTO = (DisabilityAtom("indennita_accompagnamento"),)


T = TypeVar("T")


def _req(avviso: Avviso, kind: type[T]) -> list[T]:
    return [r for r in avviso.requirements if isinstance(r, kind)]


def _one(avviso: Avviso, kind: type[T]) -> T:
    found = _req(avviso, kind)
    assert len(found) == 1, f"{avviso.id}: expected one {kind.__name__}"
    return found[0]


def _shipped(avviso_id: str) -> Avviso:
    """One shipped file on its own (the whole folder is loaded by test_all_shipped_avvisi_load)."""
    return load_avviso(AVVISI / f"{avviso_id}.toml")


def _isee_maxima(avviso: Avviso) -> dict[AgeGroup, Decimal | None]:
    return {g.age: g.maximum for g in _one(avviso, IseeReq).groups}


# -- the shipped files ----------------------------------------------------------------------


def test_all_shipped_avvisi_load() -> None:
    assert set(load_avvisi()) == {
        "abbiatense-caregiver-2023",
        "pavese-b2-2024-voucher",
        "pavese-b2-2024-assegno-autonomia",
        "lombardia-assistenti-familiari-2007",
    }


def test_caregiver_abbiatense_2023_matches_measures_section_2() -> None:
    a = _shipped("abbiatense-caregiver-2023")
    assert (a.ambito, a.allocation, a.template, a.unset) == (
        "abbiatense",
        Allocation.GRADUATORIA,
        False,
        (),
    )
    assert len(a.comuni) == 14 and "A010" in a.comuni and "C733" in a.comuni
    assert a.comuni["M424"] == (date(2019, 2, 11), None)  # Vermezzo con Zelo, merged 2019
    assert a.legal_basis == ("DGR XI/7605/2022", "DGR XI/7799/2023")
    assert [r.budget for r in a.rankings] == [Decimal("19453.77")]
    assert a.rankings[0].residual == "partial"
    assert a.total_cap == Decimal("1200.00")
    assert a.transmission_until == date(2024, 2, 20)
    assert a.window is not None
    assert (a.window.start, a.window.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert _one(a, SubmissionReq).closes == date(2024, 1, 22)
    isee = _one(a, IseeReq)
    assert isee.deadline == date(2024, 1, 31)
    assert _isee_maxima(a) == {
        AgeGroup.ADULT: Decimal("25000.00"),
        AgeGroup.MINOR: Decimal("40000.00"),
    }
    adult, minor = isee.groups
    assert adult.accepted[0] == "sociosanitario" and adult.fallback == ("ordinario",)
    assert minor.accepted == ("ordinario", "minorenni")
    assert _one(a, DisabilityReq).any_of == (L104, ACCOMPAGNAMENTO)
    assert {f.field for f in _req(a, FlagReq)} == {
        "beneficiary.lives_at_home",
        "care.family_caregiver_only",
    }
    assert {c: i.cap for c, i in a.interventions.items()} == {
        "rimborso_domiciliare": CapKind.COST,
        "rimborso_residenziale": CapKind.COST,
    }
    assert set(a.excluded) == {
        "compartecipazione_servizi_attivi",
        "sociosanitario",
        "cofinanziato_dopo_di_noi",
    }
    ranking = a.rankings[0]
    assert [(c.priority, c.in_place_any) for c in ranking.classes] == [
        (2, frozenset({"b2_2023_finanziata", "b2_buono", "semiresidenziale"})),
        (1, frozenset()),
    ]
    assert [(k.key, k.descending, k.missing) for k in ranking.order] == [
        ("isee", False, Missing.LAST),
        ("isee:ordinario", False, Missing.LAST),
        ("birth_date", False, Missing.LAST),
    ]


# fmt: off
PAVESE_COMUNI = [
    "A175", "A538", "A690", "A718", "A741", "A792", "A989", "B051", "B988", "C484", "C541", "C637",
    "C979", "M372", "D109", "B824", "D594", "D980", "E062", "E310", "E437", "E454", "E600", "E804",
    "E934", "E999", "F238", "F670", "G650", "H491", "H527", "I175", "I213", "I416", "E265", "I894",
    "L256", "L262", "L285", "L440", "L453", "L617", "L720", "L854", "L994", "M079", "M152", "M166",
]
# fmt: on


def test_pavese_voucher_2024_matches_measures_section_3() -> None:
    a = _shipped("pavese-b2-2024-voucher")
    assert (a.ambito, a.allocation, a.template, a.unset) == (
        "alto-basso-pavese",
        Allocation.SPORTELLO,
        False,
        (),
    )
    assert len(PAVESE_COMUNI) == 48
    assert sorted(a.comuni) == sorted(PAVESE_COMUNI)
    assert a.legal_basis == ("DGR XII/2033/2024",)
    assert len(a.rankings) == 1
    sportello = a.rankings[0]
    assert (sportello.budget, sportello.residual) == (Decimal("114050.91"), "partial")
    assert (sportello.classes, sportello.order, sportello.points) == ((), (), ())
    assert a.window is not None
    assert (a.window.start, a.window.end, a.window.policy) == (
        date(2024, 5, 1),
        date(2025, 4, 30),
        WindowPolicy.CUT,
    )
    caps = {c: (i.cap, i.amount, i.max_days) for c, i in a.interventions.items()}
    assert caps == {
        "a1_domiciliare": (CapKind.PER_MONTH, Decimal("650.00"), None),
        "a2_ricovero_sollievo": (CapKind.PER_DAY, Decimal("100.00"), 30),
        "a3_socio_educativo": (CapKind.PER_MONTH, Decimal("650.00"), None),
        "b_psicologico": (CapKind.ONCE, Decimal("600.00"), None),
        "c_formazione_caregiver": (CapKind.ONCE, Decimal("300.00"), None),
    }
    assert _one(a, ResidenceReq)
    assert _one(a, DisabilityReq).any_of == (L104, ACCOMPAGNAMENTO)
    assert _isee_maxima(a) == {
        AgeGroup.ADULT: Decimal("25000.00"),
        AgeGroup.MINOR: Decimal("40000.00"),
    }
    adult, minor = _one(a, IseeReq).groups
    assert adult.fallback == ("ordinario",) and "minorenni" in minor.accepted
    staff = _one(a, FlagReq)
    assert (staff.field, staff.expected, staff.unless_lines) == (
        "care.family_caregiver_only",
        True,
        frozenset({"c_formazione_caregiver"}),
    )
    assert _one(a, IncompatibleReq).measures == {
        "voucher_anziani_disabili",
        "residenziale_definitivo",
        "b1",
        "sollievo_fsr",
        "provi_assistente",
        "rsa_aperta",
        "home_care_premium",
    }
    assert not a.excluded and a.total_cap is None


def test_pavese_assegno_autonomia_2024_matches_measures_section_4() -> None:
    a = _shipped("pavese-b2-2024-assegno-autonomia")
    assert (a.ambito, a.allocation, a.template, a.unset) == (
        "alto-basso-pavese",
        Allocation.SPORTELLO,
        False,
        (),
    )
    assert sorted(a.comuni) == sorted(PAVESE_COMUNI)
    assert [(r.budget, r.residual) for r in a.rankings] == [(Decimal("9600.00"), "partial")]
    assert _one(a, DisabilityReq).any_of == (L104,)  # the indennità alone does not qualify
    assert _isee_maxima(a) == {
        AgeGroup.ADULT: Decimal("30000.00"),
        AgeGroup.MINOR: Decimal("30000.00"),
    }
    assert _one(a, IseeReq).groups[0].accepted[0] == "sociosanitario"
    age = _one(a, AgeReq)
    assert (age.minimum, age.maximum, age.severity) == (18, None, Severity.WARNING)
    flags = {f.field: (f.expected, f.severity) for f in _req(a, FlagReq)}
    assert flags == {
        "care.self_managed_project": (True, Severity.KO),
        "care.employed_assistant": (True, Severity.KO),
    }
    assert _one(a, IncompatibleReq).measures == {
        "b2_buono",
        "voucher_anziani_disabili",
        "residenziale_definitivo",
        "b1",
        "provi_assistente",
        "sollievo_fsr",
        "rsa_aperta",
        "home_care_premium",
    }
    item = a.interventions["assegno_autonomia"]
    assert (item.cap, item.amount) == (CapKind.PER_MONTH, Decimal("800.00"))
    assert list(a.interventions) == ["assegno_autonomia"]
    assert a.window is not None
    assert (a.window.start, a.window.end) == (date(2024, 5, 1), date(2025, 4, 30))


def test_assegno_autonomia_version_2_asks_everyone_for_the_isee_sociosanitario() -> None:
    """Measures §4, requirement 3: ISEE sociosanitario ≤ 30,000.00 for every destinatario; a
    minor gets the age warning only and is not judged on the ordinario (the voucher's rule)."""
    a = get_avviso("pavese-b2-2024-assegno-autonomia")
    assert a.version == "2"
    assert load_avvisi()["pavese-b2-2024-assegno-autonomia"].version == "2"
    groups = {g.age: g for g in _one(a, IseeReq).groups}
    assert set(groups) == {AgeGroup.ADULT, AgeGroup.MINOR}
    assert groups[AgeGroup.ADULT].accepted == ("sociosanitario", "sociosanitario_ristretto")
    assert groups[AgeGroup.MINOR].accepted == ("sociosanitario",)
    for group in groups.values():
        assert (group.maximum, group.fallback) == (Decimal("30000.00"), ())
        assert not {"ordinario", "minorenni"} & set(group.accepted)
    age = _one(a, AgeReq)
    assert (age.minimum, age.severity) == (18, Severity.WARNING)
    # Everything but the ISEE requirement is the same as in version 1, which stays readable to
    # re-render the evaluations made with it.
    v1 = get_avviso("pavese-b2-2024-assegno-autonomia", "1")
    assert v1.version == "1"
    assert _one(v1, IseeReq).groups[1].accepted == ("ordinario", "minorenni")
    assert replace(a, version="1", requirements=v1.requirements) == v1


def test_assistenti_familiari_2007_is_a_template_listing_its_unset_parameters() -> None:
    a = _shipped("lombardia-assistenti-familiari-2007")
    assert a.template and a.ambito == "*" and a.comuni == {}
    assert set(a.unset) == {
        "ambito",
        "allocation",
        "window",
        "rankings[0].budget",
        "requirements[2].groups[0].maximum",
        "requirements[2].groups[1].maximum",
        "interventions[0].amount",
        "interventions[1].amount",
    }
    assert set(a.interventions) == {"contributo_oneri_contributivi", "contributo_retribuzione"}
    assert _one(a, FlagReq).field == "care.employed_assistant"
    assert _one(a, ResidenceReq)
    assert _one(a, DocumentsReq).required == ()
    assert a.window is None and a.rankings[0].budget is None


def test_unknown_avviso_or_version_is_a_user_facing_error() -> None:
    with pytest.raises(UserFacingError) as err:
        get_avviso("pavese-b2-2025-voucher")
    assert err.value.code == "definitions.unknown_avviso"
    assert err.value.params["avviso"] == "pavese-b2-2025-voucher"
    assert "pavese-b2-2025-voucher" in render(err.value.code, err.value.params)
    assert get_avviso("pavese-b2-2024-voucher", "1") == load_avvisi()["pavese-b2-2024-voucher"]
    with pytest.raises(UserFacingError):
        get_avviso("pavese-b2-2024-voucher", "7")


def test_later_editions_fixture_expresses_measures_section_6() -> None:
    a = load_avviso(FIXTURE_2026)
    assert (a.measure, a.allocation, a.unset) == ("misura-sostegno", Allocation.GRADUATORIA, ())
    assert "Misura Sostegno" in a.title
    assert _one(a, SubmissionReq).opens == date(2026, 3, 2)
    # several rankings by target, each with its budget, the residual flowing forward
    assert [(r.id, r.min_age, r.max_age, r.budget, r.residual_to) for r in a.rankings] == [
        ("anziani", 65, None, Decimal("60000.00"), "adulti"),
        ("adulti", 18, 64, Decimal("30000.00"), "minori"),
        ("minori", None, 17, Decimal("20000.00"), None),
    ]
    assert a.rankings[2].residual == "skip"
    assert a.rankings[0].accepts(70, frozenset()) and not a.rankings[1].accepts(70, frozenset())
    # continuity first, with a code added by the file
    first = a.rankings[0].classes[0]
    assert first.priority == 1 and first.in_place_any == {"b2_buono", "b2_2025_buono"}
    # and/or disability
    assert _one(a, DisabilityReq).any_of == (
        (DisabilityAtom("invalidita_civile_percent", 100), DisabilityAtom("l104_art3_c3")),
        ACCOMPAGNAMENTO,
    )
    adult, minor = _one(a, IseeReq).groups
    assert "sociosanitario_ristretto" in adult.accepted and "corrente" in adult.accepted
    assert "corrente" in minor.accepted
    # points grid summed into the score
    assert a.rankings[0].order[0].key == "score" and a.rankings[0].order[0].descending
    sources = [p.source for p in a.rankings[0].points]
    assert sources == [
        "isee",
        "age",
        "extra:adl_lost",
        "flag:care.family_caregiver_only",
        "in_place:semiresidenziale",
    ]
    assert a.rankings[0].points[0].bands[0].high == Decimal("10000.00")
    assert a.rankings[1].order[1].key == "isee:corrente"
    # monthly buoni, one graded by hours
    graded = a.interventions["buono_assistente_personale"]
    assert graded.cap is CapKind.PER_MONTH_BY_HOURS and graded.hours_field == "ore_settimanali"
    assert [(b.min_hours, b.amount) for b in graded.bands] == [
        (Decimal("10"), Decimal("400.00")),
        (Decimal("20"), Decimal("600.00")),
        (Decimal("25.5"), Decimal("800.00")),
    ]
    assert a.interventions["buono_caregiver"].amount == Decimal("100.00")


# -- malformed files ------------------------------------------------------------------------

GOOD = """format = "caseworker.avviso/1"
id = "prova-2024"
version = "1"
title = "Avviso di prova"
measure = "prova"
ambito = "abbiatense"
legal_basis = ["DGR 1/2024"]
allocation = "sportello"

[[requirements]]
kind = "residence"
code = "residenza"
cite = "art. 1"

[[requirements]]
kind = "isee"
code = "isee"
cite = "art. 2"
groups = [{ age = "adult", accepted = ["sociosanitario"], maximum = "25000.00" }]

[[requirements]]
kind = "incompatible"
code = "incompatibilita"
cite = "art. 3"
measures = ["b1"]

[window]
start = 2024-05-01
end = 2025-04-30
policy = "cut"
cite = "art. 4"

[[interventions]]
code = "a1_domiciliare"
label = "Assistenza domiciliare"
cap = "per_month"
amount = "650.00"
cite = "art. 5"

[[rankings]]
id = "sportello"
label = "Sportello"
budget = "1000.00"
"""

GRADUATORIA = (
    GOOD.replace('allocation = "sportello"', 'allocation = "graduatoria"')
    + """
  [[rankings.classes]]
  priority = 1
  label = "Tutti"

  [[rankings.order]]
  key = "isee"
"""
)

SECOND_RANKING = """
[[rankings]]
id = "altri"
label = "Altri"
budget = "500.00"
"""

COMUNI = "comuni = [{}]\nallocation ="
FLAG = """
[[requirements]]
kind = "flag"
code = "solo"
field = "care.family_caregiver_only"
label = "solo caregiver"
cite = "art. 1"
unless_lines = ["c_formazione"]
"""
EXCLUDED = '[[excluded]]\ncode = "a1_domiciliare"\nreason = "no"\ncite = "art. 6"\n'
TWICE = GOOD[GOOD.index("[[interventions]]") : GOOD.index("[[rankings]]")]
ADULT2 = '"25000.00" }, { age = "adult", accepted = ["ordinario"], maximum = "1.00" }]'
NO_CLASSES = '  [[rankings.classes]]\n  priority = 1\n  label = "Tutti"\n'
NO_ORDER = '  [[rankings.order]]\n  key = "isee"\n'


POINTS = """
  [[rankings.points]]
  source = "isee"
  bands = [{ low = "0.00", high = "10000.00", points = 3 }, { low = "10000.00", points = 1 }]
"""
CONTINUITY = (
    '  [[rankings.classes]]\n  priority = 2\n  label = "B2"\n  in_place_any = ["b2_buono"]\n'
)
DISABILITY = """
[[requirements]]
kind = "disability"
code = "disabilita"
cite = "art. 1"
any_of = [["invalidita_civile_percent"]]
"""
A1_CAP = 'cap = "per_month"\namount = "650.00"'
HOURS = (
    'cap = "per_month_by_hours"\nhours_field = "ore"\n'
    'bands = [{ min_hours = 20, amount = "600.00" }, { min_hours = 10, amount = "400.00" }]'
)


def _grad(old: str, new: str) -> str:
    return GRADUATORIA.replace(old, new)


def _good(old: str, new: str) -> str:
    return GOOD.replace(old, new)


# (name, text, key, words the explanation must contain)
# fmt: off
MALFORMED = [
    ("top-level typo", _good("allocation =", 'budjet = "1.00"\nallocation ='),
     "budjet", "chiave sconosciuta"),
    ("nested typo", _good('policy = "cut"', 'polcy = "cut"'),
     "window.polcy", "chiave sconosciuta"),
    ("missing budget", _good('budget = "1000.00"\n', ""),
     "rankings[0].budget", "manca"),
    ("unknown requirement kind", _good('"incompatible"', '"incompatibile"'),
     "requirements[2].kind", "sconosciuto"),
    ("unknown cap kind", _good('"per_month"', '"mensile"'),
     "interventions[0].cap", "per_month"),
    ("money as a number", _good('amount = "650.00"', "amount = 650.00"),
     "interventions[0].amount", "due decimali"),
    ("money with one decimal", _good('"1000.00"', '"1000.0"'),
     "rankings[0].budget", "due decimali"),
    ("ISEE maximum with a comma", _good('"25000.00"', '"25000,00"'),
     "requirements[1].groups[0].maximum", "due decimali"),
    ("unknown ambito", _good('"abbiatense"', '"abbiatensee"'),
     "ambito", "sconosciuto"),
    ("ambito * outside a template", _good('"abbiatense"', '"*"'),
     "ambito", "template"),
    ("comune outside the ambito", _good("allocation =", COMUNI.format('"A010", "E265"')),
     "comuni[1]", "non fa parte"),
    ("comune that does not exist", _good("allocation =", COMUNI.format('"Z999"')),
     "comuni[0]", "non corrisponde"),
    ("window ending before it starts", _good("end = 2025-04-30", "end = 2024-04-30"),
     "window.end", "precede"),
    ("several windows", _good("[window]", "[[window]]"),
     "window", "tabella"),
    ("intervention listed twice", GOOD + TWICE,
     "interventions[1].code", "due volte"),
    ("excluded code that is an intervention", GOOD + EXCLUDED,
     "excluded[0].code", "anche un intervento"),
    ("unknown ISEE type", _good('["sociosanitario"]', '["sociosanitario", "isee_ordinario"]'),
     "requirements[1].groups[0].accepted[1]", "sconosciuto"),
    ("overlapping ISEE groups", _good('"25000.00" }]', ADULT2),
     "requirements[1].groups[1].age", "sovrapporsi"),
    ("in_place code not canonical", _good('measures = ["b1"]', 'measures = ["b1", "b3"]'),
     "requirements[2].measures[1]", "extra_codes"),
    ("residual neither partial nor skip", GOOD + 'residual = "tutto"\n',
     "rankings[0].residual", "partial"),
    ("residual_to an unknown ranking", GOOD + 'residual_to = "altri"\n',
     "rankings[0].residual_to", "non esiste"),
    ("residual_to an earlier ranking", GOOD + SECOND_RANKING + 'residual_to = "sportello"\n',
     "rankings[1].residual_to", "precedente"),
    ("graduatoria without rankings", GRADUATORIA[: GRADUATORIA.index("[[rankings]]")],
     "rankings", "manca"),
    ("graduatoria ranking without classes", _grad(NO_CLASSES, ""),
     "rankings[0].classes", "classe"),
    ("graduatoria ranking without order", _grad(NO_ORDER, ""),
     "rankings[0].order", "ordinamento"),
    ("order key outside the vocabulary", _grad('key = "isee"', 'key = "eta"'),
     "rankings[0].order[0].key", "non ammessa"),
    ("order key on an unknown ISEE type", _grad('key = "isee"', 'key = "isee:familiare"'),
     "rankings[0].order[0].key", "isee:<tipo>"),
    ("score without a points grid", _grad('key = "isee"', 'key = "score"'),
     "rankings[0].order", "points"),
    ("sportello with classes", _grad('"graduatoria"', '"sportello"'),
     "rankings[0].classes", "sportello"),
    ("unless_lines naming no intervention", GOOD + FLAG,
     "requirements[3].unless_lines[0]", "non è un intervento"),
    ("newer format", _good("caseworker.avviso/1", "caseworker.avviso/2"),
     "format", "aggiorna il programma"),
    ("points bands overlapping", _grad('key = "isee"', 'key = "score"') + POINTS,
     "rankings[0].points[0].bands[1]", "sovrappone"),
    ("everyone's class not last", _grad(NO_CLASSES, NO_CLASSES + CONTINUITY),
     "rankings[0].classes[1]", "ultima"),
    ("percentage without minimum", GOOD + DISABILITY,
     "requirements[3].any_of[0][0]", "minimum"),
    ("hour bands not increasing", _good(A1_CAP, HOURS),
     "interventions[0].bands[1].min_hours", "crescenti"),
    ("not TOML", _good('title = "Avviso di prova"', "title = Avviso di prova"),
     "", "TOML"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "key", "words"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_definition_names_file_key_and_what_to_do(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = tmp_path / "prova-2024.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserFacingError) as err:
        load_avviso(path)
    assert err.value.code == "definitions.invalid"
    assert err.value.params["file"] == "prova-2024.toml"
    assert err.value.params["key"] == key
    what = str(err.value.params["what"])
    assert words in what and len(what) > 25, what
    assert key in render(err.value.code, err.value.params)


def test_the_well_formed_bases_of_the_malformed_cases_load(tmp_path: Path) -> None:
    for text in (GOOD, GRADUATORIA, GOOD + SECOND_RANKING):
        path = tmp_path / "prova-2024.toml"
        path.write_text(text, encoding="utf-8")
        assert load_avviso(path).id == "prova-2024"


def test_a_new_in_place_code_is_accepted_once_declared_in_extra_codes(tmp_path: Path) -> None:
    text = GOOD.replace('measures = ["b1"]', 'measures = ["b1", "b3"]').replace(
        "allocation =", 'extra_codes = ["b3"]\nallocation ='
    )
    path = tmp_path / "prova-2024.toml"
    path.write_text(text, encoding="utf-8")
    assert _one(load_avviso(path), IncompatibleReq).measures == {"b1", "b3"}


def test_a_template_may_leave_parameters_out_and_lists_them(tmp_path: Path) -> None:
    text = (
        GOOD.replace('budget = "1000.00"\n', "")
        .replace(', maximum = "25000.00"', "")
        .replace('amount = "650.00"\n', "")
        .replace('allocation = "sportello"\n', "template = true\n")
    )
    path = tmp_path / "prova-2024.toml"
    path.write_text(text, encoding="utf-8")
    avviso = load_avviso(path)
    assert set(avviso.unset) == {
        "allocation",
        "rankings[0].budget",
        "requirements[1].groups[0].maximum",
        "interventions[0].amount",
    }


# -- versions and the folder ----------------------------------------------------------------


def _forms(tmp_path: Path, files: dict[str, str]) -> Path:
    shutil.copytree(forms_dir() / "ambiti", tmp_path / "ambiti")
    (tmp_path / "avvisi").mkdir()
    for name, text in files.items():
        (tmp_path / "avvisi" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_newest_version_of_an_avviso_is_the_one_in_use(tmp_path: Path) -> None:
    v2 = GOOD.replace('version = "1"', 'version = "2"').replace('"1000.00"', '"1500.00"')
    folder = _forms(tmp_path, {"prova-2024.toml": GOOD, "prova-2024.v2.toml": v2})
    avviso = load_avvisi(folder)["prova-2024"]
    assert (avviso.version, avviso.rankings[0].budget) == ("2", Decimal("1500.00"))


def test_a_file_named_unlike_its_id_and_version_is_refused(tmp_path: Path) -> None:
    v2 = GOOD.replace('version = "1"', 'version = "2"')
    folder = _forms(tmp_path, {"prova-2024.toml": GOOD, "prova-2024-bis.toml": v2})
    with pytest.raises(UserFacingError) as err:
        load_avvisi(folder)
    assert err.value.params["file"] == "prova-2024-bis.toml"
    assert err.value.params["key"] == "id"
    assert "prova-2024.v2.toml" in str(err.value.params["what"])


# -- released files are immutable -----------------------------------------------------------

# SHA-256 of each released file of forms/avvisi (line endings normalised to LF, so that a
# Windows checkout gives the same digest).
RELEASED = {
    "abbiatense-caregiver-2023.toml": (
        "c5c451759fc5b8cda4c8dda6e18bda2d32477bd271eb21257aa2f9b96b7b3163"
    ),
    "pavese-b2-2024-voucher.toml": (
        "35e6a721042a974fcfe81714acbfa5466777004a40db733d82920190d810d23c"
    ),
    "pavese-b2-2024-assegno-autonomia.toml": (
        "7c6f25a053092210c4e3477d946e59e7fc3092f46f6bb339cdb91bc7282f8d4e"
    ),
    "pavese-b2-2024-assegno-autonomia.v2.toml": (
        "e7130324f50e35c7a5b064764704681cef6063a7efe3958ce3d90abec8d7ab89"
    ),
    "lombardia-assistenti-familiari-2007.toml": (
        "f2a24e1dad07c05b1f7d0fdf4964c3a55040443347b0c67d2d29790c5d0dc5cb"
    ),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def test_released_avviso_files_never_change() -> None:
    found = {p.name: _digest(p) for p in sorted(AVVISI.glob("*.toml"))}
    for name, digest in found.items():
        assert name in RELEASED, (
            f"{name} is a new definition file: once it is final, add "
            f'"{name}": "{digest}" to RELEASED in this test.'
        )
        assert digest == RELEASED[name], (
            f"{name} has changed, but a released avviso definition is immutable (evaluations "
            "and rankings made with it must re-render the same). Restore the file and make a "
            'new version instead: copy it to <id>.v<N>.toml with version = "<N>" and change '
            "the copy (forms/avvisi/README.md, 'New versions'). Only if this file was never "
            "released (never shipped) may its digest here be updated instead."
        )
    deleted = sorted(RELEASED.keys() - found.keys())
    assert not deleted, f"released definitions deleted: {deleted}; restore them"
