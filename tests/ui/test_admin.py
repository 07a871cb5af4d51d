"""Administration: the audit log and its integrity, settings, backups, who sees what."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from caseworker_app.domain.roles import Role
from caseworker_app.services import settings as settings_service
from caseworker_app.ui.main_window import GEOMETRY_KEY, MainWindow
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner

from .conftest import CreatedStore, make_vault, wait_idle


def _go_to(qtbot: QtBot, window: MainWindow, title: str) -> None:
    items = window.navigation.findItems(title, Qt.MatchFlag.MatchExactly)
    assert items, title
    rect = window.navigation.visualItemRect(items[0])
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigation.currentItem() is items[0]


def test_admin_sees_audit_log_and_verifies_it(
    qtbot: QtBot, main_window: MainWindow, session: Session, created: CreatedStore
) -> None:
    _go_to(qtbot, main_window, "Registro attività")
    audit = main_window.audit_view
    assert audit is not None and audit.isVisible()
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=10_000)
    rows = audit.model.rows
    actions = {row[3] for row in rows}
    assert {"Ha creato l'archivio", "Ha creato l'account di un operatore"} <= actions
    assert all(row[1][2] == "/" for row in rows)  # gg/mm/aaaa hh:mm
    assert int(rows[0][0]) > int(rows[-1][0])  # newest first

    audit.action.setCurrentIndex(audit.action.findData("create"))
    qtbot.mouseClick(audit.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            {r[3] for r in audit.model.rows}
            == {
                "Ha creato l'archivio",
                "Ha creato l'account di un operatore",
                "Ha creato le chiavi di trasmissione dell'installazione",
            }
        ),
        timeout=10_000,
    )

    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.verdict.text().startswith("Registro integro"), timeout=10_000)
    assert audit.verdict.property("severity") == "ok"

    # Someone with the key edits an event behind the application's back.
    with created.workspace.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        conn.exec_driver_sql("UPDATE audit_events SET operator = 'qualcuno' WHERE seq = 2")
    qtbot.mouseClick(audit.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ALTERATO" in audit.verdict.text(), timeout=10_000)
    assert "n. 2 (alterato)" in audit.verdict.text()
    assert audit.verdict.property("severity") == "error"


def test_social_worker_without_admin_role_does_not_see_audit_log(
    qtbot: QtBot, created: CreatedStore, tasks: TaskRunner, tmp_path: Path
) -> None:
    created.workspace.add_operator(
        username="gverdi",
        full_name="Giulia Verdi",
        roles=frozenset({Role.ASSISTENTE_SOCIALE}),
        password="password-di-giulia",
    )
    workspace = make_vault(created.vault.root).unlock("gverdi", "password-di-giulia")
    session = Session(
        workspace=workspace,
        tasks=tasks,
        info=load_session_info(workspace),
        qsettings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    labels = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert "Registro attività" not in labels
    assert window.audit_view is None
    assert "Giulia Verdi" in window.operator_label.text()
    window.close()
    wait_idle(qtbot, tasks)
    workspace.close()


def test_settings_are_saved_and_applied(
    qtbot: QtBot, main_window: MainWindow, session: Session
) -> None:
    _go_to(qtbot, main_window, "Impostazioni")
    view = main_window.settings_view
    spin = view.spins[settings_service.IDLE_LOCK_MINUTES.key]
    assert spin.value() == 10
    assert spin.accessibleName() == "Blocco automatico dopo (minuti di inattività)"
    spin.setValue(15)
    with qtbot.waitSignal(view.setting_saved, timeout=5_000):
        pass
    wait_idle(qtbot, session.tasks)
    stored = settings_service.read_settings(session.workspace.uow_factory())
    assert stored["idle_lock_minutes"] == 15
    assert main_window.idle.interval_ms() == 15 * 60_000
    assert view.saved.text().startswith("Salvato alle")


def test_backup_reminder_until_a_backup_is_made(
    qtbot: QtBot, main_window: MainWindow, session: Session, tmp_path: Path
) -> None:
    banner = main_window.banner
    assert banner.isVisible()  # never backed up
    assert "Non è ancora stato fatto un backup" in banner.text.text()
    target = tmp_path / "chiavetta"
    target.mkdir()
    main_window.backups.choose_target = lambda: target  # type: ignore[method-assign]
    qtbot.mouseClick(banner.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    backups = list(target.glob("*.cwbak"))
    assert len(backups) == 1
    assert session.last_backup_at is not None
    _go_to(qtbot, main_window, "Scadenze")
    assert main_window.scadenze_view.backup_state.property("severity") == "ok"


def test_main_window_remembers_its_size(qtbot: QtBot, session: Session) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.resize(window.width(), 640)  # the offscreen screen is only 800 pixels wide
    qtbot.waitUntil(lambda: window.height() == 640)
    window.close()
    wait_idle(qtbot, session.tasks)
    assert session.qsettings.value(GEOMETRY_KEY)
    again = MainWindow(session)
    qtbot.addWidget(again)
    assert again.height() == 640
    again.close()
    wait_idle(qtbot, session.tasks)
