"""Typist process for test_pi_crash.py, and the case the PI tests start from.

Usage: python pi_typist.py STORE_DIR USERNAME ISTANZA_ID  (password in ``CASEWORKER_PASSWORD``)

It unlocks a real store, opens the real PI editor offscreen on the istanza, then types into the
narrative field (the evaluation summary) one character every ``TYPE_INTERVAL_MS`` from a QTimer,
with the event loop running and autosave on, exactly as a user would. After each character has
been delivered to the widget it prints and flushes one line::

    typed <count> <time.monotonic()>

The test kills it with SIGKILL at some moment and checks what was saved.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.domain.case_sections import (
    Certification,
    CertificationKind,
    IseeAttestation,
    MeasureInPlace,
    SocialEvaluation,
)
from caseworker_app.domain.casefile import HouseholdMember
from caseworker_app.domain.ids import CaseId, IstanzaId, MemberId, new_id
from caseworker_app.domain.istanza_content import IstanzaContent, RequestedLine
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.gateway import Workspace
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import assessments, cases, istanze

AVVISO = "abbiatense-caregiver-2023"
NOW = datetime(2023, 11, 20, 10, 0)
TEXT = "La signora vive con la figlia, che la assiste ogni giorno; servono sollievo e aiuto. "
TYPE_INTERVAL_MS = 50
KATZ_C = {"lavarsi": 3, "vestirsi": 1, "uso_servizi": 1, "trasferimenti": 1, "continenza": 3,
          "alimentazione": 1}  # fmt: skip


def seed_case(ws: Workspace, *, now: datetime = NOW) -> tuple[CaseId, IstanzaId]:
    """A case with a network, certifications, ISEE, a measure, a social evaluation, a completed
    ADL, and an istanza to ``abbiatense-caregiver-2023`` requesting one home-care line."""
    actor = ws.actor
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=actor, comune="A010",
        anagrafica=Anagrafica(codice_fiscale="", surname="Prova", given_name="Ada", sex=Sex.F,
                              birth_date=date(1938, 4, 1), residence_comune="A010",
                              residence_address="Via Roma 1"),
        now=now,
    )  # fmt: skip
    istanza = istanze.create_istanza(
        ws.uow_factory(), actor=actor, case_id=case_id, avviso=AVVISO, now=now
    )
    request = RequestedLine("rimborso_domiciliare", "800.00", date(2023, 3, 1), date(2023, 6, 30))
    content = IstanzaContent(family_caregiver_only=True, requests=(request,))
    records = [
        (Certification.KIND, Certification(CertificationKind.L104_ART3_C3, date(2020, 5, 4),
                                           "INPS").to_data()),
        (IseeAttestation.KIND, IseeAttestation("sociosanitario", None, "INPS-ISEE-2023-"
                                               "000000001-00", date(2023, 2, 1)).to_data()),
        (MeasureInPlace.KIND, MeasureInPlace("sad", date(2022, 1, 1), None, "Comune",
                                             "2 volte/settimana").to_data()),
        (SocialEvaluation.KIND, SocialEvaluation(date(2023, 11, 2), "domicilio",
                                                 housing="Casa al primo piano senza ascensore",
                                                 needs="Sollievo per la figlia").to_data()),
    ]  # fmt: skip
    uow = ws.uow_factory()
    with uow:
        uow.istanze.save_content(istanza.id, content.to_data(), now=now)
        uow.cases.add_member(
            case_id,
            HouseholdMember(
                MemberId(new_id()),
                "Prova",
                "Bice",
                "figlia",
                cohabiting=True,
                is_caregiver=True,
                care_hours_week=30,
            ),
        )
        for kind, data in records:
            uow.records.put(StoredRecord(new_id(), case_id, kind, data, now, actor.username))
        uow.commit()  # fmt: skip
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=actor, case_id=case_id, scale="adl-katz",
        visit_date=date(2023, 11, 2), place="domicilio", evaluators=("Maria Rossi",), now=now,
    )  # fmt: skip
    assessments.save_answers(ws.uow_factory(), actor=actor, sheet_id=sheet.id, answers=KATZ_C,
                             now=now)  # fmt: skip
    done = assessments.complete_assessment(
        ws.uow_factory(), actor=actor, sheet_id=sheet.id, now=now
    )
    assert done.sheet.status is SheetStatus.COMPLETA
    return case_id, istanza.id


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from caseworker_app.bootstrap.vault import Vault
    from caseworker_app.security.keys import FAST_TEST_KDF
    from caseworker_app.ui.pi_editor import PiEditorView
    from caseworker_app.ui.session import Session, load_session_info
    from caseworker_app.ui.tasks import TaskRunner

    root, username, istanza_id = Path(argv[1]), argv[2], IstanzaId(argv[3])
    app = QApplication([])
    store = Vault(root, kdf=FAST_TEST_KDF, keystore_preference="file").unlock(
        username, os.environ["CASEWORKER_PASSWORD"]
    )
    tasks = TaskRunner()
    settings = QSettings(str(root.parent / "typist.ini"), QSettings.Format.IniFormat)
    session = Session(store, tasks, load_session_info(store), settings)
    editor = PiEditorView(session, istanza_id=istanza_id)
    editor.resize(1366, 768)
    editor.show()
    out = sys.stdout
    typed = 0

    def type_one() -> None:
        nonlocal typed
        if not editor.is_loaded():
            return
        field = editor.narrative_field()
        if typed == 0:
            field.setFocus()
            field.moveCursor(QTextCursor.MoveOperation.End)  # go on after what was saved
            out.write("ready\n")
        QTest.keyClick(field, TEXT[typed % len(TEXT)])
        typed += 1
        out.write(f"typed {typed} {time.monotonic():.6f}\n")
        out.flush()

    timer = QTimer()
    timer.setInterval(TYPE_INTERVAL_MS)
    timer.timeout.connect(type_one)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
