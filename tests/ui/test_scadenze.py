"""The Scadenze page: every deadline in one sortable list, opened with a double-click or Enter."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.ids import CaseId, DocumentId, new_id
from caseworker_app.domain.person import Anagrafica, Sex
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import cases
from caseworker_app.ui.backup import BackupController
from caseworker_app.ui.scadenze_view import ScadenzeView
from caseworker_app.ui.session import Session

from .conftest import wait_idle


def _case(session: Session, surname: str) -> CaseId:
    ws = session.workspace
    case_id, _ = cases.create_case(
        ws.uow_factory(), actor=ws.actor, comune="A010",
        anagrafica=Anagrafica(surname=surname, given_name="Ada", sex=Sex.F,
                              birth_date=date(1938, 4, 1)),
        now=session.now(),
    )  # fmt: skip
    return case_id


def _view(qtbot: QtBot, session: Session) -> ScadenzeView:
    holder = QWidget()
    qtbot.addWidget(holder)
    view = ScadenzeView(session, BackupController(session, holder), parent=holder)
    holder.resize(1000, 600)
    holder.show()
    view.resize(1000, 600)
    view.activate()
    wait_idle(qtbot, session.tasks)
    return view


def test_social_worker_sees_the_deadlines_and_opens_one(qtbot: QtBot, session: Session) -> None:
    now = session.now()
    today = now.date()
    rossi, galli = _case(session, "Rossi"), _case(session, "Galli")
    doc_id = DocumentId(new_id())
    with session.workspace.uow_factory() as uow:
        uow.documents.save(Document(doc_id, rossi, "isee", promised_by=today - timedelta(days=3),
                                    created_at=now))  # fmt: skip
        att = IseeAttestation("ordinario", None, "", valid_until=today + timedelta(days=40))
        uow.records.put(StoredRecord(new_id(), galli, "isee", att.to_data(), now))
        uow.commit()
    view = _view(qtbot, session)

    def cells(row: int) -> list[str]:
        return [view.table.model().index(row, c).data() for c in range(4)]

    assert view.table.model().rowCount() == 3  # the document, the ISEE and the backup (never)
    first = cells(0)
    assert first[0] == (today - timedelta(days=3)).strftime("%d/%m/%Y")
    assert first[1] == "Scaduta" and first[2] == "Documento promesso"
    assert first[3] == "Rossi Ada: Attestazione ISEE promesso e non ancora consegnato"
    isee_row = next(r for r in range(3) if cells(r)[2] == "Attestazione ISEE")
    assert cells(isee_row)[1] == "Più avanti"
    assert cells(isee_row)[3] == "Galli Ada: ISEE ordinario in scadenza, chiedi la nuova DSU"
    assert "2 scadute" in view.count.text()

    # sort by date, newest first, by clicking the header
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == 0
    middle = QPoint(header.sectionSize(0) // 2, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert header.sortIndicatorOrder() is Qt.SortOrder.DescendingOrder
    assert cells(0)[2] == "Attestazione ISEE"

    view.kind_filter.setCurrentIndex(view.kind_filter.findData("document"))
    assert view.table.model().rowCount() == 1
    with qtbot.waitSignal(view.open_requested) as opened:
        index = view.table.model().index(0, 3)
        view.table.setCurrentIndex(index)
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == ["document", rossi, doc_id, ""]
    with qtbot.waitSignal(view.open_requested) as opened:
        rect = view.table.visualRect(view.table.model().index(0, 1))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == ["document", rossi, doc_id, ""]


def test_nothing_to_do_says_so(qtbot: QtBot, session: Session) -> None:
    session.last_backup_at = session.now()
    view = _view(qtbot, session)
    assert view.empty.isVisible() and not view.table.isVisible()
