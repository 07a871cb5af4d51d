"""The main windows of the three stores of ``tests/integration/transmission_stores.py`` (a
capofila and two comuni of one ambito), for the stories of the Trasmissioni and Ricezione pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.session import Session, load_session_info
from caseworker_app.ui.tasks import TaskRunner
from tests.integration.transmission_stores import NOW, Ambito, make_ambito

from .conftest import make_vault, wait_idle


def ambito_of(tmp_path: Path) -> Iterator[Ambito]:
    """The body of an ``ambito`` fixture: the three stores, closed afterwards."""
    yield from make_ambito(tmp_path, make_vault)


def open_window(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path, store: OpenStore, name: str
) -> MainWindow:
    """The main window of ``store``, its clock at the ambito's day."""
    session = Session(
        workspace=store,
        tasks=tasks,
        info=load_session_info(store),
        qsettings=QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat),
        clock=lambda: NOW,
    )
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    window.close()
    wait_idle(qtbot, window.session.tasks)


def go_to(qtbot: QtBot, window: MainWindow, title: str) -> None:
    """Click the section ``title`` in the navigation."""
    items = window.navigation.findItems(title, Qt.MatchFlag.MatchExactly)
    assert items, title
    rect = window.navigation.visualItemRect(items[0])
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigation.currentItem() is items[0]


def click(qtbot: QtBot, button: QWidget) -> None:
    assert button.isEnabled(), button.accessibleName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def drop_file(widget: QWidget, path: Path) -> bool:
    """Drag ``path`` from the file manager and drop it on ``widget``; whether it was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    enter = QDragEnterEvent(
        centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(QPoint(centre)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def column_texts(model: object, column: int) -> list[str]:
    from PySide6.QtCore import QAbstractItemModel

    assert isinstance(model, QAbstractItemModel)
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]
