"""Grab each tab of the case editor, filled with demo-like data, into /tmp/shots/case_<tab>.png.

Not a test (pytest does not collect it). Run::

    .venv/bin/python -m tests.ui.case_section_shots [--out /tmp/shots]
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
    MeasureInPlace,
)
from caseworker_app.domain.casefile import DiaryKind, HouseholdMember, LegalRole, MemberKind
from caseworker_app.domain.ids import DiaryEntryId, DocumentId, MemberId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.gateway import SetupRequest, Workspace
from caseworker_app.security.keys import FAST_TEST_KDF
from caseworker_app.services import case_sections as sections
from caseworker_app.services import cases
from caseworker_app.ui.case_editor import CaseEditor
from caseworker_app.ui.case_sections.section_panel import SectionPanel
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import apply_theme

from .screenshots import settle, wait

NOW = datetime(2026, 11, 22, 10, 0)


def _png() -> bytes:
    image = QImage(500, 320, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4f1e8"))
    painter = QPainter(image)
    painter.drawText(40, 60, "Carta d'identità – esempio")
    painter.drawRect(30, 30, 440, 260)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def fill(ws: Workspace) -> str:
    f, a = ws.uow_factory, ws.actor
    case_id, _ = cases.create_case(f(), actor=a, comune="A010", anagrafica=Anagrafica(
        surname="Colombo", given_name="Giuseppina", sex=Sex.F, birth_date=date(1938, 4, 1),
        residence_address="Via Roma 12", residence_comune="A010", residence_cap="20081",
    ), now=NOW)  # fmt: skip
    members = [
        HouseholdMember(MemberId(new_id()), "Colombo", "Lucia", "figlia", phone="333 1234567",
                        is_caregiver=True, care_hours_week=20,
                        legal_role=LegalRole.AMMINISTRATORE_DI_SOSTEGNO,
                        decree_number="1234/2025", court="Tribunale di Pavia"),
        HouseholdMember(MemberId(new_id()), "Colombo", "Marco", "figlio"),
        HouseholdMember(MemberId(new_id()), "Popescu", "Ana", "assistente familiare",
                        cohabiting=True, member_kind=MemberKind.ASSISTENTE_FAMILIARE,
                        contract_type="convivente", contract_from=date(2025, 3, 1),
                        weekly_hours=54, ccnl_level="CS", registered_lr15=True),
    ]  # fmt: skip
    for m in members:
        sections.save_member(f(), actor=a, case_id=case_id, member=m, now=NOW)
    records = [
        Certification(CertificationKind.INVALIDITA_CIVILE, date(2024, 5, 2), "INPS", 100),
        Certification(CertificationKind.INDENNITA_ACCOMPAGNAMENTO, date(2024, 5, 2), "INPS"),
        Certification(CertificationKind.L104_ART3_C3, date(2024, 6, 10), "Commissione ASST"),
        IseeAttestation("sociosanitario", Decimal("14230.55"), "INPS-ISEE-2026-000123456-01",
                        date(2026, 2, 10), date(2026, 2, 12)),
        IseeAttestation("ordinario", Decimal("18990"), "INPS-ISEE-2025-000654321-00",
                        date(2025, 3, 3), omissioni=True),
        MeasureInPlace("sad", date(2025, 1, 1), None, "Cooperativa Il Sole",
                       "3 accessi a settimana", "Comune"),
        MeasureInPlace("b2_buono", date(2025, 1, 1), date(2025, 12, 31), "Ambito abbiatense",
                       "mensile", "FNA"),
    ]  # fmt: skip
    for r in records:
        sections.put_record(f(), actor=a, case_id=case_id, record_id=new_id(), value=r, now=NOW)
    sections.attach_document(f(), actor=a, case_id=case_id, document_id=DocumentId(new_id()),
                             content=_png(), details=sections.DocumentDetails(
                                 "documento_identita", "Carta d'identità", date(2022, 5, 3),
                                 date(2032, 5, 3)), now=NOW)  # fmt: skip
    sections.save_document_details(f(), actor=a, case_id=case_id,
                                   document_id=DocumentId(new_id()),
                                   details=sections.DocumentDetails(
                                       "isee", "ISEE 2027", promised_by=date(2026, 12, 15)),
                                   now=NOW)  # fmt: skip
    for at, kind, text in (
        (datetime(2026, 11, 20, 9, 30), DiaryKind.TELEFONATA,
         "Telefonata con la figlia Lucia: chiede informazioni sulla misura B2."),
        (datetime(2026, 11, 21, 15, 0), DiaryKind.VISITA,
         "Visita domiciliare con l'infermiera dell'ASST. Casa adeguata, bagno da adattare."),
    ):  # fmt: skip
        sections.save_diary_entry(f(), actor=a, case_id=case_id, entry_id=DiaryEntryId(new_id()),
                                  kind=kind, at=at, text=text, now=NOW)  # fmt: skip
    return case_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault(Path(tmp) / "store", kdf=FAST_TEST_KDF, keystore_preference="file")
        ws, _code = vault.create(SetupRequest("comune", "abbiatense", "A010", "mrossi",
                                              "Maria Rossi", "password-lunga-1"))  # fmt: skip
        case_id = fill(ws)
        tasks = TaskRunner()
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        session = Session(workspace=ws, tasks=tasks, info=load_session_info(ws),
                          qsettings=settings, clock=lambda: NOW)  # fmt: skip
        case = cases.open_case(ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW)
        editor = CaseEditor(session, case=case)
        editor.resize(1366, 768)
        editor.show()
        for index in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(index)
            holder = editor.tabs.currentWidget()
            panel = getattr(holder, "widget", holder)  # a section is built in its tab
            if isinstance(panel, SectionPanel):
                wait(lambda p=panel: p.is_loaded and tasks.pending == 0)  # type: ignore[misc]
            settle(0.3)
            wait(lambda: tasks.pending == 0)
            name = editor.tabs.tabText(index).lower().replace(" ", "_")
            editor.grab().save(str(out / f"case_{name}.png"))
        editor.close()
        tasks.shutdown(wait=True)
        ws.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
