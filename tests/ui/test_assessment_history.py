"""The assessment history: sheets, a chart of totals and what changed since the last one."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.domain.roles import Role
from caseworker_app.services import assessments, cases
from caseworker_app.ui.assessment_history import AssessmentHistoryView
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner

from .conftest import CreatedStore, make_vault, wait_idle

NOW = datetime(2026, 11, 22, 10, 0)
KATZ_B = {"lavarsi": 3, "vestirsi": 1, "uso_servizi": 1, "trasferimenti": 1, "continenza": 1,
          "alimentazione": 1}  # fmt: skip
KATZ_C = {**KATZ_B, "continenza": 3}


def _case(session: Session) -> CaseId:
    ws = session.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname="Cantù", given_name="Nicolò", sex=Sex.M,
                              birth_date=date(1938, 4, 1)),
        now=NOW,
    )  # fmt: skip
    return case_id


def _closed_sheet(session: Session, case_id: CaseId, visit: date, answers: dict[str, int]) -> None:
    ws = session.workspace
    sheet = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz", visit_date=visit,
        now=NOW,
    )  # fmt: skip
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, answers=answers, now=NOW
    )
    assessments.complete_assessment(ws.uow_factory(), actor=ws.actor, sheet_id=sheet.id, now=NOW)


def test_social_worker_sees_what_changed_since_the_last_adl(qtbot: QtBot, session: Session) -> None:
    case_id = _case(session)
    _closed_sheet(session, case_id, date(2026, 3, 10), KATZ_B)
    _closed_sheet(session, case_id, date(2026, 11, 20), KATZ_C)
    view = AssessmentHistoryView(session, case_id=case_id)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    wait_idle(qtbot, session.tasks)

    assert view.table.rowCount() == 2
    newest = [view.table.item(0, c).text() for c in range(5)]
    assert newest == ["20/11/2026", "ADL – Indice di Katz", "4 su 6 conservate", "C", "Chiusa"]
    assert view.table.item(1, 3).text() == "B"
    (series,) = view.chart.series
    assert series.maximum == 6
    assert series.points == ((date(2026, 3, 10), 5), (date(2026, 11, 20), 4))
    lines = [view.changes.item(i).text() for i in range(view.changes.count())]
    assert lines[0] == ("ADL – Indice di Katz, 10/03/2026 → 20/11/2026: totale 5 → 4, classe B → C")
    assert len(lines) == 2
    assert lines[1].strip().startswith("Continenza (urine e feci): «controllo completo» → «")
    view.grab()  # the chart paints without errors


def test_what_changed_compares_only_closed_sheets_of_the_same_scale(session: Session) -> None:
    case_id = _case(session)
    _closed_sheet(session, case_id, date(2026, 3, 10), KATZ_B)
    ws = session.workspace
    draft = assessments.start_assessment(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, scale="adl-katz",
        visit_date=date(2026, 11, 1), now=NOW,
    )  # fmt: skip
    assessments.save_answers(
        ws.uow_factory(), actor=ws.actor, sheet_id=draft.id, answers={"lavarsi": 1}, now=NOW
    )
    history = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    assert assessments.what_changed(history) == []
    _closed_sheet(session, case_id, date(2026, 11, 20), KATZ_B)
    history = assessments.assessment_history(
        ws.uow_factory(), actor=ws.actor, case_id=case_id, now=NOW
    )
    (change,) = assessments.what_changed(history)
    assert change.items == () and change.total_before == change.total_after == 5


def test_amministrativo_does_not_load_the_history(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner, tmp_path: Path, session: Session
) -> None:
    case_id = _case(session)
    created.workspace.add_operator(
        username="lbianchi", full_name="Lucia Bianchi", roles=frozenset({Role.AMMINISTRATIVO}),
        password="password-di-lucia",
    )  # fmt: skip
    workspace = make_vault(created.vault.root).unlock("lbianchi", "password-di-lucia")
    lucia = Session(
        workspace=workspace, tasks=tasks, info=load_session_info(workspace),
        qsettings=QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat),
    )  # fmt: skip
    view = AssessmentHistoryView(lucia, case_id=case_id)
    qtbot.addWidget(view)
    assert tasks.pending == 0 and view.isHidden() and view.table.rowCount() == 0
    workspace.close()
