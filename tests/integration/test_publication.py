"""The publication of an approved run at the capofila (issue 13), on real encrypted stores:
nothing under ``pubblicazione/`` names a beneficiary (codice fiscale, surname, ISEE value, IBAN
scanned in the text of every file), the internal spreadsheets and the liquidazione carry the
rows with typed cells, the same run twice changes nothing, a foreign file is never overwritten."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.iban import iban_problem
from caseworker_app.services import publication, ranking_runs
from caseworker_app.services.transmissions_reception import received_istanze
from caseworker_app.transfer.istanza_record import read_istanza

from .transmission_stores import AVVISO, NOW, Ambito, make_ambito, receive_all, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FINAL = date(2027, 12, 31)  # every promised document's term has passed: the run is final


@pytest.fixture
def approved(tmp_path: Path, make_vault: Callable[[Path], Vault]) -> Iterator[tuple[Ambito, str]]:
    for ambito in make_ambito(tmp_path, make_vault):
        receive_all(ambito)
        store = ambito.capofila
        run = ranking_runs.rank_received(
            store.uow_factory(), actor=store.actor, avviso_id=AVVISO, on=FINAL, now=NOW
        )
        ranking_runs.approve_run(
            store.uow_factory(),
            actor=store.actor,
            run_id=run.run.id,
            determina="321/2026",
            on=NOW.date(),
            now=NOW,
        )
        yield ambito, run.run.id


def _publish(ambito: Ambito, run_id: str, out: Path) -> publication.Published:
    store = ambito.capofila
    return publication.publish_run(
        store.uow_factory(), actor=store.actor, run_id=run_id, out_dir=out, now=NOW
    )


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        reader = PdfReader(path)
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        return "\n".join(page.extract_text() for page in reader.pages) + "\n" + meta
    return path.read_bytes().decode("utf-8-sig")


def _personal(ambito: Ambito) -> dict[str, set[str]]:
    """What would identify a beneficiary, from the records the capofila received."""
    store = ambito.capofila
    found: dict[str, set[str]] = {"cf": set(), "surname": set(), "isee": set(), "iban": set()}
    for held in received_istanze(store.uow_factory(), actor=store.actor, avviso=AVVISO):
        record = read_istanza(held.record, source="t", avviso=None)
        found["cf"].add(record.beneficiary.codice_fiscale)
        found["surname"].add(record.beneficiary.surname)
        for entry in record.isee:
            whole = f"{entry.value:.2f}"
            found["isee"] |= {whole, f"{entry.value:,.2f}".replace(",", "X").replace(".", ",")
                              .replace("X", ".")}  # fmt: skip
        payment = record.extra.get("pagamento")
        if isinstance(payment, dict):
            found["iban"].add(str(payment["iban"]))
    return found


def test_nothing_under_pubblicazione_names_a_beneficiary(
    approved: tuple[Ambito, str], tmp_path: Path
) -> None:
    ambito, run_id = approved
    out = tmp_path / "out"
    out.mkdir()
    done = _publish(ambito, run_id, out)
    public = sorted((out / publication.PUBLIC_DIR).iterdir())
    assert [p.suffix for p in public] == [".csv", ".pdf"]
    assert set(public) == set(done.public)
    personal = _personal(ambito)
    assert personal["iban"], "the demo istanze carry an IBAN to the capofila"
    comuni_words = {"Abbiategrasso", "Ufficio", "Piano"}
    for path in public:
        text = _text(path)
        words = set(re.findall(r"[\w']+", text))
        for cf in personal["cf"]:
            assert cf not in text, (path.name, "codice fiscale")
        for surname in personal["surname"] - comuni_words:
            assert surname not in words, (path.name, "surname")
        for iban in personal["iban"]:
            assert iban not in text.replace(" ", ""), (path.name, "IBAN")
        for value in personal["isee"]:
            assert value not in text, (path.name, "ISEE")
    # what is published: every row by protocol, the run's identity and the determina
    stored = ranking_runs.get_run(
        ambito.capofila.uow_factory(), actor=ambito.capofila.actor, run_id=run_id
    )
    pdf_text = _text(done.public_pdf)
    assert stored.content_sha256 in pdf_text.replace("\n", "") and "321/2026" in pdf_text
    for row in stored.run.rows:
        assert row.protocol in pdf_text
    for path in done.files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_internal_files_hold_the_rows_and_the_payments(
    approved: tuple[Ambito, str], tmp_path: Path
) -> None:
    ambito, run_id = approved
    out = tmp_path / "out"
    out.mkdir()
    done = _publish(ambito, run_id, out)
    stored = ranking_runs.get_run(
        ambito.capofila.uow_factory(), actor=ambito.capofila.actor, run_id=run_id
    )
    names = {p.name for p in done.internal}
    stem = f"graduatoria-{AVVISO}-n1"
    assert {f"{stem}.xlsx", f"{stem}.csv", f"liquidazione-{AVVISO}-n1.xlsx",
            f"liquidazione-{AVVISO}-n1.csv"} <= names  # fmt: skip
    book = openpyxl.load_workbook(BytesIO((out / "uso-interno" / f"{stem}.xlsx").read_bytes()))
    ranked = [ws for ws in book.worksheets if ws.title not in ("Riepilogo", "Graduatoria n. 1")]
    rows = [r for ws in ranked for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(stored.run.rows)
    personal = _personal(ambito)
    assert {r for row in rows for r in row if isinstance(r, str)} & personal["cf"]
    funded = [r for r in stored.run.rows if r.amount > 0]
    assert funded, "the demo run funds someone"
    payments = openpyxl.load_workbook(
        BytesIO((out / "uso-interno" / f"liquidazione-{AVVISO}-n1.xlsx").read_bytes())
    )
    lines = [r for ws in payments.worksheets for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(lines) == len(funded)
    amounts = sorted(v for line in lines for v in line if isinstance(v, float | int | Decimal)
                     and not isinstance(v, bool))  # fmt: skip
    assert sum(Decimal(str(a)) for a in amounts) >= sum(r.amount for r in funded)
    ibans = {v for line in lines for v in line if isinstance(v, str) and v.startswith("IT")}
    assert ibans and all(iban_problem(i) is None for i in ibans)
    # one sheet per comune that has a funded istanza
    assert len(payments.worksheets) == len({r.comune for r in funded})


def test_the_same_run_twice_changes_nothing_and_a_foreign_file_is_kept(
    approved: tuple[Ambito, str], tmp_path: Path
) -> None:
    ambito, run_id = approved
    out = tmp_path / "out"
    out.mkdir()
    first = _publish(ambito, run_id, out)
    contents = {p: p.read_bytes() for p in first.files}
    again = _publish(ambito, run_id, out)
    assert set(again.unchanged) == set(first.files)
    assert {p: p.read_bytes() for p in first.files} == contents
    other = tmp_path / "other"
    (other / "uso-interno").mkdir(parents=True)
    foreign = other / "uso-interno" / f"liquidazione-{AVVISO}-n1.csv"
    foreign.write_bytes(b"not ours")
    before = snapshot(ambito.capofila)
    with pytest.raises(UserFacingError) as caught:
        _publish(ambito, run_id, other)
    assert caught.value.code == "desk.publish_target_exists"
    assert foreign.read_bytes() == b"not ours"
    assert sorted(p.name for p in other.rglob("*") if p.is_file()) == [foreign.name]
    assert snapshot(ambito.capofila) == before
