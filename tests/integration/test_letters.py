"""The letters to applicants on a real encrypted store: the comunicazione di esito of each
outcome, the preavviso di rigetto, the refusals, the audit; the PDFs read back with pypdf and
checked with qpdf; no health data in any of them."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.istanza import IstanzaState
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Role
from caseworker_app.messages import render
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import letters
from caseworker_app.services.printing import DocumentKind
from tests.integration.letter_cases import HEALTH_WORDS, LATER, letter_case
from tests.tools import require

Created = tuple[Vault, OpenStore, str]
CLERK = Actor("impiegata", frozenset({Role.AMMINISTRATIVO}))
S = IstanzaState


def pdf_text(pdf: bytes) -> str:
    """The words of every page, one space between them (lines wrap anywhere)."""
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def qpdf_check(pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "lettera.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def no_health_data(text: str) -> None:
    for word in HEALTH_WORDS:
        assert word not in text, word


def _printed(ws: OpenStore) -> list[tuple[str, str]]:
    with ws.uow_factory() as uow:
        events = uow.audit.find(AuditFilter(action=AuditAction.PRINT.value))
    return [(e.entity_type, e.entity_id) for e in events]


def _outcome(ws: OpenStore, istanza_id: IstanzaId) -> str:
    return pdf_text(letters.print_outcome_letter(ws.uow_factory(), actor=ws.actor,
                                                 istanza_id=istanza_id, now=LATER))  # fmt: skip


def test_funded_istanza_letter_tells_the_amount_to_the_daughter(
    created: Created, tmp_path: Path
) -> None:
    _, ws, _ = created
    _case, istanza_id, protocol = letter_case(ws, state=S.FINANZIATA)
    document = letters.outcome_letter(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                      now=LATER)  # fmt: skip
    assert document.kind is DocumentKind.ESITO
    assert document.suggested_name == f"Esito_{protocol}.pdf"
    assert "Prova" not in document.suggested_name
    text = pdf_text(document.pdf)
    assert "Comune di Abbiategrasso" in text
    assert "Bice Prova" in text and "in qualità di figlia di Ada Prova" in text
    assert "Via Roma 1" in text and "20081 Abbiategrasso (MI)" in text
    assert "Abbiategrasso, 21 marzo 2024" in text
    assert "Oggetto:" in text and f"prot. n. {protocol}" in text
    assert "Caregiver familiare 2023" in text
    assert "finanziata per un importo di 800,00 €" in text
    assert "Il Responsabile del procedimento" in text and "Mrossi" not in text
    assert "Distinti saluti" in text
    no_health_data(text)
    qpdf_check(document.pdf, tmp_path)
    assert _printed(ws) == [("lettera_esito", istanza_id)]
    # deterministic: the same istanza on the same moment prints the same bytes
    again = letters.print_outcome_letter(ws.uow_factory(), actor=ws.actor,
                                         istanza_id=istanza_id, now=LATER)  # fmt: skip
    assert again == document.pdf


def test_admitted_not_funded_letter_speaks_of_scorrimento(created: Created) -> None:
    _, ws, _ = created
    _case, istanza_id, _protocol = letter_case(ws, state=S.AMMESSA_NON_FINANZIATA,
                                               by_daughter=False)  # fmt: skip
    text = _outcome(ws, istanza_id)
    assert "Gentile Ada Prova" in text and "in qualità di" not in text
    assert "non è stata finanziata" in text
    assert "In caso di scorrimento della graduatoria" in text
    no_health_data(text)


def test_not_admitted_letter_gives_the_reasons_and_the_remedies(
    created: Created, tmp_path: Path
) -> None:
    _, ws, _ = created
    _case, istanza_id, _protocol = letter_case(
        ws, state=S.NON_AMMISSIBILE, isee=Decimal("31000.00"), disability=False
    )
    pdf = letters.print_outcome_letter(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                       now=LATER)  # fmt: skip
    text = pdf_text(pdf)
    assert "non è stata ammessa" in text
    assert "a seguito della verifica dei requisiti di accesso" in text  # never transmitted
    assert "supera il massimo di 25.000,00 €" in text  # the ISEE ceiling, in the rules' words
    assert letters.DISABILITY_REASON in text  # the requirement, not what the person has
    assert "ricorso al TAR per la Lombardia entro 60 giorni" in text
    assert "ricorso straordinario al Presidente della Repubblica entro 120 giorni" in text
    no_health_data(text)
    qpdf_check(pdf, tmp_path)


def test_partial_funding_needs_the_capofila_amount(created: Created) -> None:
    _, ws, _ = created
    _case, istanza_id, protocol = letter_case(ws, state=S.FINANZIATA_PARZIALMENTE)
    with pytest.raises(UserFacingError) as refused:
        letters.print_outcome_letter(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                     now=LATER)  # fmt: skip
    assert refused.value.code == "letters.partial_amount_unknown"
    assert protocol in render(refused.value.code, refused.value.params)


@dataclass(frozen=True)
class _Stored:
    outcome: str
    amount: Decimal | None
    reason: str
    position: int | None = 41
    run_number: int | None = 2
    ranked_on: date | None = date(2024, 3, 15)
    determina: str = "45/2024"
    determina_date: date | None = date(2024, 3, 20)


def test_partial_funding_with_the_imported_outcome_says_amount_and_why(
    created: Created, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The hook: the outcome stored by the esiti import gives the amount, the reason and the
    graduatoria's identity."""
    _, ws, _ = created
    _case, istanza_id, _protocol = letter_case(ws, state=S.FINANZIATA_PARZIALMENTE)
    stored = _Stored("finanziata_parzialmente", Decimal("612.50"),
                     "Residuo delle risorse della graduatoria.")  # fmt: skip
    monkeypatch.setattr(letters, "received_outcome", lambda _uow, _id: stored)
    pdf = letters.print_outcome_letter(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                       now=LATER)  # fmt: skip
    text = pdf_text(pdf)
    assert "finanziata parzialmente per un importo di 612,50 €" in text
    assert "a fronte di 800,00 € ammissibili" in text
    assert "Residuo delle risorse della graduatoria." in text
    assert "graduatoria d'Ambito n. 2 del 15/03/2024" in text
    assert "determina n. 45/2024 del 20/03/2024" in text
    no_health_data(text)
    qpdf_check(pdf, tmp_path)


def test_no_outcome_yet_is_refused_in_italian(created: Created) -> None:
    _, ws, _ = created
    _case, istanza_id, protocol = letter_case(ws, state=S.AMMISSIBILE)
    with pytest.raises(UserFacingError) as refused:
        letters.print_outcome_letter(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                                     now=LATER)  # fmt: skip
    assert refused.value.code == "letters.no_outcome"
    shown = render(refused.value.code, refused.value.params)
    assert protocol in shown and "ammissibile" in shown and "Prova" not in shown
    assert _printed(ws) == []


def test_preavviso_lists_the_requirements_not_met_and_the_ten_days(
    created: Created, tmp_path: Path
) -> None:
    _, ws, _ = created
    _case, istanza_id, protocol = letter_case(ws, isee=Decimal("31000.00"), disability=False)
    document = letters.negative_verification_letter(
        ws.uow_factory(), actor=CLERK, istanza_id=istanza_id, on=date(2024, 1, 15), now=LATER
    )
    assert document.kind is DocumentKind.PREAVVISO_RIGETTO
    assert document.suggested_name == f"Preavviso_{protocol}.pdf"
    text = pdf_text(document.pdf)
    assert "art. 10-bis" in text and "L. 241/1990" in text
    assert "alla data del 15/01/2024" in text
    assert "supera il massimo di 25.000,00 €" in text
    assert letters.DISABILITY_REASON in text
    assert "entro 10 giorni dal ricevimento" in text
    assert "Ufficio Servizi Sociali del Comune di Abbiategrasso" in text
    no_health_data(text)
    qpdf_check(document.pdf, tmp_path)
    assert _printed(ws) == [("preavviso_rigetto", istanza_id)]


def test_preavviso_is_refused_when_the_requirements_are_met(created: Created) -> None:
    _, ws, _ = created
    _case, istanza_id, _protocol = letter_case(ws)
    with pytest.raises(UserFacingError) as refused:
        letters.print_negative_verification_letter(
            ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id, on=date(2024, 1, 15),
            now=LATER,
        )  # fmt: skip
    assert refused.value.code == "letters.requirements_met"


def test_safe_reason_names_the_requirement_not_the_percent() -> None:
    said = letters.safe_reason("Invalidità civile 80% sotto il minimo (avviso, art. 2).")
    assert said == f"{letters.DISABILITY_REASON} (avviso, art. 2)."
    kept = "Istanza presentata il 28/02/2024, oltre il termine del 22/01/2024 (avviso, art. 4)."
    assert letters.safe_reason(kept) == kept
