"""Worked examples of ``caseworker check``, derived from measures.md and interchange.md §2 alone.

Each test is one istanza that differs from a plain admissible case in the one fact its rule is
about. Expected values come from the specification (and the decisions written in the avviso
definition files); the engine's code was not read to write them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .examples.builders import (
    ASSEGNO,
    CAREGIVER,
    TEMPLATE,
    VOUCHER,
    Record,
    assert_cites,
    assert_ko,
    assert_no_ko,
    check,
    cli,
    isee,
    istanza,
    line,
    the_check,
    the_line,
    write,
)

# Check codes. The caregiver ones are written in forms/avvisi/abbiatense-caregiver-2023.toml;
# the Pavese ones are the product's names for the same requirements (measures.md §3, §4).
RESIDENZA = "residenza"
DOMICILIO = "domicilio"
SOLO_CAREGIVER = "solo_caregiver"
DISABILITA = "disabilita"
ISEE = "isee"
TERMINE = "termine_presentazione"
INCOMPATIBILI = "incompatibilita"
PROGETTO = "progetto_autogestito"
ASSISTENTE = "assistente_assunto"
MAGGIORE_ETA = "maggiore_eta"

# ============================================================================================
# Caregiver familiare, Ambito dell'Abbiatense 2023 (measures.md §2)
# ============================================================================================


def test_caregiver_plain_case_is_admissible(tmp_path: Path) -> None:
    """Resident in Abbiategrasso (A010), at home, only the family caregiver, L.104 c.3,
    ISEE sociosanitario 18,500.00 ≤ 25,000.00, submitted 15/01/2024 ≤ 22/01/2024, one home-care
    expense of 900.00 in 2023. B2 2023 "ammessa non finanziata" → priority class 1.
    Amount = min(1,200.00, 900.00) = 900.00."""
    v = check(tmp_path, istanza(CAREGIVER, in_place=["b2_2023_ammessa_non_finanziata"]))
    assert v["istanza"] == "T-0001"
    assert v["avviso"] == CAREGIVER
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "900.00"
    assert v["priority_class"] == 1
    for code in (RESIDENZA, DOMICILIO, SOLO_CAREGIVER, DISABILITA, ISEE, TERMINE):
        assert the_check(v, code)["status"] == "ok", code
    for c in v["checks"]:
        assert_cites(c["message"])
    ln = the_line(v, "rimborso_domiciliare")
    assert (ln["requested"], ln["granted"], ln["status"]) == ("900.00", "900.00", "ok")
    assert_cites(ln["message"])


@pytest.mark.parametrize(
    ("code", "name"),
    [("M424", "Vermezzo con Zelo (merged 2019)")],
)
def test_caregiver_resident_in_an_ambito_comune(tmp_path: Path, code: str, name: str) -> None:
    """Requirement 1: residence in one of the 14 comuni of the Abbiatense. Vermezzo con Zelo
    (M424, merged 2019) is one of them, keyed by its Belfiore code, so the residence check is ok
    and the istanza admissible."""
    v = check(tmp_path, istanza(CAREGIVER, comune=code))
    assert the_check(v, RESIDENZA)["status"] == "ok", name
    assert_cites(the_check(v, RESIDENZA)["message"])
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "900.00"


@pytest.mark.parametrize(("code", "name"), [("E265", "Siziano, capofila of the Pavese")])
def test_caregiver_resident_outside_the_ambito(tmp_path: Path, code: str, name: str) -> None:
    """Requirement 1: residence in Siziano (Pavese) or Milano is outside the Abbiatense → residenza
    ko, non_ammissibile, amount 0.00 (a non_ammissibile istanza has amount 0.00)."""
    v = check(tmp_path, istanza(CAREGIVER, comune="A010", residence=code))
    assert_ko(v, RESIDENZA, r"residen")


def test_caregiver_not_living_at_home(tmp_path: Path) -> None:
    """Requirement 2: the beneficiary must live at home; lives_at_home false → ko."""
    v = check(tmp_path, istanza(CAREGIVER, lives_at_home=False))
    assert_ko(v, DOMICILIO, r"domicilio")


def test_caregiver_with_paid_care_staff(tmp_path: Path) -> None:
    """Requirement 3: assisted only by the family caregiver. Paid care staff present
    (family_caregiver_only false) → ko, whatever the expenses."""
    v = check(tmp_path, istanza(CAREGIVER, family_caregiver_only=False, employed_assistant=True))
    assert_ko(v, SOLO_CAREGIVER, r"caregiver|personale")


@pytest.mark.parametrize(("l104", "indennita"), [(False, True), (True, True)], ids=["ind", "both"])
def test_caregiver_disability_either_suffices(tmp_path: Path, l104: bool, indennita: bool) -> None:
    """Requirement 4: L.104/1992 art. 3 c. 3 OR indennità di accompagnamento; the indennità alone
    suffices (L.104 alone is the plain case) → disabilita ok, admissible, 900.00."""
    v = check(tmp_path, istanza(CAREGIVER, l104=l104, indennita=indennita))
    assert the_check(v, DISABILITA)["status"] == "ok"
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "900.00"


def test_caregiver_disability_neither(tmp_path: Path) -> None:
    """Requirement 4: neither L.104 c.3 nor the indennità → disabilita ko."""
    v = check(tmp_path, istanza(CAREGIVER, l104=False, indennita=False))
    assert_ko(v, DISABILITA, r"104|accompagnamento")


def test_caregiver_isee_exactly_at_the_ceiling_passes(tmp_path: Path) -> None:
    """Requirement 5, inclusive ceiling ("fino a"): adult, ISEE sociosanitario 25,000.00 ≤
    25,000.00 → ok."""
    record = istanza(
        CAREGIVER, isee_list=[isee("sociosanitario", "25000.00"), isee("ordinario", "26000.00")]
    )
    v = check(tmp_path, record)
    assert the_check(v, ISEE)["status"] == "ok"
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "900.00"


def test_caregiver_isee_one_cent_over_the_ceiling(tmp_path: Path) -> None:
    """Requirement 5: adult, ISEE sociosanitario 25,000.01 > 25,000.00 → ko; the message gives
    the ceiling."""
    record = istanza(
        CAREGIVER, isee_list=[isee("sociosanitario", "25000.01"), isee("ordinario", "20000.00")]
    )
    ko = assert_ko(check(tmp_path, record), ISEE, r"ISEE")
    assert "25.000,00" in ko["message"] or "25000.00" in ko["message"], ko["message"]


@pytest.mark.parametrize(
    ("isee_list", "status"),
    [
        ([isee("ordinario", "40000.00")], "ok"),
        ([isee("minorenni", "35000.00")], "ok"),
        ([isee("sociosanitario", "10000.00"), isee("ordinario", "45000.00")], "ko"),
    ],
    ids=["ordinario-40000.00", "minorenni-35000", "ss-low-ordinario-high"],
)
def test_caregiver_minor_judged_on_the_ordinario(
    tmp_path: Path, isee_list: list[dict[str, str]], status: str
) -> None:
    """Requirement 5 for a minor (born 2010-05-01, 13 on 15/01/2024): ISEE ordinario ≤ 40,000.00,
    inclusive; the ISEE minorenni is accepted in its place. A low sociosanitario does not rescue
    an ordinario of 45,000.00: minors are judged on the ordinario."""
    v = check(tmp_path, istanza(CAREGIVER, birth_date="2010-05-01", isee_list=isee_list))
    if status == "ok":
        assert the_check(v, ISEE)["status"] == "ok"
        assert v["outcome"] == "ammissibile"
        assert v["amount"] == "900.00"
    else:
        assert_ko(v, ISEE, r"ISEE")


@pytest.mark.parametrize(
    ("birth_date", "status"), [("2006-01-15", "ko"), ("2006-01-16", "ok")], ids=["18", "17"]
)
def test_caregiver_age_on_the_submission_day(tmp_path: Path, birth_date: str, status: str) -> None:
    """Ages are computed on the day of submission (15/01/2024). ISEE sociosanitario and ordinario
    both 30,000.00. Born 15/01/2006: 18 that day, an adult → sociosanitario 30,000.00 > 25,000.00,
    ko. Born 16/01/2006: still 17, a minor → ordinario 30,000.00 ≤ 40,000.00, ok."""
    record = istanza(
        CAREGIVER,
        birth_date=birth_date,
        isee_list=[isee("sociosanitario", "30000.00"), isee("ordinario", "30000.00")],
    )
    v = check(tmp_path, record)
    if status == "ok":
        assert the_check(v, ISEE)["status"] == "ok"
        assert v["outcome"] == "ammissibile"
    else:
        assert_ko(v, ISEE, r"ISEE")


def test_caregiver_adult_without_sociosanitario_uses_ordinario_with_warning(tmp_path: Path) -> None:
    """Decision in §2.5: an adult without an ISEE sociosanitario is judged on the ordinario
    (20,000.00 ≤ 25,000.00), with a warning; a warning does not exclude → ammissibile, 900.00."""
    v = check(tmp_path, istanza(CAREGIVER, isee_list=[isee("ordinario", "20000.00")]))
    c = the_check(v, ISEE)
    assert c["status"] == "warning"
    assert_cites(c["message"])
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "900.00"


def test_caregiver_adult_ordinario_fallback_over_the_ceiling(tmp_path: Path) -> None:
    """Same fallback: the ordinario 25,000.01 is measured against the adult ceiling 25,000.00 →
    ko."""
    v = check(tmp_path, istanza(CAREGIVER, isee_list=[isee("ordinario", "25000.01")]))
    assert_ko(v, ISEE, r"ISEE")


def _isee_promised() -> Record:
    """A caregiver istanza submitted 15/01/2024 without ISEE, promised by 31/01/2024."""
    return istanza(
        CAREGIVER,
        isee_list=[],
        documents=[
            {"code": "documento_identita", "received_on": "2024-01-15"},
            {"code": "isee", "promised_by": "2024-01-31"},
        ],
    )


@pytest.mark.parametrize("on", ["2024-01-20", "2024-01-31"])
def test_caregiver_isee_missing_before_the_deadline_is_pending(tmp_path: Path, on: str) -> None:
    """Requirement 7: the ISEE may be missing at submission but must arrive by 31/01/2024
    (inclusive). Evaluated on 20/01 or on 31/01 itself, not yet late → isee pending → outcome
    da_integrare. The lines are fine, so the amount to be granted is 900.00."""
    v = check(tmp_path, _isee_promised(), on=on)
    c = the_check(v, ISEE)
    assert c["status"] == "pending"
    assert_cites(c["message"])
    assert v["outcome"] == "da_integrare"
    assert v["amount"] == "900.00"


def test_caregiver_isee_missing_after_the_deadline(tmp_path: Path) -> None:
    """Requirement 7: on 01/02/2024 the deadline 31/01/2024 has passed and the ISEE never came →
    ko ("pena l'inammissibilità") → non_ammissibile, 0.00."""
    v = check(tmp_path, _isee_promised(), on="2024-02-01")
    assert_ko(v, ISEE, r"ISEE")


def test_caregiver_isee_arrived_after_the_deadline(tmp_path: Path) -> None:
    """Requirement 7: an attestation received on 05/02/2024 arrived after 31/01/2024 → ko, even
    though its value (18,500.00) is under the ceiling."""
    late = [
        isee("sociosanitario", "18500.00", "2024-02-05"),
        isee("ordinario", "21000.00", "2024-02-05"),
    ]
    v = check(tmp_path, istanza(CAREGIVER, isee_list=late), on="2024-02-10")
    assert_ko(v, ISEE, r"ISEE")


def test_caregiver_submitted_on_the_last_day(tmp_path: Path) -> None:
    """Requirement 6: submitted by 22/01/2024, inclusive: 22/01/2024 at 23:59 is in time."""
    v = check(tmp_path, istanza(CAREGIVER, submitted_at="2024-01-22T23:59:00"))
    assert the_check(v, TERMINE)["status"] == "ok"
    assert v["outcome"] == "ammissibile"


def test_caregiver_submitted_one_day_late(tmp_path: Path) -> None:
    """Requirement 6: 23/01/2024 at 08:00 is after 22/01/2024 → ko."""
    v = check(tmp_path, istanza(CAREGIVER, submitted_at="2024-01-23T08:00:00"))
    assert_ko(v, TERMINE, r"22")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("compartecipazione_servizi_attivi", r"compartecipazione|SAD|già attiv"),
        ("sociosanitario", r"sociosanitari"),
        ("cofinanziato_dopo_di_noi", r"Dopo di Noi"),
    ],
)
def test_caregiver_excluded_expense_kind(tmp_path: Path, kind: str, reason: str) -> None:
    """Art. 3: co-payments of active services, socio-sanitary interventions and expenses already
    partly funded by the Dopo di Noi fund are not reimbursed. The line of the excluded kind (300.00)
    is excluded (ko, with its reason); the home-care line 400.00 still counts → amount 400.00,
    ammissibile."""
    record = istanza(
        CAREGIVER,
        requests=[
            line("rimborso_domiciliare", "400.00", "2023-02-01", "2023-06-30"),
            line(kind, "300.00", "2023-03-01", "2023-03-31"),
        ],
    )
    v = check(tmp_path, record)
    bad = the_line(v, kind)
    assert (bad["status"], bad["granted"]) == ("ko", "0.00")
    assert_cites(bad["message"])
    assert re.search(reason, bad["message"], re.IGNORECASE), bad["message"]
    good = the_line(v, "rimborso_domiciliare")
    assert (good["status"], good["granted"]) == ("ok", "400.00")
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "400.00"


def test_caregiver_only_excluded_expenses_leaves_nothing(tmp_path: Path) -> None:
    """§1 request lines: an istanza with nothing left to grant is non_ammissibile, amount 0.00,
    with the reasons of its lines (here: a SAD co-payment of 500.00)."""
    record = istanza(
        CAREGIVER,
        requests=[line("compartecipazione_servizi_attivi", "500.00", "2023-01-01", "2023-12-31")],
    )
    v = check(tmp_path, record)
    assert v["outcome"] == "non_ammissibile"
    assert v["amount"] == "0.00"
    assert the_line(v, "compartecipazione_servizi_attivi")["status"] == "ko"


@pytest.mark.parametrize(
    ("start", "end"),
    [("2022-10-01", "2022-12-31"), ("2022-12-01", "2023-01-31")],
    ids=["in-2022", "straddles-2022-2023"],
)
def test_caregiver_expense_outside_2023_is_excluded(tmp_path: Path, start: str, end: str) -> None:
    """Art. 3: services delivered 01/01/2023-31/12/2023 only. Decision (TOML, policy "exclude"): a
    line reaching outside 2023 is excluded, not cut. A 500.00 line in 2022, across 2022-2023 or in
    2024 → ko; the 2023 line 300.00 still counts → amount 300.00."""
    record = istanza(
        CAREGIVER,
        requests=[
            line("rimborso_domiciliare", "500.00", start, end),
            line("rimborso_residenziale", "300.00", "2023-08-01", "2023-08-10"),
        ],
    )
    v = check(tmp_path, record)
    bad = the_line(v, "rimborso_domiciliare")
    assert (bad["status"], bad["granted"]) == ("ko", "0.00")
    assert "2023" in bad["message"], bad["message"]
    assert_cites(bad["message"])
    assert the_line(v, "rimborso_residenziale")["granted"] == "300.00"
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "300.00"


@pytest.mark.parametrize(
    ("amounts", "total"),
    [
        (("900.00", "500.00"), "1200.00"),
        (("700.00", "400.00"), "1100.00"),
        (("1500.00",), "1200.00"),
    ],
    ids=["900+500", "700+400", "1500"],
)
def test_caregiver_yearly_cap(tmp_path: Path, amounts: tuple[str, ...], total: str) -> None:
    """Art. 3: amount = min(1,200.00, sum of admissible lines): 900 + 500 = 1,400 → 1,200.00;
    700 + 400 = 1,100 → 1,100.00; 1,500 → 1,200.00. The istanza's amount is the sum of the
    granted lines."""
    kinds = ["rimborso_domiciliare", "rimborso_residenziale"]
    requests = [
        line(kinds[i], amount, f"2023-0{i + 3}-01", f"2023-0{i + 3}-28")
        for i, amount in enumerate(amounts)
    ]
    v = check(tmp_path, istanza(CAREGIVER, requests=requests))
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == total
    assert all(ln["status"] != "ko" for ln in v["lines"]), v["lines"]
    granted = sum(int(ln["granted"].replace(".", "")) for ln in v["lines"])
    assert f"{granted // 100}.{granted % 100:02d}" == total, v["lines"]


@pytest.mark.parametrize(
    ("in_place", "klass"),
    [
        (["b2_2023_finanziata"], 2),
        (["b2_buono"], 2),
        (["semiresidenziale"], 2),
        ([], 1),
    ],
    ids=["b2-finanziata", "b2-buono", "semiresidenziale", "no-b2-2023"],
)
def test_caregiver_priority_class(tmp_path: Path, in_place: list[str], klass: int) -> None:
    """Priority classes: class 2 when funded by B2 2023, receiving the B2 buono, or in a
    semi-residential service; class 1 otherwise (admitted-not-funded B2 2023, or no B2 2023
    application). Being in class 2 does not exclude: still ammissibile for 900.00."""
    v = check(tmp_path, istanza(CAREGIVER, in_place=in_place))
    assert v["priority_class"] == klass
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "900.00"


# ============================================================================================
# FNA Misura B2 vouchers, Ambito Alto e Basso Pavese 2024 (measures.md §3)
# ============================================================================================


def test_voucher_plain_case_is_admissible(tmp_path: Path) -> None:
    """Resident in Siziano (E265), L.104 c.3, ISEE sociosanitario 18,500.00 ≤ 25,000.00, only the
    family caregiver; one psychological-support line of 600.00 (cap 600.00 once) → 600.00.
    Sportello avviso → priority_class null."""
    v = check(tmp_path, istanza(VOUCHER))
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "600.00"
    assert v["priority_class"] is None
    for c in v["checks"]:
        assert c["status"] == "ok", c
        assert_cites(c["message"])
    ln = the_line(v, "b_psicologico")
    assert (ln["requested"], ln["granted"], ln["status"]) == ("600.00", "600.00", "ok")


def test_voucher_resident_in_corteolona_e_genzone(tmp_path: Path) -> None:
    """Requirement 1: Corteolona e Genzone (M372, merged 2016) is one of the 48 comuni → ok."""
    v = check(tmp_path, istanza(VOUCHER, comune="M372"))
    assert the_check(v, RESIDENZA)["status"] == "ok"
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "600.00"


def test_voucher_resident_in_the_other_ambito(tmp_path: Path) -> None:
    """Requirement 1: Abbiategrasso (A010) belongs to the Abbiatense, not the Pavese → ko."""
    v = check(tmp_path, istanza(VOUCHER, comune="E265", residence="A010"))
    assert_ko(v, RESIDENZA, r"residen")


@pytest.mark.parametrize(
    ("l104", "indennita", "ok"),
    [(False, True, True), (False, False, False)],
    ids=["indennita-only", "neither"],
)
def test_voucher_disability_and_or(tmp_path: Path, l104: bool, indennita: bool, ok: bool) -> None:
    """Requirement 2: L.104 art. 3 c. 3 and/or the indennità di accompagnamento: either alone
    suffices (→ 600.00); neither → ko."""
    v = check(tmp_path, istanza(VOUCHER, l104=l104, indennita=indennita))
    if ok:
        assert the_check(v, DISABILITA)["status"] == "ok"
        assert v["outcome"] == "ammissibile"
        assert v["amount"] == "600.00"
    else:
        assert_ko(v, DISABILITA, r"104|accompagnamento")


@pytest.mark.parametrize(("value", "ok"), [("25000.00", True), ("25000.01", False)])
def test_voucher_isee_ceiling_inclusive(tmp_path: Path, value: str, ok: bool) -> None:
    """Requirement 3: adult ISEE sociosanitario ≤ 25,000.00 inclusive: 25,000.00 passes,
    25,000.01 is ko."""
    record = istanza(VOUCHER, isee_list=[isee("sociosanitario", value, "2024-04-20")])
    v = check(tmp_path, record)
    if ok:
        assert the_check(v, ISEE)["status"] == "ok"
        assert v["outcome"] == "ammissibile"
        assert v["amount"] == "600.00"
    else:
        assert_ko(v, ISEE, r"ISEE")


def test_voucher_minor_on_the_ordinario(tmp_path: Path) -> None:
    """Requirement 3: a minor (born 2012-03-03) is judged on the ISEE ordinario ≤ 40,000.00:
    40,000.00 passes (inclusive)."""
    record = istanza(
        VOUCHER, birth_date="2012-03-03", isee_list=[isee("ordinario", "40000.00", "2024-04-20")]
    )
    v = check(tmp_path, record)
    assert the_check(v, ISEE)["status"] == "ok"
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "600.00"


def test_voucher_paid_staff_keeps_only_training(tmp_path: Path) -> None:
    """Requirement 4: with regularly employed care staff only c_formazione_caregiver is allowed.
    Lines a1 650.00 (June 2024), b 600.00, c 300.00 → a1 and b excluded (ko), c granted 300.00 →
    ammissibile for 300.00."""
    record = istanza(
        VOUCHER,
        family_caregiver_only=False,
        employed_assistant=True,
        requests=[
            line("a1_domiciliare", "650.00", "2024-06-01", "2024-06-30"),
            line("b_psicologico", "600.00", "2024-06-10"),
            line("c_formazione_caregiver", "300.00", "2024-06-20"),
        ],
    )
    v = check(tmp_path, record)
    for code in ("a1_domiciliare", "b_psicologico"):
        ln = the_line(v, code)
        assert (ln["status"], ln["granted"]) == ("ko", "0.00"), ln
        assert_cites(ln["message"])
    c = the_line(v, "c_formazione_caregiver")
    assert (c["status"], c["granted"]) == ("ok", "300.00")
    assert_no_ko(v)
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "300.00"


def test_voucher_paid_staff_with_only_home_care(tmp_path: Path) -> None:
    """Requirement 4: paid staff and a single a1 line → the a1 line is lost, nothing is left to
    grant → non_ammissibile, 0.00."""
    record = istanza(
        VOUCHER,
        family_caregiver_only=False,
        employed_assistant=True,
        requests=[line("a1_domiciliare", "650.00", "2024-06-01", "2024-06-30")],
    )
    v = check(tmp_path, record)
    assert the_line(v, "a1_domiciliare")["status"] == "ko"
    assert v["outcome"] == "non_ammissibile"
    assert v["amount"] == "0.00"


@pytest.mark.parametrize(
    ("code", "requested", "start", "end", "granted", "status"),
    [
        ("a1_domiciliare", "2500.00", "2024-06-15", "2024-08-14", "1950.00", "warning"),
        ("a1_domiciliare", "1800.00", "2024-06-15", "2024-08-14", "1800.00", "ok"),
        ("a3_socio_educativo", "1400.00", "2024-09-10", "2024-10-05", "1300.00", "warning"),
    ],
    ids=["a1-3-months-over", "a1-3-months-under", "a3-2-months-over"],
)
def test_voucher_monthly_caps(
    tmp_path: Path, code: str, requested: str, start: str, end: str, granted: str, status: str
) -> None:
    """a1/a3: 650.00 per calendar month the line touches (decision §3). 15/06-14/08/2024 touches
    June, July, August → 3 x 650 = 1,950.00: 2,500.00 is cut (warning), 1,800.00 passes.
    10/09-05/10/2024 touches September and October → 2 x 650 = 1,300.00."""
    v = check(tmp_path, istanza(VOUCHER, requests=[line(code, requested, start, end)]))
    ln = the_line(v, code)
    assert (ln["requested"], ln["granted"], ln["status"]) == (requested, granted, status)
    assert_cites(ln["message"])
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == granted


@pytest.mark.parametrize(
    ("days", "requested", "granted", "status"),
    [
        (35, "3500.00", "3000.00", "warning"),
        (12, "1500.00", "1200.00", "warning"),
        (10, "900.00", "900.00", "ok"),
    ],
)
def test_voucher_respite_per_day_cap(
    tmp_path: Path, days: int, requested: str, granted: str, status: str
) -> None:
    """a2: 100.00 per day, at most 30 days. 35 days → min(35, 30) x 100 = 3,000.00;
    12 days → 1,200.00 (1,500.00 is cut); 10 days for 900.00 ≤ 1,000.00 passes."""
    end = f"2024-07-{days:02d}" if days <= 31 else f"2024-08-{days - 31:02d}"
    record = istanza(
        VOUCHER, requests=[line("a2_ricovero_sollievo", requested, "2024-07-01", end, days=days)]
    )
    v = check(tmp_path, record)
    ln = the_line(v, "a2_ricovero_sollievo")
    assert (ln["granted"], ln["status"]) == (granted, status)
    assert v["amount"] == granted


@pytest.mark.parametrize(
    ("code", "requested", "granted"),
    [("b_psicologico", "700.00", "600.00"), ("c_formazione_caregiver", "350.00", "300.00")],
)
def test_voucher_one_off_caps(tmp_path: Path, code: str, requested: str, granted: str) -> None:
    """b: 600.00 once; c: 300.00 once. A request above the cap is cut to it with a warning."""
    v = check(tmp_path, istanza(VOUCHER, requests=[line(code, requested, "2024-09-02")]))
    ln = the_line(v, code)
    assert (ln["granted"], ln["status"]) == (granted, "warning")
    assert_cites(ln["message"])
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == granted


def test_voucher_one_off_cap_is_per_istanza(tmp_path: Path) -> None:
    """b: 600.00 "una tantum" (once). Two psychological-support lines of 400.00 (June and
    September) ask 800.00 in all; once means once: 600.00 granted over the two lines, with a
    warning on the cut."""
    record = istanza(
        VOUCHER,
        requests=[
            line("b_psicologico", "400.00", "2024-06-03"),
            line("b_psicologico", "400.00", "2024-09-02"),
        ],
    )
    v = check(tmp_path, record)
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "600.00"
    assert "warning" in [ln["status"] for ln in v["lines"]], v["lines"]


@pytest.mark.parametrize(
    ("start", "end"),
    [("2024-04-15", "2024-06-30"), ("2025-03-01", "2025-05-31")],
    ids=["starts-before-window", "ends-after-window"],
)
def test_voucher_line_cut_to_the_window(tmp_path: Path, start: str, end: str) -> None:
    """Decision §3: interventions lie within 01/05/2024-30/04/2025; a line starting before or ending
    after is cut to the window with a warning. 15/04-30/06/2024 or 01/03-31/05/2025, 1,950.00
    requested: the cut period touches 2 months (May-June 2024, or March-April 2025) → cap 2 x 650 =
    1,300.00."""
    v = check(tmp_path, istanza(VOUCHER, requests=[line("a1_domiciliare", "1950.00", start, end)]))
    ln = the_line(v, "a1_domiciliare")
    assert (ln["granted"], ln["status"]) == ("1300.00", "warning")
    assert "2025" in ln["message"] or "2024" in ln["message"], ln["message"]
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "1300.00"


def test_voucher_line_wholly_outside_the_window(tmp_path: Path) -> None:
    """Decision §3 taken to its end: a line wholly after 30/04/2025 has nothing inside the window
    → excluded; with no other line nothing is left → non_ammissibile, 0.00."""
    v = check(tmp_path, istanza(VOUCHER, requests=[line("b_psicologico", "600.00", "2025-05-10")]))
    assert the_line(v, "b_psicologico")["status"] == "ko"
    assert v["outcome"] == "non_ammissibile"
    assert v["amount"] == "0.00"


def test_voucher_several_lines_add_up(tmp_path: Path) -> None:
    """Amount = sum of granted lines: a1 15/06-14/08 1,950.00 (= 3 x 650) + b 600.00 + c 300.00
    = 2,850.00."""
    record = istanza(
        VOUCHER,
        requests=[
            line("a1_domiciliare", "1950.00", "2024-06-15", "2024-08-14"),
            line("b_psicologico", "600.00", "2024-06-10"),
            line("c_formazione_caregiver", "300.00", "2024-06-20"),
        ],
    )
    v = check(tmp_path, record)
    assert [ln["status"] for ln in v["lines"]] == ["ok", "ok", "ok"]
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "2850.00"


@pytest.mark.parametrize(
    "measure",
    [
        "voucher_anziani_disabili",
        "residenziale_definitivo",
        "b1",
        "sollievo_fsr",
        "provi_assistente",
        "rsa_aperta",
        "home_care_premium",
    ],
)
def test_voucher_incompatible_measure(tmp_path: Path, measure: str) -> None:
    """Requirement 5: each parametrized measure is in the voucher's incompatible list → ko,
    non_ammissibile, 0.00."""
    v = check(tmp_path, istanza(VOUCHER, in_place=[measure]))
    assert_ko(v, INCOMPATIBILI, r"incompatib|compatib|misura")


@pytest.mark.parametrize(
    "in_place",
    [
        [
            "adi",
            "sad",
            "riabilitazione",
            "ricovero_ospedaliero",
            "dopo_di_noi",
            "bonus_assistente_familiare",
        ],
    ],
    ids=["all-compatible"],
)
def test_voucher_compatible_measures_have_no_effect(tmp_path: Path, in_place: list[str]) -> None:
    """Requirement 5: ADI, SAD, rehabilitation, hospital stay, Dopo di Noi and the bonus
    assistente familiare are compatible → no effect: ammissibile for 600.00, no ko."""
    v = check(tmp_path, istanza(VOUCHER, in_place=in_place))
    assert_no_ko(v)
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "600.00"


# ============================================================================================
# Assegno di autonomia, Ambito Alto e Basso Pavese 2024 (measures.md §4)
# ============================================================================================


def test_assegno_plain_case(tmp_path: Path) -> None:
    """Adult, resident in Siziano, L.104 c.3, ISEE sociosanitario 18,500.00 ≤ 30,000.00,
    self-managed project with an employed assistant; June-November 2024 = 6 months x 800.00 =
    4,800.00 cap, 4,800.00 requested → 4,800.00. Sportello → priority_class null."""
    v = check(tmp_path, istanza(ASSEGNO))
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "4800.00"
    assert v["priority_class"] is None
    for c in v["checks"]:
        assert c["status"] == "ok", c
        assert_cites(c["message"])


@pytest.mark.parametrize(
    ("requested", "start", "end", "granted", "status"),
    [
        ("5400.00", "2024-06-01", "2024-11-30", "4800.00", "warning"),
        ("3000.00", "2024-06-15", "2024-08-14", "2400.00", "warning"),
        ("3200.00", "2025-03-01", "2025-06-30", "1600.00", "warning"),
    ],
    ids=["6-months-over", "3-months-over", "past-30-04-2025"],
)
def test_assegno_monthly_cap(
    tmp_path: Path, requested: str, start: str, end: str, granted: str, status: str
) -> None:
    """800.00 per calendar month touched (same counting as §3): June-November = 6 months →
    4,800.00; 15/06-14/08 = 3 months → 2,400.00. The project lasts at most until 30/04/2025:
    March-June 2025 is cut to March-April = 2 months → 1,600.00 (warning)."""
    record = istanza(ASSEGNO, requests=[line("assegno_autonomia", requested, start, end)])
    v = check(tmp_path, record)
    ln = the_line(v, "assegno_autonomia")
    assert (ln["requested"], ln["granted"], ln["status"]) == (requested, granted, status)
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == granted


@pytest.mark.parametrize(("value", "ok"), [("30000.00", True), ("30000.01", False)])
def test_assegno_isee_ceiling(tmp_path: Path, value: str, ok: bool) -> None:
    """Requirement 3: ISEE sociosanitario ≤ 30,000.00 (not 25,000): 30,000.00 passes, 30,000.01
    is ko."""
    record = istanza(ASSEGNO, isee_list=[isee("sociosanitario", value, "2024-04-20")])
    v = check(tmp_path, record)
    if ok:
        assert the_check(v, ISEE)["status"] == "ok"
        assert v["outcome"] == "ammissibile"
        assert v["amount"] == "4800.00"
    else:
        assert_ko(v, ISEE, r"ISEE")


def test_assegno_indennita_alone_does_not_qualify(tmp_path: Path) -> None:
    """Requirement 2: only L.104 art. 3 c. 3 qualifies; the indennità di accompagnamento alone
    does not → ko."""
    v = check(tmp_path, istanza(ASSEGNO, l104=False, indennita=True))
    assert_ko(v, DISABILITA, r"104")


def test_assegno_minor_gets_a_warning(tmp_path: Path) -> None:
    """Requirement 4, decision: "di norma maggiorenni" → a minor (born 2008-09-09, 15) gets a
    warning, not a ko: ammissibile for 4,800.00."""
    v = check(tmp_path, istanza(ASSEGNO, birth_date="2008-09-09"))
    assert_no_ko(v)
    age = the_check(v, MAGGIORE_ETA)
    assert age["status"] == "warning"
    assert_cites(age["message"])
    assert v["outcome"] == "ammissibile"
    assert v["amount"] == "4800.00"


@pytest.mark.parametrize(
    ("isee_list", "status", "named"),
    [
        (
            [isee("sociosanitario", "29000.00", "2024-04-20"),
             isee("ordinario", "35000.00", "2024-04-20")],
            "ok",
            "ISEE sociosanitario 29.000,00",
        ),
        ([isee("ordinario", "20000.00", "2024-04-20")], "ko", "ISEE sociosanitario"),
    ],
    ids=["sociosanitario-29000-ordinario-35000", "ordinario-only"],
)  # fmt: skip
def test_assegno_adult_is_judged_on_the_isee_sociosanitario(
    tmp_path: Path, isee_list: list[dict[str, str]], status: str, named: str
) -> None:
    """Requirement 3, adult (born 1940): "certificazione ISEE sociosanitario [...] non superiore
    a 30.000,00 euro". Sociosanitario 29,000.00 ≤ 30,000.00 → ok, whatever the ordinario
    (35,000.00 would be over the ceiling): the check is judged on, and names, the sociosanitario.
    Only an ISEE ordinario of 20,000.00 → ko: there is no fallback to the ordinario, the message
    names the ISEE sociosanitario that is missing."""
    v = check(tmp_path, istanza(ASSEGNO, isee_list=isee_list))
    if status == "ok":
        c = the_check(v, ISEE)
        assert c["status"] == "ok"
        assert named in c["message"], c["message"]
        assert v["outcome"] == "ammissibile"
        assert v["amount"] == "4800.00"
    else:
        ko = assert_ko(v, ISEE, named)
        assert "ordinario" not in ko["message"], ko["message"]


@pytest.mark.parametrize(
    ("isee_list", "status", "named"),
    [
        (
            [isee("sociosanitario", "25000.00", "2024-04-20"),
             isee("ordinario", "35000.00", "2024-04-20")],
            "ok",
            "ISEE sociosanitario 25.000,00",
        ),
        ([isee("sociosanitario", "30000.00", "2024-04-20")], "ok", "ISEE sociosanitario 30.000,00"),
        ([isee("sociosanitario", "30000.01", "2024-04-20")], "ko", "ISEE sociosanitario 30.000,01"),
        (
            [isee("ordinario", "20000.00", "2024-04-20"),
             isee("minorenni", "20000.00", "2024-04-20")],
            "ko",
            "ISEE sociosanitario",
        ),
    ],
    ids=["ss-25000-ordinario-35000", "ss-at-ceiling", "ss-over", "ordinario-minorenni-only"],
)  # fmt: skip
def test_assegno_minor_gets_the_age_warning_and_is_judged_on_the_sociosanitario(
    tmp_path: Path, isee_list: list[dict[str, str]], status: str, named: str
) -> None:
    """Requirements 3 and 4 for a minor (born 2008-09-09, 15 on 06/05/2024): the age gives a
    warning only ("di norma maggiorenni"), and the ISEE is the same as for everyone: ISEE
    sociosanitario ≤ 30,000.00, inclusive; no ISEE ordinario is asked (that is the voucher's rule
    for minors, not the assegno's). Sociosanitario 25,000.00 with an ordinario of 35,000.00 → ok,
    ammissibile for 4,800.00; 30,000.00 → ok; 30,000.01 → ko. An ordinario and a minorenni of
    20,000.00 without a sociosanitario → ko, the message names the ISEE sociosanitario and asks
    for no ordinario."""
    v = check(tmp_path, istanza(ASSEGNO, birth_date="2008-09-09", isee_list=isee_list))
    age = the_check(v, MAGGIORE_ETA)
    assert age["status"] == "warning"
    assert_cites(age["message"])
    c = the_check(v, ISEE)
    assert named in c["message"], c["message"]
    if status == "ok":
        assert c["status"] == "ok"
        assert_no_ko(v)
        assert v["outcome"] == "ammissibile"
        assert v["amount"] == "4800.00"
    else:
        ko = assert_ko(v, ISEE, r"ISEE sociosanitario")
        assert "ordinario" not in ko["message"] and "minorenni" not in ko["message"], ko


@pytest.mark.parametrize(
    ("field", "code", "topic"),
    [
        ("self_managed_project", PROGETTO, r"progetto"),
        ("employed_assistant", ASSISTENTE, r"assistente|contratto"),
    ],
)
def test_assegno_requires_project_and_employed_assistant(
    tmp_path: Path, field: str, code: str, topic: str
) -> None:
    """Requirement 5: a self-managed project AND a personal assistant hired with a regular
    contract; either flag false → ko."""
    v = check(tmp_path, istanza(ASSEGNO, **{field: False}))
    assert_ko(v, code, topic)


@pytest.mark.parametrize("measure", ["b2_buono", "provi_assistente"])
def test_assegno_incompatible_measure(tmp_path: Path, measure: str) -> None:
    """Requirement 6: receiving the B2 buono (or PRO.VI) excludes the assegno → ko."""
    v = check(tmp_path, istanza(ASSEGNO, in_place=[measure]))
    assert_ko(v, INCOMPATIBILI, r"incompatib|compatib|misura|buono")


@pytest.mark.parametrize(("residence", "ok"), [("M372", True), ("A010", False)])
def test_assegno_residence(tmp_path: Path, residence: str, ok: bool) -> None:
    """Requirement 1: one of the 48 Pavese comuni; Corteolona e Genzone is, Abbiategrasso is
    not."""
    v = check(tmp_path, istanza(ASSEGNO, comune="E265", residence=residence))
    if ok:
        assert the_check(v, RESIDENZA)["status"] == "ok"
        assert v["outcome"] == "ammissibile"
    else:
        assert_ko(v, RESIDENZA, r"residen")


# ============================================================================================
# The 2007 template (measures.md §5)
# ============================================================================================


def _template_check(tmp_path: Path):
    record = istanza(
        TEMPLATE,
        comune="A010",
        submitted_at="2008-03-01T09:00:00",
        requests=[line("contributo_retribuzione", "500.00", "2008-03-01", "2008-03-31")],
    )
    path = write(tmp_path, record)
    return cli(
        "check",
        "--avviso",
        TEMPLATE,
        "--on",
        "2008-04-01",
        str(path),
        "--json",
        home=tmp_path / "home",
    )


def test_template_avviso_is_refused_naming_the_unset_parameters(tmp_path: Path) -> None:
    """§5 decision: the 2007 circolare is a template whose parameters (ISEE ceiling, caps,
    budget, window, allocation mode) are left to the ambito. The product refuses to judge an
    istanza on it (non-zero exit, nothing on stdout) and names the unset parameters."""
    done = _template_check(tmp_path)
    assert done.returncode != 0, done.stdout
    assert done.stdout == ""
    for parameter in ("budget", "window", "allocation"):
        assert parameter in done.stderr, done.stderr


def test_template_avviso_refusal_is_bad_input(tmp_path: Path) -> None:
    """interchange §2: bad input → exit 2. Asking to judge on a template that the ambito has not
    filled in is a wrong --avviso argument, like an unknown id (which exits 2)."""
    assert _template_check(tmp_path).returncode == 2
