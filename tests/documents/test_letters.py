"""The letters to applicants as documents: the Italian letter layout on the documents frame,
each outcome's wording, the preavviso's terms; deterministic, one page, valid PDF, fonts
embedded, rendered by poppler."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app.documents.base import Letterhead, read_stamp
from caseworker_app.documents.letters import (
    APPEAL,
    NEGATIVE_VERIFICATION_TITLE,
    OUTCOME_TITLE,
    Addressee,
    LetterHeading,
    LetterOutcome,
    NegativeVerificationLetter,
    OutcomeLetter,
    long_date,
    render_negative_verification_letter,
    render_outcome_letter,
)
from tests.tools import assert_fonts_embedded, require

PEC = "protocollo@pec.comune.abbiategrasso.mi.it"
HEAD = Letterhead(
    ambito="Ambito territoriale dell'Abbiatense",
    comune="Comune di Abbiategrasso",
    office="Servizi Sociali",
    address="Piazza Marconi 1, 20081 Abbiategrasso (MI)",
    phone="02 9469 2201",
    pec=PEC,
)
HEADING = LetterHeading(
    letterhead=HEAD,
    addressee=Addressee(
        "Bice Prova",
        "in qualità di figlia di Ada Prova",
        ("Via Roma 1", "20081 Abbiategrasso (MI)"),
    ),
    place="Abbiategrasso",
    dated=date(2024, 3, 21),
    created=datetime(2024, 3, 21, 9, 30),
    protocol="A010-2023-000012",
    submitted_on=date(2023, 11, 20),
    avviso_title="Caregiver familiare 2023 - rimborso spese (Ambito dell'Abbiatense)",
    signer_name="Maria Rossi",
    signer_qualifica="assistente sociale",
)


def ranked(
    outcome: LetterOutcome,
    amount: Decimal | None = None,
    requested: Decimal | None = None,
    reasons: tuple[str, ...] = (),
) -> OutcomeLetter:
    """A letter after the graduatoria n. 2, approved with determina n. 45/2024."""
    return OutcomeLetter(HEADING, outcome, amount, requested, reasons, position=41,
                         ranking_number=2, ranking_date=date(2024, 3, 15), determina="45/2024",
                         determina_date=date(2024, 3, 20))  # fmt: skip


def words(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def valid(pdf: bytes, tmp_path: Path, name: str) -> Path:
    """qpdf --check passes, every font is embedded, poppler renders it."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert_fonts_embedded(path)
    subprocess.run([require("pdftoppm"), "-png", "-r", "60", str(path), str(tmp_path / name)],
                   check=True)  # fmt: skip
    assert (tmp_path / f"{name}-1.png").stat().st_size > 0
    return path


def test_funded_letter_in_the_italian_layout(tmp_path: Path) -> None:
    letter = ranked(LetterOutcome.FINANZIATA, Decimal("1200.00"))
    pdf = render_outcome_letter(letter)
    text = words(pdf)
    for expected in (
        OUTCOME_TITLE, "Comune di Abbiategrasso", "Servizi Sociali", PEC,
        "Prot. n.", "Rif.: istanza prot. n. A010-2023-000012 del 20/11/2023",
        "Gent.le Sig./Sig.ra Bice Prova in qualità di figlia di Ada Prova Via Roma 1 "
        "20081 Abbiategrasso (MI)",
        "Abbiategrasso, 21 marzo 2024", "Oggetto:", "istanza finanziata",
        "Gentile Bice Prova,",
        "graduatoria d'Ambito n. 2 del 15/03/2024, approvata con determina n. 45/2024 del "
        "20/03/2024",
        "finanziata per un importo di 1.200,00 €",
        "Distinti saluti.", "Il Responsabile del procedimento", "Maria Rossi, assistente sociale",
        "Pagina 1 di 1",
    ):  # fmt: skip
        assert expected in text, expected
    assert pages(pdf) == 1
    assert render_outcome_letter(letter) == pdf  # deterministic
    valid(pdf, tmp_path, "finanziata")


def test_partial_letter_says_amount_admitted_and_why() -> None:
    letter = ranked(LetterOutcome.FINANZIATA_PARZIALMENTE, Decimal("612.50"), Decimal("800.00"),
                    ("Residuo delle risorse della graduatoria.",))  # fmt: skip
    text = words(render_outcome_letter(letter))
    assert "finanziata parzialmente per un importo di 612,50 € (a fronte di 800,00 € " in text
    assert "Il finanziamento è parziale per il seguente motivo:" in text
    assert "Residuo delle risorse della graduatoria." in text


def test_not_funded_letter_gives_the_position_and_the_scorrimento() -> None:
    letter = ranked(LetterOutcome.AMMESSA_NON_FINANZIATA)
    text = words(render_outcome_letter(letter))
    assert "collocata in graduatoria alla posizione n. 41" in text
    assert "non è stata finanziata" in text
    assert "In caso di scorrimento della graduatoria" in text


def test_not_admitted_letter_gives_reasons_and_remedies(tmp_path: Path) -> None:
    reasons = (
        "ISEE sociosanitario 31.000,00 € supera il massimo di 25.000,00 € (avviso, art. 2).",
        "Istanza presentata il 28/02/2024, oltre il termine del 22/01/2024 (avviso, art. 4).",
    )
    letter = OutcomeLetter(HEADING, LetterOutcome.NON_AMMISSIBILE, reasons=reasons)
    pdf = render_outcome_letter(letter)
    text = words(pdf)
    assert "non è stata ammessa per i seguenti motivi:" in text
    for reason in reasons:
        assert reason in text
    assert " ".join(APPEAL.split()) in text
    assert "ricorso al TAR" in text and "entro 60 giorni" in text and "120 giorni" in text
    assert "a seguito della graduatoria d'Ambito n. 2" not in text  # no ranking given
    before = words(render_outcome_letter(dataclasses.replace(letter, ranked=False)))
    assert "a seguito della verifica dei requisiti di accesso, la Sua istanza" in before
    valid(pdf, tmp_path, "non_ammissibile")


def test_a_funded_letter_without_amount_is_a_bug_of_the_caller() -> None:
    with pytest.raises(ValueError):
        render_outcome_letter(OutcomeLetter(HEADING, LetterOutcome.FINANZIATA))


def test_preavviso_gives_the_reasons_the_term_and_where(tmp_path: Path) -> None:
    letter = NegativeVerificationLetter(
        HEADING, ("Non risulta posseduto il requisito di disabilità previsto dall'avviso.",),
        verified_on=date(2024, 1, 15),
    )  # fmt: skip
    pdf = render_negative_verification_letter(letter)
    text = words(pdf)
    assert NEGATIVE_VERIFICATION_TITLE in text
    assert "art. 10-bis della Legge 7 agosto 1990, n. 241" in text
    assert "alla data del 15/01/2024" in text
    assert "Non risulta posseduto il requisito di disabilità previsto dall'avviso." in text
    assert "entro 10 giorni dal ricevimento" in text
    office = ("all'Ufficio Servizi Sociali del Comune di Abbiategrasso, Piazza Marconi 1, 20081 "
              "Abbiategrasso (MI), oppure inviati tramite PEC all'indirizzo ")  # fmt: skip
    assert office + PEC in text
    assert "sospende i termini" in text
    assert pages(pdf) == 1
    assert render_negative_verification_letter(letter) == pdf
    valid(pdf, tmp_path, "preavviso")


def test_without_pec_the_office_alone_is_named() -> None:
    heading = dataclasses.replace(HEADING, letterhead=dataclasses.replace(HEAD, pec="",
                                                                          address=""))  # fmt: skip
    letter = NegativeVerificationLetter(heading, ("Motivo.",), verified_on=date(2024, 1, 15))
    text = words(render_negative_verification_letter(letter))
    assert "all'Ufficio Servizi Sociali del Comune di Abbiategrasso, indicando" in text
    assert "PEC" not in text


def test_the_stamp_names_the_istanza_and_the_letter() -> None:
    letter = OutcomeLetter(HEADING, LetterOutcome.FINANZIATA, Decimal("1200.00"))
    other = dataclasses.replace(letter, amount=Decimal("1100.00"))
    first, second = words(render_outcome_letter(letter)), words(render_outcome_letter(other))
    assert "Rif. A010-2023-000012 · esito" in first
    impronta = first.split("Impronta ")[1][:16]
    assert impronta not in second  # the content hash follows what the letter says
    assert read_stamp(f"CW2|A010-2023-000012|esito||{impronta}").kind == "esito"


def test_long_dates_in_italian() -> None:
    assert long_date(date(2024, 3, 1)) == "1° marzo 2024"
    assert long_date(date(2023, 12, 31)) == "31 dicembre 2023"
