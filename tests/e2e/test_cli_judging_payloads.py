"""``caseworker check/rank --json`` print exactly what the judging use case and the payload
writers give (services/judging.py, transfer/verdict_json.py): the command adds nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from caseworker_app.services import judging
from caseworker_app.transfer.verdict_json import allocation_payload, verdict_payload

from .examples.builders import CAREGIVER, ON, VOUCHER, cli, isee, istanza, line, write


def _dumped(payload: dict[str, Any], *, compact: bool = False) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=None if compact else 2) + "\n"


def _caregiver(ident: str, ss: str, amount: str = "1000.00", **kw: Any) -> dict[str, Any]:
    return istanza(
        CAREGIVER,
        id=ident,
        isee_list=[isee("sociosanitario", ss)],
        requests=[line("rimborso_domiciliare", amount, "2023-02-01", "2023-11-30")],
        **kw,
    )


def test_check_prints_the_writer_payload(tmp_path: Path) -> None:
    # an istanza with a line cut to the documented cost and one refused (ISEE too high)
    for name, record in {
        "ok.json": _caregiver("P-OK", "18500.00", "900.00", surname="Bianchi"),
        "ko.json": _caregiver("P-KO", "31000.00"),
    }.items():
        path = write(tmp_path, record, name)
        done = cli(
            "check", "--avviso", CAREGIVER, "--on", ON[CAREGIVER], str(path), "--json",
            home=tmp_path / "home",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        verdict = judging.check_istanza_file(
            avviso_id=CAREGIVER, path=path, on=date.fromisoformat(ON[CAREGIVER])
        )
        assert done.stdout == _dumped(verdict_payload(verdict))


def test_rank_prints_the_writer_payload(tmp_path: Path) -> None:
    records = [
        _caregiver(f"R-{i:02d}", f"{9000 + 700 * i}.00", in_place=("b2_buono",) if i % 3 else ())
        for i in range(8)
    ] + [_caregiver("R-KO", "40000.00")]
    path = write(tmp_path, records, "istanze.json")
    done = cli(
        "rank", "--avviso", CAREGIVER, "--on", ON[CAREGIVER], "--budget", "4500.00", str(path),
        "--json", home=tmp_path / "home",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = judging.rank_istanze_file(
        avviso_id=CAREGIVER,
        path=path,
        on=date.fromisoformat(ON[CAREGIVER]),
        budget=Decimal("4500.00"),
        provisional=False,
    )
    assert done.stdout == _dumped(allocation_payload(result))
    assert json.loads(done.stdout)["rows"][4]["outcome"] == "finanziata_parzialmente"


def test_a_long_ranking_is_printed_on_one_line(tmp_path: Path) -> None:
    records = [
        istanza(VOUCHER, id=f"S-{i:03d}", submitted_at=f"2024-05-06T09:{i // 60:02d}:{i % 60:02d}")
        for i in range(101)
    ]
    path = write(tmp_path, records, "istanze.json")
    done = cli(
        "rank", "--avviso", VOUCHER, "--on", ON[VOUCHER], str(path), "--json",
        home=tmp_path / "home",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = judging.rank_istanze_file(
        avviso_id=VOUCHER, path=path, on=date.fromisoformat(ON[VOUCHER])
    )
    assert done.stdout == _dumped(allocation_payload(result), compact=True)
