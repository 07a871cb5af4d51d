"""The Registro attività page shows the head of the chain and checks a head written down."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from caseworker_app.services import audit_log
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session

from .conftest import CreatedStore
from .test_admin import _go_to


def test_head_is_shown_copied_and_an_anchor_is_checked(
    qtbot: QtBot,
    main_window: MainWindow,
    session: Session,
    created: CreatedStore,
    tmp_path: Path,
) -> None:
    _go_to(qtbot, main_window, "Registro attività")
    audit = main_window.audit_view
    assert audit is not None
    qtbot.waitUntil(lambda: audit.head is not None, timeout=10_000)
    head = audit_log.audit_head(created.workspace.uow_factory())
    assert head is not None and audit.head == head
    assert audit.head_label.text() == head.display  # "n. N · 3f2a 9c01 …"
    assert audit.head_label.text().startswith(f"n. {head.seq} · {head.hash[:4]} ")

    qtbot.mouseClick(audit.copy_head_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == f"{head.seq}:{head.hash}"

    # the head as copied by hand, in groups: it still holds
    audit.anchor.setText(head.display)
    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ancora nel registro" in audit.verdict.text(), timeout=10_000)
    assert audit.verdict.property("severity") == "ok"
    audit.grab().save(str(tmp_path / "audit_anchor_ok.png"))

    # a typo in the hash: an Italian message saying what to type, nothing run
    audit.anchor.setText(f"{head.seq}:{head.hash[:20]}")
    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    assert "64 cifre" in audit.verdict.text() and "20" in audit.verdict.text()
    assert audit.verdict.property("severity") == "error"

    # someone with the key empties the log; the next events start again from 1
    with created.workspace.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        conn.exec_driver_sql("DELETE FROM audit_events")
    audit.anchor.setText(head.written)
    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "riscritto" in audit.verdict.text(), timeout=10_000)
    assert f"n. {head.seq}" in audit.verdict.text()
    assert audit.verdict.property("severity") == "error"
    audit.grab().save(str(tmp_path / "audit_anchor_missing.png"))
