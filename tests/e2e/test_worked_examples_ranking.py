"""Worked examples of ``caseworker rank`` (measures.md §1-§3, interchange.md §2).

The graduatoria example is one set of caregiver istanze built so that every ordering key decides
exactly one pair; it is ranked once per module and several tests read the same output.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .examples.builders import (
    ASSEGNO,
    CAREGIVER,
    TEMPLATE,
    VOUCHER,
    Record,
    isee,
    istanza,
    line,
    rank,
    write,
)

AMOUNT = "1000.00"


def cg(
    id: str,
    ss: str | None,
    ordinario: str | None,
    *,
    birth: str = "1940-01-01",
    ts: str = "2024-01-15T10:00:00",
    in_place: tuple[str, ...] = (),
    amount: str = AMOUNT,
    residence: str | None = None,
) -> Record:
    """A caregiver istanza with the ranking facts in front (ISEE values, birth, timestamp)."""
    isee_list = []
    if ss is not None:
        isee_list.append(isee("sociosanitario", ss))
    if ordinario is not None:
        isee_list.append(isee("ordinario", ordinario))
    return istanza(
        CAREGIVER,
        id=id,
        surname=f"Cognome{id.replace('-', '')}",
        birth_date=birth,
        submitted_at=ts,
        isee_list=isee_list,
        in_place=in_place,
        residence=residence,
        requests=[line("rimborso_domiciliare", amount, "2023-02-01", "2023-11-30")],
    )


# Expected graduatoria, in order, with the key that places each one after the previous.
GRADUATORIA: list[tuple[Record, int]] = [
    (cg("G-K01", "10000.00", "30000.00"), 1),  # lowest ISEE sociosanitario
    (cg("G-NSS", None, "11000.00"), 1),  # adult without sociosanitario: ordinario 11,000
    (cg("G-K02", "12000.00", "15000.00"), 1),  # ss 12,000 tie → ordinario 15,000 first
    (cg("G-K03", "12000.00", "20000.00"), 1),  # ... then ordinario 20,000
    (cg("G-K04", "12000.00", None), 1),  # ... then no ordinario at all
    (cg("G-MIN", "1000.00", "13000.00", birth="2012-02-02"), 1),  # minor: ordinario 13,000
    (cg("G-OLD", "14000.00", "20000.00", birth="1935-03-03"), 1),  # same ISEEs: older first
    (cg("G-YNG", "14000.00", "20000.00", birth="1945-03-03"), 1),
    (cg("G-TS1", "16000.00", "20000.00", birth="1940-05-05", ts="2024-01-10T09:00:00"), 1),
    (cg("G-TS2", "16000.00", "20000.00", birth="1940-05-05", ts="2024-01-11T09:00:00"), 1),
    (cg("G-ID-A", "18000.00", "20000.00", birth="1940-06-06", ts="2024-01-12T09:00:00"), 1),
    (cg("G-ID-B", "18000.00", "20000.00", birth="1940-06-06", ts="2024-01-12T09:00:00"), 1),
    (cg("G-P1", "19000.00", "20000.00", in_place=("b2_2023_ammessa_non_finanziata",)), 1),
    (cg("G-C2A", "1000.00", "2000.00", in_place=("b2_2023_finanziata",)), 2),
    (cg("G-C2B", "2000.00", "2000.00", in_place=("b2_buono",)), 2),
    (cg("G-C2C", "3000.00", "2000.00", in_place=("semiresidenziale",)), 2),
]
# Not admissible: residence in Siziano (other ambito), ISEE sociosanitario over 25,000.
EXCLUDED = [cg("G-X1", "9000.00", "9000.00", residence="E265"), cg("G-X0", "26000.00", None)]


def _scrambled() -> list[Record]:
    """The input order: reversed, excluded ones first, every tie pair in the wrong order."""
    return EXCLUDED + [r for r, _ in reversed(GRADUATORIA)]


def _ok(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr}"
    return json.loads(done.stdout)


def _row(result: dict[str, Any], istanza_id: str) -> dict[str, Any]:
    found = [r for r in result["rows"] if r["istanza"] == istanza_id]
    assert len(found) == 1, result["rows"]
    return found[0]


@pytest.fixture(scope="module")
def graduatoria(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    return rank(tmp_path_factory.mktemp("graduatoria"), _scrambled(), CAREGIVER)


def test_graduatoria_order_breaks_every_tie(
    graduatoria: subprocess.CompletedProcess[str],
) -> None:
    """Caregiver graduatoria (§2): class 1 before class 2; within a class ISEE ascending (the
    sociosanitario; a minor's ordinario; an adult without sociosanitario: the ordinario), then
    ISEE ordinario ascending with a missing ordinario last, then older first, then earlier
    submission, then istanza id. Expected:
    K01 (10,000) · NSS (ord 11,000) · K02 (12,000/15,000) · K03 (12,000/20,000) · K04 (12,000/-)
    · MIN (minor: ord 13,000, not its ss 1,000) · OLD (1935) · YNG (1945) · TS1 (10/01) · TS2
    (11/01) · ID-A · ID-B · P1 (19,000, B2 2023 not funded = class 1) · then class 2 by ISEE:
    C2A (B2 2023 funded) · C2B (B2 buono) · C2C (semiresidenziale)."""
    result = _ok(graduatoria)
    ranked = [r for r in result["rows"] if r["position"] is not None]
    assert [r["istanza"] for r in ranked] == [rec["id"] for rec, _ in GRADUATORIA]
    assert [r["position"] for r in ranked] == list(range(1, len(GRADUATORIA) + 1))
    assert [r["priority_class"] for r in ranked] == [k for _, k in GRADUATORIA]


def test_graduatoria_budget_and_amounts(graduatoria: subprocess.CompletedProcess[str]) -> None:
    """Budget 19,453.77 (§2). 16 admissible istanze x 1,000.00 = 16,000.00 ≤ budget: all
    finanziata; assigned 16,000.00, residual 19,453.77 - 16,000.00 = 3,453.77."""
    result = _ok(graduatoria)
    assert result["avviso"] == CAREGIVER
    assert (result["budget"], result["assigned"], result["residual"]) == (
        "19453.77",
        "16000.00",
        "3453.77",
    )
    for rec, _ in GRADUATORIA:
        row = _row(result, rec["id"])
        assert (row["outcome"], row["amount"], row["comune"]) == ("finanziata", AMOUNT, "A010")


def test_graduatoria_non_ammissibili_last_in_id_order(
    graduatoria: subprocess.CompletedProcess[str],
) -> None:
    """interchange §2: every istanza is listed; the non_ammissibile ones come after the ranked
    ones, position null, amount 0.00, in id order (G-X0 before G-X1, the reverse of the input)."""
    rows = _ok(graduatoria)["rows"]
    assert len(rows) == len(GRADUATORIA) + len(EXCLUDED)
    tail = rows[len(GRADUATORIA) :]
    assert [r["istanza"] for r in tail] == ["G-X0", "G-X1"]
    for r in tail:
        assert (r["position"], r["outcome"], r["amount"]) == (None, "non_ammissibile", "0.00")


def test_ranking_is_deterministic(
    tmp_path: Path, graduatoria: subprocess.CompletedProcess[str]
) -> None:
    """§1: the same inputs give the same order, byte for byte. The same istanze given in the
    expected order (instead of scrambled) → identical stdout."""
    records = [r for r, _ in GRADUATORIA] + EXCLUDED
    again = rank(tmp_path, records, CAREGIVER)
    assert again.returncode == 0, again.stderr
    assert again.stdout == graduatoria.stdout


def test_ranking_a_folder_of_istanza_files(
    tmp_path: Path, graduatoria: subprocess.CompletedProcess[str]
) -> None:
    """interchange §2: the input may be a folder of istanza files; one file per istanza gives the
    same ranking as the JSON array."""
    folder = tmp_path / "istanze"
    for rec in _scrambled():
        write(folder, rec, f"{rec['id']}.json")
    done = rank(tmp_path, folder, CAREGIVER)
    assert _ok(done) == _ok(graduatoria)


def test_graduatoria_partial_residual(tmp_path: Path) -> None:
    """Residual decision (§1): budget 3,000.00, four istanze of 1,200.00 ranked by ISEE. 1st and
    2nd finanziata (2,400.00), 3rd gets the residual 600.00 (finanziata_parzialmente), 4th
    ammessa_non_finanziata with nothing assigned. Assigned 3,000.00, residual 0.00. A
    non_ammissibile one (lives in Siziano) follows with position null."""
    records = [
        cg("R-4", "13000.00", "20000.00", amount="1200.00"),
        cg("R-2", "11000.00", "20000.00", amount="1200.00"),
        cg("R-X", "9000.00", "20000.00", amount="1200.00", residence="E265"),
        cg("R-1", "10000.00", "20000.00", amount="1200.00"),
        cg("R-3", "12000.00", "20000.00", amount="1200.00"),
    ]
    result = _ok(rank(tmp_path, records, CAREGIVER, "--budget", "3000.00"))
    assert (result["budget"], result["assigned"], result["residual"]) == (
        "3000.00",
        "3000.00",
        "0.00",
    )
    got = [(r["istanza"], r["position"], r["outcome"], r["amount"]) for r in result["rows"]]
    assert got == [
        ("R-1", 1, "finanziata", "1200.00"),
        ("R-2", 2, "finanziata", "1200.00"),
        ("R-3", 3, "finanziata_parzialmente", "600.00"),
        ("R-4", 4, "ammessa_non_finanziata", "0.00"),
        ("R-X", None, "non_ammissibile", "0.00"),
    ]


def test_graduatoria_amounts_are_the_granted_ones(tmp_path: Path) -> None:
    """The amount a row is funded with is the istanza's granted amount: 900.00 + 500.00 of
    expenses → 1,200.00 (yearly cap); 400.00 → 400.00. Assigned 1,600.00, residual 17,853.77."""
    capped = cg("A-1", "10000.00", "20000.00")
    capped["requests"] = [
        line("rimborso_domiciliare", "900.00", "2023-02-01", "2023-06-30"),
        line("rimborso_residenziale", "500.00", "2023-07-01", "2023-07-15"),
    ]
    small = cg("A-2", "11000.00", "20000.00", amount="400.00")
    result = _ok(rank(tmp_path, [small, capped], CAREGIVER))
    got = [(r["istanza"], r["position"], r["outcome"], r["amount"]) for r in result["rows"]]
    assert got == [("A-1", 1, "finanziata", "1200.00"), ("A-2", 2, "finanziata", "400.00")]
    assert (result["assigned"], result["residual"]) == ("1600.00", "17853.77")


def _voucher(id: str, ts: str, code: str, amount: str, **kw: Any) -> Record:
    start, end = ("2024-06-15", "2024-08-14") if code == "a1_domiciliare" else ("2024-06-10", None)
    return istanza(
        VOUCHER,
        id=id,
        surname=f"Cognome{id.replace('-', '')}",
        submitted_at=ts,
        requests=[line(code, amount, start, end)],
        **kw,
    )


def test_sportello_orders_by_submission_with_partial_residual(tmp_path: Path) -> None:
    """Voucher avviso, sportello (§3): funded in submission-timestamp order, never by ISEE; a tie
    on the timestamp goes to the smaller id. Budget 3,000.00:
    V-00 (02/05 09:00, b 600) → 600 · V-03 (02/05 09:00, c 300) → 900 · V-02 (02/05 15:00, a1
    3 months 1,950) → 2,850 · V-01 (03/05, b 600, lowest ISEE) gets the residual 150.00 ·
    V-04 (04/05) ammessa_non_finanziata · V-X (resident in Abbiategrasso) non_ammissibile.
    Sportello → priority_class null."""
    low = [isee("sociosanitario", "3000.00", "2024-04-20")]
    records = [
        _voucher("V-04", "2024-05-04T09:00:00", "b_psicologico", "600.00"),
        _voucher("V-01", "2024-05-03T09:00:00", "b_psicologico", "600.00", isee_list=low),
        _voucher("V-X", "2024-05-01T09:00:00", "b_psicologico", "600.00", residence="A010"),
        _voucher("V-03", "2024-05-02T09:00:00", "c_formazione_caregiver", "300.00"),
        _voucher("V-02", "2024-05-02T15:00:00", "a1_domiciliare", "1950.00"),
        _voucher("V-00", "2024-05-02T09:00:00", "b_psicologico", "600.00"),
    ]
    result = _ok(rank(tmp_path, records, VOUCHER, "--budget", "3000.00"))
    assert result["avviso"] == VOUCHER
    assert (result["budget"], result["assigned"], result["residual"]) == (
        "3000.00",
        "3000.00",
        "0.00",
    )
    got = [(r["istanza"], r["position"], r["outcome"], r["amount"]) for r in result["rows"]]
    assert got == [
        ("V-00", 1, "finanziata", "600.00"),
        ("V-03", 2, "finanziata", "300.00"),
        ("V-02", 3, "finanziata", "1950.00"),
        ("V-01", 4, "finanziata_parzialmente", "150.00"),
        ("V-04", 5, "ammessa_non_finanziata", "0.00"),
        ("V-X", None, "non_ammissibile", "0.00"),
    ]
    assert all(r["priority_class"] is None for r in result["rows"])
    assert all(r["comune"] == "E265" for r in result["rows"])


def test_sportello_default_budget(tmp_path: Path) -> None:
    """Voucher budget 114,050.91 (§3): one istanza of 600.00 → assigned 600.00, residual
    113,450.91."""
    result = _ok(
        rank(tmp_path, [_voucher("V-1", "2024-05-02T09:00:00", "b_psicologico", "600.00")], VOUCHER)
    )
    assert (result["budget"], result["assigned"], result["residual"]) == (
        "114050.91",
        "600.00",
        "113450.91",
    )


def test_sportello_budget_used_up_exactly(tmp_path: Path) -> None:
    """Assegno di autonomia (§4), budget 9,600.00, three projects June-November 2024 of
    6 x 800.00 = 4,800.00 each, submitted on 02/05, 03/05 and 06/05. 4,800 + 4,800 = 9,600: the
    first two are finanziata and nothing is left, so the third waits (ammessa_non_finanziata,
    0.00), rather than being "funded partially" with 0.00."""
    records = [
        istanza(ASSEGNO, id=f"AA-{n}", surname=f"Cognome{n}", submitted_at=ts)
        for n, ts in (
            (3, "2024-05-06T09:00:00"),
            (1, "2024-05-02T09:00:00"),
            (2, "2024-05-03T09:00:00"),
        )
    ]
    result = _ok(rank(tmp_path, records, ASSEGNO))
    assert (result["budget"], result["assigned"], result["residual"]) == (
        "9600.00",
        "9600.00",
        "0.00",
    )
    got = [(r["istanza"], r["position"], r["outcome"], r["amount"]) for r in result["rows"]]
    assert got == [
        ("AA-1", 1, "finanziata", "4800.00"),
        ("AA-2", 2, "finanziata", "4800.00"),
        ("AA-3", 3, "ammessa_non_finanziata", "0.00"),
    ]


def _incomplete() -> list[Record]:
    waiting = cg("P-B", None, None)
    waiting["documents"] = [
        {"code": "documento_identita", "received_on": "2024-01-15"},
        {"code": "isee", "promised_by": "2024-01-31"},
    ]
    return [cg("P-C", "15000.00", "20000.00"), waiting, cg("P-A", "10000.00", "20000.00")]


def test_rank_refused_while_an_istanza_is_da_integrare(tmp_path: Path) -> None:
    """interchange §2: on 20/01/2024 P-B still waits for its ISEE (promised by 31/01/2024), so it
    is da_integrare; a ranking must not be published on incomplete files → exit 1, stderr names
    P-B, nothing on stdout."""
    done = rank(tmp_path, _incomplete(), CAREGIVER, on="2024-01-20")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "P-B" in done.stderr
    assert done.stdout == ""


def test_rank_provisional(tmp_path: Path) -> None:
    """With --provisional the same run is published as provisional: "provisional": true, P-B's
    row is da_integrare with position null; P-A (10,000) and P-C (15,000) are 1 and 2, both
    finanziata (2 x 1,000.00 ≤ 19,453.77)."""
    result = _ok(rank(tmp_path, _incomplete(), CAREGIVER, "--provisional", on="2024-01-20"))
    assert result["provisional"] is True
    b = _row(result, "P-B")
    assert (b["outcome"], b["position"]) == ("da_integrare", None)
    ranked = [(r["istanza"], r["position"], r["outcome"]) for r in result["rows"] if r["position"]]
    assert ranked == [("P-A", 1, "finanziata"), ("P-C", 2, "finanziata")]
    assert result["assigned"] == "2000.00"


def test_rank_after_the_deadline(tmp_path: Path) -> None:
    """interchange §2: once the deadline has passed (01/02/2024) the missing ISEE makes P-B
    non_ammissibile; the ranking runs (exit 0) with P-B last, position null, amount 0.00."""
    result = _ok(rank(tmp_path, _incomplete(), CAREGIVER, on="2024-02-01"))
    got = [(r["istanza"], r["position"], r["outcome"], r["amount"]) for r in result["rows"]]
    assert got == [
        ("P-A", 1, "finanziata", AMOUNT),
        ("P-C", 2, "finanziata", AMOUNT),
        ("P-B", None, "non_ammissibile", "0.00"),
    ]
    assert result.get("provisional") in (None, False)


def _template_rank(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    record = istanza(
        TEMPLATE,
        comune="A010",
        submitted_at="2008-03-01T09:00:00",
        requests=[line("contributo_retribuzione", "500.00", "2008-03-01", "2008-03-31")],
    )
    return rank(tmp_path, [record], TEMPLATE, *extra, on="2008-04-01")


@pytest.mark.parametrize("extra", [(), ("--budget", "10000.00")], ids=["no-budget", "budget"])
def test_rank_refused_on_the_template(tmp_path: Path, extra: tuple[str, ...]) -> None:
    """§5: the product refuses to run a ranking on a definition whose required parameters are
    unset, and says which. Without --budget the budget is among them; with a budget the ISEE
    ceilings, caps, window and allocation mode are still unset."""
    done = _template_rank(tmp_path, *extra)
    assert done.returncode != 0, done.stdout
    assert done.stdout == ""
    for parameter in ("window", "allocation"):
        assert parameter in done.stderr, done.stderr
    if not extra:
        assert "budget" in done.stderr, done.stderr


def test_rank_refusal_on_the_template_is_bad_input(tmp_path: Path) -> None:
    """interchange §2: bad input → exit 2 (a template not filled in is a wrong --avviso)."""
    assert _template_rank(tmp_path).returncode == 2
