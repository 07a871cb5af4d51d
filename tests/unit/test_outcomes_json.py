"""``esiti.json`` (``caseworker.esiti/1``): written canonically, read back equal, and every
refusal names the field, never a value (docs/transfer-format.md §12)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.outcomes import (
    OutcomeLine,
    Outcomes,
    Standing,
    file_name,
    standing,
)
from caseworker_app.domain.rules.allocation import Funding
from caseworker_app.transfer.outcomes_json import (
    check_outcomes_payload,
    outcomes_json,
    outcomes_payload,
    read_outcomes,
)

RUN = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"
LINES = (
    OutcomeLine("A127", "A127-2026-000001", 1, 1, 1, "caregiver", Funding.FINANZIATA,
                Decimal("1200.00"), "Finanziata: 1.200,00 €"),
    OutcomeLine("A127", "A127-2026-000002", 2, 2, 1, "caregiver",
                Funding.FINANZIATA_PARZIALMENTE, Decimal("350.50"), "Finanziata parzialmente"),
    OutcomeLine("A127", "A127-2026-000003", 1, 3, 2, "caregiver",
                Funding.AMMESSA_NON_FINANZIATA, Decimal("0.00"), "Ammessa non finanziata"),
    OutcomeLine("A127", "A127-2026-000004", 1, None, None, None, Funding.NON_AMMISSIBILE,
                Decimal("0.00"), "Non ammessa: ISEE oltre la soglia"),
)  # fmt: skip
OUTCOMES = Outcomes(
    comune="A127",
    avviso="abbiatense-caregiver-2023",
    avviso_version="1",
    run_id=RUN,
    run_number=2,
    run_sha256="a" * 64,
    determina="123/2026",
    determina_date=date(2026, 12, 11),
    approved=True,
    provisional=False,
    created_at=datetime(2026, 12, 12, 9, 30, tzinfo=timezone(timedelta(hours=1))),
    lines=LINES,
)


def _raw(**changes: Any) -> bytes:
    data = json.loads(outcomes_json(OUTCOMES))
    data.update(changes)
    return json.dumps(data, ensure_ascii=False).encode()


def _line_raw(index: int, **changes: Any) -> bytes:
    data = json.loads(outcomes_json(OUTCOMES))
    data["lines"][index].update(changes)
    return json.dumps(data).encode()


def _refused(raw: bytes) -> UserFacingError:
    with pytest.raises(UserFacingError) as err:
        read_outcomes(raw, file="A010-esiti.cwt")
    return err.value


def test_outcomes_round_trip_in_canonical_json() -> None:
    raw = outcomes_json(OUTCOMES)
    assert read_outcomes(raw, file="f.cwt") == OUTCOMES
    data = json.loads(raw)
    assert (
        raw == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert data["format"] == "caseworker.esiti/1"
    assert data["lines"][1]["amount"] == "350.50"
    assert data["lines"][3]["position"] is None
    assert data["created_at"] == "2026-12-12T09:30:00+01:00"


def test_a_run_not_approved_travels_without_determina() -> None:
    preview = replace(OUTCOMES, approved=False, determina=None, determina_date=None)
    assert read_outcomes(outcomes_json(preview), file="f.cwt") == preview


def test_the_payload_is_the_format_alone() -> None:
    check_outcomes_payload(outcomes_payload(), file="f.cwt")
    with pytest.raises(UserFacingError) as err:
        check_outcomes_payload({"format": "caseworker.esiti/1", "more": 1}, file="f.cwt")
    assert (err.value.code, err.value.params["field"]) == ("outcomes.invalid", "more")
    with pytest.raises(UserFacingError) as err:
        check_outcomes_payload({"format": "caseworker.esiti/2"}, file="f.cwt")
    assert err.value.code == "outcomes.format_newer"


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        (_raw(format="caseworker.esiti/7"), "outcomes.format_newer", None),
        (_raw(format="caseworker.ricevuta/1"), "outcomes.format_unknown", None),
        (_raw(extra=1), "outcomes.invalid", "extra"),
        (_raw(run_id="not-a-uuid"), "outcomes.invalid", "run_id"),
        (_raw(run_number=0), "outcomes.invalid", "run_number"),
        (_raw(run_sha256="A" * 64), "outcomes.invalid", "run_sha256"),
        (_raw(determina=None), "outcomes.invalid", "determina"),
        (_raw(approved=False), "outcomes.invalid", "determina"),
        (_raw(provisional=True), "outcomes.invalid", "provisional"),
        (_raw(created_at="2026-12-12T09:30:00"), "outcomes.invalid", "created_at"),
        (_raw(lines=[]), "outcomes.invalid", "lines"),
        (_line_raw(1, comune="B448"), "outcomes.invalid", "lines[1].comune"),
        (_line_raw(0, outcome="vinta"), "outcomes.invalid", "lines[0].outcome"),
        (_line_raw(2, outcome="da_integrare"), "outcomes.invalid", "lines[2].outcome"),
        (_line_raw(2, amount="10.00"), "outcomes.invalid", "lines[2].amount"),
        (_line_raw(0, amount=1200), "outcomes.invalid", "lines[0].amount"),
        (_line_raw(0, reason="due\nrighe"), "outcomes.invalid", "lines[0].reason"),
        (_line_raw(1, protocol="A127-2026-000001"), "outcomes.invalid", "lines[1].protocol"),
        (_line_raw(0, version=0), "outcomes.invalid", "lines[0].version"),
        (b'{"format": "caseworker.esiti/1", "format": 1}', "outcomes.unreadable", None),
        (b"\xff", "outcomes.unreadable", None),
    ],
)
def test_a_wrong_file_is_refused_naming_the_field(raw: bytes, code: str, field: str | None) -> None:
    error = _refused(raw)
    assert error.code == code
    assert error.params["file"] == "A010-esiti.cwt"
    if field is not None:
        assert error.params["field"] == field
    # a value of the file is never repeated in the message
    assert "A127-2026-000001" not in str(error.params)


def test_the_writer_refuses_what_the_reader_would() -> None:
    with pytest.raises(ValueError):
        outcomes_json(replace(OUTCOMES, created_at=datetime(2026, 12, 12, 9, 30)))
    with pytest.raises(ValueError):
        outcomes_json(replace(OUTCOMES, lines=(replace(LINES[0], reason="a\nb"),)))


def test_file_names_carry_no_personal_data() -> None:
    assert file_name("A010", "abbiatense-caregiver-2023", 2, "A127") == (
        "A010-esiti-abbiatense-caregiver-2023-n2-A127.cwt"
    )


def test_a_later_run_supersedes_an_older_one_is_stale() -> None:
    run1 = replace(OUTCOMES, run_id="2b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", run_number=1)
    preview3 = replace(
        OUTCOMES,
        run_id="3b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
        run_number=3,
        approved=False,
        determina=None,
        determina_date=None,
    )
    assert standing(OUTCOMES, [run1]) is Standing.NEW
    assert standing(run1, [OUTCOMES]) is Standing.STALE
    assert standing(OUTCOMES, [OUTCOMES]) is Standing.SAME
    # another copy of the same run, reasons worded otherwise: the same
    reworded = replace(OUTCOMES, lines=tuple(replace(ln, reason="") for ln in LINES))
    assert standing(reworded, [OUTCOMES]) is Standing.SAME
    moved = replace(OUTCOMES, lines=(replace(LINES[0], amount=Decimal("1.00")), *LINES[1:]))
    assert standing(moved, [OUTCOMES]) is Standing.CONFLICT
    # a run not approved yet: recorded over an older one, stale under a newer one
    assert standing(preview3, [OUTCOMES]) is Standing.NEW
    assert standing(replace(preview3, run_number=1), [OUTCOMES]) is Standing.STALE
    # an approved run still counts after a newer preview; its approval arrives later
    assert standing(OUTCOMES, [preview3]) is Standing.NEW
    approved3 = replace(
        preview3, approved=True, determina="1/2027", determina_date=date(2027, 1, 2)
    )
    assert standing(approved3, [preview3]) is Standing.NEW
    assert standing(preview3, [approved3]) is Standing.SAME
