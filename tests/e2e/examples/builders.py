"""Small istanza records (interchange.md §1) and a runner for the real ``caseworker`` command.

Every record starts from a plain, admissible case of its avviso; a worked example changes only
the fields its rule is about, so the reader sees the one difference that decides the outcome.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from caseworker_app.domain.codice_fiscale import Sex, encode_codice_fiscale

CASEWORKER = Path(sys.executable).with_name("caseworker")

CAREGIVER = "abbiatense-caregiver-2023"
VOUCHER = "pavese-b2-2024-voucher"
ASSEGNO = "pavese-b2-2024-assegno-autonomia"
TEMPLATE = "lombardia-assistenti-familiari-2007"

# Evaluation dates: after every deadline of the avviso unless a test is about a deadline.
ON = {CAREGIVER: "2024-02-01", VOUCHER: "2024-05-20", ASSEGNO: "2024-05-20"}

BIRTHPLACE = "F205"  # Milano: a birthplace valid for any birth year

Record = dict[str, Any]


def isee(kind: str, value: str, received_on: str = "2024-01-10") -> dict[str, str]:
    """One ISEE attestation: ``kind`` is sociosanitario, ordinario, minorenni, ..."""
    return {"type": kind, "value": value, "received_on": received_on}


def line(code: str, amount: str, start: str, end: str | None = None, days: int | None = None):
    """One request line; a one-off intervention has ``from`` = ``to``."""
    out: dict[str, Any] = {"code": code, "amount": amount, "from": start, "to": end or start}
    if days is not None:
        out["days"] = days
    return out


_DEFAULTS: dict[str, dict[str, Any]] = {
    CAREGIVER: {
        "comune": "A010",
        "submitted_at": "2024-01-15T10:30:00",
        "isee": [isee("sociosanitario", "18500.00"), isee("ordinario", "21000.00")],
        "requests": [line("rimborso_domiciliare", "900.00", "2023-03-01", "2023-12-31")],
        "care": (True, False, False),
    },
    VOUCHER: {
        "comune": "E265",
        "submitted_at": "2024-05-06T09:00:00",
        "isee": [
            isee("sociosanitario", "18500.00", "2024-04-20"),
            isee("ordinario", "21000.00", "2024-04-20"),
        ],
        "requests": [line("b_psicologico", "600.00", "2024-06-01")],
        "care": (True, False, False),
    },
    ASSEGNO: {
        "comune": "E265",
        "submitted_at": "2024-05-06T09:00:00",
        "isee": [
            isee("sociosanitario", "18500.00", "2024-04-20"),
            isee("ordinario", "21000.00", "2024-04-20"),
        ],
        "requests": [line("assegno_autonomia", "4800.00", "2024-06-01", "2024-11-30")],
        # The assistant is hired under a regular contract: not "family caregiver only".
        "care": (False, True, True),
    },
}


def istanza(
    avviso: str = CAREGIVER,
    *,
    id: str = "T-0001",
    comune: str | None = None,
    residence: str | None = None,
    submitted_at: str | None = None,
    birth_date: str = "1940-01-01",
    sex: str = "M",
    surname: str = "Rossi",
    given_name: str = "Mario",
    lives_at_home: bool = True,
    l104: bool = True,
    indennita: bool = False,
    isee_list: Sequence[dict[str, str]] | None = None,
    family_caregiver_only: bool | None = None,
    employed_assistant: bool | None = None,
    self_managed_project: bool | None = None,
    in_place: Iterable[str] = (),
    requests: Sequence[dict[str, Any]] | None = None,
    documents: Sequence[dict[str, str]] | None = None,
) -> Record:
    """A complete ``caseworker.istanza/1`` record for ``avviso`` (defaults: admissible)."""
    base = _DEFAULTS.get(avviso, _DEFAULTS[CAREGIVER])
    comune = comune or base["comune"]
    submitted_at = submitted_at or base["submitted_at"]
    only, employed, project = base["care"]
    cf = encode_codice_fiscale(
        surname=surname,
        given_name=given_name,
        sex=Sex(sex),
        birth_date=date.fromisoformat(birth_date),
        birthplace_code=BIRTHPLACE,
    )
    record = {
        "format": "caseworker.istanza/1",
        "id": id,
        "avviso": avviso,
        "comune": comune,
        "submitted_at": submitted_at,
        "beneficiary": {
            "codice_fiscale": cf,
            "surname": surname,
            "given_name": given_name,
            "birth_date": birth_date,
            "sex": sex,
            "residence": residence or comune,
            "lives_at_home": lives_at_home,
        },
        "disability": {
            "l104_art3_c3": l104,
            "indennita_accompagnamento": indennita,
            "invalidita_civile_percent": 100,
        },
        "isee": list(base["isee"] if isee_list is None else isee_list),
        "care": {
            "family_caregiver_only": only
            if family_caregiver_only is None
            else family_caregiver_only,
            "employed_assistant": employed if employed_assistant is None else employed_assistant,
            "self_managed_project": project
            if self_managed_project is None
            else self_managed_project,
        },
        "in_place": list(in_place),
        "requests": list(base["requests"] if requests is None else requests),
        "documents": list(
            [{"code": "documento_identita", "received_on": submitted_at[:10]}]
            if documents is None
            else documents
        ),
    }
    # A fresh copy: a test that edits its record must not touch the defaults of the others.
    return copy.deepcopy(record)


def write(folder: Path, data: Any, name: str = "istanza.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would (no CASEWORKER_* variables leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}
    env["HOME"] = str(home)
    return subprocess.run(
        [str(CASEWORKER), *args],
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check(tmp_path: Path, record: Record, *, avviso: str | None = None, on: str | None = None):
    """``caseworker check --json``: exit 0 and the parsed verdict."""
    avviso = avviso or record["avviso"]
    path = write(tmp_path, record)
    done = cli(
        "check",
        "--avviso",
        avviso,
        "--on",
        on or ON[avviso],
        str(path),
        "--json",
        home=tmp_path / "home",
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr}"
    return json.loads(done.stdout)


def rank(folder: Path, records: Any, avviso: str, *extra: str, on: str | None = None):
    """``caseworker rank --json`` on a JSON array (or on a folder when ``records`` is a Path)."""
    path = records if isinstance(records, Path) else write(folder, records, "istanze.json")
    return cli(
        "rank",
        "--avviso",
        avviso,
        "--on",
        on or ON[avviso],
        *extra,
        str(path),
        "--json",
        home=folder / "home",
    )


# --- reading a verdict ------------------------------------------------------------------------


def the_check(verdict: dict[str, Any], code: str) -> dict[str, Any]:
    found = [c for c in verdict["checks"] if c["code"] == code]
    assert len(found) == 1, f"expected one check {code!r}, got {verdict['checks']}"
    return found[0]


def the_line(verdict: dict[str, Any], code: str, index: int = 0) -> dict[str, Any]:
    found = [ln for ln in verdict["lines"] if ln["code"] == code]
    assert len(found) > index, f"expected line {code!r} #{index}, got {verdict['lines']}"
    return found[index]


def with_status(verdict: dict[str, Any], status: str) -> list[dict[str, Any]]:
    return [c for c in verdict["checks"] if c["status"] == status]


_ITALIAN = re.compile(
    r"\b(di|del|della|dei|non|il|la|le|è|per|al|alla|con|da|senza|una|in|nessun[ao]?|entro|"
    r"oltre|supera|manca|mancante|presente|residente|dichiarat[ao]|ridott[ao]|massimo|minimo|"
    r"incompatibil[ei]|requisito|ammess[aoie]|esclus[aoie])\b",
    re.IGNORECASE,
)
_ITALIAN_SUFFIX = re.compile(r"\w{3,}(zione|zioni|mente|ità|at[oaie]|ut[oaie]|ist[oaie])\b", re.I)
_ENGLISH = re.compile(r"\b(the|is|must|not allowed|exceeds|missing|should)\b", re.IGNORECASE)
_CITATION = re.compile(r"(art\.|§|punto|par\.|paragrafo)\s*\d", re.IGNORECASE)


def assert_cites(message: str) -> None:
    """A message for a person: Italian, and it cites the rule (article, section or point)."""
    assert message.strip(), "empty message"
    assert _ITALIAN.search(message) or _ITALIAN_SUFFIX.search(message), f"not Italian: {message!r}"
    assert not _ENGLISH.search(message), f"English words in: {message!r}"
    assert _CITATION.search(message), f"no rule cited in: {message!r}"


def assert_ko(verdict: dict[str, Any], code: str, topic: str) -> dict[str, Any]:
    """Not admissible because of exactly one check, ``code``, whose message is about ``topic``."""
    assert verdict["outcome"] == "non_ammissibile", verdict
    assert verdict["amount"] == "0.00", verdict
    ko = with_status(verdict, "ko")
    assert [c["code"] for c in ko] == [code], verdict["checks"]
    assert re.search(topic, ko[0]["message"], re.IGNORECASE), ko[0]["message"]
    assert_cites(ko[0]["message"])
    return ko[0]


def assert_no_ko(verdict: dict[str, Any]) -> None:
    assert with_status(verdict, "ko") == [], verdict["checks"]
