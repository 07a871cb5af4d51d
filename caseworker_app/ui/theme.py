"""Application resources (icon, stylesheet, Qt's Italian translations) and small style helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from caseworker_app.ui.i18n import install_qt_translations


def resources_dir() -> Path:
    """resources/ of a source checkout or of a frozen app; CASEWORKER_RESOURCES overrides."""
    override = os.environ.get("CASEWORKER_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def app_icon() -> QIcon:
    path = resources_dir() / "caseworker.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def apply_theme(app: QApplication) -> None:
    """Italian locale, Qt's own Italian texts (standard buttons), icon and stylesheet."""
    install_qt_translations(app, extra_folder=resources_dir() / "translations")
    app.setWindowIcon(app_icon())
    qss = resources_dir() / "caseworker.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def init_severity(widget: QWidget, severity: str) -> None:
    """Set the ``severity`` style property on a widget not shown yet (no re-polish needed).

    Cheaper than :func:`set_severity` at start-up: the first ``QWidget.style()`` call from
    Python builds the ``QStyle`` enums, which costs tens of milliseconds.
    """
    widget.setProperty("severity", severity)


def set_severity(widget: QWidget, severity: str) -> None:
    """Set the ``severity`` style property ("error", "warning", "ok" or "") and re-polish."""
    if widget.property("severity") == severity:
        return
    widget.setProperty("severity", severity)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
